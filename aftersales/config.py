"""Settings, read from environment variables with embedded defaults.

With nothing set the app runs on a SQLite file under instance/; production sets
AFTERSALES_DATABASE_URL (postgresql+psycopg://...) and AFTERSALES_SECRET_KEY.
"""

import os
import secrets
from pathlib import Path

SUPPORTED_LOCALES = ("zh", "en")
# Every domain package, in the order its pages and API are registered. Kept here, below
# every module, so the registries that load the modules' own files by name need not
# import the package that wires the application.
DOMAINS = (
    "core", "notifications", "customers", "outlets", "tickets", "calls", "visits", "training",
    "complaints", "meetings", "evidence", "calendar",
)


def _instance_secret(instance_path: Path) -> str:
    """A per-install secret kept in instance/, so sessions survive restarts without setup."""
    key_file = instance_path / "secret_key"
    if not key_file.exists():
        instance_path.mkdir(parents=True, exist_ok=True)
        key_file.write_text(secrets.token_hex(32))
        key_file.chmod(0o600)
    return key_file.read_text().strip()


def _flag(name: str, default: bool) -> bool:
    value = os.environ.get(name)
    if value is None:
        return default
    return value.strip().lower() in {"1", "true", "yes", "on"}


def load_settings(instance_path: Path) -> dict:
    database_url = os.environ.get(
        "AFTERSALES_DATABASE_URL", f"sqlite:///{instance_path / 'aftersales.db'}"
    )
    return {
        "SQLALCHEMY_DATABASE_URI": database_url,
        # A connection that died while idle in the pool (a database restart) is found and
        # replaced before a request uses it, instead of failing that request.
        "SQLALCHEMY_ENGINE_OPTIONS": {"pool_pre_ping": True},
        "SECRET_KEY": os.environ.get("AFTERSALES_SECRET_KEY") or _instance_secret(instance_path),
        "SESSION_COOKIE_HTTPONLY": True,
        "SESSION_COOKIE_SAMESITE": "Lax",
        "SESSION_COOKIE_SECURE": _flag("AFTERSALES_SECURE_COOKIES", False),
        "REMEMBER_COOKIE_HTTPONLY": True,
        "REMEMBER_COOKIE_SAMESITE": "Lax",
        "REMEMBER_COOKIE_SECURE": _flag("AFTERSALES_SECURE_COOKIES", False),
        "WTF_CSRF_TIME_LIMIT": None,
        "WTF_CSRF_CHECK_DEFAULT": False,  # checked in core/auth.py, API included
        "MAX_CONTENT_LENGTH": int(os.environ.get("AFTERSALES_MAX_UPLOAD_BYTES", 20 * 1024 * 1024)),
        # Coverage: the five-star target share of cities with 24-hour service, and the
        # service radius the what-if gives one more outlet.
        "COVERAGE_TARGET": float(os.environ.get("AFTERSALES_COVERAGE_TARGET", 0.8)),
        "WHAT_IF_RADIUS_KM": int(os.environ.get("AFTERSALES_WHAT_IF_RADIUS_KM", 100)),
        # Every uploaded file (scans, courseware, agreements, managed documents, complaint
        # attachments): one content-addressed store in this folder, outside the web root,
        # or ":memory:" (tests); and the largest file accepted.
        "UPLOAD_DIR": os.environ.get("AFTERSALES_UPLOAD_DIR", str(instance_path / "uploads")),
        "UPLOAD_MAX_FILE_BYTES": int(
            os.environ.get("AFTERSALES_UPLOAD_MAX_FILE_BYTES", 10 * 1024 * 1024)
        ),
        "BABEL_DEFAULT_LOCALE": "zh",
        "BABEL_DEFAULT_TIMEZONE": os.environ.get("AFTERSALES_TIMEZONE", "Asia/Shanghai"),
        # Sign-in throttling (core/throttle.py): failures per username and per address
        # before waits begin, and the longest wait.
        "LOGIN_MAX_FAILURES": int(os.environ.get("AFTERSALES_LOGIN_MAX_FAILURES", 5)),
        "LOGIN_ADDRESS_MAX_FAILURES": int(
            os.environ.get("AFTERSALES_LOGIN_ADDRESS_MAX_FAILURES", 20)),
        "LOGIN_LOCKOUT_MINUTES": int(os.environ.get("AFTERSALES_LOGIN_LOCKOUT_MINUTES", 15)),
        "SCHEDULER_LEASE_SECONDS": int(os.environ.get("AFTERSALES_SCHEDULER_LEASE_SECONDS", 60)),
        # Hotline opening hours, every day, Asia/Shanghai: "08:00-12:00,13:00-20:00".
        "HOTLINE_HOURS": os.environ.get("AFTERSALES_HOTLINE_HOURS", "08:00-20:00"),
        # Printed on documents given to customers (the repair record sheet).
        "COMPANY_NAME": os.environ.get("AFTERSALES_COMPANY_NAME", "售后服务中心"),
        "SERVICE_HOTLINE": os.environ.get("AFTERSALES_SERVICE_HOTLINE", "400-000-0000"),
        # Complaint clocks: "critical=4h/3d,...": response/resolution per severity; "clock"
        # (every hour counts) or "business" (working hours); the escalation ladder.
        "COMPLAINT_TARGETS": os.environ.get("AFTERSALES_COMPLAINT_TARGETS", ""),
        "COMPLAINT_CALENDAR": os.environ.get("AFTERSALES_COMPLAINT_CALENDAR", "clock"),
        "COMPLAINT_LADDER": os.environ.get("AFTERSALES_COMPLAINT_LADDER", ""),
        # The business calendar: the company's working hours (stored hours, set on the
        # calendar page, win), and work-order targets per [type.]priority. Both are parsed
        # (and refused with the reason) when the app starts: see create_app.
        "WORKING_HOURS": os.environ.get(
            "AFTERSALES_WORKING_HOURS", "workday=09:00-12:00,13:30-18:00"),
        "TICKET_TARGETS": os.environ.get("AFTERSALES_TICKET_TARGETS", ""),
        # E-mail for notifications; with no host set, notifications stay in-app only.
        "SMTP_HOST": os.environ.get("AFTERSALES_SMTP_HOST", ""),
        "SMTP_PORT": int(os.environ.get("AFTERSALES_SMTP_PORT", 25)),
        "SMTP_FROM": os.environ.get("AFTERSALES_SMTP_FROM", "aftersales@localhost"),
        "SMTP_USERNAME": os.environ.get("AFTERSALES_SMTP_USERNAME") or None,
        "SMTP_PASSWORD": os.environ.get("AFTERSALES_SMTP_PASSWORD") or None,
        "SMTP_STARTTLS": _flag("AFTERSALES_SMTP_STARTTLS", False),
        # Audit packages: where finished ones are kept (outside the web root), and the
        # Ed25519 key that signs them (PKCS#8 PEM; generated on first use when absent).
        "EVIDENCE_EXPORTS_DIR": os.environ.get("AFTERSALES_EVIDENCE_EXPORTS_DIR")
        or str(instance_path / "evidence-exports"),
        "EVIDENCE_SIGNING_KEY_FILE": os.environ.get("AFTERSALES_EVIDENCE_SIGNING_KEY_FILE")
        or str(instance_path / "evidence-signing-key.pem"),
        "EVIDENCE_SIGNING_KEY_PASSWORD": os.environ.get("AFTERSALES_EVIDENCE_SIGNING_KEY_PASSWORD")
        or None,
        # GPS proof of presence: an arrival this close to the service location (plus the
        # phone's reported accuracy) is verified.
        "GEOFENCE_METRES": int(os.environ.get("AFTERSALES_GEOFENCE_METRES", 500)),
        "API_TITLE": "aftersales",
        "API_VERSION": "v1",
        "OPENAPI_VERSION": "3.0.3",
        "OPENAPI_URL_PREFIX": "/api/v1",
        "OPENAPI_JSON_PATH": "openapi.json",
    }

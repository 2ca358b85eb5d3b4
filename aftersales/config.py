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
    "complaints", "meetings", "evidence", "calendar", "messaging", "portal",
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


# Read, typed and defaulted by their modules (each module's settings.py).
MODULE_SETTINGS = (
    "COMPANY_NAME", "SERVICE_HOTLINE", "PUBLIC_URL", "LOGIN_MAX_FAILURES",
    "LOGIN_ADDRESS_MAX_FAILURES", "LOGIN_LOCKOUT_MINUTES", "SCHEDULER_LEASE_SECONDS",
    "UPLOAD_MAX_FILE_BYTES",  # core
    "COVERAGE_TARGET", "WHAT_IF_RADIUS_KM",  # outlets
    "HOTLINE_HOURS",  # calls
    "COMPLAINT_TARGETS", "COMPLAINT_CALENDAR", "COMPLAINT_LADDER",  # complaints
    "WORKING_HOURS",  # calendar
    "TICKET_TARGETS", "GEOFENCE_METRES",  # tickets
    "SMTP_HOST", "SMTP_PORT", "SMTP_FROM", "SMTP_USERNAME", "SMTP_PASSWORD",
    "SMTP_STARTTLS",  # notifications
    "EVIDENCE_SIGNING_KEY_PASSWORD", "EVIDENCE_SHEET_WORKERS",  # evidence
    "PORTAL_LOOKUPS_PER_WINDOW", "PORTAL_WINDOW_MINUTES", "PORTAL_REPORTS_PER_ADDRESS",
    "PORTAL_REPORTS_PER_PHONE", "PORTAL_REPORT_WINDOW_MINUTES", "PORTAL_BOOKING_DAYS",  # portal
    "VISITS_SURVEY_SHARE", "VISITS_SURVEY_LINK_DAYS",  # visits
    "MESSAGING_SMS_BACKEND", "MESSAGING_ALIYUN_ENDPOINT", "MESSAGING_ALIYUN_ACCESS_KEY_ID",
    "MESSAGING_ALIYUN_ACCESS_KEY_SECRET", "MESSAGING_ALIYUN_SIGN_NAME",
    "MESSAGING_ALIYUN_TEMPLATES",  # messaging
)


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
        # Every uploaded file (scans, courseware, agreements, managed documents, complaint
        # attachments): one content-addressed store in this folder, outside the web root,
        # or ":memory:" (tests). The largest file accepted: UPLOAD_MAX_FILE_BYTES (core).
        "UPLOAD_DIR": os.environ.get("AFTERSALES_UPLOAD_DIR", str(instance_path / "uploads")),
        "BABEL_DEFAULT_LOCALE": "zh",
        "BABEL_DEFAULT_TIMEZONE": os.environ.get("AFTERSALES_TIMEZONE", "Asia/Shanghai"),
        # Audit packages: where finished ones are kept (outside the web root), and the
        # Ed25519 key that signs them (PKCS#8 PEM; generated on first use when absent).
        "EVIDENCE_EXPORTS_DIR": os.environ.get("AFTERSALES_EVIDENCE_EXPORTS_DIR")
        or str(instance_path / "evidence-exports"),
        "EVIDENCE_SIGNING_KEY_FILE": os.environ.get("AFTERSALES_EVIDENCE_SIGNING_KEY_FILE")
        or str(instance_path / "evidence-signing-key.pem"),
        # The modules' own settings, as the environment gives them: each module types and
        # checks its own when the app starts, with its default (core/settings.py).
        **{key: os.environ.get(f"AFTERSALES_{key}") for key in MODULE_SETTINGS},
        "API_TITLE": "aftersales",
        "API_VERSION": "v1",
        "OPENAPI_VERSION": "3.0.3",
        "OPENAPI_URL_PREFIX": "/api/v1",
        "OPENAPI_JSON_PATH": "openapi.json",
    }

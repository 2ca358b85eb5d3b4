"""Settings, typed and parsed once, when the app starts.

aftersales/config.py reads the environment into the app's config as text. Each module that
has settings of its own declares them in its `settings.py`: a frozen dataclass and the
function that reads it from the config, registered here with `section(name, read)`.
`create_app` reads every section when it starts, so a bad value stops the start with the
variable's name and the reason, never at the first request that needs it; code reads the
values with the module's `settings.current()`. Outside an application (a unit test of a
parser, the bench scripts' helpers) `current()` gives the defaults.

The readers below turn one config value into one typed value; a value given by a test or by
`create_app(overrides)` may already be typed (200 rather than "200")."""

from collections.abc import Callable, Mapping
from dataclasses import dataclass
from datetime import timedelta
from typing import Any, TypeVar

from flask import Flask, current_app, has_app_context

from aftersales.core.throttle import Policy

T = TypeVar("T")
EXTENSION = "aftersales.settings"
_READERS: dict[str, Callable[[Mapping], Any]] = {}
_DEFAULTS: dict[str, Any] = {}


class SettingRefused(RuntimeError):
    """A setting the application cannot start with: AFTERSALES_<NAME>: the reason."""

    def __init__(self, key: str, reason: str):
        super().__init__(f"AFTERSALES_{key}: {reason}")


def section(name: str, read: Callable[[Mapping], T]) -> Callable[[], T]:
    """Register a module's settings; returns the function that gives them."""
    _READERS[name] = read

    def current() -> T:
        if has_app_context():
            return current_app.extensions[EXTENSION][name]
        if name not in _DEFAULTS:
            _DEFAULTS[name] = read({})
        return _DEFAULTS[name]

    return current


def install(app: Flask) -> None:
    """Read every registered section from the app's config (create_app calls this once the
    modules are imported)."""
    app.extensions[EXTENSION] = {name: read(app.config) for name, read in _READERS.items()}


def _given(config: Mapping, key: str):
    value = config.get(key)
    return None if value is None or (isinstance(value, str) and not value.strip()) else value


def text(config: Mapping, key: str, default: str) -> str:
    value = _given(config, key)
    return default if value is None else str(value).strip()


def optional_text(config: Mapping, key: str) -> str | None:
    value = _given(config, key)
    return None if value is None else str(value)


def whole(config: Mapping, key: str, default: int, minimum: int = 0,
          maximum: int | None = None) -> int:
    value = _given(config, key)
    if value is None:
        return default
    try:
        number = int(str(value).strip())
    except ValueError as error:
        raise SettingRefused(key, f"{value!r} is not a whole number") from error
    if number < minimum or (maximum is not None and number > maximum):
        upper = "" if maximum is None else f" and at most {maximum}"
        raise SettingRefused(key, f"{number} is not at least {minimum}{upper}")
    return number


def fraction(config: Mapping, key: str, default: float) -> float:
    value = _given(config, key)
    if value is None:
        return default
    try:
        number = float(str(value).strip())
    except ValueError as error:
        raise SettingRefused(key, f"{value!r} is not a number") from error
    if not 0 <= number <= 1:
        raise SettingRefused(key, f"{number} is not between 0 and 1")
    return number


def flag(config: Mapping, key: str, default: bool) -> bool:
    value = _given(config, key)
    if value is None:
        return default
    if isinstance(value, bool):
        return value
    word = str(value).strip().lower()
    if word not in {"1", "true", "yes", "on", "0", "false", "no", "off"}:
        raise SettingRefused(key, f"{value!r} is not true or false")
    return word in {"1", "true", "yes", "on"}


def parsed(config: Mapping, key: str, default: str, parse: Callable[[str], T]) -> T:
    """A setting with a grammar (working hours, targets): parsed here, refused named."""
    value = _given(config, key)
    if value is not None and not isinstance(value, str):
        return value  # already parsed (a test's override)
    try:
        return parse(default if value is None else value)
    except ValueError as error:
        raise SettingRefused(key, str(error)) from error


# ---------------------------------------------------------------- the platform's own


@dataclass(frozen=True)
class PlatformSettings:
    company_name: str  # printed on documents given to customers
    service_hotline: str
    # Where customers reach the portal: the start of every link sent to them.
    public_url: str
    login_throttle: Policy
    scheduler_lease: timedelta
    upload_max_file_bytes: int  # the largest file accepted (core/uploads.py)


def _read_platform(config: Mapping) -> PlatformSettings:
    return PlatformSettings(
        company_name=text(config, "COMPANY_NAME", "售后服务中心"),
        service_hotline=text(config, "SERVICE_HOTLINE", "400-000-0000"),
        public_url=text(config, "PUBLIC_URL", "http://localhost:5000").rstrip("/"),
        login_throttle=Policy(
            whole(config, "LOGIN_MAX_FAILURES", 5, minimum=1),
            whole(config, "LOGIN_ADDRESS_MAX_FAILURES", 20, minimum=1),
            timedelta(minutes=whole(config, "LOGIN_LOCKOUT_MINUTES", 15, minimum=1)),
        ),
        scheduler_lease=timedelta(seconds=whole(config, "SCHEDULER_LEASE_SECONDS", 60,
                                                minimum=5)),
        upload_max_file_bytes=whole(config, "UPLOAD_MAX_FILE_BYTES", 10 * 1024 * 1024,
                                    minimum=1024),
    )


platform = section("core", _read_platform)

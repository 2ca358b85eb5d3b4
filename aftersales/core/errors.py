"""Typed domain errors, and the one place they (and HTTP errors) become responses.

Services raise DomainError subclasses; they never know about HTTP. Every API error has
one shape: {"code": ..., "message": ..., "errors": {field: [reasons]}}.
"""

from contextlib import suppress

from flask import Flask, g, jsonify, make_response, render_template, request
from flask_babel import lazy_gettext as _l
from sqlalchemy.exc import (
    DataError,
    DisconnectionError,
    IntegrityError,
    InterfaceError,
    OperationalError,
    SQLAlchemyError,
)
from sqlalchemy.exc import TimeoutError as PoolTimeout
from werkzeug.exceptions import HTTPException, MethodNotAllowed

from aftersales.extensions import db, login_manager

CODES = {
    400: "bad_request",
    401: "unauthenticated",
    403: "forbidden",
    404: "not_found",
    405: "method_not_allowed",
    409: "conflict",
    413: "too_large",
    415: "unsupported_media_type",
    422: "validation_error",
    423: "locked",
    429: "too_many_requests",
    500: "internal_error",
    503: "unavailable",
}
# Seconds a client waits before trying again when the database cannot be reached.
RETRY_AFTER_SECONDS = 30


class DomainError(Exception):
    status = 400

    def __init__(self, message: str, field: str | None = None):
        super().__init__(message)
        self.message = message
        self.field = field

    @property
    def errors(self) -> dict[str, list[str]]:
        return {self.field: [str(self.message)]} if self.field else {}


class ValidationFailed(DomainError):
    status = 422


class NotFound(DomainError):
    status = 404


class Conflict(DomainError):
    status = 409


class PermissionDenied(DomainError):
    status = 403


def is_api_request() -> bool:
    return request.path.startswith("/api/")


def _flatten(messages) -> dict[str, list[str]]:
    """webargs nests errors by location ({"json": {"name": [...]}}); callers want fields."""
    if not isinstance(messages, dict):
        return {"_schema": [str(messages)]}
    flat: dict[str, list[str]] = {}
    for location, fields in messages.items():
        if isinstance(fields, dict) and location in {"json", "query", "form", "path", "headers"}:
            for field, reasons in fields.items():
                flat[field] = _reasons(reasons)
        else:
            flat[location] = _reasons(fields)
    return flat


def _reasons(reasons) -> list[str]:
    if isinstance(reasons, list):
        return [str(reason) for reason in reasons]
    if isinstance(reasons, dict):
        return [f"{key}: {value}" for key, value in reasons.items()]
    return [str(reasons)]


def error_response(status: int, message: str, errors: dict | None = None, headers=None):
    if is_api_request():
        body = {"code": CODES.get(status, "error"), "message": str(message), "errors": errors or {}}
        response = jsonify(body)
    else:
        response = make_response(render_template("error.html", status=status, message=message))
    response.status_code = status
    for name, value in (headers or {}).items():
        response.headers[name] = value
    return response


def handle_http_exception(error: HTTPException):
    data = getattr(error, "data", None) or {}
    errors = _flatten(data["messages"]) if "messages" in data else data.get("errors", {})
    message = data.get("message") or _default_message(error)
    headers = dict(data.get("headers") or {})
    if isinstance(error, MethodNotAllowed) and error.valid_methods:
        headers["Allow"] = ", ".join(sorted(error.valid_methods))  # RFC 9110: a 405 says which
    return error_response(error.code or 500, message, errors, headers)


STATUS_MESSAGES = {
    404: _l("There is nothing at this address."),
    405: _l("This address does not accept that method."),
    413: _l("The upload is too large."),
    422: _l("The request has invalid fields."),
    500: _l("Something went wrong on our side; the error has been logged."),
}


def _default_message(error: HTTPException) -> str:
    return STATUS_MESSAGES.get(error.code) or error.description or error.name


def handle_domain_error(error: DomainError):
    db.session.rollback()
    return error_response(error.status, error.message, error.errors)


def handle_integrity_error(error: IntegrityError):
    # A constraint caught what validation did not (typically a race on a unique value).
    db.session.rollback()
    return error_response(409, _l("The change conflicts with existing records."))


def handle_data_error(error: DataError):
    # A value the database refused (out of range, malformed) that validation let through:
    # the request's fault, not the server's.
    db.session.rollback()
    return error_response(422, _l("A value is out of the range the system can store."))


def handle_database_unavailable(error: SQLAlchemyError):
    """The database cannot be reached, or gave up on this transaction (a lost connection,
    a deadlock, a full pool). Nothing on this path touches the database again: not the
    signed-in user, not the locale they chose, not the page layout's counters."""
    g.database_unavailable = True
    g._login_user = login_manager.anonymous_user()  # templates ask for current_user
    with suppress(SQLAlchemyError):
        db.session.rollback()
    message = _l("The service is briefly unavailable; try again in a moment.")
    headers = {"Retry-After": str(RETRY_AFTER_SECONDS)}
    if is_api_request():
        return error_response(503, message, headers=headers)
    response = make_response(render_template("unavailable.html", message=message), 503)
    response.headers.update(headers)
    return response


def register(app: Flask) -> None:
    app.register_error_handler(HTTPException, handle_http_exception)
    app.register_error_handler(DomainError, handle_domain_error)
    app.register_error_handler(IntegrityError, handle_integrity_error)
    app.register_error_handler(DataError, handle_data_error)
    for unavailable in (OperationalError, InterfaceError, DisconnectionError, PoolTimeout):
        app.register_error_handler(unavailable, handle_database_unavailable)

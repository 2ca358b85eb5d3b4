"""Who is asking and what they may do: one deny-by-default gate for pages and API.

Every endpoint declares its permission with @requires("...") or opts out with @public;
the gate runs before every request and refuses endpoints that declare nothing.
"""

from collections.abc import Callable

from flask import Flask, current_app, g, redirect, request, session, url_for
from flask_babel import lazy_gettext as _l
from flask_login import current_user, login_user, logout_user
from flask_wtf.csrf import CSRFError, validate_csrf
from wtforms import ValidationError

from aftersales.core import audit, services
from aftersales.core.errors import error_response, is_api_request
from aftersales.core.models import User
from aftersales.core.permissions import ENTERPRISE_WIDE, roles_granting, scope_of
from aftersales.extensions import db, login_manager

SAFE_METHODS = {"GET", "HEAD", "OPTIONS"}


def requires(permission: str) -> Callable:
    def mark(view: Callable) -> Callable:
        view.required_permission = permission
        return view

    return mark


def public(view: Callable) -> Callable:
    view.is_public = True
    return view


def can(user, permission: str) -> bool:
    if not getattr(user, "is_authenticated", False) or not user.roles & roles_granting(permission):
        return False
    return permission not in ENTERPRISE_WIDE or scope_of(user, permission).everywhere


SESSION_KEY = "_sk"  # the server-side session's key, in the signed session cookie


@login_manager.user_loader
def _load_user(user_ref: str) -> User | None:
    return services.session_user(db.session, user_ref, session.get(SESSION_KEY))


def sign_in(user: User) -> None:
    """Start a server-side session for `user` and put its key in the cookie."""
    _fresh_session()  # nothing of an earlier visitor's session survives the sign-in
    key = services.start_session(db.session, user, request.headers.get("User-Agent", ""),
                                 request.remote_addr or "")
    login_user(user)
    session[SESSION_KEY] = key


def sign_out() -> None:
    """End this session on the server, wherever its cookie has been copied to."""
    services.end_session_by_key(db.session, session.get(SESSION_KEY))
    logout_user()
    _fresh_session()


def _fresh_session() -> None:
    session.clear()
    g.pop("csrf_token", None)  # Flask-WTF's token of the cleared session, cached for the request


def _bearer_secret() -> str | None:
    scheme, _, secret = request.headers.get("Authorization", "").partition(" ")
    return secret.strip() if scheme.lower() == "bearer" else None


def _enforce() -> object | None:
    if request.endpoint is None or request.endpoint == "static":
        return None  # unknown URLs fall to the 404 handler
    view = current_app.view_functions[request.endpoint]
    if current_user.is_authenticated:
        audit.set_actor(audit.Actor(current_user.id, current_user.username))
    if getattr(view, "is_public", False):
        return _check_csrf()
    permission = getattr(view, "required_permission", None)
    if permission is None:
        current_app.logger.error("endpoint %s declares no permission", request.endpoint)
        return error_response(403, _l("This page is not open to anyone."))
    if not current_user.is_authenticated:
        if is_api_request():
            return error_response(
                401,
                _l("Sign in or send a valid API token."),
                headers={"WWW-Authenticate": "Bearer"},
            )
        return redirect(url_for("core.login", next=request.full_path.rstrip("?")))
    if not can(current_user, permission):
        if current_user.roles & roles_granting(permission):
            return error_response(403, _l("This covers the whole enterprise; it needs an "
                                          "enterprise-wide role."))
        return error_response(403, _l("Your role does not allow this."))
    if g.get("read_only_token") and request.method not in SAFE_METHODS:
        return error_response(403, _l("This API token is read-only."))
    return _check_csrf()


def _check_csrf() -> object | None:
    """Every state-changing request made with the session cookie carries the CSRF token
    (form field on pages, X-CSRFToken header from scripts). Bearer-token calls carry no
    ambient credential and need none."""
    if request.method in SAFE_METHODS or request.environ.get("aftersales.token_auth"):
        return None
    token = request.headers.get("X-CSRFToken") or request.form.get("csrf_token")
    try:
        validate_csrf(token)
    except (ValidationError, CSRFError):
        return error_response(
            400, _l("The form expired or was not sent from this site; reload and try again.")
        )
    return None


def _start_anonymous() -> None:
    """Each request authenticates afresh, even inside an app context that outlives one
    request (the test client reuses the test's context, and with it flask.g). A request
    that carries a bearer token is the token's alone: a session cookie sent beside it
    (a browser's leftover) is neither used nor allowed to refuse it."""
    g.pop("_login_user", None)
    g.pop("_flask_babel", None)  # and picks its language afresh (Flask-Babel caches it on g)
    audit.set_actor(audit.SYSTEM)
    secret = _bearer_secret()
    if secret is not None:
        token = services.token_for_secret(db.session, secret) if secret else None
        g._login_user = token.user if token else login_manager.anonymous_user()
        request.environ["aftersales.token_auth"] = token is not None
        g.read_only_token = bool(token and token.read_only)


def install(app: Flask) -> None:
    login_manager.login_view = "core.login"
    login_manager.session_protection = "strong"
    app.before_request(_start_anonymous)
    app.before_request(_enforce)
    app.jinja_env.globals["can"] = lambda permission: can(current_user, permission)

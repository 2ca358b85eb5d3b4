"""aftersales: after-sales operations and GB/T 27922 certification evidence."""

import contextlib
import functools
import gc
import importlib
import importlib.util
from pathlib import Path

from flask import Flask, g, has_request_context, request
from flask_babel import get_locale
from flask_login import current_user

from aftersales.config import DOMAINS, SUPPORTED_LOCALES, load_settings
from aftersales.core import settings
from aftersales.core.boundary import StorableIntConverter
from aftersales.core.fields import DecimalText
from aftersales.core.menu import menu_for, menu_groups_for
from aftersales.core.transactions import TransactionalFlask
from aftersales.extensions import api, babel, csrf, db, login_manager, migrate_on_demand

MIGRATIONS = Path(__file__).resolve().parent.parent / "migrations"


def create_app(overrides: dict | None = None) -> Flask:
    with _collector_paused():
        return _made_app(overrides)


@contextlib.contextmanager
def _collector_paused():
    """Making the app makes some 250,000 objects that live as long as the process (models,
    routes, schemas, settings): the cyclic garbage collector would scan them again and
    again while they are made, a tenth of a second of start-up that finds no garbage. It is
    paused meanwhile, and what exists once a process's first app is made is frozen out of
    its later scans (`gc.freeze`), so they do not land on the first requests either. Apps
    made later in the same process (tests make many) are not frozen, so the collector can
    still free them; garbage made after start-up is collected as before."""
    collecting = gc.isenabled()
    gc.disable()
    try:
        yield
        if not gc.get_freeze_count():
            gc.freeze()
    finally:
        if collecting:
            gc.enable()


def _made_app(overrides: dict | None) -> Flask:
    from aftersales import cli  # imports most of the application: under the paused collector

    app = TransactionalFlask(__name__, instance_relative_config=True)
    app.url_map.converters["int"] = StorableIntConverter
    app.config.update(load_settings(Path(app.instance_path)))
    app.config.update(overrides or {})
    _read_settings(app)

    db.init_app(app)
    migrate_on_demand(app, str(MIGRATIONS))
    login_manager.init_app(app)
    csrf.init_app(app)
    babel.init_app(app, locale_selector=select_locale)
    app.jinja_env.globals["get_locale"] = get_locale
    app.jinja_env.globals["main_menu"] = lambda: menu_for(current_user)
    app.jinja_env.globals["main_menu_groups"] = lambda: menu_groups_for(current_user)
    api.init_app(app)
    api.register_field(DecimalText, "string", "decimal")

    _register_modules(app)
    _install_request_boundary(app)
    cli.register(app)
    return app


def _read_settings(app: Flask) -> None:
    """Every module's settings, typed, read once (core/settings.py): a bad value stops the
    start, named."""
    for domain in DOMAINS:
        if importlib.util.find_spec(f"aftersales.{domain}.settings"):
            importlib.import_module(f"aftersales.{domain}.settings")
    settings.install(app)


def select_locale() -> str:
    if not has_request_context():  # commands and jobs speak the default language
        return "zh"
    chosen = request.cookies.get("lang")
    if chosen in SUPPORTED_LOCALES:
        return chosen
    if g.get("database_unavailable"):  # the user's own choice is in the database
        return request.accept_languages.best_match(SUPPORTED_LOCALES, default="zh")
    if current_user and current_user.is_authenticated:
        return current_user.locale
    return request.accept_languages.best_match(SUPPORTED_LOCALES, default="zh")


def _register_modules(app: Flask) -> None:
    from aftersales.core import audit, audit_statements, auth, errors

    audit.install()
    audit_statements.install()
    auth.install(app)
    errors.register(app)
    for domain in DOMAINS:
        _register_domain(app, domain)
    _secure_docs(app)


def _register_domain(app: Flask, domain: str) -> None:
    """Every domain package keeps its blueprints in blueprint.py: `bp` for pages, `blp` for
    the API. The files that add routes to them (views.py, api.py and those named in
    ROUTE_MODULES) are imported here, so no file imports another's routes."""
    package = f"aftersales.{domain}"
    blueprint = importlib.import_module(f"{package}.blueprint")
    for name in ("views", "api", *getattr(blueprint, "ROUTE_MODULES", ())):
        if importlib.util.find_spec(f"{package}.{name}"):
            importlib.import_module(f"{package}.{name}")
    if hasattr(blueprint, "bp"):
        app.register_blueprint(blueprint.bp)
    if hasattr(blueprint, "blp"):
        api.register_blueprint(blueprint.blp)


def _secure_docs(app: Flask) -> None:
    """The OpenAPI document is public: it describes the API, it reveals no data."""
    for endpoint, view in list(app.view_functions.items()):
        if endpoint.startswith("api-docs."):
            app.view_functions[endpoint] = _opened(view)


def _opened(view):
    @functools.wraps(view)
    def open_view(*args, **kwargs):
        return view(*args, **kwargs)

    open_view.is_public = True
    return open_view


def _install_request_boundary(app: Flask) -> None:
    """Services only flush; the request commits once, or rolls back on any error."""
    from aftersales.core.boundary import refuse_unstorable_text

    app.before_request(refuse_unstorable_text)

    @app.after_request
    def commit_or_roll_back(response):
        # The view's work is committed already (core/transactions.py); this ends what
        # ran without a view (a redirect to sign in) and drops what an error left.
        if response.status_code < 400:
            db.session.commit()
        else:
            db.session.rollback()
        return response

    @app.after_request
    def security_headers(response):
        response.headers.setdefault(
            "Content-Security-Policy",
            "default-src 'self'; img-src 'self' data: blob:; object-src 'none'; "
            "frame-ancestors 'none'; base-uri 'self'; form-action 'self'",
        )
        response.headers.setdefault("X-Content-Type-Options", "nosniff")
        response.headers.setdefault("X-Frame-Options", "DENY")
        response.headers.setdefault("Referrer-Policy", "same-origin")
        response.headers.setdefault("Permissions-Policy", "geolocation=(self), camera=(self)")
        if request.path.startswith("/api/") or getattr(g, "no_store", False):
            response.headers.setdefault("Cache-Control", "no-store")
        return response

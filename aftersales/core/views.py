"""Pages: sign-in, home, language, record history, user administration, API tokens."""

import json
from decimal import Decimal
from urllib.parse import urlsplit

from flask import (
    Blueprint,
    current_app,
    flash,
    g,
    redirect,
    render_template,
    request,
    session,
    url_for,
)
from flask_babel import format_datetime
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from flask_login import current_user
from sqlalchemy import select

from aftersales.config import SUPPORTED_LOCALES
from aftersales.core import audit, pickers, services, throttle
from aftersales.core.auth import SESSION_KEY, public, requires, sign_in, sign_out
from aftersales.core.clock import utcnow
from aftersales.core.errors import DomainError
from aftersales.core.home import notices_for, tiles_for
from aftersales.core.models import User
from aftersales.core.pagination import keyset_page
from aftersales.core.permissions import ROLES
from aftersales.extensions import db

bp = Blueprint("core", __name__, template_folder="templates")


def _safe_next(target: str | None) -> str:
    """Only same-site paths: an open redirect after sign-in is a phishing tool."""
    if target and target.startswith("/") and not target.startswith("//"):
        parts = urlsplit(target)
        if not parts.scheme and not parts.netloc:
            return target
    return url_for("core.home")


@bp.route("/login", methods=["GET", "POST"])
@public
def login():
    g.no_store = True
    if current_user.is_authenticated:
        return redirect(url_for("core.home"))
    error, username = None, ""
    if request.method == "POST":
        username = request.form.get("username", "")
        try:
            user = services.authenticate(
                db.session, username, request.form.get("password", ""),
                request.remote_addr or "", current_app.config["LOGIN_THROTTLE"])
        except DomainError as refused:
            # The failure count must persist although the answer is an error.
            db.session.commit()
            error = str(refused.message)
        else:
            sign_in(user)
            return redirect(_safe_next(request.args.get("next")))
    status = 401 if error else 200
    return render_template("core/login.html", error=error, username=username), status


@bp.route("/logout", methods=["POST"])
@requires("account.self")
def logout():
    sign_out()
    return redirect(url_for("core.login"))


@bp.route("/")
@requires("account.self")
def home():
    outlet_ids = {grant.outlet_id for grant in current_user.grants if grant.outlet_id}
    return render_template("core/home.html", tiles=tiles_for(db.session, current_user),
                           notices=notices_for(db.session, current_user, "home"),
                           outlet_codes=services.outlet_codes(db.session, outlet_ids))


@bp.route("/lang/<code>")
@public
def set_language(code):
    response = redirect(_safe_next(request.args.get("next")))
    if code in SUPPORTED_LOCALES:
        response.set_cookie("lang", code, max_age=365 * 24 * 3600, samesite="Lax", httponly=True)
    return response


@bp.route("/history/<record_type>/<record_id>")
@requires("audit.read")
def record_history(record_type, record_id):
    page = audit.record_history(
        db.session, record_type, record_id, request.args.get("cursor"), limit=50
    )
    return render_template(
        "core/history.html",
        record_type=record_type,
        record_id=record_id,
        page=page,
        load_json=json.loads,
    )


@bp.route("/admin/users")
@requires("users.manage")
def users():
    page = keyset_page(db.session, select(User), User.id, request.args.get("cursor"), limit=50)
    outlet_ids = {grant.outlet_id for user in page.items for grant in user.grants
                  if grant.outlet_id}
    return render_template(
        "core/users.html", page=page, throttles=throttle.in_force(db.session, utcnow()),
        outlet_codes=services.outlet_codes(db.session, outlet_ids))


@bp.route("/admin/login-throttles/<int:throttle_id>/lift", methods=["POST"])
@requires("users.manage")
def lift_throttle(throttle_id):
    lifted = throttle.lift(db.session, throttle_id)
    if lifted is not None:
        flash(_("The wait is lifted: %(key)s may sign in again.", key=lifted.key), "success")
    return redirect(url_for("core.users"))


def _grants_from(form) -> list[services.GrantSpec]:
    """Roles ticked on the form, all with the one scope chosen beside them."""
    kind, _sep, value = form.get("scope", "").partition(":")
    outlet_id = int(value) if kind == "outlet" and value.isdigit() else None
    region_code = value if kind == "region" and value else None
    return [services.GrantSpec(role, outlet_id, region_code) for role in form.getlist("roles")]


def _render_user_form(user, form, errors):
    return render_template(
        "core/user_form.html",
        user=user,
        form=form,
        errors=errors,
        roles=ROLES,
        outlets=pickers.outlet_choices(db.session),
    ), (422 if errors else 200)


def _refusal(problem: DomainError) -> dict[str, str]:
    db.session.rollback()
    return {problem.field or "_form": str(problem.message)}


@bp.route("/admin/users/new", methods=["GET", "POST"])
@requires("users.manage")
def new_user():
    form, errors = request.form, {}
    if request.method == "POST":
        try:
            user = services.create_user(
                db.session,
                form.get("username", ""),
                form.get("display_name", ""),
                form.get("password", ""),
                _grants_from(form),
                email=form.get("email") or None,
            )
        except DomainError as problem:
            errors = _refusal(problem)
        else:
            flash(_("User %(name)s created.", name=user.username), "success")
            return redirect(url_for("core.users"))
    return _render_user_form(None, form, errors)


@bp.route("/admin/users/<int:user_id>", methods=["GET", "POST"])
@requires("users.manage")
def edit_user(user_id):
    user = services.get_user(db.session, user_id)
    form, errors = request.form, {}
    if request.method == "POST":
        try:
            services.update_profile(
                db.session, user, form.get("display_name", ""), form.get("email")
            )
            services.set_roles(db.session, user, _grants_from(form))
            if form.get("password"):
                services.set_password(db.session, user, form["password"])
        except DomainError as problem:
            errors = _refusal(problem)
        else:
            flash(_("User %(name)s saved.", name=user.username), "success")
            return redirect(url_for("core.users"))
    return _render_user_form(user, form, errors)


@bp.route("/admin/users/<int:user_id>/enabled", methods=["POST"])
@requires("users.manage")
def toggle_user(user_id):
    user = services.get_user(db.session, user_id)
    services.set_enabled(db.session, user, request.form.get("enabled") == "1", current_user)
    return redirect(url_for("core.users"))


@bp.route("/account/tokens", methods=["GET", "POST"])
@requires("account.self")
def tokens():
    new_secret, errors = None, {}
    if request.method == "POST":
        try:
            _token, new_secret = services.create_token(
                db.session, current_user, request.form.get("name", ""), expires_in_days=90,
                read_only=request.form.get("read_only") == "1",
            )
        except DomainError as problem:
            errors = _refusal(problem)
    g.no_store = True
    return render_template(
        "core/tokens.html",
        tokens=services.list_tokens(db.session, current_user),
        sessions=services.open_sessions(db.session, current_user),
        this_session=services.session_id_of_key(db.session, session.get(SESSION_KEY)),
        new_secret=new_secret,
        errors=errors,
    ), (422 if errors else 200)


@bp.route("/account/sessions/<int:session_id>/end", methods=["POST"])
@requires("account.self")
def end_session(session_id):
    services.end_session(db.session, current_user, session_id)
    flash(_("That browser is signed out."), "success")
    return redirect(url_for("core.tokens"))


@bp.route("/account/tokens/<int:token_id>/revoke", methods=["POST"])
@requires("account.self")
def revoke_token(token_id):
    services.revoke_token(db.session, current_user, token_id)
    return redirect(url_for("core.tokens"))


ROLE_LABELS = {
    "agent": _l("Customer-service agent"),
    "technician": _l("Technician"),
    "dispatcher": _l("Dispatcher"),
    "complaint_handler": _l("Complaint handler"),
    "trainer": _l("Trainer"),
    "manager": _l("Manager"),
    "auditor": _l("Auditor"),
    "admin": _l("Administrator"),
}


@bp.app_template_global()
def role_label(role: str) -> str:
    return str(ROLE_LABELS.get(role, role))


@bp.app_template_global("now")
def template_now():
    return utcnow()


@bp.app_template_filter("localtime")
def localtime(moment) -> str:
    """Shown in the display zone (Asia/Shanghai by default), stored in UTC."""
    return format_datetime(moment, "yyyy-MM-dd HH:mm")


@bp.app_template_filter("yuan")
def yuan(fen: int) -> str:
    """Fen shown as yuan with two decimals, exactly (money is never a float)."""
    return f"¥{Decimal(fen) / 100:,.2f}"

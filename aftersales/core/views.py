"""Pages: sign-in, home, language, record history, user administration, API tokens."""

import json
from decimal import Decimal
from urllib.parse import urlsplit

from flask import (
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
from aftersales.core import audit, history, pickers, privacy, services, settings, throttle
from aftersales.core.auth import SESSION_KEY, public, requires, sign_in, sign_out
from aftersales.core.blueprint import bp
from aftersales.core.clock import utcnow
from aftersales.core.errors import DomainError
from aftersales.core.forms import form_input, on_refusal, placed, query_input, submitted
from aftersales.core.home import notices_for, tiles_for
from aftersales.core.models import User
from aftersales.core.pagination import PageArgsSchema, keyset_page
from aftersales.core.permissions import ROLES
from aftersales.core.schemas import (
    NextPageSchema,
    SignInFormSchema,
    TokenInSchema,
    UserEditFormSchema,
    UserEnabledFormSchema,
    UserFormSchema,
)
from aftersales.extensions import db

TOKEN_DAYS = 90  # as the page says: "valid 90 days"
# The inputs each form shows a reason beside; any other reason goes to its top.
USER_FORM_FIELDS = frozenset({"username", "display_name", "email", "password", "roles"})
TOKEN_FORM_FIELDS = frozenset({"name"})


def _safe_next(target: str | None) -> str:
    """Only same-site paths: an open redirect after sign-in is a phishing tool."""
    if target and target.startswith("/") and not target.startswith("//"):
        parts = urlsplit(target)
        if not parts.scheme and not parts.netloc:
            return target
    return url_for("core.home")


def _next_page() -> str:
    query, _errors = query_input(NextPageSchema())
    return _safe_next(query["next"])


@bp.route("/login", methods=["GET", "POST"])
@public
def login():
    g.no_store = True
    if current_user.is_authenticated:
        return redirect(url_for("core.home"))
    if request.method == "GET":
        return render_template("core/login.html", error=None, username="")
    typed = form_input(SignInFormSchema())
    try:
        user = services.authenticate(
            db.session, typed["username"], typed["password"],
            request.remote_addr or "", settings.platform().login_throttle)
    except DomainError as refused:
        # The failure count must persist although the answer is an error.
        db.session.commit()
        return render_template("core/login.html", error=str(refused.message),
                               username=typed["username"]), 401
    sign_in(user)
    return redirect(_next_page())


@bp.route("/logout", methods=["POST"])
@requires("account.self")
def logout():
    sign_out()
    return redirect(url_for("core.login"))


@bp.route("/")
@requires("account.self")
def home():
    grants = current_user.grants
    return render_template(
        "core/home.html", tiles=tiles_for(db.session, current_user),
        notices=notices_for(db.session, current_user, "home"),
        outlet_labels=services.outlet_labels(
            db.session, {grant.outlet_id for grant in grants if grant.outlet_id}),
        region_names=services.region_names(
            db.session, {grant.region_code for grant in grants if grant.region_code}))


@bp.route("/lang/<code>")
@public
def set_language(code):
    response = redirect(_next_page())
    if code in SUPPORTED_LOCALES:
        response.set_cookie("lang", code, max_age=365 * 24 * 3600, samesite="Lax", httponly=True)
    return response


def _cursor() -> str | None:
    query, _errors = query_input(PageArgsSchema())
    return query["cursor"]


def _record_name(record_type: str, record_id: str) -> str:
    """The record whose history is shown, as the pages that link here name it: a work
    order or complaint by its number (registered by its module), an account by its
    person's name."""
    if not record_id.isdigit():
        return _("this record")
    title = history.record_title(record_type, int(record_id))
    if title:
        return title
    if record_type == "users":
        name = services.display_names(db.session, {int(record_id)}).get(int(record_id))
        if name:
            return _("the account of %(name)s", name=name)
    return _("this record")


@bp.route("/history/<record_type>/<record_id>")
@requires("audit.read")
def record_history(record_type, record_id):
    page = audit.record_history(db.session, record_type, record_id, _cursor(), limit=50)
    return render_template(
        "core/history.html",
        record_type=record_type,
        record_id=record_id,
        record_name=_record_name(record_type, record_id),
        page=page,
        load_json=json.loads,
        shown=history.ValueWords(
            db.session, db.metadata.tables.get(record_type), page.items,
            contact=privacy.may_contact_customers(), moment=localtime, money=yuan),
        action_label=history.action_label,
        field_label=lambda column: history.field_label(record_type, column),
    )


history.record_names("users", services.display_names)
history.field_labels("users", {
    "username": _l("Username"), "display_name": _l("Name"), "email": _l("Email"),
    "password_hash": _l("Password"), "is_enabled": _l("Account enabled"),
    "locale": _l("Language"),
})


@bp.route("/admin/users")
@requires("users.manage")
def users():
    page = keyset_page(db.session, select(User), User.id, _cursor(), limit=50)
    grants = [grant for user in page.items for grant in user.grants]
    return render_template(
        "core/users.html", page=page, throttles=throttle.in_force(db.session, utcnow()),
        outlet_labels=services.outlet_labels(
            db.session, {grant.outlet_id for grant in grants if grant.outlet_id}),
        region_names=services.region_names(
            db.session, {grant.region_code for grant in grants if grant.region_code}))


@bp.route("/admin/login-throttles/<int:throttle_id>/lift", methods=["POST"])
@requires("users.manage")
def lift_throttle(throttle_id):
    lifted = throttle.lift(db.session, throttle_id)
    if lifted is not None:
        flash(_("The wait is lifted: %(key)s may sign in again.", key=lifted.key), "success")
    return redirect(url_for("core.users"))


def _render_user_form(errors: dict, status: int, user_id: int | None = None):
    return render_template(
        "core/user_form.html",
        user=services.get_user(db.session, user_id) if user_id else None,
        form=submitted(),
        errors=placed(errors, USER_FORM_FIELDS),
        roles=ROLES,
        outlets=pickers.outlet_choices(db.session),
    ), status


@bp.route("/admin/users/new")
@requires("users.manage")
def new_user():
    return _render_user_form({}, 200)


@bp.route("/admin/users/new", methods=["POST"])
@requires("users.manage")
@on_refusal(_render_user_form)
def create_user():
    data = form_input(UserFormSchema())
    user = services.create_user(db.session, data["username"], data["display_name"],
                                data["password"], data["roles"], email=data["email"])
    flash(_("User %(name)s created.", name=user.username), "success")
    return redirect(url_for("core.users"))


@bp.route("/admin/users/<int:user_id>")
@requires("users.manage")
def edit_user(user_id):
    return _render_user_form({}, 200, user_id)


@bp.route("/admin/users/<int:user_id>", methods=["POST"])
@requires("users.manage")
@on_refusal(_render_user_form)
def save_user(user_id):
    user = services.get_user(db.session, user_id)
    data = form_input(UserEditFormSchema())
    services.update_profile(db.session, user, data["display_name"], data["email"])
    services.set_roles(db.session, user, data["roles"])
    if data["password"]:
        services.set_password(db.session, user, data["password"])
    flash(_("User %(name)s saved.", name=user.username), "success")
    return redirect(url_for("core.users"))


@bp.route("/admin/users/<int:user_id>/enabled", methods=["POST"])
@requires("users.manage")
def toggle_user(user_id):
    user = services.get_user(db.session, user_id)
    enabled = form_input(UserEnabledFormSchema())["enabled"]
    services.set_enabled(db.session, user, enabled, current_user)
    return redirect(url_for("core.users"))


def _render_tokens(errors: dict, status: int, new_secret: str | None = None):
    g.no_store = True
    return render_template(
        "core/tokens.html",
        tokens=services.list_tokens(db.session, current_user),
        sessions=services.open_sessions(db.session, current_user),
        this_session=services.session_id_of_key(db.session, session.get(SESSION_KEY)),
        new_secret=new_secret,
        errors=placed(errors, TOKEN_FORM_FIELDS),
    ), status


@bp.route("/account/tokens")
@requires("account.self")
def tokens():
    return _render_tokens({}, 200)


@bp.route("/account/tokens", methods=["POST"])
@requires("account.self")
@on_refusal(_render_tokens)
def create_token():
    data = form_input(TokenInSchema(only=("name", "read_only")))
    _token, new_secret = services.create_token(
        db.session, current_user, data["name"], expires_in_days=TOKEN_DAYS,
        read_only=data["read_only"])
    return _render_tokens({}, 200, new_secret)


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


# A customer's phone on a page: in full to those who call customers, masked to the others
# (aftersales/core/privacy.py), as the API shows it.
bp.add_app_template_global(privacy.shown_phone, "shown_phone")
bp.add_app_template_global(privacy.shown_address, "shown_address")


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


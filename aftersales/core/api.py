"""/api/v1: the signed-in user, API tokens, users (admin) and record history."""

from flask_login import current_user
from sqlalchemy import select

from aftersales.core import audit, services
from aftersales.core.auth import requires
from aftersales.core.blueprint import blp
from aftersales.core.models import RoleGrant, User
from aftersales.core.pagination import keyset_page, page_schema
from aftersales.core.schemas import (
    AuditEntrySchema,
    AuditQuerySchema,
    SignInOutSchema,
    TokenCreatedSchema,
    TokenInSchema,
    TokenOutSchema,
    UserInSchema,
    UserOutSchema,
    UserPatchSchema,
    UserQuerySchema,
)
from aftersales.extensions import db


@blp.route("/me")
@blp.response(200, UserOutSchema)
@requires("account.self")
def me():
    return current_user


@blp.route("/tokens")
@blp.response(200, TokenOutSchema(many=True))
@requires("account.self")
def list_tokens():
    return services.list_tokens(db.session, current_user)


@blp.route("/tokens", methods=["POST"])
@blp.arguments(TokenInSchema)
@blp.response(201, TokenCreatedSchema)
@requires("account.self")
def create_token(data):
    token, secret = services.create_token(
        db.session, current_user, data["name"], data["expires_in_days"], data["read_only"]
    )
    token.secret = secret  # shown in this one response, never stored
    return token


@blp.route("/tokens/<int:token_id>", methods=["DELETE"])
@blp.response(204)
@requires("account.self")
def revoke_token(token_id):
    services.revoke_token(db.session, current_user, token_id)


@blp.route("/sessions")
@blp.response(200, SignInOutSchema(many=True))
@requires("account.self")
def list_sessions():
    """Your own signed-in browsers, most recently seen first."""
    return services.open_sessions(db.session, current_user)


@blp.route("/sessions/<int:session_id>", methods=["DELETE"])
@blp.response(204)
@requires("account.self")
def end_session(session_id):
    """Sign one of your browsers out (a phone left signed in somewhere)."""
    services.end_session(db.session, current_user, session_id)


@blp.route("/users")
@blp.arguments(UserQuerySchema, location="query")
@blp.response(200, page_schema(UserOutSchema))
@requires("users.manage")
def list_users(args):
    stmt = select(User)
    if args["role"]:
        stmt = stmt.where(User.grants.any(RoleGrant.role == args["role"]))
    return keyset_page(db.session, stmt, User.id, args["cursor"], args["limit"])


@blp.route("/users", methods=["POST"])
@blp.arguments(UserInSchema)
@blp.response(201, UserOutSchema)
@requires("users.manage")
def create_user(data):
    return services.create_user(db.session, **data)


@blp.route("/users/<int:user_id>")
@blp.response(200, UserOutSchema)
@requires("users.manage")
def get_user(user_id):
    return services.get_user(db.session, user_id)


@blp.route("/users/<int:user_id>", methods=["PATCH"])
@blp.arguments(UserPatchSchema)
@blp.response(200, UserOutSchema)
@requires("users.manage")
def update_user(data, user_id):
    user = services.get_user(db.session, user_id)
    if "roles" in data:
        services.set_roles(db.session, user, data["roles"])
    if "password" in data:
        services.set_password(db.session, user, data["password"])
    if "is_enabled" in data:
        services.set_enabled(db.session, user, data["is_enabled"], current_user)
    return user


@blp.route("/audit")
@blp.arguments(AuditQuerySchema, location="query")
@blp.response(200, page_schema(AuditEntrySchema))
@requires("audit.read")
def record_history(args):
    return audit.record_history(
        db.session, args["record_type"], args["record_id"], args["cursor"], args["limit"]
    )

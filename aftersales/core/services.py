"""Users, role grants, sign-in and API tokens. Functions take a session and values,
flush, and leave the commit to the caller (the request or command boundary)."""

import functools
import hashlib
import re
import secrets
from dataclasses import dataclass
from datetime import datetime, timedelta

from flask_babel import lazy_gettext as _l
from sqlalchemy import select, update
from sqlalchemy.orm import Session
from werkzeug.security import check_password_hash, generate_password_hash

from aftersales.core import geo, throttle
from aftersales.core.audit import label_change
from aftersales.core.audit_statements import BOOKKEEPING
from aftersales.core.clock import to_zone, utcnow
from aftersales.core.errors import Conflict, NotFound, PermissionDenied, ValidationFailed
from aftersales.core.models import ApiToken, RoleGrant, User, UserSession
from aftersales.core.permissions import ROLES
from aftersales.extensions import db

USERNAME_PATTERN = re.compile(r"^[a-z0-9][a-z0-9._-]{2,63}$")
MIN_PASSWORD_LENGTH = 10
TOKEN_PREFIX = "as_"  # noqa: S105 (a marker that makes leaked tokens greppable, not a secret)
TOKEN_TOUCH_INTERVAL = timedelta(minutes=5)


@functools.cache
def _dummy_hash() -> str:
    """Checked against when the username is unknown, so both refusals take the same time;
    made on the first such sign-in, not when the application starts (a scrypt hash)."""
    return generate_password_hash("not-a-real-password")


@dataclass(frozen=True)
class GrantSpec:
    role: str
    outlet_id: int | None = None
    region_code: str | None = None


class LoginRefused(PermissionDenied):
    status = 401


def _check_password(password: str) -> None:
    if len(password) < MIN_PASSWORD_LENGTH:
        raise ValidationFailed(
            _l("Use at least %(count)d characters.", count=MIN_PASSWORD_LENGTH), field="password"
        )


def _grants(specs: list[GrantSpec]) -> list[RoleGrant]:
    if not specs:
        raise ValidationFailed(_l("Give the user at least one role."), field="roles")
    for spec in specs:
        if spec.role not in ROLES:
            raise ValidationFailed(_l("Unknown role %(role)s.", role=spec.role), field="roles")
        if spec.outlet_id is not None and spec.region_code is not None:
            raise ValidationFailed(
                _l("Scope a role to an outlet or a region, not both."), field="roles"
            )
    unique = dict.fromkeys(specs)
    return [
        RoleGrant(role=spec.role, outlet_id=spec.outlet_id, region_code=spec.region_code)
        for spec in unique
    ]


def create_user(
    session: Session,
    username: str,
    display_name: str,
    password: str,
    roles: list[GrantSpec],
    email: str | None = None,
) -> User:
    username = username.strip().lower()
    if not USERNAME_PATTERN.match(username):
        raise ValidationFailed(
            _l("3-64 characters: lower-case letters, digits, dot, dash, underscore."),
            field="username",
        )
    if session.scalar(select(User.id).where(User.username == username)) is not None:
        raise Conflict(_l("The username %(name)s is taken.", name=username), field="username")
    if not display_name.strip():
        raise ValidationFailed(_l("Give the person's name."), field="display_name")
    _check_password(password)
    user = User(
        username=username,
        display_name=display_name.strip(),
        email=email,
        password_hash=generate_password_hash(password),
        grants=_grants(roles),
    )
    session.add(user)
    session.flush()
    return user


def get_user(session: Session, user_id: int) -> User:
    user = session.get(User, user_id)
    if user is None:
        raise NotFound(_l("No such user."))
    return user


def find_user(session: Session, username: str) -> User:
    user = session.scalar(select(User).where(User.username == username.strip().lower()))
    if user is None:
        raise NotFound(_l("No user named %(name)s.", name=username), field="username")
    return user


def users_with_role(session: Session, role: str) -> list[User]:
    """Enabled users holding `role`, by name: pickers such as "assign a technician"."""
    return list(
        session.scalars(
            select(User)
            .where(User.is_enabled, User.grants.any(RoleGrant.role == role))
            .order_by(User.display_name)
        )
    )


def outlet_labels(session: Session, outlet_ids: set[int]) -> dict[int, str]:
    """Outlets for a page of grants as people name them (BJ-01 北京朝阳服务中心), in one
    query."""
    if not outlet_ids:
        return {}
    table = db.metadata.tables["outlets"]
    rows = session.execute(select(table.c.id, table.c.code, table.c.name)
                           .where(table.c.id.in_(outlet_ids)))
    return {key: f"{code} {name}" for key, code, name in rows}


def region_names(session: Session, codes: set[str]) -> dict[str, str]:
    """Names of the regions roles are scoped to (a province's, a city's or a county's
    code), from the city table, in one query; a county, which has no row there, is named
    by the division registry after its city (甲市汉阳区). Only a code nobody knows reads as
    itself."""
    if not codes:
        return {}
    cities = {f"{code[:4]}00" for code in codes}
    table = db.metadata.tables["cities"]
    rows = session.execute(select(table.c.code, table.c.name, table.c.province_code,
                                  table.c.province)
                           .where(table.c.code.in_(codes | cities)
                                  | table.c.province_code.in_(codes)))
    names = {}
    for code, name, province_code, province in rows:
        names[province_code] = province
        names[code] = name
    return {code: names.get(code) or _county_name(code, names) for code in codes}


def _county_name(code: str, names: dict[str, str]) -> str:
    county = geo.division_name(code)
    if county is None:
        return code
    return geo.place_names(names.get(f"{code[:4]}00", ""), county)


def display_names(session: Session, user_ids: set[int]) -> dict[int, str]:
    """Names for a page of records in one query, not one per row."""
    if not user_ids:
        return {}
    rows = session.execute(select(User.id, User.display_name).where(User.id.in_(user_ids)))
    return {key: name for key, name in rows}


def update_profile(session: Session, user: User, display_name: str, email: str | None) -> None:
    if not display_name.strip():
        raise ValidationFailed(_l("Give the person's name."), field="display_name")
    user.display_name, user.email = display_name.strip(), email or None
    session.flush()


def set_password(session: Session, user: User, password: str) -> None:
    """A new password ends every session of the user and revokes every token: whoever
    held the old one holds nothing now."""
    _check_password(password)
    user.password_hash = generate_password_hash(password)
    label_change(session, user, "set_password")
    end_all_sessions(session, user, "password_changed")
    session.flush()


def set_enabled(
    session: Session, user: User, enabled: bool, acting_user: User | None = None
) -> None:
    if not enabled and acting_user is not None and user.id == acting_user.id:
        raise Conflict(_l("You cannot disable your own account."), field="is_enabled")
    if user.is_enabled != enabled:
        user.is_enabled = enabled
        label_change(session, user, "enable" if enabled else "disable")
        if not enabled:
            end_all_sessions(session, user, "disabled")
        session.flush()


def set_roles(session: Session, user: User, roles: list[GrantSpec]) -> None:
    user.grants = _grants(roles)
    session.flush()


def authenticate(session: Session, username: str, password: str, client_address: str,
                 policy: throttle.Policy) -> User:
    """The user, or LoginRefused. Every attempt checks one password hash, known user or
    not, blocked or not, so every answer takes the same time; a blocked username answers
    the same whether it exists. The caller commits even on refusal: failures persist."""
    now = utcnow()
    account, address = throttle.account_key(username), throttle.address_key(client_address)
    user = session.scalar(select(User).where(User.username == username.strip().lower()))
    matches = check_password_hash(user.password_hash if user else _dummy_hash(), password)
    waiting = throttle.blocked_until(session, [account, address], now)
    if waiting is not None:
        raise LoginRefused(_l("Too many failed attempts: try again after %(time)s.",
                              time=to_zone(waiting).strftime("%H:%M")))
    if user is None or not matches:
        throttle.record_failure(session, account, policy.account_failures, policy, now)
        throttle.record_failure(session, address, policy.address_failures, policy, now)
        raise LoginRefused(_l("Wrong username or password."))
    if not user.is_enabled:
        raise LoginRefused(_l("This account is disabled."))
    throttle.clear(session, account)
    return user


# ---------------------------------------------------------------- sessions


def start_session(session: Session, user: User, user_agent: str, client_address: str) -> str:
    """A new signed-in session; returns the key the cookie carries (only its hash kept)."""
    key = secrets.token_urlsafe(32)
    session.add(UserSession(user_id=user.id, key_hash=_digest(key),
                            user_agent=(user_agent or "")[:200],
                            client_address=(client_address or "")[:45]))
    session.flush()
    return key


def session_user(session: Session, user_ref: str, key: str | None) -> User | None:
    """The user of a live session: the cookie's user, its session key still open, the
    account enabled."""
    user_id, _, _fingerprint = user_ref.partition(":")
    if not user_id.isdigit() or not key:
        return None
    live = session.scalar(select(UserSession).where(
        UserSession.key_hash == _digest(key), UserSession.ended_at.is_(None)))
    if live is None or live.user_id != int(user_id):
        return None
    user = session.get(User, live.user_id)
    if user is None or not user.is_enabled:
        return None
    now = utcnow()
    if now - live.last_seen_at > TOKEN_TOUCH_INTERVAL:
        session.execute(update(UserSession).where(UserSession.id == live.id)
                        .values(last_seen_at=now).execution_options(**BOOKKEEPING))
    return user


def end_session_by_key(session: Session, key: str | None, reason: str = "sign_out") -> None:
    if key:
        live = session.scalar(select(UserSession).where(
            UserSession.key_hash == _digest(key), UserSession.ended_at.is_(None)))
        if live is not None:
            _end(live, reason)
            session.flush()


def end_session(session: Session, user: User, session_id: int) -> UserSession:
    """One of the user's own sessions, ended from another (a phone left signed in)."""
    live = session.get(UserSession, session_id)
    if live is None or live.user_id != user.id:
        raise NotFound(_l("No such session of yours."))
    if live.ended_at is None:
        _end(live, "ended_by_user")
        session.flush()
    return live


def end_all_sessions(session: Session, user: User, reason: str) -> None:
    """Every session of the user ends and every token is revoked."""
    now = utcnow()
    for live in session.scalars(select(UserSession).where(
            UserSession.user_id == user.id, UserSession.ended_at.is_(None))):
        _end(live, reason, now)
    for token in session.scalars(select(ApiToken).where(
            ApiToken.user_id == user.id, ApiToken.revoked_at.is_(None))):
        token.revoked_at = now
        label_change(session, token, "revoke")
    session.flush()


def _end(live: UserSession, reason: str, now: datetime | None = None) -> None:
    live.ended_at, live.ended_reason = now or utcnow(), reason


def session_id_of_key(session: Session, key: str | None) -> int | None:
    if not key:
        return None
    return session.scalar(select(UserSession.id).where(UserSession.key_hash == _digest(key)))


def open_sessions(session: Session, user: User) -> list[UserSession]:
    return list(session.scalars(
        select(UserSession).where(UserSession.user_id == user.id,
                                  UserSession.ended_at.is_(None))
        .order_by(UserSession.last_seen_at.desc())))


def _digest(secret: str) -> str:
    return hashlib.sha256(secret.encode()).hexdigest()


def create_token(
    session: Session, user: User, name: str, expires_in_days: int | None,
    read_only: bool = False,
) -> tuple[ApiToken, str]:
    """The token and its secret; only the secret's SHA-256 is kept."""
    if not name.strip():
        raise ValidationFailed(_l("Name the token after where it is used."), field="name")
    secret = TOKEN_PREFIX + secrets.token_urlsafe(32)
    expires_at = utcnow() + timedelta(days=expires_in_days) if expires_in_days else None
    token = ApiToken(
        user=user,
        name=name.strip(),
        prefix=secret[:10],
        token_hash=_digest(secret),
        expires_at=expires_at,
        read_only=read_only,
    )
    session.add(token)
    session.flush()
    return token, secret


def list_tokens(session: Session, user: User) -> list[ApiToken]:
    return list(
        session.scalars(
            select(ApiToken).where(ApiToken.user_id == user.id).order_by(ApiToken.id.desc())
        )
    )


def revoke_token(session: Session, user: User, token_id: int) -> ApiToken:
    token = session.get(ApiToken, token_id)
    if token is None or token.user_id != user.id:
        raise NotFound(_l("No such token of yours."))
    if token.revoked_at is None:
        token.revoked_at = utcnow()
        label_change(session, token, "revoke")
        session.flush()
    return token


def token_for_secret(session: Session, secret: str) -> ApiToken | None:
    token = session.scalar(select(ApiToken).where(ApiToken.token_hash == _digest(secret)))
    now = utcnow()
    if token is None or token.revoked_at is not None:
        return None
    if token.expires_at is not None and token.expires_at <= now:
        return None
    if not token.user.is_enabled:
        return None
    if token.last_used_at is None or now - token.last_used_at > TOKEN_TOUCH_INTERVAL:
        # Use is bookkeeping, not a change worth an audit entry per call.
        session.execute(update(ApiToken).where(ApiToken.id == token.id)
                        .values(last_used_at=now).execution_options(**BOOKKEEPING))
    return token

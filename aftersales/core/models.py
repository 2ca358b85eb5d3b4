"""Users, role grants, API tokens, the audit trail and the scheduler lease."""

from datetime import datetime

from flask_login import UserMixin
from sqlalchemy import (
    BigInteger,
    CheckConstraint,
    ForeignKey,
    Index,
    Integer,
    String,
    Text,
    UniqueConstraint,
    event,
)
from sqlalchemy.orm import Mapped, mapped_column, relationship

from aftersales.core.clock import utcnow
from aftersales.core.permissions import ROLES
from aftersales.core.types import UTCDateTime
from aftersales.extensions import db

_ROLE_LIST = ", ".join(f"'{role}'" for role in ROLES)


class Audited:
    """Mixin: every insert, update and delete of the model writes an audit entry.

    Columns named in __audit_redacted__ are recorded as changed but never with their value.
    """

    __audit_redacted__: frozenset[str] = frozenset()


def _ignore(*_args) -> None:
    return None


@event.listens_for(Audited, "mapper_configured", propagate=True)
def _keep_replaced_values(mapper, class_) -> None:
    """An audit entry needs the value a change replaced, even when that value had
    expired after a commit: active history loads it before it is overwritten."""
    for attr in mapper.column_attrs:
        event.listen(getattr(class_, attr.key), "set", _ignore, active_history=True)


class User(Audited, UserMixin, db.Model):
    __tablename__ = "users"
    __audit_redacted__ = frozenset({"password_hash"})

    id: Mapped[int] = mapped_column(primary_key=True)
    username: Mapped[str] = mapped_column(String(64), unique=True)
    display_name: Mapped[str] = mapped_column(String(100))
    email: Mapped[str | None] = mapped_column(String(254))
    password_hash: Mapped[str] = mapped_column(String(256))
    is_enabled: Mapped[bool] = mapped_column(default=True)
    locale: Mapped[str] = mapped_column(String(10), default="zh")
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)

    grants: Mapped[list["RoleGrant"]] = relationship(
        back_populates="user", lazy="selectin", cascade="all, delete-orphan"
    )

    def get_id(self) -> str:
        # The hash fingerprint ends every session once the password changes.
        return f"{self.id}:{self.password_hash[-16:]}"

    @property
    def is_active(self) -> bool:  # Flask-Login refuses disabled users through this
        return self.is_enabled

    @property
    def roles(self) -> frozenset[str]:
        return frozenset(grant.role for grant in self.grants)


class RoleGrant(Audited, db.Model):
    """A role held by a user, for the whole enterprise or scoped to one outlet or region."""

    __tablename__ = "role_grants"
    __table_args__ = (
        CheckConstraint(f"role IN ({_ROLE_LIST})", name="known_role"),
        CheckConstraint(
            "outlet_id IS NULL OR region_code IS NULL", name="one_scope_at_most"
        ),
        UniqueConstraint("user_id", "role", "outlet_id", "region_code", name="uq_role_grant"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("users.id", ondelete="CASCADE"), index=True)
    role: Mapped[str] = mapped_column(String(32))
    outlet_id: Mapped[int | None] = mapped_column(ForeignKey("outlets.id"))
    region_code: Mapped[str | None] = mapped_column(String(12))

    user: Mapped[User] = relationship(back_populates="grants")

    @property
    def is_enterprise_wide(self) -> bool:
        return self.outlet_id is None and self.region_code is None


class ApiToken(Audited, db.Model):
    """A personal API token; only its SHA-256 is stored, the secret is shown once."""

    __tablename__ = "api_tokens"
    __audit_redacted__ = frozenset({"token_hash"})

    id: Mapped[int] = mapped_column(primary_key=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("users.id", ondelete="CASCADE"), index=True)
    name: Mapped[str] = mapped_column(String(100))
    prefix: Mapped[str] = mapped_column(String(16))
    token_hash: Mapped[str] = mapped_column(String(64), unique=True)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    expires_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    last_used_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    revoked_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    # A read-only token reads everything its user may read and changes nothing.
    read_only: Mapped[bool] = mapped_column(default=False)

    user: Mapped[User] = relationship(lazy="joined")


class LoginThrottle(Audited, db.Model):
    """Failed sign-ins counted per username typed (known or not, so the answer reveals
    nothing) and per client address; past a threshold each further failure doubles the
    wait before the next attempt is even checked. Counting is plain SQL (not audited);
    an admin lifting a wait is audited."""

    __tablename__ = "login_throttles"

    id: Mapped[int] = mapped_column(primary_key=True)
    # "account:<username as typed, lower-cased>" or "address:<client address>"
    key: Mapped[str] = mapped_column(String(120), unique=True)
    failures: Mapped[int] = mapped_column(Integer, default=0)
    last_failure_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    blocked_until: Mapped[datetime | None] = mapped_column(UTCDateTime, index=True)


class RateWindow(db.Model):
    """Requests counted per key (a public form and a client address, or a phone number) in
    fixed windows: the key names its window, so a new window starts a new row and old rows
    are only swept, never reset. Plain SQL counting, not audited (no one's record)."""

    __tablename__ = "rate_windows"

    id: Mapped[int] = mapped_column(primary_key=True)
    key: Mapped[str] = mapped_column(String(160), unique=True)  # "<form>:<who>:<window no.>"
    hits: Mapped[int] = mapped_column(Integer, default=0)
    ends_at: Mapped[datetime] = mapped_column(UTCDateTime, index=True)


class UserSession(Audited, db.Model):
    """One signed-in browser. The cookie holds a random key whose SHA-256 is kept here, so
    a session ends on the server: signing out ends it wherever the cookie was copied to,
    and a password change or a disabled account ends every session of the user."""

    __tablename__ = "user_sessions"
    __audit_redacted__ = frozenset({"key_hash"})

    id: Mapped[int] = mapped_column(primary_key=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("users.id", ondelete="CASCADE"), index=True)
    key_hash: Mapped[str] = mapped_column(String(64), unique=True)
    started_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    last_seen_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    ended_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    # sign_out, ended_by_user, password_changed, disabled
    ended_reason: Mapped[str | None] = mapped_column(String(32))
    user_agent: Mapped[str] = mapped_column(String(200), default="")
    client_address: Mapped[str] = mapped_column(String(45), default="")


class AuditEntry(db.Model):
    """One link of the append-only, hash-chained audit trail.

    id is the chain position (1, 2, 3 ...), assigned under the chain-head lock, so a
    gap means a deleted entry. before/after are stored as the exact canonical JSON text
    that was hashed, so verification never depends on how a backend re-serialises JSON.
    """

    __tablename__ = "audit_entries"
    __table_args__ = (
        Index("ix_audit_entries_record", "record_type", "record_id", "id"),
    )

    id: Mapped[int] = mapped_column(BigInteger, primary_key=True, autoincrement=False)
    occurred_at: Mapped[datetime] = mapped_column(UTCDateTime)
    actor_id: Mapped[int | None] = mapped_column(Integer)
    actor_label: Mapped[str] = mapped_column(String(100))
    record_type: Mapped[str] = mapped_column(String(64))
    record_id: Mapped[str] = mapped_column(String(64))
    action: Mapped[str] = mapped_column(String(64))
    before_json: Mapped[str] = mapped_column(Text)
    after_json: Mapped[str] = mapped_column(Text)
    prev_hash: Mapped[str] = mapped_column(String(64))
    hash: Mapped[str] = mapped_column(String(64))


class AuditChainHead(db.Model):
    """The single row every audit writer locks first: it serialises writers (no forks)
    and remembers the last position and hash, so a truncated tail is detected too."""

    __tablename__ = "audit_chain_head"
    __table_args__ = (CheckConstraint("id = 1", name="single_row"),)

    id: Mapped[int] = mapped_column(primary_key=True, autoincrement=False)
    last_seq: Mapped[int] = mapped_column(BigInteger)
    last_hash: Mapped[str] = mapped_column(String(64))


class SchedulerLease(db.Model):
    """Which scheduler process may act, and until when (see aftersales/scheduler.py)."""

    __tablename__ = "scheduler_lease"

    name: Mapped[str] = mapped_column(String(64), primary_key=True)
    holder: Mapped[str] = mapped_column(String(128))
    expires_at: Mapped[datetime] = mapped_column(UTCDateTime)

"""What the customer confirms from their own phone, and the keys that let them: one-time
links (bound to a record, a step and, for a quote, its amount; used once, before they
expire) and one-time codes to the phone on file (to open a record on the portal). Tokens
and codes are kept only as hashes; a code's hash is keyed with the app's secret, so the
six digits cannot be found from a copy of the database. Every act is a row the record's
pages, its record sheet and the evidence providers read as the customer's own.

The customers module keeps these because every module that asks a customer to confirm
something (tickets, complaints) and the portal that takes the confirmation reach it."""

import hashlib
import hmac
import secrets
from collections import defaultdict
from dataclasses import dataclass
from datetime import datetime, timedelta

from flask import current_app
from flask_babel import lazy_gettext as _l
from sqlalchemy import delete, func, select, update
from sqlalchemy.orm import Session

from aftersales.core import settings as core_settings
from aftersales.core.clock import utcnow
from aftersales.core.errors import Conflict
from aftersales.customers.models import (
    AttestationChannel,
    AttestedRecord,
    AttestedStep,
    CustomerAct,
    CustomerCode,
    CustomerLink,
)

__all__ = ["AttestationChannel", "AttestedRecord", "AttestedStep", "CustomerAct",
           "CustomerLink"]

CODE_LIFETIME = timedelta(minutes=10)
CODE_TRIES = 5


class LinkRefused(Conflict):
    """A link that cannot be used, and why: unknown, used, expired, or elsewhere (another
    record or step)."""

    status = 410
    WORDS = {
        "unknown": _l("This link is not one of ours. Ask us for a new one."),
        "used": _l("This link has been used already: each link works once."),
        "expired": _l("This link has expired. Ask us for a new one."),
        "elsewhere": _l("This link is for another record or another step."),
    }

    def __init__(self, reason: str):
        super().__init__(self.WORDS[reason])
        self.reason = reason


def _token_hash(token: str) -> str:
    return hashlib.sha256(token.encode()).hexdigest()


def issue_link(session: Session, *, step: str, record_type: str, record_id: int,
               customer_id: int, channel: str, lifetime: timedelta,
               amount_fen: int | None = None, now: datetime | None = None) -> str:
    """A new one-time link's token (to put in the message; only its hash is stored)."""
    token = secrets.token_urlsafe(24)
    now = now or utcnow()
    session.add(CustomerLink(
        token_hash=_token_hash(token), step=AttestedStep(step),
        record_type=AttestedRecord(record_type), record_id=record_id, customer_id=customer_id,
        channel=AttestationChannel(channel), amount_fen=amount_fen, created_at=now,
        expires_at=now + lifetime))
    session.flush()
    return token


def link_address(token: str) -> str:
    """Where a link's token opens on the portal, as sent to the customer or shown as a QR
    code."""
    return f"{core_settings.platform().public_url}/portal/c/{token}"


@dataclass(frozen=True)
class Milestone:
    """A step of a record as the customer following it sees it: what, and when (None: not
    yet)."""

    label: object  # lazy text
    at: datetime | None


def link_of(session: Session, token: str, now: datetime | None = None) -> CustomerLink:
    """The link a token opens, or LinkRefused saying why it cannot be used (at `now`, given
    only when replaying history: demo data)."""
    link = session.scalar(select(CustomerLink).where(
        CustomerLink.token_hash == _token_hash(token or "")))
    if link is None:
        raise LinkRefused("unknown")
    if link.used_at is not None:
        raise LinkRefused("used")
    if link.expires_at <= (now or utcnow()):
        raise LinkRefused("expired")
    return link


def use_link(session: Session, token: str, *, step: str, record_type: str,
             record_id: int, now: datetime | None = None) -> CustomerLink:
    """Spend the link on the step of the record it was sent for. The spending is one
    conditional UPDATE, so of two uses racing only one gets it."""
    link = link_of(session, token, now)
    if (link.step, link.record_type, link.record_id) != (step, record_type, record_id):
        raise LinkRefused("elsewhere")
    now = now or utcnow()
    spent = session.execute(
        update(CustomerLink)
        .where(CustomerLink.id == link.id, CustomerLink.used_at.is_(None),
               CustomerLink.expires_at > now)
        .values(used_at=now).execution_options(synchronize_session=False))
    if spent.rowcount != 1:
        raise LinkRefused("used")
    session.refresh(link)
    return link


def record_act(session: Session, *, customer_id: int, record_type: str, record_id: int,
               step: str, channel: str, user_agent: str, link_id: int | None = None,
               rating: int | None = None, at: datetime | None = None) -> CustomerAct:
    act = CustomerAct(
        customer_id=customer_id, record_type=AttestedRecord(record_type), record_id=record_id,
        step=AttestedStep(step), channel=AttestationChannel(channel), link_id=link_id,
        rating=rating, at=at or utcnow(), user_agent=(user_agent or "")[:300])
    session.add(act)
    session.flush()
    return act


def acts_of(session: Session, record_type: str, record_ids) -> dict[int, list[CustomerAct]]:
    """Each record's customer acts, oldest first (one query for any number of records)."""
    acts: dict[int, list[CustomerAct]] = defaultdict(list)
    ids = list(record_ids)
    if ids:
        for act in session.scalars(select(CustomerAct).where(
                CustomerAct.record_type == record_type, CustomerAct.record_id.in_(ids))
                .order_by(CustomerAct.at, CustomerAct.id)):
            acts[act.record_id].append(act)
    return acts


# The portal's online services, by the customer acts that show each was used.
ONLINE_SERVICES = {
    "report": frozenset({AttestedStep.REPORT}),
    "follow": frozenset({AttestedStep.TRACK}),
    "confirm": frozenset({AttestedStep.ACCEPT_QUOTE, AttestedStep.CONFIRM_ARRIVAL,
                          AttestedStep.CONFIRM_COMPLETION, AttestedStep.RATE_SERVICE,
                          AttestedStep.ANSWER_SURVEY, AttestedStep.CONFIRM_RESOLUTION}),
    "complain": frozenset({AttestedStep.COMPLAIN}),
}


def acts_between(start: datetime, end: datetime):
    """The customer acts of a period: id, step, channel, when, and the record."""
    return (select(CustomerAct.id, CustomerAct.step, CustomerAct.channel, CustomerAct.at,
                   CustomerAct.record_type, CustomerAct.record_id)
            .where(CustomerAct.at >= start, CustomerAct.at < end))


def first_confirmed_at(record_type: str, step: str, record_id_column):
    """When the customer first confirmed the step of the record in `record_id_column`
    themselves (None if never): a correlated subquery for set-based evidence queries."""
    return (select(func.min(CustomerAct.at))
            .where(CustomerAct.record_type == record_type, CustomerAct.step == step,
                   CustomerAct.record_id == record_id_column)
            .correlate_except(CustomerAct).scalar_subquery())


# ---------------------------------------------------------------- one-time codes


def _code_hash(code_id: int, code: str) -> str:
    key = current_app.config["SECRET_KEY"].encode()
    return hmac.new(key, f"{code_id}:{code}".encode(), hashlib.sha256).hexdigest()


@dataclass(frozen=True)
class IssuedCode:
    id: int
    code: str  # the six digits, for the message only


def issue_code(session: Session, *, record_type: str, record_id: int,
               customer_id: int) -> IssuedCode:
    now = utcnow()
    row = CustomerCode(code_hash="", record_type=AttestedRecord(record_type),
                       record_id=record_id, customer_id=customer_id, created_at=now,
                       expires_at=now + CODE_LIFETIME)
    session.add(row)
    session.flush()
    code = f"{secrets.randbelow(1_000_000):06d}"
    row.code_hash = _code_hash(row.id, code)
    session.flush()
    return IssuedCode(row.id, code)


def redeem_code(session: Session, code_id: int | None, code: str) -> CustomerCode | None:
    """The record a code opens, the code spent; None for a wrong, used or expired code. A
    wrong code counts a try (the caller keeps that count even though it answers a refusal)
    and the code dies after CODE_TRIES."""
    row = session.get(CustomerCode, code_id) if code_id else None
    now = utcnow()
    if row is None or row.used_at is not None or row.expires_at <= now \
            or row.failed_tries >= CODE_TRIES:
        return None
    if not hmac.compare_digest(row.code_hash, _code_hash(row.id, (code or "").strip())):
        session.execute(update(CustomerCode).where(CustomerCode.id == row.id)
                        .values(failed_tries=CustomerCode.failed_tries + 1)
                        .execution_options(synchronize_session=False))
        return None
    spent = session.execute(update(CustomerCode).where(
        CustomerCode.id == row.id, CustomerCode.used_at.is_(None)).values(used_at=now)
        .execution_options(synchronize_session=False))
    return row if spent.rowcount == 1 else None


def sweep_codes(session: Session, now: datetime) -> int:
    """Forget codes a day after they expired (they open nothing by then)."""
    return session.execute(delete(CustomerCode).where(
        CustomerCode.expires_at < now - timedelta(days=1))).rowcount

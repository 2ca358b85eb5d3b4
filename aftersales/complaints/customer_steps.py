"""A complaint as its customer follows it on the portal, and their word on its resolution
from their own phone: the one-time link sent when the complaint is resolved
(services._ask_customer_to_confirm) is spent here, and the answer — accepted with a score,
or not resolved with what is still wrong — goes through the same service the desk uses
(services.confirm: accepted closes, refused reopens with new clocks), stored as the
customer's act."""

import re
from dataclasses import dataclass
from datetime import datetime

from flask_babel import lazy_gettext as _l
from sqlalchemy.orm import Session

from aftersales.complaints import services
from aftersales.complaints.models import Complaint, complaint_number
from aftersales.core.errors import ValidationFailed
from aftersales.core.fields import INT_MAX
from aftersales.customers import attestations
from aftersales.customers import services as customer_services
from aftersales.customers.attestations import AttestedStep, Milestone

_TYPED_NUMBER = re.compile(r"TS\s*0*(\d{1,10})", re.IGNORECASE)


def complaint_id_of_number(typed: str) -> int | None:
    """The id in "TS00000594" or "ts594" (the TS tells it from a work order's number)."""
    match = _TYPED_NUMBER.fullmatch(typed.strip())
    if match is None or not 0 < int(match.group(1)) <= INT_MAX:
        return None
    return int(match.group(1))


def complaint_of(session: Session, number: str, phone: str) -> Complaint | None:
    """The complaint of this number whose customer has this phone, else None."""
    complaint_id = complaint_id_of_number(number)
    complaint = session.get(Complaint, complaint_id) if complaint_id else None
    if complaint is None:
        return None
    return complaint if customer_services.is_customers_phone(
        session, complaint.customer_id, phone) else None


@dataclass(frozen=True)
class Confirmable:
    number: str
    resolution: str
    resolved_at: datetime
    expires_at: datetime


def confirmable(session: Session, link) -> Confirmable:
    """What a resolution link asks the customer to accept (its link already checked)."""
    complaint = session.get(Complaint, link.record_id)
    if link.step != AttestedStep.CONFIRM_RESOLUTION or complaint.state != "resolved":
        raise attestations.LinkRefused("elsewhere")
    return Confirmable(complaint.number, complaint.resolution or "", complaint.resolved_at,
                       link.expires_at)


def confirm(session: Session, token: str, *, complaint_id: int, accepted: bool,
            satisfaction: int | None, feedback: str | None,
            user_agent: str) -> attestations.CustomerAct:
    link = attestations.use_link(session, token, step=AttestedStep.CONFIRM_RESOLUTION,
                                 record_type="complaint", record_id=complaint_id)
    complaint = session.get(Complaint, complaint_id)
    if not accepted and not (feedback or "").strip():
        raise ValidationFailed(_l("Tell us what is still wrong."), field="feedback")
    services.confirm(session, complaint, None, accepted, satisfaction if accepted else None,
                     feedback)
    return attestations.record_act(
        session, customer_id=complaint.customer_id, record_type="complaint",
        record_id=complaint.id, step=AttestedStep.CONFIRM_RESOLUTION, channel=link.channel,
        user_agent=user_agent, link_id=link.id, rating=satisfaction if accepted else None)


@dataclass(frozen=True)
class CustomerView:
    number: str
    summary: str
    milestones: list[Milestone]
    resolution: str
    acts: list


def view_of(session: Session, complaint_id: int) -> CustomerView:
    complaint = session.get(Complaint, complaint_id)
    return CustomerView(
        number=complaint_number(complaint.id), summary=complaint.summary,
        milestones=[Milestone(_l("Received"), complaint.received_at),
                    Milestone(_l("We answered"), complaint.acknowledged_at),
                    Milestone(_l("Resolved"), complaint.resolved_at),
                    Milestone(_l("Closed"), complaint.closed_at)],
        resolution=complaint.resolution or "" if complaint.resolved_at else "",
        acts=attestations.acts_of(session, "complaint", [complaint.id]).get(complaint.id, []),
    )


def record_tracking(session: Session, complaint_id: int, user_agent: str) -> None:
    complaint = session.get(Complaint, complaint_id)
    attestations.record_act(session, customer_id=complaint.customer_id,
                            record_type="complaint", record_id=complaint.id,
                            step=AttestedStep.TRACK, channel="portal_code",
                            user_agent=user_agent)

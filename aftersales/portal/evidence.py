"""The portal's evidence (clause 5.3.1.2, a website with after-sales pages and online
service). Online service: the share of the portal's online services — ask for service,
follow a work order, confirm a step, complain — that customers used in the period, counted
from the acts they made on their own phones (customer_acts); the records are those acts,
each with its step, channel and time and the work order or complaint it was for: grouping
them by step recounts the figure. Published pages: the share of the document kinds
customers must be shown (commitments, warranty, fees, recycling, defect disclosures) with
an approved version in force on the period's last day, which is what the portal shows; the
records are those versions."""

from flask_babel import lazy_gettext as _l
from sqlalchemy import func, select

from aftersales.complaints.labels import complaint_number
from aftersales.core.clock import to_zone
from aftersales.customers import attestations
from aftersales.customers.attestations import ONLINE_SERVICES, AttestedStep, CustomerAct
from aftersales.evidence import services as evidence_services
from aftersales.evidence.compliance.registry import Measure, provider, record_kind, record_names
from aftersales.portal.models import AuthenticityCheck
from aftersales.tickets.labels import ticket_number

STEP_WORDS = AttestedStep.labels()

# The device's user agent stays in the system: an auditor reads it on the record's page.
record_kind("customer_acts", label_zh="顾客本人操作", label_en="Customer's own acts",
            hidden=("user_agent",))
record_names("customer_acts", lambda session, ids: {
    act_id: f"{_record_number(record_type, record_id)} · {STEP_WORDS[step]}"
    for act_id, record_type, record_id, step in session.execute(
        select(CustomerAct.id, CustomerAct.record_type, CustomerAct.record_id,
               CustomerAct.step).where(CustomerAct.id.in_(ids)))})


def _record_number(record_type: str, record_id: int) -> str:
    return ticket_number(record_id) if record_type == "ticket" else complaint_number(record_id)


@provider("portal.online_service", record_type="customer_acts", tables=("customer_acts",))
def online_service(session, period, target):
    acts = attestations.acts_between(period.start, period.end).subquery()
    steps = set(session.scalars(select(func.distinct(acts.c.step))))
    used = sum(1 for service_steps in ONLINE_SERVICES.values() if service_steps & steps)
    return Measure.share(
        used, len(ONLINE_SERVICES),
        records=select(acts.c.id).order_by(acts.c.id.desc()),
        detail=select(acts.c.id, acts.c.step, acts.c.channel, acts.c.at,
                      acts.c.record_type, acts.c.record_id),
    )


# The file stays in the system: the package lists what was shown, by title and version.
record_kind("evidence_document_versions", label_zh="向顾客公开的文件",
            label_en="Documents shown to customers", hidden=("file_key",))
record_names("evidence_document_versions", evidence_services.version_titles)


@provider("portal.published_commitments", record_type="evidence_document_versions",
          tables=("evidence_documents", "evidence_document_versions"))
def published_commitments(session, period, target):
    public = evidence_services.public_document_kinds()
    shown = evidence_services.published_documents(session, period.last_day)
    return Measure.share(
        len({document.kind for document in shown} & public), len(public),
        records=evidence_services.published_versions(document.version_id for document in shown),
    )


record_kind("portal_authenticity_checks", label_zh="防伪查询", label_en="Authenticity checks")
# A look-up is known by when it was made and what it found (it keeps nothing else).
record_names("portal_authenticity_checks", lambda session, ids: {
    check_id: f"{to_zone(at):%Y-%m-%d %H:%M} · {VERDICTS[genuine]}"
    for check_id, at, genuine in session.execute(
        select(AuthenticityCheck.id, AuthenticityCheck.at, AuthenticityCheck.genuine)
        .where(AuthenticityCheck.id.in_(ids)))})
VERDICTS = {True: _l("genuine"), False: _l("none of ours")}


@provider("portal.authenticity_checks", record_type="portal_authenticity_checks",
          tables=("portal_authenticity_checks",))
def authenticity_checks(session, period, target):
    """Clause 5.3.1.1 asks for an authenticity-check channel: the portal's check, used in
    the period (each look-up a record: when, and whether the code was ours)."""
    checks = select(AuthenticityCheck.id).where(AuthenticityCheck.at >= period.start,
                                                AuthenticityCheck.at < period.end)
    count = session.scalar(select(func.count()).select_from(checks.subquery()))
    return Measure(float(count), records=checks.order_by(AuthenticityCheck.id.desc()))


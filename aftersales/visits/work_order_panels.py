"""What return visits show on a work order's page (tickets/registry.py): the answer to the
satisfaction survey the customer was sent, dimension by dimension."""

from sqlalchemy.orm import Session

from aftersales.tickets import registry as ticket_registry
from aftersales.visits import surveys
from aftersales.visits.labels import DIMENSION_LABELS, SURVEY_DIMENSIONS


@ticket_registry.work_order_panel
def satisfaction_survey(session: Session, ticket_id: int) -> ticket_registry.Panel | None:
    survey = surveys.surveys_of_tickets(session, [ticket_id]).get(ticket_id)
    if survey is None:
        return None
    return ticket_registry.Panel("visits/_survey_panel.html", {
        "survey": survey, "dimensions": SURVEY_DIMENSIONS,
        "dimension_labels": DIMENSION_LABELS})

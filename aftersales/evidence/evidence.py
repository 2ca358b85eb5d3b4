"""The evidence engine's own providers, over its registers: improvement actions closed
by their due date (5.1.6.1) and special deductions rectified (5.1.5.2)."""

from sqlalchemy import and_, case, func, or_, select

from aftersales.evidence.compliance.registry import (
    Measure,
    names_by,
    provider,
    record_link,
    record_names,
)
from aftersales.evidence.models import ImprovementAction, SpecialItem

record_link("evidence_improvement_actions", "evidence.actions", "action_id")
record_link("evidence_special_items", "evidence.deductions", "item_id")
record_names("evidence_improvement_actions", names_by(ImprovementAction.title))
record_names("evidence_special_items", names_by(SpecialItem.description))


@provider("evidence.improvement_actions", record_type="evidence_improvement_actions")
def improvement_actions(session, period, target):
    """Actions due in the period (cancelled ones aside): passed when done by the due date."""
    base = and_(ImprovementAction.due_on >= period.first_day,
                ImprovementAction.due_on <= period.last_day,
                ImprovementAction.status != "cancelled")
    on_time = and_(ImprovementAction.status == "done",
                   ImprovementAction.done_on <= ImprovementAction.due_on)
    checked, passed = session.execute(
        select(func.count(), func.count(case((on_time, 1)))).where(base)
    ).one()
    return Measure.share(
        passed, checked,
        records=select(ImprovementAction.id).where(base).order_by(ImprovementAction.id.desc()),
        failing=select(ImprovementAction.id).where(base, ~on_time).order_by(ImprovementAction.id),
    )


@provider("evidence.deductions_rectified", record_type="evidence_special_items")
def deductions_rectified(session, period, target):
    """Special deductions whose rectification fell due in the period (or, without a
    date, raised in it): passed when rectified, and by the date where one was set."""
    base = and_(SpecialItem.kind == "deduction", SpecialItem.status != "void",
                or_(and_(SpecialItem.rectify_by >= period.first_day,
                         SpecialItem.rectify_by <= period.last_day),
                    and_(SpecialItem.rectify_by.is_(None),
                         SpecialItem.raised_on >= period.first_day,
                         SpecialItem.raised_on <= period.last_day)))
    ok = and_(SpecialItem.status == "rectified",
              or_(SpecialItem.rectify_by.is_(None),
                  SpecialItem.rectified_on <= SpecialItem.rectify_by))
    checked, passed = session.execute(
        select(func.count(), func.count(case((ok, 1)))).where(base)
    ).one()
    return Measure.share(
        passed, checked,
        records=select(SpecialItem.id).where(base).order_by(SpecialItem.id.desc()),
        failing=select(SpecialItem.id).where(base, ~ok).order_by(SpecialItem.id),
    )

import json

import pytest
from sqlalchemy import select, update

from aftersales.core.errors import Conflict, ValidationFailed
from aftersales.core.models import AuditChainHead, AuditEntry
from aftersales.evidence.audit import periods
from aftersales.evidence.compliance import engine
from aftersales.evidence.models import FrozenRecord, FrozenSheet, SnapshotClause
from aftersales.extensions import db
from aftersales.tickets.models import Ticket
from tests.evidence.factories import days_ago
from tests.evidence.package_factories import MANAGER, closed_ticket, freeze


def _resolution_metric(snapshot):
    row = db.session.scalar(select(SnapshotClause).where(
        SnapshotClause.snapshot_id == snapshot.id, SnapshotClause.clause_number == "5.2.4.3"))
    return next(c for c in json.loads(row.detail_json)["checks"]
                if c.get("key") == "tickets.resolution_sla")


def _frozen_failing(frozen):
    return set(db.session.scalars(select(FrozenRecord.record_id).where(
        FrozenRecord.period_id == frozen.id, FrozenRecord.provider_key == "tickets.resolution_sla",
        FrozenRecord.failing)))


def test_a_record_edited_after_the_freeze_leaves_the_frozen_figures_as_they_were(app):
    closed_ticket(resolution_met=True)
    late = closed_ticket(resolution_met=False)
    frozen = freeze()
    db.session.execute(update(Ticket).where(Ticket.id == late.id).values(resolution_met=True))
    db.session.commit()
    assert _resolution_metric(engine.compute(db.session))["value"] == 1.0  # the live figure
    assert _resolution_metric(frozen.snapshot)["value"] == 0.5
    assert _frozen_failing(frozen) == {late.id}


def test_the_freeze_keeps_the_audit_chain_head_of_its_moment(app):
    closed_ticket()
    head = db.session.get(AuditChainHead, 1)
    seq, digest = head.last_seq, head.last_hash
    frozen = freeze()
    assert (frozen.chain_seq, frozen.chain_hash) == (seq, digest)


def test_the_frozen_population_is_the_work_orders_closed_in_the_period(app):
    inside = closed_ticket(days=3)
    closed_ticket(days=60)
    frozen = freeze(first=30)
    strata = list(periods.strata(db.session, frozen.id, "tickets"))
    assert [ids for _key, ids in strata] == [[inside.id]]


def test_a_frozen_snapshot_is_not_the_dashboards_latest(app):
    rolling = engine.compute(db.session)
    db.session.commit()
    freeze()
    assert engine.latest(db.session).id == rolling.id


def test_a_period_is_frozen_once(app):
    freeze()
    with pytest.raises(Conflict):
        periods.freeze(db.session, MANAGER, days_ago(30), days_ago(1))


@pytest.mark.parametrize(("first", "last", "field"), [(1, 30, "to"), (3, -1, "to"),
                                                      (1200, 1, "from")])
def test_a_period_must_be_whole_past_and_at_most_three_years(app, first, last, field):
    with pytest.raises(ValidationFailed) as refused:
        periods.freeze(db.session, MANAGER, days_ago(first), days_ago(last))
    assert refused.value.field == field


def test_the_share_is_at_least_ten_percent(app):
    with pytest.raises(ValidationFailed) as refused:
        periods.freeze(db.session, MANAGER, days_ago(30), days_ago(1), share="0.05")
    assert refused.value.field == "share"


def test_every_frozen_sheet_is_in_the_audit_trail_as_written(app):
    for _ in range(3):
        closed_ticket()
    frozen = freeze(share=1)
    sheets = db.session.execute(select(FrozenSheet.record_id, FrozenSheet.data_json).where(
        FrozenSheet.period_id == frozen.id, FrozenSheet.record_type == "tickets")
        .order_by(FrozenSheet.record_id)).all()
    entries = db.session.execute(
        select(AuditEntry.record_id, AuditEntry.action, AuditEntry.after_json)
        .where(AuditEntry.record_type == "evidence_frozen_sheets").order_by(AuditEntry.id)).all()
    assert len(sheets) == 3
    assert [(record_id, action, json.loads(after)) for record_id, action, after in entries] == [
        (f"{frozen.id},tickets,{record_id}", "create",
         {"period_id": frozen.id, "record_type": "tickets", "record_id": record_id,
          "data_json": data})
        for record_id, data in sheets]

import json

import pytest
from sqlalchemy import func, select, update

from aftersales.core.errors import Conflict, ValidationFailed
from aftersales.core.models import AuditChainHead, AuditEntry
from aftersales.evidence.audit import periods, seal
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


def _seal_entry(frozen) -> dict:
    after = db.session.scalar(select(AuditEntry.after_json).where(
        AuditEntry.record_type == "evidence_audit_periods", AuditEntry.action == "seal",
        AuditEntry.record_id == str(frozen.id)))
    return json.loads(after)


def test_what_a_period_froze_is_sealed_in_its_audit_entry(app):
    for _ in range(3):
        closed_ticket()
    frozen = freeze(share=1)
    assert _seal_entry(frozen)["content_sha256"] == seal.digest(db.session, frozen.id)


def test_the_seal_covers_the_frozen_sheets_data(app):
    closed_ticket()
    frozen = freeze(share=1)
    db.session.execute(update(FrozenSheet).where(FrozenSheet.period_id == frozen.id)
                       .values(data_json="{}"))
    assert seal.digest(db.session, frozen.id) != frozen.content_sha256


def test_a_frozen_verdict_turned_afterwards_breaks_the_seal(app):
    closed_ticket(resolution_met=False)
    frozen = freeze()
    db.session.execute(update(FrozenRecord).where(FrozenRecord.period_id == frozen.id)
                       .values(failing=False))
    with pytest.raises(seal.SealBroken):
        seal.check(db.session, frozen)


def test_a_freeze_writes_as_many_audit_entries_for_12_records_as_for_2(app):
    def entries_of_a_freeze(records, first):
        for _ in range(records):
            closed_ticket(days=first - 1)
        before = db.session.scalar(select(func.count()).select_from(AuditEntry))
        freeze(first=first, last=first - 5, share=1)
        return db.session.scalar(select(func.count()).select_from(AuditEntry)) - before

    assert entries_of_a_freeze(2, 30) == entries_of_a_freeze(12, 20)

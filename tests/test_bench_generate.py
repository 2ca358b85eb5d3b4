"""The benchmarks' data generator (tests/bench/generate.py): at a small size, the records it
writes are ones the product reads as its own, in the proportions it promises."""

import pytest
from sqlalchemy import func, select, text

from aftersales.evidence.compliance import engine
from aftersales.extensions import db
from tests.bench import generate
from tests.conftest import csrf_from

SIZE = 0.0005  # 500 work orders, 50 complaints, 250 calls


@pytest.fixture
def generated(app):
    generate.generate(SIZE)
    return app


def _count(sql: str) -> int:
    return db.session.scalar(text(sql))


def test_the_sizes_scale_from_one_enterprise(generated):
    assert _count("SELECT count(*) FROM tickets") == 500
    assert _count("SELECT count(*) FROM complaints") == 50
    assert _count("SELECT count(*) FROM complaint_clocks") == 100
    assert 4 <= _count("SELECT count(*) FROM ticket_stamps") / 500 <= 6


def test_most_work_is_closed_some_cancelled_and_recent_work_still_open(generated):
    states = dict(db.session.execute(
        text("SELECT state, count(*) FROM tickets GROUP BY state")).all())
    assert 0.75 <= states["closed"] / 500 <= 0.95
    assert states.get("cancelled", 0) > 0
    assert sum(states.get(state, 0) for state in ("new", "assigned", "on_site")) > 0


def test_a_generated_database_refuses_a_second_generation(generated):
    with pytest.raises(SystemExit, match="already holds work orders"):
        generate.generate(SIZE)


def test_the_evidence_engine_computes_every_clause_on_it(generated):
    snapshot = engine.compute(db.session, None, kind="full")
    assert snapshot.score is not None


def test_a_generated_manager_opens_the_desk_pages_on_it(generated):
    username = db.session.scalar(select(func.min(text("username"))).select_from(
        text("users")).where(text("username LIKE 'manager%'")))
    client = generated.test_client()
    client.post("/login", data={"username": username, "password": generate.PASSWORD,
                                "csrf_token": csrf_from(client)})
    closed = _count("SELECT min(id) FROM tickets WHERE state = 'closed'")
    for path in ("/tickets", f"/tickets/{closed}", "/complaints/board", "/calls", "/"):
        assert client.get(path).status_code == 200, path


def test_the_complaints_keep_their_clocks_outcomes(generated):
    assert _count(
        "SELECT count(*) FROM complaints AS c"
        " JOIN complaint_clocks AS response ON response.complaint_id = c.id"
        "  AND response.kind = 'response'"
        " JOIN complaint_clocks AS resolution ON resolution.complaint_id = c.id"
        "  AND resolution.kind = 'resolution'"
        " WHERE c.first_response_met IS DISTINCT FROM response.met"
        "  OR c.first_response_seconds IS DISTINCT FROM response.elapsed_seconds"
        "  OR c.resolution_met IS DISTINCT FROM resolution.met"
        "  OR c.resolution_seconds IS DISTINCT FROM resolution.elapsed_seconds") == 0


def test_the_complaints_keep_their_customers_previous_complaint(generated):
    assert _count(
        "SELECT count(*) FROM (SELECT previous_received_at, lag(received_at) OVER"
        " (PARTITION BY customer_id ORDER BY received_at, id) AS previous FROM complaints)"
        " AS ordered WHERE previous_received_at IS DISTINCT FROM previous") == 0

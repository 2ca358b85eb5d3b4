"""The pages read snapshots; forms explain refusals beside their fields."""

import io
from datetime import timedelta

from sqlalchemy import func, select

from aftersales.core.clock import utcnow
from aftersales.evidence.compliance import engine
from aftersales.evidence.models import ImprovementAction, Snapshot
from aftersales.extensions import db
from tests.conftest import csrf_from
from tests.evidence.factories import PDF, make_action, make_document, snapshot
from tests.factories import make_user


def manager(sign_in):
    make_user("manager", username="lijing")
    return sign_in("lijing")


def test_the_dashboard_reads_the_snapshot_and_never_recomputes(client, sign_in, monkeypatch):
    make_action(due_days_ago=3, done_days_ago=1)
    shot = snapshot()
    manager(sign_in)

    def refuse(*_args):
        raise AssertionError("a provider ran on a page load")

    monkeypatch.setattr(engine, "evaluate_metric", refuse)
    monkeypatch.setattr(engine, "compute", refuse)
    html = client.get("/evidence").get_data(as_text=True)
    assert f"{float(shot.score):.2f}" in html and 'id="clause-5.1.6.1"' in html
    assert db.session.scalar(select(func.count()).select_from(Snapshot)) == 1


def test_the_dashboard_without_a_snapshot_says_how_to_get_one(client, sign_in):
    manager(sign_in)
    response = client.get("/evidence")
    assert response.status_code == 200 and 'action="/evidence/recompute"' in response.get_data(
        as_text=True)


def test_the_clause_page_links_the_failing_records(client, sign_in):
    late = make_action(due_days_ago=3, done_days_ago=1)
    snapshot()
    manager(sign_in)
    html = client.get("/evidence/clauses/5.1.6.1").get_data(as_text=True)
    assert f"/evidence/actions?action_id={late.id}" in html


def test_the_clause_page_says_when_its_records_were_counted_again(client, sign_in):
    make_action(due_days_ago=3, done_days_ago=1)
    snapshot()
    later = make_action(due_days_ago=4, done_days_ago=2)
    manager(sign_in)
    html = client.get("/evidence/clauses/5.1.6.1").get_data(as_text=True)
    assert f"/evidence/actions?action_id={later.id}" in html and 'id="recounted-1"' in html


def test_the_clause_page_counts_again_only_when_the_records_changed(client, sign_in):
    make_action(due_days_ago=3, done_days_ago=1)
    snapshot()
    manager(sign_in)
    assert 'id="recounted-' not in client.get("/evidence/clauses/5.1.6.1").get_data(
        as_text=True)


def test_an_auditor_reads_but_sees_no_forms(client, sign_in):
    make_user("auditor", username="wuhao")
    sign_in("wuhao")
    html = client.get("/evidence/rubric").get_data(as_text=True)
    assert 'name="points"' not in html
    assert client.get("/evidence/documents").status_code == 200


def test_the_register_marks_the_versions_published_on_the_portal(client, sign_in):
    _commitments, shown = make_document(kind="service_commitments")
    _budget, kept = make_document(kind="budget")
    manager(sign_in)
    html = client.get("/evidence/documents").get_data(as_text=True)
    rows = {version.id: html.split(f'href="/evidence/versions/{version.id}/file"')[0]
            .rsplit("<tr", 1)[1] for version in (shown, kept)}
    assert "published" in rows[shown.id] and "published" not in rows[kept.id]


def test_an_agent_may_not_open_the_dashboard(client, sign_in):
    make_user("agent", username="zhangmin")
    sign_in("zhangmin")
    assert client.get("/evidence").status_code == 403


def test_a_manager_uploads_a_version_from_the_page(client, sign_in):
    document, _ = make_document(approve=False)
    manager(sign_in)
    token = csrf_from(client, "/evidence/documents")
    response = client.post(
        f"/evidence/documents/{document.id}/versions",
        data={"csrf_token": token, "version": "V2", "effective_on": "2026-11-01",
              "file": (io.BytesIO(PDF), "v2.pdf")},
        content_type="multipart/form-data",
    )
    assert response.status_code == 302


def test_a_file_that_is_not_a_document_is_explained_beside_the_field(client, sign_in):
    document, _ = make_document()
    manager(sign_in)
    token = csrf_from(client, "/evidence/documents")
    response = client.post(
        f"/evidence/documents/{document.id}/versions",
        data={"csrf_token": token, "version": "V2", "effective_on": "2026-11-01",
              "file": (io.BytesIO(b"GIF89a not accepted"), "v2.pdf")},
        content_type="multipart/form-data",
    )
    assert response.status_code == 422
    assert 'id="e-file"' in response.get_data(as_text=True)


def test_a_bad_due_date_is_explained_not_a_500(client, sign_in):
    manager(sign_in)
    token = csrf_from(client, "/evidence/actions")
    response = client.post("/evidence/actions", data={
        "csrf_token": token, "title": "整改", "source": "audit", "owner_name": "王",
        "due_on": "next week"})
    assert response.status_code == 422
    assert db.session.scalar(select(func.count()).select_from(ImprovementAction)) == 0


def test_a_manager_excludes_a_clause_from_the_rubric_page(client, sign_in):
    manager(sign_in)
    token = csrf_from(client, "/evidence/rubric")
    response = client.post("/evidence/rubric/clauses/5.2.5.5", data={
        "csrf_token": token, "points": "1", "applicable": "no", "na_reason": "",
    })
    assert response.status_code == 422
    response = client.post("/evidence/rubric/clauses/5.2.5.5", data={
        "csrf_token": token, "points": "1", "applicable": "no", "na_reason": "非贸易型企业",
    })
    assert response.status_code == 302
    assert "非贸易型企业" in client.get("/evidence/rubric").get_data(as_text=True)


def test_every_evidence_page_opens(client, sign_in):
    snapshot()
    manager(sign_in)
    for path in ("/evidence", "/evidence/clauses/5.3.1.1", "/evidence/documents",
                 "/evidence/actions", "/evidence/deductions", "/evidence/attestations",
                 "/evidence/rubric"):
        assert client.get(path).status_code == 200, path
    assert client.get("/evidence/clauses/9.9.9").status_code == 404


def test_the_trend_is_drawn_on_a_dated_axis_with_its_table(client, sign_in):
    for days_ago in (3, 0):
        snapshot(now=utcnow() - timedelta(days=days_ago))
    manager(sign_in)
    html = client.get("/evidence").get_data(as_text=True)
    assert '<svg class="chart chart-line-chart"' in html and 'class="chart-axis chart-x"' in html
    assert html.count("<tr><td>") >= 2  # one row a day in the table beside the drawing


def test_the_trend_of_a_single_snapshot_says_it_needs_a_second(client, sign_in):
    snapshot()
    manager(sign_in)
    html = client.get("/evidence").get_data(as_text=True)
    assert '<p class="empty chart-empty">' in html and "chart-line-chart" not in html


def test_the_clause_page_names_records_as_people_do(client, sign_in):
    late = make_action(due_days_ago=3, done_days_ago=1, title="整改派工时段")
    snapshot()
    manager(sign_in)
    html = client.get("/evidence/clauses/5.1.6.1").get_data(as_text=True)
    assert f"#{late.id}" not in html and "整改派工时段</a>" in html


def test_a_failing_call_opens_the_call_log_at_that_call(client, sign_in):
    from tests.calls.factories import make_missed

    missed = make_missed(queued=utcnow() - timedelta(days=1))
    snapshot()
    manager(sign_in)
    html = client.get("/evidence/clauses/5.3.1.1").get_data(as_text=True)
    assert f'href="/calls?call={missed.id}"' in html and "/api/" not in html


def test_no_record_a_clause_counts_links_to_the_api(app):
    """Every drill-down from a clause page lands on a page people read, never on JSON."""
    from aftersales.evidence.compliance import registry
    from aftersales.evidence.views import record_url

    kinds = {provider.record_type for provider in registry.registered().values()} | {"outlets"}
    with app.test_request_context():
        links = {kind: record_url(kind, 1) for kind in kinds}
    assert [kind for kind, url in links.items() if url and url.startswith("/api/")] == []

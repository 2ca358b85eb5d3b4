"""The audit periods page: freezing, exporting, cancelling, downloading."""

from sqlalchemy import func, select

from aftersales import scheduler
from aftersales.evidence.models import AuditPeriod, FreezeRequest, PackageExport
from aftersales.extensions import db
from tests.conftest import csrf_from
from tests.evidence.factories import days_ago
from tests.factories import make_user


def signed_in(sign_in, role="manager"):
    make_user(role, username=f"{role}1")
    return sign_in(f"{role}1")


def freeze_form(client, **values):
    form = {"from": str(days_ago(30)), "to": str(days_ago(1)), "share": "10", "seed": "",
            "csrf_token": csrf_from(client, "/evidence/periods"), **values}
    return client.post("/evidence/periods", data=form)


def freeze_by_scheduler(app):
    job = next(job for job in scheduler.REGISTRY if job.id == "evidence.freeze_periods")
    scheduler.run_job(app, job, "host-a:1")


def test_a_freeze_asked_for_on_the_page_shows_as_queued(client, sign_in):
    signed_in(sign_in)
    response = freeze_form(client, seed="99")
    assert response.status_code == 302
    request_id = db.session.scalar(select(FreezeRequest.id))
    html = client.get("/evidence/periods").get_data(as_text=True)
    assert f'id="freeze-{request_id}"' in html and 'data-status="queued"' in html


def test_the_frozen_period_replaces_its_request_on_the_page(client, sign_in, app):
    signed_in(sign_in)
    freeze_form(client, seed="99")
    freeze_by_scheduler(app)
    period_id = db.session.scalar(select(AuditPeriod.id))
    html = client.get("/evidence/periods").get_data(as_text=True)
    assert f'id="period-{period_id}"' in html and ">99<" in html
    assert 'id="freeze-' not in html


def test_a_failed_freeze_shows_why(client, sign_in, app):
    signed_in(sign_in)
    freeze_form(client)
    request = db.session.scalar(select(FreezeRequest))
    request.status, request.error = "failed", "OperationalError: the database went away"
    db.session.commit()
    html = client.get("/evidence/periods").get_data(as_text=True)
    assert "the database went away" in html


def test_a_period_ending_in_the_future_is_refused_beside_the_field(client, sign_in):
    signed_in(sign_in)
    response = freeze_form(client, to=str(days_ago(-3)))
    html = response.get_data(as_text=True)
    assert response.status_code == 422 and 'id="e-to"' in html
    assert db.session.scalar(select(func.count()).select_from(AuditPeriod)) == 0


def test_a_share_below_ten_percent_is_refused_beside_the_field(client, sign_in):
    signed_in(sign_in)
    response = freeze_form(client, share="5")
    assert response.status_code == 422 and 'id="e-share"' in response.get_data(as_text=True)


def test_an_auditor_sees_no_freeze_form_but_may_export(client, sign_in, app):
    signed_in(sign_in)
    freeze_form(client)
    freeze_by_scheduler(app)
    client.post("/logout", data={"csrf_token": csrf_from(client, "/evidence/periods")})
    signed_in(sign_in, "auditor")
    html = client.get("/evidence/periods").get_data(as_text=True)
    assert 'action="/evidence/periods"' not in html
    period_id = db.session.scalar(select(AuditPeriod.id))
    response = client.post(f"/evidence/periods/{period_id}/exports",
                           data={"csrf_token": csrf_from(client, "/evidence/periods")})
    assert response.status_code == 302
    assert db.session.scalar(select(PackageExport.status)) == "queued"


def test_an_admin_may_not_download_packages(client, sign_in):
    signed_in(sign_in, "admin")
    assert client.get("/evidence/exports/1/download").status_code == 403


def test_a_command_line_export_is_listed_without_a_download(client, sign_in, app, tmp_path):
    out = tmp_path / "for-the-auditor.zip"
    result = app.test_cli_runner().invoke(args=[
        "evidence", "export", "--from", str(days_ago(30)), "--to", str(days_ago(1)),
        "--out", str(out)])
    assert result.exit_code == 0, result.output
    signed_in(sign_in)
    html = client.get("/evidence/periods").get_data(as_text=True)
    assert "for-the-auditor.zip" in html and "/download" not in html

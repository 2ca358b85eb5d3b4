"""/api/v1/evidence/periods, /freezes and /exports through HTTP."""

from aftersales import scheduler
from tests.evidence.factories import days_ago
from tests.evidence.package_factories import tickets_in_two_outlets
from tests.factories import bearer, make_token, make_user


def headers(role="manager"):
    return bearer(make_token(make_user(role)))


def period_body(**values):
    return {"first_day": str(days_ago(30)), "last_day": str(days_ago(1)), **values}


def run(app, job_id):
    scheduler.run_job(app, next(job for job in scheduler.REGISTRY if job.id == job_id),
                      "host-a:1")


def frozen_through_api(client, app, **values) -> dict:
    """A period asked for through the API and frozen by the scheduler: the period."""
    request = client.post("/api/v1/evidence/periods", json=period_body(**values),
                          headers=headers())
    run(app, "evidence.freeze_periods")
    done = client.get(f"/api/v1/evidence/freezes/{request.json['id']}", headers=headers()).json
    return client.get(f"/api/v1/evidence/periods/{done['period_id']}", headers=headers()).json


def test_a_freeze_asked_for_is_queued_with_its_seed(client):
    response = client.post("/api/v1/evidence/periods", json=period_body(seed=7),
                           headers=headers())
    assert response.status_code == 202, response.json
    assert (response.json["status"], response.json["period_id"]) == ("queued", None)
    assert response.json["sample_seed"] == 7 and response.json["sample_share"] == "0.1000"


def test_the_scheduler_freezes_the_period_with_its_chain_head_and_seed(client, app):
    period = frozen_through_api(client, app, seed=7)
    assert period["sample_seed"] == 7 and period["sample_share"] == "0.1000"
    assert len(period["chain_hash"]) == 64


def test_a_period_being_frozen_is_not_asked_for_twice(client):
    client.post("/api/v1/evidence/periods", json=period_body(), headers=headers())
    again = client.post("/api/v1/evidence/periods", json=period_body(), headers=headers())
    assert again.status_code == 409


def test_a_frozen_period_is_not_asked_for_again(client, app):
    frozen_through_api(client, app)
    again = client.post("/api/v1/evidence/periods", json=period_body(), headers=headers())
    assert again.status_code == 409


def test_an_auditor_may_not_freeze_a_period(client):
    response = client.post("/api/v1/evidence/periods", json=period_body(),
                           headers=headers("auditor"))
    assert response.status_code == 403


def test_a_period_ending_in_the_future_is_refused_naming_the_field(client):
    response = client.post("/api/v1/evidence/periods",
                           json=period_body(last_day=str(days_ago(-2))), headers=headers())
    assert response.status_code == 422
    assert "to" in response.json["errors"]


def test_an_unknown_field_is_refused(client):
    response = client.post("/api/v1/evidence/periods", json=period_body(colour="red"),
                           headers=headers())
    assert response.status_code == 422 and "colour" in response.json["errors"]


def _exported(client, app, role="auditor"):
    tickets_in_two_outlets(4)
    period = frozen_through_api(client, app)
    auth = headers(role)
    export = client.post(f"/api/v1/evidence/periods/{period['id']}/exports", headers=auth)
    return export, auth


def test_an_auditor_asks_for_a_package_and_downloads_it_once_built(client, app):
    export, auth = _exported(client, app)
    assert export.status_code == 202 and export.json["status"] == "queued"
    url = f"/api/v1/evidence/exports/{export.json['id']}"
    assert client.get(f"{url}/package", headers=auth).status_code == 404
    run(app, "evidence.build_packages")
    status = client.get(url, headers=auth).json
    assert status["status"] == "done" and status["steps_done"] == status["steps_total"]
    package = client.get(f"{url}/package", headers=auth)
    assert package.status_code == 200 and package.mimetype == "application/zip"
    assert package.data[:2] == b"PK"


def test_a_second_export_of_a_period_waits_for_the_first(client, app):
    export, auth = _exported(client, app)
    again = client.post(f"/api/v1/evidence/periods/{export.json['period_id']}/exports",
                        headers=auth)
    assert again.status_code == 409


def test_a_queued_export_is_cancelled(client, app):
    export, auth = _exported(client, app)
    response = client.post(f"/api/v1/evidence/exports/{export.json['id']}/cancel", headers=auth)
    assert response.status_code == 200 and response.json["status"] == "cancelled"


def test_only_managers_and_auditors_reach_packages(client, app):
    export, _auth = _exported(client, app)
    for role in ("admin", "agent", "complaint_handler"):
        response = client.get(f"/api/v1/evidence/exports/{export.json['id']}",
                              headers=headers(role))
        assert response.status_code == 403, role

import io
from datetime import timedelta

from aftersales.core.clock import utcnow
from aftersales.extensions import db
from tests.factories import bearer, make_outlet, make_token, make_user
from tests.outlets.factories import load_small_map, outlet_at

PDF = b"%PDF-1.4\n1 0 obj <<>> endobj\ntrailer <<>>\n%%EOF\n"
CONTRACTED = {
    "code": "WH-02", "name": "武汉汉阳授权网点", "kind": "contracted", "province": "湖北省",
    "city": "甲市", "region_code": "420105", "address": "汉阳大道1号",
    "latitude": "30.000000", "longitude": "110.000000", "is_24h": True,
    "service_radius_km": 60, "categories": ["refrigerator", "air_conditioner"],
    "staff_count": 8, "opening_hours": "00:00-24:00",
    "agreement_starts_on": "2026-01-01", "agreement_ends_on": "2027-12-31",
}


def headers(role="manager"):
    return bearer(make_token(make_user(role)))


def test_a_contracted_outlet_is_created_with_its_codes_derived(client):
    load_small_map()
    response = client.post("/api/v1/outlets", json=CONTRACTED, headers=headers())
    assert response.status_code == 201
    body = response.json
    assert (body["city_code"], body["province_code"], body["categories"]) == (
        "420100", "420000", ["air_conditioner", "refrigerator"]
    )


def test_a_contracted_outlet_without_its_agreement_dates_is_refused(client):
    body = {k: v for k, v in CONTRACTED.items() if k != "agreement_ends_on"}
    response = client.post("/api/v1/outlets", json=body, headers=headers())
    assert response.status_code == 422
    assert "agreement_ends_on" in response.json["errors"]


def test_a_city_code_outside_the_reference_is_refused(client):
    load_small_map()
    response = client.post(
        "/api/v1/outlets", json={**CONTRACTED, "city_code": "429900"}, headers=headers()
    )
    assert (response.status_code, list(response.json["errors"])) == (422, ["city_code"])


def test_an_outlet_is_changed_with_patch(client):
    outlet = make_outlet()
    response = client.patch(f"/api/v1/outlets/{outlet.id}",
                            json={"service_radius_km": 120, "is_24h": False}, headers=headers())
    assert (response.status_code, response.json["service_radius_km"]) == (200, 120)


def test_unknown_fields_are_refused(client):
    outlet = make_outlet()
    response = client.patch(f"/api/v1/outlets/{outlet.id}", json={"colour": "red"},
                            headers=headers())
    assert response.status_code == 422


def test_an_agreement_pdf_is_kept_and_served_to_an_auditor(client):
    outlet = make_outlet()
    response = client.put(
        f"/api/v1/outlets/{outlet.id}/agreement",
        data={"file": (io.BytesIO(PDF), "协议.pdf")}, headers=headers(),
        content_type="multipart/form-data",
    )
    assert (response.status_code, response.json["has_agreement_file"]) == (200, True)
    download = client.get(f"/api/v1/outlets/{outlet.id}/agreement", headers=headers("auditor"))
    assert (download.status_code, download.data, download.mimetype) == (
        200, PDF, "application/pdf"
    )


def test_an_agreement_that_is_not_a_document_is_refused(client):
    outlet = make_outlet()
    response = client.put(
        f"/api/v1/outlets/{outlet.id}/agreement",
        data={"file": (io.BytesIO(b"MZ\x90\x00 not a pdf"), "agreement.pdf")},
        headers=headers(), content_type="multipart/form-data",
    )
    assert (response.status_code, list(response.json["errors"])) == (422, ["file"])


def test_an_agent_may_not_download_agreements(client):
    outlet = make_outlet()
    response = client.get(f"/api/v1/outlets/{outlet.id}/agreement", headers=headers("agent"))
    assert response.status_code == 403


def test_the_coverage_figures(client):
    load_small_map()
    outlet_at("420100", 30.0, 110.0, 50, is_24h=False)
    body = client.get("/api/v1/outlets/coverage", query_string={"on": "2026-11-23"},
                      headers=headers()).json
    assert body["cities"] == {"covered": 2, "total": 4, "share": 0.5}
    assert body["cities_24h"] == {"covered": 0, "total": 4, "share": 0.0}
    assert body["meets_target"] is False
    assert body["what_if"][0]["gained_cities"] == ["420100", "420200", "420300"]


def test_coverage_is_for_managers_and_auditors(client):
    assert client.get("/api/v1/outlets/coverage", headers=headers("agent")).status_code == 403
    assert client.get("/api/v1/outlets/coverage", headers=headers("auditor")).status_code == 200


def test_performance_lists_every_outlet_with_its_work_orders(client):
    from tests.factories import make_ticket

    outlet = make_outlet(code="BJ-01")
    make_ticket(outlet_id=outlet.id)
    rows = client.get("/api/v1/outlets/performance", headers=headers()).json
    assert [(row["code"], row["work_orders"], row["satisfaction_100"]) for row in rows] == [
        ("BJ-01", 1, None)
    ]


def test_the_cities_endpoint_lists_the_reference(client):
    load_small_map()
    body = client.get("/api/v1/cities", headers=headers("agent")).json
    assert [city["code"] for city in body] == ["420100", "420200", "420300", "420500"]


def test_a_manager_scoped_to_one_outlet_does_not_see_the_enterprise_coverage(client):
    outlet = make_outlet()
    scoped = bearer(make_token(make_user("manager", outlet_id=outlet.id)))
    assert client.get("/api/v1/outlets/coverage", headers=scoped).status_code == 403


def test_performance_counts_a_work_order_past_due_and_still_open_as_missed(client):
    from aftersales.tickets.models import Ticket
    from tests.factories import make_ticket

    outlet = make_outlet(code="BJ-01")
    late = make_ticket(outlet_id=outlet.id)
    db.session.get(Ticket, late.id).resolution_due_at = utcnow() - timedelta(hours=1)
    make_ticket(outlet_id=outlet.id)  # not due yet: no outcome
    db.session.commit()
    row = client.get("/api/v1/outlets/performance", headers=headers()).json[0]
    assert (row["work_orders"], row["resolution_decided"], row["resolution_met"],
            row["share_met"]) == (2, 1, 0, 0.0)


def test_performance_counts_the_complaints_of_each_outlet(client):
    from tests.complaints.factories import make_complaint

    outlet = make_outlet(code="BJ-01")
    make_outlet(code="SH-01")
    make_complaint(outlet_id=outlet.id, now=utcnow())
    rows = client.get("/api/v1/outlets/performance", headers=headers()).json
    assert [(row["code"], row["complaints"]) for row in rows] == [("BJ-01", 1), ("SH-01", 0)]

import io
import re

from aftersales.extensions import db
from aftersales.outlets.models import Outlet
from tests.conftest import csrf_from
from tests.evidence.factories import records_page, snapshot
from tests.factories import make_outlet, make_ticket, make_user
from tests.outlets.factories import SMALL_MAP, load_small_map, outlet_at

FORM = {
    "code": "HB-09", "name": "甲市服务中心", "kind": "self_operated", "province": "湖北省",
    "city": "甲市", "region_code": "420100", "city_code": "", "address": "人民路1号",
    "latitude": "30.1", "longitude": "110.1", "service_radius_km": "80", "staff_count": "5",
    "opening_hours": "08:30-18:00", "categories": ["refrigerator", "television"],
    "agreement_starts_on": "", "agreement_ends_on": "",
}


def test_a_manager_creates_an_outlet_from_the_form(client, sign_in):
    load_small_map()
    make_user("manager", username="lijing")
    sign_in("lijing")
    token = csrf_from(client, "/outlets/new")
    response = client.post("/outlets/new", data={**FORM, "is_24h": "on", "csrf_token": token})
    assert response.status_code == 302
    outlet = db.session.query(Outlet).filter_by(code="HB-09").one()
    assert (outlet.city_code, outlet.is_24h, outlet.categories) == (
        "420100", True, ["refrigerator", "television"]
    )


def test_a_bad_field_is_shown_next_to_it(client, sign_in):
    make_user("manager", username="lijing")
    sign_in("lijing")
    token = csrf_from(client, "/outlets/new")
    response = client.post("/outlets/new",
                           data={**FORM, "latitude": "north", "csrf_token": token})
    assert response.status_code == 422
    assert 'id="e-latitude"' in response.get_data(as_text=True)


def test_an_agreement_that_is_not_a_document_is_refused_on_the_page(client, sign_in):
    outlet = make_outlet()
    make_user("manager", username="lijing")
    sign_in("lijing")
    token = csrf_from(client, f"/outlets/{outlet.id}/edit")
    data = {**FORM, "code": outlet.code, "region_code": "110100", "csrf_token": token,
            "agreement": (io.BytesIO(b"plain text"), "a.pdf")}
    response = client.post(f"/outlets/{outlet.id}/edit", data=data,
                           content_type="multipart/form-data")
    assert response.status_code == 422
    assert 'id="e-agreement"' in response.get_data(as_text=True)


def test_the_coverage_page_draws_every_city_and_outlet(client, sign_in):
    load_small_map()
    outlet_at("420100", 30.0, 110.0, 50)
    make_user("manager", username="lijing")
    sign_in("lijing")
    html = client.get("/outlets/coverage").get_data(as_text=True)
    assert html.count('class="city ') == 4
    assert html.count('class="outlet"') == 1
    assert 'id="coverage-table"' in html


def test_an_agent_sees_the_outlet_list_but_not_the_coverage(client, sign_in):
    make_outlet(code="BJ-01")
    make_user("agent", username="zhangmin")
    sign_in("zhangmin")
    assert "BJ-01" in client.get("/outlets").get_data(as_text=True)
    assert client.get("/outlets/coverage").status_code == 403


def test_the_outlet_list_filters_by_province(client, sign_in):
    load_small_map((*SMALL_MAP, ("110100", "北京市", 39.9, 116.4)))
    outlet_at("420100", 30.0, 110.0, code="HB-01")
    make_outlet(code="BJ-01")
    make_user("manager", username="lijing")
    sign_in("lijing")
    html = client.get("/outlets", query_string={"province_code": "420000"}).get_data(as_text=True)
    assert "HB-01" in html and "BJ-01" not in html


def test_the_coverage_page_costs_the_same_queries_for_more_outlets(client, sign_in,
                                                                  count_queries):

    load_small_map()
    make_user("manager", username="lijing")
    sign_in("lijing")

    def queries() -> int:
        with count_queries() as statements:
            assert client.get("/outlets/coverage").status_code == 200
        return len(statements)

    outlet_at("420100", 30.0, 110.0)
    one = queries()
    for n in range(5):
        outlet_at("420300", 30.0, 111.0 + n / 100)
    assert queries() == one


def test_every_bad_field_of_the_outlet_form_is_named_at_once(client, sign_in):
    make_user("manager", username="lijing")
    sign_in("lijing")
    token = csrf_from(client, "/outlets/new")
    response = client.post("/outlets/new", data={
        **FORM, "name": " ", "region_code": "4201", "latitude": "95", "staff_count": "-1",
        "categories": ["refrigerator", "fridge"], "csrf_token": token})
    assert response.status_code == 422
    page = response.get_data(as_text=True)
    for name in ("name", "region_code", "latitude", "staff_count", "categories"):
        assert f'id="e-{name}"' in page
    assert 'value="4201"' in page  # what was typed is kept
    assert db.session.query(Outlet).count() == 0


def test_a_date_left_empty_on_the_form_clears_it(client, sign_in):
    from datetime import date

    outlet = make_outlet(agreement_starts_on=date(2026, 1, 1),
                         agreement_ends_on=date(2026, 12, 31))
    make_user("manager", username="lijing")
    sign_in("lijing")
    path = f"/outlets/{outlet.id}/edit"
    response = client.post(path, data={**FORM, "region_code": "110100",
                                       "csrf_token": csrf_from(client, path)})
    assert response.status_code == 302
    db.session.refresh(outlet)
    assert (outlet.name, outlet.agreement_starts_on, outlet.agreement_ends_on) == (
        FORM["name"], None, None)


def test_an_outlet_outside_the_scope_cannot_be_changed_from_the_form(client, sign_in):
    ours, theirs = make_outlet(code="SH-01"), make_outlet(code="BJ-01")
    make_user("manager", username="lijing", outlet_id=ours.id)
    sign_in("lijing")
    token = csrf_from(client, f"/outlets/{ours.id}/edit")
    for data in ({**FORM, "csrf_token": token}, {"csrf_token": token}):
        response = client.post(f"/outlets/{theirs.id}/edit", data=data)
        assert response.status_code == 404
    db.session.refresh(theirs)
    assert theirs.name != FORM["name"]


def test_a_bad_value_on_the_coverage_page_is_named_and_ignored(client, sign_in):
    load_small_map()
    make_user("manager", username="lijing")
    sign_in("lijing")
    response = client.get("/outlets/coverage?on=someday&radius_km=5000")
    assert response.status_code == 422
    assert response.get_data(as_text=True).count('class="field-error"') == 2


def test_a_period_ending_before_it_starts_shows_the_default_period(client, sign_in):
    make_user("manager", username="lijing")
    sign_in("lijing")
    response = client.get("/outlets/performance?from=2026-03-31&to=2026-03-01")
    assert response.status_code == 422
    page = response.get_data(as_text=True)
    assert 'class="field-error"' in page and 'value="2026-03-31"' not in page


def test_performance_charts_the_outlets_with_work_and_tables_them_all(client, sign_in):
    busy = make_outlet(name="朝阳服务中心")
    make_outlet(name="海淀服务中心")
    make_ticket(outlet_id=busy.id)
    make_user("manager", username="lijing")
    sign_in("lijing")
    page = client.get("/outlets/performance").get_data(as_text=True)
    chart = page.split('<svg class="chart chart-bars"')[1].split("</svg>")[0]
    table = page.split('id="performance-table"')[1].split("</details>")[0]
    assert "朝阳服务中心" in chart and "海淀服务中心" not in chart
    assert "朝阳服务中心" in table and "海淀服务中心" in table


def test_performance_says_how_many_work_orders_customers_reported_online(client, sign_in):
    outlet = make_outlet()
    make_ticket(outlet_id=outlet.id)
    for _ in range(3):
        make_ticket(outlet_id=outlet.id, channel="portal")
    make_user("manager", username="lijing")
    sign_in("lijing")
    client.set_cookie("lang", "en")
    page = client.get("/outlets/performance").get_data(as_text=True)
    intake = page.split('id="intake">')[1].split("</p>")[0]
    assert intake.startswith("4 work orders received; 3 of them (75.0%)")
    assert "(3 online)" in page.split('id="performance-table"')[1]


def test_an_auditor_reads_an_outlet_on_its_own_page_without_a_form(client, sign_in):
    outlet = make_outlet(name="武昌服务中心", address="中山路8号")
    make_user("auditor", username="wuhao")
    sign_in("wuhao")
    page = client.get(f"/outlets/{outlet.id}").get_data(as_text=True)
    assert "武昌服务中心" in page and "中山路8号" in page
    assert "<form" not in page.split("<main", 1)[1]


def test_a_manager_goes_from_an_outlet_page_to_its_form(client, sign_in):
    outlet = make_outlet()
    make_user("manager", username="lijing")
    sign_in("lijing")
    assert f"/outlets/{outlet.id}/edit" in client.get(f"/outlets/{outlet.id}").get_data(
        as_text=True)


def test_a_compliance_page_links_an_outlet_to_its_page(app):
    from aftersales.evidence.compliance import registry
    from aftersales.evidence.views import record_url

    registry.load_all()
    with app.test_request_context():
        assert record_url("outlets", 7) == "/outlets/7"


def test_a_compliance_page_links_a_city_to_its_row_of_the_coverage_page(client, sign_in):
    load_small_map()
    outlet_at("420100", 30.0, 110.0)
    snapshot()
    make_user("auditor", username="wuhao")
    sign_in("wuhao")
    clause = client.get(records_page("outlets.city_coverage"))
    links = re.findall(r'href="/outlets/coverage#(\d+)"', clause.get_data(as_text=True))
    coverage = client.get("/outlets/coverage").get_data(as_text=True)
    assert links and all(f'id="{code}"' in coverage for code in links)

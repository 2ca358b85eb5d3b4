"""The complaint pages through the test client: what they show, and that they refuse."""

from datetime import timedelta

from aftersales.complaints import services
from aftersales.core.clock import utcnow
from aftersales.extensions import db
from tests.complaints.factories import make_complaint
from tests.conftest import csrf_from
from tests.factories import make_customer, make_user


def test_the_queue_shows_countdowns_and_a_response_form(client, sign_in):
    make_user("complaint_handler", username="sunli")
    complaint = make_complaint(customer=make_customer(name="韩梅梅"),
                               now=utcnow() - timedelta(hours=2))
    sign_in("sunli")
    page = client.get("/complaints").get_data(as_text=True)
    assert complaint.number in page and "韩梅梅" in page
    assert 'data-due="' in page and "countdown.js" in page
    assert f"/complaints/{complaint.id}/queue-response" in page


def test_the_queue_takes_the_same_queries_for_any_number_of_complaints(client, sign_in,
                                                                       count_queries):
    make_user("complaint_handler", username="sunli")
    sign_in("sunli")

    def queries() -> int:
        with count_queries() as statements:
            assert client.get("/complaints").status_code == 200
        return len(statements)

    make_complaint(now=utcnow() - timedelta(hours=1))
    one = queries()
    for hours in range(2, 8):
        make_complaint(now=utcnow() - timedelta(hours=hours))
    assert queries() == one


def test_responding_from_the_queue_stops_the_response_clock(client, sign_in):
    make_user("complaint_handler", username="sunli")
    complaint = make_complaint(now=utcnow() - timedelta(hours=2))
    sign_in("sunli")
    token = csrf_from(client, "/complaints")
    response = client.post(f"/complaints/{complaint.id}/queue-response",
                           data={"text": "已致电致歉", "csrf_token": token})
    assert response.status_code == 302
    db.session.expire_all()
    assert services.get_complaint(db.session, complaint.id).state == "acknowledged"


def test_a_step_without_its_text_is_explained_beside_the_field(client, sign_in):
    make_user("complaint_handler", username="sunli")
    complaint = make_complaint(now=utcnow() - timedelta(hours=2))
    sign_in("sunli")
    token = csrf_from(client, f"/complaints/{complaint.id}")
    response = client.post(f"/complaints/{complaint.id}/steps",
                           data={"step": "pause", "reason": " ", "csrf_token": token})
    assert response.status_code == 422
    assert 'id="e-reason"' in response.get_data(as_text=True)


def test_a_complaint_is_recorded_from_the_form(client, sign_in):
    make_user("agent", username="zhangmin")
    customer = make_customer(name="李雷")
    sign_in("zhangmin")
    token = csrf_from(client, f"/complaints/new?customer_id={customer.id}")
    response = client.post("/complaints/new", data={
        "customer_id": customer.id, "channel": "social_media", "category": "service_attitude",
        "severity": "serious", "summary": "微博投诉客服态度", "description": "客服挂电话",
        "csrf_token": token})
    assert response.status_code == 302
    page = client.get(response.headers["Location"]).get_data(as_text=True)
    assert "微博投诉客服态度" in page


def test_the_board_and_the_archive_check_are_for_managers(client, sign_in):
    make_user("agent", username="zhangmin")
    sign_in("zhangmin")
    assert client.get("/complaints/board").status_code == 403
    assert client.get("/complaints/archive").status_code == 403


def test_the_board_shows_the_24_hour_response_rate(client, sign_in):
    manager = make_user("manager", username="lijing")
    complaint = make_complaint(now=utcnow() - timedelta(hours=30))
    services.acknowledge(db.session, complaint, manager, "已致歉",
                         now=utcnow() - timedelta(hours=29))
    db.session.commit()
    sign_in("lijing")
    page = client.get("/complaints/board").get_data(as_text=True)
    assert 'id="fig-response-24h">100.0%' in page


def test_all_complaints_are_listed_and_filtered_by_state(client, sign_in):
    manager = make_user("manager", username="lijing")
    answered = make_complaint(summary="已响应的投诉", now=utcnow() - timedelta(hours=3))
    make_complaint(summary="待响应的投诉", now=utcnow() - timedelta(hours=2))
    services.acknowledge(db.session, answered, manager, "已致歉")
    db.session.commit()
    sign_in("lijing")
    page = client.get("/complaints/all?state=acknowledged").get_data(as_text=True)
    assert "已响应的投诉" in page and "待响应的投诉" not in page


def test_the_board_draws_each_breakdown_with_its_table_beside_it(client, sign_in):
    make_user("manager", username="lijing")
    make_complaint(now=utcnow() - timedelta(hours=30))
    sign_in("lijing")
    page = client.get("/complaints/board").get_data(as_text=True)
    assert page.count('<svg class="chart chart-bars"') == 2
    for kind in ("category", "outlet"):
        table = page.split(f'<details class="fold" id="table-{kind}">')[1].split("</details>")[0]
        assert "<table" in table and "<summary>" in table


def test_the_timeline_names_who_took_each_step_by_their_name(client, sign_in):
    handler = make_user("complaint_handler", username="sunli")
    complaint = make_complaint()
    services.add_note(db.session, complaint, handler, "已致电客户")
    db.session.commit()
    sign_in("sunli")
    timeline = client.get(f"/complaints/{complaint.id}").get_data(as_text=True)
    assert handler.display_name in timeline.split("已致电客户")[0].rsplit("<li>", 1)[1]


def test_the_resolve_form_offers_the_improvement_actions_by_their_titles(client, sign_in):
    from tests.evidence.factories import make_action

    handler = make_user("complaint_handler", username="sunli")
    make_action(title="焊点来料检验")
    complaint = make_complaint()
    services.acknowledge(db.session, complaint, handler, "已致电致歉", now=utcnow())
    db.session.commit()
    sign_in("sunli")
    page = client.get(f"/complaints/{complaint.id}").get_data(as_text=True)
    choice = page.split('id="f-improvement_action_id"')[1].split("</select>")[0]
    assert "焊点来料检验" in choice


def test_a_clock_stopped_before_its_target_reads_as_early_not_as_a_negative_time(client,
                                                                                sign_in):
    handler = make_user("complaint_handler", username="sunli")
    complaint = make_complaint(now=utcnow() - timedelta(hours=3))
    services.acknowledge(db.session, complaint, handler, "已致电致歉", now=utcnow())
    db.session.commit()
    sign_in("sunli")
    page = client.get(f"/complaints/{complaint.id}").get_data(as_text=True)
    clocks = page.split('class="list clocks"')[1].split("</table>")[0]
    assert "提前 " in clocks and ">-" not in clocks

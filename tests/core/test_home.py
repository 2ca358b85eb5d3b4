"""The home page shows each role its work now: one figure per tile, scoped like the lists."""

import re
from datetime import date, datetime, time, timedelta

from sqlalchemy import update

from aftersales.complaints.models import Complaint
from aftersales.core.clock import DEFAULT_ZONE, local_today, utcnow
from aftersales.core.home import tiles_for
from aftersales.extensions import db
from aftersales.tickets.models import Ticket
from tests.calls.factories import make_callback, make_missed
from tests.complaints.factories import make_complaint
from tests.evidence.factories import snapshot
from tests.factories import make_outlet, make_ticket, make_user
from tests.training.factories import make_certificate, make_session, make_staff
from tests.visits.factories import make_visit


def tiles(client) -> dict[str, str]:
    html = client.get("/").get_data(as_text=True)
    return dict(re.findall(
        r'<span class="work-title">([^<]+)</span>\s*<strong class="work-figure">([^<]+)</strong>',
        html))


def test_a_dispatcher_sees_the_work_orders_waiting_in_their_outlets(client, sign_in):
    ours, theirs = make_outlet(), make_outlet()
    make_ticket(outlet_id=ours.id)
    make_ticket(outlet_id=ours.id, priority="emergency")
    make_ticket(outlet_id=theirs.id)
    make_user("dispatcher", username="zhaolei", outlet_id=ours.id)
    sign_in("zhaolei")
    assert tiles(client) == {"待派工": "2"}
    assert "其中 1 单为紧急" in client.get("/").get_data(as_text=True)


def test_a_technician_sees_their_open_work_orders(client, sign_in):
    technician = make_user("technician", username="wang")
    ticket = make_ticket()
    db.session.execute(update(Ticket).where(Ticket.id == ticket.id).values(
        technician_id=technician.id, state="assigned"))
    db.session.commit()
    sign_in("wang")
    assert tiles(client) == {"我的未完成工单": "1"}


def test_a_complaint_handler_sees_complaints_past_their_deadline(client, sign_in):
    late, soon = make_complaint(), make_complaint()
    now = utcnow()
    db.session.execute(update(Complaint).where(Complaint.id == late.id)
                       .values(next_due_at=now - timedelta(hours=1)))
    db.session.execute(update(Complaint).where(Complaint.id == soon.id)
                       .values(next_due_at=now + timedelta(hours=2)))
    db.session.commit()
    make_user("complaint_handler", username="sun")
    sign_in("sun")
    assert tiles(client) == {"已超时的投诉": "1"}
    assert "另有 1 件将在 4 小时内到期" in client.get("/").get_data(as_text=True)


def test_a_manager_sees_the_score_of_the_latest_snapshot(client, sign_in):
    shot = snapshot()
    make_user("manager", username="lijing")
    sign_in("lijing")
    assert tiles(client)["合规得分"] == f"{float(shot.score):.1f}"


def figure_linking_to(client, url: str) -> str | None:
    """The figure of the tile that links to `url` (tiles are found by where they lead, so
    the test reads no translated title)."""
    html = client.get("/").get_data(as_text=True)
    found = re.search(rf'<a class="work-tile[^"]*" href="{re.escape(url)}">.*?'
                      r'<strong class="work-figure">([^<]+)</strong>', html, re.S)
    return found.group(1) if found else None


def test_an_agent_sees_the_missed_calls_nobody_has_called_back(client, sign_in):
    make_missed("13900000001", queued=utcnow() - timedelta(hours=3))
    make_callback(make_missed("13900000002", queued=utcnow() - timedelta(hours=2)))
    make_user("agent", username="zhang")
    sign_in("zhang")
    assert figure_linking_to(client, "/calls/callbacks") == "1"


def test_an_agent_sees_the_return_visits_due_in_their_outlets(client, sign_in):
    ours, theirs = make_outlet(), make_outlet()
    make_visit(date(2026, 3, 10), outlet=ours)
    make_visit(date(2026, 3, 11), outlet=theirs)
    make_user("agent", username="zhang", outlet_id=ours.id)
    sign_in("zhang")
    assert figure_linking_to(client, "/visits") == "1"


def test_a_trainer_sees_certificates_expiring_within_90_days_in_their_outlets(client, sign_in):
    ours, theirs = make_outlet(), make_outlet()
    today = local_today()
    make_certificate(make_staff(outlet_id=ours.id), expires_on=today + timedelta(days=89))
    make_certificate(make_staff(outlet_id=ours.id), expires_on=today + timedelta(days=91))
    make_certificate(make_staff(outlet_id=theirs.id), expires_on=today + timedelta(days=10))
    make_user("trainer", username="zhou", outlet_id=ours.id)
    sign_in("zhou")
    assert figure_linking_to(client, "/training/#expiring") == "1"


def test_the_trainer_tile_counts_the_certificates_the_training_overview_lists(client, sign_in):
    today = local_today()
    for days in (10, 59, 61, 89, 91):
        make_certificate(make_staff(), expires_on=today + timedelta(days=days))
    make_user("trainer", username="zhou")
    sign_in("zhou")
    overview = client.get("/training/").get_data(as_text=True).split("<h2>", 1)[1]
    listed = overview.count('href="/training/staff/')
    assert listed == 4
    assert figure_linking_to(client, "/training/#expiring") == str(listed)


def test_a_manager_gets_no_agent_or_trainer_tiles(client, sign_in):
    make_missed("13900000001", queued=utcnow() - timedelta(hours=3))
    make_certificate(make_staff(), expires_on=local_today() + timedelta(days=10))
    make_user("manager", username="lijing")
    sign_in("lijing")
    for agent_or_trainer_page in ("/calls/callbacks", "/visits", "/training/#expiring",
                                  "/training/sessions"):
        assert figure_linking_to(client, agent_or_trainer_page) is None


def test_a_trainer_sees_the_sessions_starting_this_week(client, sign_in):
    monday = local_today() - timedelta(days=local_today().weekday())
    start = datetime.combine(monday, time(9), DEFAULT_ZONE)
    make_session(starts_at=start)
    make_session(starts_at=start + timedelta(days=6))
    make_session(starts_at=start + timedelta(days=7))
    make_session(starts_at=start - timedelta(days=1))
    make_user("trainer", username="zhou")
    sign_in("zhou")
    assert figure_linking_to(client, "/training/sessions") == "2"


def test_each_agent_and_trainer_tile_is_one_query(app, count_queries):
    make_missed("13900000001")
    user = make_user("agent", "trainer", username="zhang")
    assert user.grants  # the roles are loaded at sign-in, before the tiles
    with app.test_request_context(), count_queries() as statements:
        shown = tiles_for(db.session, user)
    assert len(shown) == 4
    assert len(statements) == 4


def test_the_api_tokens_tile_is_offered_to_the_roles_that_run_integrations(client, sign_in):
    make_user("auditor", username="qian")
    sign_in("qian")
    assert 'href="/account/tokens"' in client.get("/").get_data(as_text=True)


def test_the_api_tokens_tile_and_menu_entry_are_not_offered_to_an_agent(client, sign_in):
    make_user("agent", username="zhang")
    sign_in("zhang")
    assert 'href="/account/tokens"' not in client.get("/").get_data(as_text=True)


def test_the_api_tokens_page_stays_open_to_an_agent_for_their_signed_in_browsers(
        client, sign_in):
    make_user("agent", username="zhang")
    sign_in("zhang")
    assert client.get("/account/tokens").status_code == 200


def test_the_roles_name_the_outlet_as_people_name_it(client, sign_in):
    outlet = make_outlet(code="BJ-01", name="北京朝阳服务中心")
    make_user("technician", username="guopeng", outlet_id=outlet.id)
    sign_in("guopeng")
    roles = client.get("/").get_data(as_text=True).split('class="roles"')[1]
    assert "BJ-01 北京朝阳服务中心" in roles


def test_the_roles_name_the_region_not_its_code(client, sign_in):
    from tests.outlets.factories import load_small_map

    load_small_map()
    make_user("dispatcher", username="liuyang", region_code="420100")
    sign_in("liuyang")
    roles = client.get("/").get_data(as_text=True).split('class="roles"')[1]
    assert "甲市" in roles and "420100" not in roles


def test_a_county_scope_is_named_after_its_city_not_shown_as_digits(client, sign_in):
    from tests.outlets.factories import load_small_map

    load_small_map()
    make_user("dispatcher", username="liuyang", region_code="420105")
    sign_in("liuyang")
    roles = client.get("/").get_data(as_text=True).split('class="roles"')[1]
    assert "甲市汉阳区" in roles and "420105" not in roles

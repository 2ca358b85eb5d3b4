"""The home page shows each role its work now: one figure per tile, scoped like the lists."""

import re
from datetime import timedelta

from sqlalchemy import update

from aftersales.complaints.models import Complaint
from aftersales.core.clock import utcnow
from aftersales.extensions import db
from aftersales.tickets.models import Ticket
from tests.complaints.factories import make_complaint
from tests.evidence.factories import snapshot
from tests.factories import make_outlet, make_ticket, make_user


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


def test_an_agent_has_no_work_tiles(client, sign_in):
    make_user("agent", username="zhang")
    sign_in("zhang")
    assert tiles(client) == {}

"""Two outlets and their records, for walking every route as an insider of the other one.

Home is Beijing (HOME-01); away is Shanghai (SH-01). Every role gets one user whose grant
covers home only. Away holds one record of every kind that belongs to an outlet or a
user, and its customer's name, phone and address are markers no home user may ever read.
"""

from dataclasses import dataclass, field

from sqlalchemy import select

from aftersales.complaints import services as complaint_services
from aftersales.core import services as core_services
from aftersales.core.models import UserSession
from aftersales.core.permissions import ROLES, Scope
from aftersales.customers import services as customer_services
from aftersales.extensions import db
from aftersales.notifications import services as notification_services
from aftersales.notifications.models import Notification
from aftersales.tickets import loaners
from aftersales.training import files as training_files
from tests.calls.factories import make_call
from tests.complaints.factories import make_complaint
from tests.factories import (
    home_outlet,
    make_outlet,
    make_serial,
    make_ticket,
    make_user,
    signature_png,
)
from tests.training.factories import make_certificate, make_session, make_staff
from tests.visits.factories import make_visit

SHANGHAI = {"province": "上海市", "city": "上海市", "region_code": "310100",
            "latitude": "31.230000", "longitude": "121.470000",
            "address": "浦东新区世纪大道100号"}

# What only Shanghai's people may read: a home user's answer must never contain them.
AWAY_NAME = "沪客户甲乙"
AWAY_PHONE = "13955550001"
AWAY_ADDRESS = "徐汇区漕溪北路777号"
AWAY_EMPLOYEE = "沪员工丙丁"
PERSONAL_MARKERS = (AWAY_NAME, AWAY_PHONE, AWAY_ADDRESS, AWAY_EMPLOYEE)


@dataclass
class World:
    home_id: int
    away_id: int
    actors: dict[str, object] = field(default_factory=dict)  # role -> a home-only user
    ids: dict[str, int] = field(default_factory=dict)  # URL variable -> an away record's id
    home_customer_id: int = 0  # a customer of home's work, for a write that names one
    serial: str = ""
    sign_in_token: str = ""


def _away_customer():
    customer = customer_services.create_customer(
        db.session, "person", AWAY_NAME, AWAY_PHONE, "上海市", "上海市", AWAY_ADDRESS)
    db.session.commit()
    return customer


def build() -> World:
    home, away = home_outlet(), make_outlet("SH-01", **SHANGHAI)
    world = World(home_id=home.id, away_id=away.id)
    world.actors = {role: make_user(role, username=f"home_{role}", outlet_id=home.id)
                    for role in ROLES}

    customer = _away_customer()
    unit = make_serial(customer=customer)
    world.serial = unit.serial
    part = customer_services.create_part(db.session, unit.product_id, "P-WALL", "压缩机",
                                         "main", 100)
    technician = make_user("technician", username="away_technician", outlet_id=away.id)
    handler = make_user("complaint_handler", username="away_handler", outlet_id=away.id)
    ticket = make_ticket(customer=customer, outlet_id=away.id)
    complaint = make_complaint(customer=customer, ticket_id=ticket.id)
    attachment = complaint_services.attach(db.session, complaint, None, "letter.png",
                                           signature_png())
    call = make_call(number=AWAY_PHONE)  # matched to the customer by the number
    visit = make_visit(outlet=away, customer=customer)
    staff = make_staff(outlet_id=away.id, name=AWAY_EMPLOYEE)
    certificate = make_certificate(staff)
    training = make_session(outlet_id=away.id)
    stored = training_files.store(db.session, signature_png(), "scan.png", "certificate_scan",
                                  None)
    certificate.scan_file_id = stored.id
    loaner = loaners.register_loaner(db.session, Scope(everywhere=True), away.id, "LN-SH-1",
                                     "备用空调", None)
    token, _secret = core_services.create_token(db.session, technician, "phone", 30)
    core_services.start_session(db.session, technician, "phone", "10.0.0.9")
    notification_services.notify(db.session, user_ids=[technician.id], subject="派工",
                                 body="WO", link="/tickets/mine", dedupe_key="walls")
    db.session.commit()

    world.ids = {
        "customer_id": customer.id, "ticket_id": ticket.id, "complaint_id": complaint.id,
        "attachment_id": attachment.id, "call_id": call.id, "visit_id": visit.id,
        "staff_id": staff.id, "certificate_id": certificate.id, "session_id": training.id,
        "file_id": stored.id, "outlet_id": away.id, "user_id": technician.id,
        "token_id": token.id,
        "user_session_id": db.session.scalar(select(UserSession.id).where(
            UserSession.user_id == technician.id)),
        "notification_id": db.session.scalar(select(Notification.id).where(
            Notification.user_id == technician.id)),
        "loaner_id": loaner.id, "handler_id": handler.id, "technician_id": technician.id,
        "product_id": unit.product_id, "part_id": part.id,
    }
    world.sign_in_token = training.sign_in_token
    world.home_customer_id = make_ticket(outlet_id=home.id).customer_id
    return world

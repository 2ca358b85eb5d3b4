"""Record factories: each builds through the real services (validation and audit
included) and flushes; the test decides whether to commit."""

import io
import itertools
from datetime import date, time

import PIL.Image
import PIL.ImageDraw
from sqlalchemy import select

from aftersales.core import services as core_services
from aftersales.customers import services as customer_services
from aftersales.extensions import db
from aftersales.outlets import services as outlet_services

DEFAULT_PASSWORD = "correct-horse-9"
_numbers = itertools.count(1)


def make_user(*roles: str, username: str | None = None, password: str = DEFAULT_PASSWORD,
              outlet_id: int | None = None, region_code: str | None = None, commit=True):
    number = next(_numbers)
    user = core_services.create_user(
        db.session,
        username or f"user{number}",
        f"测试用户{number}",
        password,
        [core_services.GrantSpec(role, outlet_id, region_code) for role in roles or ("agent",)],
    )
    if commit:
        db.session.commit()
    return user


def make_token(user, name="integration", expires_in_days=30) -> str:
    _token, secret = core_services.create_token(db.session, user, name, expires_in_days)
    db.session.commit()
    return secret


def make_outlet(code: str | None = None, region_code="110100", commit=True, **overrides):
    number = next(_numbers)
    values = {
        "code": code or f"T-{number:03d}",
        "name": f"测试网点{number}",
        "kind": "self_operated",
        "province": "北京市",
        "city": "北京市",
        "region_code": region_code,
        "address": "朝阳区建国路1号",
        "latitude": "39.908600",
        "longitude": "116.460000",
        "is_24h": True,
        "service_radius_km": 50,
        **overrides,
    }
    outlet = outlet_services.create_outlet(db.session, **values)
    if commit:
        db.session.commit()
    return outlet


def home_outlet():
    """The outlet work of the tests belongs to unless a test names another."""
    from aftersales.outlets.models import Outlet

    outlet = db.session.scalar(select(Outlet).where(Outlet.code == "HOME-01"))
    return outlet or make_outlet("HOME-01")


def make_slots(outlet, starts=time(9), ends=time(12), capacity=2, weekdays=range(7),
               commit=True):
    """A visit window the outlet takes bookings in, on each of `weekdays` (all by default,
    so a test finds one tomorrow whatever today is)."""
    slots = [outlet_services.add_slot(db.session, outlet.id, weekday, starts, ends, capacity)
             for weekday in weekdays]
    if commit:
        db.session.commit()
    return slots


def make_customer(name="张伟", phone=None, commit=True):
    number = next(_numbers)
    customer = customer_services.create_customer(
        db.session, "person", name, phone or f"139{number:08d}", "北京市", "北京市", "朝阳区1号"
    )
    if commit:
        db.session.commit()
    return customer


def make_product(model_code: str | None = None, warranty_months=12, category="air_conditioner",
                 commit=True):
    number = next(_numbers)
    product = customer_services.create_product(
        db.session, model_code or f"KFR-{number}", f"测试产品{number}", category, warranty_months,
        labour_fee_fen=8000,
    )
    if commit:
        db.session.commit()
    return product


def make_serial(serial: str | None = None, product=None, customer=None,
                sold_on=date(2026, 6, 1), commit=True):
    number = next(_numbers)
    unit = customer_services.register_serial(
        db.session, (product or make_product()).id, serial or f"SN{number:08d}", sold_on,
        customer.id if customer else None,
    )
    if commit:
        db.session.commit()
    return unit


def bearer(secret: str) -> dict[str, str]:
    return {"Authorization": f"Bearer {secret}"}


def make_ticket(customer=None, actor=None, commit=True, **overrides):
    from aftersales.tickets import services as ticket_services

    values = {"type": "repair", "priority": "normal", "description": "空调不制冷", **overrides}
    if values.get("outlet_id") is None:
        values["outlet_id"] = home_outlet().id  # every work order belongs to an outlet
    ticket = ticket_services.open_ticket(
        db.session, actor, customer_id=(customer or make_customer()).id, **values
    )
    if commit:
        db.session.commit()
    return ticket


def signature_png(width=300, height=120) -> bytes:
    """A real PNG, as the signature pad sends: a stroke on white."""
    image = PIL.Image.new("RGB", (width, height), "white")
    PIL.ImageDraw.Draw(image).line([(20, 90), (120, 30), (280, 80)], fill="black", width=4)
    buffer = io.BytesIO()
    image.save(buffer, format="PNG")
    return buffer.getvalue()


def sheet_content(data: dict | None) -> dict | None:
    """A record sheet's data less when it was taken (a minute may turn between two reads)."""
    return None if data is None else {key: value for key, value in data.items()
                                      if key != "as_of"}

from datetime import UTC, datetime, timedelta

from aftersales.complaints import services
from aftersales.extensions import db
from tests.factories import make_customer

# A Monday, 10:00 in Beijing.
T0 = datetime(2026, 11, 2, 2, 0, tzinfo=UTC)


def make_complaint(customer=None, actor=None, now=None, commit=True, calendar=None, **values):
    intake = services.Intake(**{
        "channel": "hotline",
        "category": "repair_quality",
        "severity": "normal",
        "customer_id": (customer or make_customer()).id,
        "summary": "维修后仍不制冷",
        "description": "师傅上门两次，空调仍然不制冷，要求退货。",
        **values,
    })
    complaint = services.open_complaint(db.session, actor, intake, now=now or T0,
                                        calendar=calendar)
    if commit:
        db.session.commit()
    return complaint


def hours(count: float) -> timedelta:
    return timedelta(hours=count)

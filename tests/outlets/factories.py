from sqlalchemy import select

from aftersales.extensions import db
from aftersales.outlets.models import City, Outlet
from tests.factories import make_customer, make_outlet, make_ticket

# A hand-made map: cities on the 110th meridian and the 30th parallel (province 42).
# Geodesic distances (WGS-84, geopy): A (30.00, 110.00) to B (30.45, 110.00) is 49.885 km;
# A to C (30.00, 111.00) is 96.486 km.
SMALL_MAP = (
    ("420100", "甲市", 30.00, 110.00),
    ("420200", "乙市", 30.45, 110.00),
    ("420300", "丙市", 30.00, 111.00),
    ("420500", "丁市", 25.00, 100.00),
)


def load_small_map(rows=SMALL_MAP):
    for code, name, lat, lon in rows:
        db.session.add(City(code=code, name=name, province_code=code[:2] + "0000",
                            province="湖北省", kind="prefecture", latitude=lat, longitude=lon))
    db.session.commit()


def outlet_at(city_code, latitude, longitude, radius_km=10, **values):
    return make_outlet(
        region_code=city_code, city_code=city_code, province="湖北省", city="某市",
        latitude=f"{latitude:.6f}", longitude=f"{longitude:.6f}", service_radius_km=radius_km,
        **values,
    )


def customer_in(city: str, tickets: int = 0, province: str = "湖北省"):
    customer = make_customer()
    customer.province, customer.city = province, city
    db.session.commit()
    # The work belongs to an outlet of the small map (the tests place one first).
    outlet_id = db.session.scalar(select(Outlet.id).order_by(Outlet.id).limit(1))
    for _ in range(tickets):
        make_ticket(customer=customer, outlet_id=outlet_id)
    return customer

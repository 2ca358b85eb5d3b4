from sqlalchemy import select

from aftersales import demo
from aftersales.core.models import User
from aftersales.customers.models import Customer
from aftersales.extensions import db
from aftersales.outlets.models import Outlet
from aftersales.tickets.models import Ticket


def test_the_demo_is_a_network_of_outlets_whose_technicians_sign_in_and_take_local_work():
    """One demo load (it takes most of a minute) checked for everything the boards show."""
    demo.load(db.session)
    technicians = [user for user in db.session.scalars(select(User))
                   if "technician" in user.roles and user.is_enabled and user.password_hash]
    orders = db.session.execute(
        select(Ticket.outlet_id, Customer.city, Outlet.city.label("outlet_city"))
        .join(Customer, Customer.id == Ticket.customer_id)
        .join(Outlet, Outlet.id == Ticket.outlet_id)
    ).all()
    assert len(technicians) >= 6
    assert len({order.outlet_id for order in orders}) >= 4
    # Every demo customer lives in a city with an outlet of its own: the work goes there.
    assert all(order.city == order.outlet_city for order in orders)
    # Each board has something in every state: waiting, on the way, on site, nobody home,
    # called off, done.
    states = set(db.session.scalars(select(Ticket.state).distinct()))
    assert {"new", "assigned", "dispatched", "on_site", "waiting_customer", "cancelled",
            "closed"} <= states

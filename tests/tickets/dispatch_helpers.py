"""Work and crews for the dispatch tests and the dispatcher's browser walk: a job that needs
a certificate, technicians with or without it, based at an outlet of their own."""

from datetime import date

from aftersales.core.models import RoleGrant
from aftersales.extensions import db
from aftersales.training import services as training_services
from tests.factories import make_product, make_serial, make_ticket, make_user
from tests.tickets.stamp_helpers import located_customer
from tests.training.factories import make_certificate, make_staff


def gas_stove_job(serial="GS0001"):
    """A repair of a gas stove, which the rules say needs a gas certificate."""
    training_services.add_rule(db.session, certificate_type="gas", product_category="gas_stove")
    customer = located_customer()
    product = make_product(category="gas_stove")
    make_serial(serial=serial, product=product, customer=customer)
    return make_ticket(customer=customer, serial=serial)


def certified_technician(certificate_expires: date | None = None, certified=True, **grant):
    user = make_user("technician", **grant)
    staff = make_staff(user_id=user.id, name=user.display_name)
    if certified:
        make_certificate(staff, type="gas", expires_on=certificate_expires or date(2030, 1, 1))
    return user


def working_around(outlet, user=None):
    """A technician based at `outlet` (where they set out from) who works for every
    outlet of the Beijing region (so the order of any of them is theirs to open)."""
    user = user or make_user("technician", outlet_id=outlet.id)
    user.grants.append(RoleGrant(role="technician", region_code="110100"))
    db.session.commit()
    return user

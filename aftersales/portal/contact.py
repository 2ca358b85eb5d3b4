"""Who an anonymous portal form is from. The form proves nothing about who typed it, so it
never reads or changes a customer's record: a phone number on file names its customer (who
keeps their name and address), any other phone becomes a new customer with the name typed."""

from flask_babel import gettext as _
from sqlalchemy.orm import Session

from aftersales.customers import services as customer_services


def customer_for(session: Session, name: str, phone: str) -> tuple[int, list[str]]:
    """The customer's id, and the notes for staff the record would not tell them (the name
    typed, when it is not the one on file). `phone` is normalised."""
    customer_id = customer_services.customer_ids_by_phone(session, [phone]).get(phone)
    if customer_id is None:
        customer = customer_services.create_customer(
            session, kind="person", name=name, phone=phone, province="", city="", address="")
        return customer.id, []
    if customer_services.names_of(session, {customer_id})[customer_id] == name:
        return customer_id, []
    return customer_id, [_("Contact named on the portal form: %(name)s.", name=name)]

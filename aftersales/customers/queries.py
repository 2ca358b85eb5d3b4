"""Set-based reads other modules join against, so they count in one query without knowing
the customers' tables: subqueries with named columns."""

from sqlalchemy import Subquery, select

from aftersales.customers.models import Customer, SerialNumber


def customer_places() -> Subquery:
    """(id, province, city) of every customer, as named on the customer."""
    return select(Customer.id, Customer.province, Customer.city).subquery("customer_places")


def customer_contacts() -> Subquery:
    """(id, name, phone) of every customer."""
    return select(Customer.id, Customer.name, Customer.phone).subquery("customer_contacts")


def sold_units() -> Subquery:
    """(id, serial, customer_id, warranty_expires_on) of every sold unit."""
    return select(
        SerialNumber.id, SerialNumber.serial, SerialNumber.customer_id,
        SerialNumber.warranty_expires_on,
    ).subquery("sold_units")

"""Set-based reads other modules join against, so they count in one query without knowing
the customers' tables: subqueries with named columns."""

from sqlalchemy import Select, Subquery, or_, select

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


def customers_matching(term: str) -> Select:
    """Ids of the customers whose phone (either one) or name starts with `term`: prefix
    matches, so each is answered from the index on its column."""
    return select(Customer.id).where(
        or_(
            Customer.phone.startswith(term, autoescape=True),
            Customer.alt_phone.startswith(term, autoescape=True),
            Customer.name.startswith(term, autoescape=True),
        )
    )


def units_with_serial(serial: str) -> Select:
    """The id of the sold unit with this serial number (serials are unique, upper case)."""
    return select(SerialNumber.id).where(SerialNumber.serial == serial.strip().upper())

"""Set-based reads other modules join against, so they count in one query without knowing
the customers' tables: subqueries with named columns."""

from sqlalchemy import Select, Subquery, or_, select

from aftersales.customers.models import Customer, Part, SerialNumber


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
    """Ids of the customers with `term` as their phone (either one) or at the start of their
    name. A whole phone number, not its start: equality is answered from the phone
    indexes on every database, and "13" would name half the customers."""
    return select(Customer.id).where(
        or_(
            Customer.phone == term,
            Customer.alt_phone == term,
            Customer.name.startswith(term, autoescape=True),
        )
    )


def units_with_serial(serial: str) -> Select:
    """The id of the sold unit with this serial number (serials are unique, upper case)."""
    return select(SerialNumber.id).where(SerialNumber.serial == serial.strip().upper())


def part_labels() -> Subquery:
    """(id, code, name) of every spare part, as its number and name are printed."""
    return select(Part.id, Part.code, Part.name).subquery("part_labels")

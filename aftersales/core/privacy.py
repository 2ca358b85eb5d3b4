"""How personal data of customers is shown on every printed sheet, in one place, so that a
work-order sheet, a complaint sheet and whatever comes next mask alike.

The rules (the complaint sheet's, now everyone's): a customer's name is printed in full (the
auditor matches it with the signature and the return visit); the phone keeps enough to
recognise the number, not enough to call it; an address keeps its district, not the street
and door; a home's coordinates are rounded to about a kilometre (a distance to them, worked
out from the stored ones, is printed as it is). Staff are printed in full: who did the work
is what an auditor checks.
"""

from decimal import Decimal

# Where the district (or, without one, the city) ends in a Chinese address: what is kept.
DISTRICT_ENDINGS = ("区", "县", "旗")
CITY_ENDING = "市"
HIDDEN = "****"


def mask_phone(phone: str | None) -> str:
    """138****5678: enough to recognise the number, not enough to call it."""
    phone = (phone or "").strip()
    if len(phone) >= 8:
        return f"{phone[:3]}{HIDDEN}{phone[-4:]}"
    return "*" * max(len(phone) - 2, 0) + phone[-2:] if phone else "—"


def mask_address(address: str | None) -> str:
    """福建省厦门市思明区湖滨南路558号17栋 -> 福建省厦门市思明区****: the district, where
    the work was, without the street and door; an address naming no district or city keeps
    its first third."""
    address = (address or "").strip()
    if not address:
        return "—"
    kept = (_through_first(address, DISTRICT_ENDINGS) or _through_first(address, (CITY_ENDING,))
            or address[: len(address) // 3])
    return address if kept == address else f"{kept}{HIDDEN}"


def _through_first(address: str, endings: tuple[str, ...]) -> str | None:
    found = [address.index(end) for end in endings if end in address]
    return address[: min(found) + 1] if found else None


def coarse_point(latitude: Decimal | float, longitude: Decimal | float) -> str:
    """A home's coordinates to two decimals (about a kilometre): the area, not the door."""
    return f"{float(latitude):.2f}, {float(longitude):.2f}"


def may_contact_customers() -> bool:
    """Whether the user of this request reaches customers (calls, visits) and so sees
    their full phone numbers and address; outside a request (jobs, exports): no."""
    from flask import has_request_context
    from flask_login import current_user

    from aftersales.core.auth import can

    return has_request_context() and can(current_user, "customers.contact")


def shown_phone(phone: str | None) -> str | None:
    if phone is None:
        return None
    return phone if may_contact_customers() else mask_phone(phone)


def shown_address(address: str | None) -> str | None:
    if address is None:
        return None
    return address if may_contact_customers() else mask_address(address)

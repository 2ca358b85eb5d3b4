import calendar
import re
import secrets
from collections import defaultdict
from dataclasses import dataclass
from datetime import date
from decimal import Decimal

from flask_babel import lazy_gettext as _l
from sqlalchemy import or_, select
from sqlalchemy.orm import Session

from aftersales.core.errors import Conflict, NotFound, ValidationFailed
from aftersales.core.pagination import Page, keyset_page
from aftersales.customers import visibility
from aftersales.customers.models import Customer, Part, Product, SerialNumber

MOBILE = re.compile(r"^1[3-9]\d{9}$")
LANDLINE = re.compile(r"^0\d{2,3}-?\d{7,8}$")
# No 0/O or 1/I: the code is read off a label by a customer on the phone.
VERIFICATION_ALPHABET = "ABCDEFGHJKLMNPQRSTUVWXYZ23456789"


def normalise_phone(phone: str, field: str = "phone") -> str:
    compact = re.sub(r"[\s()]", "", phone).removeprefix("+86")
    if not (MOBILE.match(compact) or LANDLINE.match(compact)):
        raise ValidationFailed(
            _l("Not a Chinese mobile (11 digits, 1xx) or landline (0xx-xxxxxxxx) number."),
            field=field,
        )
    return compact


def phone_digits(typed: str) -> str:
    """A typed phone number as its digits, without China's +86 / 0086 prefix: how the
    portal compares what a customer types with the numbers on file."""
    digits = "".join(ch for ch in typed if ch.isdigit())
    for prefix in ("0086", "86"):
        if digits.startswith(prefix) and len(digits) == len(prefix) + 11:
            return digits[len(prefix):]
    return digits


def is_customers_phone(session: Session, customer_id: int, typed: str) -> bool:
    """Whether a typed number is this customer's main or alternative phone, however it
    was spaced or prefixed."""
    digits = phone_digits(typed)
    customer = session.get(Customer, customer_id)
    if not digits or customer is None:
        return False
    return digits in {phone_digits(number) for number in (customer.phone, customer.alt_phone)
                      if number}


def _coordinates(latitude, longitude) -> tuple[Decimal | None, Decimal | None]:
    if (latitude is None) != (longitude is None):
        raise ValidationFailed(_l("Give both latitude and longitude, or neither."), "latitude")
    if latitude is None:
        return None, None
    return Decimal(str(latitude)), Decimal(str(longitude))


def create_customer(
    session: Session,
    kind: str,
    name: str,
    phone: str,
    province: str,
    city: str,
    address: str,
    district: str = "",
    alt_phone: str | None = None,
    latitude=None,
    longitude=None,
) -> Customer:
    latitude, longitude = _coordinates(latitude, longitude)
    customer = Customer(
        kind=kind,
        name=name.strip(),
        phone=normalise_phone(phone),
        alt_phone=normalise_phone(alt_phone, "alt_phone") if alt_phone else None,
        province=province.strip(),
        city=city.strip(),
        district=district.strip(),
        address=address.strip(),
        latitude=latitude,
        longitude=longitude,
    )
    session.add(customer)
    session.flush()
    return customer


def get_customer(session: Session, customer_id: int,
                 seen_by: visibility.Visibility = visibility.EVERYTHING) -> Customer:
    """The customer, if `seen_by` may see them (else 404, as if there were none)."""
    customer = session.get(Customer, customer_id)
    if customer is not None and not seen_by.everything and not session.scalar(
            select(Customer.id).where(Customer.id == customer_id,
                                      seen_by.condition(Customer.id))):
        customer = None
    if customer is None:
        raise NotFound(_l("No such customer."))
    return customer


def lock_customer(session: Session, customer_id: int) -> None:
    """Hold the customer's row until the transaction ends, so writers that place a record
    among the customer's others (a complaint after its predecessor) queue here instead of
    each reading the same neighbours."""
    session.execute(select(Customer.id).where(Customer.id == customer_id).with_for_update())


def _by_id(session: Session, model, ids: set[int | None]) -> dict:
    """Rows of `model` by id, in one query (None among the ids: no row)."""
    wanted = ids - {None}
    if not wanted:
        return {}
    return {row.id: row for row in session.scalars(select(model).where(model.id.in_(wanted)))}


def customers_by_id(session: Session, customer_ids: set[int | None]) -> dict[int, Customer]:
    """The customers of a batch of records (a record sheet masks what it prints)."""
    return _by_id(session, Customer, customer_ids)


def products_by_id(session: Session, product_ids: set[int | None]) -> dict[int, Product]:
    return _by_id(session, Product, product_ids)


def serials_by_id(session: Session, serial_ids: set[int | None]) -> dict[int, SerialNumber]:
    return _by_id(session, SerialNumber, serial_ids)


def categories_of(session: Session, product_ids: set[int]) -> dict[int, str]:
    """Each product's category, in one query."""
    if not product_ids:
        return {}
    return dict(session.execute(select(Product.id, Product.category)
                                .where(Product.id.in_(product_ids))).all())


def product_names(session: Session, product_ids: set[int]) -> dict[int, str]:
    """Products as people name them (燃气热水器 13升 · JSQ25-13E), in one query."""
    rows = session.execute(select(Product.id, Product.name, Product.model_code)
                           .where(Product.id.in_(product_ids))) if product_ids else ()
    return {key: f"{name} · {model}" for key, name, model in rows}


def names_of(session: Session, customer_ids: set[int]) -> dict[int, str]:
    if not customer_ids:
        return {}
    rows = session.execute(
        select(Customer.id, Customer.name).where(Customer.id.in_(customer_ids))
    )
    return {key: name for key, name in rows}


def customer_ids_by_phone(session: Session, phones: list[str]) -> dict[str, int]:
    """The customer each stored phone number (main or alternative) belongs to; when
    several share a number, the most recently created. In chunks of 500 numbers."""
    found: dict[str, int] = {}
    for offset in range(0, len(phones), 500):
        chunk = phones[offset : offset + 500]
        rows = session.execute(
            select(Customer.id, Customer.phone, Customer.alt_phone)
            .where(or_(Customer.phone.in_(chunk), Customer.alt_phone.in_(chunk)))
            .order_by(Customer.id)
        )
        for customer_id, phone, alt_phone in rows:
            for number in (phone, alt_phone):
                if number in chunk:
                    found[number] = customer_id
    return found


def search_customers(session: Session, query: str | None, cursor: str | None, limit: int,
                     seen_by: visibility.Visibility = visibility.EVERYTHING) -> Page:
    """One box for the agent on the phone: the start of a phone number or a name, or a
    serial number of one of the customer's products; only customers `seen_by` may see."""
    stmt = select(Customer).where(seen_by.condition(Customer.id))
    if query:
        term = query.strip()
        by_serial = select(SerialNumber.customer_id).where(SerialNumber.serial == term.upper())
        stmt = stmt.where(
            or_(
                Customer.phone.startswith(term, autoescape=True),
                Customer.alt_phone.startswith(term, autoescape=True),
                Customer.name.startswith(term, autoescape=True),
                Customer.id.in_(by_serial),
            )
        )
    return keyset_page(session, stmt, Customer.id, cursor, limit)


def create_product(
    session: Session,
    model_code: str,
    name: str,
    category: str,
    warranty_months: int,
    labour_fee_fen: int = 0,
    safe_use_years: int | None = None,
) -> Product:
    model_code = model_code.strip().upper()
    if session.scalar(select(Product.id).where(Product.model_code == model_code)):
        raise Conflict(_l("Model %(code)s exists already.", code=model_code), field="model_code")
    product = Product(
        model_code=model_code,
        name=name.strip(),
        category=category.strip(),
        warranty_months=warranty_months,
        labour_fee_fen=labour_fee_fen,
        safe_use_years=safe_use_years,
    )
    session.add(product)
    session.flush()
    return product


def get_product(session: Session, product_id: int) -> Product:
    product = session.get(Product, product_id)
    if product is None:
        raise NotFound(_l("No such product."), field="product_id")
    return product


def list_products(session: Session, category: str | None, cursor: str | None, limit: int) -> Page:
    stmt = select(Product)
    if category:
        stmt = stmt.where(Product.category == category)
    return keyset_page(session, stmt, Product.id, cursor, limit)


def create_part(
    session: Session, product_id: int, code: str, name: str, kind: str, price_fen: int
) -> Part:
    get_product(session, product_id)
    code = code.strip().upper()
    if session.scalar(select(Part.id).where(Part.code == code)):
        raise Conflict(_l("Part %(code)s exists already.", code=code), field="code")
    part = Part(product_id=product_id, code=code, name=name.strip(), kind=kind, price_fen=price_fen)
    session.add(part)
    session.flush()
    return part


def get_part(session: Session, part_id: int) -> Part:
    part = session.get(Part, part_id)
    if part is None:
        raise NotFound(_l("No such part."), field="part_id")
    return part


def parts_of(session: Session, product_id: int) -> list[Part]:
    return parts_by_product(session, {product_id}).get(product_id, [])


def parts_by_product(session: Session, product_ids: set[int | None]) -> dict[int, list[Part]]:
    """Each product's parts by code, in one query."""
    parts: dict[int, list[Part]] = defaultdict(list)
    wanted = product_ids - {None}
    if wanted:
        for part in session.scalars(select(Part).where(Part.product_id.in_(wanted))
                                    .order_by(Part.code)):
            parts[part.product_id].append(part)
    return parts


def add_months(day: date, months: int) -> date:
    """The same day `months` later, clamped to the month's end (31 Jan + 1 = 28/29 Feb)."""
    month_index = day.month - 1 + months
    year, month = day.year + month_index // 12, month_index % 12 + 1
    return date(year, month, min(day.day, calendar.monthrange(year, month)[1]))


def register_serial(
    session: Session, product_id: int, serial: str, sold_on: date, customer_id: int | None = None,
    seen_by: visibility.Visibility = visibility.EVERYTHING,
) -> SerialNumber:
    product = get_product(session, product_id)
    serial = serial.strip().upper()
    if not re.fullmatch(r"[A-Z0-9-]{4,64}", serial):
        raise ValidationFailed(_l("4-64 letters, digits or dashes."), field="serial")
    if session.scalar(select(SerialNumber.id).where(SerialNumber.serial == serial)):
        raise Conflict(_l("Serial %(serial)s is registered already.", serial=serial), "serial")
    if customer_id is not None:
        get_customer(session, customer_id, seen_by)
    unit = SerialNumber(
        serial=serial,
        product_id=product.id,
        customer_id=customer_id,
        sold_on=sold_on,
        warranty_expires_on=add_months(sold_on, product.warranty_months),
        verification_code="".join(secrets.choice(VERIFICATION_ALPHABET) for _ in range(8)),
    )
    session.add(unit)
    session.flush()
    return unit


def get_serial(session: Session, serial_id: int) -> SerialNumber:
    unit = session.get(SerialNumber, serial_id)
    if unit is None:
        raise NotFound(_l("No such serial number."), field="serial")
    return unit


def find_serial(session: Session, serial: str,
                seen_by: visibility.Visibility = visibility.EVERYTHING) -> SerialNumber:
    """A sold unit; one sold to a customer `seen_by` may not see is not found."""
    stmt = select(SerialNumber).where(SerialNumber.serial == serial.strip().upper())
    if not seen_by.everything:
        stmt = stmt.where(or_(SerialNumber.customer_id.is_(None),
                              seen_by.condition(SerialNumber.customer_id)))
    unit = session.scalar(stmt)
    if unit is None:
        raise NotFound(_l("No product with serial %(serial)s.", serial=serial), field="serial")
    return unit


def serials_of(session: Session, customer_id: int) -> list[SerialNumber]:
    return list(
        session.scalars(
            select(SerialNumber)
            .where(SerialNumber.customer_id == customer_id)
            .order_by(SerialNumber.sold_on.desc())
        )
    )


@dataclass(frozen=True)
class Warranty:
    status: str  # in_warranty | expired | unknown
    expires_on: date | None


def warranty_on(unit: SerialNumber | None, day: date) -> Warranty:
    if unit is None:
        return Warranty("unknown", None)
    status = "in_warranty" if day <= unit.warranty_expires_on else "expired"
    return Warranty(status, unit.warranty_expires_on)


def is_genuine(session: Session, serial: str, code: str) -> bool:
    """The anti-counterfeit check: the serial exists and its label code matches."""
    unit = session.scalar(select(SerialNumber).where(SerialNumber.serial == serial.strip().upper()))
    return unit is not None and secrets.compare_digest(
        unit.verification_code, code.strip().upper()
    )


def unit_of_code(session: Session, code: str) -> SerialNumber | None:
    """The anti-counterfeit look-up (防伪查询): the unit whose serial, or the code on its
    warranty card, this is; None when it is no unit of ours."""
    typed = code.strip().upper()
    if not typed:
        return None
    return session.scalar(select(SerialNumber).where(
        or_(SerialNumber.serial == typed, SerialNumber.verification_code == typed)))


def owner_shown(session: Session, unit: SerialNumber,
                seen_by: visibility.Visibility) -> Customer | None:
    """The unit's owner, if `seen_by` may see them; else none, as if unknown."""
    if unit.customer_id is None:
        return None
    try:
        return get_customer(session, unit.customer_id, seen_by)
    except NotFound:
        return None

import re

from flask_babel import lazy_gettext as _l
from sqlalchemy import or_, select
from sqlalchemy.orm import Session

from aftersales.core.errors import Conflict, ValidationFailed
from aftersales.core.pagination import Page, keyset_page
from aftersales.customers.models import Customer, Product

MOBILE = re.compile(r"^1[3-9]\d{9}$")
LANDLINE = re.compile(r"^0\d{2,3}-?\d{7,8}$")


def normalise_phone(phone: str) -> str:
    compact = re.sub(r"[\s()]", "", phone).removeprefix("+86")
    if not (MOBILE.match(compact) or LANDLINE.match(compact)):
        raise ValidationFailed(
            _l("Not a Chinese mobile (11 digits, 1xx) or landline (0xx-xxxxxxxx) number."),
            field="phone",
        )
    return compact


def create_customer(
    session: Session, kind: str, name: str, phone: str, province: str, city: str, address: str
) -> Customer:
    customer = Customer(
        kind=kind,
        name=name.strip(),
        phone=normalise_phone(phone),
        province=province.strip(),
        city=city.strip(),
        address=address.strip(),
    )
    session.add(customer)
    session.flush()
    return customer


def search_customers(session: Session, query: str | None, cursor: str | None, limit: int) -> Page:
    """One box for the agent on the phone: a phone number (or its start) or a name."""
    stmt = select(Customer)
    if query:
        term = query.strip()
        stmt = stmt.where(or_(Customer.phone.startswith(term), Customer.name.startswith(term)))
    return keyset_page(session, stmt, Customer.id, cursor, limit)


def create_product(
    session: Session, model_code: str, name: str, category: str, warranty_months: int
) -> Product:
    model_code = model_code.strip().upper()
    if session.scalar(select(Product.id).where(Product.model_code == model_code)):
        raise Conflict(_l("Model %(code)s exists already.", code=model_code), field="model_code")
    product = Product(
        model_code=model_code,
        name=name.strip(),
        category=category.strip(),
        warranty_months=warranty_months,
    )
    session.add(product)
    session.flush()
    return product


def list_products(session: Session, category: str | None, cursor: str | None, limit: int) -> Page:
    stmt = select(Product)
    if category:
        stmt = stmt.where(Product.category == category)
    return keyset_page(session, stmt, Product.id, cursor, limit)

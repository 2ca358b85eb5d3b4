from marshmallow import Schema, ValidationError, fields, validate, validates_schema

from aftersales.core import privacy
from aftersales.core.fields import Day, DecimalText, Int, Text
from aftersales.core.pagination import PageArgsSchema
from aftersales.customers.models import CUSTOMER_KINDS, PART_KINDS, ProductCategory

_TEXT = validate.Length(min=1, max=100)
_PLACE = validate.Length(min=1, max=32)


class CustomerInSchema(Schema):
    kind = fields.String(required=True, validate=validate.OneOf(CUSTOMER_KINDS))
    name = Text(required=True, validate=_TEXT)
    phone = fields.String(required=True, validate=validate.Length(min=7, max=20))
    alt_phone = fields.String(load_default=None, allow_none=True, validate=validate.Length(max=20))
    province = Text(required=True, validate=_PLACE)
    city = Text(required=True, validate=_PLACE)
    district = fields.String(load_default="", validate=validate.Length(max=32))
    address = Text(required=True, validate=validate.Length(min=1, max=200))
    latitude = DecimalText(
        load_default=None, allow_none=True, places=6,
        validate=validate.Range(-90, 90),
    )
    longitude = DecimalText(
        load_default=None, allow_none=True, places=6,
        validate=validate.Range(-180, 180),
    )


class CustomerOutSchema(CustomerInSchema):
    """Phones, address and position in full for roles that contact customers; masked
    (138****5678, the district, a coarse point) for the others."""

    id = Int()
    created_at = fields.DateTime()
    phone = fields.Function(lambda customer: privacy.shown_phone(customer.phone))
    alt_phone = fields.Function(lambda customer: privacy.shown_phone(customer.alt_phone),
                                allow_none=True)
    address = fields.Function(lambda customer: privacy.shown_address(customer.address))
    latitude = fields.Function(lambda customer: _coordinate(customer.latitude),
                               allow_none=True)
    longitude = fields.Function(lambda customer: _coordinate(customer.longitude),
                                allow_none=True)


def _coordinate(value) -> str | None:
    """Full precision for those who visit; two decimals (about a kilometre) for others."""
    if value is None:
        return None
    return str(value) if privacy.may_contact_customers() else f"{float(value):.2f}"


class CustomerQuerySchema(PageArgsSchema):
    q = fields.String(
        load_default=None,
        validate=validate.Length(max=64),
        metadata={"description": "Start of a phone number or name, or a whole serial number"},
    )


class ProductInSchema(Schema):
    model_code = Text(required=True, validate=validate.Length(min=1, max=64))
    name = Text(required=True, validate=_TEXT)
    category = fields.String(required=True, validate=ProductCategory.validator())
    warranty_months = Int(required=True, validate=validate.Range(min=0, max=240))
    labour_fee_fen = Int(load_default=0, validate=validate.Range(min=0, max=10**8))
    safe_use_years = Int(
        load_default=None, allow_none=True, validate=validate.Range(min=1, max=50)
    )


class ProductOutSchema(ProductInSchema):
    id = Int()
    created_at = fields.DateTime()


class ProductQuerySchema(PageArgsSchema):
    category = fields.String(load_default=None, validate=validate.Length(max=32))


class PartInSchema(Schema):
    code = Text(required=True, validate=validate.Length(min=1, max=64))
    name = Text(required=True, validate=_TEXT)
    kind = fields.String(required=True, validate=validate.OneOf(PART_KINDS))
    price_fen = Int(required=True, validate=validate.Range(min=0, max=10**8))


class PartOutSchema(PartInSchema):
    id = Int()
    product_id = Int()


class SerialInSchema(Schema):
    serial = Text(required=True, validate=validate.Length(min=1, max=64))
    product_id = Int(required=True)
    sold_on = Day(required=True)
    customer_id = Int(load_default=None, allow_none=True)


class SerialOutSchema(Schema):
    id = Int()
    serial = fields.String()
    product_id = Int()
    product_model = fields.String(attribute="product.model_code")
    product_name = fields.String(attribute="product.name")
    customer_id = Int(allow_none=True)
    sold_on = Day()
    warranty_expires_on = Day()
    verification_code = fields.String()


class WarrantySchema(Schema):
    status = fields.String(metadata={"description": "in_warranty, expired or unknown"})
    expires_on = Day(allow_none=True)


class SerialWarrantySchema(SerialOutSchema):
    warranty = fields.Nested(WarrantySchema)


class CustomerProfileSchema(CustomerOutSchema):
    products = fields.List(fields.Nested(SerialWarrantySchema))


class NewCustomerQuerySchema(Schema):
    """The new-customer page's address: the agent console's look-up, to return to it (and
    to pre-fill the phone when it is a number)."""

    number = Text(load_default="", validate=validate.Length(max=100))


class CustomerFormSchema(NewCustomerQuerySchema):
    """The new-customer page: who they are and where, and optionally the unit they bought
    (its warranty follows from the product and the day sold)."""

    kind = fields.String(load_default="person", validate=validate.OneOf(CUSTOMER_KINDS))
    name = Text(required=True, validate=_TEXT)
    phone = Text(required=True, validate=validate.Length(min=1, max=20))
    province = Text(required=True, validate=_PLACE)
    city = Text(required=True, validate=_PLACE)
    district = Text(load_default="", validate=validate.Length(max=32))
    address = Text(required=True, validate=validate.Length(min=1, max=200))
    serial = Text(load_default="", validate=validate.Length(max=64))
    product_id = Int(load_default=None)
    sold_on = Day(load_default=None)

    @validates_schema
    def a_unit_names_its_product_and_day(self, data, **_kwargs):
        if not data.get("serial"):
            return
        missing = {name: ["Missing data for required field."]
                   for name in ("product_id", "sold_on") if data.get(name) is None}
        if missing:
            raise ValidationError(missing)


class SerialCheckQuerySchema(Schema):
    """The anti-counterfeit check: a serial, or the code on the warranty card."""

    code = Text(load_default="", validate=validate.Length(max=64))


class UnitFormSchema(SerialInSchema, NewCustomerQuerySchema):
    """A known customer's page: another unit they bought (the customer is the page's), and
    the agent console's look-up to return to."""

    class Meta:
        exclude = ("customer_id",)

from marshmallow import Schema, fields, validate

from aftersales.core.pagination import PageArgsSchema
from aftersales.customers.models import CUSTOMER_KINDS

_TEXT = validate.Length(min=1, max=100)


class CustomerInSchema(Schema):
    kind = fields.String(required=True, validate=validate.OneOf(CUSTOMER_KINDS))
    name = fields.String(required=True, validate=_TEXT)
    phone = fields.String(required=True, validate=validate.Length(min=7, max=20))
    province = fields.String(required=True, validate=validate.Length(min=1, max=32))
    city = fields.String(required=True, validate=validate.Length(min=1, max=32))
    address = fields.String(required=True, validate=validate.Length(min=1, max=200))


class CustomerOutSchema(CustomerInSchema):
    id = fields.Integer()
    created_at = fields.DateTime()


class CustomerQuerySchema(PageArgsSchema):
    q = fields.String(load_default=None, validate=validate.Length(max=50))


class ProductInSchema(Schema):
    model_code = fields.String(required=True, validate=validate.Length(min=1, max=64))
    name = fields.String(required=True, validate=_TEXT)
    category = fields.String(required=True, validate=validate.Length(min=1, max=32))
    warranty_months = fields.Integer(required=True, validate=validate.Range(min=0, max=240))


class ProductOutSchema(ProductInSchema):
    id = fields.Integer()
    created_at = fields.DateTime()


class ProductQuerySchema(PageArgsSchema):
    category = fields.String(load_default=None, validate=validate.Length(max=32))

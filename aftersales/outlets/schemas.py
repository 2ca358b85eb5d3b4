from marshmallow import Schema, fields, validate

from aftersales.core.pagination import PageArgsSchema
from aftersales.outlets.models import OUTLET_KINDS


class OutletInSchema(Schema):
    code = fields.String(required=True, validate=validate.Length(min=1, max=32))
    name = fields.String(required=True, validate=validate.Length(min=1, max=100))
    kind = fields.String(required=True, validate=validate.OneOf(OUTLET_KINDS))
    province = fields.String(required=True, validate=validate.Length(min=1, max=32))
    city = fields.String(required=True, validate=validate.Length(min=1, max=32))
    region_code = fields.String(
        required=True, validate=validate.Regexp(r"^\d{6}$", error="Six-digit division code.")
    )
    address = fields.String(required=True, validate=validate.Length(min=1, max=200))
    latitude = fields.Decimal(
        required=True, places=6, validate=validate.Range(-90, 90), as_string=True
    )
    longitude = fields.Decimal(
        required=True, places=6, validate=validate.Range(-180, 180), as_string=True
    )
    is_24h = fields.Boolean(load_default=False)
    service_radius_km = fields.Integer(load_default=50, validate=validate.Range(min=1, max=1000))


class OutletOutSchema(OutletInSchema):
    id = fields.Integer()
    created_at = fields.DateTime()


class OutletQuerySchema(PageArgsSchema):
    province = fields.String(load_default=None, validate=validate.Length(max=32))

from flask_babel import lazy_gettext as _l
from flask_smorest.fields import Upload
from marshmallow import Schema, ValidationError, fields, validate, validates_schema

from aftersales.core.fields import Day, DecimalText, Int, Text
from aftersales.core.pagination import PageArgsSchema
from aftersales.customers.labels import ProductCategory
from aftersales.outlets.models import OUTLET_KINDS

SIX_DIGITS = validate.Regexp(r"^\d{6}$", error=_l("Six-digit division code."))
CATEGORY = fields.String(validate=ProductCategory.validator())
MAX_CATEGORIES = 50


class OutletFieldsSchema(Schema):
    name = Text(validate=validate.Length(min=1, max=100))
    kind = fields.String(validate=validate.OneOf(OUTLET_KINDS))
    province = Text(validate=validate.Length(min=1, max=32))
    city = Text(validate=validate.Length(min=1, max=32))
    region_code = fields.String(validate=SIX_DIGITS)
    province_code = fields.String(validate=SIX_DIGITS)
    city_code = fields.String(validate=SIX_DIGITS)
    address = Text(validate=validate.Length(min=1, max=200))
    latitude = DecimalText(places=6, validate=validate.Range(-90, 90))
    longitude = DecimalText(places=6, validate=validate.Range(-180, 180))
    opening_hours = fields.String(validate=validate.Length(max=100))
    is_24h = fields.Boolean()
    service_radius_km = Int(validate=validate.Range(min=1, max=1000))
    categories = fields.List(CATEGORY, validate=validate.Length(max=MAX_CATEGORIES))
    staff_count = Int(validate=validate.Range(min=0, max=100000))
    agreement_starts_on = Day(allow_none=True)
    agreement_ends_on = Day(allow_none=True)


class OutletInSchema(OutletFieldsSchema):
    code = Text(required=True, validate=validate.Length(min=1, max=32))
    name = Text(required=True, validate=validate.Length(min=1, max=100))
    kind = fields.String(required=True, validate=validate.OneOf(OUTLET_KINDS))
    province = Text(required=True, validate=validate.Length(min=1, max=32))
    city = Text(required=True, validate=validate.Length(min=1, max=32))
    region_code = fields.String(required=True, validate=SIX_DIGITS)
    address = Text(required=True, validate=validate.Length(min=1, max=200))
    latitude = DecimalText(
        required=True, places=6, validate=validate.Range(-90, 90)
    )
    longitude = DecimalText(
        required=True, places=6, validate=validate.Range(-180, 180)
    )
    opening_hours = fields.String(load_default="", validate=validate.Length(max=100))
    is_24h = fields.Boolean(load_default=False)
    service_radius_km = Int(load_default=50, validate=validate.Range(min=1, max=1000))
    categories = fields.List(CATEGORY, load_default=list,
                             validate=validate.Length(max=MAX_CATEGORIES))
    staff_count = Int(load_default=0, validate=validate.Range(min=0, max=100000))


class OutletPageSchema(OutletInSchema):
    """The outlet form: a date left empty clears it, the signed agreement uploaded beside
    the fields (edit: without the code, which stays)."""

    agreement_starts_on = Day(load_default=None)
    agreement_ends_on = Day(load_default=None)
    agreement = Upload(load_default=None)


class OutletPatchSchema(OutletFieldsSchema):
    @validates_schema
    def not_empty(self, data, **kwargs):
        if not data:
            raise ValidationError("Send at least one field.", field_name="_schema")


class OutletOutSchema(OutletInSchema):
    id = Int()
    province_code = fields.String()
    city_code = fields.String()
    has_agreement_file = fields.Function(lambda outlet: bool(outlet.agreement_file_key))
    agreement_file_name = fields.String(allow_none=True)
    created_at = fields.DateTime()


class OutletQuerySchema(PageArgsSchema):
    province = fields.String(load_default=None, validate=validate.Length(max=32))
    province_code = fields.String(load_default=None, validate=SIX_DIGITS)
    city_code = fields.String(load_default=None, validate=SIX_DIGITS)


class AgreementFileSchema(Schema):
    file = Upload(load_default=None, metadata={"description": "The signed agreement."})


class CitySchema(Schema):
    code = fields.String()
    name = fields.String()
    province_code = fields.String()
    province = fields.String()
    kind = fields.String()
    latitude = fields.Float()
    longitude = fields.Float()


class CoverageQuerySchema(Schema):
    on = Day(load_default=None, metadata={"description": "Day (default: today)."})
    radius_km = Int(
        load_default=None, validate=validate.Range(min=1, max=1000),
        metadata={"description": "Radius of the what-if outlet."},
    )


class ShareSchema(Schema):
    covered = Int()
    total = Int()
    share = fields.Float(allow_none=True)


class CityCoverageSchema(Schema):
    code = fields.String()
    name = fields.String()
    province = fields.String()
    covered_by = fields.String(allow_none=True)
    covered_24h_by = fields.String(allow_none=True)
    customers = Int()
    work_orders = Int()


class SuggestionSchema(Schema):
    code = fields.String()
    name = fields.String()
    province = fields.String()
    gained_cities = fields.List(fields.String())
    gained_work_orders = Int()


class CoverageSchema(Schema):
    day = Day()
    target_share_24h = fields.Float()
    meets_target = fields.Boolean()
    cities = fields.Nested(ShareSchema)
    cities_24h = fields.Nested(ShareSchema)
    sales_area = fields.Nested(ShareSchema)
    sales_area_24h = fields.Nested(ShareSchema)
    serving_outlets = Int()
    not_serving_outlets = Int()
    unmatched_customer_cities = Int()
    uncovered = fields.List(fields.Nested(CityCoverageSchema))
    what_if_radius_km = Int()
    what_if = fields.List(fields.Nested(SuggestionSchema))
    lines = fields.List(fields.Nested(CityCoverageSchema))


class PerformanceQuerySchema(Schema):
    first_day = Day(data_key="from", load_default=None)
    last_day = Day(data_key="to", load_default=None)


class PerformanceRowSchema(Schema):
    outlet_id = Int()
    code = fields.String()
    name = fields.String()
    work_orders = Int()
    resolution_decided = Int()
    resolution_met = Int()
    share_met = fields.Float(allow_none=True)
    visits_scored = Int()
    satisfaction_100 = fields.Float(allow_none=True)
    complaints = Int(metadata={"description": "Complaints received at the outlet in the period."})
    complaints_response_24h_rate = fields.Float(allow_none=True, metadata={
        "description": "Share of them answered within 24 hours, of those answered or past "
                       "their 24 hours."})


class SlotPageSchema(Schema):
    """A weekly visit window the portal offers: the day (Monday 0), from and until (HH:MM
    in the outlet's time), how many visits it takes."""

    weekday = Int(required=True, minimum=0, maximum=6)
    starts = fields.Time(required=True, format="%H:%M")
    ends = fields.Time(required=True, format="%H:%M")
    capacity = Int(required=True, minimum=0, maximum=999)


class CapacityPageSchema(Schema):
    capacity = Int(required=True, minimum=0, maximum=999)

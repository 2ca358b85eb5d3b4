"""What the portal's fault report takes: first where and what (the outlet that covers the
address and its free visit windows depend on them), then the rest."""

from marshmallow import Schema, fields, validate

from aftersales.core.fields import Text, UploadedFile

# The kinds of service a customer asks for from the portal (the work orders' own types).
REPORT_TYPES = ("repair", "installation", "maintenance")
MAX_PHOTOS = 3


class ReportQuerySchema(Schema):
    """The serial the QR code on the product or warranty card fills in (?serial=)."""

    serial = Text(load_default="", validate=validate.Length(max=64))


class WhereSchema(Schema):
    type = Text(required=True, validate=validate.OneOf(REPORT_TYPES))
    serial = Text(load_default="", validate=validate.Length(max=64))
    province = Text(required=True, validate=validate.Length(min=2, max=32))
    city = Text(required=True, validate=validate.Length(min=2, max=32))
    address = Text(required=True, validate=validate.Length(min=4, max=120))


class ReportSchema(WhereSchema):
    description = Text(required=True, validate=validate.Length(min=4, max=2000))
    name = Text(required=True, validate=validate.Length(max=60))
    phone = Text(required=True, validate=validate.Length(max=20))
    photos = fields.List(UploadedFile(), load_default=list,
                         validate=validate.Length(max=MAX_PHOTOS))
    keep_location = fields.Boolean(load_default=False)
    # A window the page offered (OpenWindow.key); blank: no preference, the outlet calls.
    window = Text(load_default="", validate=validate.Length(max=40))

"""What the portal's forms take."""

from marshmallow import Schema, validate

from aftersales.core.fields import Text


class VerifyQuerySchema(Schema):
    """The anti-counterfeit check: the code on the warranty card or the product's serial, as
    typed or filled in from the QR code printed on them (?code=)."""

    code = Text(load_default="", validate=validate.Length(max=64))

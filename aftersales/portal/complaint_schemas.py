"""What the portal's complaint form takes. Never a time: the complaint is received when
the form arrives, by the server's clock."""

from marshmallow import Schema, validate

from aftersales.complaints.labels import Category
from aftersales.core.fields import Text


class ComplainSchema(Schema):
    """Who complains and how to reach them, what about (the category staff use, and the
    work order when there is one) and the complaint in their own words."""

    name = Text(required=True, validate=validate.Length(1, 100))
    phone = Text(required=True, validate=validate.Length(1, 20))
    number = Text(load_default="", validate=validate.Length(max=20))
    category = Text(required=True, validate=Category.validator())
    description = Text(required=True, validate=validate.Length(1, 2000))

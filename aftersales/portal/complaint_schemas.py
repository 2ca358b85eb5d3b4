"""What the portal's complaint form takes. Never a time: the complaint is received when
the form arrives, by the server's clock."""

import re

from flask_babel import lazy_gettext as _l
from marshmallow import Schema, ValidationError, validate, validates

from aftersales.complaints.labels import Category
from aftersales.core.errors import ValidationFailed
from aftersales.core.fields import Text
from aftersales.customers import services as customer_services

# A work-order number as customers copy it from our message (WO00000731, wo731, 731), or
# nothing; short enough to be an id.
WORK_ORDER_NUMBER = re.compile(r"^((?:WO)?\s*0*\d{1,9})?$", re.IGNORECASE)


class ComplainSchema(Schema):
    """Who complains and how to reach them, what about (the category staff use, and the
    work order when there is one) and the complaint in their own words."""

    name = Text(required=True, validate=validate.Length(1, 100))
    phone = Text(required=True, validate=validate.Length(1, 20))
    number = Text(load_default="", validate=[validate.Length(max=20), validate.Regexp(
        WORK_ORDER_NUMBER, error=_l("Not a work order number (written like WO00000731)."))])
    category = Text(required=True, validate=Category.validator())
    description = Text(required=True, validate=validate.Length(1, 2000))

    @validates("phone")
    def _a_phone_number(self, value: str, **_kwargs) -> None:
        """Refused with the other fields, not after them: a number we can call back."""
        try:
            customer_services.normalise_phone(value)
        except ValidationFailed as problem:
            raise ValidationError(str(problem.message)) from problem

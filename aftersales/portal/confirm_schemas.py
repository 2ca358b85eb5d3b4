"""What the portal's confirmation and tracking forms take."""

from marshmallow import Schema, fields, validate

from aftersales.core.fields import Int, Text
from aftersales.customers.attestations import AttestedStep


class ConfirmSchema(Schema):
    """A confirmation through a one-time link: the step and the work order or complaint
    the page showed (the link must be for exactly these); for the work done an optional
    rating; for a complaint's resolution, accepted or not, and what is still wrong."""

    step = Text(required=True, validate=AttestedStep.validator())
    number = Text(required=True, validate=validate.Length(max=20))
    rating = Int(load_default=None, validate=validate.Range(1, 5))
    accepted = fields.Boolean(load_default=True)
    feedback = Text(load_default=None, validate=validate.Length(max=2000))


class TrackSchema(Schema):
    """Follow a work order: its number and the phone on file, to be sent a code."""

    number = Text(required=True, validate=validate.Length(max=20))
    phone = Text(required=True, validate=validate.Regexp(r"^\+?[\d\s-]{7,20}$"))


class CodeSchema(Schema):
    code = Text(required=True, validate=validate.Regexp(r"^\d{6}$"))

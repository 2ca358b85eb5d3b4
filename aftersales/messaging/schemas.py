from marshmallow import Schema, fields, validate

from aftersales.core.fields import Int
from aftersales.core.pagination import PageArgsSchema
from aftersales.messaging.labels import Channel, MessageStatus


class OutboxQuerySchema(PageArgsSchema):
    """The outbox page's address: one channel, one status, or all."""

    channel = fields.String(load_default=None, validate=Channel.validator())
    status = fields.String(load_default=None, validate=MessageStatus.validator())


class PreferenceInSchema(Schema):
    customer_id = Int(required=True, validate=validate.Range(min=1))
    opted_out = fields.Boolean(required=True)


class PreferenceOutSchema(Schema):
    customer_id = Int()
    opted_out = fields.Boolean()

from marshmallow import Schema, ValidationError, fields, validate, validates_schema

from aftersales.core.fields import Int
from aftersales.core.pagination import PageArgsSchema, page_schema
from aftersales.notifications.messages import words_of


class NotificationOutSchema(Schema):
    id = Int()
    # In the reader's language (notifications/messages.py).
    subject = fields.Function(lambda notification: words_of(notification)[0])
    body = fields.Function(lambda notification: words_of(notification)[1])
    link = fields.String(allow_none=True)
    created_at = fields.DateTime()
    read_at = fields.DateTime(allow_none=True)
    email_state = fields.String()


NotificationPageSchema = page_schema(NotificationOutSchema)


class NotificationQuerySchema(PageArgsSchema):
    unread = fields.Boolean(load_default=False)


class InboxQuerySchema(PageArgsSchema):
    """The inbox page's address: everything, or only what is unread."""

    show = fields.String(load_default="all", validate=validate.OneOf(("all", "unread")))


class MarkReadInSchema(Schema):
    ids = fields.List(Int(), validate=validate.Length(min=1, max=500))
    all = fields.Boolean(load_default=False)

    @validates_schema
    def _one_of(self, data, **_kwargs):
        if bool(data.get("ids")) == data["all"]:
            raise ValidationError("Give either ids or all=true.", field_name="ids")


class MarkedSchema(Schema):
    marked = Int()

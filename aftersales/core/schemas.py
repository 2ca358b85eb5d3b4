import json

from marshmallow import Schema, fields, post_load, validate

from aftersales.core import history
from aftersales.core.fields import Int, Text
from aftersales.core.pagination import PageArgsSchema
from aftersales.core.permissions import ROLES
from aftersales.core.services import GrantSpec


class GrantSchema(Schema):
    role = fields.String(required=True, validate=validate.OneOf(ROLES))
    outlet_id = Int(allow_none=True, load_default=None)
    region_code = fields.String(
        allow_none=True, load_default=None, validate=validate.Length(max=12)
    )

    @post_load
    def to_spec(self, data, **_kwargs) -> GrantSpec:
        return GrantSpec(**data)


class UserOutSchema(Schema):
    id = Int()
    username = fields.String()
    display_name = fields.String()
    email = fields.String(allow_none=True)
    is_enabled = fields.Boolean()
    locale = fields.String()
    grants = fields.List(fields.Nested(GrantSchema))
    created_at = fields.DateTime()


class UserInSchema(Schema):
    username = fields.String(required=True, validate=validate.Length(min=3, max=64))
    display_name = Text(required=True, validate=validate.Length(min=1, max=100))
    email = fields.Email(load_default=None, allow_none=True)
    password = fields.String(required=True, load_only=True, validate=validate.Length(max=256))
    roles = fields.List(fields.Nested(GrantSchema), required=True)


class RolesInScopeSchema(Schema):
    """The user form's roles: those ticked, all with the one scope chosen beside them
    ("outlet:7", "region:310100", or blank for the whole enterprise)."""

    roles = fields.List(fields.String(), load_default=list)
    scope = fields.String(load_default="", validate=validate.Regexp(
        r"^(outlet:[0-9]{1,9}|region:[0-9A-Za-z]{1,12})$",
        error="Not a valid choice."))  # said on the page as "choose one of the options"

    @post_load
    def grants_in_scope(self, data, **_kwargs) -> dict:
        kind, _sep, value = data.pop("scope").partition(":")
        outlet_id = int(value) if kind == "outlet" else None
        region_code = value if kind == "region" else None
        data["roles"] = [GrantSpec(role, outlet_id, region_code) for role in data["roles"]]
        return data


class UserFormSchema(RolesInScopeSchema, UserInSchema):
    """The new-user page's form."""


class UserEditFormSchema(UserFormSchema):
    """The edit-user page's form: the username stays; a blank password keeps the old one."""

    password = fields.String(load_default=None, validate=validate.Length(max=256))

    class Meta:
        exclude = ("username",)


class UserEnabledFormSchema(Schema):
    """The users list's enable / disable button."""

    enabled = fields.Boolean(required=True)


class SignInFormSchema(Schema):
    """The sign-in form as typed: a blank field is a wrong username or password like any
    other (it counts towards the wait), never a reason of its own."""

    username = fields.String(load_default="")
    password = fields.String(load_default="")


class NextPageSchema(Schema):
    """Where to go next (after signing in, after switching language)."""

    next = fields.String(load_default=None)


class UserPatchSchema(Schema):
    is_enabled = fields.Boolean()
    password = fields.String(load_only=True, validate=validate.Length(max=256))
    roles = fields.List(fields.Nested(GrantSchema))


class UserQuerySchema(PageArgsSchema):
    role = fields.String(load_default=None, validate=validate.OneOf(ROLES))


class TokenInSchema(Schema):
    name = Text(required=True, validate=validate.Length(min=1, max=100))
    expires_in_days = Int(
        load_default=90, allow_none=True, validate=validate.Range(min=1, max=730)
    )
    read_only = fields.Boolean(load_default=False,
                               metadata={"description": "reads only; every change is refused"})


class TokenOutSchema(Schema):
    id = Int()
    name = fields.String()
    prefix = fields.String()
    created_at = fields.DateTime()
    expires_at = fields.DateTime(allow_none=True)
    last_used_at = fields.DateTime(allow_none=True)
    revoked_at = fields.DateTime(allow_none=True)
    read_only = fields.Boolean()


class SignInOutSchema(Schema):
    """A signed-in browser of the user's own."""

    id = Int()
    started_at = fields.DateTime()
    last_seen_at = fields.DateTime()
    user_agent = fields.String()
    client_address = fields.String()


class TokenCreatedSchema(TokenOutSchema):
    secret = fields.String(metadata={"description": "Shown once; only its hash is kept."})


class AuditQuerySchema(PageArgsSchema):
    record_type = Text(required=True, validate=validate.Length(min=1, max=64))
    record_id = Text(required=True, validate=validate.Length(min=1, max=64))


class AuditEntrySchema(Schema):
    id = Int()
    occurred_at = fields.DateTime()
    actor_id = Int(allow_none=True)
    actor_label = fields.String()
    record_type = fields.String()
    record_id = fields.String()
    action = fields.String()
    before = fields.Function(lambda entry: history.masked_for_reader(
        entry.record_type, json.loads(entry.before_json)))
    after = fields.Function(lambda entry: history.masked_for_reader(
        entry.record_type, json.loads(entry.after_json)))
    hash = fields.String()

"""Keyset (cursor) pagination: pages cost the same on page 1 and page 10,000."""

import base64
import binascii
import functools
import json
from dataclasses import dataclass

from flask_babel import lazy_gettext as _l
from marshmallow import Schema, fields, validate
from sqlalchemy import Select
from sqlalchemy.orm import InstrumentedAttribute, Session

from aftersales.core.errors import ValidationFailed
from aftersales.core.fields import Int

DEFAULT_LIMIT = 50
MAX_LIMIT = 200


class PageArgsSchema(Schema):
    cursor = fields.String(load_default=None)
    limit = Int(
        load_default=DEFAULT_LIMIT, validate=validate.Range(min=1, max=MAX_LIMIT)
    )


@functools.cache  # one page schema per item schema, so OpenAPI names stay unique
def page_schema(item_schema: type[Schema]) -> type[Schema]:
    return Schema.from_dict(
        {
            "items": fields.List(fields.Nested(item_schema)),
            "next_cursor": fields.String(allow_none=True),
        },
        name=f"{item_schema.__name__.removesuffix('Schema')}PageSchema",
    )


@dataclass(frozen=True)
class Page:
    items: list
    next_cursor: str | None


def encode_cursor(key: int) -> str:
    return base64.urlsafe_b64encode(json.dumps({"after": key}).encode()).decode()


def decode_cursor(cursor: str) -> int:
    try:
        key = json.loads(base64.urlsafe_b64decode(cursor.encode()))["after"]
    except (binascii.Error, ValueError, KeyError, TypeError) as error:
        raise ValidationFailed(_l("Not a cursor this API returned."), field="cursor") from error
    if not isinstance(key, int):
        raise ValidationFailed(_l("Not a cursor this API returned."), field="cursor")
    return key


def keyset_page(
    session: Session,
    stmt: Select,
    key: InstrumentedAttribute,
    cursor: str | None,
    limit: int,
    newest_first: bool = True,
) -> Page:
    """One page of `stmt` ordered by the unique integer column `key`.

    One row more than asked is read to learn whether a next page exists.
    """
    if cursor is not None:
        after = decode_cursor(cursor)
        stmt = stmt.where(key < after if newest_first else key > after)
    stmt = stmt.order_by(key.desc() if newest_first else key.asc()).limit(limit + 1)
    rows = list(session.scalars(stmt))
    has_more = len(rows) > limit
    rows = rows[:limit]
    next_cursor = encode_cursor(getattr(rows[-1], key.key)) if has_more else None
    return Page(rows, next_cursor)

"""Input fields every schema builds on, so hostile input is refused at the edge, named by
its field, the same way on SQLite and PostgreSQL — never a 500 from the database.

Int: a whole number the narrowest integer column can store (PostgreSQL's integer,
±2^31-1) unless bounded tighter; 12.5 is refused, not truncated to 12."""

import re
from datetime import date
from decimal import Decimal
from zoneinfo import ZoneInfo

from flask_babel import get_timezone
from marshmallow import fields, validate
from werkzeug.datastructures import FileStorage

INT_MAX = 2**31 - 1


class Int(fields.Integer):
    default_error_messages = {"whole": "Not a whole number."}

    def __init__(self, *, minimum: int = -INT_MAX, maximum: int = INT_MAX, **kwargs):
        super().__init__(**kwargs)
        # First, so a value past the column's range is named before any other check; the
        # OpenAPI document takes its bounds from it.
        self.validators.insert(0, validate.Range(min=minimum, max=maximum))

    def _validated(self, value):
        if isinstance(value, float | Decimal) and not (
                value == value and abs(value) != float("inf") and value == int(value)):
            raise self.make_error("whole")
        return super()._validated(value)


class Text(fields.String):
    """Text read without its surrounding whitespace, so a name of only spaces is empty and
    a minimum length refuses it instead of storing a blank."""

    def _deserialize(self, value, attr, data, **kwargs):
        return super()._deserialize(value, attr, data, **kwargs).strip()


class DecimalText(fields.Decimal):
    """A decimal sent and documented as a string ("39.908600"), so no client rounds it
    through a float; the OpenAPI document says type string, format decimal."""

    def __init__(self, **kwargs):
        kwargs.setdefault("as_string", True)
        super().__init__(**kwargs)


FIRST_DAY, LAST_DAY = date(1970, 1, 1), date(2999, 12, 31)


class Day(fields.Date):
    """A calendar day the business can have worked on: 1970 to 2999. (Before 1901 the
    zone database puts Shanghai on local mean time, +08:05:43, which no ISO timestamp
    carries; no after-sales record is that old.)"""

    def __init__(self, **kwargs):
        super().__init__(**kwargs)
        self.validators.insert(0, validate.Range(min=FIRST_DAY, max=LAST_DAY))


class LocalMoment(fields.DateTime):
    """A moment as a page's datetime-local input sends it ("2026-12-04T09:30"): read in the
    display zone (Asia/Shanghai unless AFTERSALES_TIMEZONE says otherwise); a time that
    names its own offset keeps it."""

    default_error_messages = {"invalid": "Not a valid datetime."}

    def _deserialize(self, value, attr, data, **kwargs):
        moment = super()._deserialize(value, attr, data, **kwargs)
        if moment.tzinfo is None:
            moment = moment.replace(tzinfo=ZoneInfo(str(get_timezone())))
        if not FIRST_DAY <= moment.date() <= LAST_DAY:
            raise self.make_error("invalid")
        return moment


YUAN = re.compile(r"[0-9]{1,12}(\.[0-9]{1,2})?")


class Yuan(fields.Field):
    """Money typed in yuan ("128" or "128.50") loaded as whole fen, exactly: never a float,
    never a third decimal, never negative."""

    default_error_messages = {"invalid": "Give the amount in yuan, e.g. 128.50."}

    def __init__(self, *, maximum_fen: int = 10**9, **kwargs):
        super().__init__(**kwargs)
        self.maximum_fen = maximum_fen

    def _deserialize(self, value, attr, data, **kwargs) -> int:
        text = str(value).strip()
        if not YUAN.fullmatch(text):
            raise self.make_error("invalid")
        fen = int(Decimal(text) * 100)
        if fen > self.maximum_fen:
            raise self.make_error("invalid")
        return fen


class UploadedFile(fields.Raw):
    """A file input: the file as the browser sent it (werkzeug's FileStorage), read by the
    handler, never here; text sent under the file's name is refused, not read as a file.
    (A file input left empty is no file: the form layer drops it like a blank input.)"""

    default_error_messages = {"invalid": "Choose a file.", "required": "Choose a file."}

    def __init__(self, **kwargs):
        kwargs.setdefault("metadata", {"type": "string", "format": "binary"})
        super().__init__(**kwargs)

    def _deserialize(self, value, attr, data, **kwargs) -> FileStorage:
        if not isinstance(value, FileStorage):
            raise self.make_error("invalid")
        return value

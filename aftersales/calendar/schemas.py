"""What the calendar's API and pages read and write: one schema each, used by both."""

from flask_babel import lazy_gettext as _l
from flask_smorest.fields import Upload
from marshmallow import (
    Schema,
    ValidationError,
    fields,
    post_load,
    pre_load,
    validate,
    validates,
    validates_schema,
)

from aftersales.calendar.models import DAY_KINDS
from aftersales.calendar.services import DayEntry
from aftersales.core.calendar import (
    DAY_KIND_KEYS,
    WEEKDAY_KEYS,
    HoursError,
    WorkingHours,
    parse_windows,
)
from aftersales.core.fields import Day, Int, LocalMoment, Text

YEARS = validate.Range(min=1900, max=2999)
MAX_ENTRIES = 400
BLANK_ROWS = 5  # empty rows the year editor offers unless asked for more
# Why working hours cannot be kept, in the user's language (core/calendar.py's codes).
HOURS_REASONS = {
    "time": _l("%(value)s is not a time between 00:00 and 24:00."),
    "format": _l("%(value)s is not a window such as 09:00-18:00."),
    "empty": _l("%(value)s is empty or ends before it starts."),
    "overlap": _l("%(value)s has overlapping windows."),
    "none": _l("At least one working window is needed on ordinary days."),
    "day": _l("%(value)s is not a day of the week or a kind of day."),
    "twice": _l("%(value)s is named twice."),
}


def hours_reason(problem: HoursError) -> str:
    return HOURS_REASONS[problem.code] % {"value": problem.value}


class DayEntrySchema(Schema):
    day = Day(required=True)
    kind = fields.String(required=True, validate=validate.OneOf(DAY_KINDS))
    name = Text(required=True, validate=validate.Length(min=1, max=100))
    outlet_id = Int(load_default=None, allow_none=True,
                               metadata={"description": "Only for a closure of one outlet."})

    @post_load
    def to_entry(self, data, **_kwargs) -> DayEntry:
        return DayEntry(**data)


class DayEntryOutSchema(Schema):
    day = Day()
    kind = fields.String()
    name = fields.String()
    outlet_id = Int(allow_none=True)


class YearInSchema(Schema):
    entries = fields.List(fields.Nested(DayEntrySchema), required=True,
                          validate=validate.Length(max=MAX_ENTRIES))


def is_filled(row) -> bool:
    """A row of the year editor with a day or a name; the others are empty rows."""
    return isinstance(row, dict) and any(str(row.get(name) or "").strip()
                                         for name in ("day", "name"))


class YearPageSchema(YearInSchema):
    """The year editor's rows (entries.3.day …): empty rows are dropped first, so a
    refusal counts the rows that were filled in, as the page draws them again."""

    entries = fields.List(fields.Nested(DayEntrySchema), load_default=list,
                          validate=validate.Length(max=MAX_ENTRIES))

    @pre_load
    def _without_empty_rows(self, data, **_kwargs):
        rows = data.get("entries")
        if isinstance(rows, list):
            return {**data, "entries": [row for row in rows if is_filled(row)]}
        return data


class YearChoiceSchema(Schema):
    year = Int(load_default=None, validate=YEARS)


class ImportPageSchema(YearChoiceSchema):
    """The import form: a CSV file, and the year whose page it was sent from."""

    file = Upload(load_default=None)


class YearPageQuerySchema(Schema):
    rows = Int(load_default=BLANK_ROWS, validate=validate.Range(min=0, max=MAX_ENTRIES),
               metadata={"description": "How many empty rows to offer."})


class YearStatusSchema(Schema):
    year = Int()
    source = fields.String(metadata={"description": "entered, package or guessed"})
    holidays = Int()
    workdays = Int()
    closures = Int()


class YearOutSchema(YearStatusSchema):
    entries = fields.List(fields.Nested(DayEntryOutSchema))
    clocks_recomputed = Int(load_default=None)


def _hours_field(key: str, required: bool = False) -> fields.String:
    described = {"description": f"{key}: HH:MM-HH:MM[,HH:MM-HH:MM…]; empty: not worked"}
    if required:
        return fields.String(required=True, validate=validate.Length(max=200),
                             metadata=described)
    return fields.String(load_default=None, allow_none=True, validate=validate.Length(max=200),
                         metadata=described)


class WorkingHoursInSchema(Schema):
    """Windows per kind of day (workday, weekend, holiday; all three required, empty: no
    working time) and optional weekday overrides (mon … sun; left out or empty: the
    weekday follows its kind). A make-up working day keeps the workday windows."""

    workday = _hours_field("workday", required=True)
    weekend = _hours_field("weekend", required=True)
    holiday = _hours_field("holiday", required=True)
    mon = _hours_field("mon")
    tue = _hours_field("tue")
    wed = _hours_field("wed")
    thu = _hours_field("thu")
    fri = _hours_field("fri")
    sat = _hours_field("sat")
    sun = _hours_field("sun")

    @validates_schema
    def _keepable(self, data, **_kwargs) -> None:
        try:
            self.hours_of(data)
        except HoursError as problem:
            raise ValidationError({problem.key: [hours_reason(problem)]}) from None

    @post_load
    def to_hours(self, data, **_kwargs) -> WorkingHours:
        return self.hours_of(data)

    @staticmethod
    def hours_of(data: dict) -> WorkingHours:
        text = ";".join(f"{key}={data.get(key) or ''}" for key in DAY_KIND_KEYS + WEEKDAY_KEYS
                        if key in DAY_KIND_KEYS or data.get(key))
        return WorkingHours.parse(text)


class WorkingHoursPageSchema(WorkingHoursInSchema):
    """The hours form: a kind of day left empty is not worked."""

    workday = _hours_field("workday")
    weekend = _hours_field("weekend")
    holiday = _hours_field("holiday")


class HoursActionSchema(Schema):
    """Which button of the hours form was pressed: save, or follow the company's hours."""

    action = fields.String(load_default="save", validate=validate.OneOf(("save",
                                                                          "follow_company")))


class WorkingHoursOutSchema(Schema):
    outlet_id = Int(allow_none=True)
    source = fields.String(metadata={"description": "outlet, company (stored) or settings"})
    text = fields.String(metadata={"description": "The canonical hours text."})
    windows = fields.Dict(keys=fields.String(), values=fields.String())


class DueQuerySchema(Schema):
    start = fields.AwareDateTime(required=True, data_key="from", default_timezone=None)
    hours = fields.Float(required=True, validate=validate.Range(min=0, min_inclusive=False,
                                                                max=10000))
    outlet_id = Int(load_default=None)
    hours_window = fields.String(load_default=None, validate=validate.Length(max=200))

    @validates("hours_window")
    def _workable(self, value, **_kwargs) -> None:
        try:
            parse_windows(value or "", "hours_window")
        except HoursError as problem:
            raise ValidationError(hours_reason(problem)) from None


class DuePageQuerySchema(DueQuerySchema):
    """The due question on the overview: the start typed as local time (datetime-local)."""

    start = LocalMoment(required=True, data_key="from")


class DueOutSchema(Schema):
    start = fields.DateTime(data_key="from")
    due = fields.DateTime()
    hours = fields.String(metadata={"description": "The working hours counted on."})
    guessed_years = fields.List(Int())

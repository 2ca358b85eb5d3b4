"""/api/v1/calendar: holiday schedules by year, working hours, and due-time answers."""

from flask_babel import lazy_gettext as _l
from flask_login import current_user
from marshmallow import ValidationError

from aftersales.calendar import services
from aftersales.calendar.blueprint import blp
from aftersales.calendar.schemas import (
    YEARS,
    DueOutSchema,
    DueQuerySchema,
    WorkingHoursInSchema,
    WorkingHoursOutSchema,
    YearInSchema,
    YearOutSchema,
    YearStatusSchema,
)
from aftersales.core.auth import requires
from aftersales.core.calendar import DAY_KIND_KEYS, WEEKDAY_KEYS, format_windows
from aftersales.core.clock import local_today
from aftersales.core.errors import NotFound
from aftersales.core.permissions import scope_of
from aftersales.extensions import db
from aftersales.outlets import services as outlet_services


def _year(year: int) -> int:
    try:
        YEARS(year)
    except ValidationError:
        raise NotFound(_l("The calendar covers the years 1900 to 2999.")) from None
    return year


def _year_out(year: int, clocks: int | None = None) -> dict:
    status = services.year_status(db.session, year)
    return {**status.__dict__, "entries": services.entries_of_year(db.session, year),
            "clocks_recomputed": clocks}


def _hours_out(outlet_id: int | None) -> dict:
    in_force = services.hours_in_force(db.session, outlet_id)
    hours = in_force.hours
    windows = {key: format_windows(getattr(hours, key)) for key in DAY_KIND_KEYS}
    windows |= {key: format_windows(own) for key, own in zip(WEEKDAY_KEYS, hours.weekdays,
                                                            strict=True) if own is not None}
    return {"outlet_id": outlet_id, "source": in_force.source, "text": hours.text(),
            "windows": windows}


def _managed_outlet(outlet_id: int) -> int:
    outlet_services.get_outlet(db.session, outlet_id, scope_of(current_user, "calendar.hours"))
    return outlet_id


@blp.route("/years")
@blp.response(200, YearStatusSchema(many=True))
@requires("calendar.read")
def list_years():
    """Last, this and next year, and every year with entries: where each comes from."""
    return services.years_around(db.session, local_today())


@blp.route("/years/<int:year>")
@blp.response(200, YearOutSchema)
@requires("calendar.read")
def get_year(year):
    return _year_out(_year(year))


@blp.route("/years/<int:year>", methods=["PUT"])
@blp.arguments(YearInSchema)
@blp.response(200, YearOutSchema)
@requires("calendar.manage")
def put_year(data, year):
    """Make `entries` the year's whole stored schedule; running clocks are recomputed."""
    for entry in data["entries"]:
        if entry.outlet_id is not None:
            _managed_outlet(entry.outlet_id)
    clocks = services.replace_year(db.session, _year(year), data["entries"])
    return _year_out(year, clocks)


@blp.route("/hours")
@blp.response(200, WorkingHoursOutSchema)
@requires("calendar.read")
def get_company_hours():
    return _hours_out(None)


@blp.route("/hours", methods=["PUT"])
@blp.arguments(WorkingHoursInSchema)
@blp.response(200, WorkingHoursOutSchema)
@requires("calendar.manage")
def put_company_hours(hours):
    services.set_hours(db.session, None, hours)
    return _hours_out(None)


@blp.route("/outlets/<int:outlet_id>/hours")
@blp.response(200, WorkingHoursOutSchema)
@requires("calendar.read")
def get_outlet_hours(outlet_id):
    outlet_services.get_outlet(db.session, outlet_id, scope_of(current_user, "calendar.read"))
    return _hours_out(outlet_id)


@blp.route("/outlets/<int:outlet_id>/hours", methods=["PUT"])
@blp.arguments(WorkingHoursInSchema)
@blp.response(200, WorkingHoursOutSchema)
@requires("calendar.hours")
def put_outlet_hours(hours, outlet_id):
    services.set_hours(db.session, _managed_outlet(outlet_id), hours)
    return _hours_out(outlet_id)


@blp.route("/outlets/<int:outlet_id>/hours", methods=["DELETE"])
@blp.response(200, WorkingHoursOutSchema)
@requires("calendar.hours")
def delete_outlet_hours(outlet_id):
    """The outlet follows the company's hours again."""
    services.set_hours(db.session, _managed_outlet(outlet_id), None)
    return _hours_out(outlet_id)


@blp.route("/due")
@blp.arguments(DueQuerySchema, location="query")
@blp.response(200, DueOutSchema)
@requires("calendar.read")
def due(query):
    """When a clock started at `from` with `hours` of business time is due."""
    if query["outlet_id"] is not None:
        outlet_services.get_outlet(db.session, query["outlet_id"],
                                   scope_of(current_user, "calendar.read"))
    answer = services.due_for(db.session, query["start"], query["hours"], query["outlet_id"],
                              query["hours_window"])
    return {"start": answer.start, "due": answer.due, "hours": answer.hours.text(),
            "guessed_years": list(answer.guessed_years)}

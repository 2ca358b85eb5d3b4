"""Pages of the business calendar: which years are known, a year's schedule as a table an
admin fills in (or imports from CSV), the working hours of the company and of outlets, and
"when would this be due?" for whoever has to explain a deadline."""

from datetime import datetime

from flask import Response, flash, redirect, render_template, url_for
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from flask_login import current_user

from aftersales.calendar import jobs, services
from aftersales.calendar.blueprint import bp
from aftersales.calendar.models import DAY_KINDS, DayKind
from aftersales.calendar.schemas import (
    DuePageQuerySchema,
    HoursActionSchema,
    ImportPageSchema,
    WorkingHoursPageSchema,
    YearChoiceSchema,
    YearPageQuerySchema,
    YearPageSchema,
    is_filled,
)
from aftersales.core.auth import can, requires
from aftersales.core.calendar import DAY_KIND_KEYS, WEEKDAY_KEYS, format_windows
from aftersales.core.clock import DEFAULT_ZONE, local_today
from aftersales.core.forms import (
    form_input,
    on_refusal,
    placed,
    query_input,
    query_string,
    submitted,
)
from aftersales.core.home import NoticeView, page_notice
from aftersales.core.permissions import scope_of
from aftersales.extensions import db
from aftersales.outlets import services as outlet_services

ROW_FIELDS = ("day", "kind", "name", "outlet_id")
HOURS_FIELDS = frozenset(DAY_KIND_KEYS + WEEKDAY_KEYS)
KIND_LABELS = DayKind.labels()
SOURCE_LABELS = {"entered": _l("Entered by the company"), "package": _l("chinese-calendar package"),
                 "guessed": _l("Unknown: counted Monday to Friday"),
                 "closure": _l("Closure")}
HOURS_SOURCE_LABELS = {"outlet": _l("the outlet's own"), "company": _l("the company's"),
                       "settings": _l("as set at installation")}
DAY_LABELS = {"workday": _l("Working days"), "weekend": _l("Saturday and Sunday"),
              "holiday": _l("Public holidays"), "mon": _l("Monday"), "tue": _l("Tuesday"),
              "wed": _l("Wednesday"), "thu": _l("Thursday"), "fri": _l("Friday"),
              "sat": _l("Saturday"), "sun": _l("Sunday")}
NOT_WORKED = _l("not worked")
WEEKDAY_SHORT = (_l("Mon"), _l("Tue"), _l("Wed"), _l("Thu"), _l("Fri"), _l("Sat"), _l("Sun"))


def describe_hours(hours) -> str:
    """Working hours as people read them: "Working days 09:00-12:00, 13:30-18:00 ·
    Saturday and Sunday not worked · …"; weekdays with hours of their own follow."""
    parts = [(key, getattr(hours, key)) for key in DAY_KIND_KEYS]
    parts += [(key, own) for key, own in zip(WEEKDAY_KEYS, hours.weekdays, strict=True)
              if own is not None]
    return " · ".join(
        f"{DAY_LABELS[key]} {format_windows(windows).replace(',', ', ') or NOT_WORKED}"
        for key, windows in parts)


bp.add_app_template_global(describe_hours, "describe_hours")


@bp.context_processor
def _helpers():
    return {"kind_label": lambda kind: str(KIND_LABELS.get(kind, kind)),
            "source_label": lambda source: str(SOURCE_LABELS.get(source, source)),
            "weekday_short": lambda day: str(WEEKDAY_SHORT[day.weekday()]),
            "day_label": lambda key: str(DAY_LABELS[key]),
            "may_manage": can(current_user, "calendar.manage"),
            "this_year": local_today().year}


def missing_schedule_notices(session, _user) -> list[NoticeView]:
    return [NoticeView(jobs.missing_schedule_text(year), url_for("calendar.year", year=year),
                       _("Enter it"))
            for year in services.years_missing(session)]


page_notice("calendar.notice", "home")(missing_schedule_notices)
page_notice("evidence.read", "dashboard")(missing_schedule_notices)


def _outlets(permission: str = "calendar.hours") -> list[tuple[int, str, str]]:
    """The outlets inside the user's scope for `permission` (by default: those the user
    may keep closures and hours for)."""
    scope = scope_of(current_user, permission)
    return [(outlet_id, code, name)
            for outlet_id, code, name, region in outlet_services.outlet_choices(db.session)
            if scope.allows(outlet_id, region)]


def _check_outlet(outlet_id: int | None) -> None:
    if outlet_id is not None:
        outlet_services.get_outlet(db.session, outlet_id, scope_of(current_user,
                                                                   "calendar.hours"))


# ---------------------------------------------------------------- the overview


@bp.route("")
@requires("calendar.read")
def index():
    codes = {outlet_id: (code, name) for outlet_id, code, name in _outlets("calendar.read")}
    due, errors = _due_answer(codes) if "from" in query_string() else (None, {})
    outlet_hours = {outlet_id: hours for outlet_id, hours
                    in services.outlet_hours(db.session).items() if outlet_id in codes}
    return render_template(
        "calendar/index.html", years=services.years_around(db.session, local_today()),
        hours=services.hours_in_force(db.session), outlet_hours=outlet_hours, codes=codes,
        hours_source_label=lambda s: str(HOURS_SOURCE_LABELS[s]),
        due=due, errors=errors, asked=submitted(),
        notices=missing_schedule_notices(db.session, current_user),
    ), (422 if errors else 200)


def _due_answer(outlets: dict):
    """The due time asked about, or the reasons it cannot be given; only the outlets the
    user may see are offered, any other is refused like a choice not on the list."""
    query, errors = query_input(DuePageQuerySchema())
    if query.get("outlet_id") not in (None, *outlets):
        errors["outlet_id"] = _("Choose one of the options.")
    if errors:
        return None, errors
    return services.due_for(db.session, query["start"], query["hours"], query["outlet_id"],
                            query["hours_window"]), {}


# ---------------------------------------------------------------- a year's schedule


def _rows_of(entries) -> list[dict]:
    return [{"day": entry.day.isoformat(), "kind": entry.kind, "name": entry.name,
             "outlet_id": str(entry.outlet_id or "")} for entry in entries]


def _typed_rows() -> list[dict]:
    """The rows as typed (entries.3.day …), in order, the empty ones left out: the rows
    YearPageSchema counts, so each refusal is drawn beside its row."""
    typed = submitted()
    numbers = sorted({int(parts[1]) for parts in (key.split(".") for key in typed)
                      if len(parts) == 3 and parts[0] == "entries" and parts[1].isdigit()})
    rows = [{name: typed.get(f"entries.{number}.{name}", "") for name in ROW_FIELDS}
            for number in numbers]
    return [row for row in rows if is_filled(row)]


def _render_year(year: int, rows: list[dict], errors: dict, status: int = 200):
    query, _errors = query_input(YearPageQuerySchema())  # a bad number: the usual rows
    status_of_year = services.year_status(db.session, year)
    shown = {f"entries.{index}.{name}" for index in range(len(rows)) for name in ROW_FIELDS}
    return render_template(
        "calendar/year.html", year=year, status=status_of_year, rows=rows,
        blank=[{}] * query["rows"], errors=placed(errors, shown), kinds=DAY_KINDS,
        outlets=_outlets(),
        package_days=services.differing_days(db.session, year)
        if status_of_year.source != "entered" else [],
        stored=services.entries_of_year(db.session, year), extra=query["rows"],
    ), status


@bp.route("/<int:year>")
@requires("calendar.read")
def year(year):
    if not 1900 <= year <= 2999:
        return redirect(url_for("calendar.index"))
    return _render_year(year, _rows_of(services.entries_of_year(db.session, year)), {})


@bp.route("/<int:year>", methods=["POST"])
@requires("calendar.manage")
@on_refusal(lambda errors, status, year: _render_year(year, _typed_rows(), errors, status))
def save_year(year):
    entries = form_input(YearPageSchema())["entries"]
    for entry in entries:
        _check_outlet(entry.outlet_id)
    clocks = services.replace_year(db.session, year, entries)
    flash(_("%(year)d saved: %(entries)d days; %(clocks)d running clocks recomputed.",
            year=year, entries=len(entries), clocks=clocks), "success")
    return redirect(url_for("calendar.year", year=year))


def _back_from_import():
    """To the year page the import was sent from, else to the overview."""
    query, _errors = query_input(YearChoiceSchema())
    return redirect(url_for("calendar.year", year=query["year"]) if query["year"]
                    else url_for("calendar.index"))


def _import_refused(errors: dict, _status: int):
    flash(_("Nothing imported: %(reason)s", reason=next(iter(errors.values()))), "error")
    return _back_from_import()


@bp.route("/import", methods=["POST"])
@requires("calendar.manage")
@on_refusal(_import_refused)
def import_file():
    upload = form_input(ImportPageSchema())["file"]
    if upload is None or not upload.filename:
        flash(_("Choose a CSV file (date,kind,name)."), "error")
        return _back_from_import()
    text = upload.read(services.MAX_CSV_BYTES + 1)
    entries = services.parse_csv(services.decode_csv(text), _outlet_codes())
    for entry in entries:
        _check_outlet(entry.outlet_id)
    result = services.import_entries(db.session, entries)
    years = ", ".join(f"{year} ({count})" for year, count in sorted(result.entries.items()))
    flash(_("Imported %(years)s; %(clocks)d running clocks recomputed.", years=years,
            clocks=result.clocks), "success")
    first = min(result.entries) if result.entries else None
    return redirect(url_for("calendar.year", year=first)) if first else _back_from_import()


def _outlet_codes() -> dict[str, int]:
    return services.outlet_ids_by_code(db.session)


@bp.route("/export.csv")
@requires("calendar.read")
def export_csv():
    query, _errors = query_input(YearChoiceSchema())  # a bad year: every year
    year = query["year"]
    name = f"calendar-{year or 'all'}.csv"
    return Response(services.export_csv(db.session, year), mimetype="text/csv",
                    headers={"Content-Disposition": f"attachment; filename={name}"})


# ---------------------------------------------------------------- working hours


def _hours_form(hours) -> dict:
    form = {key: format_windows(getattr(hours, key)) for key in DAY_KIND_KEYS}
    for key, windows in zip(WEEKDAY_KEYS, hours.weekdays, strict=True):
        form[key] = format_windows(windows) if windows is not None else ""
    return form


def _render_hours(outlet, form: dict, errors: dict, status: int = 200):
    in_force = services.hours_in_force(db.session, outlet.id if outlet else None)
    return render_template(
        "calendar/hours.html", outlet=outlet, form=form, errors=errors, in_force=in_force,
        source_label=str(HOURS_SOURCE_LABELS[in_force.source]), kind_keys=DAY_KIND_KEYS,
        weekday_keys=WEEKDAY_KEYS, outlets=_outlets(),
    ), status


def _outlet_or_none(outlet_id: int | None):
    if outlet_id is None:
        return None
    return outlet_services.get_outlet(db.session, outlet_id,
                                      scope_of(current_user, "calendar.read"))


@bp.route("/hours")
@bp.route("/hours/<int:outlet_id>")
@requires("calendar.read")
def hours(outlet_id=None):
    outlet = _outlet_or_none(outlet_id)
    return _render_hours(outlet, _hours_form(services.hours_in_force(
        db.session, outlet_id).hours), {})


def _hours_refused(errors: dict, status: int, outlet_id: int | None = None):
    # Read in the user's scope again: an outlet whose hours they may not keep stays a 404.
    _check_outlet(outlet_id)
    return _render_hours(_outlet_or_none(outlet_id), submitted(), placed(errors, HOURS_FIELDS),
                         status)


@bp.route("/hours", methods=["POST"])
@requires("calendar.manage")
@on_refusal(_hours_refused)
def save_company_hours():
    return _save_hours(None)


@bp.route("/hours/<int:outlet_id>", methods=["POST"])
@requires("calendar.hours")
@on_refusal(_hours_refused)
def save_outlet_hours(outlet_id):
    _check_outlet(outlet_id)
    if form_input(HoursActionSchema())["action"] == "follow_company":
        outlet = _outlet_or_none(outlet_id)
        clocks = services.set_hours(db.session, outlet_id, None)
        flash(_("%(code)s follows the company's hours again; %(clocks)d running clocks "
                "recomputed.", code=outlet.code, clocks=clocks), "success")
        return redirect(url_for("calendar.hours", outlet_id=outlet_id))
    return _save_hours(outlet_id)


def _save_hours(outlet_id: int | None):
    clocks = services.set_hours(db.session, outlet_id, form_input(WorkingHoursPageSchema()))
    flash(_("Working hours saved; %(clocks)d running clocks recomputed.", clocks=clocks),
          "success")
    return redirect(url_for("calendar.hours", outlet_id=outlet_id) if outlet_id
                    else url_for("calendar.hours"))


def local_moment(moment: datetime) -> str:
    return moment.astimezone(DEFAULT_ZONE).strftime("%Y-%m-%d %H:%M")


bp.add_app_template_filter(local_moment, "calendar_moment")

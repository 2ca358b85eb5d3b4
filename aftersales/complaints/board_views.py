"""The manager's pages: the complaint board, the archive check and the register of service
mediators (routes on the complaints blueprint)."""

from datetime import timedelta

from flask import flash, redirect, render_template, url_for
from flask_babel import gettext as _
from flask_login import current_user

from aftersales.complaints import figures, mediators, queries
from aftersales.complaints.blueprint import bp
from aftersales.complaints.labels import CATEGORY_LABELS
from aftersales.complaints.schemas import (
    AppointMediatorInSchema,
    BoardPageQuerySchema,
    EndAppointmentInSchema,
)
from aftersales.core import charts
from aftersales.core.auth import can, requires
from aftersales.core.clock import local_today
from aftersales.core.errors import DomainError
from aftersales.core.forms import form_input, on_refusal, query_input, submitted
from aftersales.core.pagination import PageArgsSchema
from aftersales.core.permissions import scope_of
from aftersales.extensions import db

BOARD_PERIOD = timedelta(days=364)  # the board's default: the last year, today included


@bp.route("/complaints/board")
@requires("complaints.board")
def board():
    query, errors = query_input(BoardPageQuerySchema())  # a bad day is named and not used
    today = local_today()
    first, last = query["first_day"] or today - BOARD_PERIOD, query["last_day"] or today
    try:
        start, end = figures.local_period(first, last)
    except DomainError as problem:
        errors[problem.field] = str(problem.message)
        first, last = today - BOARD_PERIOD, today
        start, end = figures.local_period(first, last)
    result = figures.board(db.session, scope_of(current_user, "complaints.board"), start, end)
    return render_template("complaints/board.html", board=result, first=first, last=last,
                           errors=errors, charts=_board_charts(result))


def _board_charts(result) -> dict:
    """What people look at first: where complaints come from, and which outlets answer in time."""
    no_figures = _("No complaints in this period.")
    return {
        "category": charts.bar_chart(
            [charts.Bar(str(CATEGORY_LABELS.get(row.key, row.key)), row.received, str(row.received))
             for row in result.by_category],
            title=_("Complaints received by category"), empty=no_figures),
        "outlet": charts.bar_chart(
            [charts.Bar(row.label or _("No outlet"), row.response_24h_rate or 0,
                        "—" if row.response_24h_rate is None else f"{row.response_24h_rate:.0%}")
             for row in result.by_outlet],
            title=_("Answered within 24 hours, by outlet"), empty=no_figures, maximum=1),
    }


@bp.route("/complaints/archive")
@requires("complaints.board")
def archive():
    query, _errors = query_input(PageArgsSchema())  # a bad cursor starts from the top
    page, gaps = queries.archive_gaps(
        db.session, scope_of(current_user, "complaints.board"), query["cursor"], 50
    )
    return render_template("complaints/archive.html", page=page, gaps=gaps)


# ---------------------------------------------------------------- the mediator register


def _render_mediators(errors=None, status=200):
    return render_template(
        "complaints/mediators.html", appointments=mediators.register(db.session),
        staff=mediators.eligible_staff(db.session), errors=errors or {}, form=submitted(),
        may_keep=can(current_user, "complaints.mediators"), today=local_today(),
    ), status


@bp.route("/complaints/mediators")
@requires("complaints.board")
def mediator_register():
    return _render_mediators()


@bp.route("/complaints/mediators", methods=["POST"])
@requires("complaints.mediators")
@on_refusal(_render_mediators)
def appoint_mediator():
    appointment = mediators.appoint(db.session, current_user,
                                    **form_input(AppointMediatorInSchema()))
    flash(_("%(name)s is appointed as a service mediator.", name=appointment.user.display_name),
          "success")
    return redirect(url_for("complaints.mediator_register"))


def _end_refused(errors: dict, status: int, appointment_id: int):
    # Each appointment's row has one input, the last day: its reason shows on that row.
    return _render_mediators({f"end-{appointment_id}": next(iter(errors.values()))}, status)


@bp.route("/complaints/mediators/<int:appointment_id>/end", methods=["POST"])
@requires("complaints.mediators")
@on_refusal(_end_refused)
def end_mediator_appointment(appointment_id):
    ended_on = form_input(EndAppointmentInSchema())["ended_on"]
    appointment = mediators.end(db.session, current_user, appointment_id, ended_on)
    flash(_("%(name)s's appointment ends on %(day)s.", name=appointment.user.display_name,
            day=appointment.ended_on.isoformat()), "success")
    return redirect(url_for("complaints.mediator_register"))

"""Pages: training sessions (list, creating one, the session with its QR code, roster,
exam scores and courseware), the sign-in sheet, and the trainee's sign-in on a phone
(routes on the training blueprint)."""

import io
from datetime import timedelta

from flask import Response, flash, redirect, render_template, send_file, url_for
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from flask_login import current_user

from aftersales.core.auth import can, requires
from aftersales.core.clock import DEFAULT_ZONE, utcnow
from aftersales.core.errors import ValidationFailed
from aftersales.core.forms import form_input, on_refusal, placed, query_input, submitted
from aftersales.core.permissions import scope_of
from aftersales.extensions import db
from aftersales.training import exports, files, services, sessions
from aftersales.training.blueprint import bp
from aftersales.training.page_parts import PAGE_SIZE, download, outlet_options
from aftersales.training.schemas import (
    CoursewareSchema,
    EnrolSchema,
    RosterFormSchema,
    ScoresFormSchema,
    SessionActionSchema,
    SessionFormSchema,
    SessionQuerySchema,
)

SESSION_FIELDS = frozenset({"topic", "kind", "trainer", "starts_at", "ends_at", "place",
                            "outlet_id", "plan_id", "pass_mark"})


@bp.route("/sessions")
@requires("training.read")
def session_list():
    query, _errors = query_input(SessionQuerySchema())  # a bad filter value is ignored
    page = sessions.list_sessions(
        db.session, scope_of(current_user, "training.read"),
        sessions.SessionFilters(kind=query["kind"], year=query["year"], plan_id=query["plan_id"]),
        query["cursor"], PAGE_SIZE,
    )
    return render_template(
        "training/sessions.html", page=page, kind=query["kind"],
        counts=sessions.attendance_counts(db.session, [s.id for s in page.items]),
        may_write=can(current_user, "training.write"),
    )


def _render_session_form(errors: dict, status: int, form=None):
    return render_template(
        "training/session_form.html", form=form or submitted(),
        errors=placed(errors, SESSION_FIELDS), outlets=outlet_options(),
        plan_options=[(p.id, f"{p.year} {p.title}") for p in sessions.list_plans(db.session)],
    ), status


@bp.route("/sessions/new")
@requires("training.write")
def session_new():
    start = (utcnow() + timedelta(hours=1)).astimezone(DEFAULT_ZONE).replace(
        minute=0, second=0, microsecond=0)
    return _render_session_form({}, 200, {
        "starts_at": start.strftime("%Y-%m-%dT%H:%M"),
        "ends_at": (start + timedelta(hours=2)).strftime("%Y-%m-%dT%H:%M"),
        "trainer": current_user.display_name.split(" ")[-1], "pass_mark": "60",
    })


@bp.route("/sessions/new", methods=["POST"])
@requires("training.write")
@on_refusal(_render_session_form)
def create_session():
    data = form_input(SessionFormSchema())
    services.ensure_outlet_in_scope(db.session, scope_of(current_user, "training.write"),
                                    data["outlet_id"])
    training = sessions.create_session(db.session, current_user.id, **data)
    flash(_("Session created."), "success")
    return redirect(url_for("training.session_show", session_id=training.id))


def _sign_in_url(training) -> str:
    return url_for("training.sign_in", token=training.sign_in_token, _external=True)


def _render_session(errors: dict, status: int, session_id: int):
    # Read in the user's scope again: a session they may not see stays a 404.
    training = sessions.get_session(db.session, session_id,
                                    scope_of(current_user, "training.read"))
    roster = sessions.roster(db.session, training.id)
    shown = {"employee_nos", "scores", "file"} | {
        f"scores.{row}.score" for row in range(len(roster))}
    return render_template(
        "training/session_show.html", training=training, errors=placed(errors, shown),
        roster=roster, counts=sessions.attendance_counts(db.session, [training.id])[training.id],
        courseware=sessions.courseware_of(db.session, training.id),
        sign_in_url=_sign_in_url(training), sign_in_open=sessions.sign_in_open(training, utcnow()),
        may_write=can(current_user, "training.write"), form=submitted(),
    ), status


@bp.route("/sessions/<int:session_id>")
@requires("training.read")
def session_show(session_id):
    return _render_session({}, 200, session_id)


def _enrol(training) -> str:
    numbers = form_input(EnrolSchema())["employee_nos"]
    found = services.staff_ids_by_number(db.session, numbers,
                                         scope_of(current_user, "training.write"))
    unknown = [number for number in numbers if number not in found]
    if unknown:
        raise ValidationFailed(_l("Unknown employee numbers: %(numbers)s",
                                  numbers=", ".join(unknown)), field="employee_nos")
    added = sessions.enrol(db.session, training, found.values())
    return _("%(count)d added to the roster.", count=added)


def _roster(training) -> str:
    sessions.tick_roster(db.session, training, set(form_input(RosterFormSchema())["present"]))
    return _("Roster saved.")


def _scores(training) -> str:
    rows = form_input(ScoresFormSchema())["scores"]
    sessions.record_scores(db.session, training, {row["staff_id"]: row["score"] for row in rows})
    return _("Scores saved.")


def _courseware(training) -> str:
    upload = form_input(CoursewareSchema())["file"]
    stored = files.store(db.session, upload.read(), upload.filename, "courseware",
                         current_user.id)
    sessions.add_courseware(db.session, training, stored.id)
    return _("%(name)s uploaded.", name=stored.original_name)


# What each of the session page's forms does (its hidden input "action" names it).
ACTIONS = {"enrol": _enrol, "roster": _roster, "scores": _scores, "courseware": _courseware}


@bp.route("/sessions/<int:session_id>", methods=["POST"])
@requires("training.write")
@on_refusal(_render_session)
def act_on_session(session_id):
    training = sessions.get_session(db.session, session_id,
                                    scope_of(current_user, "training.write"))
    message = ACTIONS[form_input(SessionActionSchema())["action"]](training)
    flash(message, "success")
    return redirect(url_for("training.session_show", session_id=training.id))


@bp.route("/sessions/<int:session_id>/qr.svg")
@requires("training.read")
def session_qr(session_id):
    training = sessions.get_session(db.session, session_id,
                                    scope_of(current_user, "training.read"))
    import segno  # drawn for this page only: not loaded at start

    buffer = io.BytesIO()
    segno.make(_sign_in_url(training), error="m").save(buffer, kind="svg", scale=6, border=2,
                                                       title=training.topic)
    return Response(buffer.getvalue(), mimetype="image/svg+xml",
                    headers={"Cache-Control": "private, no-store"})


@bp.route("/sessions/<int:session_id>/sign-in-sheet.<any(pdf, xlsx):fmt>")
@requires("training.read")
def sign_in_sheet(session_id, fmt):
    training = sessions.get_session(db.session, session_id,
                                    scope_of(current_user, "training.read"))
    if fmt == "pdf":  # the bilingual sheet an audit package samples, as of now
        return send_file(io.BytesIO(exports.render_sign_in_sheet(db.session, training)),
                         mimetype="application/pdf", as_attachment=True,
                         download_name=f"sign-in-sheet-{training.id}.pdf")
    return download(exports.sign_in_sheet(db.session, training), fmt,
                    f"sign-in-sheet-{training.id}")


# --- the trainee's phone ---------------------------------------------------------------


def _render_sign_in(errors: dict, status: int, token: str):
    training = sessions.session_by_token(db.session, token)
    staff = services.staff_of_user(db.session, current_user.id)
    return render_template(
        "training/sign_in.html", training=training, staff=staff,
        attendance=sessions.attendance_of(db.session, training.id, staff.id) if staff else None,
        error=next(iter(errors.values()), None), open=sessions.sign_in_open(training, utcnow()),
        token=token,
    ), status


@bp.route("/sign-in/<token>")
@requires("training.sign_in")
def sign_in(token):
    return _render_sign_in({}, 200, token)


@bp.route("/sign-in/<token>", methods=["POST"])
@requires("training.sign_in")
@on_refusal(_render_sign_in)
def record_sign_in(token):
    sessions.sign_in(db.session, sessions.session_by_token(db.session, token), current_user.id)
    return redirect(url_for("training.sign_in", token=token))

"""/api/v1/visits: drawing the sample, the visit queue, recording a call, the figures."""

from flask_login import current_user

from aftersales.core.auth import requires
from aftersales.core.permissions import scope_of
from aftersales.extensions import db
from aftersales.visits import figures as visit_figures
from aftersales.visits import sampling, services
from aftersales.visits.blueprint import blp
from aftersales.visits.schemas import (
    FiguresOutSchema,
    PeriodSchema,
    RedrawOutSchema,
    SampleInSchema,
    SampleOutSchema,
    VisitOutSchema,
    VisitPageSchema,
    VisitQuerySchema,
    VisitRecordSchema,
)


@blp.route("/visit-samples", methods=["POST"])
@blp.arguments(SampleInSchema)
@blp.response(201, SampleOutSchema)
@requires("visits.sample")
def draw_sample(data):
    """Sample the work orders closed from `from` to `to` (local days): ceil(share x n)
    in every outlet x month of closing, counting earlier drawings. 409 when there is
    nothing (more) to draw."""
    sampling.check_draws_everywhere(scope_of(current_user, "visits.sample"))
    sample = sampling.draw_sample(db.session, current_user, **data)
    return sampling.get_sample(db.session, sample.id)


@blp.route("/visit-samples/<int:sample_id>")
@blp.response(200, SampleOutSchema)
@requires("visits.read")
def get_sample(sample_id):
    return sampling.get_sample(db.session, sample_id)


@blp.route("/visit-samples/<int:sample_id>/redraw")
@blp.response(200, RedrawOutSchema)
@requires("visits.read")
def redraw_sample(sample_id):
    """Draw the sample again from its seed and say whether the same work orders come out."""
    return sampling.redraw(db.session, sampling.get_sample(db.session, sample_id))


@blp.route("/visits")
@blp.arguments(VisitQuerySchema, location="query")
@blp.response(200, VisitPageSchema)
@requires("visits.read")
def list_visits(args):
    """Oldest first; `state=due` is the queue."""
    cursor, limit = args.pop("cursor"), args.pop("limit")
    return services.list_visits(
        db.session, scope_of(current_user, "visits.read"), services.VisitFilters(**args),
        cursor, limit,
    )


@blp.route("/visits/<int:visit_id>")
@blp.response(200, VisitOutSchema)
@requires("visits.read")
def get_visit(visit_id):
    return services.get_visit(db.session, visit_id, scope_of(current_user, "visits.read"))


@blp.route("/visits/<int:visit_id>/outcome", methods=["POST"])
@blp.arguments(VisitRecordSchema)
@blp.response(200, VisitOutSchema)
@requires("visits.write")
def record_visit(data, visit_id):
    """One call: reached (with a score 1-5), not reached (due again until the third
    attempt) or refused."""
    visit = services.get_visit(db.session, visit_id, scope_of(current_user, "visits.write"))
    return services.record_visit(db.session, visit, current_user, **data)


@blp.route("/visits/figures")
@blp.arguments(PeriodSchema, location="query")
@blp.response(200, FiguresOutSchema)
@requires("visits.read")
def figures(args):
    """Return visits of the work orders closed from `from` to `to` (local days), overall
    and per outlet."""
    return visit_figures.period_figures(
        db.session, args["first_day"], args["last_day"], scope_of(current_user, "visits.read")
    )

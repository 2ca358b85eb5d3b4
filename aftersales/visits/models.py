from datetime import date, datetime
from decimal import Decimal

from flask_babel import lazy_gettext as _l
from sqlalchemy import CheckConstraint, Date, ForeignKey, Index, Numeric, String, Text
from sqlalchemy.orm import Mapped, mapped_column, relationship

from aftersales.core.clock import utcnow
from aftersales.core.models import Audited
from aftersales.core.types import UTCDateTime
from aftersales.core.vocabulary import Vocabulary
from aftersales.extensions import db
from aftersales.tickets.labels import ticket_number
from aftersales.visits.labels import SURVEY_DIMENSIONS


class VisitState(Vocabulary):
    DUE = "due"
    DONE = "done"


VISIT_STATES = VisitState.codes()


class VisitOutcome(Vocabulary):
    REACHED = "reached", _l("Reached")
    NOT_REACHED = "not_reached", _l("Not reached")
    REFUSED = "refused", _l("Declined")


OUTCOMES = VisitOutcome.codes()
DISSATISFIED = 2  # a score of 1 or 2 (of 5) opens a follow-up work order
MAX_ATTEMPTS = 3  # not reached this many times: the visit is done, outcome not_reached


class VisitSample(Audited, db.Model):
    """One drawing of the sample: which period, which rule and seed, how many of how many.
    Anyone can redraw it from the seed (see services.choose)."""

    __tablename__ = "visit_samples"
    __table_args__ = (
        CheckConstraint("period_from <= period_to", name="period_in_order"),
        CheckConstraint("share > 0 AND share <= 1", name="share_range"),
        CheckConstraint("seed >= 0", name="seed_not_negative"),
        CheckConstraint("sampled_count >= 0 AND sampled_count <= population", name="counts"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    # Local calendar days (Asia/Shanghai) of closing, both included.
    period_from: Mapped[date] = mapped_column(Date)
    period_to: Mapped[date] = mapped_column(Date)
    share: Mapped[Decimal] = mapped_column(Numeric(5, 4))
    seed: Mapped[int] = mapped_column()
    drawn_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    drawn_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"))
    # Work orders closed in the period, and how many this drawing added to the sample.
    population: Mapped[int] = mapped_column()
    sampled_count: Mapped[int] = mapped_column()

    strata: Mapped[list["VisitStratum"]] = relationship(
        order_by="VisitStratum.id", lazy="raise_on_sql", viewonly=True
    )


class VisitStratum(Audited, db.Model):
    """One outlet x month of a drawing: the closed work orders there, how many were
    sampled before, the target ceil(share x population) and how many were drawn now."""

    __tablename__ = "visit_sample_strata"
    __table_args__ = (
        CheckConstraint("population > 0", name="not_empty"),
        CheckConstraint("already_sampled >= 0 AND drawn >= 0", name="counts_not_negative"),
        CheckConstraint("target <= population", name="target_within_population"),
        CheckConstraint("already_sampled + drawn <= population", name="within_population"),
        Index("ix_visit_sample_strata_sample_id_id", "sample_id", "id"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    sample_id: Mapped[int] = mapped_column(ForeignKey("visit_samples.id", ondelete="CASCADE"))
    outlet_id: Mapped[int | None] = mapped_column(ForeignKey("outlets.id"))
    month: Mapped[str] = mapped_column(String(7))  # "2026-03", local time
    population: Mapped[int] = mapped_column()
    already_sampled: Mapped[int] = mapped_column()
    target: Mapped[int] = mapped_column()
    drawn: Mapped[int] = mapped_column()


class ReturnVisit(Audited, db.Model):
    """The return visit (回访) of one closed work order: due until the customer was reached,
    refused, or not reached three times."""

    __tablename__ = "return_visits"
    __table_args__ = (
        CheckConstraint(VisitState.check("state"), name="known_state"),
        CheckConstraint(f"outcome IS NULL OR {VisitOutcome.check('outcome')}",
                        name="known_outcome"),
        CheckConstraint("(state = 'done') = (outcome IS NOT NULL)", name="done_has_outcome"),
        CheckConstraint(
            "satisfaction IS NULL OR satisfaction BETWEEN 1 AND 5", name="satisfaction_range"
        ),
        CheckConstraint(
            "satisfaction IS NULL OR outcome = 'reached'", name="satisfaction_only_when_reached"
        ),
        CheckConstraint(
            "outcome IS NULL OR outcome <> 'reached' OR satisfaction IS NOT NULL",
            name="reached_has_satisfaction",
        ),
        CheckConstraint(f"attempts BETWEEN 0 AND {MAX_ATTEMPTS}", name="attempts_range"),
        CheckConstraint(
            "called_at IS NULL OR called_at >= sampled_at", name="called_after_sampled"
        ),
        CheckConstraint(
            f"follow_up_ticket_id IS NULL OR satisfaction <= {DISSATISFIED}",
            name="follow_up_when_dissatisfied",
        ),
        Index("ix_return_visits_state_id", "state", "id"),
        Index("ix_return_visits_outlet_id_id", "outlet_id", "id"),
        Index("ix_return_visits_called_at", "called_at"),
        Index("ix_return_visits_sample_batch_id", "sample_batch_id"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    ticket_id: Mapped[int] = mapped_column(ForeignKey("tickets.id"), unique=True)
    outlet_id: Mapped[int | None] = mapped_column(ForeignKey("outlets.id"))
    sample_batch_id: Mapped[int] = mapped_column(ForeignKey("visit_samples.id"))
    sampled_at: Mapped[datetime] = mapped_column(UTCDateTime)
    state: Mapped[str] = mapped_column(String(8), default="due")
    outcome: Mapped[str | None] = mapped_column(String(16))
    satisfaction: Mapped[int | None] = mapped_column()
    comment: Mapped[str] = mapped_column(Text, default="")
    called_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"))
    called_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    attempts: Mapped[int] = mapped_column(default=0)
    follow_up_ticket_id: Mapped[int | None] = mapped_column(ForeignKey("tickets.id"))

    @property
    def ticket_number(self) -> str:
        return ticket_number(self.ticket_id)

    @property
    def follow_up_number(self) -> str | None:
        return ticket_number(self.follow_up_ticket_id) if self.follow_up_ticket_id else None


def _scores_all_or_none() -> str:
    """Unanswered: no score; answered: every dimension scored 1 to 5."""
    answered = " AND ".join(f"{name} BETWEEN 1 AND 5" for name in SURVEY_DIMENSIONS)
    unanswered = " AND ".join(f"{name} IS NULL" for name in SURVEY_DIMENSIONS)
    return f"(answered_at IS NULL AND {unanswered}) OR (answered_at IS NOT NULL AND {answered})"


class SatisfactionSurvey(Audited, db.Model):
    """The satisfaction survey sent after a work order closed (at most one per work order,
    so two senders racing send one), and the customer's answer through its one-time link:
    five scores of 1 to 5 and what they wrote."""

    __tablename__ = "satisfaction_surveys"
    __table_args__ = (
        CheckConstraint(_scores_all_or_none(), name="scored_when_answered"),
        CheckConstraint("(answered_at IS NULL) = (act_id IS NULL)", name="answer_has_act"),
        CheckConstraint("answered_at IS NULL OR answered_at >= sent_at",
                        name="answered_after_sent"),
        Index("ix_satisfaction_surveys_answered_at", "answered_at"),
        Index("ix_satisfaction_surveys_outlet_id_id", "outlet_id", "id"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    ticket_id: Mapped[int] = mapped_column(ForeignKey("tickets.id"), unique=True)
    outlet_id: Mapped[int | None] = mapped_column(ForeignKey("outlets.id"))
    sent_at: Mapped[datetime] = mapped_column(UTCDateTime)
    answered_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    act_id: Mapped[int | None] = mapped_column(ForeignKey("customer_acts.id"))
    timeliness: Mapped[int | None] = mapped_column()
    attitude: Mapped[int | None] = mapped_column()
    skill: Mapped[int | None] = mapped_column()
    result: Mapped[int | None] = mapped_column()
    fees: Mapped[int | None] = mapped_column()
    comment: Mapped[str] = mapped_column(Text, default="")

    @property
    def ticket_number(self) -> str:
        return ticket_number(self.ticket_id)

    def scores(self) -> dict[str, int | None]:
        return {name: getattr(self, name) for name in SURVEY_DIMENSIONS}

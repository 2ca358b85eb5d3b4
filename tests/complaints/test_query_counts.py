"""The board and the ladder's scan cost the same few statements however many complaints
there are: sums in SQL, plain rows over the running clocks, nothing per complaint."""

from datetime import timedelta

from aftersales.complaints import figures, jobs, services
from aftersales.core.permissions import Scope
from aftersales.extensions import db
from tests.complaints.factories import T0, hours, make_complaint
from tests.factories import make_outlet

CATEGORIES = ("repair_quality", "fees", "timeliness")


def _complaints(count, answer_every_other=True):
    """`count` complaints received at T0, each at an outlet of its own, of three categories,
    on both calendars, every other one answered within 2 hours unless told not to."""
    for n in range(count):
        complaint = make_complaint(outlet_id=make_outlet().id, category=CATEGORIES[n % 3],
                                   calendar=("clock", "business")[n % 2])
        if answer_every_other and n % 2:
            services.acknowledge(db.session, complaint, None, "已致歉",
                                 now=T0 + hours(2))
    db.session.commit()


def _statements(count_queries, action) -> int:
    db.session.expire_all()
    with count_queries() as statements:
        action()
    return len(statements)


def _board():
    return figures.board(db.session, Scope(everywhere=True), T0 - timedelta(days=30),
                         T0 + timedelta(days=30), now=T0 + timedelta(days=20))


def test_the_board_takes_as_many_statements_for_12_complaints_as_for_2(count_queries):
    _complaints(2)
    for_two = _statements(count_queries, _board)
    _complaints(10)
    assert _statements(count_queries, _board) == for_two


def test_the_ladder_scan_takes_as_many_statements_for_12_running_clocks_as_for_2(
        count_queries):
    def scan():
        assert jobs.due_steps(db.session, T0 + hours(1)) == []

    _complaints(2)
    for_two = _statements(count_queries, scan)
    _complaints(10)
    assert _statements(count_queries, scan) == for_two


def test_the_ladder_scan_takes_as_many_statements_for_12_due_rungs_as_for_2(count_queries):
    def scan():
        due[:] = jobs.due_steps(db.session, T0 + hours(18))  # 75 % of the response time

    due = []
    _complaints(2, answer_every_other=False)
    for_two = _statements(count_queries, scan)
    assert len(due) == 2
    _complaints(10, answer_every_other=False)
    assert _statements(count_queries, scan) == for_two
    assert len(due) == 12

"""The satisfaction survey is sent to a recountable share of the work orders closed lately
(visits/surveys.py), once per work order however often and in however many schedulers the
job runs."""

from datetime import timedelta

import pytest
from sqlalchemy import func, select

from aftersales.core.clock import utcnow
from aftersales.customers.models import CustomerLink
from aftersales.extensions import db
from aftersales.messaging.models import MessageStatus, OutgoingMessage
from aftersales.messaging.services import record_preference
from aftersales.scheduler import REGISTRY
from aftersales.visits import surveys
from aftersales.visits.models import SatisfactionSurvey
from tests.factories import make_user
from tests.visits.factories import make_closed_ticket, sent_surveys

NOW = utcnow()


def _surveyed() -> set[int]:
    return set(db.session.scalars(select(SatisfactionSurvey.ticket_id)))


def test_the_sample_is_the_share_of_work_orders_whose_id_hashes_below_it(settings_changed):
    settings_changed("visits", survey_share=0.3)
    ids = [make_closed_ticket(NOW - timedelta(hours=5), commit=False).id for _ in range(60)]
    db.session.commit()
    sent_surveys(NOW)
    assert _surveyed() == {i for i in ids if surveys.in_sample(i, 0.3)}


def test_the_share_of_a_large_population_is_close_to_the_setting():
    chosen = sum(surveys.in_sample(ticket_id, 0.3) for ticket_id in range(1, 10001))
    assert 2800 < chosen < 3200


def test_a_second_run_sends_nothing_more(settings_changed):
    settings_changed("visits", survey_share=1.0)
    make_closed_ticket(NOW - timedelta(hours=5))
    assert len(sent_surveys(NOW)) == 1
    assert sent_surveys(NOW + timedelta(hours=1)) == []
    assert db.session.scalar(select(func.count()).select_from(CustomerLink)) == 1


def test_a_work_order_claimed_by_another_run_is_not_sent_again(settings_changed):
    """Two schedulers racing: the other one inserted the survey first."""
    settings_changed("visits", survey_share=1.0)
    ticket = make_closed_ticket(NOW - timedelta(hours=5))
    assert surveys._claim(db.session, ticket.id, None, NOW)
    assert not surveys._claim(db.session, ticket.id, None, NOW)


def test_work_orders_closed_before_the_lookback_or_still_open_are_not_asked(settings_changed):
    settings_changed("visits", survey_share=1.0)
    make_closed_ticket(NOW - surveys.LOOKBACK - timedelta(hours=1))
    assert sent_surveys(NOW) == []


def test_the_message_carries_the_work_order_number_and_a_one_time_link(settings_changed):
    settings_changed("visits", survey_share=1.0)
    ticket = make_closed_ticket(NOW - timedelta(hours=5))
    sent_surveys(NOW)
    message = db.session.scalars(select(OutgoingMessage)).one()
    assert ticket.number in message.text and "/portal/survey/" in message.text
    link = db.session.scalars(select(CustomerLink)).one()
    assert (link.step, link.record_id) == ("answer_survey", ticket.id)


def test_a_customer_who_opted_out_is_not_sent_the_survey(settings_changed):
    settings_changed("visits", survey_share=1.0)
    ticket = make_closed_ticket(NOW - timedelta(hours=5))
    record_preference(db.session, make_user("admin"), ticket.customer_id, opted_out=True)
    sent_surveys(NOW)
    assert db.session.scalars(select(OutgoingMessage.status)).one() == \
        MessageStatus.SKIPPED_OPT_OUT


def test_the_job_is_registered():
    assert "visits.send_surveys" in {job.id for job in REGISTRY}


@pytest.mark.parametrize("share", [0.0, 1.0])
def test_a_share_of_nothing_or_everything(settings_changed, share):
    settings_changed("visits", survey_share=share)
    make_closed_ticket(NOW - timedelta(hours=5))
    assert len(sent_surveys(NOW)) == int(share)

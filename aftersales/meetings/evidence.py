"""Evidence provider of customer meetings (clause 5.3.1.5; seed 000: at least two customer
meetings a year): the meetings with minutes held in the 365 days ending on the period's
last day. A year is the standard's rhythm whatever the period's length, so a quarter's
figure still asks whether the company has met its customers twice in the last year."""

from datetime import timedelta

from aftersales.evidence.compliance.registry import (
    Measure,
    names_by,
    provider,
    record_kind,
    record_link,
    record_names,
)
from aftersales.meetings.models import CustomerMeeting
from aftersales.meetings.services import count_evidenced, evidenced_between

YEAR_DAYS = 365
record_link("customer_meetings", "meetings.show", "meeting_id")
record_names("customer_meetings", names_by(CustomerMeeting.topic))
# Attendees are customers' names: the package shows how many came, not who.
record_kind("customer_meetings", label_zh="客户恳谈会", label_en="Customer meetings",
            hidden=("attendees", "minutes_file_key"))


@provider("meetings.customer_meetings", record_type="customer_meetings",
          tables=("customer_meetings",))
def customer_meetings(session, period, target):
    first_day = period.last_day - timedelta(days=YEAR_DAYS - 1)
    count = count_evidenced(session, first_day, period.last_day)
    return Measure(float(count), records=evidenced_between(first_day, period.last_day)
                   .order_by(CustomerMeeting.id.desc()))

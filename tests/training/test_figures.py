"""The live staffing and training figures."""

from datetime import UTC, date, datetime, timedelta

import pytest

from aftersales.extensions import db
from aftersales.training import figures, services
from tests.training.factories import TODAY, attend, make_certificate, make_session, make_staff


def managers(count, certified, **values):
    people = [make_staff("service_manager", is_service_management=True, **values)
              for _ in range(count)]
    for person in people[:certified]:
        make_certificate(person, "service_manager")
    return people


@pytest.mark.parametrize(("staff", "certified", "met"), [
    (10, 1, True),    # exactly 10%
    (11, 1, False),   # 9.09%
    (10, 0, False),
    (9, 1, True),     # 11.1%
    (20, 2, True),
    (21, 2, False),
])
def test_certified_service_managers_at_the_edges_of_ten_percent(staff, certified, met):
    managers(staff, certified)
    ratio, is_met = figures.certified_managers(db.session, TODAY)
    assert (ratio.numerator, ratio.denominator, is_met) == (certified, staff, met)


def test_no_service_management_staff_is_no_data():
    make_staff("technician")
    ratio, met = figures.certified_managers(db.session, TODAY)
    assert (ratio.denominator, ratio.share, met) == (0, None, None)


def test_an_expired_manager_certificate_and_a_leaver_do_not_count():
    people = managers(10, 0)
    make_certificate(people[0], "service_manager", expires_on=date(2026, 11, 22))
    leaver = make_staff("service_manager", is_service_management=True, is_active=False)
    make_certificate(leaver, "service_manager")
    ratio, met = figures.certified_managers(db.session, TODAY)
    assert (ratio.numerator, ratio.denominator, met) == (0, 10, False)


def test_a_certificate_held_by_someone_outside_service_management_does_not_count():
    managers(10, 0)
    make_certificate(make_staff("technician"), "service_manager")
    assert figures.certified_managers(db.session, TODAY)[0].numerator == 0


def test_technicians_need_every_certificate_of_their_work_types():
    services.add_rule(db.session, certificate_type="electrician", work_type="repair")
    services.add_rule(db.session, certificate_type="height_work", work_type="installation")
    services.add_rule(db.session, certificate_type="gas", product_category="water_heater")
    complete = make_staff(work_types=["repair", "installation"])
    make_certificate(complete, "electrician")
    make_certificate(complete, "height_work")
    partial = make_staff(work_types=["repair", "installation"])
    make_certificate(partial, "electrician")
    expired = make_staff(work_types=["repair"])
    make_certificate(expired, "electrician", expires_on=date(2026, 1, 1))
    make_staff(work_types=["delivery"])  # no rule for deliveries: complete
    make_staff("agent")  # not a technician
    ratio = figures.technicians_certified(db.session, TODAY)
    assert (ratio.numerator, ratio.denominator) == (2, 4)


def test_training_coverage_counts_staff_signed_in_within_365_days():
    trained, absent, long_ago, _untrained = (make_staff() for _ in range(4))
    recent = make_session(datetime(2026, 6, 1, 2, tzinfo=UTC))
    attend(recent, trained)
    from aftersales.training import sessions
    sessions.enrol(db.session, recent, [absent.id])  # on the roster, never signed in
    attend(make_session(datetime(2025, 11, 1, 2, tzinfo=UTC)), long_ago)
    ratio = figures.training_coverage(db.session, TODAY)
    assert (ratio.numerator, ratio.denominator) == (1, 4)


def test_pass_rate_is_passed_over_scored():
    people = [make_staff() for _ in range(4)]
    training = make_session(pass_mark=60)
    attend(training, *people[:3])
    from aftersales.training import sessions
    sessions.record_scores(db.session, training,
                           {people[0].id: 60, people[1].id: 59, people[2].id: 95})
    db.session.commit()
    ratio = figures.pass_rate(db.session, TODAY)
    assert (ratio.numerator, ratio.denominator) == (2, 3)


def test_service_culture_sessions_of_the_local_year():
    # 2026-12-31 17:00 UTC is 2027-01-01 01:00 in Shanghai: next year's.
    make_session(datetime(2026, 12, 31, 17, tzinfo=UTC), kind="service_culture")
    make_session(datetime(2026, 3, 1, 2, tzinfo=UTC), kind="service_culture")
    make_session(datetime(2026, 3, 2, 2, tzinfo=UTC), kind="technical")
    assert figures.service_culture_sessions(db.session, 2026) == 1
    assert figures.service_culture_sessions(db.session, 2027) == 1


def test_training_hours_per_person_per_year():
    person = make_staff()
    attend(make_session(datetime(2026, 3, 1, 2, tzinfo=UTC), hours=2), person)
    attend(make_session(datetime(2026, 4, 1, 2, tzinfo=UTC), hours=3), person)
    attend(make_session(datetime(2025, 4, 1, 2, tzinfo=UTC), hours=5), person)
    from aftersales.training import sessions
    assert sessions.hours_by_staff(db.session, 2026) == {person.id: 5.0}
    assert sessions.hours_by_staff(db.session, 2025, [person.id]) == {person.id: 5.0}
    assert timedelta(hours=1)  # keep import used


def test_a_renewed_certificate_is_neither_listed_nor_counted_as_expiring():
    from aftersales.core.permissions import Scope

    staff = make_staff()
    make_certificate(staff, type="electrician", expires_on=TODAY + timedelta(days=10))
    make_certificate(staff, type="electrician", expires_on=TODAY + timedelta(days=3 * 365))
    other = make_staff()
    make_certificate(other, type="electrician", expires_on=TODAY + timedelta(days=10))
    everywhere, until = Scope(everywhere=True), TODAY + timedelta(days=90)
    listed = services.expiring_certificates(db.session, everywhere, TODAY, until)
    assert [name for _certificate, name in listed] == [other.name]
    assert services.expiring_count(db.session, everywhere, TODAY, until) == 1

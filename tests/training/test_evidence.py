"""The training module's evidence providers: figure, counts and failing records."""

from datetime import timedelta

from aftersales.core.clock import utcnow
from aftersales.evidence.compliance import registry
from aftersales.evidence.compliance.registry import Period
from aftersales.extensions import db
from aftersales.training import services
from tests.evidence.factories import days_ago
from tests.training.factories import attend, make_certificate, make_session, make_staff


def measure(key: str, target: float = 1.0):
    measured = registry.registered()[key].func(db.session, Period.ending(days_ago(0), 90), target)
    failing = list(db.session.scalars(measured.failing)) if measured.failing is not None else []
    return measured, failing


def test_certified_staff_fails_a_technician_missing_a_certificate_his_work_needs():
    services.add_rule(db.session, certificate_type="electrician", work_type="repair")
    holder = make_staff(work_types=["repair"])
    make_certificate(holder, "electrician")
    lapsed = make_staff(work_types=["repair"])
    make_certificate(lapsed, "electrician", expires_on=days_ago(1))
    make_staff(work_types=["delivery"])  # no rule for deliveries: complete
    make_staff("service_manager", is_service_management=True)  # not a technician
    measured, failing = measure("training.certified_staff")
    assert (measured.passed, measured.checked, failing) == (2, 3, [lapsed.id])


def test_service_manager_ratio_is_certified_managers_over_service_management_staff():
    people = [make_staff("service_manager", is_service_management=True) for _ in range(4)]
    make_certificate(people[0], "service_manager")
    make_staff()  # a technician is not service-management staff
    measured, failing = measure("training.service_manager_ratio", 0.10)
    assert (measured.value, measured.passed, measured.checked) == (0.25, 1, 4)
    assert failing == [person.id for person in people[1:]]


def test_sessions_held_counts_the_attended_sessions_of_the_period_that_have_ended():
    trainee = make_staff()
    held = [make_session(starts_at=utcnow() - timedelta(days=days), kind=kind)
            for days, kind in ((10, "technical"), (40, "service_culture"))]
    for training in held:
        attend(training, trainee)
    attend(make_session(starts_at=utcnow() - timedelta(days=200)), trainee)  # before the period
    attend(make_session(starts_at=utcnow() - timedelta(minutes=30)), trainee)  # still running
    make_session(starts_at=utcnow() - timedelta(days=20))  # nobody signed in: not held
    measured, _ = measure("training.sessions_held", 4)
    assert measured.value == 2
    assert set(db.session.scalars(measured.records)) == {s.id for s in held}


def test_service_culture_training_is_counted_on_its_own():
    # Three technical sessions and no service-culture one: 5.1.3.2 b fails with 0.
    trainee = make_staff()
    for days in (5, 15, 25):
        attend(make_session(starts_at=utcnow() - timedelta(days=days)), trainee)
    assert measure("training.service_culture_sessions", 1)[0].value == 0
    culture = make_session(starts_at=utcnow() - timedelta(days=8), kind="service_culture")
    attend(culture, trainee)
    measured, _ = measure("training.service_culture_sessions", 1)
    assert measured.value == 1 and list(db.session.scalars(measured.records)) == [culture.id]


def test_staff_but_no_session_in_the_period_is_zero_sessions():
    make_staff()
    assert measure("training.sessions_held", 4)[0].value == 0


def test_no_staff_on_record_is_no_data_for_every_training_provider():
    make_session(starts_at=utcnow() - timedelta(days=10))
    for key in ("training.certified_staff", "training.service_manager_ratio",
                "training.sessions_held"):
        assert measure(key)[0].value is None, key


def test_a_certificate_issued_after_the_periods_last_day_does_not_count():
    manager = make_staff("service_manager", is_service_management=True)
    make_certificate(manager, "service_manager", issued_on=days_ago(-30))
    measured, failing = measure("training.service_manager_ratio", 0.10)
    assert (measured.value, failing) == (0.0, [manager.id])

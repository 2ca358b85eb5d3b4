"""missing_certificates / certificates_by_user: what dispatch asks of the training module."""

from datetime import date

from aftersales.extensions import db
from aftersales.training import services
from aftersales.training.services import certificates_by_user, missing_certificates
from tests.factories import make_user
from tests.training.factories import TODAY, make_certificate, make_staff


def rule(certificate_type, product_category=None, work_type=None):
    services.add_rule(db.session, certificate_type=certificate_type,
                      product_category=product_category, work_type=work_type)
    db.session.commit()


def ask(user, category="air_conditioner", work_type="installation", on=TODAY):
    return missing_certificates(db.session, user_id=user.id, product_category=category,
                                work_type=work_type, on=on)


def test_no_rule_means_qualified():
    assert ask(make_user("technician")) == []


def test_a_user_without_staff_record_lacks_every_required_type():
    rule("refrigeration", product_category="air_conditioner")
    rule("height_work", work_type="installation")
    assert ask(make_user("technician")) == ["height_work", "refrigeration"]


def test_held_certificates_are_not_missing():
    rule("refrigeration", product_category="air_conditioner")
    rule("height_work", work_type="installation")
    user = make_user("technician")
    staff = make_staff(user_id=user.id)
    make_certificate(staff, "refrigeration")
    assert ask(user) == ["height_work"]


def test_an_expired_certificate_counts_as_missing_and_the_last_day_still_counts():
    rule("electrician", work_type="repair")
    user = make_user("technician")
    make_certificate(make_staff(user_id=user.id), "electrician", expires_on=TODAY)
    assert ask(user, work_type="repair", on=TODAY) == []
    assert ask(user, work_type="repair", on=date(2026, 11, 24)) == ["electrician"]


def test_a_rule_for_both_applies_only_to_that_category_and_work_type():
    rule("gas", product_category="water_heater", work_type="installation")
    user = make_user("technician")
    assert ask(user, "water_heater", "installation") == ["gas"]
    assert ask(user, "water_heater", "repair") == []
    assert ask(user, "air_conditioner", "installation") == []
    assert ask(user, None, "installation") == []


def test_certificates_by_user_lists_those_in_force_in_one_query():
    first, second, stranger = make_user("technician"), make_user("technician"), make_user()
    staff = make_staff(user_id=first.id)
    make_certificate(staff, "electrician")
    make_certificate(staff, "gas", expires_on=date(2026, 1, 1))
    make_certificate(make_staff(user_id=second.id), "height_work")
    found = certificates_by_user(db.session, [first.id, second.id, stranger.id], TODAY)
    assert [c.type for c in found[first.id]] == ["electrician"]
    assert [c.type for c in found[second.id]] == ["height_work"]
    assert found[stranger.id] == []

"""Rungs of the escalation ladder read as words, never as their keys."""

from flask_babel import force_locale

from aftersales.complaints.labels import step_label


def test_a_rung_before_the_limit_says_how_much_time_is_used():
    with force_locale("en"):
        assert step_label("response_75") == "75% of the time limit used"


def test_a_rung_after_the_limit_says_how_long_past_it():
    with force_locale("en"):
        assert step_label("response_breach_24h") == "24 hours past the time limit"


def test_a_rung_no_longer_on_the_ladder_is_still_said_in_words():
    with force_locale("en"):
        assert step_label("gone_step") == "a rung of an earlier escalation ladder"

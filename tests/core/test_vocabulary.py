"""One definition per vocabulary gives its codes, CHECK, validator and labels."""

import pytest
from flask_babel import force_locale
from flask_babel import lazy_gettext as _l
from marshmallow import ValidationError

from aftersales.core.vocabulary import Vocabulary, labeller


class Shade(Vocabulary):
    LIGHT = "light", _l("Normal")
    DARK = "dark"


def test_the_codes_keep_their_order_and_members_equal_their_codes():
    assert Shade.codes() == ("light", "dark")
    assert Shade.LIGHT == "light" and Shade("dark") is Shade.DARK


def test_the_check_keeps_the_column_to_the_codes():
    assert Shade.check("shade") == "shade IN ('light', 'dark')"


def test_the_validator_refuses_a_code_not_in_the_vocabulary():
    Shade.validator()("dark")
    with pytest.raises(ValidationError):
        Shade.validator()("grey")


def test_labels_are_said_in_the_readers_language_and_default_to_the_code(app):
    with app.test_request_context(headers={"Accept-Language": "zh-CN"}):
        assert {code: str(label) for code, label in Shade.labels().items()} == {
            "light": "普通", "dark": "dark"}


def test_a_labeller_gives_each_locale_its_own_words_and_an_unknown_code_as_it_is(app):
    label = labeller(Shade.labels())
    with app.test_request_context():
        with force_locale("en"):
            english = label("light")
        with force_locale("zh"):
            chinese = label("light")
        with force_locale("en"):
            assert (label("light"), label("dusk")) == (english, "dusk") == ("Normal", "dusk")
    assert chinese != english

"""Settings are typed once, when the app starts: a bad value stops the start, naming the
environment variable and the reason (core/settings.py and each module's settings.py)."""

import pytest

from aftersales import create_app
from aftersales.config import load_settings
from aftersales.core import settings as core_settings
from aftersales.core.settings import SettingRefused
from aftersales.tickets import settings as ticket_settings


def start_with(**settings):
    return create_app({"SQLALCHEMY_DATABASE_URI": "sqlite://", "SECRET_KEY": "x", **settings})


@pytest.mark.parametrize(("key", "value", "reason"), [
    ("GEOFENCE_METRES", "far", "'far' is not a whole number"),
    ("GEOFENCE_METRES", "0", "0 is not at least 10"),
    ("SMTP_PORT", "70000", "70000 is not at least 1 and at most 65535"),
    ("COVERAGE_TARGET", "80%", "'80%' is not a number"),
    ("COVERAGE_TARGET", "1.5", "1.5 is not between 0 and 1"),
    ("SMTP_STARTTLS", "maybe", "'maybe' is not true or false"),
    ("COMPLAINT_CALENDAR", "lunar", "'lunar' is not clock or business"),
    ("HOTLINE_HOURS", "9-5", "is not HH:MM-HH:MM"),
])
def test_a_bad_setting_stops_the_start_naming_the_variable(key, value, reason):
    settings = {key: value, "SMTP_HOST": "mail.example.com"}
    with pytest.raises(SettingRefused, match=f"^AFTERSALES_{key}: .*{reason}"):
        start_with(**settings)


def test_a_setting_left_empty_takes_its_modules_default():
    app = start_with(GEOFENCE_METRES="", WHAT_IF_RADIUS_KM=None)
    with app.app_context():
        assert ticket_settings.current().geofence_m == 500


def test_settings_are_read_once_not_from_the_config_on_each_use():
    app = start_with(GEOFENCE_METRES="300")
    app.config["GEOFENCE_METRES"] = "900"
    with app.app_context():
        assert ticket_settings.current().geofence_m == 300


def test_outside_an_application_the_defaults_apply():
    assert ticket_settings.current().geofence_m == 500


def test_every_key_a_module_reads_is_passed_on_from_the_environment(app, monkeypatch,
                                                                    tmp_path):
    """A module's settings.py reading a key config.py does not pass on would quietly keep
    its default whatever the operator sets in AFTERSALES_<NAME>."""
    read: set[str] = set()
    given = core_settings._given

    def noting(config, key):
        read.add(key)
        return given(config, key)

    monkeypatch.setattr(core_settings, "_given", noting)
    for reader in core_settings._READERS.values():
        reader({})
    assert read and read - set(load_settings(tmp_path)) == set()

import pytest

from aftersales.core import calendar


@pytest.fixture(autouse=True)
def package_knows_up_to_2026(monkeypatch):
    """These tests enter 2027 as an operator would: they must not change meaning the day a
    newer chinese-calendar learns 2027."""
    monkeypatch.setattr(calendar, "PACKAGE_YEARS",
                        frozenset(year for year in calendar.PACKAGE_YEARS if year <= 2026))

"""Return visits' settings, read once when the app starts (core/settings.py): the share of
closed work orders sent the satisfaction survey, and how long its link works."""

from collections.abc import Mapping
from dataclasses import dataclass
from datetime import timedelta

from aftersales.core.settings import fraction, section, whole


@dataclass(frozen=True)
class VisitSettings:
    survey_share: float
    survey_link_lifetime: timedelta


def _read(config: Mapping) -> VisitSettings:
    return VisitSettings(
        survey_share=fraction(config, "VISITS_SURVEY_SHARE", 0.3),
        survey_link_lifetime=timedelta(days=whole(config, "VISITS_SURVEY_LINK_DAYS", 14,
                                                  minimum=1, maximum=90)),
    )


current = section("visits", _read)

"""What the outlet pages and the API both answer with, for the signed-in user: the
coverage report, the default performance period, an agreement's download."""

import io
from datetime import date, timedelta

from flask import send_file
from flask_babel import lazy_gettext as _l
from flask_login import current_user

from aftersales.core.clock import local_today
from aftersales.core.errors import PermissionDenied
from aftersales.core.permissions import scope_of
from aftersales.extensions import db
from aftersales.outlets import services, settings

PERFORMANCE_DAYS = 90


def agreement_response(outlet):
    data, content_type, name = services.agreement_file(outlet)
    response = send_file(io.BytesIO(data), mimetype=content_type, as_attachment=True,
                         download_name=name)
    response.headers["Cache-Control"] = "no-store"
    return response


def build_report(day: date | None, radius_km: int | None):
    """Coverage is a figure of the whole enterprise: a grant scoped to some outlets or
    regions does not show it (it would name every outlet)."""
    if not scope_of(current_user, "outlets.coverage").everywhere:
        raise PermissionDenied(_l("Coverage is shown to enterprise-wide roles only."))
    configured = settings.current()
    return services.coverage_report(
        db.session, day or local_today(), configured.coverage_target,
        radius_km or configured.what_if_radius_km,
    )


def performance_period(first_day: date | None, last_day: date | None) -> tuple[date, date]:
    """The days asked for; by default the last PERFORMANCE_DAYS up to today."""
    last_day = last_day or local_today()
    return first_day or last_day - timedelta(days=PERFORMANCE_DAYS - 1), last_day

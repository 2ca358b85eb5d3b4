"""Every public form counts against the client address (and, where a phone number is
typed, against that number too) in fixed windows (core/rate_limit.py); past the limit the
answer is a 429 with Retry-After, so codes and numbers cannot be tried by the thousand."""

import hashlib
from datetime import timedelta

from flask import request
from flask_babel import gettext as _

from aftersales.core import rate_limit
from aftersales.core.clock import utcnow
from aftersales.core.errors import error_response
from aftersales.customers import services as customer_services
from aftersales.extensions import db
from aftersales.portal import settings


def refused(form: str, phone: str | None = None):
    """The 429 to answer when this client address, or this phone number, has used up its
    tries at the form; else None. The try is counted and kept at once, apart from the
    request's work: a refused answer (a wrong code, a used link) rolls that work back, and
    a flood of them must still be throttled."""
    limits = settings.current()
    counts = [(form, request.remote_addr or "", limits.lookups_per_window)]
    if phone:
        counts.append((f"{form}-phone", _hashed(form, phone), limits.lookups_per_window))
    answer = _past_limit(counts, limits.window)
    db.session.commit()
    return answer


def _hashed(form: str, phone: str) -> str:
    """A phone number as a throttle key: by its hash, never stored as typed."""
    digits = customer_services.phone_digits(phone)
    return hashlib.sha256(f"{form}:{digits}".encode()).hexdigest()


def report_refused(phone: str):
    """The same for a fault report, with the report's own limits and window: fewer per
    phone number (each report sends it an SMS), more per address (mobile carriers put many
    phones behind one). The number is counted by its hash."""
    limits = settings.current()
    return _past_limit([
        ("portal-report", request.remote_addr or "", limits.reports_per_address),
        ("portal-report-phone", _hashed("portal-report", phone), limits.reports_per_phone),
    ], limits.report_window)


def _past_limit(counts: list[tuple[str, str, int]], window: timedelta):
    """Count one try under each (form, who, limit); the 429 when any is past its limit."""
    waits = [rate_limit.hit(db.session, name, who, limit, window, utcnow())
             for name, who, limit in counts]
    wait = max((w for w in waits if w is not None), default=None)
    if wait is None:
        return None
    seconds = max(1, int(wait.total_seconds()))
    return error_response(429, _("Too many tries from here: try again in %(minutes)d "
                                 "minutes.", minutes=-(-seconds // 60)),
                          headers={"Retry-After": str(seconds)})

"""Throttling for every public form: each request counts against a key (the client address,
or a phone number asked about) in fixed windows (core/rate_limit.py); past the limit the
answer is a 429 with Retry-After, saying in minutes when to try again."""

from collections.abc import Callable
from datetime import timedelta

from flask import request
from flask_babel import gettext as _

from aftersales.core import rate_limit
from aftersales.core.clock import utcnow
from aftersales.core.errors import error_response
from aftersales.extensions import db
from aftersales.portal import settings


def refused(form: str, who: str, limit: int, window: timedelta,
            said: Callable[[int], str]):
    """Count one request of `who` at `form`: the 429 to answer when past `limit` in the
    window (`said(minutes)` its words), else None."""
    wait = rate_limit.hit(db.session, form, who, limit, window, utcnow())
    if wait is None:
        return None
    seconds = max(1, int(wait.total_seconds()))
    return error_response(429, said(-(-seconds // 60)), headers={"Retry-After": str(seconds)})


def look_up_refused(form: str):
    """Count one look-up (a code checked, the times of an address shown) of this client
    address: the 429 to answer when it has used up its look-ups, else None."""
    limits = settings.current()
    return refused(
        form, request.remote_addr or "", limits.lookups_per_window, limits.window,
        lambda minutes: _("Too many look-ups from here: try again in %(minutes)d minutes.",
                          minutes=minutes))

"""Every public form counts against the client address (and, where a phone number is
typed, against that number too) in fixed windows (core/rate_limit.py); past the limit the
answer is a 429 with Retry-After, so codes and numbers cannot be tried by the thousand."""

from flask import request
from flask_babel import gettext as _

from aftersales.core import rate_limit
from aftersales.core.clock import utcnow
from aftersales.core.errors import error_response
from aftersales.extensions import db
from aftersales.portal import settings


def refused(form: str, phone: str | None = None):
    """The 429 to answer when this client address, or this phone number, has used up its
    tries at the form; else None (and the try is counted)."""
    limits = settings.current()
    keys = [(form, request.remote_addr or "")]
    if phone:
        keys.append((f"{form}-phone", "".join(ch for ch in phone if ch.isdigit())))
    waits = [rate_limit.hit(db.session, name, who, limits.lookups_per_window, limits.window,
                            utcnow()) for name, who in keys]
    wait = max((w for w in waits if w is not None), default=None)
    if wait is None:
        return None
    seconds = max(1, int(wait.total_seconds()))
    return error_response(429, _("Too many tries from here: try again in %(minutes)d "
                                 "minutes.", minutes=-(-seconds // 60)),
                          headers={"Retry-After": str(seconds)})

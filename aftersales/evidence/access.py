"""The evidence covers the whole enterprise: a role scoped to some outlets or regions
reads none of it (its record ids and figures span every outlet)."""

from flask_babel import lazy_gettext as _l
from flask_login import current_user

from aftersales.core.errors import error_response
from aftersales.core.permissions import scope_of

NOT_WIDE = _l("The compliance evidence covers the whole enterprise; it needs an "
              "enterprise-wide role.")


def enterprise_wide_only():
    """A blueprint before_request: runs after the access gate, which has signed in."""
    if current_user.is_authenticated and not scope_of(current_user, "evidence.read").everywhere:
        return error_response(403, NOT_WIDE)
    return None

"""What people type for a sample, checked one way everywhere (the return-visit sample,
audit periods): its share of each stratum and its seed."""

import secrets
from decimal import Decimal, InvalidOperation

from flask_babel import lazy_gettext as _l
from marshmallow import ValidationError, fields

from aftersales.core.errors import ValidationFailed

DEFAULT_SHARE = Decimal("0.10")  # GB/T 27922 practice: at least 10 % of service cases
MIN_SHARE = Decimal("0.10")
MAX_SEED = 2**31 - 1


def checked_share(value) -> Decimal:
    try:
        share = Decimal(str(value)).quantize(Decimal("0.0001"))
    except (InvalidOperation, ValueError) as error:
        raise ValidationFailed(_l("Give the share as a number, e.g. 0.10."), "share") from error
    if not MIN_SHARE <= share <= 1:
        raise ValidationFailed(
            _l("The share is at least 10 percent and at most 100 percent."), field="share"
        )
    return share


def share_from_percent(text: str) -> Decimal:
    """A share typed as a percentage ("10", "12.5") on a page."""
    try:
        percent = Decimal(text.strip().rstrip("%"))
    except (InvalidOperation, AttributeError) as error:
        raise ValidationFailed(_l("Give the share as a percentage, e.g. 10."), "share") from error
    if not percent.is_finite():
        raise ValidationFailed(_l("Give the share as a percentage, e.g. 10."), "share")
    return checked_share(percent / 100)


def checked_seed(seed: int | None) -> int:
    """The seed given, or a fresh random one (stored by the caller, so the draw repeats)."""
    if seed is None:
        return secrets.randbelow(MAX_SEED + 1)
    if not 0 <= seed <= MAX_SEED:
        raise ValidationFailed(_l("A seed is a whole number from 0 to 2147483647."), "seed")
    return seed


class PercentShare(fields.Field):
    """A share typed as a percentage ("10", "12.5"), loaded as the fraction it is."""

    def _deserialize(self, value, attr, data, **kwargs) -> Decimal:
        try:
            return share_from_percent(str(value))
        except ValidationFailed as problem:
            raise ValidationError(str(problem.message)) from problem

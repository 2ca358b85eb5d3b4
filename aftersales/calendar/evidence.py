"""The calendar's part in the audit report (section 5): where each year's holidays came
from, the company's hours, and the clocks counted on a guessed calendar."""

from datetime import date

from sqlalchemy.orm import Session

from aftersales.calendar import services
from aftersales.evidence.compliance.registry import CalendarBasis, calendar_basis


@calendar_basis
def basis(session: Session, first_day: date, last_day: date) -> CalendarBasis:
    guessed = services.guessed_clocks(session, first_day, last_day)
    return CalendarBasis(
        years=[services.year_status(session, year).__dict__
               for year in range(first_day.year, last_day.year + 1)],
        hours=services.hours_in_force(session).hours.text(),
        guessed_count=guessed.count,
        guessed=guessed.listed,
    )

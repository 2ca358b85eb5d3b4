"""What every all-or-nothing file import reports when rows are wrong."""

from dataclasses import dataclass

from flask_babel import lazy_gettext as _l

from aftersales.core.errors import ValidationFailed

MAX_REPORTED = 500  # errors listed; the count covers them all


@dataclass(frozen=True)
class RowError:
    row: int
    field: str
    reason: str


class ImportRefused(ValidationFailed):
    """Some rows are bad: nothing was imported. `rows` lists the first MAX_REPORTED."""

    def __init__(self, rows: list[RowError], bad_rows: int):
        super().__init__(
            _l("Rows with errors: %(count)d. Nothing was imported.", count=bad_rows)
        )
        self.rows = rows[:MAX_REPORTED]
        self.bad_rows = bad_rows

    @property
    def errors(self) -> dict[str, list[str]]:
        return {"rows": [f"{e.row} {e.field}: {e.reason}" for e in self.rows]}

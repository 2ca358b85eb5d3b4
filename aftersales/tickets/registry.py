"""What other modules show on a work order's page. Those modules sit above tickets (return
visits open follow-up work orders through tickets.services), so tickets imports none of
them: each registers, in its work_order_panels.py, a function that gives its panel of one
work order (or None), and the page asks here. The files are loaded by name."""

import functools
from collections.abc import Callable
from dataclasses import dataclass, field

from sqlalchemy.orm import Session

from aftersales.core import domain_files

PANELS_FILE = "work_order_panels"


@dataclass(frozen=True)
class Panel:
    """A template of the registering module and the values it is drawn with."""

    template: str
    values: dict = field(default_factory=dict)


PanelSource = Callable[[Session, int], Panel | None]
_PANELS: list[PanelSource] = []


def work_order_panel(func: PanelSource) -> PanelSource:
    _PANELS.append(func)
    return func


def panels_of(session: Session, ticket_id: int) -> list[Panel]:
    _load_panel_owners()
    return [panel for panel in (source(session, ticket_id) for source in _PANELS) if panel]


@functools.cache
def _load_panel_owners() -> None:
    domain_files.import_each(PANELS_FILE)

"""The main menu. Each module registers its entries beside its blueprint (blueprint.py),
as it registers its home tiles; base.html shows the entries the signed-in user may open,
in order. The menu knows no module: a module added or removed adds or removes its own
entries."""

from collections.abc import Callable
from dataclasses import dataclass

from aftersales.core.auth import can


@dataclass(frozen=True)
class MenuEntry:
    order: int
    name: str  # stable, for the link's id (nav-<name>) and tests
    endpoint: str
    label: object  # a lazy string, said in the reader's language
    permission: str | None = None  # None: every signed-in user
    role: str | None = None  # shown to holders of this role only (a technician's own list)
    count: Callable[[], int] | None = None  # a figure beside the label (unread messages)


_ENTRIES: list[MenuEntry] = []


def menu_entry(order: int, name: str, endpoint: str, label, *, permission: str | None = None,
               role: str | None = None, count: Callable[[], int] | None = None) -> None:
    _ENTRIES.append(MenuEntry(order, name, endpoint, label, permission, role, count))
    _ENTRIES.sort(key=lambda entry: entry.order)


def menu_for(user) -> list[MenuEntry]:
    if not getattr(user, "is_authenticated", False):
        return []
    return [entry for entry in _ENTRIES
            if (entry.permission is None or can(user, entry.permission))
            and (entry.role is None or entry.role in user.roles)]

"""The main menu. Each module registers its entries beside its blueprint (blueprint.py),
as it registers its home tiles, naming the group of jobs the entry belongs to; base.html
shows the entries the signed-in user may open. The menu knows no module: a module added or
removed adds or removes its own entries.

Home and notifications stay in sight (no group); the rest sit in groups by the job they
serve, behind one menu button on a phone. The group a user's role works in all day comes
first (an agent's desk, a handler's complaints), so the entries they use most are the first
they see when the menu opens."""

from collections.abc import Callable
from dataclasses import dataclass
from enum import StrEnum

from flask_babel import lazy_gettext as _l

from aftersales.core.auth import can


class MenuGroup(StrEnum):
    DESK = "desk"
    FOLLOW_UP = "follow-up"
    MANAGE = "manage"

    @property
    def label(self):
        return _GROUP_LABELS[self]


# The group each role works in all day; roles are the platform's (core/permissions.py).
_DAILY_GROUP = {
    "agent": MenuGroup.DESK,
    "technician": MenuGroup.DESK,
    "dispatcher": MenuGroup.DESK,
    "complaint_handler": MenuGroup.FOLLOW_UP,
    "trainer": MenuGroup.MANAGE,
    "manager": MenuGroup.MANAGE,
    "auditor": MenuGroup.MANAGE,
    "admin": MenuGroup.MANAGE,
}

_GROUP_LABELS = {
    MenuGroup.DESK: _l("Service desk"),
    MenuGroup.FOLLOW_UP: _l("Complaints and return visits"),
    MenuGroup.MANAGE: _l("Management"),
}


@dataclass(frozen=True)
class MenuEntry:
    order: int
    name: str  # stable, for the link's id (nav-<name>) and tests
    endpoint: str
    label: object  # a lazy string, said in the reader's language
    permission: str | None = None  # None: every signed-in user
    role: str | None = None  # shown to holders of this role only (a technician's own list)
    count: Callable[[], int] | None = None  # a figure beside the label (unread messages)
    group: MenuGroup | None = None  # None: always in sight (home, notifications)


_ENTRIES: list[MenuEntry] = []


def menu_entry(order: int, name: str, endpoint: str, label, *, permission: str | None = None,
               group: MenuGroup | None = None, role: str | None = None,
               count: Callable[[], int] | None = None) -> None:
    _ENTRIES.append(MenuEntry(order, name, endpoint, label, permission, role, count, group))
    _ENTRIES.sort(key=lambda entry: entry.order)


def menu_for(user) -> list[MenuEntry]:
    if not getattr(user, "is_authenticated", False):
        return []
    return [entry for entry in _ENTRIES
            if (entry.permission is None or can(user, entry.permission))
            and (entry.role is None or entry.role in user.roles)]


@dataclass(frozen=True)
class ShownGroup:
    group: MenuGroup
    entries: list[MenuEntry]


def menu_groups_for(user) -> list[ShownGroup]:
    """The user's grouped entries, their roles' daily groups first (the rest keep the groups'
    own order); entries keep their registered order inside a group."""
    entries = menu_for(user)
    if not entries:
        return []
    daily = {_DAILY_GROUP[role] for role in user.roles if role in _DAILY_GROUP}
    shown = [ShownGroup(group, [entry for entry in entries if entry.group is group])
             for group in MenuGroup]
    return sorted((item for item in shown if item.entries),
                  key=lambda item: item.group not in daily)

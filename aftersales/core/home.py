"""The home page's work tiles and notices. Each module registers, in its views.py, the
one figure its people need first (work orders waiting for a technician, complaints close
to breach, the compliance score); the home page shows the tiles the user's roles may
see. A tile is one indexed count or a read of a stored snapshot, never a computation on
page load. Notices
are the red lines a module puts at the top of the home page or the compliance dashboard
while something needs an owner's action (next year's holiday schedule not entered)."""

from collections.abc import Callable
from dataclasses import dataclass

from sqlalchemy.orm import Session

from aftersales.core.auth import can
from aftersales.core.models import User


@dataclass(frozen=True)
class TileView:
    title: str
    figure: str
    hint: str
    url: str
    alert: bool = False  # needs attention now


TileFunc = Callable[[Session, User], TileView | None]
_TILES: list[tuple[int, str, TileFunc]] = []


def home_tile(permission: str, order: int):
    """Register `func(session, user)` as a tile for users holding `permission`."""

    def register(func: TileFunc) -> TileFunc:
        _TILES.append((order, permission, func))
        _TILES.sort(key=lambda entry: entry[0])
        return func

    return register


def tiles_for(session: Session, user: User) -> list[TileView]:
    shown = []
    for _order, permission, func in _TILES:
        if can(user, permission) and (view := func(session, user)) is not None:
            shown.append(view)
    return shown


@dataclass(frozen=True)
class NoticeView:
    """A red line at the top of a page: something is wrong until someone acts."""

    text: str
    url: str | None = None
    action: str | None = None  # the link's words


NoticeFunc = Callable[[Session, User], list[NoticeView]]
_NOTICES: list[tuple[str, str, NoticeFunc]] = []


def page_notice(permission: str, place: str):
    """Register `func(session, user)` as notices on `place` ("home", "dashboard") for
    users holding `permission`. Stack the decorator to show one notice in several places."""

    def register(func: NoticeFunc) -> NoticeFunc:
        _NOTICES.append((place, permission, func))
        return func

    return register


def notices_for(session: Session, user: User, place: str) -> list[NoticeView]:
    shown: list[NoticeView] = []
    for where, permission, func in _NOTICES:
        if where == place and can(user, permission):
            shown.extend(func(session, user))
    return shown

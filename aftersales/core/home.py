"""The home page's work tiles and notices. Each module registers, in its views.py, the
one figure its people need first (work orders waiting for a technician, complaints close
to breach, the compliance score) for the roles whose job that figure is; the home page
shows the tiles of the user's jobs. A tile goes by job, not by permission alone: a
manager may write calls and training records, but the callbacks and certificates tiles
are the agent's and the trainer's work, not theirs. A tile is one indexed count or a read
of a stored snapshot, never a computation on page load. Notices are the red lines a module
puts at the top of the home page or the compliance dashboard while something needs an
owner's action (next year's holiday schedule not entered)."""

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
_TILES: list[tuple[int, str, frozenset[str], TileFunc]] = []


def home_tile(permission: str, order: int, *, jobs: frozenset[str]):
    """Register `func(session, user)` as a tile for users in one of the roles `jobs` who
    hold `permission` (which also scopes what the tile counts)."""

    def register(func: TileFunc) -> TileFunc:
        _TILES.append((order, permission, jobs, func))
        _TILES.sort(key=lambda entry: entry[0])
        return func

    return register


def tiles_for(session: Session, user: User) -> list[TileView]:
    shown = []
    for _order, permission, jobs, func in _TILES:
        if not (user.roles & jobs and can(user, permission)):
            continue
        if (view := func(session, user)) is not None:
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

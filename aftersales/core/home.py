"""The home page's work tiles. Each module registers, in its views.py, the one figure its
people need first (work orders waiting for a technician, complaints close to breach, the
compliance score); the home page shows the tiles the user's roles may see. A tile is one
indexed count or a read of a stored snapshot, never a computation on page load."""

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

"""Choices that core's pages offer but another module owns. Core sits below the domains and
imports none of them: the owning module registers the function that lists its records
(the outlets module registers its outlets for the scope picker of the user form)."""

from collections.abc import Callable

from sqlalchemy.orm import Session

OutletChoice = tuple[int, str, str, str]  # id, code, name, region code
_outlet_lister: list[Callable[[Session], list[OutletChoice]]] = []


def lists_outlets(func: Callable[[Session], list[OutletChoice]]):
    """Register `func(session)` as the one source of outlet choices."""
    _outlet_lister[:] = [func]
    return func


def outlet_choices(session: Session) -> list[OutletChoice]:
    return _outlet_lister[0](session) if _outlet_lister else []

"""Which customers a user may see: the privacy rule of the after-sales network (PIPL).

- Someone who acts for the whole company (an enterprise-wide grant of `customers.read`,
  technicians' grants aside) sees every customer.
- Someone scoped to outlets or regions sees the customers linked to work inside that
  scope (a work order or a complaint of one of those outlets), and the customers no work
  links to any outlet yet: the caller just registered, so their first order can be opened.
- A technician sees the customers of the work orders assigned to them, whatever outlet.
- Nobody else sees any: a search returns only visible customers, a profile of another
  is 404, as if it did not exist.

The modules that tie customers to outlets (work orders, complaints) register the SELECT of
linked customer ids here, so this module depends on none of them."""

from collections.abc import Callable
from dataclasses import dataclass

from sqlalchemy import ColumnElement, Select, and_, false, or_, select, true

from aftersales.core.permissions import Scope, scope_of

# (Scope of the user's non-technician grants) -> SELECT of customer ids linked to work there
_BY_SCOPE: list[Callable[[Scope], Select]] = []
# (technician's user id) -> SELECT of the customer ids of the work assigned to them
_BY_ASSIGNEE: list[Callable[[int], Select]] = []


def linked_by_scope(func: Callable[[Scope], Select]) -> Callable[[Scope], Select]:
    _BY_SCOPE.append(func)
    return func


def linked_by_assignee(func: Callable[[int], Select]) -> Callable[[int], Select]:
    _BY_ASSIGNEE.append(func)
    return func


@dataclass(frozen=True)
class Visibility:
    """Computed once per request from the user's grants."""

    scope: Scope  # from grants other than the technician's
    technician_id: int | None = None

    @property
    def everything(self) -> bool:
        return self.scope.everywhere

    def condition(self, customer_id_column) -> ColumnElement[bool]:
        if self.everything:
            return true()
        linked = []
        if self.scope.outlet_ids or self.scope.region_codes:
            linked += [customer_id_column.in_(linker(self.scope)) for linker in _BY_SCOPE]
            linked.append(and_(*(customer_id_column.not_in(_non_null(linker(EVERYWHERE)))
                                 for linker in _BY_SCOPE)))
        if self.technician_id is not None:
            linked += [customer_id_column.in_(linker(self.technician_id))
                       for linker in _BY_ASSIGNEE]
        return or_(*linked) if linked else false()


EVERYWHERE = Scope(everywhere=True)
EVERYTHING = Visibility(EVERYWHERE)


def _non_null(linked: Select) -> Select:
    # NOT IN over a list holding NULL is never true: leave the NULLs out.
    ids = linked.subquery()
    column = next(iter(ids.c))
    return select(column).where(column.is_not(None))


def of(user) -> Visibility:
    scope = scope_of(user, "customers.read", ignoring=frozenset({"technician"}))
    return Visibility(scope, user.id if "technician" in user.roles else None)

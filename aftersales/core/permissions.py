"""Roles and the permissions they grant: the one table both pages and the API consult.

Deny by default: a permission not listed here is granted to nobody, and an endpoint
that declares no permission is refused (see core/auth.py).
"""

from dataclasses import dataclass

from sqlalchemy import ColumnElement, false, or_

ROLES = (
    "agent",
    "technician",
    "dispatcher",
    "complaint_handler",
    "trainer",
    "manager",
    "auditor",
    "admin",
)

_STAFF = frozenset(ROLES)

PERMISSIONS: dict[str, frozenset[str]] = {
    "account.self": _STAFF,
    "notifications.self": _STAFF,
    "users.manage": frozenset({"admin"}),
    # Where the API-tokens page is offered (menu, home): the roles that run integrations and
    # scripts. The page itself stays open to everyone (their signed-in browsers are there).
    "tokens.offer": frozenset({"manager", "auditor", "admin"}),
    "audit.read": frozenset({"manager", "auditor", "admin"}),
    "customers.read": frozenset(
        {"agent", "technician", "dispatcher", "complaint_handler", "manager", "auditor", "admin"}
    ),
    "customers.write": frozenset({"agent", "dispatcher", "manager", "admin"}),
    # Reaching a customer: their full phone numbers and address. Others (auditor, admin)
    # see them masked: they check records, they do not call or visit.
    "customers.contact": frozenset(
        {"agent", "technician", "dispatcher", "complaint_handler", "manager"}),
    "products.read": _STAFF,
    "products.write": frozenset({"manager", "admin"}),
    "outlets.read": frozenset(
        {"agent", "dispatcher", "complaint_handler", "manager", "auditor", "admin"}
    ),
    "outlets.write": frozenset({"manager", "admin"}),
    "outlets.coverage": frozenset({"manager", "auditor", "admin"}),
    "outlets.agreements": frozenset({"manager", "auditor", "admin"}),
    "tickets.read": frozenset(
        {"agent", "technician", "dispatcher", "complaint_handler", "manager", "auditor", "admin"}
    ),
    "tickets.write": frozenset({"agent", "dispatcher", "manager", "admin"}),
    "tickets.work": frozenset({"technician", "dispatcher", "manager", "admin"}),
    "tickets.dispatch": frozenset({"dispatcher", "manager", "admin"}),
    # Sending a technician without a required certificate: a manager's decision, recorded.
    "dispatch.override": frozenset({"manager"}),
    # The spare-parts ledger (5.1.3.3, 5.2.4.5): read by the outlet's desk, its technicians
    # (what is on the shelf before they leave), managers and the auditor.
    "stock.read": frozenset({"technician", "dispatcher", "manager", "auditor", "admin"}),
    "stock.write": frozenset({"dispatcher", "manager", "admin"}),
    "calls.read": frozenset(
        {"agent", "dispatcher", "complaint_handler", "manager", "auditor", "admin"}
    ),
    "calls.write": frozenset({"agent", "manager", "admin"}),
    "visits.read": frozenset({"agent", "complaint_handler", "manager", "auditor", "admin"}),
    "visits.write": frozenset({"agent", "manager", "admin"}),
    "visits.sample": frozenset({"manager", "admin"}),
    "training.read": frozenset({"trainer", "manager", "auditor", "admin"}),
    "training.write": frozenset({"trainer", "manager", "admin"}),
    "training.rules": frozenset({"manager", "admin"}),
    "training.sign_in": _STAFF,  # a trainee signs in to a session with their own login
    "complaints.read": frozenset(
        {"agent", "dispatcher", "complaint_handler", "manager", "auditor", "admin"}
    ),
    "complaints.write": frozenset({"agent", "complaint_handler", "manager", "admin"}),
    "complaints.handle": frozenset({"complaint_handler", "manager", "admin"}),
    "complaints.board": frozenset({"complaint_handler", "manager", "auditor", "admin"}),
    # The register of service mediators (5.3.2.3): kept by managers.
    "complaints.mediators": frozenset({"manager", "admin"}),
    # The evidence engine: the auditor reads everything, only a manager attests.
    "evidence.read": frozenset({"manager", "auditor", "admin"}),
    "evidence.write": frozenset({"manager", "admin"}),
    "evidence.attest": frozenset({"manager"}),
    "evidence.rubric": frozenset({"manager"}),
    "evidence.recompute": frozenset({"manager", "admin"}),
    # Audit periods: a manager freezes one; packages go to the manager and the auditor only.
    "evidence.freeze": frozenset({"manager"}),
    "evidence.export": frozenset({"manager", "auditor"}),
    # The customer-meeting register (5.3.1.5): attendees are customers' names, so it is
    # read by those who prepare and check the evidence, kept by managers.
    "meetings.read": frozenset({"manager", "auditor", "admin"}),
    "meetings.write": frozenset({"manager", "admin"}),
    # The business calendar every clock counts on: read by those who answer "why is this
    # due then?", kept by the admin, and its gaps told to admins and managers.
    "calendar.read": frozenset(
        {"agent", "dispatcher", "complaint_handler", "manager", "auditor", "admin"}
    ),
    "calendar.manage": frozenset({"admin"}),  # the company's calendar: enterprise-wide
    "calendar.hours": frozenset({"admin"}),  # an outlet's own working hours
    "calendar.notice": frozenset({"manager", "admin"}),
    # Messages to customers: the outbox (every customer's, masked) read by those who
    # answer for what the company sends; a customer's "no more surveys" taken at the desk.
    "messaging.read": frozenset({"manager", "admin"}),
    "messaging.preferences": frozenset({"agent", "complaint_handler", "manager", "admin"}),
}


# What spans every outlet: the user accounts (granting a role is granting its scope), the
# audit trail, the business calendar every clock counts on, the evidence and the registers
# it is built from. A grant scoped to some outlets or regions does not carry these.
ENTERPRISE_WIDE = frozenset({
    "users.manage", "audit.read", "calendar.manage", "meetings.write",
    "complaints.mediators", "visits.sample", "messaging.read",
    *(permission for permission in PERMISSIONS if permission.startswith("evidence.")),
})


def roles_granting(permission: str) -> frozenset[str]:
    return PERMISSIONS.get(permission, frozenset())


@dataclass(frozen=True)
class Scope:
    """Where a user may act for one permission: everywhere, or some outlets and regions."""

    everywhere: bool
    outlet_ids: frozenset[int] = frozenset()
    region_codes: frozenset[str] = frozenset()

    def allows(self, outlet_id: int | None, region_code: str | None) -> bool:
        """Whether one record, of this outlet and region, lies inside the scope."""
        return (
            self.everywhere
            or outlet_id in self.outlet_ids
            or region_code in self.region_codes
        )

    def condition(self, outlet_column, region_column) -> ColumnElement[bool] | None:
        """A WHERE clause limiting a query to this scope (None: no limit)."""
        if self.everywhere:
            return None
        clauses = []
        if self.outlet_ids:
            clauses.append(outlet_column.in_(self.outlet_ids))
        if self.region_codes:
            clauses.append(region_column.in_(self.region_codes))
        return or_(*clauses) if clauses else false()


def scope_of(user, permission: str, ignoring: frozenset[str] = frozenset()) -> Scope:
    """Where `user` may use `permission`, from their grants of roles that grant it (those in
    `ignoring` aside: a technician's reach to customers follows their assignments)."""
    granting = roles_granting(permission) - ignoring
    grants = [grant for grant in user.grants if grant.role in granting]
    if any(grant.is_enterprise_wide for grant in grants):
        return Scope(everywhere=True)
    return Scope(
        everywhere=False,
        outlet_ids=frozenset(g.outlet_id for g in grants if g.outlet_id is not None),
        region_codes=frozenset(g.region_code for g in grants if g.region_code is not None),
    )

"""Every route of the application as a request aimed at the away outlet's records."""

import base64
import io
import re
from collections.abc import Callable
from dataclasses import dataclass

from tests.factories import signature_png
from tests.walls.world import World

# Knowingly left out: public pages and the static files (no records behind them), signing
# out (it ends the walker's own session), and the customer portal, whose pages answer to a
# one-time link or code, not to a role (tests/portal walks them with foreign links).
NOT_WALKED = {"static", "core.login", "core.set_language", "api-docs.openapi_json",
              "core.logout"}
NOT_WALKED_BLUEPRINTS = ("portal.",)

# Values for the URL variables that name no outlet's record.
FIXED = {"year": "2026", "number": "5.1.1", "key": "complaint_response_rate",
         "fmt": "pdf", "kind": "staff", "action": "approve", "record_type": "ticket"}

VARIABLE = re.compile(r"<(?:[^:<>]+:)?(\w+)>")


@dataclass(frozen=True)
class Route:
    method: str
    rule: str
    endpoint: str

    @property
    def is_api(self) -> bool:
        return self.rule.startswith("/api/v1/")

    @property
    def is_write(self) -> bool:
        return self.method != "GET"

    def url(self, world: World) -> str:
        return VARIABLE.sub(lambda match: self._value(match.group(1), world), self.rule)

    def _value(self, name: str, world: World) -> str:
        if name == "session_id" and ("/account/" in self.rule or "/api/v1/sessions" in self.rule):
            return str(world.ids["user_session_id"])  # another user's signed-in session
        if name == "record_id":
            return str(world.ids["ticket_id"])
        if name == "serial":
            return world.serial
        if name == "token":
            return world.sign_in_token
        if name in FIXED:
            return FIXED[name]
        return str(world.ids.get(name, 1))


def walked_routes(app) -> list[Route]:
    routes = []
    for rule in app.url_map.iter_rules():
        if rule.endpoint in NOT_WALKED or rule.endpoint.startswith(NOT_WALKED_BLUEPRINTS):
            continue
        for method in sorted(rule.methods - {"HEAD", "OPTIONS"}):
            routes.append(Route(method, rule.rule, rule.endpoint))
    return sorted(routes, key=lambda route: (route.rule, route.method))


def _png(world: World) -> dict:
    return {"file": (io.BytesIO(signature_png()), "scan.png")}


def _away_staff(world: World) -> dict:
    return {"employee_no": "E-WALL", "name": "新员工", "post": "technician",
            "department": "after_sales", "outlet_id": world.away_id}


def _transfer_away(world: World) -> dict:
    """From the user's own outlet to the away one: the destination is behind the wall."""
    return {"from_outlet_id": world.home_id, "to_outlet_id": world.away_id,
            "part_id": world.ids["part_id"], "quantity": 1}


def _faulty_away(world: World) -> dict:
    return {"outlet_id": world.away_id, "part_id": world.ids["part_id"], "quantity": 1,
            "reason": "漏液"}


def _away_session(starts_at: str, ends_at: str):
    """A session at the away outlet; the API takes UTC times, a page local ones."""
    return lambda world: {"topic": "规范", "kind": "technical", "trainer": "周婷",
                          "place": "培训室", "starts_at": starts_at, "ends_at": ends_at,
                          "outlet_id": world.away_id}


CERTIFICATE = {"type": "electrician", "number": "C-WALL", "issuer": "应急管理局",
               "issued_on": "2026-01-01"}


# What a write sends: a valid request naming the away outlet's records, outlet or people,
# so the only reason left to refuse it is the wall. Writes not listed send nothing more
# than they must (a form's CSRF token), and must still not pass.
BODIES: dict[tuple[str, str], Callable[[World], dict]] = {
    ("POST", "/api/v1/tickets"): lambda w: {
        "type": "repair", "customer_id": w.home_customer_id, "description": "不制冷",
        "outlet_id": w.away_id},
    ("POST", "/api/v1/tickets/<int:ticket_id>/moves"): lambda w: {
        "to_state": "assigned", "technician_id": w.ids["technician_id"]},
    ("POST", "/api/v1/tickets/<int:ticket_id>/parts"): lambda w: {
        "part_id": w.ids["part_id"], "quantity": 1},
    ("PUT", "/api/v1/tickets/<int:ticket_id>/quote"): lambda w: {"amount_fen": 1000},
    ("POST", "/api/v1/tickets/<int:ticket_id>/signoff"): lambda w: {
        "signer_name": "张三", "signature": SIGNATURE},
    ("POST", "/api/v1/tickets/<int:ticket_id>/loans"): lambda w: {
        "loaner_id": w.ids["loaner_id"], "due_back_on": "2026-12-31"},
    ("POST", "/api/v1/tickets/<int:ticket_id>/stamps"): lambda w: {
        "client_id": "0b6f9b1e-3c1a-4d2e-9f00-2a7c5e1d9a01", "kind": "depart",
        "latitude": 31.23, "longitude": 121.47, "accuracy_m": 10,
        "device_at": "2026-12-01T02:00:00Z"},
    ("POST", "/api/v1/stock/receipts"): lambda w: {
        "outlet_id": w.away_id, "part_id": w.ids["part_id"], "quantity": 5},
    ("POST", "/api/v1/stock/transfers"): _transfer_away,
    ("POST", "/api/v1/stock/supplier-returns"): _faulty_away,
    ("POST", "/api/v1/tickets/<int:ticket_id>/parts/<int:usage_id>/returns"): lambda w: {
        "quantity": 1},
    ("POST", "/api/v1/loaners"): lambda w: {
        "outlet_id": w.away_id, "asset_tag": "LN-WALL", "description": "备用机"},
    ("POST", "/api/v1/calls/<int:call_id>/callback"): lambda w: {
        "queued_at": "2026-12-01T02:00:00Z", "outcome": "answered",
        "answered_at": "2026-12-01T02:00:10Z", "ended_at": "2026-12-01T02:01:00Z"},
    ("POST", "/api/v1/visits/<int:visit_id>/outcome"): lambda w: {
        "outcome": "reached", "satisfaction": 5},
    ("POST", "/api/v1/complaints"): lambda w: {
        "channel": "hotline", "category": "repair_quality", "customer_id": w.ids["customer_id"],
        "summary": "修不好", "description": "修不好", "ticket_id": w.ids["ticket_id"]},
    ("POST", "/api/v1/complaints/<int:complaint_id>/assign"): lambda w: {
        "handler_id": w.ids["handler_id"]},
    ("POST", "/api/v1/complaints/<int:complaint_id>/acknowledge"): lambda w: {"text": "收到"},
    ("POST", "/api/v1/complaints/<int:complaint_id>/notes"): lambda w: {"text": "备注"},
    ("POST", "/api/v1/complaints/<int:complaint_id>/pause"): lambda w: {"reason": "等配件"},
    ("POST", "/api/v1/complaints/<int:complaint_id>/escalate"): lambda w: {"reason": "要主管"},
    ("POST", "/api/v1/complaints/<int:complaint_id>/resolve"): lambda w: {
        "resolution": "更换", "root_cause": "配件"},
    ("POST", "/api/v1/complaints/<int:complaint_id>/mediate"): lambda w: {
        "mediator": "调解员", "note": "调解"},
    ("POST", "/api/v1/complaints/<int:complaint_id>/confirm"): lambda w: {"accepted": True},
    ("POST", "/api/v1/complaints/<int:complaint_id>/close"): lambda w: {"note": "结案"},
    ("POST", "/api/v1/complaints/<int:complaint_id>/reopen"): lambda w: {"reason": "再诉"},
    ("POST", "/api/v1/serials"): lambda w: {
        "serial": "SN-WALL-1", "product_id": w.ids["product_id"], "sold_on": "2026-06-01",
        "customer_id": w.ids["customer_id"]},
    ("PATCH", "/api/v1/outlets/<int:outlet_id>"): lambda w: {"staff_count": 3},
    ("PUT", "/api/v1/calendar/outlets/<int:outlet_id>/hours"): lambda w: HOURS,
    ("PUT", "/api/v1/calendar/hours"): lambda w: HOURS,
    ("PUT", "/api/v1/calendar/years/<int:year>"): lambda w: {"entries": []},
    ("POST", "/api/v1/staff"): _away_staff,
    ("PATCH", "/api/v1/staff/<int:staff_id>"): lambda w: {"name": "改名"},
    ("POST", "/api/v1/staff/<int:staff_id>/certificates"): lambda w: CERTIFICATE,
    ("POST", "/api/v1/training-sessions"): _away_session("2026-12-01T02:00:00Z",
                                                         "2026-12-01T04:00:00Z"),
    ("POST", "/api/v1/training-sessions/<int:session_id>/roster"): lambda w: {
        "staff_ids": [w.ids["staff_id"]]},
    ("POST", "/api/v1/training-sessions/<int:session_id>/scores"): lambda w: {
        "scores": [{"staff_id": w.ids["staff_id"], "score": 90}]},
    ("POST", "/api/v1/certificates/<int:certificate_id>/scan"): _png,
    ("POST", "/api/v1/training-sessions/<int:session_id>/courseware"): _png,
    ("POST", "/api/v1/complaints/<int:complaint_id>/attachments"): _png,
    ("PUT", "/api/v1/outlets/<int:outlet_id>/agreement"): _png,
    ("PATCH", "/api/v1/users/<int:user_id>"): lambda w: {"is_enabled": False},
    ("POST", "/api/v1/users"): lambda w: {
        "username": "wall_user", "display_name": "新人", "password": "long-enough-pw",
        "roles": [{"role": "manager"}]},
    ("POST", "/api/v1/complaint-mediators"): lambda w: {
        "user_id": w.ids["handler_id"], "appointed_on": "2026-12-01"},
    ("POST", "/api/v1/notifications/read"): lambda w: {"ids": [w.ids["notification_id"]]},
    # pages
    ("POST", "/dispatch/<int:ticket_id>/assign"): lambda w: {
        "technician_id": w.ids["technician_id"]},
    ("POST", "/stock/receipts"): lambda w: {
        "outlet_id": w.away_id, "part_id": w.ids["part_id"], "quantity": "5"},
    ("POST", "/stock/transfers"): _transfer_away,
    ("POST", "/stock/supplier-returns"): _faulty_away,
    ("POST", "/tickets/<int:ticket_id>/parts/<int:usage_id>/returns"): lambda w: {
        "quantity": "1"},
    ("POST", "/calls/<int:call_id>/callback"): lambda w: {"outcome": "answered"},
    ("POST", "/visits/<int:visit_id>/record"): lambda w: {"outcome": "reached",
                                                          "satisfaction": "5"},
    ("POST", "/admin/users/<int:user_id>/enabled"): lambda w: {},
    ("POST", "/calendar/hours/<int:outlet_id>"): lambda w: HOURS,
    ("POST", "/calendar/hours"): lambda w: HOURS,
    ("POST", "/training/staff/new"): _away_staff,
    ("POST", "/training/staff/<int:staff_id>/edit"): lambda w: {
        **_away_staff(w), "outlet_id": w.home_id},
    ("POST", "/training/staff/<int:staff_id>"): lambda w: CERTIFICATE,
    ("POST", "/training/sessions/new"): _away_session("2026-12-01T10:00", "2026-12-01T12:00"),
    ("POST", "/training/sessions/<int:session_id>"): lambda w: {
        "action": "scores", "scores.0.staff_id": w.ids["staff_id"], "scores.0.score": "90"},
}

HOURS = {"workday": "08:00-20:00", "weekend": "09:00-18:00", "holiday": "09:00-18:00"}
SIGNATURE = "data:image/png;base64," + base64.b64encode(signature_png()).decode()

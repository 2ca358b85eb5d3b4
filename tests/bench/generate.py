"""One enterprise's three years of after-sales records, written in minutes for the
benchmarks to measure on (docs/benchmarks.md, `make bench-scale`).

    .venv/bin/python -m tests.bench.generate [--size full | 0.01]

Into AFTERSALES_DATABASE_URL (PostgreSQL: rows by COPY; SQLite: Core executemany, for a
small size), after the migrations, into a database with no work order yet (else exit 2).
At full size: 2,000 outlets east-weighted over the 337 cities, 5,000 staff with their
grants, 400,000 customers with a sold unit each, 1,000,000 work orders over three years
(about 86 % closed, 3 % cancelled, the last weeks' still open, some past due), their
steps, ~5,000,000 GPS stamps, 500,000 calls (missed ones called back), 100,000
complaints with their clocks (2 % open). The same rows every run (fixed seeds). Rows are
written past the services and the audit trail: they are what the services would have
written, shaped as the figures read them. Prints rows per second per table.
"""

import argparse
import json
import math
import os
import random
import sys
import time
from collections.abc import Iterable, Iterator
from datetime import datetime, timedelta

from flask_migrate import upgrade
from sqlalchemy import func, insert, select, text
from werkzeug.security import generate_password_hash

from aftersales import create_app
from aftersales.calls import services as call_services
from aftersales.core.clock import utcnow
from aftersales.customers.models import ProductCategory
from aftersales.extensions import db
from aftersales.outlets.cities import load_cities, read_cities

FULL = {"outlets": 2000, "staff": 5000, "customers": 400_000, "tickets": 1_000_000,
        "calls": 500_000, "complaints": 100_000, "products": 200}
YEARS = 3
BATCH = 5000
PASSWORD = "bench-password-1"  # noqa: S105 - every generated account's, on benchmark data
HOUR = timedelta(hours=1)
TYPES = (("repair", 0.55), ("installation", 0.25), ("maintenance", 0.12), ("delivery", 0.04),
         ("return", 0.03), ("recycling", 0.01))
# Staff by role: (share of the staff, granted at an outlet, in a region, or company-wide)
ROLES = (("technician", 0.60, "outlet"), ("dispatcher", 0.10, "outlet"),
         ("agent", 0.12, "wide"), ("complaint_handler", 0.06, "wide"),
         ("trainer", 0.04, "region"), ("manager", 0.06, "outlet"), ("manager", 0.01, "wide"),
         ("auditor", 0.005, "wide"), ("admin", 0.005, "wide"))


class Writer:
    """Rows into a table: COPY on PostgreSQL, Core executemany on SQLite."""

    def __init__(self):
        self.connection = db.session.connection()
        self.postgresql = db.engine.dialect.name == "postgresql"

    def write(self, table: str, columns: tuple[str, ...], rows: Iterable[tuple],
              json_column: int | None = None) -> int:
        """`json_column`: the position of a JSON value, which COPY takes as text."""
        started, count = time.perf_counter(), 0
        if self.postgresql and json_column is not None:
            rows = ((*row[:json_column], json.dumps(row[json_column]), *row[json_column + 1:])
                    for row in rows)
        if self.postgresql:
            defaulted, defaults = self._defaults(table, columns)
            cursor = self.connection.connection.driver_connection.cursor()
            listed = ", ".join(columns + defaulted)
            with cursor.copy(f"COPY {table} ({listed}) FROM STDIN") as copy:
                for row in rows:
                    copy.write_row(row + defaults)
                    count += 1
        else:
            statement = insert(db.metadata.tables[table])
            batch = []
            for row in rows:
                batch.append(dict(zip(columns, row, strict=True)))
                if len(batch) == BATCH:
                    self.connection.execute(statement, batch)
                    count, batch = count + len(batch), []
            if batch:
                self.connection.execute(statement, batch)
                count += len(batch)
        seconds = time.perf_counter() - started
        print(f"{table:18} {count:>10,} rows in {seconds:6.1f} s "
              f"({count / max(seconds, 1e-9):>9,.0f}/s)", flush=True)
        return count

    @staticmethod
    def _defaults(table: str, columns: tuple[str, ...]) -> tuple[tuple[str, ...], tuple]:
        """The model's Python-side defaults of the columns not given: COPY does not apply
        them (Core inserts do)."""
        found = [(column.name, column.default.arg(None) if column.default.is_callable
                  else column.default.arg)
                 for column in db.metadata.tables[table].columns
                 if column.name not in columns and column.default is not None
                 and not column.default.is_sequence]
        return tuple(name for name, _ in found), tuple(value for _, value in found)

    def reset_sequences(self, tables: Iterable[str]) -> None:
        """Ids were given explicitly: the sequences continue after them."""
        if self.postgresql:
            for table in tables:
                self.connection.execute(text(
                    f"SELECT setval(pg_get_serial_sequence('{table}', 'id'), "
                    f"(SELECT coalesce(max(id), 1) FROM {table}))"))


class Enterprise:
    """Decides every row from one seed; sizes scaled from FULL."""

    def __init__(self, size: float, now: datetime):
        self.rng = random.Random(27922)
        self.count = {name: max(1, round(full * size)) for name, full in FULL.items()}
        self.now = now
        self.start = now - timedelta(days=365 * YEARS)
        self.cities = [row for row in read_cities() if row.kind != "province"]

    # --- places and people ---------------------------------------------------------

    def outlets(self) -> Iterator[tuple]:
        weights = [3.0 if city.longitude > 110 else 1.0 for city in self.cities]
        categories = list(ProductCategory.codes())
        self.outlet_cities = self.rng.choices(self.cities, weights, k=self.count["outlets"])
        for number, city in enumerate(self.outlet_cities, start=1):
            yield (number, f"G-{number:04d}", f"{city.name}服务中心{number}",
                   "self_operated" if number % 4 else "contracted", city.province, city.name,
                   city.code, city.province_code, city.code, f"{city.name}建设路{number}号",
                   round(city.latitude + self.rng.uniform(-0.2, 0.2), 6),
                   round(city.longitude + self.rng.uniform(-0.2, 0.2), 6), 80, categories,
                   self.now - timedelta(days=4 * 365))

    def users(self) -> tuple[list[tuple], list[tuple]]:
        password = generate_password_hash(PASSWORD, method="pbkdf2:sha256:1")
        users, grants = [], []
        self.technicians: dict[int, list[int]] = {}
        self.agents: list[int] = []
        outlets = self.count["outlets"]
        for role, share, where in ROLES:
            for _ in range(max(1, round(self.count["staff"] * share))):
                user_id = len(users) + 1
                users.append((user_id, f"{role}{user_id}", f"员工{user_id}", password, True,
                              self.start))
                outlet_id = self.rng.randint(1, outlets) if where == "outlet" else None
                if role == "technician" and len(self.technicians) < outlets:
                    outlet_id = len(self.technicians) + 1  # every outlet has its crew
                region = self.outlet_cities[self.rng.randrange(outlets)].code \
                    if where == "region" else None
                grants.append((len(grants) + 1, user_id, role, outlet_id, region))
                if role == "technician":
                    self.technicians.setdefault(outlet_id, []).append(user_id)
                elif role == "agent":
                    self.agents.append(user_id)
        return users, grants

    def customers(self) -> Iterator[tuple]:
        for number in range(1, self.count["customers"] + 1):
            city = self.outlet_cities[number % len(self.outlet_cities)]
            yield (number, "person", f"客户{number}", f"13{number:09d}", city.province,
                   city.name, f"{city.name}幸福路{number % 997}号{number % 31}栋",
                   round(city.latitude + self.rng.uniform(-0.1, 0.1), 6),
                   round(city.longitude + self.rng.uniform(-0.1, 0.1), 6), self.start)

    def products(self) -> Iterator[tuple]:
        categories = ProductCategory.codes()
        for number in range(1, self.count["products"] + 1):
            yield (number, f"GEN-{number:04d}", f"产品{number}",
                   categories[number % len(categories)], 36, 8000, 8, self.start)

    def units(self) -> Iterator[tuple]:
        products = self.count["products"]
        for number in range(1, self.count["customers"] + 1):
            sold = (self.start - timedelta(days=self.rng.randrange(3 * 365))).date()
            yield (number, f"SN{number:012d}", 1 + number % products, number, sold,
                   sold + timedelta(days=3 * 365), f"V{number:07d}", self.start)

    # --- work orders ----------------------------------------------------------------

    def tickets(self) -> Iterator[tuple]:
        """Work orders, and beside them (in self) the rows their steps and stamps need."""
        span = (self.now - self.start).total_seconds()
        types, weights = zip(*TYPES, strict=True)
        customers, outlets = self.count["customers"], self.count["outlets"]
        self.steps: list[tuple] = []
        for number in range(1, self.count["tickets"] + 1):
            # more work recently (a growing business): the square root skews toward now
            received = self.start + timedelta(seconds=span * math.sqrt(self.rng.random()))
            outlet_id = self.rng.randint(1, outlets)
            crew = self.technicians.get(outlet_id) or [None]
            ticket = _Ticket(number, self.rng.choices(types, weights)[0],
                             "emergency" if self.rng.random() < 0.05 else "normal",
                             received, outlet_id, self.rng.choice(crew))
            ticket.play(self.rng, self.now)
            self.steps.append((number, ticket.technician_id if ticket.assigned_at else None,
                               ticket.arrived_at, ticket.resolved_at))
            customer = 1 + self.rng.randrange(customers)
            city = self.outlet_cities[customer % len(self.outlet_cities)]
            yield ticket.row(customer, city, self.agents and self.rng.choice(self.agents))

    def stamps(self) -> Iterator[tuple]:
        """A depart and an arrive per visit (most work takes a second visit, some a third:
        parts), and a finish: ~5 per work order a technician reached."""
        number = 0
        for ticket_id, technician_id, arrived, resolved in self.steps:
            if technician_id is None or arrived is None:
                continue
            earlier = self.rng.choices((0, 1, 2), (0.1, 0.4, 0.5))[0]  # waits for parts
            visits = [arrived - 30 * HOUR * n for n in range(earlier, -1, -1)]
            kinds = [(kind, at - (HOUR if kind == "depart" else timedelta()))
                     for at in visits for kind in ("depart", "arrive")]
            if resolved is not None:
                kinds.append(("finish", resolved))
            for kind, at in kinds:
                number += 1
                yield (number, f"g{number}", ticket_id, technician_id, kind, 31.2, 121.5, 15,
                       at, at + timedelta(seconds=20), False,
                       "verified" if kind != "depart" else "recorded", False, False)

    def events(self) -> Iterator[tuple]:
        number = 0
        for ticket_id, technician_id, arrived, resolved in self.steps:
            if technician_id is None:
                continue
            for at, before, after in ((arrived, "dispatched", "on_site"),
                                      (resolved, "on_site", "resolved")):
                if at is not None:
                    number += 1
                    yield number, ticket_id, at, technician_id, "技师", before, after

    # --- the hotline and complaints ---------------------------------------------------

    def calls(self) -> Iterator[tuple]:
        span = (self.now - self.start).total_seconds()
        customers = self.count["customers"]
        number = 0
        for _ in range(self.count["calls"]):
            number += 1
            queued = self.start + timedelta(seconds=span * math.sqrt(self.rng.random()))
            customer = 1 + self.rng.randrange(customers)
            phone = f"13{customer:09d}"
            roll = self.rng.random()
            outcome = "answered" if roll < 0.92 else ("missed" if roll < 0.97 else "abandoned")
            wait = self.rng.randint(3, 40 if outcome == "answered" else 120)
            answered = queued + timedelta(seconds=wait) if outcome == "answered" else None
            ended = (answered or queued) + timedelta(seconds=self.rng.randint(30, 600))
            yield (number, "inbound", phone, queued, answered, ended, wait, outcome,
                   self.rng.choice(self.agents) if answered else None, customer,
                   9 <= (queued.hour + 8) % 24 < 21 or self.rng.random() < 0.3, None,
                   queued)
            if outcome != "answered" and self.rng.random() < 0.9:
                number += 1
                back = queued + timedelta(minutes=self.rng.randint(5, 600))
                yield (number, "outbound", phone, back, back + timedelta(seconds=8),
                       back + timedelta(minutes=3), 8, "answered",
                       self.rng.choice(self.agents), customer, True, number - 1, back)

    def complaints(self) -> tuple[list[tuple], list[tuple]]:
        span = (self.now - self.start).total_seconds()
        categories = ("product_quality", "repair_quality", "service_attitude", "timeliness",
                      "fees", "delivery_installation", "other")
        complaints, clocks = [], []
        for number in range(1, self.count["complaints"] + 1):
            received = self.start + timedelta(seconds=span * math.sqrt(self.rng.random()))
            is_open = received > self.now - timedelta(days=10) and self.rng.random() < 0.3
            is_open = is_open or self.rng.random() < 0.01
            answered = None if is_open and self.rng.random() < 0.5 else \
                received + timedelta(hours=self.rng.uniform(0.5, 30))
            resolved = None if is_open else (answered or received) + timedelta(
                hours=self.rng.uniform(2, 200))
            state = ("acknowledged" if answered else "received") if is_open else "closed"
            outcomes = []
            complaints.append((
                number, "hotline", self.rng.choice(categories), "normal", state, "clock", 1,
                "投诉", "生成的投诉", 1 + self.rng.randrange(self.count["customers"]),
                self.rng.randint(1, self.count["outlets"]), received, received,
                received + 24 * HOUR if is_open else None, answered,
                "已致电客户" if answered else None, resolved, "已处理" if resolved else None,
                resolved + 24 * HOUR if resolved else None, 0,
                self.rng.randint(3, 5) if resolved else None, outcomes))
            for kind, target, stopped in (("response", 24 * 3600, answered),
                                          ("resolution", 10 * 24 * 3600, resolved)):
                elapsed = None if stopped is None else int((stopped - received).total_seconds())
                met = None if stopped is None else elapsed <= target
                outcomes += (met, elapsed)
                clocks.append((
                    len(clocks) + 1, number, 1, kind, "clock", received, target,
                    received + timedelta(seconds=target), stopped, met, elapsed,
                    None if elapsed is None else elapsed - target, 0))
        previous = previous_received((row[0], row[9], row[11]) for row in complaints)
        return [(*row[:-1], previous.get(row[0]), *row[-1]) for row in complaints], clocks


def previous_received(complaints: Iterable[tuple[int, int, datetime]]) -> dict[int, datetime]:
    """The received time of each complaint's predecessor among its customer's, in received
    order (ties by id), from (id, customer id, received time): what the services keep."""
    previous, last_of = {}, {}
    for number, customer, received in sorted(complaints, key=lambda row: (row[1], row[2],
                                                                          row[0])):
        if customer in last_of:
            previous[number] = last_of[customer]
        last_of[customer] = received
    return previous


class _Ticket:
    """One work order played from receipt to where it stands now."""

    def __init__(self, number, kind, priority, received, outlet_id, technician_id):
        self.number, self.kind, self.priority = number, kind, priority
        self.received, self.outlet_id, self.technician_id = received, outlet_id, technician_id
        self.response_due = received + 2 * HOUR
        self.resolution_due = received + (24 if priority == "emergency" else 72) * HOUR
        self.assigned_at = self.arrived_at = self.resolved_at = self.closed_at = None
        self.state = "new"

    def play(self, rng: random.Random, now: datetime) -> None:
        def step(hours: float) -> datetime | None:
            return None if (at := last + timedelta(hours=hours)) > now else at

        if rng.random() < 0.03:
            self.state = "cancelled"
            return
        last = self.received
        stuck = rng.random()  # the backlog every network has, past due by now
        if self.technician_id is None or stuck < 0.005 or (
                at := step(rng.expovariate(1.5))) is None:
            return
        self.assigned_at, last, self.state = at, at, "assigned"
        if (at := step(rng.lognormvariate(1.2, 0.8))) is None:
            return
        self.arrived_at, last, self.state = at, at, "on_site"
        if stuck < 0.045:
            self.state = "waiting_parts" if stuck < 0.035 else "waiting_customer"
            return
        if (at := step(rng.lognormvariate(1.5, 1.0))) is None:
            return
        self.resolved_at, last, self.state = at, at, "resolved"
        if stuck > 0.94:
            return  # resolved, the customer's sign-off still awaited
        if (at := step(rng.uniform(2, 72))) is not None:
            self.closed_at, self.state = at, "closed"

    def row(self, customer_id: int, city, agent_id) -> tuple:
        responded = self.assigned_at
        resolution_met = (self.resolved_at <= self.resolution_due) if self.resolved_at else None
        return (
            self.number, self.kind, self.priority, self.state, customer_id, customer_id,
            self.outlet_id, self.technician_id if self.assigned_at else None, agent_id or None,
            "hotline", "不制冷", f"{city.name}幸福路{customer_id % 997}号", "in_warranty",
            self.received, self.received, self.response_due, self.resolution_due,
            self.received + 4 * HOUR if self.priority == "emergency" else None, responded,
            self.arrived_at, self.resolved_at, self.closed_at,
            None if responded is None else responded <= self.response_due,
            resolution_met,
            None if self.resolved_at is None
            else int((self.resolved_at - self.resolution_due).total_seconds()),
            False,
        )


TICKET_COLUMNS = (
    "id", "type", "priority", "state", "customer_id", "serial_id", "outlet_id",
    "technician_id", "created_by_id", "channel", "description", "service_address",
    "warranty_status", "received_at", "created_at", "response_due_at", "resolution_due_at",
    "arrival_due_at", "responded_at", "arrived_at", "resolved_at", "closed_at",
    "response_met", "resolution_met", "resolution_variance_seconds", "calendar_guessed")


def holds_work_orders() -> bool:
    return bool(db.session.scalar(select(func.count()).select_from(
        db.metadata.tables["tickets"])))


def generate(size: float) -> None:
    writer = Writer()
    if holds_work_orders():
        sys.exit("this database already holds work orders: generate into an empty one")
    started = time.perf_counter()
    load_cities(db.session)
    plan = Enterprise(size, utcnow())
    writer.write("outlets", (
        "id", "code", "name", "kind", "province", "city", "region_code", "province_code",
        "city_code", "address", "latitude", "longitude", "service_radius_km", "categories",
        "created_at"), plan.outlets(), json_column=13)
    users, grants = plan.users()
    writer.write("users", ("id", "username", "display_name", "password_hash", "is_enabled",
                           "created_at"), users)
    writer.write("role_grants", ("id", "user_id", "role", "outlet_id", "region_code"), grants)
    writer.write("customers", ("id", "kind", "name", "phone", "province", "city", "address",
                               "latitude", "longitude", "created_at"), plan.customers())
    writer.write("products", ("id", "model_code", "name", "category", "warranty_months",
                              "labour_fee_fen", "safe_use_years", "created_at"),
                 plan.products())
    writer.write("serial_numbers", ("id", "serial", "product_id", "customer_id", "sold_on",
                                    "warranty_expires_on", "verification_code", "created_at"),
                 plan.units())
    writer.write("tickets", TICKET_COLUMNS, plan.tickets())
    writer.write("ticket_events", ("id", "ticket_id", "at", "actor_id", "actor_label",
                                   "from_state", "to_state"), plan.events())
    writer.write("ticket_stamps", (
        "id", "client_id", "ticket_id", "technician_id", "kind", "latitude", "longitude",
        "accuracy_m", "device_at", "server_at", "late", "status", "impossible_speed",
        "clock_skew"), plan.stamps())
    writer.write("calls", (
        "id", "direction", "caller_number", "queued_at", "answered_at", "ended_at",
        "wait_seconds", "outcome", "agent_id", "customer_id", "within_hotline_hours",
        "callback_of_id", "created_at"), plan.calls())
    # Loaded past the service: each missed call's callback worked out as logging does.
    db.session.connection().execute(call_services.settling())
    complaints, clocks = plan.complaints()
    writer.write("complaints", (
        "id", "channel", "category", "severity", "state", "calendar", "cycle", "summary",
        "description", "customer_id", "outlet_id", "received_at", "entered_at", "next_due_at",
        "acknowledged_at", "acknowledgement", "resolved_at", "resolution", "closed_at",
        "compensation_fen", "satisfaction", "previous_received_at", "first_response_met",
        "first_response_seconds", "resolution_met", "resolution_seconds"), complaints)
    writer.write("complaint_clocks", (
        "id", "complaint_id", "cycle", "kind", "calendar", "started_at", "target_seconds",
        "due_at", "stopped_at", "met", "elapsed_seconds", "variance_seconds",
        "paused_seconds"), clocks)
    writer.reset_sequences(("outlets", "users", "role_grants", "customers", "products",
                            "serial_numbers", "tickets", "ticket_events", "ticket_stamps",
                            "calls", "complaints", "complaint_clocks"))
    db.session.commit()
    if writer.postgresql:
        with db.engine.connect().execution_options(isolation_level="AUTOCOMMIT") as analyze:
            analyze.execute(text("ANALYZE"))
    print(f"generated in {time.perf_counter() - started:.0f} s", flush=True)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--size", default="full",
                        help="'full' (one enterprise's three years) or a fraction of it")
    parser.add_argument("--if-empty", action="store_true",
                        help="do nothing (exit 0) when the database holds work orders")
    arguments = parser.parse_args()
    url = os.environ.get("AFTERSALES_DATABASE_URL")
    if not url:
        sys.exit("set AFTERSALES_DATABASE_URL to an empty database")
    app = create_app({"SQLALCHEMY_DATABASE_URI": url})
    with app.app_context():
        upgrade()
        if arguments.if_empty and holds_work_orders():
            print("the database holds work orders already: measuring on them as they are")
            return
        generate(1.0 if arguments.size == "full" else float(arguments.size))


if __name__ == "__main__":
    main()


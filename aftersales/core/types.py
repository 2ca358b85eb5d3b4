"""Column types that behave the same on SQLite and PostgreSQL."""

from datetime import UTC, datetime

from sqlalchemy import (
    BigInteger,
    Boolean,
    Date,
    DateTime,
    Float,
    Integer,
    Numeric,
    String,
    cast,
    func,
)
from sqlalchemy.ext.compiler import compiles
from sqlalchemy.sql.expression import FunctionElement
from sqlalchemy.types import TypeDecorator

from aftersales.core.clock import DEFAULT_ZONE

# Keys of the tables that grow fastest (GPS stamps, timelines, notifications): 64-bit on
# PostgreSQL; on SQLite an INTEGER PRIMARY KEY is 64-bit already, and only that exact type
# numbers rows by itself.
BIG_ID = BigInteger().with_variant(Integer(), "sqlite")


class UTCDateTime(TypeDecorator):
    """A timezone-aware UTC datetime on every backend.

    PostgreSQL keeps the zone (timestamptz); SQLite has no zone type, so values are
    normalised to UTC on the way in and marked UTC on the way out. Naive values are
    refused: a time without a zone is a bug, not a value.
    """

    impl = DateTime(timezone=True)
    cache_ok = True

    def process_bind_param(self, value: datetime | None, dialect):
        if value is None:
            return None
        if value.tzinfo is None:
            raise ValueError("naive datetime refused; pass a timezone-aware value")
        value = value.astimezone(UTC)
        return value.replace(tzinfo=None) if dialect.name == "sqlite" else value

    def process_result_value(self, value: datetime | None, dialect):
        if value is None:
            return None
        if value.tzinfo is None:
            return value.replace(tzinfo=UTC)
        return value.astimezone(UTC)


class local_month(FunctionElement):
    """SQL: the local month ("2026-03") of a stored UTC time, on both backends."""

    type = String()
    inherit_cache = True


@compiles(local_month, "postgresql")
def _local_month_postgresql(element, compiler, **kw):
    column = compiler.process(element.clauses, **kw)
    return f"to_char(timezone('{DEFAULT_ZONE.key}', {column}), 'YYYY-MM')"


class local_date(FunctionElement):
    """SQL: the local day (a DATE) of a stored UTC time, on both backends."""

    type = Date()
    inherit_cache = True


@compiles(local_date, "postgresql")
def _local_date_postgresql(element, compiler, **kw):
    column = compiler.process(element.clauses, **kw)
    return f"CAST(timezone('{DEFAULT_ZONE.key}', {column}) AS DATE)"


@compiles(local_date, "sqlite")
def _local_date_sqlite(element, compiler, **kw):
    return f"date({compiler.process(element.clauses, **kw)}, '{_sqlite_offset()}')"


def _sqlite_offset() -> str:
    # UTCDateTime keeps naive UTC text on SQLite. Asia/Shanghai has had no daylight
    # saving since 1991, so one fixed offset is exact.
    minutes = int(datetime.now(DEFAULT_ZONE).utcoffset().total_seconds() // 60)
    return f"{minutes:+d} minutes"


@compiles(local_month, "sqlite")
def _local_month_sqlite(element, compiler, **kw):
    column = compiler.process(element.clauses, **kw)
    return f"strftime('%Y-%m', {column}, '{_sqlite_offset()}')"


class epoch_seconds(FunctionElement):
    """Seconds since 1970 of a stored time, on both backends."""

    type = Float()
    inherit_cache = True


@compiles(epoch_seconds, "postgresql")
def _epoch_postgresql(element, compiler, **kw):
    return f"EXTRACT(EPOCH FROM {compiler.process(element.clauses, **kw)})"


@compiles(epoch_seconds, "sqlite")
def _epoch_sqlite(element, compiler, **kw):
    # UTCDateTime keeps naive UTC text on SQLite; julianday reads it.
    return f"((julianday({compiler.process(element.clauses, **kw)}) - 2440587.5) * 86400.0)"


class within_seconds(FunctionElement):
    """SQL: `later` (a stored time) is at most `seconds` (a number) after `earlier`. On
    PostgreSQL a comparison of times, not of EXTRACT(EPOCH)'s numerics: a fraction of the
    cost over many rows, with the same answer."""

    type = Boolean()
    inherit_cache = True


@compiles(within_seconds, "postgresql")
def _within_seconds_postgresql(element, compiler, **kw):
    later, earlier, seconds = (compiler.process(clause, **kw) for clause in element.clauses)
    return f"({later} <= {earlier} + make_interval(secs => {seconds}))"


@compiles(within_seconds, "sqlite")
def _within_seconds_sqlite(element, compiler, **kw):
    later, earlier, seconds = element.clauses
    return compiler.process(epoch_seconds(later) - epoch_seconds(earlier) <= seconds, **kw)


def hours_between(later, earlier):
    """SQL: the clock hours from `earlier` to `later`, to two decimals, as a float on both
    backends (PostgreSQL rounds only numerics to a number of places)."""
    seconds = epoch_seconds(later) - epoch_seconds(earlier)
    return cast(func.round(cast(seconds / 3600.0, Numeric), 2), Float)

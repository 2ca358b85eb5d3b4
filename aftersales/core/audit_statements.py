"""Changes made by statements rather than through the session's objects (a bulk UPDATE,
an INSERT … SELECT, an INSERT … ON CONFLICT) reach the audit trail too: the flush hook
never sees them, so this do_orm_execute hook reads the rows a statement on an Audited
model touches and collects one entry per row, in the same transaction.

An UPDATE or DELETE first reads (and on PostgreSQL locks) the rows it matches, then
reads them again after an UPDATE; an INSERT returns what it wrote. Plain SELECTs pass
straight through."""

from functools import cache

from sqlalchemy import Column, event, select, tuple_
from sqlalchemy.orm import Mapper, ORMExecuteState, Session

from aftersales.core import audit
from aftersales.core.models import Audited

# An execution option for the few statements that only keep time of use (a token's or a
# session's last use): bookkeeping, not a change of the record, so not an entry per call.
BOOKKEEPING = {"audit_bookkeeping": True}


def install(session_class: type[Session] = Session) -> None:
    """Beside audit.install: the other way changes reach the tables."""
    if not event.contains(session_class, "do_orm_execute", record_statement):
        event.listen(session_class, "do_orm_execute", record_statement)


def record_statement(state: ORMExecuteState):
    if not (state.is_insert or state.is_update or state.is_delete):
        return None
    if state.execution_options.get("audit_bookkeeping"):
        return None
    mapper = state.bind_mapper
    if mapper is None or not issubclass(mapper.class_, Audited):
        return None
    if state.is_insert:
        return _insert(state, mapper)
    return _update_or_delete(state, mapper)


@cache
def _columns(mapper: Mapper) -> tuple[tuple[str, Column], ...]:
    return tuple((attr.key, attr.columns[0]) for attr in mapper.column_attrs)


@cache
def _key_names(mapper: Mapper) -> tuple[str, ...]:
    return tuple(mapper.get_property_by_column(column).key for column in mapper.primary_key)


def _snapshot(mapper: Mapper, values) -> dict:
    return {key: audit.redacted(mapper.class_, key, values[key]) for key, _column in
            _columns(mapper)}


def _record_id(mapper: Mapper, values) -> str:
    return ",".join(str(values[key]) for key in _key_names(mapper))


def _insert(state: ORMExecuteState, mapper: Mapper):
    """Add every column to what the INSERT returns (after any the caller asked for), keep
    the entries, and give the caller its rows."""
    columns = _columns(mapper)
    result = state.invoke_statement(
        statement=state.statement.returning(*(column for _key, column in columns)))
    frozen = result.freeze()
    rows = frozen().all()
    table = mapper.class_.__tablename__
    changes = []
    for row in rows:
        values = dict(zip((key for key, _column in columns), row[-len(columns):], strict=True))
        changes.append((table, _record_id(mapper, values), "create", {},
                        _snapshot(mapper, values)))
    audit.collect(state.session, changes)
    return frozen()


def _rows(state: ORMExecuteState, mapper: Mapper, where, lock: bool) -> dict[str, dict]:
    stmt = select(*(column.label(key) for key, column in _columns(mapper)))
    if where is not None:
        stmt = stmt.where(where)
    if lock:
        stmt = stmt.with_for_update()
    params = state.parameters if isinstance(state.parameters, dict) else None
    found = state.session.execute(stmt, params).mappings()
    return {_record_id(mapper, row): dict(row) for row in found}


def _where(state: ORMExecuteState, mapper: Mapper):
    """The rows the statement reaches: its WHERE, or (an UPDATE given a list of rows by
    primary key) the keys of that list."""
    if isinstance(state.parameters, list):
        keys = [tuple(row[name] for name in _key_names(mapper)) for row in state.parameters]
        return tuple_(*mapper.primary_key).in_(keys)
    return state.statement.whereclause


def _update_or_delete(state: ORMExecuteState, mapper: Mapper):
    where = _where(state, mapper)
    before = _rows(state, mapper, where, lock=True)
    result = state.invoke_statement()
    table = mapper.class_.__tablename__
    if state.is_delete:
        changes = [(table, record_id, "delete", _snapshot(mapper, values), {})
                   for record_id, values in before.items()]
    elif before:
        after = _rows(state, mapper, _by_key(mapper, before), lock=False)
        changes = list(_changed(mapper, table, before, after))
    else:
        changes = []
    audit.collect(state.session, changes)
    return result


def _by_key(mapper: Mapper, rows: dict[str, dict]):
    keys = [tuple(values[name] for name in _key_names(mapper)) for values in rows.values()]
    return tuple_(*mapper.primary_key).in_(keys)


def _changed(mapper: Mapper, table: str, before: dict[str, dict], after: dict[str, dict]):
    for record_id, old in before.items():
        new = after.get(record_id)
        if new is None:
            continue  # the statement moved it out of reach (a key change): not ours to guess
        keys = [key for key, _column in _columns(mapper) if old[key] != new[key]]
        if keys:
            yield (table, record_id, "update",
                   {key: audit.redacted(mapper.class_, key, old[key]) for key in keys},
                   {key: audit.redacted(mapper.class_, key, new[key]) for key in keys})

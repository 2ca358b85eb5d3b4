"""SQL both databases speak but SQLAlchemy spells per dialect."""

from sqlalchemy.dialects import postgresql, sqlite
from sqlalchemy.orm import Session

_INSERTS = {"postgresql": postgresql.insert, "sqlite": sqlite.insert}


def insert_unless_present(session: Session, model, *key_columns: str):
    """INSERT … ON CONFLICT (key) DO NOTHING: a row already there (or being inserted by a
    concurrent transaction, which it waits for) is skipped, neither an error nor a line in
    the database's log. Add `.values(...)` and, to learn what went in, `.returning(...)`."""
    insert = _INSERTS[session.get_bind().dialect.name]
    return insert(model).on_conflict_do_nothing(index_elements=list(key_columns))

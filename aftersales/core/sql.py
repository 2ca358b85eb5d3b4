"""SQL both databases speak but SQLAlchemy spells per dialect."""

import importlib

from sqlalchemy.orm import Session


def insert_unless_present(session: Session, model, *key_columns: str):
    """INSERT … ON CONFLICT (key) DO NOTHING: a row already there (or being inserted by a
    concurrent transaction, which it waits for) is skipped, neither an error nor a line in
    the database's log. Add `.values(...)` and, to learn what went in, `.returning(...)`."""
    # The database's own dialect, loaded already: an SQLite site never imports PostgreSQL's.
    dialect = session.get_bind().dialect.name
    insert = importlib.import_module(f"sqlalchemy.dialects.{dialect}").insert
    return insert(model).on_conflict_do_nothing(index_elements=list(key_columns))

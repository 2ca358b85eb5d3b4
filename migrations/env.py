"""Alembic environment: the app's metadata, the same chain on SQLite and PostgreSQL."""

import logging
from logging.config import fileConfig

from alembic import context
from flask import current_app

config = context.config
fileConfig(config.config_file_name)
logger = logging.getLogger("alembic.env")

target_db = current_app.extensions["migrate"].db


def _skip_empty_autogenerate(context, revision, directives):
    if getattr(config.cmd_opts, "autogenerate", False) and directives[0].upgrade_ops.is_empty():
        directives[:] = []
        logger.info("No changes in schema detected.")


def run_migrations_online():
    engine = target_db.engine
    with engine.connect() as connection:
        options = {
            **current_app.extensions["migrate"].configure_args,
            "compare_type": True,
            # SQLite alters tables by copying them; batch mode does that transparently.
            "render_as_batch": connection.dialect.name == "sqlite",
            "process_revision_directives": _skip_empty_autogenerate,
        }
        context.configure(connection=connection, target_metadata=target_db.metadata, **options)
        with context.begin_transaction():
            context.run_migrations()


if context.is_offline_mode():
    raise SystemExit("offline (SQL script) migrations are unsupported: `aftersales db upgrade`")
run_migrations_online()

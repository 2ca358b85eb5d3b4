"""The schema comes only from migrations: the migrated database and the models agree."""

from alembic.autogenerate import compare_metadata
from alembic.migration import MigrationContext

from aftersales.extensions import db


def test_the_migration_chain_matches_the_models():
    with db.engine.connect() as connection:
        context = MigrationContext.configure(connection, opts={"compare_type": True})
        differences = compare_metadata(context, db.metadata)
    assert differences == []


def test_the_audit_chain_head_is_seeded_by_the_migration():
    from aftersales.core.models import AuditChainHead

    head = db.session.get(AuditChainHead, 1)
    assert head is not None

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


def test_fast_growing_tables_take_64_bit_ids_after_migrating_a_database_with_data():
    from flask_migrate import downgrade, upgrade

    from aftersales.notifications.models import Notification
    from tests.factories import make_user

    user_id = make_user("agent").id
    db.session.add(Notification(user_id=user_id, dedupe_key="before", subject="旧", body=""))
    db.session.commit()
    db.session.remove()
    downgrade(revision="e5a7c9d1f3b5")
    upgrade()
    past_32_bits = 2**31 + 5
    db.session.add(Notification(id=past_32_bits, user_id=user_id, dedupe_key="after",
                                subject="新", body=""))
    db.session.commit()
    kept = db.session.scalars(db.select(Notification.dedupe_key).order_by(Notification.id))
    assert list(kept) == ["before", "after"]

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


def test_a_complaint_attachment_kept_in_the_database_moves_to_the_file_store_by_its_hash():
    import hashlib

    from flask_migrate import downgrade, upgrade
    from sqlalchemy import text

    from aftersales.complaints import services
    from aftersales.complaints.models import ComplaintAttachment
    from aftersales.core.storage import storage
    from tests.complaints.factories import make_complaint

    complaint_id = make_complaint().id
    db.session.remove()
    downgrade(revision="f6b8d0e2a4c6")
    letter = b"%PDF-1.4 a letter written before the file store"
    digest = hashlib.sha256(letter).hexdigest()
    db.session.execute(text(
        "INSERT INTO complaint_attachments (complaint_id, filename, media_type, size_bytes,"
        " sha256, content, uploaded_at) VALUES (:complaint, 'letter.pdf', 'application/pdf',"
        " :size, :digest, :content, CURRENT_TIMESTAMP)"),
        {"complaint": complaint_id, "size": len(letter), "digest": digest, "content": letter})
    db.session.commit()
    db.session.remove()
    assert not storage().exists(digest)
    upgrade()

    row = db.session.scalars(db.select(ComplaintAttachment)).one()
    assert row.sha256 == digest
    assert services.attachment_content(row) == letter

    db.session.remove()
    downgrade(revision="f6b8d0e2a4c6")
    kept = db.session.execute(text("SELECT content FROM complaint_attachments")).scalar_one()
    db.session.remove()
    upgrade()
    assert bytes(kept) == letter


def test_the_board_outcomes_backfilled_on_complaints_are_those_the_services_keep():
    from flask_migrate import downgrade, upgrade

    from aftersales.complaints import services
    from aftersales.complaints.models import Complaint
    from tests.complaints.factories import T0, hours, make_complaint
    from tests.factories import make_customer

    customer = make_customer()
    reopened = make_complaint(customer=customer, now=T0)
    make_complaint(customer=customer, now=T0 + hours(10))
    make_complaint(customer=customer, now=T0 + hours(20), received_at=T0 + hours(5))
    services.acknowledge(db.session, reopened, None, "已致歉", now=T0 + hours(2))
    services.resolve(db.session, reopened, None, services.Resolution("换机", "缺陷"),
                     now=T0 + hours(6))
    services.reopen(db.session, reopened, None, "又坏了", now=T0 + hours(30))
    services.acknowledge(db.session, reopened, None, "再致歉", now=T0 + hours(31))
    services.resolve(db.session, reopened, None, services.Resolution("退货", "缺陷"),
                     now=T0 + hours(40))
    db.session.commit()
    columns = (Complaint.id, Complaint.previous_received_at, Complaint.first_response_met,
               Complaint.first_response_seconds, Complaint.resolution_met,
               Complaint.resolution_seconds)

    def kept():
        return db.session.execute(db.select(*columns).order_by(Complaint.id)).all()

    by_the_services = kept()
    db.session.remove()
    downgrade(revision="e5a7c9b1d3f6")
    upgrade()
    assert kept() == by_the_services

import json
import threading

from sqlalchemy import select, text

from aftersales.core import audit
from aftersales.core.models import AuditChainHead, AuditEntry
from aftersales.customers.models import Customer
from aftersales.extensions import db
from tests.factories import make_customer, make_user


def entries_for(record_type, record_id):
    return list(
        db.session.scalars(
            select(AuditEntry)
            .where(AuditEntry.record_type == record_type, AuditEntry.record_id == str(record_id))
            .order_by(AuditEntry.id)
        )
    )


def test_creating_a_record_writes_its_values():
    customer = make_customer(name="李雷")
    [entry] = entries_for("customers", customer.id)
    assert entry.action == "create"
    assert json.loads(entry.after_json)["name"] == "李雷"
    assert json.loads(entry.before_json) == {}


def test_an_update_records_only_the_changed_fields_before_and_after():
    customer = make_customer(name="李雷")
    customer.address = "海淀区中关村大街27号"
    db.session.commit()
    entry = entries_for("customers", customer.id)[-1]
    assert entry.action == "update"
    assert json.loads(entry.before_json) == {"address": "朝阳区1号"}
    assert json.loads(entry.after_json) == {"address": "海淀区中关村大街27号"}


def test_a_deletion_keeps_the_values_that_were_deleted():
    customer = make_customer(name="韩梅梅")
    db.session.delete(customer)
    db.session.commit()
    entry = entries_for("customers", customer.id)[-1]
    assert entry.action == "delete"
    assert json.loads(entry.before_json)["name"] == "韩梅梅"


def test_secrets_are_recorded_as_changed_but_never_with_their_value():
    user = make_user("agent")
    [created, *_] = entries_for("users", user.id)
    assert json.loads(created.after_json)["password_hash"] == audit.REDACTED


def test_the_actor_is_recorded():
    with audit.acting_as(audit.Actor(42, "someone")):
        customer = make_customer()
    [entry] = entries_for("customers", customer.id)
    assert (entry.actor_id, entry.actor_label) == (42, "someone")


def test_a_rolled_back_change_leaves_no_entry():
    make_customer(commit=False)
    db.session.rollback()
    assert db.session.scalar(select(AuditEntry.id)) is None


def test_an_untouched_chain_verifies():
    for _ in range(3):
        make_customer()
    checked, chain_break = audit.verify_chain(db.session)
    assert (checked, chain_break) == (3, None)


def _three_entries():
    for _ in range(3):
        make_customer()
    db.session.commit()


def test_verify_names_an_entry_whose_value_was_changed_by_raw_sql():
    _three_entries()
    db.session.execute(text("UPDATE audit_entries SET after_json = '{}' WHERE id = 2"))
    db.session.commit()
    _checked, chain_break = audit.verify_chain(db.session)
    assert chain_break.entry_id == 2
    assert "altered" in chain_break.reason


def test_verify_names_a_deleted_entry():
    _three_entries()
    db.session.execute(text("DELETE FROM audit_entries WHERE id = 2"))
    db.session.commit()
    _checked, chain_break = audit.verify_chain(db.session)
    assert (chain_break.entry_id, chain_break.reason) == (2, "missing (deleted)")


def test_verify_names_a_deleted_last_entry():
    _three_entries()
    db.session.execute(text("DELETE FROM audit_entries WHERE id = 3"))
    db.session.commit()
    _checked, chain_break = audit.verify_chain(db.session)
    assert (chain_break.entry_id, chain_break.reason) == (3, "missing (deleted)")


def test_verify_names_an_inserted_entry():
    _three_entries()
    last = db.session.get(AuditEntry, 3)
    db.session.execute(
        text(
            "INSERT INTO audit_entries (id, occurred_at, actor_id, actor_label, record_type,"
            " record_id, action, before_json, after_json, prev_hash, hash)"
            " VALUES (4, :at, NULL, 'intruder', 'customers', '1', 'update', '{}', '{}',"
            " :prev, :hash)"
        ),
        {"at": last.occurred_at, "prev": last.hash, "hash": "f" * 64},
    )
    db.session.commit()
    _checked, chain_break = audit.verify_chain(db.session)
    assert (chain_break.entry_id, chain_break.reason) == (4, "inserted outside the chain")


def test_verify_names_an_entry_rehashed_to_hide_a_change():
    _three_entries()
    entry = db.session.get(AuditEntry, 2)
    forged = {c.key: getattr(entry, c.key) for c in AuditEntry.__table__.columns}
    forged["after_json"] = "{}"
    db.session.execute(
        text("UPDATE audit_entries SET after_json = '{}', hash = :hash WHERE id = 2"),
        {"hash": audit.entry_hash(forged)},
    )
    db.session.commit()
    _checked, chain_break = audit.verify_chain(db.session)
    assert chain_break.entry_id == 3
    assert chain_break.reason == "does not follow the previous entry"


def test_the_cli_exits_non_zero_and_names_the_broken_entry(app):
    _three_entries()
    db.session.execute(text("UPDATE audit_entries SET actor_label = 'x' WHERE id = 1"))
    db.session.commit()
    result = app.test_cli_runner().invoke(args=["audit", "verify"])
    assert result.exit_code == 1
    assert "audit entry 1: altered" in result.output


def test_the_cli_reports_an_intact_chain(app):
    _three_entries()
    result = app.test_cli_runner().invoke(args=["audit", "verify"])
    assert result.exit_code == 0
    assert "intact: 3 entries" in result.output


def test_concurrent_writers_never_fork_the_chain(app):
    writers, per_writer = 6, 8
    errors = []

    def write_customers(worker):
        with app.app_context():
            try:
                for n in range(per_writer):
                    db.session.add(
                        Customer(kind="person", name=f"并发{worker}-{n}", phone="13900000000",
                                 province="北京市", city="北京市", address="朝阳区")
                    )
                    db.session.commit()
            except Exception as error:  # surfaced below: a thread cannot fail the test itself
                errors.append(error)
            finally:
                db.session.remove()

    threads = [threading.Thread(target=write_customers, args=(w,)) for w in range(writers)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert errors == []
    db.session.expire_all()
    checked, chain_break = audit.verify_chain(db.session)
    assert chain_break is None
    assert checked == writers * per_writer == db.session.get(AuditChainHead, 1).last_seq


def test_binary_values_are_recorded_by_their_sha256():
    import hashlib

    assert audit.canonical_json({"image": b"\x89PNG"}) == (
        '{"image":"sha256:' + hashlib.sha256(b"\x89PNG").hexdigest() + '"}'
    )

"""verify_chain and verify_anchor check PostgreSQL's chain inside the database and SQLite's
in Python: the same entries, the same first break, whichever path runs."""

import pytest
from sqlalchemy import text, update

from aftersales.core import audit
from aftersales.core.models import AuditChainHead, AuditEntry
from aftersales.extensions import db

AWKWARD_TEXTS = (
    'say "hi"', "back\\slash", "two\nlines\r\n", "tab\there", "\b\f\x01\x1f\x7f",
    "李雷的空调", "🔧 emoji 😀", "\\u00e9 is not é", "</script>", "",
)


def _write_entries(count, label="system", actor_id=None, texts=("x",)):
    """`count` entries in one commit, each holding the given texts in every text field."""
    changes = [
        (texts[n % len(texts)], texts[n % len(texts)], texts[n % len(texts)],
         {"value": texts[n % len(texts)], "n": n}, {texts[n % len(texts)]: None})
        for n in range(count)
    ]
    with audit.acting_as(audit.Actor(actor_id, label)):
        audit.collect(db.session, changes)
        db.session.commit()


@pytest.fixture
def both_paths(monkeypatch):
    """`both_paths(check)`: the result of `check()` on this backend's path and, on
    PostgreSQL, on the Python walk too (which SQLite always takes), fetching 2 rows at a
    time so a break is found across fetches."""
    def results(check):
        result = check()
        if db.engine.dialect.name != "postgresql":
            return result, result
        with monkeypatch.context() as patch:
            patch.setattr(audit, "_walk_in_database", lambda session, last_id, chain_end:
                          audit._walk_in_python(session, last_id, 2, chain_end))
            return result, check()

    return results


@pytest.fixture
def verify(both_paths):
    return lambda: both_paths(lambda: audit.verify_chain(db.session))


def _entry(entry_id):
    return db.session.get(AuditEntry, entry_id)


def test_awkward_text_in_every_field_verifies(verify):
    _write_entries(len(AWKWARD_TEXTS), label='引号"\\\n😀', texts=AWKWARD_TEXTS)
    assert verify() == ((len(AWKWARD_TEXTS), None),) * 2


def test_a_null_actor_and_a_numbered_actor_verify(verify):
    _write_entries(2, label="system", actor_id=None)
    _write_entries(2, label="someone", actor_id=42)
    assert verify() == ((4, None),) * 2


def test_an_entry_hashed_over_a_different_escape_is_altered(verify):
    _write_entries(3, texts=('a "quoted" value',))
    db.session.execute(text("UPDATE audit_entries SET action = 'a \\\"quoted\\\" value'"
                            " WHERE id = 2"))
    db.session.commit()
    assert verify() == ((1, audit.ChainBreak(2, audit.ALTERED)),) * 2


@pytest.mark.parametrize("statements, expected", [
    ("UPDATE audit_entries SET after_json = '{}' WHERE id = 4", (3, 4, audit.ALTERED)),
    ("UPDATE audit_entries SET actor_id = 7 WHERE id = 1", (0, 1, audit.ALTERED)),
    ("DELETE FROM audit_entries WHERE id = 3", (2, 3, audit.MISSING)),
    ("DELETE FROM audit_entries WHERE id IN (1, 2)", (0, 1, audit.MISSING)),
    ("DELETE FROM audit_entries WHERE id = 5", (4, 5, audit.MISSING)),
    ("UPDATE audit_entries SET prev_hash = 'x' WHERE id = 3", (2, 3, audit.NOT_FOLLOWING)),
    ("UPDATE audit_entries SET id = 0 WHERE id = 1", (0, 1, audit.MISSING)),
    ("UPDATE audit_entries SET id = 9 WHERE id = 4", (3, 4, audit.MISSING)),
    ("UPDATE audit_chain_head SET last_seq = 4", (4, 5, audit.OUTSIDE_THE_CHAIN)),
    ("UPDATE audit_chain_head SET last_hash = 'x'", (5, 5, "does not match the chain head")),
    (("UPDATE audit_entries SET action = 'x' WHERE id = 2",
      "DELETE FROM audit_entries WHERE id = 4"), (1, 2, audit.ALTERED)),
    (("DELETE FROM audit_entries WHERE id = 2",
      "UPDATE audit_entries SET action = 'x' WHERE id = 4"), (1, 2, audit.MISSING)),
    (("UPDATE audit_entries SET action = 'x' WHERE id = 3",
      "UPDATE audit_entries SET prev_hash = 'x' WHERE id = 3"), (2, 3, audit.NOT_FOLLOWING)),
    (("UPDATE audit_entries SET action = 'x' WHERE id = 4",
      "UPDATE audit_chain_head SET last_seq = 3"), (3, 4, audit.OUTSIDE_THE_CHAIN)),
    ("UPDATE audit_entries SET prev_hash = 'x' WHERE id IN (2, 4)", (1, 2, audit.NOT_FOLLOWING)),
    (("UPDATE audit_entries SET prev_hash = 'x' WHERE id = 4",
      "DELETE FROM audit_entries WHERE id = 2"), (1, 2, audit.MISSING)),
])
def test_each_tampering_gives_the_same_first_break_on_both_paths(statements, expected,
                                                                   verify):
    _write_entries(5, texts=AWKWARD_TEXTS)
    for statement in (statements,) if isinstance(statements, str) else statements:
        db.session.execute(text(statement))
    db.session.commit()
    checked, entry_id, reason = expected
    assert verify() == ((checked, audit.ChainBreak(entry_id, reason)),) * 2


def test_an_entry_moved_to_a_whole_second_is_altered(verify):
    _write_entries(5)
    moved = _entry(5).occurred_at.replace(microsecond=0)
    db.session.execute(update(AuditEntry).where(AuditEntry.id == 5).values(occurred_at=moved))
    db.session.commit()
    assert verify() == ((4, audit.ChainBreak(5, audit.ALTERED)),) * 2


def test_a_rehashed_entry_breaks_the_next_link(verify):
    _write_entries(5)
    forged = {column.key: getattr(_entry(2), column.key) for column in
              AuditEntry.__table__.columns}
    forged["after_json"] = "{}"
    db.session.execute(text("UPDATE audit_entries SET after_json = '{}', hash = :hash"
                            " WHERE id = 2"), {"hash": audit.entry_hash(forged)})
    db.session.commit()
    assert verify() == ((2, audit.ChainBreak(3, audit.NOT_FOLLOWING)),) * 2


def test_an_anchor_verifies_up_to_its_entry_and_names_a_deletion_before_it(both_paths):
    _write_entries(5, texts=AWKWARD_TEXTS)
    anchored = _entry(4).hash
    assert both_paths(lambda: audit.verify_anchor(db.session, 4, anchored)) == (
        (4, None),) * 2
    db.session.execute(text("DELETE FROM audit_entries WHERE id = 4"))
    db.session.commit()
    assert both_paths(lambda: audit.verify_anchor(db.session, 4, anchored)) == (
        (3, audit.ChainBreak(4, audit.MISSING)),) * 2


def test_an_anchor_past_the_last_entry_names_the_first_missing(both_paths):
    _write_entries(2)
    assert both_paths(lambda: audit.verify_anchor(db.session, 4, "x" * 64)) == (
        (2, audit.ChainBreak(3, audit.MISSING)),) * 2


def test_verify_takes_the_same_statements_for_2_and_12_entries(count_queries):
    def statements_toverify(entries):
        _write_entries(entries)
        db.session.commit()
        with count_queries() as statements:
            checked, broken = audit.verify_chain(db.session)
        assert (checked, broken) == (db.session.get(AuditChainHead, 1).last_seq, None)
        return len(statements)

    assert statements_toverify(2) == statements_toverify(10)

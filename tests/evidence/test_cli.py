from tests.evidence.factories import make_deduction


def test_evidence_snapshot_prints_the_score_and_level(app):
    make_deduction()
    result = app.test_cli_runner().invoke(args=["evidence", "snapshot"])
    assert result.exit_code == 0, result.output
    assert result.output.startswith("score 0.00 (0.00 of 100.00 applicable points, "
                                    "1 special deductions")
    assert "level: 未达到达标级" in result.output


def test_evidence_export_then_verify_from_the_command_line(app, tmp_path):
    from tests.evidence.factories import days_ago
    from tests.evidence.package_factories import tickets_in_two_outlets

    tickets_in_two_outlets(4)
    runner = app.test_cli_runner()
    out = tmp_path / "package.zip"
    exported = runner.invoke(args=["evidence", "export", "--from", str(days_ago(30)),
                                   "--to", str(days_ago(1)), "--out", str(out)])
    assert exported.exit_code == 0, exported.output
    assert "froze" in exported.output and "SHA-256" in exported.output
    verified = runner.invoke(args=["evidence", "verify", str(out)])
    assert verified.exit_code == 0, verified.output
    assert "\nOK " in verified.output and "trusted key" in verified.output


def test_evidence_verify_fails_naming_the_altered_file(app, tmp_path):
    from tests.evidence.package_factories import build, freeze, rewrite, tickets_in_two_outlets

    tickets_in_two_outlets(4)
    built = build(freeze(), tmp_path)
    altered = rewrite(built, tmp_path / "altered.zip",
                      lambda name, content: content + b" " if name == "00-README.txt" else content)
    result = app.test_cli_runner().invoke(args=["evidence", "verify", str(altered)])
    assert result.exit_code == 1
    assert "FAIL 00-README.txt: altered" in result.output


def test_an_export_is_audit_logged_with_the_package_hash(app, tmp_path):
    from sqlalchemy import select

    from aftersales.core.models import AuditEntry
    from aftersales.extensions import db
    from tests.evidence.factories import days_ago

    out = tmp_path / "package.zip"
    result = app.test_cli_runner().invoke(args=[
        "evidence", "export", "--from", str(days_ago(30)), "--to", str(days_ago(1)),
        "--out", str(out)])
    assert result.exit_code == 0, result.output
    entries = db.session.scalars(select(AuditEntry).where(
        AuditEntry.record_type == "evidence_exports").order_by(AuditEntry.id)).all()
    assert [e.action for e in entries] == ["create", "update"]
    assert entries[0].actor_label.startswith("cli:")
    assert '"sha256"' in entries[-1].after_json and '"done"' in entries[-1].after_json


def test_check_anchor_finds_a_rewritten_audit_entry_behind_a_package(app, tmp_path):
    from sqlalchemy import update

    from aftersales.core.models import AuditEntry
    from aftersales.extensions import db
    from tests.evidence.package_factories import build, freeze, tickets_in_two_outlets

    tickets_in_two_outlets(2)
    frozen = freeze()
    built = build(frozen, tmp_path)
    runner = app.test_cli_runner()
    assert runner.invoke(args=["evidence", "check-anchor", str(built)]).exit_code == 0
    db.session.execute(update(AuditEntry).where(AuditEntry.id == frozen.chain_seq)
                       .values(hash="0" * 64))
    db.session.commit()
    result = runner.invoke(args=["evidence", "check-anchor", str(built)])
    assert result.exit_code == 1
    assert f"FAIL audit entry {frozen.chain_seq}" in result.output

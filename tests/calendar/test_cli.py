"""`aftersales calendar …`: import, export, status, due and days, as an operator uses them."""

from datetime import date

from sqlalchemy import select

from aftersales.calendar.models import CalendarDay
from aftersales.core.models import AuditEntry
from aftersales.extensions import db
from tests.factories import make_outlet

# Test data, not the official schedule: the State Council's 2027 notice is what a company
# enters; these dates only give the tests a year the chinese-calendar package does not know.
SPRING_2027 = (
    "date,kind,name\n"
    "2027-02-06,holiday,春节\n2027-02-07,holiday,春节\n2027-02-08,holiday,春节\n"
    "2027-02-09,holiday,春节\n2027-02-10,holiday,春节\n2027-02-11,holiday,春节\n"
    "2027-02-12,holiday,春节\n2027-02-14,workday,春节调休\n"
)


def run(app, *args, input=None):
    return app.test_cli_runner().invoke(args=list(args), input=input)


def import_text(app, tmp_path, text):
    path = tmp_path / "schedule.csv"
    path.write_text(text, encoding="utf-8")
    return run(app, "calendar", "import", str(path))


def test_import_stores_the_year_and_audits_each_entry(app, tmp_path):
    result = import_text(app, tmp_path, SPRING_2027)
    assert result.exit_code == 0, result.output
    assert "2027: 8 entries stored" in result.output
    assert db.session.scalar(select(db.func.count()).select_from(CalendarDay)) == 8
    logged = db.session.scalars(select(AuditEntry.actor_label)
                                .where(AuditEntry.record_type == "calendar_days")).all()
    assert len(logged) == 8 and logged[0].startswith("cli:")


def test_import_refuses_a_bad_line_naming_it_and_stores_nothing(app, tmp_path):
    result = import_text(app, tmp_path, SPRING_2027 + "2027-02-30,holiday,春节\n")
    assert result.exit_code == 1
    assert "Line 10" in result.stderr or "第 10 行" in result.stderr
    assert db.session.scalar(select(CalendarDay.id)) is None


def test_import_refuses_an_unknown_kind(app, tmp_path):
    result = import_text(app, tmp_path, "2027-01-01,vacation,元旦\n")
    assert result.exit_code == 1
    assert db.session.scalar(select(CalendarDay.id)) is None


def test_importing_the_same_file_twice_changes_nothing(app, tmp_path):
    import_text(app, tmp_path, SPRING_2027)
    before = db.session.scalar(select(db.func.count()).select_from(AuditEntry))
    assert import_text(app, tmp_path, SPRING_2027).exit_code == 0
    assert db.session.scalar(select(db.func.count()).select_from(AuditEntry)) == before


def test_an_outlet_closure_is_imported_with_the_outlets_code(app, tmp_path):
    outlet = make_outlet(code="SH01")
    result = import_text(app, tmp_path, "2027-03-01,closure,盘点停业,SH01\n")
    assert result.exit_code == 0, result.output
    assert db.session.scalar(select(CalendarDay.outlet_id)) == outlet.id


def test_export_prints_what_import_reads(app, tmp_path):
    import_text(app, tmp_path, SPRING_2027)
    result = run(app, "calendar", "export", "--year", "2027")
    assert result.exit_code == 0
    lines = result.output.splitlines()
    assert lines[0] == "date,kind,name,outlet"
    assert lines[1] == "2027-02-06,holiday,春节,"
    assert len(lines) == 9


def test_status_says_next_year_is_missing_and_exits_1(app, monkeypatch):
    from aftersales.calendar import cli

    monkeypatch.setattr(cli, "local_today", lambda: date(2026, 12, 3))
    result = run(app, "calendar", "status")
    assert result.exit_code == 1
    assert "2026: from the chinese-calendar package" in result.output
    assert "2027: UNKNOWN" in result.output
    assert "MISSING: the 2027 holiday schedule is not entered" in result.stderr


def test_status_is_quiet_once_next_year_is_entered(app, tmp_path, monkeypatch):
    from aftersales.calendar import cli

    monkeypatch.setattr(cli, "local_today", lambda: date(2026, 12, 3))
    import_text(app, tmp_path, SPRING_2027)
    result = run(app, "calendar", "status")
    assert result.exit_code == 0, result.stderr
    assert "2027: entered (stored schedule); 7 holidays, 1 make-up working days" in result.output


def test_due_prints_the_due_time_with_its_offset(app):
    # National Day 2026 is 1-7 October: from Wednesday 30 September 17:00, one hour that
    # day, then 2 h from the first working day, Thursday 8 October.
    result = run(app, "calendar", "due", "--from", "2026-09-30T17:00:00+08:00", "--hours", "3")
    assert result.exit_code == 0, result.stderr
    assert result.stdout.strip() == "2026-10-08T11:00:00+08:00"


def test_due_with_a_window_answers_what_if(app):
    result = run(app, "calendar", "due", "--from", "2026-11-02T17:00:00+08:00", "--hours", "2",
                 "--hours-window", "09:00-18:00")
    assert result.stdout.strip() == "2026-11-03T10:00:00+08:00"


def test_due_refuses_an_overlapping_window_naming_the_reason(app):
    result = run(app, "calendar", "due", "--from", "2026-11-02T17:00", "--hours", "2",
                 "--hours-window", "09:00-12:00,11:00-18:00")
    assert result.exit_code == 2
    assert "overlapping" in result.stderr


def test_due_says_when_the_count_crosses_an_unknown_year(app):
    result = run(app, "calendar", "due", "--from", "2027-02-05T17:00:00+08:00", "--hours", "2")
    assert result.stdout.strip() == "2027-02-08T10:00:00+08:00"  # Monday, Spring Festival
    assert "guessed: 2027" in result.stderr


def test_due_over_an_entered_year_skips_its_holidays(app, tmp_path):
    import_text(app, tmp_path, SPRING_2027)
    result = run(app, "calendar", "due", "--from", "2027-02-05T17:00:00+08:00", "--hours", "2")
    # Friday 5 Feb 17:00-18:00, holidays 6-12 Feb, Saturday 13th off, make-up Sunday 14th.
    assert result.stdout.strip() == "2027-02-14T10:00:00+08:00"
    assert "guessed" not in result.stderr


def test_due_for_an_outlet_uses_its_hours(app):
    from aftersales.calendar import services
    from aftersales.core.calendar import WorkingHours

    outlet = make_outlet(code="BJ24")
    services.set_hours(db.session, outlet.id, WorkingHours.parse(
        "workday=00:00-24:00;weekend=00:00-24:00;holiday=00:00-24:00"))
    db.session.commit()
    result = run(app, "calendar", "due", "--from", "2026-10-01T10:00:00+08:00", "--hours", "3",
                 "--outlet", "BJ24")
    assert result.stdout.strip() == "2026-10-01T13:00:00+08:00"


def test_days_lists_the_days_that_differ_from_a_plain_week(app):
    result = run(app, "calendar", "days", "--year", "2026")
    assert result.exit_code == 0
    assert "2026-10-01 Thu off     National Day (package)" in result.output
    assert "2026-10-10 Sat working" in result.output

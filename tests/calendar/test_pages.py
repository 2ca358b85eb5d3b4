"""The calendar pages as an admin (keeps it), a manager (is told) and an agent (asks)."""

from datetime import UTC, date, datetime

from sqlalchemy import select

from aftersales.calendar import services
from aftersales.calendar.models import CalendarDay, WorkingHoursSetting
from aftersales.core.models import AuditEntry
from aftersales.extensions import db
from tests.conftest import csrf_from
from tests.factories import make_outlet, make_ticket, make_user


def signed_in(client, sign_in, role):
    make_user(role, username=f"{role}1")
    sign_in(f"{role}1")
    return client


def post_year(client, year, rows, path=None):
    """Posts the rows as the year editor names its inputs (entries.3.day …)."""
    token = csrf_from(client, path or f"/calendar/{year}")
    data = {"csrf_token": token}
    for index, (day, kind, name, *outlet) in enumerate(rows):
        data.update({f"entries.{index}.day": day, f"entries.{index}.kind": kind,
                     f"entries.{index}.name": name,
                     f"entries.{index}.outlet_id": outlet[0] if outlet else ""})
    return client.post(f"/calendar/{year}", data=data)


def test_the_admin_enters_a_year_on_the_page(client, sign_in):
    signed_in(client, sign_in, "admin")
    response = post_year(client, 2027, [("2027-02-06", "holiday", "春节"),
                                        ("2027-02-14", "workday", "春节调休")])
    assert response.status_code == 302
    stored = db.session.execute(select(CalendarDay.day, CalendarDay.kind)
                                .order_by(CalendarDay.day)).all()
    assert stored == [(date(2027, 2, 6), "holiday"), (date(2027, 2, 14), "workday")]
    page = client.get("/calendar/2027").get_data(as_text=True)
    assert "春节调休" in page


def test_a_bad_row_is_refused_beside_its_field_and_nothing_is_saved(client, sign_in):
    signed_in(client, sign_in, "admin")
    response = post_year(client, 2027, [("2027-02-06", "holiday", "春节"),
                                        ("2027-02-31", "holiday", "春节")])
    assert response.status_code == 422
    assert 'id="e-day-1"' in response.get_data(as_text=True)
    assert db.session.scalar(select(CalendarDay.id)) is None


def test_a_day_of_another_year_is_refused(client, sign_in):
    signed_in(client, sign_in, "admin")
    response = post_year(client, 2027, [("2028-01-01", "holiday", "元旦")])
    assert response.status_code == 422
    assert 'id="e-day-0"' in response.get_data(as_text=True)


def test_a_formula_name_is_refused(client, sign_in):
    signed_in(client, sign_in, "admin")
    response = post_year(client, 2027, [("2027-01-01", "holiday", "=HYPERLINK(1)")])
    assert response.status_code == 422
    assert db.session.scalar(select(CalendarDay.id)) is None


def test_saving_a_year_recomputes_a_running_work_order_over_it(client, sign_in):
    # A normal repair received Friday 5 Feb 2027 16:00 Beijing: 22.5 business hours.
    ticket = make_ticket(received_at=datetime(2027, 2, 5, 8, 0, tzinfo=UTC),
                         now=datetime(2027, 2, 5, 8, 0, tzinfo=UTC))
    guessed_due = ticket.resolution_due_at
    assert ticket.calendar_guessed
    signed_in(client, sign_in, "admin")
    post_year(client, 2027, [(f"2027-02-{day:02d}", "holiday", "春节") for day in range(6, 13)])
    db.session.refresh(ticket)
    assert ticket.resolution_due_at > guessed_due
    assert not ticket.calendar_guessed


def test_an_agent_may_read_but_not_save_a_year(client, sign_in):
    signed_in(client, sign_in, "agent")
    assert client.get("/calendar/2027").status_code == 200
    token = csrf_from(client, "/calendar/2027")
    response = client.post("/calendar/2027", data={
        "csrf_token": token, "entries.0.day": "2027-01-01", "entries.0.kind": "holiday",
        "entries.0.name": "元旦"})
    assert response.status_code == 403


def test_a_technician_may_not_see_the_calendar(client, sign_in):
    signed_in(client, sign_in, "technician")
    assert client.get("/calendar").status_code == 403


def test_the_page_imports_a_csv_file(client, sign_in):
    import io

    signed_in(client, sign_in, "admin")
    token = csrf_from(client, "/calendar/2027")
    body = "date,kind,name\n2027-01-01,holiday,元旦\n".encode("utf-8-sig")
    response = client.post("/calendar/import", data={
        "csrf_token": token, "year": "2027", "file": (io.BytesIO(body), "2027.csv")})
    assert response.status_code == 302
    assert db.session.scalar(select(CalendarDay.name)) == "元旦"


def test_a_file_that_is_not_utf8_is_refused_and_nothing_imported(client, sign_in):
    import io

    signed_in(client, sign_in, "admin")
    token = csrf_from(client, "/calendar/2027")
    body = "date,kind,name\n2027-01-01,holiday,元旦\n".encode("gbk")
    client.post("/calendar/import", data={
        "csrf_token": token, "year": "2027", "file": (io.BytesIO(body), "2027.csv")})
    assert db.session.scalar(select(CalendarDay.id)) is None


def test_changing_the_hours_changes_the_next_due_time(client, sign_in):
    signed_in(client, sign_in, "admin")
    start = datetime(2026, 11, 2, 9, 0, tzinfo=UTC)  # Monday 17:00 Beijing
    before = services.due_for(db.session, start, 2).due
    token = csrf_from(client, "/calendar/hours")
    response = client.post("/calendar/hours", data={
        "csrf_token": token, "workday": "08:00-20:00", "weekend": "", "holiday": ""})
    assert response.status_code == 302
    after = services.due_for(db.session, start, 2).due
    # 09:00-12:00,13:30-18:00: Tuesday 10:00; 08:00-20:00: Monday 19:00 Beijing.
    assert (before, after) == (datetime(2026, 11, 3, 2, 0, tzinfo=UTC),
                               datetime(2026, 11, 2, 11, 0, tzinfo=UTC))


def test_an_overlapping_window_is_refused_naming_the_field_and_nothing_is_saved(client,
                                                                               sign_in):
    signed_in(client, sign_in, "admin")
    token = csrf_from(client, "/calendar/hours")
    response = client.post("/calendar/hours", data={
        "csrf_token": token, "workday": "09:00-12:00,11:00-18:00", "weekend": "",
        "holiday": ""})
    assert response.status_code == 422
    page = response.get_data(as_text=True)
    assert 'id="e-workday"' in page
    assert db.session.scalar(select(WorkingHoursSetting.id)) is None


def test_an_empty_week_is_refused(client, sign_in):
    signed_in(client, sign_in, "admin")
    token = csrf_from(client, "/calendar/hours")
    response = client.post("/calendar/hours", data={
        "csrf_token": token, "workday": "", "weekend": "", "holiday": ""})
    assert response.status_code == 422
    assert db.session.scalar(select(WorkingHoursSetting.id)) is None


def test_an_outlet_keeps_24_hours_and_goes_back_to_the_company(client, sign_in):
    outlet = make_outlet(code="SZ24")
    signed_in(client, sign_in, "admin")
    path = f"/calendar/hours/{outlet.id}"
    full = "00:00-24:00"
    client.post(path, data={"csrf_token": csrf_from(client, path), "workday": full,
                            "weekend": full, "holiday": full})
    assert services.hours_in_force(db.session, outlet.id).hours.runs_around_the_clock()
    client.post(path, data={"csrf_token": csrf_from(client, path), "action": "follow_company"})
    assert services.hours_in_force(db.session, outlet.id).source == "settings"
    assert db.session.scalar(select(AuditEntry.action).where(
        AuditEntry.record_type == "working_hours").order_by(AuditEntry.id.desc())) == "delete"


def test_the_due_question_is_answered_on_the_page(client, sign_in):
    signed_in(client, sign_in, "agent")
    page = client.get("/calendar?from=2026-09-30T17:00&hours=3").get_data(as_text=True)
    assert "2026-10-08 11:00" in page


def test_a_bad_due_question_names_the_field(client, sign_in):
    signed_in(client, sign_in, "agent")
    response = client.get("/calendar?from=yesterday&hours=3")
    assert response.status_code == 422
    assert 'id="e-from"' in response.get_data(as_text=True)


def test_a_complaint_clock_over_an_unknown_year_is_marked_guessed(client, sign_in):
    from tests.complaints.factories import make_complaint

    started = datetime(2100, 1, 4, 1, 0, tzinfo=UTC)  # a year no schedule will ever know
    complaint = make_complaint(calendar="business", now=started, received_at=started)
    signed_in(client, sign_in, "complaint_handler")
    page = client.get(f"/complaints/{complaint.id}").get_data(as_text=True)
    assert 'id="calendar-guessed"' in page
    assert "推定" in page


def test_an_agent_asks_due_times_only_for_outlets_in_scope(client, sign_in):
    ours, theirs = make_outlet(code="SH-09"), make_outlet(code="BJ-09")
    make_user("agent", username="agent1", outlet_id=ours.id)
    sign_in("agent1")
    page = client.get("/calendar").get_data(as_text=True)
    assert "SH-09" in page and "BJ-09" not in page
    response = client.get(f"/calendar?from=2026-09-30T17:00&hours=3&outlet_id={theirs.id}")
    assert response.status_code == 422
    assert 'id="e-outlet_id"' in response.get_data(as_text=True)
    assert "2026-10-08 11:00" not in response.get_data(as_text=True)


def test_the_year_form_names_every_bad_row_at_once(client, sign_in):
    signed_in(client, sign_in, "admin")
    response = post_year(client, 2027, [("2027-02-31", "holiday", "春节"),
                                        ("2027-02-07", "holiday", "春节"),
                                        ("2027-02-08", "vacation", ""),
                                        ("2027-02-09", "holiday", "春节")])
    assert response.status_code == 422
    page = response.get_data(as_text=True)
    assert all(f'id="{error}"' in page for error in ("e-day-0", "e-kind-2", "e-name-2"))
    assert 'id="e-day-1"' not in page and 'id="e-day-3"' not in page
    assert 'value="2027-02-31"' in page  # what was typed is kept
    assert db.session.scalar(select(CalendarDay.id)) is None


def test_an_emptied_row_is_dropped_and_the_refusal_stays_beside_its_row(client, sign_in):
    signed_in(client, sign_in, "admin")
    response = post_year(client, 2027, [("2027-02-06", "holiday", "春节"),
                                        ("", "holiday", ""),
                                        ("2028-01-01", "holiday", "元旦")])
    assert response.status_code == 422
    page = response.get_data(as_text=True)
    # Drawn again without the empty row: the day of another year is the second row.
    assert 'name="entries.1.day" value="2028-01-01"' in page
    assert 'id="e-day-1"' in page


def test_the_year_page_offers_the_empty_rows_asked_for(client, sign_in):
    signed_in(client, sign_in, "admin")

    def day_inputs(query):
        return client.get(f"/calendar/2027{query}").get_data(as_text=True).count(
            'type="date" name="entries.')

    assert (day_inputs(""), day_inputs("?rows=12"), day_inputs("?rows=many")) == (5, 12, 5)


def test_a_refused_import_goes_back_to_its_year_with_the_reason(client, sign_in):
    import io

    signed_in(client, sign_in, "admin")
    token = csrf_from(client, "/calendar/2027")
    body = "date,kind,name\n2027-01-01,vacation,元旦\n".encode()
    response = client.post("/calendar/import", data={
        "csrf_token": token, "year": "2027", "file": (io.BytesIO(body), "2027.csv")})
    assert response.status_code == 302 and response.headers["Location"].endswith("/calendar/2027")
    assert 'class="flash flash-error' in client.get("/calendar/2027").get_data(as_text=True)
    assert db.session.scalar(select(CalendarDay.id)) is None


def test_a_window_that_cannot_be_worked_is_named_on_the_due_question(client, sign_in):
    signed_in(client, sign_in, "agent")
    response = client.get("/calendar?from=2026-09-30T17:00&hours=3&hours_window=18:00-09:00")
    assert response.status_code == 422
    assert 'id="e-hours_window"' in response.get_data(as_text=True)

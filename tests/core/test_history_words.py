"""The history page says what happened in words and names fields as the pages do."""

from flask_babel import refresh

from aftersales.core.history import field_label
from aftersales.extensions import db
from aftersales.tickets import services
from tests.factories import make_ticket, make_user


def _history_in_english(client, sign_in, record_type, record_id) -> str:
    make_user("auditor", username="qian")
    sign_in("qian")
    client.set_cookie("lang", "en")
    refresh()  # the test's app context keeps the language of its earlier requests
    page = client.get(f"/history/{record_type}/{record_id}").get_data(as_text=True)
    return page.split("</h1>", 1)[1]


def _history_of_an_assigned_work_order(client, sign_in) -> str:
    dispatcher, technician = make_user("dispatcher"), make_user("technician")
    ticket = make_ticket()
    services.move_ticket(db.session, ticket,
                         services.Move("assigned", technician_id=technician.id), dispatcher, True)
    db.session.commit()
    return _history_in_english(client, sign_in, "tickets", ticket.id)


def test_a_work_orders_steps_are_said_in_words_not_as_action_codes(client, sign_in):
    page = _history_of_an_assigned_work_order(client, sign_in)
    assert "Step taken" in page and "Record created" in page
    assert ">state:assigned<" not in page and ">create<" not in page


def test_a_work_orders_fields_are_named_as_its_page_names_them(client, sign_in):
    page = _history_of_an_assigned_work_order(client, sign_in)
    assert "<td>Technician</td>" in page and "<td>Service address</td>" in page
    assert "technician_id" not in page and "service_address" not in page


def test_a_column_nobody_named_reads_as_words_not_snake_case():
    assert field_label("tickets", "made_up_column_id") == "Made up column"
    assert field_label("no_such_records", "next_due_at") == "Next due at"


def test_a_complaints_history_is_titled_with_its_number(client, sign_in):
    from tests.complaints.factories import make_complaint

    complaint = make_complaint()
    make_user("manager", username="lijing")
    sign_in("lijing")
    page = client.get(f"/history/complaints/{complaint.id}").get_data(as_text=True)
    assert complaint.number in page.split("<h1>")[1].split("</h1>")[0]

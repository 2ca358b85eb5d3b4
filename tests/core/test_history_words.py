"""The history page says what happened in words and names fields as the pages do."""

from flask_babel import gettext, refresh

from aftersales.core.history import ValueWords, field_label
from aftersales.core.models import User
from aftersales.extensions import db
from aftersales.tickets import services
from tests.factories import make_customer, make_ticket, make_user


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


def test_values_are_said_in_words_the_technician_by_name(client, sign_in):
    page = _history_of_an_assigned_work_order(client, sign_in)
    assert "<td>Assigned</td>" in page and "<td>New</td>" in page
    technician = db.session.scalars(db.select(User).order_by(User.id.desc())).all()[1]
    assert f"<td>{technician.display_name}</td>" in page


def test_times_are_shown_in_the_display_zone_not_as_stored():
    ticket = make_ticket()
    stored = ticket.received_at.isoformat()
    words = ValueWords(db.session, db.metadata.tables["tickets"], [], contact=True,
                       moment=lambda moment: f"local {moment:%H:%M}", money=str)
    assert words("received_at", stored) == f"local {ticket.received_at:%H:%M}"
    assert words("response_met", True) == gettext("Yes") and words("arrived_at", None) == "—"


def _customer_history(client, sign_in, role) -> str:
    customer = make_customer(phone="13800001111")
    make_user(role, username=f"who-{role}")
    sign_in(f"who-{role}")
    return client.get(f"/history/customers/{customer.id}").get_data(as_text=True)


def test_an_auditor_sees_a_customers_phone_and_address_masked_in_the_history(client, sign_in):
    page = _customer_history(client, sign_in, "auditor")
    assert "13800001111" not in page and "138****1111" in page
    assert "朝阳区1号" not in page and "朝阳区****" in page


def test_a_manager_who_reaches_customers_sees_them_in_full(client, sign_in):
    page = _customer_history(client, sign_in, "manager")
    assert "13800001111" in page and "朝阳区1号" in page


def test_the_history_page_names_references_in_one_query_per_kind(client, sign_in,
                                                                    count_queries):
    dispatcher = make_user("dispatcher")
    make_user("auditor", username="qian")
    sign_in("qian")

    def statements_for(steps: int) -> int:
        ticket = make_ticket()
        for _ in range(steps):
            technician = make_user("technician")
            services.move_ticket(db.session, ticket, services.Move(
                "assigned", technician_id=technician.id), dispatcher, True)
            services.move_ticket(db.session, ticket, services.Move("new"), dispatcher, True)
        db.session.commit()
        with count_queries() as statements:
            client.get(f"/history/tickets/{ticket.id}")
        return len(statements)

    assert statements_for(1) == statements_for(6)


def test_the_history_api_masks_the_same_personal_fields_for_an_auditor(client):
    from tests.factories import bearer, make_token

    customer = make_customer(phone="13800001111")
    query = f"/api/v1/audit?record_type=customers&record_id={customer.id}"
    audited = client.get(query, headers=bearer(make_token(make_user("auditor")))).json
    manager = client.get(query, headers=bearer(make_token(make_user("manager")))).json
    assert audited["items"][0]["after"]["phone"] == "138****1111"
    assert manager["items"][0]["after"]["phone"] == "13800001111"

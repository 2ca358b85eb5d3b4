"""The spare-parts ledger over HTTP: the API and the stock page."""

from aftersales.extensions import db
from aftersales.tickets import field_work, stock
from tests.conftest import csrf_from
from tests.factories import bearer, make_outlet, make_token, make_user


def _desk_of(outlet_id):
    return make_user("dispatcher", outlet_id=outlet_id)


def test_the_api_lists_an_outlets_parts_on_hand(client, site):
    ticket, part, _technician, _dispatcher = site
    token = make_token(_desk_of(ticket.outlet_id))
    response = client.get(f"/api/v1/stock/outlets/{ticket.outlet_id}/levels",
                          headers=bearer(token))
    assert response.status_code == 200
    [held] = response.json
    assert (held["part_code"], held["on_hand"]) == ("P-1", 5)


def test_the_api_answers_another_outlets_stock_as_not_found(client, site):
    ticket, _part, _technician, _dispatcher = site
    token = make_token(_desk_of(make_outlet().id))
    response = client.get(f"/api/v1/stock/outlets/{ticket.outlet_id}/movements",
                          headers=bearer(token))
    assert response.status_code == 404


def test_the_api_pages_the_ledger(client, site):
    ticket, part, technician, _dispatcher = site
    field_work.use_part(db.session, ticket, part.id, 2, technician)
    db.session.commit()
    token = make_token(_desk_of(ticket.outlet_id))
    path = f"/api/v1/stock/outlets/{ticket.outlet_id}/movements"
    first = client.get(f"{path}?limit=1", headers=bearer(token)).json
    assert [(line["kind"], line["quantity"], line["balance_after"], line["ticket_number"])
            for line in first["items"]] == [("use", -2, 3, ticket.number)]
    rest = client.get(f"{path}?limit=1&cursor={first['next_cursor']}",
                      headers=bearer(token)).json
    assert [line["kind"] for line in rest["items"]] == ["receipt"]


def test_the_api_transfers_between_two_outlets_in_the_scope(client, site):
    ticket, part, _technician, _dispatcher = site
    other = make_outlet()
    token = make_token(make_user("manager"))
    response = client.post("/api/v1/stock/transfers", headers=bearer(token), json={
        "from_outlet_id": ticket.outlet_id, "to_outlet_id": other.id, "part_id": part.id,
        "quantity": 2})
    assert response.status_code == 201
    assert (response.json["out"]["balance_after"], response.json["in"]["balance_after"]) == (3, 2)


def test_the_api_refuses_a_transfer_to_an_outlet_outside_the_scope(client, site):
    ticket, part, _technician, _dispatcher = site
    token = make_token(_desk_of(ticket.outlet_id))
    response = client.post("/api/v1/stock/transfers", headers=bearer(token), json={
        "from_outlet_id": ticket.outlet_id, "to_outlet_id": make_outlet().id,
        "part_id": part.id, "quantity": 2})
    assert response.status_code == 404
    assert stock.stock_on_hand(db.session, ticket.outlet_id, part.id) == 5


def test_the_api_sends_faulty_parts_back_to_the_supplier(client, site):
    ticket, part, _technician, _dispatcher = site
    token = make_token(_desk_of(ticket.outlet_id))
    response = client.post("/api/v1/stock/supplier-returns", headers=bearer(token), json={
        "outlet_id": ticket.outlet_id, "part_id": part.id, "quantity": 1, "reason": "漏液"})
    assert response.status_code == 201
    assert (response.json["kind"], response.json["balance_after"]) == ("supplier_return", 4)


def test_the_api_keeps_the_removed_serial_and_returns_unused_parts(client, site):
    ticket, part, technician, _dispatcher = site
    token = make_token(technician)
    used = client.post(f"/api/v1/tickets/{ticket.id}/parts", headers=bearer(token),
                       json={"part_id": part.id, "quantity": 2, "removed_serial": "TC-9"})
    assert used.json["removed_serial"] == "TC-9"
    back = client.post(f"/api/v1/tickets/{ticket.id}/parts/{used.json['id']}/returns",
                       headers=bearer(token), json={"quantity": 1})
    assert (back.status_code, back.json["returned"]) == (200, 1)


def test_the_api_refuses_returning_more_than_was_used(client, site):
    ticket, part, technician, _dispatcher = site
    token = make_token(technician)
    used = client.post(f"/api/v1/tickets/{ticket.id}/parts", headers=bearer(token),
                       json={"part_id": part.id, "quantity": 1})
    back = client.post(f"/api/v1/tickets/{ticket.id}/parts/{used.json['id']}/returns",
                       headers=bearer(token), json={"quantity": 2})
    assert back.status_code == 409


def _post(client, path, data):
    return client.post(path, data={**data, "csrf_token": csrf_from(client, "/stock")})


def test_the_stock_page_shows_parts_on_hand_and_the_ledger(client, sign_in, site):
    ticket, part, technician, _dispatcher = site
    field_work.use_part(db.session, ticket, part.id, 1, technician)
    db.session.commit()
    sign_in(_desk_of(ticket.outlet_id).username)
    page = client.get("/stock").get_data(as_text=True)
    assert "P-1" in page
    assert f'href="/tickets/{ticket.id}">{ticket.number}</a>' in page
    assert "-1" in page


def test_the_stock_page_of_another_outlet_is_not_found(client, sign_in, site):
    ticket, _part, _technician, _dispatcher = site
    sign_in(_desk_of(make_outlet().id).username)
    assert client.get(f"/stock?outlet_id={ticket.outlet_id}").status_code == 404


def test_receiving_on_the_page_books_a_receipt(client, sign_in, site):
    ticket, part, _technician, _dispatcher = site
    sign_in(_desk_of(ticket.outlet_id).username)
    response = _post(client, "/stock/receipts", {
        "outlet_id": ticket.outlet_id, "part_id": part.id, "quantity": "4", "note": "到货"})
    assert response.status_code == 302
    assert stock.stock_on_hand(db.session, ticket.outlet_id, part.id) == 9


def test_a_refused_receipt_shows_the_reason_beside_the_quantity(client, sign_in, site):
    ticket, part, _technician, _dispatcher = site
    sign_in(_desk_of(ticket.outlet_id).username)
    response = _post(client, "/stock/receipts", {
        "outlet_id": ticket.outlet_id, "part_id": part.id, "quantity": "0"})
    assert response.status_code == 422
    assert 'id="e-quantity"' in response.get_data(as_text=True)


def test_a_transfer_of_more_than_on_hand_is_refused_on_the_page(client, sign_in, site):
    ticket, part, _technician, _dispatcher = site
    other = make_outlet()
    sign_in(make_user("manager").username)
    response = _post(client, "/stock/transfers", {
        "outlet_id": ticket.outlet_id, "from_outlet_id": ticket.outlet_id,
        "to_outlet_id": other.id, "part_id": part.id, "quantity": "9"})
    assert response.status_code == 409
    page = response.get_data(as_text=True)
    assert 'id="e-quantity"' in page
    assert 'aria-current="page">' in page  # the transfer form is the one drawn again


def test_an_auditor_reads_the_stock_page_without_its_forms(client, sign_in, site):
    sign_in(make_user("auditor").username)
    page = client.get("/stock").get_data(as_text=True)
    assert "P-1" in page
    assert "/stock/receipts" not in page


def test_the_work_order_page_returns_an_unused_part(client, sign_in, site):
    ticket, part, technician, _dispatcher = site
    used = field_work.use_part(db.session, ticket, part.id, 2, technician,
                               removed_serial="TC-0042")
    db.session.commit()
    sign_in(technician.username)
    assert "TC-0042" in client.get(f"/tickets/{ticket.id}").get_data(as_text=True)
    path = f"/tickets/{ticket.id}"
    response = client.post(f"{path}/parts/{used.id}/returns",
                           data={"quantity": "3", "csrf_token": csrf_from(client, path)})
    assert response.status_code == 409
    assert f'id="e-returns.{used.id}"' in response.get_data(as_text=True)

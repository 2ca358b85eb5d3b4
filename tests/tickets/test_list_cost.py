"""The work-order list costs the same few statements whatever it shows."""

from tests.factories import make_ticket, make_user


def _statements_for_the_list(client, count_queries) -> int:
    with count_queries() as statements:
        assert client.get("/tickets").status_code == 200
    return len(statements)


def test_the_list_page_takes_the_same_statements_for_2_and_12_work_orders(
        client, sign_in, count_queries):
    make_user("manager", username="zhaomin")
    sign_in("zhaomin")
    for _ in range(2):
        make_ticket()
    few = _statements_for_the_list(client, count_queries)
    for _ in range(10):
        make_ticket()
    assert _statements_for_the_list(client, count_queries) == few

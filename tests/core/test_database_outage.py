"""A database that cannot be reached: every request answers 503 with Retry-After (JSON on
the API, a page that asks the database nothing on the site), never the server's bare 500."""

import pytest
from flask_login.utils import _create_identifier

from aftersales import create_app

UNREACHABLE = "postgresql+psycopg://postgres@127.0.0.1:9/aftersales?connect_timeout=2"


@pytest.fixture(scope="module")
def outage():
    app = create_app({"SQLALCHEMY_DATABASE_URI": UNREACHABLE, "SECRET_KEY": "test-secret",
                      "TESTING": True})
    return app.test_client()


def test_the_api_answers_503_in_its_json_shape_with_retry_after(outage):
    response = outage.get("/api/v1/tickets", headers={"Authorization": "Bearer some-token"})
    assert response.status_code == 503
    assert response.json["code"] == "unavailable"
    assert int(response.headers["Retry-After"]) > 0


def test_a_page_answers_503_with_a_page_of_its_own(outage):
    response = outage.get("/tickets", headers={"Authorization": "Bearer some-token",
                                               "Accept-Language": "zh-CN"})
    assert response.status_code == 503
    assert "Retry-After" in response.headers
    assert "503" in response.get_data(as_text=True)


def test_a_signed_in_visitor_gets_503_not_a_crash_of_the_error_page(outage):
    browser = {"User-Agent": "phone-browser"}
    with outage.application.test_request_context(headers=browser,
                                                 environ_base={"REMOTE_ADDR": "127.0.0.1"}):
        identifier = _create_identifier()  # what strong session protection compares
    with outage.session_transaction() as session:
        session.update({"_user_id": "1:abcdef0123456789", "_fresh": True, "_id": identifier,
                        "_sk": "a-session-key"})
    response = outage.get("/", headers=browser)
    assert response.status_code == 503
    assert "Retry-After" in response.headers

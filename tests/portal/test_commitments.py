"""The commitments customers are shown on the portal (portal/commitments_views.py): of the
kinds catalog.toml marks public, only the approved version in force today; its file as it
was checked at upload; nothing staff-only."""

import re

from aftersales.evidence import services
from aftersales.extensions import db
from tests.evidence.factories import PDF, PNG, days_ago, make_document
from tests.factories import make_user

PATH = "/portal/commitments"


def _file_links(page: str) -> list[str]:
    return re.findall(r'href="(/portal/commitments/\d+)"', page)


def test_the_commitments_in_force_are_listed_for_anyone(client):
    _document, version = make_document(kind="service_commitments", title="服务承诺书")
    response = client.get(PATH)
    assert response.status_code == 200
    page = response.get_data(as_text=True)
    assert "服务承诺书" in page and _file_links(page) == [f"{PATH}/{version.id}"]


def test_the_file_opens_with_its_checked_type(client):
    _document, version = make_document(kind="fee_schedule", title="收费标准")
    response = client.get(f"{PATH}/{version.id}")
    assert response.status_code == 200
    assert response.mimetype == "application/pdf" and response.data == PDF


def test_a_draft_is_never_shown(client):
    _document, version = make_document(kind="warranty_policy", approve=False)
    assert _file_links(client.get(PATH).get_data(as_text=True)) == []
    assert client.get(f"{PATH}/{version.id}").status_code == 404


def test_a_lapsed_version_is_never_shown(client):
    _document, version = make_document(kind="recycling_notice", effective_days_ago=100,
                                       review_in_days=-1)
    assert _file_links(client.get(PATH).get_data(as_text=True)) == []
    assert client.get(f"{PATH}/{version.id}").status_code == 404


def test_a_version_not_yet_effective_is_not_shown(client):
    _document, version = make_document(kind="defect_disclosure", effective_days_ago=-3,
                                       approved_days_ago=0)
    assert client.get(f"{PATH}/{version.id}").status_code == 404


def test_a_withdrawn_version_is_not_shown(client):
    _document, version = make_document(kind="service_commitments")
    services.withdraw_version(db.session, version)
    db.session.commit()
    assert client.get(f"{PATH}/{version.id}").status_code == 404


def test_a_staff_only_kind_is_never_shown(client):
    _document, version = make_document(kind="budget", title="售后服务经费预算")
    page = client.get(PATH).get_data(as_text=True)
    assert "售后服务经费预算" not in page
    assert client.get(f"{PATH}/{version.id}").status_code == 404


def test_only_the_newest_version_in_force_is_shown(client):
    document, old = make_document(kind="service_commitments", effective_days_ago=200)
    new = services.add_version(db.session, make_user("manager"), document, "V2",
                               days_ago(100), None, "v2.png", PNG)
    services.approve_version(db.session, make_user("manager", commit=False), new)
    db.session.commit()
    assert _file_links(client.get(PATH).get_data(as_text=True)) == [f"{PATH}/{new.id}"]
    assert client.get(f"{PATH}/{old.id}").status_code == 404


def test_who_uploaded_or_approved_it_is_not_shown(client):
    make_document(kind="fee_schedule", title="收费标准")
    page = client.get(PATH).get_data(as_text=True)
    assert "approver" not in page and "manual.pdf" not in page


"""The evidence pages' forms on the form layer: every field's reason at once, beside its
input, the form filled again as sent, and nothing written when a form is refused."""

import io
import re

import pytest
from sqlalchemy import func, select

from aftersales.evidence.models import (
    Attestation,
    AuditPeriod,
    DocumentVersion,
    ImprovementAction,
    RubricSetting,
    SpecialItem,
)
from aftersales.extensions import db
from tests.conftest import csrf_from
from tests.evidence.factories import PDF, days_ago, make_action, make_document
from tests.factories import make_user


def manager(sign_in):
    make_user("manager", username="lijing")
    return sign_in("lijing")


def count(model) -> int:
    return db.session.scalar(select(func.count()).select_from(model))


def shown_reasons(html: str) -> set[str]:
    return set(re.findall(r'class="field-error" id="e-([\w.]+)"', html))


REGISTER_FORMS = [
    ("/evidence/actions", ImprovementAction,
     {"title": "整改派工时段", "source": "audit", "owner_name": "", "due_on": "next week",
      "description": "午间无人接单"},
     {"owner_name", "due_on"}, ['value="整改派工时段"', "午间无人接单</textarea>"]),
    ("/evidence/deductions", SpecialItem,
     {"kind": "deduction", "basis": "law", "description": "", "raised_on": "2026-02-30",
      "rectify_by": "3100-01-01", "clause_number": "5.1.6.1"},
     {"description", "raised_on", "rectify_by"}, ['value="5.1.6.1"']),
]


@pytest.mark.parametrize(("path", "model", "form", "refused", "kept"), REGISTER_FORMS)
def test_a_register_form_names_every_refused_field_at_once_and_keeps_what_was_typed(
        client, sign_in, path, model, form, refused, kept):
    manager(sign_in)
    response = client.post(path, data={"csrf_token": csrf_from(client, path), **form})
    html = response.get_data(as_text=True)
    assert response.status_code == 422 and shown_reasons(html) == refused
    assert all(typed in html for typed in kept)
    assert count(model) == 0


def test_a_status_change_refused_for_a_finished_action_is_said_in_its_row(client, sign_in):
    action = make_action(due_days_ago=3, done_days_ago=1)
    manager(sign_in)
    response = client.post(f"/evidence/actions/{action.id}/status", data={
        "csrf_token": csrf_from(client, "/evidence/actions"), "status": "open"})
    html = response.get_data(as_text=True)
    row = html[html.index(f'id="action-{action.id}"'):]
    assert response.status_code == 409 and 'class="field-error"' in row
    assert 'class="form-error"' not in html


def test_a_link_with_a_bad_record_id_marks_no_row(client, sign_in):
    make_action()
    manager(sign_in)
    response = client.get("/evidence/actions?action_id=x")
    assert response.status_code == 200 and "ev-highlight" not in response.get_data(as_text=True)


def test_a_version_without_a_file_and_without_a_day_is_refused_on_both(client, sign_in):
    document, _ = make_document()
    manager(sign_in)
    response = client.post(
        f"/evidence/documents/{document.id}/versions",
        data={"csrf_token": csrf_from(client, "/evidence/documents"), "version": "V2",
              "effective_on": "", "file": (io.BytesIO(b""), "")},
        content_type="multipart/form-data",
    )
    html = response.get_data(as_text=True)
    section = html[html.index(f'id="doc-{document.id}"'):]
    assert response.status_code == 422
    assert shown_reasons(section) == {"effective_on", "file"}
    assert 'value="V2"' in section
    assert count(DocumentVersion) == 1


def test_an_attestation_carries_the_file_chosen_and_none_when_the_input_is_left_empty(
        client, sign_in):
    manager(sign_in)
    token = csrf_from(client, "/evidence/attestations")
    for upload in ((io.BytesIO(PDF), "interviews.pdf"), (io.BytesIO(b""), "")):
        response = client.post("/evidence/attestations", data={
            "csrf_token": token, "clause_number": "5.1.7.1", "statement": "访谈十名员工",
            "file": upload}, content_type="multipart/form-data")
        assert response.status_code == 302
    filenames = db.session.scalars(select(Attestation.evidence_filename)
                                   .order_by(Attestation.id)).all()
    assert filenames == ["interviews.pdf", None]


def test_an_attestation_file_that_is_not_a_document_is_refused_beside_the_input(
        client, sign_in):
    manager(sign_in)
    response = client.post("/evidence/attestations", data={
        "csrf_token": csrf_from(client, "/evidence/attestations"), "clause_number": "5.1.7.1",
        "statement": "访谈十名员工", "file": (io.BytesIO(b"GIF89a"), "notes.pdf")},
        content_type="multipart/form-data")
    html = response.get_data(as_text=True)
    assert response.status_code == 422 and "访谈十名员工</textarea>" in html
    assert 'class="field-error">' in html[html.index('id="f-file"'):]
    assert count(Attestation) == 0


def post_settings(client, **values):
    return client.post("/evidence/rubric/settings", data={
        "csrf_token": csrf_from(client, "/evidence/rubric"), **values})


def stored_settings() -> dict[str, str]:
    db.session.expire_all()
    return dict(db.session.execute(select(RubricSetting.key, RubricSetting.value)).all())


def test_the_settings_form_changes_only_what_it_sends_and_a_blank_day_clears(client, sign_in):
    manager(sign_in)
    response = post_settings(client, certified_on=str(days_ago(100)), reason="首次认证")
    assert response.status_code == 302
    assert stored_settings() == {"certified_on": str(days_ago(100))}
    response = post_settings(client, period_days="180", certified_on="", reason="改为半年")
    assert response.status_code == 302
    assert stored_settings() == {"certified_on": "", "period_days": "180"}


def test_a_refused_settings_form_names_every_field_and_saves_none(client, sign_in):
    manager(sign_in)
    response = post_settings(client, period_days="0", deduction_window_days="x",
                             certified_on="someday", reason="试")
    assert response.status_code == 422
    assert shown_reasons(response.get_data(as_text=True)) == {
        "period_days", "deduction_window_days", "certified_on"}
    response = post_settings(client, period_days="180", deduction_window_days="", reason="试")
    assert response.status_code == 422  # the second is refused: the first is undone too
    assert stored_settings() == {}


def test_the_freeze_form_names_every_refused_field_at_once(client, sign_in):
    manager(sign_in)
    response = client.post("/evidence/periods", data={
        "csrf_token": csrf_from(client, "/evidence/periods"), "from": "", "to": "yesterday",
        "share": "ten", "seed": "-1"})
    assert response.status_code == 422
    assert shown_reasons(response.get_data(as_text=True)) == {"from", "to", "share", "seed"}
    assert count(AuditPeriod) == 0


def test_a_refused_export_keeps_the_suggested_period_in_the_freeze_form(client, sign_in):
    manager(sign_in)
    response = client.post("/evidence/periods/999/exports",
                           data={"csrf_token": csrf_from(client, "/evidence/periods")})
    html = response.get_data(as_text=True)
    assert response.status_code == 404 and 'class="form-error"' in html
    assert 'id="f-share" name="share" type="number" value="10"' in html

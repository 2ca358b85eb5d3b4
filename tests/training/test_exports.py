"""Sign-in sheet and training record, PDF and XLSX."""

import io

from openpyxl import load_workbook

from aftersales.extensions import db
from aftersales.training import exports
from tests.factories import make_user
from tests.training.factories import attend, make_certificate, make_session, make_staff


def test_the_sign_in_sheet_lists_the_roster_with_scores(app):
    people = [make_staff(name="张三"), make_staff(name="李四")]
    training = make_session(topic="燃气热水器安装规范")
    attend(training, people[0], score=88)
    with app.test_request_context():
        sheet = exports.sign_in_sheet(db.session, training)
        workbook = load_workbook(io.BytesIO(exports.xlsx(sheet)))
        content = exports.pdf(sheet)
    values = [cell for row in workbook.active.iter_rows(values_only=True) for cell in row]
    assert "燃气热水器安装规范" in values and "张三" in values and "88" in values
    assert content.startswith(b"%PDF") and b"STSong-Light" in content


def test_the_training_record_of_a_person(app):
    person = make_staff(name="王五")
    make_certificate(person, "electrician", number="T-1")
    attend(make_session(topic="安全用电", hours=3), person, score=59)
    with app.test_request_context():
        sheet = exports.training_record(db.session, person)
        assert any("T-1" in value for _label, value in sheet.facts)
        assert sheet.rows[0][1:5] == ["安全用电", "技术技能", "周婷", "3.0"]
        assert exports.pdf(sheet).startswith(b"%PDF")


def test_a_cell_that_looks_like_a_formula_is_written_as_text(app):
    training = make_session(topic="=HYPERLINK(\"http://evil\")")
    make_staff(name="=1+1")
    with app.test_request_context():
        sheet = exports.sign_in_sheet(db.session, training)
        sheet.rows.append(["1", "E1", "=1+1", "", "", "", ""])
        workbook = load_workbook(io.BytesIO(exports.xlsx(sheet)))
    assert workbook.active.cell(row=workbook.active.max_row, column=3).data_type == "s"


def test_a_technician_may_not_download_the_sign_in_sheet(client, sign_in):
    make_user("technician", username="tech1")
    training = make_session()
    sign_in("tech1")
    assert client.get(f"/training/sessions/{training.id}/sign-in-sheet.pdf").status_code == 403


def test_exports_are_downloads_for_trainers(client, sign_in):
    make_user("trainer", username="trainer1")
    training = make_session()
    person = make_staff()
    sign_in("trainer1")
    pdf = client.get(f"/training/sessions/{training.id}/sign-in-sheet.pdf")
    xlsx = client.get(f"/training/staff/{person.id}/record.xlsx")
    assert pdf.mimetype == "application/pdf" and pdf.data.startswith(b"%PDF")
    assert xlsx.headers["Content-Disposition"].startswith("attachment")


def test_a_topic_that_looks_like_a_formula_stays_text_in_the_title_and_facts(app):
    training = make_session(topic="=HYPERLINK(\"http://evil\",\"点此\")")
    with app.test_request_context():
        sheet = exports.sign_in_sheet(db.session, training)
        workbook = load_workbook(io.BytesIO(exports.xlsx(sheet)))
    text_cells = [cell for row in workbook.active.iter_rows() for cell in row
                  if isinstance(cell.value, str) and cell.value.startswith("=")]
    assert text_cells and all(cell.data_type == "s" for cell in text_cells)

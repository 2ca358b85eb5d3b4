"""The training sign-in sheet in two steps: its data (bilingual, JSON-ready, kept when an
audit period is frozen) and the PDF rendered from that data alone."""

import io
import json

from pypdf import PdfReader

from aftersales.extensions import db
from aftersales.training import exports, sessions
from tests.factories import sheet_content
from tests.training.factories import attend, make_session, make_staff


def _text(pdf: bytes) -> str:
    return " ".join(" ".join(p.extract_text() for p in PdfReader(io.BytesIO(pdf)).pages).split())


def _held():
    training = make_session(topic="燃气热水器安装规范")
    person = make_staff(name="张三")
    attend(training, person, score=88)
    return training, person


def test_the_data_is_json_and_renders_the_same_bytes_every_time():
    training, _person = _held()
    data = exports.sign_in_sheet_data(db.session, training.id)
    stored = json.loads(json.dumps(data))  # as a freeze keeps it
    assert stored == data
    assert exports.sign_in_sheet_pdf(stored) == exports.sign_in_sheet_pdf(data)


def test_a_roster_changed_after_its_data_was_taken_prints_as_it_was():
    training, person = _held()
    data = json.loads(json.dumps(exports.sign_in_sheet_data(db.session, training.id)))
    before = exports.sign_in_sheet_pdf(data)
    sessions.record_scores(db.session, training, {person.id: 41})
    person.name = "张三丰"
    db.session.commit()
    assert exports.sign_in_sheet_pdf(data) == before
    fresh = _text(exports.render_sign_in_sheet(db.session, training))
    assert "张三丰" in fresh and "41" in fresh


def test_the_sheet_is_chinese_with_the_english_beside_it():
    training, _person = _held()
    text = _text(exports.render_sign_in_sheet(db.session, training))
    for expected in ("培训签到表 Training sign-in sheet", "燃气热水器安装规范", "张三", "88",
                     "合格 pass", "数据截至 Data as of"):
        assert expected in text, expected


def test_no_training_session_has_no_data():
    assert exports.sign_in_sheet_data(db.session, 999_999) is None


def test_a_batch_gives_each_session_the_data_of_its_own_sheet():
    held, _person = _held()
    empty = make_session(topic="无人报名的培训")
    ids = [held.id, empty.id, 999_999]
    batch = exports.sign_in_sheets_data(db.session, ids)
    assert sorted(batch) == sorted([held.id, empty.id])
    for record_id in ids:
        alone = exports.sign_in_sheet_data(db.session, record_id)
        assert sheet_content(batch.get(record_id)) == sheet_content(alone)

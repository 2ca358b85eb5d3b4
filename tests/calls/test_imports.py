"""Importing a call-centre export: all rows or none, bad rows reported by number."""

from datetime import UTC, datetime

import pytest
from sqlalchemy import func, select

from aftersales.calls import imports
from aftersales.calls.models import Call
from aftersales.core.errors import ValidationFailed
from aftersales.core.models import AuditEntry
from aftersales.extensions import db
from tests.calls.factories import BASE_DAY
from tests.factories import make_customer, make_user

DAY = BASE_DAY.isoformat()
HEADER = "direction,caller_number,queued_at,answered_at,ended_at,outcome,agent_username,note"
GOOD = [
    f"inbound,13912345678,{DAY} 09:00:00,{DAY} 09:00:25,{DAY} 09:05:00,answered,zhangmin,不制冷",
    f"inbound,+86 138 0000 1111,{DAY} 21:10:00,,{DAY} 21:10:40,missed,,",
    f"outbound,13800001111,{DAY}T00:30:00Z,{DAY}T00:30:08Z,{DAY}T00:32:00Z,answered,zhangmin,回拨",
]


def csv_bytes(*rows: str, header: str = HEADER, encoding: str = "utf-8") -> bytes:
    return "\r\n".join([header, *rows]).encode(encoding)


def calls_in_log() -> int:
    return db.session.scalar(select(func.count()).select_from(Call))


def refused_rows(content: bytes) -> list[tuple[int, str]]:
    with pytest.raises(imports.ImportRefused) as refused:
        imports.import_calls(db.session, content)
    return [(error.row, error.field) for error in refused.value.rows]


@pytest.fixture(autouse=True)
def agent():
    return make_user("agent", username="zhangmin")


def test_a_good_file_is_imported_whole():
    calls = imports.import_calls(db.session, csv_bytes(*GOOD))
    assert [(c.direction, c.caller_number, c.outcome) for c in calls] == [
        ("inbound", "13912345678", "answered"),
        ("inbound", "13800001111", "missed"),
        ("outbound", "13800001111", "answered"),
    ]


def test_imported_calls_get_their_wait_hours_agent_and_customer(agent):
    customer = make_customer(phone="13912345678")
    first, second, _third = imports.import_calls(db.session, csv_bytes(*GOOD))
    assert (first.wait_seconds, first.within_hotline_hours) == (25, True)
    assert (first.agent_id, first.customer_id, first.note) == (agent.id, customer.id, "不制冷")
    assert (second.wait_seconds, second.within_hotline_hours) == (40, False)


def test_a_local_time_means_beijing_time_and_a_zone_is_respected():
    first, _second, third = imports.import_calls(db.session, csv_bytes(*GOOD))
    assert first.queued_at == datetime.fromisoformat(f"{DAY}T01:00:00+00:00")
    assert third.queued_at == datetime.fromisoformat(f"{DAY}T00:30:00+00:00")
    assert third.queued_at.tzinfo == UTC


def test_a_utf8_file_with_a_byte_order_mark_is_read():
    header = "caller_number,queued_at,ended_at,outcome,note"  # the mark sits on a required one
    row = f"13912345678,{DAY} 09:00:00,{DAY} 09:00:30,missed,未接通"
    content = b"\xef\xbb\xbf" + csv_bytes(row, header=header)
    (call,) = imports.import_calls(db.session, content)
    assert (call.caller_number, call.note) == ("13912345678", "未接通")


def test_a_gb18030_file_with_chinese_headers_and_words_is_read():
    header = "方向,主叫号码,来电时间,接听时间,挂机时间,结果,坐席,备注"
    row = f"呼入,13912345678,{DAY} 10:00:00,{DAY} 10:00:12,{DAY} 10:03:00,已接听,zhangmin,漏水"
    (call,) = imports.import_calls(db.session, csv_bytes(row, header=header, encoding="gb18030"))
    assert (call.direction, call.outcome, call.note) == ("inbound", "answered", "漏水")


def test_bad_rows_are_reported_by_row_number_and_field_and_nothing_is_imported():
    content = csv_bytes(
        GOOD[0],
        f"inbound,13912345678,{DAY} 09:10:00,{DAY} 09:09:00,,answered,zhangmin,",
        GOOD[1],
        "inbound,13912345678,yesterday,,,lost,nobody,",
    )
    assert refused_rows(content) == [
        (3, "answered_at"), (5, "queued_at"), (5, "outcome"), (5, "agent_username"),
    ]
    db.session.commit()
    audited = select(func.count()).select_from(AuditEntry).where(AuditEntry.record_type == "calls")
    assert (calls_in_log(), db.session.scalar(audited)) == (0, 0)


def test_the_refusal_counts_the_bad_rows():
    content = csv_bytes(GOOD[0], f"inbound,,{DAY} 09:10:00,,{DAY} 09:11:00,missed,,")
    with pytest.raises(imports.ImportRefused) as refused:
        imports.import_calls(db.session, content)
    assert refused.value.bad_rows == 1
    assert refused.value.rows[0].field == "caller_number"


def test_every_problem_of_a_row_is_reported_at_once():
    row = f"sideways,13912345678,{DAY} 09:10:00,,,missed,nobody,"
    assert refused_rows(csv_bytes(row)) == [
        (2, "direction"), (2, "ended_at"), (2, "agent_username"),
    ]


def test_an_unanswered_row_without_an_end_time_is_reported():
    assert refused_rows(csv_bytes(f"inbound,13912345678,{DAY} 09:10:00,,,missed,,")) == [
        (2, "ended_at")
    ]


def test_a_call_already_in_the_log_is_refused_so_a_second_import_changes_nothing():
    imports.import_calls(db.session, csv_bytes(*GOOD))
    assert refused_rows(csv_bytes(*GOOD)) == [(2, "queued_at"), (3, "queued_at"), (4, "queued_at")]
    assert calls_in_log() == 3


def test_a_row_repeating_an_earlier_row_is_refused():
    assert refused_rows(csv_bytes(GOOD[0], GOOD[1], GOOD[0])) == [(4, "queued_at")]


def test_extra_columns_are_ignored_and_columns_may_come_in_any_order():
    header = "call_id,outcome,queued_at,caller_number,ended_at,trunk"
    row = f"A-77,missed,{DAY} 09:00:00,13912345678,{DAY} 09:00:30,T1"
    (call,) = imports.import_calls(db.session, csv_bytes(row, header=header))
    assert (call.direction, call.wait_seconds) == ("inbound", 30)


def test_a_header_without_the_required_columns_is_refused():
    with pytest.raises(ValidationFailed) as refused:
        imports.import_calls(db.session, csv_bytes(GOOD[0], header="number,time,result"))
    assert refused.value.field == "file"


def test_an_image_is_not_csv_text():
    png = b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR\x00\x00\x00\x01\x00\x00\x00\x01\x08\x02"
    with pytest.raises(ValidationFailed) as refused:
        imports.import_calls(db.session, png)
    assert refused.value.field == "file"


def test_a_workbook_is_not_csv_text():
    xlsx = b"PK\x03\x04\x14\x00\x06\x00\x08\x00\x00\x00!\x00" + bytes(range(256))
    with pytest.raises(ValidationFailed) as refused:
        imports.import_calls(db.session, xlsx)
    assert refused.value.field == "file"


def test_an_empty_file_is_refused():
    with pytest.raises(ValidationFailed) as refused:
        imports.import_calls(db.session, b"")
    assert refused.value.field == "file"


def test_a_header_without_rows_is_refused():
    with pytest.raises(ValidationFailed) as refused:
        imports.import_calls(db.session, csv_bytes())
    assert refused.value.field == "file"


@pytest.mark.parametrize(
    ("text", "expected"),
    [("2026-11-02 09:05:01", "2026-11-02T01:05:01+00:00"),
     ("2026/11/2 9:05", "2026-11-02T01:05:00+00:00"),
     ("2026-11-02T09:05:01+08:00", "2026-11-02T01:05:01+00:00"),
     ("2026-11-02T01:05:01Z", "2026-11-02T01:05:01+00:00")],
)
def test_times_are_read_in_the_documented_forms(text, expected):
    assert imports.parse_time(text).astimezone(UTC).isoformat() == expected


@pytest.mark.parametrize("text", ["02/11/2026 09:05", "9:05", "2026-13-02 09:05:00", "soon"])
def test_other_time_forms_are_refused(text):
    with pytest.raises(ValueError):
        imports.parse_time(text)

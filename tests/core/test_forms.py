"""The form layer every page reads its input through (aftersales/core/forms.py)."""

import pytest
from marshmallow import Schema, fields, validate
from sqlalchemy import select

from aftersales.core.errors import NotFound, ValidationFailed
from aftersales.core.fields import Day, Int, LocalMoment, Yuan
from aftersales.core.forms import FormRefused, form_input, on_refusal, placed, query_input
from aftersales.customers.models import Customer
from aftersales.extensions import db
from tests.factories import make_customer


class EntrySchema(Schema):
    day = Day(required=True)
    note = fields.String(load_default=None)


class ExampleSchema(Schema):
    name = fields.String(required=True, validate=validate.Length(min=2))
    count = Int(load_default=1, validate=validate.Range(min=1, max=9))
    price_fen = Yuan(load_default=None, data_key="price")
    tags = fields.List(fields.String(), load_default=list)
    entries = fields.List(fields.Nested(EntrySchema), load_default=list)
    at = LocalMoment(load_default=None)


def _load(app, data, schema=None):
    with app.test_request_context("/x", method="POST", data=data):
        return form_input(schema or ExampleSchema())


def test_every_refused_field_is_named_at_once(app):
    with pytest.raises(FormRefused) as refused:
        _load(app, {"name": "x", "count": "12", "price": "1.234", "at": "yesterday"})
    assert set(refused.value.field_errors) == {"name", "count", "price", "at"}


def test_a_blank_input_is_an_input_not_given(app):
    loaded = _load(app, {"name": "张伟", "count": "", "price": "", "at": ""})
    assert (loaded["count"], loaded["price_fen"], loaded["at"]) == (1, None, None)


def test_a_blank_required_input_is_refused_as_required(app):
    with pytest.raises(FormRefused) as refused:
        _load(app, {"name": "   ".strip()})
    assert list(refused.value.field_errors) == ["name"]


def test_yuan_are_read_as_whole_fen_exactly(app):
    assert _load(app, {"name": "张伟", "price": "128.50"})["price_fen"] == 12850


@pytest.mark.parametrize("typed", ["-1", "1e3", "NaN", "12.345", "abc"])
def test_yuan_refuse_what_is_not_an_amount(app, typed):
    with pytest.raises(FormRefused) as refused:
        _load(app, {"name": "张伟", "price": typed})
    assert list(refused.value.field_errors) == ["price"]


def test_a_local_time_is_read_in_the_display_zone(app):
    moment = _load(app, {"name": "张伟", "at": "2026-12-04T09:30"})["at"]
    assert moment.utcoffset().total_seconds() == 8 * 3600


def test_every_value_under_a_list_fields_name_is_collected(app):
    from werkzeug.datastructures import MultiDict

    data = MultiDict([("name", "张伟"), ("tags", "a"), ("tags", ""), ("tags", "b")])
    assert _load(app, data)["tags"] == ["a", "b"]


def test_dotted_names_nest_and_refusals_name_the_row(app):
    data = {"name": "张伟", "entries.1.day": "2026-13-01", "entries.0.day": "2026-01-01",
            "entries.0.note": "元旦"}
    with pytest.raises(FormRefused) as refused:
        _load(app, data)
    assert list(refused.value.field_errors) == ["entries.1.day"]


def test_a_value_in_the_pages_address_counts_unless_the_form_sends_one(app):
    with app.test_request_context("/x?name=张伟&count=3", method="POST", data={"count": "4"}):
        loaded = form_input(ExampleSchema())
    assert (loaded["name"], loaded["count"]) == ("张伟", 4)


def test_a_bad_filter_is_reported_and_the_rest_kept(app):
    with app.test_request_context("/x?name=张伟&count=99"):
        loaded, errors = query_input(ExampleSchema())
    assert (loaded["name"], loaded["count"], list(errors)) == ("张伟", 1, ["count"])


def test_refusals_are_said_in_the_readers_language(app):
    with (app.test_request_context("/x", method="POST", data={"count": "x"},
                                   headers={"Accept-Language": "zh-CN"}),
          pytest.raises(FormRefused) as refused):
        form_input(ExampleSchema())
    assert refused.value.field_errors == {"name": "必填。", "count": "不是整数。"}


def test_a_reason_about_a_field_the_page_does_not_show_goes_to_the_top():
    assert placed({"quantity": "太多", "outlet_id": "不在范围内"}, {"quantity"}) == {
        "quantity": "太多", "_form": "不在范围内"}


def test_a_refusal_rolls_back_what_the_handler_had_written(app):
    make_customer(name="王芳")
    seen = []

    @on_refusal(lambda errors, status: seen.append((errors, status)) or ("drawn", status))
    def handler():
        db.session.execute(select(Customer)).scalar_one().name = "改名"
        db.session.flush()
        raise NotFound("没有这张工单", "ticket_id")

    with app.test_request_context("/x", method="POST"):
        assert handler() == ("drawn", 404)
    assert db.session.execute(select(Customer.name)).scalar_one() == "王芳"
    assert seen == [({"ticket_id": "没有这张工单"}, 404)]


def test_a_refusal_naming_several_fields_is_drawn_with_each_reason(app):
    class Several(ValidationFailed):
        @property
        def errors(self):
            return {"queued_at": ["太晚"], "ended_at": ["太早"]}

    @on_refusal(lambda errors, status: (errors, status))
    def handler():
        raise Several("有错")

    with app.test_request_context("/x", method="POST"):
        assert handler() == ({"queued_at": "太晚", "ended_at": "太早"}, 422)


def test_a_refusal_naming_no_field_is_drawn_at_the_top(app):
    @on_refusal(lambda errors, status: (errors, status))
    def handler():
        raise NotFound("没有这张工单")

    with app.test_request_context("/x", method="POST"):
        assert handler() == ({"_form": "没有这张工单"}, 404)

"""The sheets' block language: data in, the same PDF bytes out, with nothing but the data."""

import io
import threading

import pytest
from pypdf import PdfReader

from aftersales.core.sheets import png, render_blocks
from tests.factories import signature_png

DATA = {
    "title": "WO00000001 维修服务记录单", "author": "售后服务中心", "as_of": "2026-06-07 11:22",
    "blocks": [
        {"title": "维修服务记录单"}, {"subtitle": "Repair service record"}, {"spacer_mm": 4},
        {"heading": "客户 Customer"}, {"facts": [["电话 Phone", "138****5678"]]},
        {"listing": {"header": ["文件名 File", "SHA-256"], "rows": [["a.png", "ab\ncd"]],
                     "widths_mm": [60, 110], "small": True, "mono_columns": [1]}},
        {"image_png": png(signature_png()), "max_mm": [70, 28]},
        {"text": "<b>坏了</b> & 没修好"},
    ],
}


def _text(pdf: bytes) -> str:
    return " ".join(" ".join(p.extract_text() for p in PdfReader(io.BytesIO(pdf)).pages).split())


def test_the_same_data_gives_the_same_bytes():
    assert render_blocks(DATA) == render_blocks(DATA)


def test_rendering_needs_no_app_context():
    # A new thread has no Flask context (nor the test's database): the data is enough.
    rendered: list[bytes] = []
    worker = threading.Thread(target=lambda: rendered.append(render_blocks(DATA)))
    worker.start()
    worker.join()
    assert rendered == [render_blocks(DATA)]


def test_the_sheet_ends_with_when_its_data_was_taken():
    assert "数据截至 Data as of 2026-06-07 11:22" in _text(render_blocks(DATA))


def test_text_in_a_block_is_text_not_markup():
    assert "<b>坏了</b> & 没修好" in _text(render_blocks(DATA))


def test_an_empty_listing_shows_a_dash():
    data = {**DATA, "blocks": [{"listing": {"header": ["# ", "姓名 Name"], "rows": [],
                                            "widths_mm": [20, 150]}}]}
    assert "姓名 Name —" in _text(render_blocks(data))


def test_an_unknown_block_is_refused_by_name():
    with pytest.raises(ValueError, match="chart"):
        render_blocks({**DATA, "blocks": [{"chart": [1, 2]}]})


def test_a_heading_low_on_a_page_starts_the_next_page_with_its_section():
    data = {**DATA, "blocks": [
        {"spacer_mm": 235},  # the page nearly full: room for a heading, not for a signature
        {"heading": "客户确认 Customer sign-off"},
        {"image_png": png(signature_png()), "max_mm": [70, 28]},
        {"text": "签字人 Signed by：李雷"},
    ]}
    first, second = PdfReader(io.BytesIO(render_blocks(data))).pages
    assert "sign-off" not in first.extract_text()
    assert "sign-off" in second.extract_text() and "李雷" in second.extract_text()

"""A sheet's bytes are pinned: an auditor who exports a frozen period again must get the same
bytes as before (docs/architecture.md), so a faster drawing (core/pdf.py) must draw exactly
what the slower one did. The expected digests were taken from the drawing before it was
made faster; a change that alters them changes every frozen period's package."""

import hashlib

import pytest

from aftersales.core.sheets import png, render_blocks
from tests.factories import signature_png

LONG_TEXT = ("客户反映空调制冷效果差，室外机噪音大。技术员上门检查后发现冷媒不足，"
             "补充冷媒并清洗过滤网。The customer says the unit is noisy at night; "
             "we checked the fan & the compressor <twice>.\n第二行：已告知客户保养方法。") * 3
FACTS = [["客户 Customer", "张伟"], ["电话 Phone", "138****5678"], ["地址 Address", ""],
         ["备注 Note", None], ["说明 Remark", LONG_TEXT], ["金额 Amount", "¥1,234.50"]]


def _events(count: int) -> list[list[str]]:
    return [[f"2026-06-{1 + number % 28:02d} 10:{number % 60:02d}", "派单 Dispatched",
             f"技术员{number}", "已到达现场，开始检修 arrived, started the repair"]
            for number in range(count)]


WORK_ORDER = {
    "title": "WO00000008 维修服务记录单", "author": "售后服务中心", "as_of": "2026-06-07 11:22",
    "blocks": [
        {"title": "售后服务中心 维修服务记录单"},
        {"subtitle": "Repair service record / 时间均为北京时间 Times are Beijing time (UTC+8)"},
        {"spacer_mm": 4},
        {"facts": FACTS},
        {"heading": "过程 Events"},
        {"listing": {"header": ["时间 Time", "事件 Event", "人员 By", "说明 Note"],
                     "rows": _events(90), "widths_mm": [28, 30, 30, 92], "small": True}},
        {"heading": "附件 Files"},
        {"listing": {"header": ["文件名 File", "SHA-256"],
                     "rows": [["a.png", "ab" * 32], ["", "—"]],
                     "widths_mm": [60, 120], "mono_columns": [1]}},
        {"heading": "配件 Parts"},
        {"listing": {"header": ["配件 Part", "数量 Qty"], "rows": []}},
        {"heading": "客户签字 Customer sign-off"},
        {"text": LONG_TEXT},
        {"image_png": png(signature_png()), "max_mm": [70, 28]},
    ],
}
EMPTY = {"title": "", "author": "", "as_of": "—",
         "blocks": [{"title": ""}, {"heading": "空 Empty"}, {"facts": [["标签 Label", ""]]},
                    {"text": ""}]}

PINNED = {
    "work order": (WORK_ORDER, "88cbdec721198f29273c2759b0440aae4f6647b42797129f18de3c0abc823456"),
    "empty": (EMPTY, "5d079cd3e29d7992ab3eef225c2cd1f8564e89df97b77f0ffee08f98953c7a45"),
}


@pytest.mark.parametrize("name", PINNED)
def test_a_sheet_is_drawn_to_the_same_bytes_as_before(name):
    data, digest = PINNED[name]
    assert hashlib.sha256(render_blocks(data)).hexdigest() == digest

"""Cells typed by people are never run as formulas; workbooks that inflate are refused
before they are parsed."""

import io
import re
import zipfile

import pytest
from openpyxl import Workbook, load_workbook

from aftersales.core import spreadsheet
from aftersales.core.errors import ValidationFailed
from aftersales.training import imports

STAFF_HEADER = ("工号", "姓名", "岗位", "部门", "网点编码", "服务管理人员", "作业类型")


@pytest.mark.parametrize("typed", ["=HYPERLINK(\"http://evil\")", "+1", "-1+2", "@SUM(A1)",
                                   "\t=1", "\r=1"])
def test_csv_text_that_starts_like_a_formula_is_marked_as_text(typed):
    assert spreadsheet.csv_text(typed) == "'" + typed


def test_csv_keeps_ordinary_text_and_numbers_as_they_are():
    assert spreadsheet.csv_row(["王芳", -12, None, "A-1"]) == ["王芳", -12, None, "A-1"]


def test_xlsx_text_is_a_string_cell_with_its_text_unchanged():
    book = Workbook()
    book.active.append(spreadsheet.xlsx_row(book.active, ["=HYPERLINK(\"http://evil\")", 3]))
    buffer = io.BytesIO()
    book.save(buffer)
    cell, number = load_workbook(io.BytesIO(buffer.getvalue())).active[1]
    assert (cell.data_type, cell.value) == ("s", "=HYPERLINK(\"http://evil\")")
    assert number.value == 3


def test_xlsx_text_is_a_string_cell_in_a_write_only_workbook_too():
    book = Workbook(write_only=True)
    sheet = book.create_sheet("records")
    sheet.append(spreadsheet.xlsx_row(sheet, [1, "=1+1", "王芳", None, "-5"]))
    buffer = io.BytesIO()
    book.save(buffer)
    cells = next(load_workbook(io.BytesIO(buffer.getvalue())).active.iter_rows())
    assert [cell.value for cell in cells] == [1, "=1+1", "王芳", None, "-5"]
    assert cells[1].data_type == "s"


def _workbook_with_blank_rows(blank_rows: int, padding: int = 0) -> bytes:
    """A staff workbook whose sheet declares `blank_rows` empty rows after its header, as a
    crafted file does (openpyxl itself writes no empty rows)."""
    book = Workbook()
    book.active.append(STAFF_HEADER)
    buffer = io.BytesIO()
    book.save(buffer)
    source = zipfile.ZipFile(io.BytesIO(buffer.getvalue()))
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as target:
        for info in source.infolist():
            content = source.read(info)
            if info.filename == "xl/worksheets/sheet1.xml":
                last = blank_rows + 1
                blanks = "".join(f'<row r="{n}"/>' for n in range(2, last + 1))
                content = re.sub(rb"</row>", b"</row>" + blanks.encode(), content, count=1)
                content = content.replace(b'ref="A1:G1"', f'ref="A1:G{last}"'.encode())
                content = content.replace(b"</sheetData>", b"</sheetData>" + b" " * padding)
            target.writestr(info.filename, content)
    return out.getvalue()


def test_a_workbook_of_blank_rows_is_refused_once_past_the_row_limit(monkeypatch):
    monkeypatch.setattr(imports, "MAX_ROWS", 100)
    with pytest.raises(ValidationFailed) as refused:
        imports.read_rows(_workbook_with_blank_rows(150), imports.STAFF_COLUMNS,
                          imports.STAFF_REQUIRED)
    assert refused.value.field == "file" and "100" in str(refused.value.message)


def test_a_workbook_that_inflates_past_the_bound_is_refused_before_parsing(monkeypatch):
    monkeypatch.setattr(spreadsheet, "MAX_XLSX_UNCOMPRESSED", 1024 * 1024)
    bomb = _workbook_with_blank_rows(0, padding=2 * 1024 * 1024)  # valid, 2 MB unpacked
    assert len(bomb) < 30_000  # small on the wire
    with pytest.raises(ValidationFailed) as refused:
        imports.read_rows(bomb, imports.STAFF_COLUMNS, imports.STAFF_REQUIRED)
    assert refused.value.field == "file" and "MB" in str(refused.value.message)

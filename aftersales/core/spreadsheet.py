"""Every cell the product writes into a CSV or XLSX file goes through here, so text
somebody typed (a session topic, a customer's name) is never run as a formula when the
file is opened: `=HYPERLINK(...)` stays the text it was typed as.

CSV: text starting like a formula gets a leading apostrophe (the OWASP rule; Excel and
WPS show the rest as text). XLSX: the cell is typed as a string, so it needs no mark."""

import io
import zipfile

FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")


def csv_text(value: str) -> str:
    return f"'{value}" if value.startswith(FORMULA_STARTS) else value


def csv_row(values) -> list:
    return [csv_text(value) if isinstance(value, str) else value for value in values]


def xlsx_row(sheet, values) -> list:
    """Cells for `sheet.append`: text as string-typed cells, other values as they are."""
    return [_text_cell(sheet, value) if isinstance(value, str) else value for value in values]


def _text_cell(sheet, value: str):
    # openpyxl (and numpy under it) loads when a workbook is written, not at start-up.
    from openpyxl.cell.cell import WriteOnlyCell

    cell = WriteOnlyCell(sheet, value)  # placed by append, in normal and write-only sheets
    cell.data_type = "s"  # openpyxl would otherwise store "=..." as a formula
    return cell


# An XLSX file is a zip: a small upload can inflate to gigabytes (a "zip bomb"). Before a
# workbook is parsed, the sum of its entries' declared sizes is bounded; zipfile refuses
# to inflate an entry past its declared size, so the declaration cannot lie.
MAX_XLSX_UNCOMPRESSED = 64 * 1024 * 1024
MAX_XLSX_ENTRIES = 1000


def xlsx_too_large(content: bytes) -> bool:
    """Whether the workbook would inflate past what an import reads (or is no zip at all:
    the parser then says so)."""
    try:
        with zipfile.ZipFile(io.BytesIO(content)) as archive:
            entries = archive.infolist()
    except zipfile.BadZipFile:
        return False
    return (len(entries) > MAX_XLSX_ENTRIES
            or sum(entry.file_size for entry in entries) > MAX_XLSX_UNCOMPRESSED)

"""Pages read the browser's input only through aftersales/core/forms.py: a view that reads
request.form, request.args, request.values or request.files itself fails this test."""

import ast
from pathlib import Path

PACKAGE = Path(__file__).resolve().parent.parent / "aftersales"
REQUEST_INPUTS = {"form", "args", "values", "files"}
# Infrastructure that looks at every request's input on the way in, not a page's fields:
# the form layer itself, the boundary's NUL/size checks, the CSRF token, and the retry that
# rewinds uploads.
INFRASTRUCTURE = {"core/forms.py", "core/boundary.py", "core/auth.py", "core/transactions.py"}


def _hand_reads(path: Path) -> list[str]:
    tree = ast.parse(path.read_text(encoding="utf-8"))
    return [
        f"{path.relative_to(PACKAGE)}:{node.lineno} request.{node.attr}"
        for node in ast.walk(tree)
        if isinstance(node, ast.Attribute) and node.attr in REQUEST_INPUTS
        and isinstance(node.value, ast.Name) and node.value.id == "request"
    ]


def _checked_files() -> list[Path]:
    return [path for path in sorted(PACKAGE.rglob("*.py"))
            if path.relative_to(PACKAGE).as_posix() not in INFRASTRUCTURE]


def test_no_page_reads_the_request_input_by_hand():
    assert [read for path in _checked_files() for read in _hand_reads(path)] == []


"""Start-up does only what every request needs: workbooks, the unknown-user password hash
and the OpenAPI document wait until something asks for them."""

import gc
import subprocess
import sys

from flask import url_for

PROBE = """
import sys
from werkzeug import security
hashed = []
security.generate_password_hash = lambda *a, **k: hashed.append(1) or "x"
from aftersales import create_app, extensions
app = create_app({"SQLALCHEMY_DATABASE_URI": "sqlite://"})
assert app.test_client().get("/login").status_code == 200
print("openpyxl" in sys.modules, bool(hashed), len(extensions.api._undocumented) > 0)
"""


def test_starting_loads_no_workbook_library_hashes_nothing_and_leaves_the_api_document():
    started = subprocess.run([sys.executable, "-c", PROBE], capture_output=True, text=True,  # noqa: S603
                             check=True)
    assert started.stdout.split() == ["False", "False", "True"]


def test_the_api_document_describes_every_operation_when_read(client):
    document = client.get("/api/v1/openapi.json").json
    assert "/api/v1/tickets" in document["paths"] and document["tags"]


def test_starting_and_the_first_page_load_no_pdf_library():
    probe = """
import sys
from aftersales import create_app
app = create_app({"SQLALCHEMY_DATABASE_URI": "sqlite://"})
assert app.test_client().get("/login").status_code == 200
print(sorted(name for name in sys.modules if name.split(".")[0] == "reportlab"))
"""
    started = subprocess.run([sys.executable, "-c", probe], capture_output=True, text=True,  # noqa: S603
                             check=True)
    assert started.stdout.split() == ["[]"]


def test_starting_and_the_first_page_load_no_migration_geodesy_signing_or_image_library():
    """alembic (Flask-Migrate) waits for `aftersales db`, geopy (and requests) for the
    first distance, cryptography for the first package signed or fingerprint shown, Pillow
    for the first photo or signature, segno for the first QR code."""
    probe = """
import sys
from aftersales import create_app
app = create_app({"SQLALCHEMY_DATABASE_URI": "sqlite://"})
assert app.test_client().get("/login").status_code == 200
print(sorted({name.split(".")[0] for name in sys.modules} & {"alembic", "flask_migrate", "mako",
                                                            "geopy", "requests", "cryptography",
                                                            "PIL", "segno"}))
"""
    started = subprocess.run([sys.executable, "-c", probe], capture_output=True, text=True,  # noqa: S603
                             check=True)
    assert started.stdout.split() == ["[]"]


def test_the_migration_commands_are_listed_and_run_without_flask_migrate_at_start(tmp_path):
    from flask_migrate import current

    from aftersales import create_app

    app = create_app({"SQLALCHEMY_DATABASE_URI": f"sqlite:///{tmp_path / 'fresh.db'}"})
    listed = app.test_cli_runner().invoke(args=["db", "--help"])
    assert listed.exit_code == 0 and "upgrade" in listed.output
    with app.app_context():
        current()  # Flask-Migrate's functions find their configuration too


def test_a_url_builds_the_same_before_and_after_its_builder_is_compiled():
    from aftersales import create_app

    fresh = create_app({"SQLALCHEMY_DATABASE_URI": "sqlite://"})
    with fresh.test_request_context():
        first = url_for("tickets.show", ticket_id=7, tab="parts")
        assert url_for("tickets.show", ticket_id=7, tab="parts") == first == "/tickets/7?tab=parts"


def test_the_garbage_collector_collects_again_once_the_app_is_made():
    from aftersales import create_app

    create_app({"SQLALCHEMY_DATABASE_URI": "sqlite://"})
    assert gc.isenabled()

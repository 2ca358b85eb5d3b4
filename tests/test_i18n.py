"""Chinese first, English on request: every message the code marks has a translation."""

import subprocess
import sys
from pathlib import Path

from babel.messages.pofile import read_po

ROOT = Path(__file__).resolve().parents[1]
CATALOG = ROOT / "aftersales/translations/zh/LC_MESSAGES/messages.po"


def test_every_marked_message_has_a_chinese_translation(tmp_path):
    template = tmp_path / "messages.pot"
    subprocess.run(
        [sys.executable, "-m", "babel.messages.frontend", "extract", "-F",
         str(ROOT / "babel.cfg"), "-k", "_l", "-o", str(template), str(ROOT)],
        check=True, cwd=ROOT, capture_output=True,
    )
    with template.open("rb") as handle:
        wanted = {message.id for message in read_po(handle) if message.id}
    with CATALOG.open("rb") as handle:
        translated = {m.id for m in read_po(handle, locale="zh") if m.id and m.string}
    assert sorted(wanted - translated) == []


def test_pages_are_chinese_by_default(client):
    assert "登录" in client.get("/login").get_data(as_text=True)


def test_the_language_cookie_switches_to_english(client):
    client.get("/lang/en?next=/login")
    assert "Sign in" in client.get("/login").get_data(as_text=True)


def test_api_errors_follow_the_language_too(client):
    client.get("/lang/en")
    assert client.get("/api/v1/me").json["message"] == "Sign in or send a valid API token."

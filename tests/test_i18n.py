"""Chinese first, English on request: every message the code marks has a translation."""

from pathlib import Path

from babel.messages.extract import DEFAULT_KEYWORDS, extract_from_dir
from babel.messages.frontend import parse_mapping_cfg
from babel.messages.pofile import read_po

ROOT = Path(__file__).resolve().parents[1]
CATALOG = ROOT / "aftersales/translations/zh/LC_MESSAGES/messages.po"


def test_every_marked_message_has_a_chinese_translation():
    with (ROOT / "babel.cfg").open() as config:
        method_map, options_map = parse_mapping_cfg(config)
    found = extract_from_dir(
        ROOT, method_map, options_map, keywords={**DEFAULT_KEYWORDS, "_l": None}
    )
    wanted = {message for _file, _line, message, _comments, _context in found}
    with CATALOG.open("rb") as handle:
        translated = {m.id for m in read_po(handle, locale="zh") if m.id and m.string}
    assert sorted(wanted - translated) == []


def test_translations_keep_the_placeholders_of_their_message():
    """Messages are %-formatted after translation: a stray % in a translation (or a lost
    %(name)s) breaks the page that shows it."""
    import re

    placeholder = re.compile(r"%(?:\([a-z_]+\))?[sdf%]|%")
    with CATALOG.open("rb") as handle:
        broken = [m.id for m in read_po(handle, locale="zh") if m.id and m.string
                  and isinstance(m.id, str)
                  and sorted(placeholder.findall(m.id)) != sorted(placeholder.findall(m.string))]
    assert broken == []


def test_pages_are_chinese_by_default(client):
    assert "登录" in client.get("/login").get_data(as_text=True)


def test_the_language_cookie_switches_to_english(client):
    client.get("/lang/en?next=/login")
    assert "Sign in" in client.get("/login").get_data(as_text=True)


def test_api_errors_follow_the_language_too(client):
    client.get("/lang/en")
    assert client.get("/api/v1/me").json["message"] == "Sign in or send a valid API token."

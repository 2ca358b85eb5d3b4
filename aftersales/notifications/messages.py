"""A notification's words kept as the message id and its values, so that each reader
reads them in their own language: the inbox and the API in the reader's, the e-mail in
the recipient's (`User.locale`). Callers pass lazy messages (`_l(msgid, **values)`);
a value may itself be a lazy message (a certificate's kind, a clock's name)."""

import json
from contextlib import nullcontext

from flask_babel import LazyString, force_locale, gettext


def stored(message) -> dict | str:
    """A lazy message as JSON-ready data (msgid and values); anything else as its text."""
    if not isinstance(message, LazyString):
        return message if isinstance(message, int | float) else str(message)
    # A LazyString keeps what gettext was called with: the msgid and the values.
    msgid, = message._args
    return {"msgid": msgid, "values": {name: stored(value)
                                       for name, value in message._kwargs.items()}}


def rendered(data) -> str | int | float:
    if not isinstance(data, dict):
        return data
    values = {name: rendered(value) for name, value in data["values"].items()}
    return gettext(data["msgid"], **values)


def message_json(subject, body) -> str | None:
    """What a notification stores to be read in any language (None: plain text only)."""
    if not isinstance(subject, LazyString) and not isinstance(body, LazyString):
        return None
    return json.dumps({"subject": stored(subject), "body": stored(body)}, ensure_ascii=False)


def words_of(notification, locale: str | None = None) -> tuple[str, str]:
    """Subject and body in the current language (or `locale`); a notification stored as
    text only (before messages were kept) reads as it was stored."""
    if not notification.message_json:
        return notification.subject, notification.body
    data = json.loads(notification.message_json)
    with force_locale(locale) if locale else nullcontext():
        return str(rendered(data["subject"])), str(rendered(data["body"]))



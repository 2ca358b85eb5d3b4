"""The request boundary's check on text: a NUL byte or an unpaired surrogate (a JSON
"\\ud800") cannot be stored — PostgreSQL refuses the one, UTF-8 the other — so a request
carrying either is answered 422 naming the field before any code reads it, on every
route and both databases alike."""

import re
from collections.abc import Iterator

from flask import request
from flask_babel import lazy_gettext as _l
from werkzeug.routing import IntegerConverter

from aftersales.core.errors import error_response
from aftersales.core.fields import INT_MAX

UNSTORABLE = re.compile("[\x00\ud800-\udfff]")
REASON = _l("Contains a character that cannot be stored (a NUL byte or an unpaired "
            "surrogate).")


def _texts(value, path: str) -> Iterator[tuple[str, str]]:
    if isinstance(value, str):
        yield path, value
    elif isinstance(value, dict):
        for key, item in value.items():
            name = f"{path}.{key}" if path else str(key)
            yield name, str(key)
            yield from _texts(item, name)
    elif isinstance(value, list):
        for index, item in enumerate(value):
            yield from _texts(item, f"{path}.{index}" if path else str(index))


def _inputs() -> Iterator[tuple[str, str]]:
    for source in (request.args, request.form):
        for name, value in source.items(multi=True):
            yield name, name
            yield name, value
    for name, upload in request.files.items(multi=True):
        yield name, upload.filename or ""
    if request.is_json:
        yield from _texts(request.get_json(silent=True), "")


def refuse_unstorable_text():
    for name, text in _inputs():
        if UNSTORABLE.search(text):
            return error_response(422, _l("The request has invalid fields."),
                                  {name or "_schema": [str(REASON)]})
    return None


class StorableIntConverter(IntegerConverter):
    """`<int:…>` in every route: an id past what an integer column stores (2^31-1) matches
    no route, so it is a 404 like any id that names nothing, never a database overflow."""

    def __init__(self, map, *args, **kwargs):
        kwargs.setdefault("max", INT_MAX)
        super().__init__(map, *args, **kwargs)

"""What the OpenAPI document says where flask-smorest's defaults would be wrong for a
generated client: the one error shape (its `code` is a string such as "not_found"),
decimals sent as strings, and operations that answer a file rather than JSON; and the
API blueprints, whose operations are described only when the document is first read."""

import flask_smorest
from marshmallow import Schema, fields

ANY_FILE = "*/*"


class ErrorSchema(Schema):
    """Every error the API answers, 4xx and 5xx alike."""

    code = fields.String(metadata={"description": "not_found, validation_error, …"})
    message = fields.String()
    errors = fields.Dict(keys=fields.String(), values=fields.List(fields.String()),
                         metadata={"description": "field → reasons"})


def file_download(*content_types: str, description: str) -> dict:
    """`@blp.doc(**file_download(...))`: a 200 that is a file of these types."""
    binary = {"schema": {"type": "string", "format": "binary"}}
    return {"responses": {"200": {"description": description,
                                  "content": {kind: binary for kind in content_types}}}}


class Blueprint(flask_smorest.Blueprint):
    """flask-smorest's Blueprint, noting each operation for the OpenAPI document when the
    document is first written (`extensions._Api.spec`) rather than when its route is
    declared: flask-smorest deep-copies every operation's schemas as it notes it, a
    twentieth of a second of start-up that no request needs. Follows
    `Blueprint._store_endpoint_docs` of flask-smorest 0.47."""

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self._unnoted: list[tuple[tuple, dict]] = []  # _store_endpoint_docs' arguments

    def _store_endpoint_docs(self, *args, **kwargs):
        self._unnoted.append((args, kwargs))

    def register_views_in_doc(self, *args, **kwargs):
        pending, self._unnoted = self._unnoted, []
        for noted_args, noted_kwargs in pending:
            super()._store_endpoint_docs(*noted_args, **noted_kwargs)
        return super().register_views_in_doc(*args, **kwargs)

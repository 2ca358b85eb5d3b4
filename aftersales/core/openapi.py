"""What the OpenAPI document says where flask-smorest's defaults would be wrong for a
generated client: the one error shape (its `code` is a string such as "not_found"),
decimals sent as strings, and operations that answer a file rather than JSON."""

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

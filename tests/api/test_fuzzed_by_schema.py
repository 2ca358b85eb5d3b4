"""Schemathesis generates clients' requests from the OpenAPI document, as an independent
client would, and checks every answer with all its checks: no server error, every answer
conforms to the document (status, content type, headers, body). As three roles, each with
a bearer token; a bounded number of examples per operation keeps CI within its budget.

The operations are walked inside one test (schemathesis's pytest loader does not run on
this pytest): a failure names each operation and what was wrong with it."""

import pytest
import schemathesis
from hypothesis import HealthCheck, given, settings
from schemathesis.config import SchemathesisConfig

from tests.factories import make_token, make_user

EXAMPLES_PER_OPERATION = 10
ROLES = ("agent", "dispatcher", "manager")
# A request can fit the document and still break a rule no schema states (a cursor this
# API never issued, a period whose end is before its start, a step its state forbids):
# the API answers 422 naming the field, which is not a schema-valid request "rejected".
CONFIG = SchemathesisConfig.from_dict({"checks": {"positive_data_acceptance": {
    "expected-statuses": ["2xx", "3xx", "401", "403", "404", "409", "422", "429"]}}})


@pytest.fixture
def tokens():
    return [make_token(make_user(role)) for role in ROLES]


def _fuzz(operation, tokens) -> None:
    @given(operation.as_strategy())
    @settings(max_examples=EXAMPLES_PER_OPERATION, deadline=None, database=None,
              suppress_health_check=list(HealthCheck))
    def exercise(case):
        for token in tokens:
            case.call_and_validate(headers={"Authorization": f"Bearer {token}"})

    exercise()


def test_every_operation_answers_as_documented(app, tokens):
    schema = schemathesis.openapi.from_wsgi("/api/v1/openapi.json", app, config=CONFIG)
    failures = []
    for result in schema.get_all_operations():
        operation = result.ok()
        try:
            _fuzz(operation, tokens)
        except (Exception, BaseExceptionGroup) as failure:  # noqa: BLE001 (report them all)
            failures.append(f"{operation.label}: {str(failure)[:600]}")
    assert not failures, "\n\n".join(failures)

"""Generated requests (schemathesis) against every API operation: never a 500, and every
answer as the schema documents it (status, media type, headers, body); schema-valid requests
accepted, schema-violating ones refused.

Bodies, ids, pages and strings are generated from the OpenAPI schema — valid and invalid —
and sent as Maria (a member) through the real WSGI application.

On PostgreSQL only: it refuses what SQLite stores without a word (a null byte, a string
longer than its column, a number out of its column's range), so that is where a generated
value the validation let through shows as an error; the pages and the API's query and date
fields meet the same garbage on both databases (``tests/test_access.py``).
"""

from __future__ import annotations

import pytest
import schemathesis
from django.core.signals import request_finished, request_started
from django.db import close_old_connections
from hypothesis import HealthCheck, settings
from schemathesis.checks import (
    CHECKS,
    allow_header_conformance,
    content_type_conformance,
    ensure_resource_availability,
    ignored_auth,
    load_all_checks,
    missing_required_header,
    negative_data_rejection,
    not_a_server_error,
    object_level_authorization,
    positive_data_acceptance,
    response_headers_conformance,
    response_schema_conformance,
    status_code_conformance,
    unsupported_method,
    use_after_free,
)

from tandem.accounts.services import token_create
from tandem.wsgi import application
from tests.conftest import World

pytestmark = pytest.mark.postgresql

schema = schemathesis.openapi.from_wsgi("/api/openapi.json", application)

# Every check schemathesis has. use_after_free and ensure_resource_availability compare a
# sequence of calls (a delete, then a read), so they only act in stateful runs and pass
# vacuously on these single requests; object_level_authorization needs a second identity's
# requests to compare with, which tests/test_access.py covers for every operation and person.
# max_response_time is not a check but a timer: our tests assert behaviour, not speed.
ALL_CHECKS = [
    not_a_server_error,
    status_code_conformance,
    content_type_conformance,
    response_headers_conformance,
    response_schema_conformance,
    negative_data_rejection,
    positive_data_acceptance,
    missing_required_header,
    unsupported_method,
    allow_header_conformance,
    use_after_free,
    ensure_resource_availability,
    ignored_auth,
    object_level_authorization,
]
load_all_checks()
assert {check.__name__ for check in ALL_CHECKS} == set(CHECKS.get_all_names()), (
    "schemathesis has a new check: add it to ALL_CHECKS"
)
# A 400 answers schema-valid data that a rule of the domain refuses: an owner who is not in
# the partnership, a review of a period not yet begun, a name already on the list, a second
# running meeting. Those rules are about other records and about today, which a schema cannot
# state. A 422 stays a failure: it means the schema promised more than the validation allows.
schema.config.checks.positive_data_acceptance.expected_statuses = [
    *schema.config.checks.positive_data_acceptance.expected_statuses,
    "400",
]


@pytest.fixture
def maria_token(world: World) -> str:
    return token_create(user=world.maria, name="fuzz")[1]


@pytest.fixture(autouse=True)
def _keep_the_test_connection():
    """Requests go straight into the WSGI app, so, as Django's test client does, keep the
    request signals from closing the connection that holds the test's transaction."""
    request_started.disconnect(close_old_connections)
    request_finished.disconnect(close_old_connections)
    yield
    request_started.connect(close_old_connections)
    request_finished.connect(close_old_connections)


@schema.parametrize()
@settings(
    max_examples=12,
    deadline=None,
    suppress_health_check=[
        HealthCheck.function_scoped_fixture,
        HealthCheck.too_slow,
        HealthCheck.filter_too_much,
    ],
)
def test_generated_requests_never_crash_the_api(case, maria_token: str) -> None:
    case.call_and_validate(headers={"Authorization": f"Bearer {maria_token}"}, checks=ALL_CHECKS)

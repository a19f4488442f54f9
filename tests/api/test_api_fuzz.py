"""Generated requests (schemathesis) against every API operation: never a 500.

Bodies, ids, pages and strings are generated from the OpenAPI schema — valid and invalid —
and sent as Maria (a member) through the real WSGI application.
"""

from __future__ import annotations

import pytest
import schemathesis
from django.core.signals import request_finished, request_started
from django.db import close_old_connections
from hypothesis import HealthCheck, settings
from schemathesis.checks import not_a_server_error

from tandem.accounts.services import token_create
from tandem.wsgi import application
from tests.conftest import World

schema = schemathesis.openapi.from_wsgi("/api/openapi.json", application)


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
    case.call_and_validate(
        headers={"Authorization": f"Bearer {maria_token}"}, checks=[not_a_server_error]
    )

"""Schemathesis against the server's own OpenAPI schema: no 5xx, answers match the schema."""

from __future__ import annotations

import pytest
import schemathesis
from hypothesis import HealthCheck, settings
from schemathesis.checks import not_a_server_error
from schemathesis.specs.openapi.checks import (
    content_type_conformance,
    response_schema_conformance,
)


@pytest.fixture(scope="module")
def served(tmp_path_factory):
    from fastapi.testclient import TestClient

    from fieldkit_server.app import create_app
    from fieldkit_server.devices import add_device

    folder = tmp_path_factory.mktemp("schema")
    app = create_app(f"sqlite:///{folder / 'server.sqlite3'}", run_migrations=True)
    code = add_device(app.state.db, site="s1", role="office", name="schema").code
    token = TestClient(app).post("/v1/enroll", json={"code": code}).json()["token"]
    yield app, token
    app.state.db.dispose()


@pytest.fixture(scope="module")
def api_schema(served):
    return schemathesis.openapi.from_asgi("/openapi.json", served[0])


schema = schemathesis.pytest.from_fixture("api_schema")


@schema.parametrize()
@settings(
    max_examples=30,
    deadline=None,
    suppress_health_check=list(HealthCheck),
)
def test_every_endpoint_answers_within_its_schema(case, served):
    case.call_and_validate(
        headers={"Authorization": f"Bearer {served[1]}"},
        checks=[not_a_server_error, response_schema_conformance, content_type_conformance],
    )

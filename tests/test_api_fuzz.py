"""Fuzz every operation in /openapi.json with Schemathesis against the real app and seeded database.

Every response must be a documented status code with a body that matches its documented model
(ErrorOut for 404/422), and no request, however odd, may get a 500.
"""

import tempfile
from collections.abc import Iterator
from pathlib import Path

import pytest
import schemathesis
from hypothesis import HealthCheck, settings
from schemathesis.specs.openapi.checks import positive_data_acceptance

from app.config import Settings
from app.main import create_app
from tests.conftest import SEEDS_DIR, build_database

# Schemathesis needs the schema at collection time (its pytest fixture loader does not work with
# pytest 9) and runs the app's lifespan, which checks the database, so the seeded database (built
# as conftest builds it, in about half a second) and the app are made here.
_DB_DIR = tempfile.TemporaryDirectory(prefix="truce-fuzz-")
DB_URL = build_database(Path(_DB_DIR.name) / "truce.db", [SEEDS_DIR])
app = create_app(Settings(database_url=DB_URL, base_url="http://testserver"))
schema = schemathesis.openapi.from_asgi("/openapi.json", app)

# CSV bodies have no JSON schema to validate: they are still called, and their status codes,
# content types and error bodies are checked like every other operation's.
CSV_PATHS = {"/proposals.csv", "/reactions.csv", "/actors.csv"}
# Query parameters that name a record. Any string fits their schema, but only the slugs in the
# data are accepted: an unknown one is a documented 422 that lists the allowed slugs.
SLUG_FILTERS = {"actor", "proposal", "a", "b"}


@pytest.fixture(scope="module", autouse=True)
def _dispose() -> Iterator[None]:
    yield
    app.state.engine.dispose()
    _DB_DIR.cleanup()


def schema_valid_request_accepted(ctx, response, case):  # type: ignore[no-untyped-def]
    """Schemathesis's positive_data_acceptance, except for the one thing a schema cannot say: which
    slugs exist. A schema-valid request may be refused only with a 404, or with a 422 whose
    ErrorOut names a slug filter and a value that is not among the slugs it allows."""
    meta = case.meta
    if meta is None or not meta.generation.mode.is_positive or case.method.upper() != case.operation.method.upper():
        return None
    if response.status_code < 400 or response.status_code == 404:
        return None
    if response.status_code == 422:
        detail = response.json().get("detail", {})
        if detail.get("parameter") in SLUG_FILTERS and detail.get("value") not in detail.get("allowed", []):
            return None
    raise AssertionError(f"Schema-valid request rejected with {response.status_code}: {response.text[:300]}")


@schema.parametrize()
@settings(max_examples=30, deadline=None, suppress_health_check=list(HealthCheck))
def test_api_conforms_to_its_schema(case: schemathesis.Case) -> None:
    response = case.call_and_validate(
        excluded_checks=[positive_data_acceptance], additional_checks=[schema_valid_request_accepted]
    )
    assert response.status_code < 500
    if case.operation.path in CSV_PATHS and response.status_code == 200:
        assert response.headers["content-type"][0].startswith("text/csv")

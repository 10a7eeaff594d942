"""Fuzz every operation in /openapi.json with Schemathesis against the real app and seeded database,
with every check Schemathesis has (the in-process equivalent of `schemathesis run --checks all`).

Every response must be a documented status code with a body that matches its documented model
(ErrorOut for 404/422), no request, however odd, may get a 500, and bad input must be refused.
The one design a schema cannot express is expected by configuration, not ignored: a filter or
path that names a slug accepts any string by its schema, but only the slugs in the data, so an
unknown slug is a 404 (path) or a 422 (filter) that names the parameter and lists the slugs.
"""

import math
import tempfile
from collections.abc import Iterator
from pathlib import Path

import pytest
import schemathesis
from hypothesis import HealthCheck, settings
from schemathesis.config import SchemathesisConfig

from app.config import Settings
from app.main import create_app
from tests.conftest import SEEDS_DIR, build_database

# Schemathesis needs the schema at collection time (its pytest fixture loader does not work with
# pytest 9) and runs the app's lifespan, which checks the database, so the seeded database (built
# as conftest builds it, in about half a second) and the app are made here.
_DB_DIR = tempfile.TemporaryDirectory(prefix="truce-fuzz-")
DB_URL = build_database(Path(_DB_DIR.name) / "truce.db", [SEEDS_DIR])
app = create_app(Settings(database_url=DB_URL, base_url="http://testserver"))
# Operations whose parameters name records by slug: a schema-valid but unknown slug is refused.
SLUG_OPERATIONS = r"^/(api/(proposals|actors)/\{slug\}|api/(proposals|compare|timeline|matrix)|(proposals|reactions)\.csv)$"
CONFIG = SchemathesisConfig.from_dict(
    {
        "checks": {"enabled": True},
        "operations": [
            {
                "include-path-regex": SLUG_OPERATIONS,
                "checks": {"positive_data_acceptance": {"expected-statuses": ["2XX", "404", "422"]}},
            }
        ],
    }
)
schema = schemathesis.openapi.from_asgi("/openapi.json", app, config=CONFIG)
OPERATIONS = sum(1 for _ in schema.get_all_operations())
# Operations without parameters have a single request to make; the others share the requests wanted.
WITH_PARAMETERS = sum(1 for result in schema.get_all_operations() if list(result.ok().iter_parameters()))
REQUESTS_WANTED = 2000
# CSV bodies have no JSON schema to validate: they are still called, and their status codes,
# content types and error bodies are checked like every other operation's.
CSV_PATHS = {"/proposals.csv", "/reactions.csv", "/actors.csv"}
# Query parameters that name a record. Any string fits their schema, but only the slugs in the
# data are accepted: an unknown one is a documented 422 that lists the allowed slugs.
SLUG_FILTERS = {"actor", "proposal", "a", "b"}
REQUESTS: list[int] = []


@pytest.fixture(scope="module", autouse=True)
def _dispose() -> Iterator[None]:
    yield
    app.state.database.dispose()
    _DB_DIR.cleanup()
    print(f"\nschemathesis: {len(REQUESTS)} requests over {OPERATIONS} operations, every check")


def a_422_names_an_unknown_slug(ctx, response, case):  # type: ignore[no-untyped-def]
    """What the configured 422 for schema-valid data must be: an ErrorOut naming a slug filter and
    a value that is not among the slugs it allows (so no other 422 hides behind the config)."""
    meta = case.meta
    if meta is None or not meta.generation.mode.is_positive or response.status_code != 422:
        return None
    if case.method.upper() != case.operation.method.upper():
        return None
    detail = response.json().get("detail", {})
    if detail.get("parameter") in SLUG_FILTERS and detail.get("value") not in detail.get("allowed", []):
        return None
    raise AssertionError(f"Schema-valid request rejected with 422 for something other than an unknown slug: {response.text[:300]}")


@schema.parametrize()
@settings(max_examples=math.ceil(REQUESTS_WANTED / WITH_PARAMETERS) + 5, deadline=None, suppress_health_check=list(HealthCheck))
def test_api_conforms_to_its_schema(case: schemathesis.Case) -> None:
    REQUESTS.append(1)
    response = case.call_and_validate(additional_checks=[a_422_names_an_unknown_slug])
    assert response.status_code < 500
    if case.operation.path in CSV_PATHS and response.status_code == 200:
        assert response.headers["content-type"][0].startswith("text/csv")


def test_enough_requests_were_generated() -> None:
    """Runs after the fuzzing above (file order): at least REQUESTS_WANTED requests in all."""
    assert len(REQUESTS) >= REQUESTS_WANTED, len(REQUESTS)

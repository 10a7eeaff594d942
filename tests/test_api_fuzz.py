"""Fuzz every operation in /openapi.json with Schemathesis against the real app and seeded database,
with every check Schemathesis has (the in-process equivalent of `schemathesis run --checks all`).

Every response must be a documented status code with a body that matches its documented model
(ErrorOut for 404/422), no request, however odd, may get a 500, and bad input must be refused.
Every slug parameter has the slug pattern in its schema, so a malformed one is schema-invalid (and
refused). The one refusal of schema-valid data is a well-formed slug that names nothing: a 404
(path) or a 422 (filter), documented on each operation. tests/schemathesis.toml expects only those
statuses, and tests/fuzz_checks.py checks that each such answer names the unknown slug.
"""

import math
import tempfile
from collections.abc import Iterator
from pathlib import Path

import pytest
from fastapi.testclient import TestClient
import schemathesis
from hypothesis import HealthCheck, settings
from schemathesis.config import SchemathesisConfig

from app.config import Settings
from app.main import create_app
from app.seeds import SLUG_PATTERN
from tests.conftest import SEEDS_DIR, build_database
from tests.fuzz_checks import SLUG_FILTERS, refusals_name_an_unknown_slug, unknown_slug_problem  # noqa: F401 - registers the check

# Schemathesis needs the schema at collection time (its pytest fixture loader does not work with
# pytest 9) and runs the app's lifespan, which checks the database, so the seeded database (built
# as conftest builds it, in about half a second) and the app are made here.
_DB_DIR = tempfile.TemporaryDirectory(prefix="truce-fuzz-")
DB_URL = build_database(Path(_DB_DIR.name) / "truce.db", [SEEDS_DIR])
app = create_app(Settings(database_url=DB_URL, base_url="http://testserver"))
# The same settings as a run from outside (see the file); importing fuzz_checks registers its check.
CONFIG = SchemathesisConfig.from_path(Path(__file__).with_name("schemathesis.toml"))
schema = schemathesis.openapi.from_asgi("/openapi.json", app, config=CONFIG)
OPERATIONS = sum(1 for _ in schema.get_all_operations())
# Operations without parameters have a single request to make; the others share the requests wanted.
WITH_PARAMETERS = sum(1 for result in schema.get_all_operations() if list(result.ok().iter_parameters()))
REQUESTS_WANTED = 2000
# CSV bodies have no JSON schema to validate: they are still called, and their status codes,
# content types and error bodies are checked like every other operation's.
CSV_PATHS = {"/proposals.csv", "/reactions.csv", "/actors.csv"}
REQUESTS: list[int] = []


@pytest.fixture(scope="module", autouse=True)
def _dispose() -> Iterator[None]:
    yield
    app.state.database.dispose()
    _DB_DIR.cleanup()
    print(f"\nschemathesis: {len(REQUESTS)} requests over {OPERATIONS} operations, every check")


@schema.parametrize()
@settings(max_examples=math.ceil(REQUESTS_WANTED / WITH_PARAMETERS) + 5, deadline=None, suppress_health_check=list(HealthCheck))
def test_api_conforms_to_its_schema(case: schemathesis.Case) -> None:
    REQUESTS.append(1)
    response = case.call_and_validate()
    assert response.status_code < 500
    if case.operation.path in CSV_PATHS and response.status_code == 200:
        assert response.headers["content-type"][0].startswith("text/csv")


def test_enough_requests_were_generated() -> None:
    """Runs after the fuzzing above (file order): at least REQUESTS_WANTED requests in all."""
    assert len(REQUESTS) >= REQUESTS_WANTED, len(REQUESTS)


def slug_parameters() -> list[tuple[str, dict, dict]]:
    """(path, operation, parameter) for every parameter of the API that names a record by slug."""
    found = []
    for path, operations in app.openapi()["paths"].items():
        for operation in operations.values():
            for parameter in operation.get("parameters", []):
                if (parameter["in"], parameter["name"]) in {("path", "slug"), *(("query", name) for name in SLUG_FILTERS)}:
                    found.append((path, operation, parameter))
    return found


def test_every_slug_parameter_has_the_slug_pattern_and_its_refusal_documented() -> None:
    found = slug_parameters()
    assert {p["name"] for _, _, p in found} == {"slug", *SLUG_FILTERS}
    assert len({path for path, _, _ in found}) >= 8
    for path, operation, parameter in found:
        schema = parameter["schema"]
        strings = [s for s in schema.get("anyOf", [schema]) if s.get("type") == "string" and "const" not in s]
        assert strings and all(s["pattern"] == SLUG_PATTERN for s in strings), (path, parameter)
        assert parameter["examples"], (path, parameter["name"])  # an example slug that exists
        status = "404" if parameter["in"] == "path" else "422"
        documented = operation["responses"][status]
        assert documented["content"]["application/json"]["schema"]["$ref"].endswith("/ErrorOut"), (path, status)
        if status == "422":
            assert f"`{parameter['name']}`" in documented["description"], (path, documented["description"])
        else:
            assert "has that slug" in documented["description"]


@pytest.mark.parametrize(
    ("url", "problem"),
    [
        ("/api/proposals?actor=no-such-actor", None),
        ("/api/compare?a=vladimir-putin&b=no-such-actor", None),
        ("/api/timeline?proposal=no-such-proposal", None),
        ("/api/proposals/no-such-proposal", None),
        ("/api/actors/" + "x" * 100, None),
        ("/api/proposals?position=backs", "something other than a slug filter"),
        ("/api/proposals?as_of=2024-13-01", "something other than a slug filter"),
        ("/api/proposals?actor=Vladimir-Putin", "not a well-formed slug"),
        ("/api/actors/Vladimir-Putin", "not a well-formed slug"),
    ],
)
def test_the_check_allows_only_an_unknown_well_formed_slug(client: TestClient, url: str, problem: str | None) -> None:
    """The fuzz run's check, on the app's real answers: it lets through an unknown, well-formed
    slug's 404 or 422, and nothing else."""
    response = client.get(url)
    assert response.status_code in (404, 422), url
    request = response.request.url
    query = dict(request.params)
    path = {"slug": request.path.rsplit("/", 1)[1]} if response.status_code == 404 else {}
    found = unknown_slug_problem(response.status_code, response.json(), query, path)
    assert (found is None) if problem is None else (problem in found), found
    wrong_value = unknown_slug_problem(response.status_code, response.json(), {k: v + "-x" for k, v in query.items()}, {k: v + "-x" for k, v in path.items()})
    assert wrong_value is not None, "an answer must name the value sent"


@pytest.mark.parametrize("url", ["/api/proposals?actor=%20vladimir-putin", "/api/compare?a=vladimir-putin%20", "/api/timeline?actor=Vladimir-Putin", "/reactions.csv?proposal=%20"])
def test_a_malformed_slug_is_refused_with_the_closest_slugs(client: TestClient, url: str) -> None:
    """A slug is used as sent: outside the schema's pattern it names nothing, and says so."""
    response = client.get(url)
    assert response.status_code == 422, url
    body = response.json()
    assert "names no" in body["error"] and body["detail"]["parameter"] in SLUG_FILTERS
    if body["detail"]["value"].strip():
        assert body["detail"]["suggestions"], body

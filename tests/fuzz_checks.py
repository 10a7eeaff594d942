"""The Schemathesis check for the one schema-valid request the app refuses (see schemathesis.toml):
registered on import, so the suite's fuzz test and a run from outside (SCHEMATHESIS_HOOKS) both use it."""

import re

import schemathesis

from app.errors import preview
from app.seeds import SLUG_PATTERN

# Query parameters that name a record by slug (app.routes.params.SlugFilter).
SLUG_FILTERS = {"actor", "proposal", "a", "b"}


def unknown_slug_problem(status: int, body: dict, query: dict, path: dict) -> str | None:
    """Why a refusal of schema-valid data is not "a well-formed slug that names nothing", or None
    when it is: a 404 names the path's slug, a 422 a slug filter's value, and that value is a
    well-formed slug that is not among the ones the parameter allows."""
    detail = body.get("detail") or {}
    parameter = detail.get("parameter")
    if status == 404:
        sent = path.get("slug")
        if parameter != "slug":
            return f"a 404 that does not name the path's slug {sent!r}"
    elif status == 422:
        if parameter not in SLUG_FILTERS:
            return f"a 422 for something other than a slug filter ({parameter!r})"
        sent = query.get(parameter)
        if sent in detail.get("allowed", []):
            return f"a 422 for {parameter}={sent!r}, which is one of the slugs it allows"
    else:
        return None
    # Errors echo a long value as its first 80 characters and its length (app.errors.preview).
    if not isinstance(sent, str) or detail.get("value") != preview(sent) or f"'{preview(sent)}'" not in body.get("error", ""):
        return f"the answer does not name the value sent, {sent!r}"
    if not re.match(SLUG_PATTERN, sent):
        return f"{sent!r} is not a well-formed slug, so the schema should not have let it through"
    return None


@schemathesis.check
def refusals_name_an_unknown_slug(ctx, response, case):  # type: ignore[no-untyped-def]
    """A schema-valid request may be refused only because a well-formed slug names nothing."""
    meta = case.meta
    if meta is None or not meta.generation.mode.is_positive or response.status_code not in (404, 422):
        return None
    if case.method.upper() != case.operation.method.upper():  # the unsupported-method check's requests
        return None
    problem = unknown_slug_problem(response.status_code, response.json(), dict(case.query or {}), dict(case.path_parameters or {}))
    if problem:
        raise AssertionError(f"Schema-valid request refused with {response.status_code}: {problem}: {response.text[:300]}")
    return None

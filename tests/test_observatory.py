"""Score every response type's headers with the Mozilla HTTP Observatory's published rules.

The rules and points are those of the MDN HTTP Observatory ("Tests & scoring"): start at 100,
subtract penalties, add bonuses only when the score before bonuses is at least 90; A+ is 100 or
more. Each rule is a row below: (test, outcome, points, does it apply to this response).

Redirection from http:// to https:// and TLS are the TLS-terminating proxy's job, not the app's:
in the https configuration they are scored as the proxy provides them (redirection-to-https, 0).
The plain configuration is the app alone on http://, as `make run` serves it; its score is printed.
"""

import re
from collections.abc import Callable, Iterator
from pathlib import Path

import pytest
from fastapi.testclient import TestClient

from tests.conftest import make_client

SLUG = "nato-membership-20-year-delay"
# One URL per response type: pages, a fragment, errors, JSON, CSV, Atom, a PNG, static files, redirects.
RESPONSE_TYPES: dict[str, tuple[str, str, dict[str, str]]] = {
    "page": ("GET", "/", {}),
    "permalink": ("GET", f"/proposals/{SLUG}", {}),
    "htmx fragment": ("GET", "/?actor=vladimir-putin", {"HX-Request": "true"}),
    "404": ("GET", "/no-such-page", {}),
    "422 page": ("GET", "/?actor=nobody", {}),
    "422 json": ("GET", "/api/proposals?position=bogus", {}),
    "405": ("POST", "/actors", {}),
    "400 foreign host": ("GET", "/", {"host": "evil.example"}),
    "json": ("GET", "/api/proposals", {}),
    "openapi": ("GET", "/openapi.json", {}),
    "csv": ("GET", "/reactions.csv", {}),
    "atom": ("GET", "/feed.atom", {}),
    "share card png": ("GET", f"/proposals/{SLUG}/card.png", {}),
    "static css": ("GET", "/static/css/site.css", {}),
    "static js": ("GET", "/static/js/app.js", {}),
    "static 404": ("GET", "/static/css/site.css/", {}),
    "database download": ("GET", "/download/truce.db", {}),
    "303 redirect": ("GET", "/?actor=&q=", {}),
    "307 redirect": ("GET", "/actors/", {}),
    "HEAD": ("HEAD", "/", {}),
    "healthz": ("GET", "/healthz", {}),
}


def _csp(headers) -> dict[str, list[str]]:  # type: ignore[no-untyped-def]
    policy = headers.get("content-security-policy")
    if policy is None:
        return {}
    directives = {}
    for part in policy.split(";"):
        words = part.split()
        if words:
            directives[words[0].lower()] = [w.lower() for w in words[1:]]
    return directives


def _script_sources(csp: dict[str, list[str]]) -> list[str]:
    return csp.get("script-src", csp.get("default-src", []))


def _hsts_max_age(headers) -> int:  # type: ignore[no-untyped-def]
    match = re.search(r"max-age=(\d+)", headers.get("strict-transport-security", ""))
    return int(match.group(1)) if match else -1


def _scripts_external(response) -> bool:  # type: ignore[no-untyped-def]
    if not response.headers.get("content-type", "").startswith("text/html"):
        return False
    return bool(re.search(r"<script[^>]+src=\"(https?:)?//", response.text))


Rule = tuple[str, str, int, Callable[..., bool]]
# (test, outcome, points, applies(response, https)); the first matching outcome of each test counts.
RULES: list[Rule] = [
    ("content-security-policy", "csp-not-implemented", -25, lambda r, s: not _csp(r.headers)),
    ("content-security-policy", "csp-implemented-with-unsafe-inline", -20, lambda r, s: "'unsafe-inline'" in _script_sources(_csp(r.headers))),
    ("content-security-policy", "csp-implemented-with-unsafe-eval", -10, lambda r, s: "'unsafe-eval'" in _script_sources(_csp(r.headers))),
    ("content-security-policy", "csp-implemented-with-insecure-scheme", -20, lambda r, s: any(src.startswith("http:") for v in _csp(r.headers).values() for src in v)),
    ("content-security-policy", "csp-implemented-with-no-unsafe-default-src-none", 10, lambda r, s: _csp(r.headers).get("default-src") == ["'none'"]),
    ("content-security-policy", "csp-implemented-with-no-unsafe", 0, lambda r, s: True),
    ("cookies", "cookies-without-secure-flag", -20, lambda r, s: any("secure" not in c.lower() for c in r.headers.get_list("set-cookie"))),
    ("cookies", "cookies-not-found", 0, lambda r, s: True),
    ("cross-origin-resource-sharing", "cross-origin-resource-sharing-implemented-with-universal-access", -50, lambda r, s: r.headers.get("access-control-allow-origin") == "*" and r.headers.get("access-control-allow-credentials") == "true"),
    ("cross-origin-resource-sharing", "cross-origin-resource-sharing-not-implemented", 0, lambda r, s: True),
    ("cross-origin-resource-policy", "corp-header-invalid", -5, lambda r, s: r.headers.get("cross-origin-resource-policy", "same-origin") not in ("same-origin", "same-site", "cross-origin")),
    ("cross-origin-resource-policy", "corp-implemented-or-not-implemented", 0, lambda r, s: True),
    # Redirection: the proxy's in the https configuration; the plain one has no https to go to.
    ("redirection", "redirection-missing", -20, lambda r, s: not s),
    ("redirection", "redirection-to-https", 0, lambda r, s: True),
    ("referrer-policy", "referrer-policy-unsafe", -5, lambda r, s: r.headers.get("referrer-policy") in ("unsafe-url", "origin", "origin-when-cross-origin")),
    ("referrer-policy", "referrer-policy-private", 5, lambda r, s: r.headers.get("referrer-policy") in ("no-referrer", "same-origin", "strict-origin", "strict-origin-when-cross-origin")),
    ("referrer-policy", "referrer-policy-not-implemented", 0, lambda r, s: True),
    ("strict-transport-security", "hsts-not-implemented-no-https", -20, lambda r, s: not s),
    ("strict-transport-security", "hsts-not-implemented", -20, lambda r, s: _hsts_max_age(r.headers) < 0),
    ("strict-transport-security", "hsts-implemented-max-age-less-than-six-months", -10, lambda r, s: _hsts_max_age(r.headers) < 15_768_000),
    ("strict-transport-security", "hsts-implemented-max-age-at-least-six-months", 0, lambda r, s: True),
    ("subresource-integrity", "sri-not-implemented-and-external-scripts-not-loaded-securely", -50, lambda r, s: _scripts_external(r)),
    ("subresource-integrity", "sri-not-implemented-but-all-scripts-loaded-from-secure-origin", 0, lambda r, s: True),
    ("x-content-type-options", "x-content-type-options-not-implemented", -5, lambda r, s: r.headers.get("x-content-type-options") != "nosniff"),
    ("x-content-type-options", "x-content-type-options-nosniff", 0, lambda r, s: True),
    ("x-frame-options", "x-frame-options-implemented-via-csp", 5, lambda r, s: _csp(r.headers).get("frame-ancestors") == ["'none'"]),
    ("x-frame-options", "x-frame-options-sameorigin-or-deny", 0, lambda r, s: r.headers.get("x-frame-options", "").upper() in ("DENY", "SAMEORIGIN")),
    ("x-frame-options", "x-frame-options-not-implemented", -20, lambda r, s: True),
]
# A failure of one of these caps the grade whatever the bonuses (our own bar: no A+ without them).
CRITICAL = {"csp-not-implemented", "hsts-not-implemented", "x-content-type-options-not-implemented", "x-frame-options-not-implemented"}
GRADES = [(100, "A+"), (90, "A"), (85, "A-"), (80, "B+"), (70, "B"), (65, "B-"), (60, "C+"), (50, "C"), (45, "C-"), (40, "D+"), (30, "D"), (25, "D-"), (0, "F")]


def score(response, https: bool) -> tuple[int, str, list[str]]:  # type: ignore[no-untyped-def]
    outcomes: dict[str, tuple[str, int]] = {}
    for test, outcome, points, applies in RULES:
        if test not in outcomes and applies(response, https):
            outcomes[test] = (outcome, points)
    penalties = sum(p for _, p in outcomes.values() if p < 0)
    bonuses = sum(p for _, p in outcomes.values() if p > 0)
    total = 100 + penalties + (bonuses if 100 + penalties >= 90 else 0)
    grade = next(g for floor, g in GRADES if total >= floor)
    return total, grade, [o for o, _ in outcomes.values()]


@pytest.fixture(scope="module")
def https_client(seeded_db: Path) -> Iterator[TestClient]:
    with make_client(seeded_db, base_url="https://truce.example.org", allowed_hosts=["testserver"]) as client:
        yield client


@pytest.fixture(scope="module")
def plain_client(seeded_db: Path) -> Iterator[TestClient]:
    with make_client(seeded_db) as client:
        yield client


def _fetch(client: TestClient, name: str):  # type: ignore[no-untyped-def]
    method, url, headers = RESPONSE_TYPES[name]
    return client.request(method, url, headers=headers, follow_redirects=False)


@pytest.mark.parametrize("name", RESPONSE_TYPES)
def test_every_response_type_scores_a_plus_over_https(https_client: TestClient, plain_client: TestClient, name: str) -> None:
    response = _fetch(https_client, name)
    total, grade, outcomes = score(response, https=True)
    plain_total, plain_grade, _ = score(_fetch(plain_client, name), https=False)
    print(f"{name}: https {total} ({grade}), plain {plain_total} ({plain_grade})")
    assert not CRITICAL & set(outcomes), outcomes
    assert total >= 100 and grade == "A+", (total, outcomes)


def test_the_https_headers_are_the_documented_ones(https_client: TestClient) -> None:
    headers = https_client.get("/").headers
    assert headers["strict-transport-security"] == "max-age=63072000; includeSubDomains"
    assert headers["cross-origin-opener-policy"] == "same-origin"
    assert headers["cross-origin-resource-policy"] == "same-origin"
    assert "camera=()" in headers["permissions-policy"] and "geolocation=()" in headers["permissions-policy"]
    # A share card is loaded by other sites' pages and previews, so any origin may load it.
    card = https_client.get(f"/proposals/{SLUG}/card.png").headers
    assert card["cross-origin-resource-policy"] == "cross-origin"


def test_plain_http_sends_no_https_only_headers(plain_client: TestClient, capsys: pytest.CaptureFixture[str]) -> None:
    headers = plain_client.get("/").headers
    for name in ("strict-transport-security", "cross-origin-opener-policy", "cross-origin-resource-policy", "permissions-policy"):
        assert name not in headers
    total, grade, outcomes = score(plain_client.get("/"), https=False)
    with capsys.disabled():
        print(f"\nObservatory score, plain http (the app alone, no TLS): {total} ({grade}): {', '.join(outcomes)}")
    assert total < 100  # honest: without https there is no A+


def test_hsts_setting_turns_the_https_headers_on(seeded_db: Path) -> None:
    with make_client(seeded_db, hsts=True) as client:
        assert client.get("/").headers["strict-transport-security"] == "max-age=63072000; includeSubDomains"


def test_embed_paths_may_be_framed(https_client: TestClient) -> None:
    """Issue 10's /embed/* pages are meant to be framed: frame-ancestors * and no X-Frame-Options."""
    headers = https_client.get("/embed/proposals/x").headers
    assert _csp(headers)["frame-ancestors"] == ["*"]
    assert "x-frame-options" not in headers
    assert headers["cross-origin-resource-policy"] == "cross-origin"
    assert _csp(https_client.get("/").headers)["frame-ancestors"] == ["'none'"]


def test_a_server_error_carries_the_headers(seeded_db: Path, tmp_path: Path) -> None:
    """A 500 is made by Starlette's outermost error middleware; our headers wrap even that."""
    broken = tmp_path / "broken.db"
    broken.write_bytes(seeded_db.read_bytes())
    with make_client(broken, base_url="https://truce.example.org", allowed_hosts=["testserver"]) as client:
        with broken.open("r+b") as file:
            file.write(b"this is not a database header!!!" * 4)
        response = client.get("/actors")
        assert response.status_code == 500
        total, grade, outcomes = score(response, https=True)
        assert grade == "A+", outcomes


def test_the_scorer_can_fail(https_client: TestClient) -> None:
    """The table bites: the same response without its CSP and frame headers drops below A+."""

    class Stripped:
        def __init__(self, response):  # type: ignore[no-untyped-def]
            self.headers = response.headers.copy()
            for name in ("content-security-policy", "x-frame-options"):
                del self.headers[name]
            self.text = response.text

    total, grade, outcomes = score(Stripped(https_client.get("/")), https=True)
    assert grade != "A+" and "csp-not-implemented" in outcomes

"""The Host header never reaches a response: links come from BASE_URL, other hosts get a 400,
redirects are relative, and a huge Host cannot make a response huge."""

from collections.abc import Iterator
from pathlib import Path

import pytest
from fastapi.testclient import TestClient

from app.config import Settings
from tests.conftest import make_client
from tests.page_types import PAGE_TYPES

EVIL = "evil.example"
HUGE = "h" * 1_000_000 + ".example"  # a 1 MB Host
BASE = "https://truce.example.org"
SLUG = "nato-membership-20-year-delay"
# Every page type, both feeds, the CSVs, a share card, the JSON API, and both kinds of redirect.
URLS = [url for url, _ in PAGE_TYPES.values()] + [
    "/feed.atom",
    "/actors/vladimir-putin/feed.atom",
    "/proposals.csv",
    "/reactions.csv",
    "/actors.csv",
    f"/proposals/{SLUG}/card.png",
    "/api/proposals",
    f"/api/proposals/{SLUG}",
    "/healthz",
    "/actors/",  # trailing-slash redirect
    f"/proposals/{SLUG}/",
    "/?actor=&q=",  # a no-JS form's empty fields: 303 to the clean URL
]
# With every host allowed, the absolute links still come from BASE_URL: the cap on hosts is one
# guard, the origin from settings is the other.
ANY_HOST = {"allowed_hosts": ["*"], "base_url": BASE}


@pytest.fixture(scope="module")
def any_host_client(seeded_db: Path) -> Iterator[TestClient]:
    with make_client(seeded_db, **ANY_HOST) as client:
        yield client


@pytest.fixture(scope="module")
def strict_client(seeded_db: Path) -> Iterator[TestClient]:
    with make_client(seeded_db, base_url=BASE, allowed_hosts=["truce.example.org"]) as client:
        yield client


def _body_and_headers(response) -> str:  # type: ignore[no-untyped-def]
    return response.content.decode("utf-8", "replace") + "\n".join(f"{k}: {v}" for k, v in response.headers.items())


@pytest.mark.parametrize("url", URLS)
def test_a_foreign_host_is_refused(strict_client: TestClient, url: str) -> None:
    for host in (EVIL, HUGE):
        response = strict_client.get(url, headers={"host": host}, follow_redirects=False)
        assert response.status_code == 400
        assert len(response.content) < 100
        assert "evil" not in _body_and_headers(response) and "hhhhhhhh" not in _body_and_headers(response)


@pytest.mark.parametrize("url", URLS)
def test_links_come_from_base_url_whatever_the_host(any_host_client: TestClient, url: str) -> None:
    normal = any_host_client.get(url, headers={"host": "truce.example.org"}, follow_redirects=False)
    for host in (EVIL, HUGE):
        response = any_host_client.get(url, headers={"host": host}, follow_redirects=False)
        assert response.status_code == normal.status_code
        text = _body_and_headers(response)
        assert "evil" not in text and "hhhhhhhh" not in text
        # Bounded: the same response as for our own host (the Date header aside), not 1 MB more.
        assert abs(len(response.content) - len(normal.content)) < 64
    if normal.status_code in (303, 307):
        location = normal.headers["location"]
        assert location.startswith("/") and not location.startswith("//")


def test_absolute_links_use_base_url(any_host_client: TestClient) -> None:
    page = any_host_client.get(f"/proposals/{SLUG}", headers={"host": EVIL}).text
    for needle in (
        f'<link rel="canonical" href="{BASE}/proposals/{SLUG}">',
        f'<meta property="og:url" content="{BASE}/proposals/{SLUG}">',
        f'<meta property="og:image" content="{BASE}/proposals/{SLUG}/card.png">',
        f'<meta name="twitter:image" content="{BASE}/proposals/{SLUG}/card.png">',
    ):
        assert needle in page
    feed = any_host_client.get("/feed.atom", headers={"host": EVIL}).text
    assert f'href="{BASE}/feed.atom"' in feed and f'href="{BASE}/proposals/' in feed
    csv = any_host_client.get("/actors.csv", headers={"host": EVIL}).text
    assert f"{BASE}/actors/vladimir-putin" in csv


def test_without_base_url_the_origin_is_host_and_port_not_the_request() -> None:
    settings = Settings(host="127.0.0.1", port=8123, base_url="")
    assert settings.base_url == "http://127.0.0.1:8123"
    assert settings.allowed_hosts == ["127.0.0.1", "localhost"]
    assert Settings(base_url="https://truce.example.org/").allowed_hosts == ["truce.example.org", "127.0.0.1", "localhost"]


def test_allowed_hosts_from_the_environment(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("ALLOWED_HOSTS", "truce.example.org, *.truce.example.org")
    assert Settings().allowed_hosts == ["truce.example.org", "*.truce.example.org"]


def test_bad_base_url_is_refused() -> None:
    with pytest.raises(ValueError, match="must start with http"):
        Settings(base_url="truce.example.org")

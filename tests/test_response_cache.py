"""The response cache and the caching headers (app/cache.py), over HTTP through the real app.

ETag, 304 and Cache-Control on every kind of response; errors never kept; a hit is the same bytes
and runs no SQL; the cache stays within its byte budget; fragments, full pages and history
restores are kept apart; an import empties it and changes every ETag.
"""

from collections.abc import Iterator
from pathlib import Path

import pytest
import yaml
from fastapi.testclient import TestClient
from sqlalchemy import event

from app.db import make_engine
from app.importer import import_seeds
from tests.conftest import build_database, make_client, soup, sqlite_url, vary_of

SLUG = "nato-membership-20-year-delay"
SEED_FILE = "article-russia-rejects-truce-plan.yaml"
CACHE_CONTROL = "public, max-age=60, stale-while-revalidate=600, s-maxage=60"
HTMX_VARY = {"HX-Request", "HX-History-Restore-Request", "Accept-Encoding"}
HX = {"HX-Request": "true"}
RESTORE = {"HX-Request": "true", "HX-History-Restore-Request": "true"}

# Every kind of response the cache handles: (URL, request headers, media type, exact Vary).
RESPONSE_TYPES = {
    "page": ("/?actor=vladimir-putin&position=rejects", {}, "text/html", HTMX_VARY),
    "fragment": ("/?actor=vladimir-putin", HX, "text/html", HTMX_VARY),
    "permalink": (f"/proposals/{SLUG}", {}, "text/html", HTMX_VARY),
    "json": ("/api/proposals?position=rejects", {}, "application/json", {"Accept-Encoding"}),
    "csv": ("/reactions.csv?actor=vladimir-putin", {}, "text/csv", {"Accept-Encoding"}),
    "atom": ("/feed.atom", {}, "application/atom+xml", {"Accept-Encoding"}),
    "png": (f"/proposals/{SLUG}/card.png", {}, "image/png", set()),
}


@pytest.fixture(scope="module")
def uncached_client(seeded_db: Path) -> Iterator[TestClient]:
    with make_client(seeded_db, response_cache_bytes=0) as test_client:
        yield test_client


@pytest.fixture
def fresh_client(seeded_db: Path) -> Iterator[TestClient]:
    """An app of its own, so its response cache starts empty."""
    with make_client(seeded_db) as test_client:
        yield test_client


def statements_during(client: TestClient, call) -> tuple[object, list[str]]:  # type: ignore[no-untyped-def]
    executed: list[str] = []

    def record(*args) -> None:  # type: ignore[no-untyped-def]
        executed.append(args[2])

    event.listen(client.app.state.engine, "before_cursor_execute", record)
    try:
        result = call()
    finally:
        event.remove(client.app.state.engine, "before_cursor_execute", record)
    return result, executed


def raw_get(client: TestClient, url: str, headers: dict[str, str] | None = None) -> tuple[int, dict[str, str], bytes]:
    """The response as it went over the wire: gzipped bytes stay gzipped."""
    with client.stream("GET", url, headers={"Accept-Encoding": "gzip", **(headers or {})}) as response:
        body = b"".join(response.iter_raw())
        return response.status_code, {k: v for k, v in response.headers.items() if k != "date"}, body


@pytest.mark.parametrize("cache", ["on", "off"])
@pytest.mark.parametrize("kind", RESPONSE_TYPES)
def test_every_response_type_has_an_etag_and_answers_304(
    client: TestClient, uncached_client: TestClient, kind: str, cache: str
) -> None:
    url, headers, media_type, vary = RESPONSE_TYPES[kind]
    http = client if cache == "on" else uncached_client
    first = http.get(url, headers=headers)
    assert first.status_code == 200
    assert first.headers["content-type"].startswith(media_type)
    etag = first.headers["etag"]
    assert etag.startswith('"') and etag.endswith('"') and len(etag) > 20
    assert first.headers["cache-control"] == CACHE_CONTROL
    assert vary_of(first) == vary

    for if_none_match in (etag, f"W/{etag}", f'"something-else", {etag}', "*"):
        again = http.get(url, headers={**headers, "If-None-Match": if_none_match})
        assert again.status_code == 304, if_none_match
        assert again.content == b""
        assert again.headers["etag"] == etag
        assert again.headers["cache-control"] == CACHE_CONTROL
        assert vary_of(again) == vary

    stale = http.get(url, headers={**headers, "If-None-Match": '"not-the-current-one"'})
    assert stale.status_code == 200
    assert stale.content == first.content


def test_the_etag_is_the_same_with_the_cache_on_or_off(client: TestClient, uncached_client: TestClient) -> None:
    for url, headers, _, _ in RESPONSE_TYPES.values():
        assert client.get(url, headers=headers).headers["etag"] == uncached_client.get(url, headers=headers).headers["etag"]


def test_each_variant_has_its_own_etag(client: TestClient) -> None:
    url = "/?actor=vladimir-putin"
    tags = {
        client.get(url).headers["etag"],
        client.get(url, headers=HX).headers["etag"],
        client.get(url, headers=RESTORE).headers["etag"],
        client.get(url, headers={"Accept-Encoding": "identity"}).headers["etag"],
        client.get("/?actor=volodymyr-zelenskyy").headers["etag"],
    }
    assert len(tags) == 5


@pytest.mark.parametrize(
    "url, status",
    [
        ("/proposals/no-such-proposal", 404),
        ("/proposals/no-such-proposal/card.png", 404),
        ("/no-such-page", 404),
        ("/?actor=nobody", 422),
        ("/api/proposals?position=bogus", 422),
        ("/reactions.csv?actor=nobody", 422),
    ],
)
def test_errors_are_never_kept_and_say_no_store(fresh_client: TestClient, url: str, status: int) -> None:
    store = fresh_client.app.state.response_cache
    for _ in range(2):
        response = fresh_client.get(url)
        assert response.status_code == status
        assert response.headers["cache-control"] == "no-store"
        assert "etag" not in response.headers
    assert len(store) == 0
    # A guessed validator does not turn a missing page into a 304.
    assert fresh_client.get(url, headers={"If-None-Match": "*"}).status_code == status


def test_healthz_and_static_files_keep_their_own_rules(client: TestClient) -> None:
    health = client.get("/healthz")
    assert health.headers["cache-control"] == "no-store"
    assert "etag" not in health.headers
    css = client.get(soup(client.get("/")).select_one('link[rel="stylesheet"]')["href"])
    assert css.status_code == 200
    assert css.headers["cache-control"] == "public, max-age=31536000, immutable"


def test_a_hit_is_the_same_bytes_and_runs_no_sql(fresh_client: TestClient) -> None:
    store = fresh_client.app.state.response_cache
    for url, headers, _, _ in RESPONSE_TYPES.values():
        first = raw_get(fresh_client, url, headers)
        hits = store.hits
        again, statements = statements_during(fresh_client, lambda: raw_get(fresh_client, url, headers))  # noqa: B023
        assert store.hits == hits + 1, url
        assert statements == [], url
        assert again == first, url
    # The same bytes the app renders with the cache off: the gzip variant really is gzip.
    status, headers, body = raw_get(fresh_client, "/")
    assert headers["content-encoding"] == "gzip" and body[:2] == b"\x1f\x8b"


def test_head_is_answered_from_the_entry_of_its_get(fresh_client: TestClient) -> None:
    store = fresh_client.app.state.response_cache
    head = fresh_client.head(f"/proposals/{SLUG}")
    assert head.status_code == 200 and head.content == b""
    get = fresh_client.get(f"/proposals/{SLUG}")
    assert b"</html>" in get.content  # a HEAD first does not leave an empty body behind
    hits = store.hits
    again = fresh_client.head(f"/proposals/{SLUG}")
    assert store.hits == hits + 1
    assert again.content == b"" and again.headers["etag"] == get.headers["etag"]


def test_the_query_is_keyed_in_a_canonical_order(fresh_client: TestClient) -> None:
    store = fresh_client.app.state.response_cache
    first = fresh_client.get("/?actor=vladimir-putin&position=rejects")
    hits = store.hits
    reordered = fresh_client.get("/?position=rejects&actor=vladimir-putin")
    assert store.hits == hits + 1
    assert reordered.content == first.content
    assert reordered.headers["etag"] == first.headers["etag"]
    # A repeated parameter is refused (422), never kept.
    repeated = fresh_client.get("/api/proposals?position=rejects&position=supports")
    assert repeated.status_code == 422 and repeated.headers["cache-control"] == "no-store"


def test_fragments_full_pages_and_history_restores_are_kept_apart(fresh_client: TestClient) -> None:
    url = "/?actor=vladimir-putin&position=rejects"
    store = fresh_client.app.state.response_cache
    for _ in range(2):  # the second round is served from the cache
        fragment = fresh_client.get(url, headers=HX)
        page = fresh_client.get(url)
        restore = fresh_client.get(url, headers=RESTORE)
        assert "<html" not in fragment.text and fragment.headers["hx-push-url"] == url
        assert "<html" in page.text and "hx-push-url" not in page.headers
        assert "<html" in restore.text and "hx-push-url" not in restore.headers
    assert store.hits == 3


def test_any_allowed_host_gets_the_same_kept_view(seeded_db: Path) -> None:
    with make_client(seeded_db, allowed_hosts=["testserver", "localhost"]) as client:
        store = client.app.state.response_cache
        first = client.get(f"/proposals/{SLUG}", headers={"Host": "testserver"})
        hits = store.hits
        second = client.get(f"/proposals/{SLUG}", headers={"Host": "localhost"})
        assert store.hits == hits + 1 and second.content == first.content
        og_url = soup(second).select_one('meta[property="og:url"]')["content"]
        assert og_url == f"http://testserver/proposals/{SLUG}"


def test_the_cache_stays_within_its_byte_budget(seeded_db: Path, client: TestClient) -> None:
    slugs = [item["slug"] for item in client.get("/api/proposals").json()["items"]]
    actors = [item["slug"] for item in client.get("/api/actors").json()["items"]]
    urls = [f"/proposals/{s}" for s in slugs] + [f"/api/proposals/{s}" for s in slugs] + [f"/actors/{a}" for a in actors]
    limit = 40_000
    with make_client(seeded_db, response_cache_bytes=limit) as small:
        store = small.app.state.response_cache
        for url in urls:
            assert small.get(url).status_code == 200
            assert store.total_bytes <= limit
            assert store.total_bytes == sum(store.entry_sizes())
        assert store.evictions > 0
        assert 1 < len(store) < len(urls)
        # The least recently used went first: the last URL is still kept, the first is not.
        hits = store.hits
        small.get(urls[-1])
        assert store.hits == hits + 1
        small.get(urls[0])
        assert store.hits == hits + 1
        # Each entry counts its body: together they exceed what the budget holds.
        assert sum(len(small.get(url).content) for url in urls) > limit


def test_a_response_over_the_entry_cap_is_served_but_only_its_headers_kept(seeded_db: Path) -> None:
    with make_client(seeded_db, response_cache_entry_bytes=4_000) as capped:
        store = capped.app.state.response_cache
        identity = {"Accept-Encoding": "identity"}
        big = capped.get("/feed.atom", headers=identity)
        assert big.status_code == 200 and len(big.content) > 4_000
        assert len(store) == 1 and store.total_bytes < 4_000  # the headers, not the body
        again, statements = statements_during(capped, lambda: capped.get("/feed.atom", headers=identity))
        assert again.content == big.content and statements  # rendered again, not served from memory
        # ...but a revalidation is answered from the kept headers, without rendering.
        hits = store.hits
        revalidated, statements = statements_during(
            capped, lambda: capped.get("/feed.atom", headers={**identity, "If-None-Match": big.headers["etag"]})
        )
        assert revalidated.status_code == 304 and statements == [] and store.hits == hits + 1
        assert revalidated.headers["cache-control"] == CACHE_CONTROL and vary_of(revalidated) == {"Accept-Encoding"}
        small = capped.get("/api/proposals?q=zzzzqqq", headers=identity)
        assert small.status_code == 200 and len(small.content) < 3_000
        hits = store.hits
        assert capped.get("/api/proposals?q=zzzzqqq", headers=identity).content == small.content
        assert store.hits == hits + 1


def test_the_cache_can_be_turned_off(uncached_client: TestClient) -> None:
    store = uncached_client.app.state.response_cache
    for url, headers, _, _ in RESPONSE_TYPES.values():
        assert uncached_client.get(url, headers=headers).status_code == 200
        uncached_client.get(url, headers=headers)
    assert len(store) == 0 and store.total_bytes == 0 and store.hits == 0


def retitle(seeds: Path, title: str) -> None:
    seed = seeds / SEED_FILE
    data = yaml.safe_load(seed.read_text(encoding="utf-8"))
    [proposal] = [p for p in data["proposals"] if p["slug"] == SLUG]
    proposal["title"] = title
    seed.write_text(yaml.safe_dump(data, allow_unicode=True, sort_keys=False), encoding="utf-8")


def test_an_import_empties_the_cache_and_changes_every_etag(tmp_path: Path, seed_copy: Path) -> None:
    db = tmp_path / "live.db"
    build_database(db, [seed_copy])
    with make_client(db) as live:
        store = live.app.state.response_cache
        before = {kind: live.get(url, headers=headers) for kind, (url, headers, _, _) in RESPONSE_TYPES.items()}
        assert len(store) == len(RESPONSE_TYPES)

        title = "Put off Ukraine’s NATO membership for two decades"
        retitle(seed_copy, title)
        engine = make_engine(sqlite_url(db))  # the importer writes; the app keeps reading read-only
        try:
            assert import_seeds(engine, [seed_copy]).changed
        finally:
            engine.dispose()

        permalink = live.get(f"/proposals/{SLUG}")
        assert title in permalink.text
        assert len(store) == 1  # everything rendered from the old data is gone
        for kind, (url, headers, _, _) in RESPONSE_TYPES.items():
            after = live.get(url, headers=headers)
            assert after.headers["etag"] != before[kind].headers["etag"], kind
            revalidate = live.get(url, headers={**headers, "If-None-Match": before[kind].headers["etag"]})
            assert revalidate.status_code == 200, kind
        assert title in live.get("/api/proposals?position=rejects").text

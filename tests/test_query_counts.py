"""No N+1: the number of SQL statements per page does not grow with the data."""

from pathlib import Path

import pytest
import yaml
from sqlalchemy import event

from tests.conftest import SEEDS_DIR, build_database, make_client

PAGES = [
    "/",
    "/?actor=actor-1&position=rejects",
    "/?q=proposal",
    "/proposals/proposal-1",
    "/actors/actor-1",
    "/actors",
    "/matrix",
    "/timeline",
    "/compare?a=actor-1&b=actor-2",
    "/common-ground",
    "/sources",
    "/feed.atom",
    "/reactions.csv",
    "/api/proposals",
    "/embed/proposals/proposal-1",
    "/embed/actors/actor-1",
    "/oembed?url=http%3A%2F%2Ftestserver%2Fproposals%2Fproposal-1",
    "/proposals/proposal-1/cite.bib",
    "/download",
]


def synthetic_seed(path: Path, proposals: int, actors: int) -> Path:
    """A valid seed file of any size, reusing the real file's source for the boilerplate."""
    real = yaml.safe_load((SEEDS_DIR / "article-russia-rejects-truce-plan.yaml").read_text(encoding="utf-8"))
    source = real["sources"][0]
    positions = ["supports", "conditional", "rejects"]
    data = {
        "document": source["slug"],
        "sources": [source],
        "actors": [
            {"slug": f"actor-{i}", "name": f"Actor {i}", "kind": "person", "side": ["russia", "ukraine", "united-states", "europe", "other"][i % 5]}
            for i in range(1, actors + 1)
        ],
        "proposals": [
            {
                "slug": f"proposal-{p}",
                "title": f"Proposal {p}",
                "summary": f"Summary of proposal {p}.",
                "first_reported": {"date": f"2024-{1 + p % 12:02d}", "precision": "month"},
                "first_reported_by": source["slug"],
            }
            for p in range(1, proposals + 1)
        ],
        "reactions": [],
        "events": [
            {"slug": f"event-{e}", "title": f"Event {e}", "summary": "Something happened.", "occurred_on": {"date": f"2024-11-{1 + e % 28:02d}", "precision": "day"}, "actors": [f"actor-{1 + e % actors}"], "source": source["slug"]}
            for e in range(1, proposals + 1)
        ],
    }
    for p in range(1, proposals + 1):
        for a in range(1, actors + 1):
            proposer = a == 1 + p % actors
            if not proposer and (p + a) % 3:
                continue
            position = "supports" if proposer else positions[(p * a) % 3]
            # Stances of all three kinds, so every marking is rendered: our readings, and ones
            # another actor reports (whose name every view shows).
            basis = "stated" if proposer or not (p + a) % 2 and not p % 2 else ("inferred" if (p + a) % 2 else "reported")
            data["reactions"].append(
                {
                    "slug": f"r-{p}-{a}",
                    "proposal": f"proposal-{p}",
                    "actor": f"actor-{a}",
                    "position": position,
                    "proposer": proposer,
                    "basis": basis,
                    "rationale": f"Read from passage {p}." if basis == "inferred" else "",
                    "reported_by": f"actor-{1 + a % actors}" if basis == "reported" else "",
                    "quote": f"Quote {p} {a}",
                    "summary": f"Actor {a} on proposal {p}.",
                    "condition": "A condition." if position == "conditional" else "",
                    "stated_on": {"date": f"2024-12-{1 + (p + a) % 28:02d}", "precision": "day"},
                    "evidence": "second-hand-account" if basis == "reported" else "on-record",
                    "source": source["slug"],
                }
            )
    path.mkdir(parents=True, exist_ok=True)
    (path / "synthetic.yaml").write_text(yaml.safe_dump(data, allow_unicode=True), encoding="utf-8")
    return path


def statements_per_page(db: Path) -> dict[str, int]:
    counts: dict[str, int] = {}
    # With the response cache on, a repeated request runs no SQL at all; count what a render costs.
    with make_client(db, response_cache_bytes=0) as client:
        executed: list[str] = []
        event.listen(client.app.state.engine, "before_cursor_execute", lambda *args: executed.append(args[2]))
        for url in PAGES:
            client.get(url)  # warm caches
            executed.clear()
            response = client.get(url)
            assert response.status_code == 200, (url, response.text[:200])
            counts[url] = len(executed)
    return counts


@pytest.fixture(scope="module")
def small_and_large(tmp_path_factory: pytest.TempPathFactory) -> tuple[dict[str, int], dict[str, int]]:
    base = tmp_path_factory.mktemp("n-plus-one")
    small = base / "small.db"
    large = base / "large.db"
    build_database(small, [synthetic_seed(base / "small", proposals=3, actors=3)])
    build_database(large, [synthetic_seed(base / "large", proposals=40, actors=25)])
    return statements_per_page(small), statements_per_page(large)


@pytest.mark.parametrize("url", PAGES)
def test_statement_count_does_not_grow_with_the_data(small_and_large, url: str) -> None:  # type: ignore[no-untyped-def]
    small, large = small_and_large
    assert large[url] == small[url], f"{url}: {small[url]} statements for 3 proposals, {large[url]} for 40"
    # a search page: the list, facets, search and snippets, the cards' named actors, plus the state
    # of play's data-version read; when the words match most proposals, the facets are every
    # proposal's (two derived reads) less the rest's, after one count of the matches
    assert large[url] <= 17

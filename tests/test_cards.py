"""Share cards (/proposals/{slug}/card.png): a real PNG drawn from the database, kept by the
response cache per data version, with ETag/304; the text on it comes from the data and is really
drawn where laid out."""

import io
from pathlib import Path

import pytest
import yaml
from fastapi.testclient import TestClient
from PIL import Image
from sqlalchemy import select
from sqlalchemy.orm import Session

from app.cards import (
    BACKGROUND,
    CONTENT_RIGHT,
    FOOTER_TEXT,
    HEIGHT,
    MARGIN_X,
    WIDTH,
    group_bars,
    layout_card,
    render_card,
)
from app.db import make_engine
from app.importer import import_seeds
from app.models import Position, Proposal
from app.queries.proposals import get_proposal
from app.schemas import ActorLink, ProposalDetail, StanceActor
from tests.conftest import build_database, make_client, sqlite_url

SLUG = "nato-membership-20-year-delay"
SEED_FILE = "article-russia-rejects-truce-plan.yaml"
LABELS = {
    Position.supports: "✓ Supports:",
    Position.conditional: "◐ Supports on conditions:",
    Position.rejects: "✗ Rejects:",
}


@pytest.fixture(scope="module")
def details(seeded_db: Path) -> dict[str, ProposalDetail]:
    """Every proposal in the seeded database, read through the same query the route uses."""
    engine = make_engine(sqlite_url(seeded_db), read_only=True)
    try:
        with Session(engine) as session:
            return {slug: get_proposal(session, slug) for slug in session.scalars(select(Proposal.slug))}
    finally:
        engine.dispose()


def png(response) -> Image.Image:  # type: ignore[no-untyped-def]
    image = Image.open(io.BytesIO(response.content))
    image.load()
    return image


def overlaps(a: tuple[int, int, int, int], b: tuple[int, int, int, int]) -> bool:
    return a[0] < b[2] and b[0] < a[2] and a[1] < b[3] and b[1] < a[3]


def dark_pixels(image: Image.Image, box: tuple[int, int, int, int]) -> int:
    """Pixels in the box clearly darker than the background (text ink)."""
    return sum(image.convert("L").crop(box).histogram()[:128])


def colours(image: Image.Image, box: tuple[int, int, int, int]) -> set[tuple[int, int, int]]:
    return {colour for _, colour in image.crop(box).getcolors(WIDTH * HEIGHT)}


# --- HTTP ---------------------------------------------------------------------------------------


def test_card_is_a_1200x630_png(client: TestClient) -> None:
    response = client.get(f"/proposals/{SLUG}/card.png")
    assert response.status_code == 200
    assert response.headers["content-type"] == "image/png"
    assert response.content.startswith(b"\x89PNG\r\n\x1a\n")
    image = png(response)
    assert image.format == "PNG"
    assert image.size == (1200, 630)
    assert image.mode in ("RGB", "RGBA")


def test_every_proposal_has_a_card(client: TestClient, details: dict[str, ProposalDetail]) -> None:
    for slug in details:
        response = client.get(f"/proposals/{slug}/card.png")
        assert response.status_code == 200, slug
        assert png(response).size == (WIDTH, HEIGHT)


def test_unknown_slug_is_404(client: TestClient) -> None:
    response = client.get("/proposals/no-such-proposal/card.png")
    assert response.status_code == 404
    assert "image/png" not in response.headers["content-type"]
    assert "no-such-proposal" in response.text
    # A guessed validator does not turn a missing card into a 304.
    assert client.get("/proposals/no-such-proposal/card.png", headers={"If-None-Match": "*"}).status_code == 404


def test_cache_headers_etag_and_304(client: TestClient) -> None:
    first = client.get(f"/proposals/{SLUG}/card.png")
    etag = first.headers["etag"]
    assert first.headers["cache-control"] == "public, max-age=60, stale-while-revalidate=600, s-maxage=60"
    assert etag.startswith('"') and etag.endswith('"')
    other = client.get("/proposals/demilitarized-zone/card.png")
    assert other.headers["etag"] != etag  # the slug is part of the tag

    again = client.get(f"/proposals/{SLUG}/card.png", headers={"If-None-Match": etag})
    assert again.status_code == 304
    assert again.content == b""
    assert again.headers["etag"] == etag
    assert again.headers["cache-control"] == first.headers["cache-control"]
    for header in (f'"stale", {etag}', f"W/{etag}", "*"):
        assert client.get(f"/proposals/{SLUG}/card.png", headers={"If-None-Match": header}).status_code == 304

    stale = client.get(f"/proposals/{SLUG}/card.png", headers={"If-None-Match": '"card-something-else"'})
    assert stale.status_code == 200
    assert stale.content == first.content


def test_head_answers_without_body(client: TestClient) -> None:
    response = client.head(f"/proposals/{SLUG}/card.png")
    assert response.status_code == 200
    assert response.headers["content-type"] == "image/png"
    assert response.content == b""


def test_card_is_drawn_once_per_data_version(client: TestClient) -> None:
    store = client.app.state.response_cache
    body = client.get(f"/proposals/{SLUG}/card.png").content
    hits = store.hits
    again = client.get(f"/proposals/{SLUG}/card.png")
    assert store.hits == hits + 1  # served from the response cache, not drawn again
    assert again.content == body


def test_card_is_redrawn_when_the_data_version_changes(tmp_path: Path, seed_copy: Path) -> None:
    """A running server gets a new import (new title): same URL, new card, new ETag, old ETag no longer 304."""
    db = tmp_path / "live.db"
    build_database(db, [seed_copy])
    with make_client(db) as live:
        before = live.get(f"/proposals/{SLUG}/card.png")
        old_version = live.get("/healthz").json()["data_version"]

        seed = seed_copy / SEED_FILE
        data = yaml.safe_load(seed.read_text(encoding="utf-8"))
        [proposal] = [p for p in data["proposals"] if p["slug"] == SLUG]
        proposal["title"] = "Put off Ukraine’s NATO membership for two decades"
        seed.write_text(yaml.safe_dump(data, allow_unicode=True, sort_keys=False), encoding="utf-8")
        engine = make_engine(sqlite_url(db))  # the importer writes; the app keeps reading read-only
        try:
            assert import_seeds(engine, [seed_copy]).changed
        finally:
            engine.dispose()

        new_version = live.get("/healthz").json()["data_version"]
        assert new_version != old_version
        after = live.get(f"/proposals/{SLUG}/card.png")
        assert after.status_code == 200
        assert after.content != before.content
        assert after.headers["etag"] != before.headers["etag"]
        revalidate = live.get(f"/proposals/{SLUG}/card.png", headers={"If-None-Match": before.headers["etag"]})
        assert revalidate.status_code == 200
        assert revalidate.content == after.content


# --- what is drawn -----------------------------------------------------------------------------


def texts(lines, role: str, position: Position | None = None) -> list[str]:  # type: ignore[no-untyped-def]
    return [line.text for line in lines if line.role == role and (position is None or line.position is position)]


def test_layout_text_comes_from_the_database(details: dict[str, ProposalDetail]) -> None:
    for slug, detail in details.items():
        lines = layout_card(detail)
        assert " ".join(texts(lines, "title")) == detail.title, slug
        proposers = " ".join(texts(lines, "proposers"))
        assert proposers.startswith("Proposed by ") or (detail.proposer_unknown and proposers == "Proposer not named in the source")
        for actor in detail.proposers:
            assert actor.name in proposers, (slug, actor.name)
        for position in Position:
            assert texts(lines, "label", position) == [LABELS[position]]  # words and a glyph, not colour alone
            names = " ".join(texts(lines, "names", position))
            actors = getattr(detail.stance, position.value)
            for actor in actors:
                assert actor.name in names, (slug, position, actor.name)
            if not actors:
                assert names == "none reported"
        assert texts(lines, "footer") == [FOOTER_TEXT]
        assert texts(lines, "url") == [f"/proposals/{slug}"]


def test_layout_stays_inside_the_card_without_overlaps(details: dict[str, ProposalDetail]) -> None:
    for slug, detail in details.items():
        lines = layout_card(detail)
        for line in lines:
            left, top, right, bottom = line.box
            assert MARGIN_X - 2 <= left < right <= CONTENT_RIGHT + 2, (slug, line)
            assert 0 < top < bottom < HEIGHT, (slug, line)
        for i, a in enumerate(lines):
            for b in lines[i + 1 :]:
                assert not overlaps(a.box, b.box), (slug, a.text, b.text)


def test_drawn_pixels_match_the_layout(client: TestClient, details: dict[str, ProposalDetail]) -> None:
    detail = details[SLUG]
    lines = layout_card(detail)
    image = png(client.get(f"/proposals/{SLUG}/card.png")).convert("RGB")

    # Every laid-out line, the title first, has ink where it was laid out.
    title = next(line for line in lines if line.role == "title")
    assert title.text.startswith("Delay Ukraine")
    assert dark_pixels(image, title.box) > 500
    for line in lines:
        assert dark_pixels(image, line.box) > 20, line.text

    # Beside the shortest group line, between its box and the right margin, nothing is drawn.
    shortest = min((line for line in lines if line.role == "names"), key=lambda line: line.box[2])
    empty = (shortest.box[2] + 8, shortest.box[1], CONTENT_RIGHT, shortest.box[3])
    assert empty[2] - empty[0] > 120  # room to check (names that say who reports a stance are long)
    drawn = [line.box for line in lines] + list(group_bars(lines).values())
    assert not any(overlaps(empty, box) for box in drawn)
    assert colours(image, empty) == {BACKGROUND}
    # And the right margin is clear from under the top band to the footer.
    assert colours(image, (CONTENT_RIGHT + 8, 20, WIDTH - 8, HEIGHT - 100)) == {BACKGROUND}


def test_long_titles_and_many_names_are_cut_honestly(details: dict[str, ProposalDetail]) -> None:
    base = details[SLUG]
    names = [f"Actor number {i} with a fairly long name" for i in range(30)]
    refs = [StanceActor(slug=f"actor-{i}", name=name) for i, name in enumerate(names)]
    detail = base.model_copy(
        update={
            "title": " ".join(["A very long proposal title that goes on"] * 8),
            "proposers": [ActorLink(slug=r.slug, name=r.name, url=f"/actors/{r.slug}") for r in refs[:12]],
            "stance": base.stance.model_copy(update={"supports": refs, "conditional": refs[:2], "rejects": refs[:20]}),
        }
    )
    lines = layout_card(detail)
    title = texts(lines, "title")
    assert len(title) == 3
    assert title[-1].endswith("…")
    for role, position, actors in [
        ("proposers", None, refs[:12]),
        ("names", Position.supports, refs),
        ("names", Position.rejects, refs[:20]),
    ]:
        drawn = texts(lines, role, position)
        # a name is shown whole, or (when even one would not fit beside the count) cut at a word with "…"
        joined = " ".join(drawn)
        shown = sum(actor.name in joined for actor in actors) + joined.count("…")
        assert drawn[-1].endswith(f"+{len(actors) - shown} more"), drawn
        assert 0 < shown < len(actors)
    # Two names that fit in the room they get are both shown, with no "+N more".
    assert " ".join(texts(lines, "names", Position.conditional)) == f"{refs[0].name}, {refs[1].name}"
    image = Image.open(io.BytesIO(render_card(detail)))
    assert image.size == (WIDTH, HEIGHT)
    for line in lines:
        assert line.box[2] <= CONTENT_RIGHT + 2 and line.box[3] < HEIGHT


# --- languages ------------------------------------------------------------------------------------


def test_a_card_is_drawn_in_the_language_of_its_path(client: TestClient, details: dict[str, ProposalDetail]) -> None:
    """/uk/…/card.png is the Ukrainian card: its own pixels (Cyrillic from the DejaVu fonts), the same
    size, and its own entry in the response cache (which keys on the whole path)."""
    english = client.get(f"/proposals/{SLUG}/card.png")
    ukrainian = client.get(f"/uk/proposals/{SLUG}/card.png")
    for response in (english, ukrainian):
        assert response.status_code == 200
        assert response.headers["content-type"] == "image/png"
        assert response.content.startswith(b"\x89PNG\r\n\x1a\n")
    en_image, uk_image = png(english), png(ukrainian)
    assert en_image.size == uk_image.size == (WIDTH, HEIGHT)
    assert en_image.tobytes() != uk_image.tobytes()
    assert english.headers["etag"] != ukrainian.headers["etag"]
    # Asked again, each language gets its own card back, not the other's cached one.
    assert client.get(f"/proposals/{SLUG}/card.png").content == english.content
    assert client.get(f"/uk/proposals/{SLUG}/card.png").content == ukrainian.content


def test_the_ukrainian_layout_says_it_in_ukrainian(details: dict[str, ProposalDetail]) -> None:
    from app.i18n import using_locale

    english = layout_card(details[SLUG])
    with using_locale("uk"):
        lines = layout_card(details[SLUG])
    footer, url = texts(lines, "footer"), texts(lines, "url")
    assert url == [f"/uk/proposals/{SLUG}"]
    assert footer != [FOOTER_TEXT] and footer[0].startswith("Truce Explorer · ")
    assert texts(lines, "proposers")[0] != texts(english, "proposers")[0]
    for line in lines:
        assert line.box[2] <= CONTENT_RIGHT + 2 and line.box[3] < HEIGHT

"""The Atom feeds over HTTP: parsed as XML and checked against the rules of RFC 4287 that can be checked
offline (there is no feedvalidator here), against the data in the database, and for hostile seed text."""

import datetime as dt
import re
import xml.etree.ElementTree as ET
from collections import Counter
from pathlib import Path
from urllib.parse import urlsplit

import pytest
from bs4 import BeautifulSoup
from fastapi.testclient import TestClient
from sqlalchemy import event, select
from sqlalchemy.orm import Session

from app.models import Event, Precision, Reaction
from app.seeds import load_seed_set
from tests.conftest import SEEDS_DIR, make_client, soup

SEEDS = load_seed_set([SEEDS_DIR])

NS = "http://www.w3.org/2005/Atom"
A = f"{{{NS}}}"
# RFC 3339 date-time, as Atom requires for atom:updated.
RFC3339 = re.compile(r"^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(\.\d+)?(Z|[+-]\d{2}:\d{2})$")
# RFC 4151 tag URIs: tag:<DNS name or email>,<date>:<specific>.
TAG_URI = re.compile(r"^tag:[a-z0-9]([a-z0-9-]*[a-z0-9])?(\.[a-z0-9]([a-z0-9-]*[a-z0-9])?)*,\d{4}(-\d{2}(-\d{2})?)?:[\w.~!$&'()*+,;=:@/?%-]+$")
PUTIN_NATO = "putin-rejects-nato-delay"
LAVROV_NATO = "lavrov-rejects-nato-delay"


def parse(response) -> ET.Element:  # type: ignore[no-untyped-def]
    assert response.status_code == 200, response.text[:500]
    assert response.headers["content-type"] == "application/atom+xml; charset=utf-8"
    return ET.fromstring(response.content)


def updated(element: ET.Element) -> dt.datetime:
    return dt.datetime.fromisoformat(element.findtext(f"{A}updated", "").replace("Z", "+00:00"))


def entries(feed: ET.Element) -> list[ET.Element]:
    return feed.findall(f"{A}entry")


def entry_by_id(feed: ET.Element, entry_id: str) -> ET.Element:
    matches = [e for e in entries(feed) if e.findtext(f"{A}id") == entry_id]
    assert len(matches) == 1, f"{entry_id}: {len(matches)} entries"
    return matches[0]


def check_text_construct(element: ET.Element, where: str) -> None:
    kind = element.get("type", "text")
    assert kind in ("text", "html", "xhtml"), f"{where}: type={kind!r}"
    if kind in ("text", "html"):
        assert len(element) == 0, f"{where}: a {kind} construct holds child elements"
    if kind == "html":
        BeautifulSoup(element.text or "", "html.parser")  # it must at least parse as HTML


def check_link(link: ET.Element, where: str) -> None:
    href = link.get("href")
    assert href, f"{where}: atom:link without href"
    parts = urlsplit(href)
    assert parts.scheme in ("http", "https") and parts.netloc, f"{where}: link is not absolute: {href}"


def check_person(person: ET.Element, where: str) -> None:
    names = person.findall(f"{A}name")
    assert len(names) == 1 and (names[0].text or "").strip(), f"{where}: a person needs exactly one non-empty name"


def check_atom(feed: ET.Element) -> None:
    """RFC 4287's structural rules (section 4), as far as they can be checked without a validator."""
    assert feed.tag == f"{A}feed"
    for child in feed.iter():
        assert child.tag.startswith(A), f"element outside the Atom namespace: {child.tag}"
    counts = Counter(child.tag for child in feed if child.tag != f"{A}entry")
    for required in ("id", "title", "updated"):
        assert counts[f"{A}{required}"] == 1, f"feed needs exactly one atom:{required}"
    for optional in ("subtitle", "rights", "generator", "icon", "logo"):
        assert counts[f"{A}{optional}"] <= 1, f"feed has more than one atom:{optional}"
    assert RFC3339.match(feed.findtext(f"{A}updated", "")), "feed updated is not an RFC 3339 date-time"
    assert TAG_URI.match(feed.findtext(f"{A}id", "")), "feed id is not a tag: URI"
    for name in ("title", "subtitle", "rights"):
        for element in feed.findall(f"{A}{name}"):
            check_text_construct(element, f"feed {name}")
    links = feed.findall(f"{A}link")
    for link in links:
        check_link(link, "feed")
    assert [link.get("rel") for link in links].count("self") == 1
    alternates = Counter((link.get("type"), link.get("hreflang")) for link in links if link.get("rel", "alternate") == "alternate")
    assert all(n == 1 for n in alternates.values()), "more than one alternate link with the same type and hreflang"
    feed_authors = feed.findall(f"{A}author")
    for author in feed_authors:
        check_person(author, "feed author")

    ids = []
    for item in entries(feed):
        entry_id = item.findtext(f"{A}id", "")
        where = f"entry {entry_id}"
        counts = Counter(child.tag for child in item)
        for required in ("id", "title", "updated"):
            assert counts[f"{A}{required}"] == 1, f"{where} needs exactly one atom:{required}"
        for optional in ("summary", "content", "published", "rights", "source"):
            assert counts[f"{A}{optional}"] <= 1, f"{where} has more than one atom:{optional}"
        assert TAG_URI.match(entry_id), f"{where}: id is not a tag: URI"
        assert RFC3339.match(item.findtext(f"{A}updated", "")), f"{where}: updated is not RFC 3339"
        assert (item.findtext(f"{A}title") or "").strip(), f"{where}: empty title"
        for name in ("title", "summary", "content", "rights"):
            for element in item.findall(f"{A}{name}"):
                check_text_construct(element, f"{where} {name}")
        item_links = item.findall(f"{A}link")
        for link in item_links:
            check_link(link, where)
        alternates = [link for link in item_links if link.get("rel", "alternate") == "alternate"]
        # Without content an entry needs an alternate link; we give every entry both.
        assert len(alternates) == 1 and item.find(f"{A}content") is not None, f"{where}: needs content and one alternate link"
        authors = item.findall(f"{A}author")
        for author in authors:
            check_person(author, f"{where} author")
        assert authors or feed_authors, f"{where}: no author, and the feed has none"
        for category in item.findall(f"{A}category"):
            assert category.get("term"), f"{where}: category without term"
        ids.append(entry_id)
    assert len(ids) == len(set(ids)), f"duplicate entry ids: {[i for i, n in Counter(ids).items() if n > 1]}"


@pytest.fixture(scope="module")
def feed(client: TestClient) -> ET.Element:
    return parse(client.get("/feed.atom"))



def dated_ids(session: Session, actor: str | None = None) -> set[str]:
    reactions = session.scalars(select(Reaction)).all()
    events = session.scalars(select(Event)).all()
    ids = {
        f"tag:truce-explorer,2024:reaction/{r.slug}"
        for r in reactions
        if r.stated_on is not None and r.stated_on_precision is not Precision.unknown and actor in (None, r.actor.slug)
    }
    ids |= {
        f"tag:truce-explorer,2024:event/{e.slug}"
        for e in events
        if e.occurred_on is not None and e.occurred_on_precision is not Precision.unknown
        and (actor is None or actor in {a.slug for a in e.actors})
    }
    return ids


def test_feed_is_valid_atom(feed: ET.Element) -> None:
    check_atom(feed)


def test_feed_has_id_title_updated_and_self_link(feed: ET.Element) -> None:
    assert feed.findtext(f"{A}id") == "tag:truce-explorer,2024:feed"
    assert feed.findtext(f"{A}title") == "Truce Explorer: stances and events"
    links = {link.get("rel"): link for link in feed.findall(f"{A}link")}
    assert links["self"].get("href") == "http://testserver/feed.atom"
    assert links["self"].get("type") == "application/atom+xml"
    assert links["alternate"].get("href") == "http://testserver/"
    assert feed.findtext(f"{A}author/{A}name") == "Truce Explorer"


def test_entries_are_newest_first_and_the_feed_is_as_new_as_the_newest(feed: ET.Element) -> None:
    dates = [updated(e) for e in entries(feed)]
    assert len(dates) > 10
    assert dates == sorted(dates, reverse=True)
    assert updated(feed) == dates[0]


def test_every_dated_item_is_an_entry_and_undated_ones_are_absent(feed: ET.Element, seeded_session: Session) -> None:
    ids = {e.findtext(f"{A}id") for e in entries(feed)}
    expected = dated_ids(seeded_session)
    assert ids == expected
    undated = [r.slug for r in seeded_session.scalars(select(Reaction)) if r.stated_on_precision is Precision.unknown]
    assert undated, "the seeds have undated reactions; this test needs one"
    assert not {f"tag:truce-explorer,2024:reaction/{slug}" for slug in undated} & ids


def test_reaction_entry(client: TestClient, feed: ET.Element) -> None:
    entry = entry_by_id(feed, f"tag:truce-explorer,2024:reaction/{PUTIN_NATO}")
    assert entry.findtext(f"{A}title") == "Vladimir Putin rejects: Delay Ukraine’s NATO membership by 20 years in exchange for a ceasefire"
    assert entry.findtext(f"{A}updated") == "2024-12-26T00:00:00Z"
    assert [a.findtext(f"{A}name") for a in entry.findall(f"{A}author")] == ["Vladimir Putin"]
    link = entry.find(f"{A}link").get("href")
    assert link == f"http://testserver/proposals/nato-membership-20-year-delay#reaction-{PUTIN_NATO}"
    content = BeautifulSoup(entry.findtext(f"{A}content"), "html.parser")
    assert content.blockquote.get_text().startswith("“In terms of historical distances")
    assert "Evidence: On-record statement" in content.get_text()
    assert content.find("a", string="Read it on Truce Explorer")["href"] == link
    # the link leads to that reaction's anchor
    parts = urlsplit(link)
    assert soup(client.get(parts.path)).find(id=parts.fragment) is not None


def test_approximate_dates_keep_their_precision_in_words(feed: ET.Element) -> None:
    entry = entry_by_id(feed, f"tag:truce-explorer,2024:reaction/{LAVROV_NATO}")
    # the stored (earliest possible) day, while the summary says what is actually known
    assert entry.findtext(f"{A}updated") == "2024-12-29T00:00:00Z"
    note = SEEDS.reactions[LAVROV_NATO].stated_on.note
    assert note.startswith("a Sunday after") and "no year in the article" in note
    assert entry.findtext(f"{A}summary").startswith(f"A{note[1:]}: ")
    assert f"A{note[1:]}" in BeautifulSoup(entry.findtext(f"{A}content"), "html.parser").get_text()


def test_event_entries_link_to_the_timeline(client: TestClient, feed: ET.Element) -> None:
    entry = entry_by_id(feed, "tag:truce-explorer,2024:event/putin-annual-press-conference")
    assert entry.find(f"{A}category").get("term") == "event"
    link = urlsplit(entry.find(f"{A}link").get("href"))
    assert (link.path, link.fragment) == ("/timeline", "event-putin-annual-press-conference")
    assert soup(client.get("/timeline")).find(id=link.fragment) is not None
    assert "Vladimir Putin" in [a.findtext(f"{A}name") for a in entry.findall(f"{A}author")]


def test_actor_feed_has_only_that_actor(client: TestClient, seeded_session: Session) -> None:
    feed = parse(client.get("/actors/vladimir-putin/feed.atom"))
    check_atom(feed)
    assert feed.findtext(f"{A}id") == "tag:truce-explorer,2024:actor/vladimir-putin/feed"
    links = {link.get("rel"): link.get("href") for link in feed.findall(f"{A}link")}
    assert links == {"self": "http://testserver/actors/vladimir-putin/feed.atom", "alternate": "http://testserver/actors/vladimir-putin"}
    ids = [e.findtext(f"{A}id") for e in entries(feed)]
    assert set(ids) == dated_ids(seeded_session, "vladimir-putin")
    assert f"tag:truce-explorer,2024:reaction/{PUTIN_NATO}" in ids
    assert f"tag:truce-explorer,2024:reaction/{LAVROV_NATO}" not in ids
    for entry in entries(feed):
        assert "Vladimir Putin" in [a.findtext(f"{A}name") for a in entry.findall(f"{A}author")]
    dates = [updated(e) for e in entries(feed)]
    assert dates == sorted(dates, reverse=True)


def test_actor_without_dated_items_gets_an_empty_valid_feed(client: TestClient, seeded_session: Session) -> None:
    from app.models import Actor

    quiet = [a.slug for a in seeded_session.scalars(select(Actor)) if not dated_ids(seeded_session, a.slug)]
    if not quiet:
        pytest.skip("every seeded actor has a dated reaction or event")
    feed = parse(client.get(f"/actors/{quiet[0]}/feed.atom"))
    check_atom(feed)
    assert entries(feed) == []
    assert RFC3339.match(feed.findtext(f"{A}updated", ""))


def test_unknown_actor_feed_is_a_404(client: TestClient) -> None:
    response = client.get("/actors/putin/feed.atom")
    assert response.status_code == 404
    assert [a["href"] for a in soup(response).select(".suggestions a")] == ["/actors/vladimir-putin/feed.atom"]


def test_base_url_setting_makes_the_links(seeded_db: Path) -> None:
    with make_client(seeded_db, base_url="https://truce.example.org/") as other:
        feed = parse(other.get("/feed.atom"))
    hrefs = [link.get("href") for link in feed.iter(f"{A}link")]
    assert hrefs and all(h.startswith("https://truce.example.org/") for h in hrefs)


def test_head_is_answered(client: TestClient) -> None:
    response = client.head("/feed.atom")
    assert response.status_code == 200 and response.content == b""
    assert response.headers["content-type"].startswith("application/atom+xml")


@pytest.mark.parametrize("url", ["/", "/matrix", "/actors", "/proposals/nato-membership-20-year-delay", "/sources", "/about", "/no-such-page"])
def test_every_page_links_the_site_feed(client: TestClient, url: str) -> None:
    page = soup(client.get(url))
    feeds = page.find_all("link", rel="alternate", type="application/atom+xml")
    assert [f["href"] for f in feeds] == ["/feed.atom"]
    assert feeds[0]["title"]
    footer_links = {a.get_text(): a["href"] for a in page.select("footer a")}
    assert footer_links["Atom feed"] == "/feed.atom"


def test_actor_page_links_its_own_feed(client: TestClient) -> None:
    page = soup(client.get("/actors/vladimir-putin"))
    feeds = [f["href"] for f in page.find_all("link", rel="alternate", type="application/atom+xml")]
    assert feeds == ["/feed.atom", "/actors/vladimir-putin/feed.atom"]
    visible = page.select_one("main a.feed-link")
    assert visible["href"] == "/actors/vladimir-putin/feed.atom"
    assert visible.get_text() == "Stances from Vladimir Putin"
    for href in feeds:
        parse(client.get(href))


def test_feeds_load_in_a_fixed_number_of_statements(client: TestClient) -> None:
    """No N+1: the statement count does not depend on how many entries there are."""
    statements: list[str] = []
    engine = client.app.state.engine

    def count(conn, cursor, statement, *args) -> None:  # type: ignore[no-untyped-def]
        statements.append(statement)

    event.listen(engine, "before_cursor_execute", count)
    try:
        client.get("/feed.atom")
        site = len(statements)
        statements.clear()
        client.get("/actors/vladimir-putin/feed.atom")
        actor = len(statements)
    finally:
        event.remove(engine, "before_cursor_execute", count)
    assert site <= 8, f"{site} statements for /feed.atom"
    assert actor <= 8, f"{actor} statements for an actor's feed"



@pytest.mark.parametrize("url", ["/feed.atom", "/actors/evil-actor/feed.atom"])
def test_hostile_text_stays_text_in_the_feeds(xss_client: TestClient, url: str) -> None:
    feed = parse(xss_client.get(url))
    check_atom(feed)
    assert entries(feed)
    titles = [e.findtext(f"{A}title") for e in entries(feed)]
    assert any("<script>alert('actor-name')</script>" in t for t in titles), titles
    for item in entries(feed):
        content = BeautifulSoup(item.findtext(f"{A}content"), "html.parser")
        for tag in ("script", "img", "iframe", "svg", "b"):
            assert content.find(tag) is None, f"a <{tag}> from the seed became markup in {item.findtext(f'{A}id')}"
        for element in content.find_all(True):
            assert not any(attr.startswith(("on", "data-hx")) for attr in element.attrs)
            assert not element.get("href", "").lower().startswith("javascript:")


# --- languages ------------------------------------------------------------------------------------


@pytest.mark.parametrize("lang", ["uk", "ru"])
@pytest.mark.parametrize("path", ["/feed.atom", "/feed.atom?side=russia", "/actors/vladimir-putin/feed.atom", "/corrections.atom"])
def test_a_feed_is_in_the_language_of_its_path(client: TestClient, lang: str, path: str) -> None:
    """/uk/feed.atom: xml:lang="uk", the feed's words in Ukrainian, every link of ours in /uk/, and its
    own tag URIs (a feed reader keeps a translated entry apart from the English one)."""
    from app.i18n import using_locale
    from app.queries.feeds import TAG

    english = parse(client.get(path))
    feed = parse(client.get(f"/{lang}{path}"))
    assert english.get("{http://www.w3.org/XML/1998/namespace}lang") == "en"
    assert feed.get("{http://www.w3.org/XML/1998/namespace}lang") == lang
    # Titles, subtitles and the rights line are translated.
    for tag in ("title", "subtitle", "rights"):
        assert feed.findtext(f"{A}{tag}") != english.findtext(f"{A}{tag}"), tag
    with using_locale(lang):
        from app.i18n import gettext

        assert feed.findtext(f"{A}rights") == gettext(english.findtext(f"{A}rights"))
    # Our links are in the language; an entry's source link (another site) is not ours.
    ours = [link.get("href") for link in feed.iter(f"{A}link")] + [feed.findtext(f"{A}author/{A}uri")]
    assert ours and all(urlsplit(href).path.startswith(f"/{lang}/") for href in ours), ours
    ids = [feed.findtext(f"{A}id")] + [entry.findtext(f"{A}id") for entry in feed.iter(f"{A}entry")]
    english_ids = [english.findtext(f"{A}id")] + [entry.findtext(f"{A}id") for entry in english.iter(f"{A}entry")]
    assert all(TAG_URI.match(id_) for id_ in ids)
    assert ids == [id_.replace(TAG, f"{TAG}{lang}/", 1) for id_ in english_ids]


@pytest.mark.parametrize("lang", ["uk", "ru"])
def test_a_feed_entry_says_its_words_in_the_language_and_keeps_the_quotes_english(client: TestClient, lang: str) -> None:
    english = {e.findtext(f"{A}id").rsplit("/", 1)[-1]: e for e in parse(client.get("/feed.atom")).iter(f"{A}entry")}
    entries = {e.findtext(f"{A}id").rsplit("/", 1)[-1]: e for e in parse(client.get(f"/{lang}/feed.atom")).iter(f"{A}entry")}
    assert entries.keys() == english.keys()
    content = BeautifulSoup(entries[PUTIN_NATO].findtext(f"{A}content"), "html.parser")
    english_content = BeautifulSoup(english[PUTIN_NATO].findtext(f"{A}content"), "html.parser")
    # "Read it on Truce Explorer" and the facts line are translated; the link goes to the page in the language.
    read = content.select("a")[-1]
    assert read.get_text() != english_content.select("a")[-1].get_text()
    assert urlsplit(read["href"]).path == f"/{lang}/proposals/nato-membership-20-year-delay"
    assert not content.get_text().count("Source:") and english_content.get_text().count("Source:")
    # The quote is as the source printed it, marked as English.
    quotes = content.select("blockquote")
    assert quotes and all(q["lang"] == "en" for q in quotes)
    assert [q.get_text() for q in quotes] == [q.get_text() for q in english_content.select("blockquote")]
    assert not english_content.select("blockquote[lang]")

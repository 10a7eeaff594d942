"""Embeds and oEmbed over HTTP: what the widgets show, who may frame what, and every oEmbed answer."""

import gzip
import re
from urllib.parse import parse_qs, quote, urlsplit

import pytest
from bs4 import BeautifulSoup
from fastapi.testclient import TestClient

from tests.conftest import soup
from tests.page_types import PAGE_TYPES

NATO = "nato-membership-20-year-delay"
PUTIN = "vladimir-putin"
AS_OF = "2024-12-26"
ORIGIN = "http://testserver"
POSITIONS = ["supports", "conditional", "rejects"]

EMBED_URLS = [
    f"/embed/proposals/{NATO}",
    f"/embed/proposals/{NATO}?theme=dark",
    f"/embed/proposals/{NATO}?theme=light&as_of={AS_OF}",
    f"/embed/actors/{PUTIN}",
    f"/embed/actors/{PUTIN}?theme=auto&as_of={AS_OF}",
    "/embed/proposals/no-such-proposal",  # a 404 under /embed/ may be framed too: it shows inside the widget
]
NOT_EMBED_URLS = sorted(
    {url for url, _ in PAGE_TYPES.values() if not url.startswith("/embed/")}
    | {"/api/proposals", f"/oembed?url={ORIGIN}/proposals/{NATO}", "/cite.json", "/static/css/embed.css", "/embedded", "/embed"}
)


# --- framing -----------------------------------------------------------------------------------------


@pytest.mark.parametrize("url", EMBED_URLS)
def test_embeds_may_be_framed_by_any_site(client: TestClient, url: str) -> None:
    response = client.get(url)
    csp = response.headers["content-security-policy"]
    assert "frame-ancestors *" in csp and "frame-ancestors 'none'" not in csp
    assert "x-frame-options" not in response.headers
    # The rest of the policy is as strict as everywhere: nothing loads from elsewhere.
    assert "default-src 'none'; script-src 'self'; style-src 'self'" in csp
    assert "set-cookie" not in response.headers


@pytest.mark.parametrize("url", NOT_EMBED_URLS)
def test_every_other_response_refuses_framing(client: TestClient, url: str) -> None:
    response = client.get(url)
    assert "frame-ancestors 'none'" in response.headers["content-security-policy"]
    assert response.headers["x-frame-options"] == "DENY"


# --- the proposal embed ------------------------------------------------------------------------------


def api(client: TestClient, url: str) -> dict:  # type: ignore[type-arg]
    response = client.get(url)
    assert response.status_code == 200, url
    return response.json()


def group_section(page: BeautifulSoup, position: str):  # type: ignore[no-untyped-def]
    section = page.select_one(f"section.group-{position}")
    assert section is not None, position
    return section


@pytest.mark.parametrize("as_of", [None, AS_OF])
def test_proposal_embed_shows_the_stance_as_the_permalink_does(client: TestClient, as_of: str | None) -> None:
    query = f"?as_of={as_of}" if as_of else ""
    data = api(client, f"/api/proposals/{NATO}{query}")
    page = soup(client.get(f"/embed/proposals/{NATO}{query}"))

    assert page.h1.get_text(strip=True) == data["title"]
    assert page.select_one(".embed-sub").get_text(strip=True) == "Proposed by " + ", ".join(a["name"] for a in data["proposers"])
    for position in POSITIONS:
        section = group_section(page, position)
        # each name says how its stance is known: "(inferred)", "(reported by …)", or nothing when stated
        marks = {"stated": lambda a: "", "inferred": lambda a: " (inferred)", "reported": lambda a: f" (reported by {', '.join(a['reported_by'])})"}
        names = [a["name"] + marks[a["basis"]](a) for a in data["stance"][position]]
        assert section.h2.get_text(" ", strip=True).endswith(f"({len(names)})")
        if names:
            assert section.select_one(".embed-names").get_text(strip=True) == ", ".join(names)
        # One short quote per group, verbatim (or cut with "…") from a reaction in that group.
        # Only a stance stated outright lends its words to the group.
        group_quotes = [
            r["quote"]
            for r in data["reactions"]
            if r["quote"] and r["basis"] == "stated" and ("supports" if r["proposer"] else r["position"]) == position
        ]
        shown = section.select("blockquote p")
        assert len(shown) == (1 if group_quotes else 0)
        if shown:
            text = shown[0].get_text()
            assert any(q == text or (text.endswith("…") and q.startswith(text[:-1])) for q in group_quotes)
            assert len(text) <= 181


def test_proposal_embed_respects_as_of_and_says_so(client: TestClient) -> None:
    now = soup(client.get(f"/embed/proposals/{NATO}"))
    dated = soup(client.get(f"/embed/proposals/{NATO}?as_of={AS_OF}"))
    assert "Sergey Lavrov" in now.get_text() and "Sergey Lavrov" not in dated.get_text()
    assert dated.select_one(".embed-date").get_text(strip=True).startswith("As of 26 December 2024")
    assert now.select_one(".embed-date").get_text(strip=True).startswith("State of play as last reported:")
    # The links go to the same dated view.
    assert all(a["href"] == f"{ORIGIN}/proposals/{NATO}?as_of={AS_OF}" for a in dated.select("a"))


@pytest.mark.parametrize("url", [f"/embed/proposals/{NATO}", f"/embed/actors/{PUTIN}"])
def test_embed_links_back_in_a_new_tab_and_loads_nothing_from_elsewhere(client: TestClient, url: str) -> None:
    response = client.get(url)
    page = soup(response)
    links = page.select("a[href]")
    assert links
    for link in links:
        assert link["href"].startswith(f"{ORIGIN}/")
        assert link["target"] == "_blank" and "noopener" in link["rel"]
    assert page.select_one("main a.embed-more, .embed-more a") is not None
    # No htmx: one tiny script of our own, one stylesheet; every resource from this origin.
    assert [s["src"].split("?")[0] for s in page.find_all("script")] == ["/static/js/embed.js"]
    assert "htmx" not in response.text
    for element in page.find_all(src=True) + page.select("link[href]"):
        target = element.get("src") or element["href"]
        assert target.startswith("/static/") or element.get("rel") == ["canonical"], target


@pytest.mark.parametrize("theme", ["auto", "light", "dark"])
def test_embed_theme(client: TestClient, theme: str) -> None:
    page = soup(client.get(f"/embed/proposals/{NATO}?theme={theme}"))
    assert page.html["data-theme"] == theme
    scheme = page.select_one('meta[name="color-scheme"]')["content"]
    assert scheme == {"auto": "light dark", "light": "light", "dark": "dark"}[theme]


def test_embed_theme_defaults_to_auto(client: TestClient) -> None:
    assert soup(client.get(f"/embed/actors/{PUTIN}")).html["data-theme"] == "auto"


@pytest.mark.parametrize("url", [f"/embed/proposals/{NATO}?theme=blue", f"/embed/actors/{PUTIN}?theme=DARK"])
def test_bad_theme_is_a_422_naming_the_allowed_values(client: TestClient, url: str) -> None:
    response = client.get(url)
    assert response.status_code == 422
    text = soup(response).get_text(" ")
    assert "theme" in text and all(value in text for value in ("auto", "light", "dark"))


@pytest.mark.parametrize(
    ("url", "status", "says"),
    [
        ("/embed/proposals/nato-membership-20-years", 404, "Delay Ukraine’s NATO membership by 20 years"),  # the closest, by title
        ("/embed/actors/nope", 404, "nope"),
        (f"/embed/proposals/{NATO}?as_of=yesterday", 422, "YYYY-MM-DD"),
    ],
)
def test_embed_errors_are_bare_embed_pages(client: TestClient, url: str, status: int, says: str) -> None:
    """Shown inside the host page's frame: framable, no htmx, no site navigation, and saying what is wrong."""
    response = client.get(url)
    assert response.status_code == status
    assert "frame-ancestors *" in response.headers["content-security-policy"]
    page = soup(response)
    assert [s["src"].split("?")[0] for s in page.find_all("script")] == ["/static/js/embed.js"]
    assert page.find("nav") is None and "htmx" not in response.text
    assert says in page.select_one("main").get_text()
    assert all(a["target"] == "_blank" and "noopener" in a["rel"] for a in page.select("a"))


def test_actor_embed_lists_their_stances(client: TestClient) -> None:
    data = api(client, f"/api/actors/{PUTIN}")
    page = soup(client.get(f"/embed/actors/{PUTIN}"))
    assert page.h1.get_text(strip=True) == data["name"]
    for position in POSITIONS:
        expected = {
            r["proposal"]["title"] + (" (proposer)" if r["proposer"] else "") + (" (inferred)" if r["basis"] == "inferred" else "")
            for r in data["reactions"]
            if ("supports" if r["proposer"] else r["position"]) == position
        }
        shown = {li.get_text(strip=True) for li in group_section(page, position).select("li")}
        assert shown == expected, position
    assert any(r["quote"] for r in data["reactions"]) and page.select("blockquote")


@pytest.mark.parametrize("url", [f"/embed/proposals/{NATO}", f"/embed/actors/{PUTIN}"])
def test_embed_weighs_at_most_12_kb_compressed(client: TestClient, url: str) -> None:
    """HTML, CSS and script together, gzipped as the server sends them (favicon aside)."""
    html = client.get(url)
    assert html.headers.get("content-encoding") == "gzip"  # requests ask for it; bytes over 1 KiB are gzipped
    page = soup(html)
    assets = [page.select_one('link[rel="stylesheet"]')["href"], page.find("script")["src"]]
    total = len(gzip.compress(html.content)) + sum(len(gzip.compress(client.get(a).content)) for a in assets)
    assert total <= 12 * 1024, total


# --- the permalink's embed panel -----------------------------------------------------------------------


def test_permalink_offers_the_embed_code_without_js(client: TestClient) -> None:
    page = soup(client.get(f"/proposals/{NATO}"))
    panel = page.select_one("details#embed")
    assert panel is not None and not panel.has_attr("open")
    code = BeautifulSoup(panel.select_one("textarea#embed-code").get_text(), "html.parser").iframe
    assert code["src"] == f"{ORIGIN}/embed/proposals/{NATO}"
    assert int(code["width"]) > 0 and int(code["height"]) > 0 and code["title"].startswith("Truce Explorer: ")
    assert panel.select_one("textarea#embed-code").has_attr("readonly")
    assert panel.select_one("iframe.embed-preview")["src"] == f"/embed/proposals/{NATO}"
    # The theme choice is a plain GET form back to this page.
    form = panel.select_one("form")
    assert form["method"] == "get" and [i["value"] for i in form.select("input[name=embed_theme]")] == ["auto", "light", "dark"]
    snippet = panel.select_one("textarea#embed-snippet").get_text()
    assert len(snippet.strip().splitlines()) <= 15 and "truce-explorer:height" in snippet and f'"{ORIGIN}"' in snippet


def test_permalink_theme_form_opens_the_panel_with_that_code(client: TestClient) -> None:
    page = soup(client.get(f"/proposals/{NATO}?as_of={AS_OF}&embed_theme=dark"))
    panel = page.select_one("details#embed")
    assert panel.has_attr("open")
    assert panel.select_one("input[value=dark]").has_attr("checked")
    code = BeautifulSoup(panel.select_one("textarea#embed-code").get_text(), "html.parser").iframe
    assert parse_qs(urlsplit(code["src"]).query) == {"as_of": [AS_OF], "theme": ["dark"]}
    assert panel.select_one("form input[name=as_of]")["value"] == AS_OF


def test_permalink_bad_embed_theme_is_a_422(client: TestClient) -> None:
    response = client.get(f"/proposals/{NATO}?embed_theme=sepia")
    assert response.status_code == 422 and "embed_theme" in response.text and "dark" in response.text


# --- oEmbed ------------------------------------------------------------------------------------------


def oembed(client: TestClient, url: str, **params: str):  # type: ignore[no-untyped-def]
    return client.get("/oembed", params={"url": url, **params})


def test_oembed_for_a_proposal(client: TestClient) -> None:
    response = oembed(client, f"{ORIGIN}/proposals/{NATO}", format="json")
    assert response.status_code == 200 and response.headers["content-type"] == "application/json"
    answer = response.json()
    title = api(client, f"/api/proposals/{NATO}")["title"]
    assert answer["type"] == "rich" and answer["version"] == "1.0"
    assert answer["title"] == title
    assert answer["provider_name"] == "Truce Explorer" and answer["provider_url"] == f"{ORIGIN}/"
    assert isinstance(answer["cache_age"], int) and answer["cache_age"] > 0
    assert answer["thumbnail_url"] == f"{ORIGIN}/proposals/{NATO}/card.png"
    assert (answer["thumbnail_width"], answer["thumbnail_height"]) == (1200, 630)
    card = client.get(urlsplit(answer["thumbnail_url"]).path)
    assert card.status_code == 200 and card.headers["content-type"] == "image/png"
    frame = BeautifulSoup(answer["html"], "html.parser")
    iframes = frame.find_all("iframe")
    assert len(iframes) == 1 and len(frame.contents) == 1
    assert iframes[0]["src"] == f"{ORIGIN}/embed/proposals/{NATO}"
    assert iframes[0]["title"] == f"Truce Explorer: {title}"
    assert (int(iframes[0]["width"]), int(iframes[0]["height"])) == (answer["width"], answer["height"])
    assert client.get(urlsplit(iframes[0]["src"]).path).status_code == 200


def test_oembed_html_is_escaped(xss_client: TestClient) -> None:
    answer = xss_client.get("/oembed", params={"url": f"{ORIGIN}/proposals/evil-proposal"}).json()
    frame = BeautifulSoup(answer["html"], "html.parser")
    assert [tag.name for tag in frame.find_all(True)] == ["iframe"]
    assert frame.iframe["title"] == f"Truce Explorer: {answer['title']}"
    assert "<script>" in answer["title"] and "<script>" not in answer["html"]


def test_oembed_keeps_as_of_and_theme(client: TestClient) -> None:
    answer = oembed(client, f"{ORIGIN}/proposals/{NATO}?as_of={AS_OF}&theme=dark").json()
    src = BeautifulSoup(answer["html"], "html.parser").iframe["src"]
    assert src == f"{ORIGIN}/embed/proposals/{NATO}?as_of={AS_OF}&theme=dark"


@pytest.mark.parametrize(("maxwidth", "maxheight"), [(None, None), (400, None), (None, 200), (320, 240), (1200, 700), (5000, 5000)])
def test_oembed_size_fits_maxwidth_and_maxheight(client: TestClient, maxwidth: int | None, maxheight: int | None) -> None:
    params = {k: str(v) for k, v in (("maxwidth", maxwidth), ("maxheight", maxheight)) if v}
    answer = oembed(client, f"{ORIGIN}/proposals/{NATO}", **params).json()
    assert answer["width"] <= (maxwidth or 10_000) and answer["height"] <= (maxheight or 10_000)
    assert answer["width"] > 0 and answer["height"] > 0
    iframe = BeautifulSoup(answer["html"], "html.parser").iframe
    assert (int(iframe["width"]), int(iframe["height"])) == (answer["width"], answer["height"])
    # The card exists at 1200x630 only: it is offered when it fits, and then all three fields go together.
    fits = (maxwidth or 10_000) >= 1200 and (maxheight or 10_000) >= 630
    thumbnail_fields = {"thumbnail_url", "thumbnail_width", "thumbnail_height"} & set(answer)
    assert thumbnail_fields == ({"thumbnail_url", "thumbnail_width", "thumbnail_height"} if fits else set())


def test_oembed_default_height_is_sensible(client: TestClient) -> None:
    heights = {slug: oembed(client, f"{ORIGIN}/proposals/{slug}").json()["height"] for slug in (NATO, "biden-2021-nato-delay")}
    assert all(300 <= h <= 1200 for h in heights.values())


def test_oembed_for_an_actor(client: TestClient) -> None:
    answer = oembed(client, f"{ORIGIN}/actors/{PUTIN}?as_of={AS_OF}").json()
    assert answer["type"] == "rich" and answer["title"] == "Vladimir Putin"
    assert BeautifulSoup(answer["html"], "html.parser").iframe["src"] == f"{ORIGIN}/embed/actors/{PUTIN}?as_of={AS_OF}"
    assert "thumbnail_url" not in answer  # actors have no share card


def test_oembed_accepts_an_embed_url_and_either_scheme(client: TestClient) -> None:
    assert oembed(client, f"{ORIGIN}/embed/proposals/{NATO}").status_code == 200
    assert oembed(client, f"https://testserver/proposals/{NATO}").status_code == 200


@pytest.mark.parametrize(
    ("params", "status", "parameter"),
    [
        ({"url": f"https://example.org/proposals/{NATO}"}, 404, "url"),  # not ours
        ({"url": f"{ORIGIN}.evil.example/proposals/{NATO}"}, 404, "url"),
        ({"url": f"javascript:alert(1)//testserver/proposals/{NATO}"}, 404, "url"),
        ({"url": f"{ORIGIN}/matrix"}, 404, "url"),  # ours, but not embeddable
        ({"url": f"{ORIGIN}/proposals/{NATO}/card.png"}, 404, "url"),
        ({"url": f"{ORIGIN}/proposals/no-such-proposal"}, 404, "slug"),
        ({"url": f"{ORIGIN}/actors/nobody"}, 404, "slug"),
        ({"url": f"{ORIGIN}/proposals/{NATO}", "format": "xml"}, 501, "format"),
        ({"url": f"{ORIGIN}/proposals/{NATO}", "format": "yaml"}, 501, "format"),
        ({}, 400, "url"),
        ({"url": ""}, 400, "url"),
        ({"format": "json"}, 400, "url"),
        ({"url": f"{ORIGIN}/proposals/{NATO}", "maxwidth": "wide"}, 422, "maxwidth"),
        ({"url": f"{ORIGIN}/proposals/{NATO}", "maxheight": "0"}, 422, "maxheight"),
        ({"url": f"{ORIGIN}/proposals/{NATO}?as_of=soon"}, 422, "as_of"),
    ],
)
def test_oembed_errors(client: TestClient, params: dict[str, str], status: int, parameter: str) -> None:
    response = client.get("/oembed", params=params)
    assert response.status_code == status
    assert response.headers["content-type"] == "application/json"
    body = response.json()
    assert body["error"] and body["detail"]["parameter"] == parameter


@pytest.mark.parametrize(
    ("page_url", "page"),
    [
        (f"/proposals/{NATO}", f"{ORIGIN}/proposals/{NATO}"),
        (f"/proposals/{NATO}?as_of={AS_OF}", f"{ORIGIN}/proposals/{NATO}?as_of={AS_OF}"),
        (f"/actors/{PUTIN}", f"{ORIGIN}/actors/{PUTIN}"),
    ],
)
def test_oembed_discovery_link(client: TestClient, page_url: str, page: str) -> None:
    links = soup(client.get(page_url)).select('link[rel="alternate"][type="application/json+oembed"]')
    assert len(links) == 1
    href = links[0]["href"]
    assert href == f"{ORIGIN}/oembed?url={quote(page, safe='')}&format=json"
    answer = client.get(urlsplit(href).path + "?" + urlsplit(href).query)
    assert answer.status_code == 200 and answer.json()["type"] == "rich"


def test_embed_code_is_the_same_on_the_permalink_and_in_oembed(client: TestClient) -> None:
    panel_code = soup(client.get(f"/proposals/{NATO}")).select_one("textarea#embed-code").get_text()
    assert panel_code == oembed(client, f"{ORIGIN}/proposals/{NATO}").json()["html"]
    assert re.search(r'height="\d+"', panel_code)


def test_readme_documents_the_snippet_the_panel_shows(client: TestClient) -> None:
    from app.embeds import resize_snippet
    from tests.conftest import ROOT

    snippet = resize_snippet("https://truce.example.org")
    assert snippet in (ROOT / "README.md").read_text()
    assert len(snippet.splitlines()) <= 15
    shown = soup(client.get(f"/proposals/{NATO}")).select_one("textarea#embed-snippet").get_text()
    assert shown == resize_snippet(ORIGIN)


# --- languages ------------------------------------------------------------------------------------


@pytest.mark.parametrize("lang", ["uk", "ru"])
def test_oembed_for_a_page_in_a_language_answers_in_it(client: TestClient, lang: str) -> None:
    """url=…/uk/proposals/<slug>: the iframe is /uk/embed/…, the card /uk/…/card.png, the title the
    one the Ukrainian page gives; /oembed itself stays where it is, and the English answer is as it was."""
    answer = oembed(client, f"{ORIGIN}/{lang}/proposals/{NATO}?theme=dark").json()
    english = oembed(client, f"{ORIGIN}/proposals/{NATO}?theme=dark").json()
    page = soup(client.get(f"/{lang}/proposals/{NATO}"))
    assert answer["title"] == page.h1.get_text(strip=True)
    frame = BeautifulSoup(answer["html"], "html.parser").iframe
    assert frame["src"] == f"{ORIGIN}/{lang}/embed/proposals/{NATO}?theme=dark"
    assert frame["title"] == f"Truce Explorer: {answer['title']}"
    assert answer["thumbnail_url"] == f"{ORIGIN}/{lang}/proposals/{NATO}/card.png"
    assert answer["provider_url"] == f"{ORIGIN}/{lang}/"
    assert client.get(urlsplit(frame["src"]).path, params={"theme": "dark"}).status_code == 200
    assert BeautifulSoup(english["html"], "html.parser").iframe["src"] == f"{ORIGIN}/embed/proposals/{NATO}?theme=dark"
    assert english["provider_url"] == f"{ORIGIN}/"
    # An actor page too; an unknown slug in a language is the same English JSON 404.
    actor = oembed(client, f"{ORIGIN}/{lang}/actors/{PUTIN}").json()
    assert BeautifulSoup(actor["html"], "html.parser").iframe["src"] == f"{ORIGIN}/{lang}/embed/actors/{PUTIN}"
    missing = oembed(client, f"{ORIGIN}/{lang}/proposals/nato")
    assert missing.status_code == 404
    assert missing.json() == oembed(client, f"{ORIGIN}/proposals/nato").json()


@pytest.mark.parametrize("lang", ["uk", "ru"])
def test_the_embed_panel_hands_out_the_embed_in_the_page_language(client: TestClient, lang: str) -> None:
    page = soup(client.get(f"/{lang}/proposals/{NATO}"))
    codes = [BeautifulSoup(code.get_text(), "html.parser").iframe for code in page.select("textarea, pre") if "<iframe" in code.get_text()]
    assert codes
    assert all(frame["src"].startswith(f"{ORIGIN}/{lang}/embed/proposals/{NATO}") for frame in codes), [f["src"] for f in codes]
    english = soup(client.get(f"/proposals/{NATO}"))
    assert all(
        BeautifulSoup(code.get_text(), "html.parser").iframe["src"].startswith(f"{ORIGIN}/embed/")
        for code in english.select("textarea, pre") if "<iframe" in code.get_text()
    )


@pytest.mark.parametrize("lang", ["uk", "ru"])
def test_an_actor_embed_says_proposer_in_the_language(client: TestClient, lang: str) -> None:
    english = client.get("/embed/actors/trump-team").text
    embed = client.get(f"/{lang}/embed/actors/trump-team")
    assert embed.status_code == 200
    assert "(proposer)" in english and "(proposer)" not in embed.text

"""Citations and machine-readable metadata, read back with other people's parsers: bibtexparser for
BibTeX, extruct for schema.org JSON-LD, citeproc-py's own CSL-JSON reader for the downloads."""

import datetime as dt
import json

import bibtexparser
import extruct
import pytest
from fastapi.testclient import TestClient

from tests.conftest import soup

NATO = "nato-membership-20-year-delay"
AS_OF = "2024-12-26"
ORIGIN = "http://testserver"


def version_of(client: TestClient) -> str:
    return client.get("/healthz").json()["data_version"][:12]


def today() -> dt.date:
    return dt.datetime.now(dt.UTC).date()


def accessed_texts() -> list[str]:
    """The access date as the styles write it: 'November 29, 2026' (APA, Chicago), '2026-11-29' (BibTeX)."""
    day = today()
    return [f"{day:%B} {day.day}, {day.year}", day.isoformat()]


@pytest.mark.parametrize(
    ("page_url", "permalink", "title_source"),
    [
        (f"/proposals/{NATO}", f"{ORIGIN}/proposals/{NATO}", f"/api/proposals/{NATO}"),
        (f"/proposals/{NATO}?as_of={AS_OF}", f"{ORIGIN}/proposals/{NATO}?as_of={AS_OF}", f"/api/proposals/{NATO}"),
        ("/download", f"{ORIGIN}/download", None),
    ],
)
def test_cite_this_panel(client: TestClient, page_url: str, permalink: str, title_source: str | None) -> None:
    page = soup(client.get(page_url))
    panel = page.select_one("details#cite")
    assert panel is not None
    headings = [h.get_text(strip=True) for h in panel.select("h3")]
    assert headings == ["APA (7th edition)", "Chicago (author-date)", "BibTeX"]
    title = client.get(title_source).json()["title"] if title_source else "Truce Explorer: proposals for a Russia–Ukraine truce"
    version = version_of(client)
    apa, chicago = (p.get_text() for p in panel.select("p.reference"))
    for reference in (apa, chicago):
        assert "Truce Explorer" in reference and permalink in reference and version in reference
    assert title in apa  # Chicago title-cases it
    assert title.lower() in chicago.lower()
    assert accessed_texts()[0] in apa and accessed_texts()[0] in chicago
    assert apa.startswith("Truce Explorer. (n.d.).") and "Retrieved" in apa
    assert chicago.startswith("Truce Explorer. n.d.") and "Accessed" in chicago

    # The BibTeX shown is the BibTeX served, and bibtexparser reads it.
    shown = panel.select_one("pre.bibtex").get_text()
    links = {a.get_text(strip=True): a["href"] for a in panel.select("a[download]")}
    served = client.get(links["BibTeX"])
    assert served.status_code == 200 and served.headers["content-type"].startswith("application/x-bibtex")
    assert served.text == shown
    check_bibtex(shown, title, permalink, version)

    csl = client.get(links["CSL-JSON"])
    assert csl.status_code == 200 and csl.headers["content-type"] == "application/vnd.citationstyles.csl+json"
    check_csl(csl.json(), title, permalink, version)


def check_bibtex(text: str, title: str, permalink: str, version: str) -> None:
    library = bibtexparser.parse_string(text)
    assert not library.failed_blocks, library.failed_blocks
    assert len(library.entries) == 1
    entry = library.entries[0]
    fields = entry.fields_dict
    assert entry.entry_type == "misc"
    assert fields["title"].value.strip("{}").startswith(title[:30])
    assert fields["author"].value == "{Truce Explorer}"
    assert fields["url"].value == permalink
    assert fields["version"].value == version
    assert fields["urldate"].value == today().isoformat()
    assert version in fields["note"].value and today().isoformat() in fields["note"].value


def check_csl(items: list, title: str, permalink: str, version: str) -> None:  # type: ignore[type-arg]
    from citeproc.source.json import CiteProcJSON

    assert len(items) == 1
    item = items[0]
    assert item["title"].startswith(title) and item["URL"] == permalink and item["version"] == version
    assert item["author"] == [{"literal": "Truce Explorer"}]
    day = today()
    assert item["accessed"] == {"date-parts": [[day.year, day.month, day.day]]}
    # A CSL processor reads it.
    source = CiteProcJSON(items)
    assert str(source[item["id"]]["title"]) == item["title"] and str(source[item["id"]]["URL"]) == permalink


def test_bibtex_escapes_what_latex_would_read_as_commands(xss_client: TestClient) -> None:
    text = xss_client.get("/proposals/evil-proposal/cite.bib").text
    library = bibtexparser.parse_string(text)
    assert not library.failed_blocks and len(library.entries) == 1
    title = library.entries[0].fields_dict["title"].value
    # Braces in the data cannot close the field early, and a backslash is text.
    assert title.startswith("{") and title.endswith("}")
    assert "\\{\\{7*7\\}\\}" in title


def test_reference_is_escaped(xss_client: TestClient) -> None:
    page = soup(xss_client.get("/proposals/evil-proposal"))
    apa = page.select("details#cite p.reference")[0]
    assert "<script>alert('title')</script>" in apa.get_text() and apa.find("script") is None


@pytest.mark.parametrize("url", ["/proposals/nope/cite.json", "/proposals/nope/cite.bib"])
def test_citation_of_an_unknown_proposal_is_a_404(client: TestClient, url: str) -> None:
    assert client.get(url).status_code == 404


def test_citation_of_a_bad_as_of_is_a_422(client: TestClient) -> None:
    response = client.get(f"/proposals/{NATO}/cite.json?as_of=2024-13-01")
    assert response.status_code == 422 and response.json()["detail"]["parameter"] == "as_of"


def test_highwire_citation_tags_on_permalinks(client: TestClient) -> None:
    page = soup(client.get(f"/proposals/{NATO}?as_of={AS_OF}"))
    tags = {m["name"]: m["content"] for m in page.select('meta[name^="citation_"]')}
    data = client.get(f"/api/proposals/{NATO}").json()
    assert tags["citation_title"] == data["title"]
    assert tags["citation_author"] == "Truce Explorer"
    assert tags["citation_publisher"] == "Truce Explorer"
    assert tags["citation_public_url"] == f"{ORIGIN}/proposals/{NATO}?as_of={AS_OF}"
    imported = client.get("/healthz").json()["imported_at"][:10]
    assert tags["citation_publication_date"] == imported.replace("-", "/")


def json_ld(client: TestClient, url: str) -> list[dict]:  # type: ignore[type-arg]
    response = client.get(url)
    assert response.status_code == 200
    return extruct.extract(response.text, base_url=ORIGIN + url, syntaxes=["json-ld"], uniform=True)["json-ld"]


@pytest.mark.parametrize("url", ["/download", "/about"])
def test_dataset_json_ld(client: TestClient, url: str) -> None:
    items = json_ld(client, url)
    assert [i["@type"] for i in items] == ["Dataset"]
    dataset = items[0]
    assert dataset["@context"] == "https://schema.org"
    assert dataset["name"].startswith("Truce Explorer") and dataset["description"]
    assert dataset["url"] == f"{ORIGIN}/download"
    assert dataset["version"] == version_of(client)
    assert dataset["license"] == f"{ORIGIN}/about#licence"
    assert dataset["creator"]["name"] == "Truce Explorer"
    formats = {d["encodingFormat"]: d["contentUrl"] for d in dataset["distribution"]}
    assert formats["application/vnd.sqlite3"] == f"{ORIGIN}/download/truce.db"
    assert formats["text/csv"].startswith(f"{ORIGIN}/") and formats["application/json"].startswith(f"{ORIGIN}/api/")
    for download in dataset["distribution"]:
        assert download["@type"] == "DataDownload"
        assert client.get(download["contentUrl"].removeprefix(ORIGIN)).status_code == 200
    # The licence the Dataset points at is on the page it names.
    assert soup(client.get("/about")).find(id="licence") is not None


def test_proposal_json_ld(client: TestClient) -> None:
    items = json_ld(client, f"/proposals/{NATO}?as_of={AS_OF}")
    assert [i["@type"] for i in items] == ["CreativeWork"]
    work = items[0]
    data = client.get(f"/api/proposals/{NATO}").json()
    assert work["name"] == data["title"] and work["description"] == data["summary"]
    assert work["url"] == f"{ORIGIN}/proposals/{NATO}?as_of={AS_OF}"
    assert work["isPartOf"] == {"@type": "Dataset", "name": work["isPartOf"]["name"], "url": f"{ORIGIN}/download"}
    assert work["version"] == version_of(client)
    assert {m["name"] for m in work["mentions"]} == {p["name"] for p in data["proposers"]}


def test_json_ld_cannot_be_broken_out_of(xss_client: TestClient) -> None:
    """Hostile text with </script> stays inside the data block, and reads back exactly."""
    response = xss_client.get("/proposals/evil-proposal")
    title = xss_client.get("/api/proposals/evil-proposal").json()["title"]
    assert "</script>" in title
    block = response.text.split('<script type="application/ld+json">', 1)[1].split("</script>", 1)[0]
    assert "<" not in block and ">" not in block
    assert json.loads(block)["name"] == title
    items = extruct.extract(response.text, syntaxes=["json-ld"], uniform=True)["json-ld"]
    assert [i["name"] for i in items] == [title]


# --- languages ------------------------------------------------------------------------------------


def csl_term(locale: str, name: str, form: str | None = None) -> str:
    """A term of citeproc-py's own CSL locale file (locales-uk-UA.xml), as a style prints it."""
    import xml.etree.ElementTree as ET
    from pathlib import Path

    import citeproc

    ns = {"csl": "http://purl.org/net/xbiblio/csl"}
    root = ET.parse(Path(citeproc.__file__).parent / "data" / "locales" / f"locales-{locale}.xml").getroot()
    for term in root.iterfind("csl:terms/csl:term", ns):
        if term.get("name") == name and term.get("form") == form:
            return term.text or ""
    raise KeyError(name)


@pytest.mark.parametrize(("lang", "csl_locale"), [("uk", "uk-UA"), ("ru", "ru-RU")])
def test_a_page_in_a_language_cites_in_its_csl_locale(client: TestClient, lang: str, csl_locale: str) -> None:
    """APA and Chicago rendered with CSL's own locale of the page's language: its "retrieved" and
    "accessed" terms and its month names; our own words in the item (the genre) translated."""
    panel = soup(client.get(f"/{lang}/proposals/{NATO}")).select_one("details#cite")
    apa, chicago = (p.get_text() for p in panel.select("p.reference"))
    day = today()
    retrieved, accessed = csl_term(csl_locale, "retrieved"), csl_term(csl_locale, "accessed")
    assert retrieved.capitalize() in apa and "Retrieved" not in apa
    assert accessed.capitalize() in chicago and "Accessed" not in chicago
    months = {csl_term(csl_locale, f"month-{day.month:02d}"), csl_term(csl_locale, f"month-{day.month:02d}", "short")}
    assert any(month in apa for month in months) and f"{day:%B}" not in apa
    assert f"{ORIGIN}/{lang}/proposals/{NATO}" in apa
    assert apa.startswith(f"Truce Explorer. ({csl_term(csl_locale, 'no date', 'short')}).")
    # English is cited as it always was (its own test above), with no language named in the item.
    english = client.get(f"/proposals/{NATO}/cite.json").json()[0]
    item = client.get(f"/{lang}/proposals/{NATO}/cite.json").json()[0]
    assert "language" not in english and item["language"] == lang
    assert english["genre"] == "Data set" and item["genre"] != "Data set"
    assert item["URL"] == f"{ORIGIN}/{lang}/proposals/{NATO}"
    bib = client.get(f"/{lang}/proposals/{NATO}/cite.bib").text
    assert "Data version" not in bib and day.isoformat() in bib
    tags = {m["name"]: m["content"] for m in soup(client.get(f"/{lang}/proposals/{NATO}")).select('meta[name^="citation_"]')}
    assert tags["citation_language"] == lang


@pytest.mark.parametrize("lang", ["uk", "ru"])
def test_json_ld_names_the_page_language(client: TestClient, lang: str) -> None:
    work = json_ld(client, f"/{lang}/proposals/{NATO}")[0]
    dataset = json_ld(client, f"/{lang}/download")[0]
    assert work["inLanguage"] == dataset["inLanguage"] == lang
    assert dataset["name"] != json_ld(client, "/download")[0]["name"]
    assert json_ld(client, "/download")[0]["inLanguage"] == "en"

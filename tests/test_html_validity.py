"""Every page type, and the page as htmx leaves it after a swap, is valid HTML by the Nu HTML Checker (vnu).

All documents go through one `java -jar vnu.jar` run. Errors fail the test of their page; warnings are
printed. Without Java or the jar this skips, unless REQUIRE_BROWSER=1, where it fails."""

import json
import os
import re
import shutil
import subprocess
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from bs4 import BeautifulSoup, Tag

from tests.conftest import ROOT
from tests.page_types import LANGUAGE_PAGE_TYPES, PAGE_TYPES, PAGED_PAGE_TYPES

VNU_JAR = ROOT / "node_modules" / "vnu-jar" / "build" / "dist" / "vnu.jar"
HX = {"HX-Request": "true"}

PAGES = {**PAGE_TYPES, **LANGUAGE_PAGE_TYPES}
# (page shown before the swap, URL htmx then asks for with HX-Request: true)
SWAPS = {
    "swap-filtered": ("/", "/?actor=vladimir-putin&position=rejects"),
    "swap-search": ("/", "/?q=peacekeeping"),
    "swap-no-results": ("/?actor=vladimir-putin", "/?actor=vladimir-putin&position=conditional"),
    "swap-matrix": ("/matrix", "/matrix?position=rejects"),
    "swap-as-of": ("/", "/?as_of=2024-12-01"),
    "swap-timeline": ("/timeline", "/timeline?actor=vladimir-putin"),
    "swap-compare": ("/compare", "/compare?a=vladimir-putin&b=volodymyr-zelenskyy"),
    "swap-filtered-uk": ("/uk/", "/uk/?actor=vladimir-putin&position=rejects"),
    "swap-matrix-ru": ("/ru/matrix", "/ru/matrix?position=rejects"),
}


def skip_or_fail(reason: str) -> None:
    if os.environ.get("REQUIRE_BROWSER") == "1":
        pytest.fail(f"REQUIRE_BROWSER=1 but {reason}", pytrace=False)
    pytest.skip(reason)


def oob_target_id(element: Tag) -> tuple[str, str]:
    """(swap style, id of the page element it lands in) for an element carrying data-hx-swap-oob."""
    value = element["data-hx-swap-oob"]
    style, _, selector = value.partition(":")
    if style == "true":
        style = "outerHTML"
    if not selector:
        assert element.get("id"), f"out-of-band element without id or target: {element}"
        return style, element["id"]
    assert re.fullmatch(r"#[A-Za-z][\w-]*", selector), f"only #id targets are modelled here, not {value!r}"
    return style, selector[1:]


def page_after_swap(full_html: str, fragment_html: str) -> str:
    """The document htmx shows after swapping this fragment into this page: out-of-band elements moved
    into the page by id, the fragment's <title> made the document title, the rest put inside #results."""
    page = BeautifulSoup(full_html, "html.parser")
    fragment = BeautifulSoup(fragment_html, "html.parser")
    assert fragment.find("html") is None and fragment.find("body") is None, "a fragment must not be a whole page"

    for element in fragment.select("[data-hx-swap-oob]"):
        style, target_id = oob_target_id(element)
        target = page.find(id=target_id)
        assert target is not None, f"out-of-band target #{target_id} is not in the page (htmx would drop it)"
        element.extract()
        if style == "innerHTML":
            target.clear()
            for child in list(element.contents):
                target.append(child.extract())
        elif style == "outerHTML":
            del element["data-hx-swap-oob"]
            target.replace_with(element)
        else:
            raise AssertionError(f"swap style {style!r} is not modelled here")

    title = fragment.find("title")
    if title is not None:
        page.title.string = title.get_text()
        title.extract()

    results = page.find(id="results")
    assert results is not None, "the page has no #results to swap into"
    results.clear()
    for child in list(fragment.contents):
        results.append(child.extract())
    return str(page)


@pytest.fixture(scope="module")
def fetched(client: Any, synth_client: Any) -> dict[str, str | AssertionError]:
    """Each document's HTML, or why it could not be built (reported by that document's own test)."""
    docs: dict[str, str | AssertionError] = {}
    # Paged page types need more data than the seeds hold: they come from the synthetic data set.
    pages = [(name, page, client) for name, page in PAGES.items()]
    pages += [(name, page, synth_client) for name, page in PAGED_PAGE_TYPES.items()]
    for name, (url, status), source in pages:
        response = source.get(url)
        ok = response.status_code == status
        docs[name] = response.text if ok else AssertionError(f"GET {url} answered {response.status_code}, not {status}")
    for name, (start, url) in SWAPS.items():
        full, fragment = client.get(start), client.get(url, headers=HX)
        try:
            assert full.status_code == 200, f"GET {start} answered {full.status_code}"
            assert fragment.status_code == 200, f"GET {url} with HX-Request answered {fragment.status_code}"
            docs[name] = page_after_swap(full.text, fragment.text)
        except AssertionError as exc:
            docs[name] = exc
    return docs


@pytest.fixture(scope="module")
def documents(fetched: dict[str, str | AssertionError]) -> dict[str, str]:
    return {name: html for name, html in fetched.items() if isinstance(html, str)}


@pytest.fixture(scope="module")
def vnu_messages(
    documents: dict[str, str], tmp_path_factory: pytest.TempPathFactory, request: pytest.FixtureRequest
) -> Iterator[dict[str, list[dict[str, Any]]]]:
    """Runs the checker once over every document; yields its messages grouped by document name."""
    java = shutil.which("java")
    if java is None:
        skip_or_fail("java is not installed (apt-get install default-jre-headless)")
    if not VNU_JAR.exists():
        skip_or_fail(f"the Nu HTML Checker is missing at {VNU_JAR.relative_to(ROOT)} (npm install)")

    folder = tmp_path_factory.mktemp("vnu")
    files = {}
    for name, html in documents.items():
        path = folder / f"{name}.html"
        path.write_text(html, encoding="utf-8")
        files[path.resolve().as_uri()] = name
    result = subprocess.run(
        [java, "-jar", str(VNU_JAR), "--format", "json", "--stdout", *map(str, sorted(folder.glob("*.html")))],
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert result.returncode in (0, 1), f"vnu failed to run ({result.returncode}):\n{result.stderr}"
    messages: dict[str, list[dict[str, Any]]] = {name: [] for name in documents}
    for message in json.loads(result.stdout)["messages"]:
        name = files.get(Path(message.get("url", "").removeprefix("file:")).resolve().as_uri())
        assert name is not None, f"vnu message about an unknown file: {message}"
        messages[name].append(message)
    assert (result.returncode == 1) == any(m["type"] != "info" for ms in messages.values() for m in ms)

    warnings = [(name, m) for name, ms in messages.items() for m in ms if m["type"] == "info"]
    reporter = request.config.pluginmanager.get_plugin("terminalreporter")
    if warnings and reporter is not None:
        reporter.write_line(f"\nNu HTML Checker: {len(warnings)} warning(s)", yellow=True)
        for name, message in warnings:
            reporter.write_line(f"  {name}: {describe(message)}")
    yield messages


def describe(message: dict[str, Any]) -> str:
    where = f"line {message.get('lastLine', '?')}"
    extract = (message.get("extract") or "").strip().replace("\n", " ")
    return f"{where}: {message['message']} [{extract[:120]}]"


@pytest.mark.parametrize("name", [*PAGES, *PAGED_PAGE_TYPES, *SWAPS])
def test_document_is_valid_html(
    fetched: dict[str, str | AssertionError], vnu_messages: dict[str, list[dict[str, Any]]], name: str
) -> None:
    if isinstance(fetched[name], AssertionError):
        raise fetched[name]
    assert "<main" in fetched[name]
    messages = vnu_messages[name]
    for message in messages:
        if message["type"] == "info":
            print(f"warning: {describe(message)}")
    errors = [m for m in messages if m["type"] != "info"]
    assert not errors, f"{name}: {len(errors)} error(s) from the Nu HTML Checker:\n" + "\n".join(map(describe, errors))


def test_swapped_page_shows_the_new_results_and_options(documents: dict[str, str]) -> None:
    """The model of an htmx swap used above is faithful: new cards, counts and title, no stray out-of-band elements."""
    page = BeautifulSoup(documents["swap-filtered"], "html.parser")
    assert [h2["id"] for h2 in page.select("#results .card-title")] == [
        "title-nato-membership-20-year-delay",
        "title-biden-2021-nato-delay",
    ]
    assert page.select_one("#filter-actor option[selected]")["value"] == "vladimir-putin"
    assert page.select_one("#filter-position option[selected]")["value"] == "rejects"
    assert page.select_one("#result-status").get_text(strip=True).startswith("2 of ")
    assert page.title.get_text().startswith("Proposals Vladimir Putin rejects")
    assert not page.select("[data-hx-swap-oob]") and len(page.find_all("title")) == 1


def test_checker_catches_invalid_html(tmp_path: Path) -> None:
    """The check bites: the checker must reject a document with a planted error."""
    java = shutil.which("java")
    if java is None or not VNU_JAR.exists():
        skip_or_fail("java or the Nu HTML Checker jar is missing")
    bad = tmp_path / "bad.html"
    bad.write_text('<!doctype html><html lang="en"><title>x</title><p hx-get="/">x</p><ul><div>no</div></ul>', encoding="utf-8")
    result = subprocess.run(
        [java, "-jar", str(VNU_JAR), "--format", "json", "--stdout", str(bad)], capture_output=True, text=True, timeout=60
    )
    assert result.returncode == 1
    errors = [m["message"] for m in json.loads(result.stdout)["messages"] if m["type"] == "error"]
    assert any("hx-get" in e for e in errors) and any("div" in e for e in errors)

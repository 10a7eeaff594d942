"""Real oEmbed consumers against `truce serve` over real HTTP: micawber (the provider registry a CMS
plugin uses) and pyembed (which discovers the endpoint from the page's <link rel="alternate">)."""

import json
from typing import Any
from urllib.parse import urlsplit

import micawber
import pytest
from bs4 import BeautifulSoup
from pyembed.core import PyEmbed
from pyembed.core.consumer import get_first_oembed_response
from pyembed.core.discovery import AutoDiscoverer

# `truce serve` on a free port over a freshly seeded database (no browser needed).
from tests.browser.conftest import live_server  # noqa: F401

NATO = "nato-membership-20-year-delay"
PUTIN = "vladimir-putin"


@pytest.fixture(scope="module")
def registry(live_server: str, tmp_path_factory: pytest.TempPathFactory) -> Any:  # noqa: F811
    """micawber configured the way it configures every provider: from an oembed.com-style providers file."""
    providers = [
        {
            "provider_name": "Truce Explorer",
            "provider_url": live_server + "/",
            "endpoints": [
                {"schemes": [f"{live_server}/proposals/*", f"{live_server}/actors/*"], "url": f"{live_server}/oembed"}
            ],
        }
    ]
    path = tmp_path_factory.mktemp("micawber") / "providers.json"
    path.write_text(json.dumps(providers))
    return micawber.bootstrap_oembed(providers_file=str(path))


def test_micawber_embeds_a_proposal(registry: Any, live_server: str) -> None:  # noqa: F811
    url = f"{live_server}/proposals/{NATO}"
    answer = registry.request(url)
    assert answer["type"] == "rich" and answer["version"] == "1.0"
    assert answer["provider_name"] == "Truce Explorer"
    iframe = BeautifulSoup(answer["html"], "html.parser").iframe
    assert iframe["src"] == f"{live_server}/embed/proposals/{NATO}"
    assert answer["thumbnail_url"] == f"{url}/card.png"
    # micawber turns the pasted link in a text into the embed, as a CMS does.
    html = registry.parse_text(f"Read this:\n\n{url}\n")
    assert f'src="{live_server}/embed/proposals/{NATO}"' in html


def test_micawber_passes_maxwidth(registry: Any, live_server: str) -> None:  # noqa: F811
    answer = registry.request(f"{live_server}/actors/{PUTIN}?as_of=2024-12-26", maxwidth=300)
    assert answer["width"] <= 300 and answer["height"] <= 300 * 16 // 9  # micawber adds maxheight
    assert "as_of=2024-12-26" in BeautifulSoup(answer["html"], "html.parser").iframe["src"]


def test_micawber_sees_the_errors(registry: Any, live_server: str) -> None:  # noqa: F811
    with pytest.raises(micawber.ProviderException) as error:
        registry.request(f"{live_server}/proposals/no-such-proposal")
    assert "404" in str(error.value)


@pytest.mark.parametrize("path", [f"/proposals/{NATO}", f"/proposals/{NATO}?as_of=2024-12-26", f"/actors/{PUTIN}"])
def test_pyembed_discovers_the_endpoint_from_the_page(live_server: str, path: str) -> None:  # noqa: F811
    url = live_server + path
    endpoints = list(AutoDiscoverer().get_oembed_urls(url))
    assert len(endpoints) == 1 and urlsplit(endpoints[0]).path == "/oembed"
    response = get_first_oembed_response(endpoints, max_width=480)
    assert response.type == "rich" and response.width <= 480
    # pyembed's own renderer puts our iframe in the host page.
    html = PyEmbed(discoverer=AutoDiscoverer()).embed(url)
    iframe = BeautifulSoup(html, "html.parser").iframe
    assert iframe is not None and urlsplit(iframe["src"]).path.startswith("/embed/")


def test_pyembed_finds_nothing_on_pages_that_are_not_embeddable(live_server: str) -> None:  # noqa: F811
    assert list(AutoDiscoverer().get_oembed_urls(f"{live_server}/matrix")) == []


def test_the_embed_the_consumers_get_is_served(live_server: str, registry: Any) -> None:  # noqa: F811
    import urllib.request

    src = BeautifulSoup(registry.request(f"{live_server}/proposals/{NATO}")["html"], "html.parser").iframe["src"]
    with urllib.request.urlopen(src) as response:
        assert response.status == 200 and "frame-ancestors *" in response.headers["content-security-policy"]
        assert b"<h1>" in response.read()

"""Atom 1.0 (RFC 4287) from a Feed view model, built with ElementTree so that every text is escaped.

Entry content is HTML (type="html"): composed with markupsafe, which escapes every value it is given,
then escaped once more as XML text by ElementTree, as the format requires.

A feed is in the request's language (/uk/feed.atom is Ukrainian: xml:lang, its words, its links);
the quotes stay English, marked so."""

import datetime as dt
import re
import xml.etree.ElementTree as ET
from collections.abc import Callable

from markupsafe import Markup

from app.i18n import DEFAULT_LOCALE, N_, current_locale, gettext as _
from app.schemas import Feed, FeedEntry

ATOM_NS = "http://www.w3.org/2005/Atom"
MEDIA_TYPE = "application/atom+xml; charset=utf-8"
RIGHTS = N_(
    "Quotes are short excerpts from the cited article, used for commentary; titles and summaries are "
    "Truce Explorer’s own words. Code: MIT licence."
)
# Characters XML 1.0 does not allow; a stray one would make the whole feed unreadable.
_NOT_XML = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\ufffe\uffff]")


def _clean(text: str) -> str:
    return _NOT_XML.sub("", text)


def rfc3339(value: dt.date | dt.datetime) -> str:
    """An Atom date: a full date-time in UTC. A day stands for its first instant."""
    if not isinstance(value, dt.datetime):
        value = dt.datetime(value.year, value.month, value.day, tzinfo=dt.timezone.utc)
    elif value.tzinfo is None:
        value = value.replace(tzinfo=dt.timezone.utc)
    return value.astimezone(dt.timezone.utc).strftime("%Y-%m-%dT%H:%M:%SZ")


def _el(parent: ET.Element, tag: str, text: str | None = None, **attrs: str) -> ET.Element:
    element = ET.SubElement(parent, tag, attrs)
    if text is not None:
        element.text = _clean(text)
    return element


def _date_lead(entry: FeedEntry) -> str:
    """The date at its true precision, as a sentence start: 'A Sunday after 26 December 2024'."""
    label = entry.date.label
    return label[:1].upper() + label[1:]


def summary_text(entry: FeedEntry) -> str:
    """Plain text, led by the date at its true precision, so readers see how exact it is."""
    return f"{_date_lead(entry)}: {entry.summary}"


def _filled(template: str, **values: object) -> Markup:
    """A translated message holding markup, filled in; the values are escaped."""
    return Markup(template) % values


def content_html(entry: FeedEntry, page_url: str) -> str:
    parts = [Markup("<p><strong>{}</strong>: {}</p>").format(_date_lead(entry), entry.summary)]
    # The quotes as the source printed them: English, whatever the feed's language.
    quote_html = "<blockquote><p>“{}”</p></blockquote>" if current_locale() == DEFAULT_LOCALE else '<blockquote lang="en"><p>“{}”</p></blockquote>'
    for quote in entry.quotes or ([entry.quote] if entry.quote else []):
        parts.append(Markup(quote_html).format(quote))
    if entry.condition:
        parts.append(Markup("<p>{}</p>").format(_filled(_("<strong>Condition:</strong> %(condition)s"), condition=entry.condition)))
    if entry.reported_by:
        reported = _("<strong>Reported by %(name)s:</strong> their account of this stance, not the actor’s own words on the record.")
        parts.append(Markup("<p>{}</p>").format(_filled(reported, name=entry.reported_by)))
    if entry.rationale:
        parts.append(Markup("<p>{}</p>").format(_filled(_("<strong>Inferred, our reading:</strong> %(rationale)s"), rationale=entry.rationale)))
    facts = [_filled(_("Date: %(date)s"), date=entry.date.label)]
    if entry.evidence_label:
        facts.append(_filled(_("Evidence: %(evidence)s"), evidence=entry.evidence_label))
    if (source := entry.source) is not None:
        source_name = Markup("{} — {}, {}, {}").format(source.title, source.outlet, source.kind, source.date.label)
        if source.url.startswith(("https://", "http://")):  # never a javascript: or other scheme from seed text
            source_name = Markup('<a href="{}">{}</a>').format(source.url, source_name)
        facts.append(_filled(_("Source: %(source)s"), source=source_name))
    parts.append(Markup("<p>{}</p>").format(Markup(" · ").join(facts)))
    parts.append(Markup('<p><a href="{}">{}</a></p>').format(page_url, _("Read it on Truce Explorer")))
    return _clean(str(Markup("\n").join(parts)))


def render_atom(feed: Feed, absolute_url: Callable[[str], str]) -> bytes:
    # Unprefixed names in the Atom namespace, declared once on the root: ElementTree's own namespace
    # handling would prefix every element or refuse the unqualified attributes (rel, href).
    root = ET.Element("feed", {"xmlns": ATOM_NS, "xml:lang": current_locale()})
    _el(root, "id", feed.id)
    _el(root, "title", feed.title, type="text")
    _el(root, "subtitle", feed.subtitle, type="text")
    _el(root, "updated", rfc3339(feed.updated))
    _el(root, "link", rel="self", type="application/atom+xml", href=absolute_url(feed.path))
    # A paged feed (RFC 5005): the newest entries first, older ones a rel=next away.
    if feed.next_path or feed.prev_path:
        _el(root, "link", rel="first", type="application/atom+xml", href=absolute_url(feed.first_path))
    if feed.prev_path:
        _el(root, "link", rel="previous", type="application/atom+xml", href=absolute_url(feed.prev_path))
    if feed.next_path:
        _el(root, "link", rel="next", type="application/atom+xml", href=absolute_url(feed.next_path))
    _el(root, "link", rel="alternate", type="text/html", href=absolute_url(feed.page_path))
    author = _el(root, "author")
    _el(author, "name", "Truce Explorer")
    _el(author, "uri", absolute_url("/about"))
    _el(root, "generator", "Truce Explorer", uri=absolute_url("/"))
    _el(root, "rights", _(RIGHTS), type="text")

    for entry in feed.entries:
        assert entry.date.date is not None, f"undated entry {entry.id} in a feed"
        page_url = absolute_url(entry.path)
        item = _el(root, "entry")
        _el(item, "id", entry.id)
        _el(item, "title", entry.title, type="text")
        _el(item, "updated", rfc3339(entry.date.date))
        _el(item, "link", rel="alternate", type="text/html", href=page_url)
        # Entries without named actors fall back to the feed's author.
        for name in entry.authors:
            _el(_el(item, "author"), "name", name)
        _el(item, "category", term=entry.kind)
        _el(item, "summary", summary_text(entry), type="text")
        _el(item, "content", content_html(entry, page_url), type="html")

    ET.indent(root)
    return ET.tostring(root, encoding="utf-8", xml_declaration=True)

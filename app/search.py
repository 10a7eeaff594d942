"""Full-text search over proposals, reactions (quotes) and actors, in the request's language.

The documents are built per language: English from the records, Ukrainian and Russian from their
translations (app.translations; the English stays where a field has none, and a language with no
translations at all is searched in English). A search on /uk/ reads the uk documents.

Stemming: English keeps Porter stemming on SQLite (FTS5 `search_fts`, porter over unicode61) and
the 'english' configuration on PostgreSQL. Ukrainian and Russian get none: SQLite indexes them in
`search_fts_plain` with unicode61 alone (case folding, Cyrillic included: «Україна» finds
«УКРАЇНА»; й, ї and ё stay letters of their own), PostgreSQL with the 'simple' configuration
(lower-casing, no stemming, no stop words). So a uk or ru search matches whole word forms, and the
last word typed also as a prefix (as in English).
Matches come back with the matched words wrapped in MARK_START/MARK_END, which the
templates escape and turn into <mark> (so highlighting can never inject markup).
"""

import json
import re
from dataclasses import dataclass

from sqlalchemy import ARRAY, Integer, Select, bindparam, column, delete, func, insert, select, text, true, update
from sqlalchemy.orm import Session

from app.i18n import DEFAULT_LOCALE, TRANSLATED, current_locale
from app.models import Actor, Proposal, Reaction, RecordKind, SearchDocument
from app.translations import Overlay, overlay_for, read_overlay

MARK_START = "\x02"
MARK_END = "\x03"
MAX_QUERY_LENGTH = 200
_TOKEN = re.compile(r'"([^"]*)"|(\S+)')
# Only letters, digits and underscores reach a query: everything else separates words.
_NON_WORD = re.compile(r"[^\w]+", re.UNICODE)


@dataclass(frozen=True)
class SearchHit:
    kind: str  # proposal | reaction | actor
    proposal_id: int | None
    actor_id: int | None
    reaction_id: int | None
    title: str
    snippet: str
    rank: float


def rebuild_search_index(session: Session) -> None:
    session.execute(delete(SearchDocument))
    session.execute(
        insert(SearchDocument).from_select(
            ["kind", "proposal_id", "actor_id", "reaction_id", "title", "body"],
            select(
                text("'proposal'"), Proposal.id, text("NULL"), text("NULL"), Proposal.title, Proposal.summary
            ),
        )
    )
    reaction_body = Reaction.quote + " " + Reaction.summary + " " + Reaction.condition
    session.execute(
        insert(SearchDocument).from_select(
            ["kind", "proposal_id", "actor_id", "reaction_id", "title", "body"],
            select(
                text("'reaction'"), Reaction.proposal_id, Reaction.actor_id, Reaction.id, Actor.name, reaction_body
            ).join(Actor, Actor.id == Reaction.actor_id),
        )
    )
    # A reaction with several quotes (one statement in several pieces) is found by any of them.
    several = session.execute(
        select(Reaction.id, Reaction.quotes, Reaction.summary, Reaction.condition).where(func.json_array_length(Reaction.quotes) > 1)
    ).all()
    if several:
        documents = SearchDocument.__table__
        session.execute(
            update(documents).where(documents.c.reaction_id == bindparam("rid")).values(body=bindparam("text")),
            [{"rid": id_, "text": " ".join([*quotes, summary, condition])} for id_, quotes, summary, condition in several],
        )
    session.execute(
        insert(SearchDocument).from_select(
            ["kind", "proposal_id", "actor_id", "reaction_id", "title", "body"],
            select(
                text("'actor'"),
                text("NULL"),
                Actor.id,
                text("NULL"),
                Actor.name,
                Actor.role + " " + Actor.affiliation + " " + Actor.description,
            ),
        )
    )
    for locale in TRANSLATED:
        _add_translated_documents(session, read_overlay(session.connection(), locale))
    if session.get_bind().dialect.name == "sqlite":
        session.execute(text("INSERT INTO search_fts(search_fts) VALUES('rebuild')"))
        session.execute(text("INSERT INTO search_fts_plain(search_fts_plain) VALUES('rebuild')"))


def _add_translated_documents(session: Session, overlay: Overlay, batch: int = 2000) -> None:
    """The documents of one translated language: the English ones' fields, in that language."""
    if not overlay.translated:
        return
    tr = overlay.text
    rows: list[dict] = []

    def add(kind: str, proposal_id: int | None, actor_id: int | None, reaction_id: int | None, title: str, body: str) -> None:
        rows.append({
            "kind": kind, "proposal_id": proposal_id, "actor_id": actor_id, "reaction_id": reaction_id,
            "title": title, "body": body, "locale": overlay.locale,
        })
        if len(rows) >= batch:
            session.execute(insert(SearchDocument), rows)
            rows.clear()

    for id_, slug, title, summary in session.execute(select(Proposal.id, Proposal.slug, Proposal.title, Proposal.summary)):
        add("proposal", id_, None, None, tr(RecordKind.proposal, slug, "title", title), tr(RecordKind.proposal, slug, "summary", summary))
    reactions = select(
        Reaction.id, Reaction.slug, Reaction.proposal_id, Reaction.actor_id, Actor.slug, Actor.name, Reaction.quotes,
        Reaction.summary, Reaction.condition,
    ).join(Actor, Actor.id == Reaction.actor_id)
    for id_, slug, proposal_id, actor_id, actor_slug, name, quotes, summary, condition in session.execute(reactions):
        words = [
            *(overlay.quotes.get(slug) or quotes),
            tr(RecordKind.reaction, slug, "summary", summary),
            tr(RecordKind.reaction, slug, "condition", condition),
        ]
        add("reaction", proposal_id, actor_id, id_, tr(RecordKind.actor, actor_slug, "name", name), " ".join(w for w in words if w))
    actors = select(Actor.id, Actor.slug, Actor.name, Actor.role, Actor.affiliation, Actor.description)
    for id_, slug, name, role, affiliation, description in session.execute(actors):
        body = " ".join(tr(RecordKind.actor, slug, column, value) for column, value in (("role", role), ("affiliation", affiliation), ("description", description)))
        add("actor", None, id_, None, tr(RecordKind.actor, slug, "name", name), body)
    if rows:
        session.execute(insert(SearchDocument), rows)


def search_locale(session: Session) -> str:
    """The language whose documents a search reads: the request's, or English when that language
    has no translations in this data."""
    locale = current_locale()
    if locale == DEFAULT_LOCALE or not overlay_for(session, locale).translated:
        return DEFAULT_LOCALE
    return locale


def _fts(locale: str) -> tuple[str, str]:
    """The SQLite FTS5 table of a language's documents, and the extra condition on their rows."""
    if locale == DEFAULT_LOCALE:
        return "search_fts", ""
    return "search_fts_plain", " AND d.locale = :locale"


def _pg_config(locale: str) -> str:
    return "english" if locale == DEFAULT_LOCALE else "simple"


@dataclass(frozen=True)
class QueryTerm:
    words: tuple[str, ...]  # one word, or the words of a "quoted phrase"
    prefix: bool  # the last word typed also matches as a prefix, so results follow typing


def query_terms(raw: str) -> list[QueryTerm]:
    """What a person typed, as terms every search backend can quote safely.

    "quoted words" stay phrases and other words are ANDed; operators and punctuation typed
    by the user are only word separators.
    """
    terms: list[QueryTerm] = []
    tokens = list(_TOKEN.finditer(raw[:MAX_QUERY_LENGTH]))
    for index, match in enumerate(tokens):
        phrase, word = match.group(1), match.group(2)
        if phrase is not None:
            words = tuple(_NON_WORD.sub(" ", phrase).split())
            if words:
                terms.append(QueryTerm(words, prefix=False))
            continue
        parts = _NON_WORD.sub(" ", word).split()
        for position, part in enumerate(parts):
            last = index == len(tokens) - 1 and position == len(parts) - 1
            terms.append(QueryTerm((part,), prefix=last and len(part) >= 3))
    return terms


def fts5_query(raw: str) -> str:
    """An FTS5 MATCH expression: "phrase" "word" "last"*."""
    return " ".join('"' + " ".join(t.words) + '"' + ("*" if t.prefix else "") for t in query_terms(raw))


def tsquery_text(raw: str) -> str:
    """A PostgreSQL to_tsquery expression: phrase <-> words & word & last:*."""
    return " & ".join(
        "(" + " <-> ".join(t.words) + ")" if len(t.words) > 1 else t.words[0] + (":*" if t.prefix else "")
        for t in query_terms(raw)
    )


def search_documents(session: Session, raw: str, limit: int | None = None) -> list[SearchHit]:
    """Documents matching `raw`, best first; all of them unless `limit` is given."""
    if session.get_bind().dialect.name == "postgresql":
        return _search_postgres(session, raw, limit)
    query = fts5_query(raw)
    if not query:
        return []
    locale = search_locale(session)
    fts, in_locale = _fts(locale)
    rows = session.execute(
        text(
            "SELECT d.kind, d.proposal_id, d.actor_id, d.reaction_id, d.title, "
            f"snippet({fts}, -1, :start, :end, '…', 16) AS snippet, bm25({fts}) AS rank "
            f"FROM {fts} JOIN search_document d ON d.id = {fts}.rowid "
            f"WHERE {fts} MATCH :query{in_locale} ORDER BY rank LIMIT :limit"
        ),
        # LIMIT -1 is SQLite for "no limit".
        {"query": query, "start": MARK_START, "end": MARK_END, "limit": -1 if limit is None else limit, "locale": locale},
    )
    return [SearchHit(*row) for row in rows]


def _search_postgres(
    session: Session, raw: str, limit: int | None, proposal_ids: list[int] | None = None, kind: str | None = None
) -> list[SearchHit]:
    terms = tsquery_text(raw)
    if not terms:
        return []
    locale = search_locale(session)
    config = _pg_config(locale)
    document = func.to_tsvector(config, SearchDocument.title + " " + SearchDocument.body)
    query = func.to_tsquery(config, terms)
    options = f"StartSel={MARK_START}, StopSel={MARK_END}, MaxWords=30, MinWords=12"
    snippet = func.ts_headline(config, SearchDocument.title + " — " + SearchDocument.body, query, options)
    rank = -func.ts_rank(document, query)
    rows = session.execute(
        select(
            SearchDocument.kind,
            SearchDocument.proposal_id,
            SearchDocument.actor_id,
            SearchDocument.reaction_id,
            SearchDocument.title,
            snippet,
            rank,
        )
        .where(
            document.op("@@")(query),
            SearchDocument.locale == locale,
            SearchDocument.proposal_id.in_(proposal_ids) if proposal_ids is not None else true(),
            SearchDocument.kind == kind if kind is not None else true(),
        )
        .order_by(rank)
        .limit(limit)
    )
    return [SearchHit(*row) for row in rows]


def matching_documents(session: Session, raw: str) -> Select | None:
    """The search_document rows matching `raw`, as a subquery to filter in SQL (no snippets, no ranking).

    None when the text has no searchable word. Filters over it never bind one parameter per hit."""
    if session.get_bind().dialect.name == "postgresql":
        terms = tsquery_text(raw)
        if not terms:
            return None
        locale = search_locale(session)
        config = _pg_config(locale)
        document = func.to_tsvector(config, SearchDocument.title + " " + SearchDocument.body)
        return (
            select(SearchDocument)
            .where(document.op("@@")(func.to_tsquery(config, terms)), SearchDocument.locale == locale)
            .subquery()
        )
    query = fts5_query(raw)
    if not query:
        return None
    locale = search_locale(session)
    table, _ = _fts(locale)
    fts = text(f"SELECT rowid FROM {table} WHERE {table} MATCH :query").bindparams(query=query).columns(rowid=Integer)
    matching = select(SearchDocument).where(SearchDocument.id.in_(fts.subquery().select()))
    if locale != DEFAULT_LOCALE:
        matching = matching.where(SearchDocument.locale == locale)
    return matching.subquery()


def search_snippets(session: Session, raw: str, *, proposal_ids: list[int] | None = None, kind: str | None = None) -> list[SearchHit]:
    """Ranked hits with snippets, for some proposals (a page of results) or of one kind (actors)."""
    if proposal_ids is not None and not proposal_ids:
        return []
    if session.get_bind().dialect.name == "postgresql":
        return _search_postgres(session, raw, None, proposal_ids, kind)
    query = fts5_query(raw)
    if not query:
        return []
    locale = search_locale(session)
    fts, in_locale = _fts(locale)
    conditions = [f"{fts} MATCH :query{in_locale}"]
    wanted = []
    if proposal_ids is not None:
        wanted.append("proposal_id IN (SELECT value FROM json_each(:ids))")
    if kind is not None:
        wanted.append("kind = :kind")
    conditions += ["d." + condition for condition in wanted]
    # The span of rowids the wanted documents hold bounds the match (FTS5 takes a rowid range),
    # so a common word is not first matched in every document. The conditions above stay exact.
    if wanted:
        span = f"(SELECT {{}}(id) FROM search_document WHERE {' AND '.join(wanted)})"
        conditions.append(f"{fts}.rowid BETWEEN {span.format('min')} AND {span.format('max')}")
    rows = session.execute(
        text(
            "SELECT d.kind, d.proposal_id, d.actor_id, d.reaction_id, d.title, "
            f"snippet({fts}, -1, :start, :end, '…', 16) AS snippet, bm25({fts}) AS rank "
            f"FROM {fts} JOIN search_document d ON d.id = {fts}.rowid "
            f"WHERE {' AND '.join(conditions)} ORDER BY rank"
        ),
        {
            "query": query, "start": MARK_START, "end": MARK_END, "ids": json.dumps(proposal_ids or []), "kind": kind,
            "locale": locale,
        },
    )
    return [SearchHit(*row) for row in rows]


def id_set(session: Session, ids: list[int]) -> Select:
    """A list of ids as a one-column subquery bound as ONE parameter (JSON on SQLite, an array on
    PostgreSQL), so a filter over thousands of ids never meets the bound-variable limits."""
    if session.get_bind().dialect.name == "postgresql":
        return select(func.unnest(bindparam("ids", ids, type_=ARRAY(Integer))))
    return select(column("value", Integer)).select_from(func.json_each(json.dumps(ids)))

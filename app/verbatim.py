"""Checks against the article text: quotes are verbatim, and our own words are not copied."""

import re
from collections.abc import Iterator
from pathlib import Path

from app.seeds import SeedSet

# A run this long, word for word from the article, is copying: only quotes may be verbatim.
COPY_RUN_WORDS = 8
_WORD = re.compile(r"[\w’'-]+")
# Words inside quotation marks are a quote, not our prose: runs are counted between them.
_QUOTED = re.compile(r"“[^”]*”|\"[^\"]*\"")


def read_articles(article_dir: Path) -> list[str]:
    return [p.read_text(encoding="utf-8") for p in sorted(article_dir.glob("*.txt"))]


def quotes_not_in_articles(seeds: SeedSet, article_dir: Path) -> list[str]:
    """Problems, one line each; empty when every quote is a verbatim substring of an article."""
    articles = read_articles(article_dir)
    if not articles:
        return [f"{article_dir}: no article .txt files to check quotes against"]
    problems = []
    for path, seed in seeds.parsed:
        for index, reaction in enumerate(seed.reactions):
            # Every quote of the reaction, under the key the seed gave it.
            located = [("quote", reaction.quote)] if reaction.quote else [(f"quotes[{j}]", q) for j, q in enumerate(reaction.quotes)]
            for where, quote in located:
                if not any(quote in article for article in articles):
                    problems.append(f"{path}: reactions[{index}].{where}: {quote!r} is not verbatim in any article in {article_dir}")
    return problems


def _words(text: str) -> list[str]:
    return [w.lower().replace("’", "'") for w in _WORD.findall(text)]


def _runs(words: list[str]) -> Iterator[tuple[str, ...]]:
    for start in range(len(words) - COPY_RUN_WORDS + 1):
        yield tuple(words[start : start + COPY_RUN_WORDS])


def _own_words_fields(seeds: SeedSet) -> Iterator[tuple[Path, str, str]]:
    """(file, path, text) of every field that must be in our own words, in every language."""
    for path, seed in seeds.parsed:
        for collection, fields in (
            ("proposals", ("title", "summary")),
            ("reactions", ("summary", "condition", "rationale")),
            ("events", ("title", "summary")),
            ("actors", ("description",)),
        ):
            for index, record in enumerate(getattr(seed, collection)):
                for name in fields:
                    text = getattr(record, name)
                    if text:
                        yield path, f"{collection}[{index}].{name}", text
    # Their translations too (seeds/translations/*.yaml): the same fields, in our own words.
    from app.seed_translations import own_words

    for translated in own_words(seeds.translations):
        yield translated.file, translated.key_path, translated.text


def copied_from_articles(seeds: SeedSet, article_dir: Path) -> list[str]:
    """Summaries, conditions, rationales, titles and descriptions (and their translations) that copy
    a run of COPY_RUN_WORDS or more consecutive words from an article."""
    articles = read_articles(article_dir)
    if not articles:
        return [f"{article_dir}: no article .txt files to check summaries against"]
    article_runs = {run for article in articles for run in _runs(_words(article))}
    problems = []
    for path, where, text in _own_words_fields(seeds):
        prose = _QUOTED.split(text)
        copied = next((run for part in prose for run in _runs(_words(part)) if run in article_runs), None)
        if copied:
            problems.append(
                f"{path}: {where}: {text!r} copies {COPY_RUN_WORDS} or more consecutive words from the article "
                f"(“{' '.join(copied)}…”); write it in our own words, or make it a quote"
            )
    return problems

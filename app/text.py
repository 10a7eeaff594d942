"""Cutting text for small spaces: at a word boundary, with an ellipsis, never mid-word."""

import re


def first_sentence(text: str, limit: int = 160) -> str:
    """The first sentence of our summary, cut at a word boundary when it is long."""
    match = re.match(r"(.+?[a-z0-9”’)][.!?])(\s|$)", text.strip())
    return cut_words(match.group(1) if match else text.strip(), limit)


def cut_words(text: str, limit: int) -> str:
    """The text in full when short enough, else cut at a word boundary with an ellipsis."""
    text = " ".join(text.split())
    if len(text) <= limit:
        return text
    cut = text[: limit + 1].rsplit(" ", 1)[0].rstrip(" ,;:–—-")
    return (cut or text[:limit]) + "…"

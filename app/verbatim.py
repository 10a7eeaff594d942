"""Check that every quote in the seeds appears word for word in its source article."""

from pathlib import Path

from app.seeds import SeedSet


def quotes_not_in_articles(seeds: SeedSet, article_dir: Path) -> list[str]:
    """Problems, one line each; empty when every quote is a verbatim substring of an article."""
    articles = [p.read_text(encoding="utf-8") for p in sorted(article_dir.glob("*.txt"))]
    if not articles:
        return [f"{article_dir}: no article .txt files to check quotes against"]
    return [
        f"reactions {slug}: quote {reaction.quote!r} is not verbatim in any article in {article_dir}"
        for slug, reaction in seeds.reactions.items()
        if reaction.quote and not any(reaction.quote in article for article in articles)
    ]

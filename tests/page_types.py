"""Every page type, as (URL, expected status): the list both the Nu HTML Checker and axe-core run over."""

PAGE_TYPES = {
    "home": ("/", 200),
    "filtered": ("/?actor=vladimir-putin&position=rejects", 200),
    "search": ("/?q=peacekeeping", 200),
    "no-results": ("/?actor=sergey-lavrov&position=conditional", 200),
    "stated-only": ("/?basis=stated", 200),
    # chips that say "Reported by …": an actor's name, and a description of unnamed sources
    "reported-only": ("/?basis=reported", 200),
    "matrix-reported-only": ("/matrix?basis=reported", 200),
    "matrix-stated-only": ("/matrix?basis=stated", 200),
    "matrix": ("/matrix", 200),
    "matrix-filtered": ("/matrix?position=rejects", 200),
    "actors": ("/actors", 200),
    "actor": ("/actors/vladimir-putin", 200),
    "proposal": ("/proposals/nato-membership-20-year-delay", 200),
    # stated, reported (by a description) and inferred stances with their rationale, and "Corrected on" notes
    "proposal-inferred": ("/proposals/nato-membership-20-year-delay", 200),
    # a stance reported by an actor in the data, linked
    "proposal-reported": ("/proposals/biden-2021-nato-delay", 200),
    # a proposal whose proposer the article does not name
    "proposal-no-proposer": ("/proposals/peace-talks-in-slovakia", 200),
    "actor-reported": ("/actors/joe-biden", 200),
    "timeline-reported": ("/timeline?actor=joe-biden", 200),
    # the schematic map of the regions a proposal names
    "proposal-map": ("/proposals/ukraine-cedes-occupied-territory", 200),
    "corrections": ("/corrections", 200),
    "sources": ("/sources", 200),
    "about": ("/about", 200),
    "as-of": ("/?as_of=2024-12-01", 200),
    "proposal-as-of": ("/proposals/nato-membership-20-year-delay?as_of=2024-12-26", 200),
    "actor-as-of": ("/actors/vladimir-putin?as_of=2024-12-26", 200),
    "matrix-as-of": ("/matrix?as_of=2024-12-26", 200),
    "timeline": ("/timeline", 200),
    "timeline-filtered": ("/timeline?actor=vladimir-putin", 200),
    "compare-empty": ("/compare", 200),
    "compare": ("/compare?a=vladimir-putin&b=volodymyr-zelenskyy", 200),
    "common-ground": ("/common-ground", 200),
    "download": ("/download", 200),
    "proposal-embed-panel": ("/proposals/nato-membership-20-year-delay?embed_theme=dark", 200),
    "embed-proposal": ("/embed/proposals/nato-membership-20-year-delay", 200),
    "embed-proposal-dark": ("/embed/proposals/nato-membership-20-year-delay?theme=dark", 200),
    "embed-proposal-light-as-of": ("/embed/proposals/nato-membership-20-year-delay?theme=light&as_of=2024-12-26", 200),
    "embed-actor": ("/embed/actors/vladimir-putin", 200),
    "embed-actor-dark": ("/embed/actors/vladimir-putin?theme=dark", 200),
    "embed-not-found": ("/embed/proposals/nato-membership-20-year", 404),
    "embed-bad-theme": ("/embed/actors/vladimir-putin?theme=blue", 422),
    "not-found": ("/no-such-page", 404),
    # a near-miss: "Did you mean" links by title
    "proposal-not-found": ("/proposals/nato-membership-20-year", 404),
    "bad-filter": ("/?actor=nobody", 422),
    "bad-position": ("/matrix?position=bogus", 422),
    "bad-basis": ("/?basis=implied", 422),
    "side-filtered": ("/?side=russia&position=rejects", 200),
    "side-and-actor": ("/?side=russia&actor=vladimir-putin", 200),
    "side-dated-stated": ("/?side=ukraine&as_of=2024-12-26&basis=stated", 200),
    "matrix-side": ("/matrix?side=united-states", 200),
    "state-of-play": ("/state-of-play", 200),
    "state-of-play-dated": ("/state-of-play?as_of=2024-12-26&basis=stated", 200),
    "bad-side": ("/?side=mars", 422),
    "side-actor-mismatch": ("/?side=ukraine&actor=vladimir-putin", 422),
}

# Page types that only have several pages on a bigger data set: checked over the synthetic data
# (tests/conftest.py SYNTH_SIZE) by the same Nu and axe tests.
PAGED_PAGE_TYPES = {
    "list-page-2": ("/?page=2", 200),
    "filtered-paged": ("/?position=rejects&page=2", 200),
    "search-paged": ("/?q=ceasefire&page=2", 200),
    "matrix-paged": ("/matrix?page=2&rows=2", 200),
    "timeline-paged": ("/timeline?page=2", 200),
    "actors-paged": ("/actors?page=2", 200),
    "actor-paged": ("/actors/synth-actor-1?page=2", 200),
    "compare-paged": ("/compare?a=synth-actor-1&b=synth-actor-2&page=2", 200),
    "common-ground-paged": ("/common-ground?page=2", 200),
    "state-of-play-paged": ("/state-of-play?page=2", 200),
    "side-filtered-paged": ("/?side=russia&page=2", 200),
    "page-past-the-end": ("/?page=99", 422),
}

# Every page type again in Ukrainian and Russian (/uk/…, /ru/…): the same Nu and axe tests run over them.
LANGUAGE_PAGE_TYPES = {
    f"{name}-{lang}": (f"/{lang}{url}", status) for lang in ("uk", "ru") for name, (url, status) in PAGE_TYPES.items()
}

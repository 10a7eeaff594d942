"""`truce synth`: deterministic synthetic seed YAML of any size, for benchmarks and boundedness tests.

The output is ordinary seed files, so the real validation (app/seeds.py) and the real importer run
over it. Text lengths, date precisions, evidence types, several sources per file, conditional
reactions with their conditions and a proposer for every proposal follow the real seed's shape.
Actors are skewed in activity (a few speak on most proposals, many on few), as in the news.
"""

import datetime as dt
import random
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import yaml

try:  # the C emitter is ~10x faster; the output is identical
    from yaml import CSafeDumper as Dumper
except ImportError:  # pragma: no cover - libyaml is missing
    from yaml import SafeDumper as Dumper  # type: ignore[assignment]

SIDES = ["russia", "ukraine", "united-states", "europe", "other"]
KINDS = ["person", "person", "person", "government", "organization", "group"]
EVIDENCE = ["on-record"] * 6 + ["official-document", "press-report-unnamed", "press-report-unnamed", "analyst-assessment", "second-hand-account"]
SOURCE_KINDS = ["news article", "podcast interview", "press conference transcript", "newspaper report", "strategy paper", "news agency interview"]
OUTLETS = ["The Daily Ledger", "Eastern Wire", "Northern Post", "Continental Review", "Global Affairs Radio", "State News Agency", "The Policy Quarterly", "Morning Dispatch"]
FIRST = ["Anna", "Boris", "Clara", "Dmytro", "Elena", "Frank", "Galina", "Henrik", "Irina", "Jonas", "Katya", "Lukas", "Marta", "Nikolai", "Olena", "Peter", "Rosa", "Stefan", "Tamara", "Viktor"]
LAST = ["Adler", "Bondar", "Carver", "Dorn", "Egorov", "Fischer", "Gray", "Hale", "Ivanenko", "Jansen", "Kovalenko", "Lindqvist", "Moroz", "Novak", "Orlov", "Petrenko", "Quinn", "Rudenko", "Sokolov", "Tkachenko"]
ROLES = ["foreign minister", "president", "envoy", "defence minister", "senator", "spokesperson", "analyst", "ambassador", "prime minister", "adviser"]
WORDS = (
    "ceasefire line frozen front security guarantees peacekeeping contingent demilitarised zone neutrality "
    "sanctions relief prisoner exchange grain corridor energy infrastructure monitoring mission referendum "
    "troop withdrawal buffer zone arms deliveries negotiations mediation timetable verification reconstruction "
    "occupied territory sovereignty alliance membership delay talks summit conditions guarantee border "
    "humanitarian corridor nuclear plant Black Sea shipping elections constitution reparations frozen assets"
).split()
CONNECTORS = ["and", "with", "under", "before", "after", "without", "beyond", "through", "against", "for"]
PRECISIONS = ["day"] * 70 + ["month"] * 12 + ["approximate"] * 8 + ["year"] * 3 + ["unknown"] * 7
NOTES = ["early {month}", "mid-{month}", "late {month}", "a weekday in late {month} (the source says only “this week”)"]
START = dt.date(2021, 1, 1)
END = dt.date(2025, 6, 30)


@dataclass(frozen=True)
class SynthSize:
    proposals: int
    actors: int
    density: float
    seed: int = 1
    reactions_per_file: int = 2000


def _phrase(rng: random.Random, min_chars: int, max_chars: int) -> str:
    target = rng.randint(min_chars, max_chars)
    words: list[str] = []
    length = 0
    while length < target:
        word = rng.choice(WORDS) if len(words) % 4 != 3 else rng.choice(CONNECTORS)
        words.append(word)
        length += len(word) + 1
    text = " ".join(words)
    return text[0].upper() + text[1:]


def _sentences(rng: random.Random, min_chars: int, max_chars: int) -> str:
    target = rng.randint(min_chars, max_chars)
    parts: list[str] = []
    while sum(len(p) + 1 for p in parts) < target:
        parts.append(_phrase(rng, 40, 110) + ".")
    return " ".join(parts)


def _date(rng: random.Random, precisions: list[str] = PRECISIONS) -> dict[str, Any]:
    precision = rng.choice(precisions)
    day = START + dt.timedelta(days=rng.randrange((END - START).days))
    if precision == "unknown":
        return {"precision": "unknown"}
    if precision == "year":
        return {"date": str(day.year), "precision": "year"}
    if precision == "month":
        return {"date": f"{day:%Y-%m}", "precision": "month"}
    if precision == "approximate":
        third = rng.randrange(3)
        first = day.replace(day=(1, 11, 21)[third])
        note = NOTES[min(third + rng.randrange(2), 3)].format(month=f"{day:%B %Y}")
        return {"date": first.isoformat(), "precision": "approximate", "note": note}
    return {"date": day.isoformat(), "precision": "day"}


def _weighted_sample(rng: random.Random, weights: list[float], k: int) -> list[int]:
    """k distinct indexes, each drawn with probability proportional to its weight (Efraimidis–Spirakis)."""
    keys = [(rng.random() ** (1.0 / w), i) for i, w in enumerate(weights)]
    keys.sort(reverse=True)
    return [i for _, i in keys[:k]]


def synth_files(size: SynthSize) -> dict[str, dict[str, Any]]:
    """File name -> seed document. The same size and seed always give the same files."""
    rng = random.Random(size.seed)
    base_doc = "synth-dossier"
    sources = [
        {
            "slug": base_doc,
            "title": "Synthetic dossier of truce proposals and reactions",
            "outlet": "Truce Explorer synthetic data",
            "kind": "news article",
            "published": {"date": "2025-06-30", "precision": "day"},
        }
    ]
    for i in range(1, 13):
        sources.append(
            {
                "slug": f"synth-source-{i}",
                "title": _phrase(rng, 30, 80),
                "outlet": rng.choice(OUTLETS),
                "kind": rng.choice(SOURCE_KINDS),
                "published": _date(rng, ["day"] * 6 + ["month", "approximate"]),
                "url": f"https://example.org/synth/source-{i}",
            }
        )
    actors = []
    for i in range(1, size.actors + 1):
        kind = rng.choice(KINDS)
        name = f"{rng.choice(FIRST)} {rng.choice(LAST)} {i}" if kind == "person" else f"{_phrase(rng, 12, 30)} {i}"
        actors.append(
            {
                "slug": f"synth-actor-{i}",
                "name": name,
                "kind": kind,
                "role": rng.choice(ROLES),
                "affiliation": rng.choice(OUTLETS) if kind == "person" else "",
                "side": SIDES[i % len(SIDES)],
                "description": _sentences(rng, 60, 200),
            }
        )
    proposals = []
    for i in range(1, size.proposals + 1):
        proposals.append(
            {
                "slug": f"synth-proposal-{i}",
                "title": _phrase(rng, 35, 90),
                "summary": _sentences(rng, 180, 420),
                "first_reported": _date(rng, ["day"] * 6 + ["month", "approximate"]),
                "first_reported_by": f"synth-source-{1 + i % 12}",
            }
        )
    events = [
        {
            "slug": f"synth-event-{i}",
            "title": _phrase(rng, 30, 70),
            "summary": _sentences(rng, 100, 260),
            "occurred_on": _date(rng),
            "actors": sorted({f"synth-actor-{rng.randrange(1, size.actors + 1)}" for _ in range(rng.randrange(0, 4))}),
            "source": f"synth-source-{rng.randrange(1, 13)}",
        }
        for i in range(1, max(2, size.proposals // 4) + 1)
    ]
    files: dict[str, dict[str, Any]] = {
        "synth-000-dossier.yaml": {
            "document": base_doc,
            "sources": sources,
            "actors": actors,
            "proposals": proposals,
            "events": events,
        }
    }

    # A few actors speak on most proposals and many on few (weight 1/rank^0.8).
    weights = [1.0 / (rank ** 0.8) for rank in range(1, size.actors + 1)]
    per_proposal = max(1, min(size.actors, round(size.actors * size.density)))
    reactions: list[dict[str, Any]] = []
    for p in range(1, size.proposals + 1):
        chosen = _weighted_sample(rng, weights, per_proposal)
        for n, a in enumerate(chosen):
            proposer = n == 0
            position = rng.choice(["supports", "conditional"]) if proposer else rng.choice(["supports", "supports", "conditional", "rejects", "rejects"])
            reaction: dict[str, Any] = {
                "slug": f"synth-r-{p}-{a + 1}",
                "proposal": f"synth-proposal-{p}",
                "actor": f"synth-actor-{a + 1}",
                "position": position,
                "proposer": proposer,
                "quote": _phrase(rng, 60, 260) + "." if rng.random() < 0.6 else "",
                "summary": _sentences(rng, 90, 280),
                "stated_on": _date(rng),
                "evidence": rng.choice(EVIDENCE),
                "source": f"synth-source-{rng.randrange(1, 13)}",
            }
            if position == "conditional":
                reaction["condition"] = _sentences(rng, 50, 160)
            # About one stance in five is our reading, as in the curated seed; one known only from
            # someone else's account is reported, by another actor or by unnamed sources.
            inferred = not proposer and rng.random() < 0.2
            if inferred:
                reaction["basis"] = "inferred"
                reaction["rationale"] = _sentences(rng, 60, 180)
            elif reaction["evidence"] in ("on-record", "official-document"):
                reaction["basis"] = "stated"
            else:
                reaction["basis"] = "reported"
                other = (a + rng.randrange(1, size.actors)) % size.actors + 1 if size.actors > 1 else None
                reaction["reported_by"] = f"synth-actor-{other}" if other and rng.random() < 0.5 else "unnamed sources, via a synthetic outlet"
            reactions.append(reaction)

    for index in range(0, len(reactions), size.reactions_per_file):
        number = index // size.reactions_per_file + 1
        document = f"synth-report-{number}"
        files[f"synth-{number:03d}-reactions.yaml"] = {
            "document": document,
            "sources": [
                {
                    "slug": document,
                    "title": f"Synthetic report {number}: reactions to the proposals",
                    "outlet": OUTLETS[number % len(OUTLETS)],
                    "kind": "news article",
                    "published": {"date": "2025-06-30", "precision": "day"},
                }
            ],
            "reactions": reactions[index : index + size.reactions_per_file],
        }
    return files


def write_synth(size: SynthSize, out_dir: Path) -> list[Path]:
    """Write the synthetic seed files into out_dir (replacing earlier synth-*.yaml files there)."""
    out_dir.mkdir(parents=True, exist_ok=True)
    for old in out_dir.glob("synth-*.yaml"):
        old.unlink()
    written = []
    for name, document in synth_files(size).items():
        path = out_dir / name
        with path.open("w", encoding="utf-8") as handle:
            yaml.dump(document, handle, Dumper=Dumper, allow_unicode=True, sort_keys=False, width=100)
        written.append(path)
    return written


def expected_reactions(size: SynthSize) -> int:
    return size.proposals * max(1, min(size.actors, round(size.actors * size.density)))


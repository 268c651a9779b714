#!/usr/bin/env python3
"""Write a deterministic corpus of synthetic fact-check articles for benchmarks.

    python bench/make_corpus.py OUT_DIR --count 10000 [--seed 1] [--flavor sitegen|pelican|hugo]

Every article has the same body whatever the flavor, so builds of different
generators can be compared on the same work:
  sitegen  YAML front matter in the fact-check model (claim, claimant, verdict, sources ...)
  hugo     the same YAML front matter, files under OUT_DIR/posts/
  pelican  Pelican's "Key: value" metadata header
Only the standard library is used, so the bench's own environment (Pelican, Hugo) can run it.

The same seed writes the same bytes: every figure in bench/README.md was measured on what this
file writes, so a change to what it draws (or the order it draws it in) changes the work being
measured, and bench/tools.py remakes its cached corpora when this file changes.
"""

from __future__ import annotations

import argparse
import datetime as dt
import json
import random
from pathlib import Path
from typing import Any


def _words(text: str) -> list[str]:
    """A list of words written as one string: hundreds of quoted words would not be read."""
    return text.split()


FLAVORS = ("sitegen", "pelican", "hugo")
VERDICTS = [("true", 10), ("likely-true", 8), ("partially-true", 10), ("misleading", 18),
            ("unclear", 12), ("partially-false", 10), ("likely-false", 8), ("false", 24)]
"""The default verdict scale's ids, with how often each is drawn."""
WORDS = _words(
    "the a of and to in that is was for on with as by at from official report ministry "
    "minister data figure percent rate claim government troops budget election vote "
    "people country city province region war border economy growth inflation tax "
    "health vaccine hospital school police court law statement record year month week "
    "according analysis evidence source document video photo interview spokesman agency "
    "increase decrease million billion thousand killed wounded announced denied reported "
    "confirmed published shows found said told noted added estimated independent observers "
    "media press briefing experts researchers survey study published archive database")
FIRST = _words("Anna Boris Carlos Dmitri Elena Fatima George Hana Ivan Julia Kofi Lena Maria "
               "Nikolai Olga Pavel Rosa Sergey Tomas Viktor Yulia Zainab Ahmed Brigitte Chen")
LAST = _words("Ivanova Petrov Garcia Smith Okafor Novak Kowalski Rossi Schmidt Dubois Haddad "
              "Tanaka Kim Silva Nowak Horvat Larsen Costa Moreau Weber")
ORGS = ["Defense Ministry", "Foreign Ministry", "State Television", "Central Bank",
        "Health Ministry", "Election Commission", "Presidential Office", "Interior Ministry"]
TAGS = [f"topic-{i}" for i in range(60)] + ["Russia", "Syria", "Ukraine", "elections", "economy",
                                            "health", "migration", "climate", "war", "sanctions"]
PUBLISHERS = ["AFP", "Reuters", "AP", "BBC", "Interfax", "TASS", "Kommersant", "Le Monde"]
CLAIMANTS = 150
"""Generated people; with ORGS, the claimants (the first 30 of them are also the authors)."""


def sentence(rng: random.Random, lo: int = 8, hi: int = 24, markup: bool = True) -> str:
    words = [rng.choice(WORDS) for _ in range(rng.randint(lo, hi))]
    words[0] = words[0].capitalize()
    if markup and rng.random() < 0.3:
        i = rng.randrange(len(words))
        words[i] = f"**{words[i]}**"
    if markup and rng.random() < 0.15:
        words[-1] += f" ([source](https://example.org/{rng.randrange(10**6)}))"
    return " ".join(words) + "."


def paragraph(rng: random.Random) -> str:
    return " ".join(sentence(rng) for _ in range(rng.randint(3, 7)))


def body(rng: random.Random) -> str:
    """An introduction, then two to four headed sections, some with a quote, list or table."""
    parts = [paragraph(rng)]
    for _section in range(rng.randint(2, 4)):
        parts.append(f"## {sentence(rng, 3, 6, markup=False)[:-1]}")
        for _ in range(rng.randint(2, 4)):
            parts.append(paragraph(rng))
        roll = rng.random()
        if roll < 0.3:
            parts.append("> " + sentence(rng))
        elif roll < 0.6:
            parts.append("\n".join(f"- {sentence(rng, 4, 10)}" for _ in range(rng.randint(3, 6))))
        elif roll < 0.7:
            rows = [f"| {rng.choice(WORDS)} | {rng.randrange(1000)} | {rng.randrange(100)}% |"
                    for _ in range(rng.randint(2, 5))]
            parts.append("| Item | Count | Share |\n|---|---|---|\n" + "\n".join(rows))
    return "\n\n".join(parts) + "\n"


def article(rng: random.Random, i: int, claimants: list[str]) -> tuple[dict[str, Any], str]:
    """Front matter and body of article `i`; the draws come in a fixed order (see the
    module's docstring), so the fields are filled in the order they are written."""
    verdict = rng.choices([v for v, _ in VERDICTS], [w for _, w in VERDICTS])[0]
    published = dt.date(2016, 1, 1) + dt.timedelta(days=rng.randrange(3650))
    claim_date = published - dt.timedelta(days=rng.randrange(1, 20))
    title = sentence(rng, 5, 11, markup=False)[:-1]
    meta: dict[str, Any] = {
        "title": title,
        "claim": sentence(rng, 8, 20, markup=False),
        "claimant": rng.choice(claimants),
        "claim_date": claim_date.isoformat(),
        "claim_url": f"https://example.com/statements/{i}",
        "verdict": verdict,
        "summary": sentence(rng, 12, 25, markup=False),
        "date": published.isoformat(),
        "author": rng.choice(claimants[:30]),
        "tags": sorted(set(rng.sample(TAGS, rng.randint(1, 4)))),
        "sources": [
            {"title": sentence(rng, 3, 8, markup=False)[:-1],
             "url": f"https://example.net/a/{i}/{k}",
             "publisher": rng.choice(PUBLISHERS),
             "date": (claim_date + dt.timedelta(days=k)).isoformat()}
            for k in range(rng.randint(2, 8))
        ],
    }
    if rng.random() < 0.1:
        meta["updated"] = (published + dt.timedelta(days=rng.randint(1, 30))).isoformat()
    return meta, body(rng)


def yaml_scalar(value: Any) -> str:
    """JSON strings are valid YAML scalars and need no escaping rules of our own."""
    return json.dumps(value, ensure_ascii=False)


def yaml_front_matter(meta: dict[str, Any]) -> str:
    lines = ["---"]
    for key, value in meta.items():
        if key == "sources":
            lines.append("sources:")
            for src in value:
                first = True
                for k, v in src.items():
                    lines.append(f"  {'- ' if first else '  '}{k}: {yaml_scalar(v)}")
                    first = False
        elif isinstance(value, list):
            lines.append(f"{key}: [{', '.join(yaml_scalar(v) for v in value)}]")
        else:
            lines.append(f"{key}: {yaml_scalar(value)}")
    lines.append("---")
    return "\n".join(lines) + "\n\n"


def pelican_header(meta: dict[str, Any]) -> str:
    return "\n".join([
        f"Title: {meta['title']}", f"Date: {meta['date']}", f"Author: {meta['author']}",
        f"Tags: {', '.join(meta['tags'])}", f"Category: {meta['verdict']}",
        f"Summary: {meta['summary']}", f"Claimant: {meta['claimant']}",
    ]) + "\n\n"


def write_corpus(out: Path, count: int, seed: int = 1, flavor: str = "sitegen") -> Path:
    """Write `count` articles under `out` (under `out`/posts for Hugo), as
    `YEAR/fact-check-NNNNNN.md`; returns the folder they are in."""
    if flavor not in FLAVORS:
        raise ValueError(f"unknown flavor {flavor!r}; one of {', '.join(FLAVORS)}")
    rng = random.Random(seed)
    claimants = [f"{rng.choice(FIRST)} {rng.choice(LAST)}" for _ in range(CLAIMANTS)] + ORGS
    folder = out / "posts" if flavor == "hugo" else out
    for i in range(count):
        meta, text = article(rng, i, claimants)
        year = meta["date"][:4]
        path = folder / year / f"fact-check-{i:06d}.md"
        path.parent.mkdir(parents=True, exist_ok=True)
        head = pelican_header(meta) if flavor == "pelican" else yaml_front_matter(meta)
        path.write_text(head + text, encoding="utf-8")
    return folder


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__,
                                     formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("out", type=Path)
    parser.add_argument("--count", type=int, default=1000)
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument("--flavor", choices=FLAVORS, default="sitegen")
    args = parser.parse_args()
    folder = write_corpus(args.out, args.count, args.seed, args.flavor)
    print(f"wrote {args.count} articles under {folder}")


if __name__ == "__main__":
    main()

"""A deterministic corpus of fact-checks for tests that need a realistic site of many articles.

The benchmarks use the shared generator (../shared/bench/make_corpus.py), which lives outside
this repository; tests must run from a clone alone, so they make their corpus here. Every
article uses what writers use: headings, emphasis, lists, a table, a footnote, a quote, code,
links, several sources, tags and authors shared across articles.
"""

from __future__ import annotations

import random
from pathlib import Path

TWO_EDITIONS = """\
[site]
title = "Checked"
base_url = "https://factcheck.test/news/"

[[verdicts]]
id = "wrong"
label = "Wrong"
description = "Not so."
color = "#8b1a1a"
rating = 1

[[verdicts]]
id = "right"
label = "Right"
description = "So."
color = "#1a7f37"
rating = 2

[languages.he]
prefix = "ivrit"
title = "נבדק"
[languages.he.verdicts.wrong]
label = "שגוי"
description = "לא נכון."
"""
"""sitegen.toml of a site with a two-verdict scale and a Hebrew edition whose words for one
verdict are its own (the other is shown in English); tests add what they need after it."""

VERDICTS = ("true", "likely-true", "partially-true", "misleading", "partially-false",
            "likely-false", "false", "unclear")
CLAIMANTS = ("Defense Ministry", "Mayor Lena Horvat", "Senator Jane Doe", "A viral post",
             "The Finance Office", "Governor O'Neill", "Health Agency", "Party spokesman")
AUTHORS = ("Anna Kim", "Omar Haddad", "Ruth Müller", "Sam Okafor")
WORDS = ("budget", "vaccine", "border", "election", "survey", "report", "court", "school",
         "inflation", "troops", "ministry", "data", "record", "hospital", "official", "claim",
         "region", "evidence", "archive", "statement", "percent", "growth", "press", "study")
PUBLISHERS = ("Reuters", "AFP", "BBC", "Statistics Office", "Court records")


def write_corpus(folder: Path, count: int, seed: int = 1) -> list[Path]:
    """Write `count` fact-checks under `folder` as YEAR/fact-check-NNNNNN.md."""
    rng = random.Random(seed)
    written = []
    for n in range(count):
        year = 2016 + n % 9
        path = folder / str(year) / f"fact-check-{n:06}.md"
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(_article(rng, n, year), encoding="utf-8")
        written.append(path)
    return written


def _sentence(rng: random.Random, words: int) -> str:
    text = " ".join(rng.choice(WORDS) for _ in range(words))
    return text[0].upper() + text[1:]


def _article(rng: random.Random, n: int, year: int) -> str:
    month, day = 1 + n % 12, 1 + n % 27
    tags = sorted({f"topic-{rng.randrange(25)}" for _ in range(1 + n % 3)})
    sources = "".join(
        f'  - title: "{_sentence(rng, 5)}"\n'
        f'    url: "https://example.net/a/{n}/{k}"\n'
        f'    publisher: "{PUBLISHERS[(n + k) % len(PUBLISHERS)]}"\n'
        f'    date: "{year}-{month:02}-{day:02}"\n' for k in range(2 + n % 3))
    front = (
        "---\n"
        f'title: "{_sentence(rng, 7)}"\n'
        f'claim: "{_sentence(rng, 9)}."\n'
        f'claimant: "{CLAIMANTS[n % len(CLAIMANTS)]}"\n'
        f'claim_date: "{year}-{month:02}-{day:02}"\n'
        f'claim_url: "https://example.com/statements/{n}"\n'
        f"verdict: {VERDICTS[n % len(VERDICTS)]}\n"
        f'summary: "{_sentence(rng, 14)}."\n'
        f'date: "{year}-{month:02}-{min(day + 1, 28):02}"\n'
        f'author: "{AUTHORS[n % len(AUTHORS)]}"\n'
        f"tags: [{', '.join(tags)}]\n"
        f"sources:\n{sources}"
        "---\n")
    body = [
        f"{_sentence(rng, 20)} ([source](https://factcheck.test/{n}/1)). "
        f"A **{rng.choice(WORDS)}** figure \"quoted\" -- and *emphasised*.[^1]",
        f"## What the {rng.choice(WORDS)} shows",
        f"{_sentence(rng, 30)}.",
        "- " + _sentence(rng, 6) + "\n- " + _sentence(rng, 6) + "\n- " + _sentence(rng, 6),
        "| Year | Figure |\n| --- | ---: |\n"
        f"| {year - 1} | {rng.randrange(1000)} |\n| {year} | {rng.randrange(1000)} |",
        f"> {_sentence(rng, 15)}.",
        f"### The {rng.choice(WORDS)} in detail",
        f"{_sentence(rng, 25)}, see `{rng.choice(WORDS)}_id`.",
        f"[^1]: {_sentence(rng, 8)}.",
    ]
    return front + "\n" + "\n\n".join(body) + "\n"

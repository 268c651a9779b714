"""Articles that point to other articles: the related block and translations.

Both are computed once per site graph from the whole list of fact-checks; each article's
route then holds the articles it shows, so a change to one reaches every page that shows it.
"""

from __future__ import annotations

import bisect
from collections import Counter, defaultdict
from collections.abc import Sequence
from operator import itemgetter

from sitegen.models import FactCheck
from sitegen.problems import Problem, choices_hint, error
from sitegen.site.routes import Term
from sitegen.urls import term_slug

RELATED_COUNT = 4
RELATED_SCAN = 200


def related_items(factchecks: Sequence[FactCheck], terms: dict[str, tuple[Term, ...]],
                  lang: str | None = None) -> dict[str, tuple[FactCheck, ...]]:
    """Same claimant counts most, then each shared tag; only nearby items of big terms are read.

    Positions stand in for articles and Counter.update does the counting in C: at 10,000
    articles this runs for every article on every full build."""
    position = {fc.source_path: i for i, fc in enumerate(factchecks)}
    index = {(t.kind, t.slug): [position[o.source_path] for o in t.items[:RELATED_SCAN]]
             for kind in ("claimants", "tags") for t in terms[kind]}
    related: dict[str, tuple[FactCheck, ...]] = {}
    for i, fc in enumerate(factchecks):
        same_claimant = index[("claimants", term_slug(fc.claimant, lang))]
        scores = Counter(dict.fromkeys(same_claimant, 2))  # weight 2, counted in C
        for tag in fc.tags:
            scores.update(index[("tags", term_slug(tag, lang))])
        scores.pop(i, None)
        related[fc.source_path] = tuple(factchecks[j] for j in _best(scores, RELATED_COUNT))
    return related


def _best(scores: Counter[int], count: int) -> list[int]:
    """The `count` highest-scoring positions; among equal scores, the earlier position.

    Counter.most_common sorts by score in C; only the block of positions tied at the last
    score taken is sorted again (found by bisection), since most_common keeps ties in the
    order they were counted, not by position."""
    ranked = scores.most_common()
    if len(ranked) <= count:
        return [k for k, _ in sorted(ranked, key=_by_score_then_position)]
    edge = ranked[count - 1][1]
    start = bisect.bisect_left(ranked, -edge, key=_negated_score)
    end = bisect.bisect_right(ranked, -edge, key=_negated_score)
    head = [k for k, _ in sorted(ranked[:start], key=_by_score_then_position)]
    return head + sorted(map(itemgetter(0), ranked[start:end]))[:count - len(head)]


def _negated_score(item: tuple[int, int]) -> int:
    return -item[1]


def _by_score_then_position(item: tuple[int, int]) -> tuple[int, int]:
    return -item[1], item[0]


def translation_groups(
    factchecks: Sequence[FactCheck], site_language: str = ""
) -> tuple[dict[str, tuple[FactCheck, ...]], list[Problem]]:
    """`translation_of: SLUG` links an article to its original, and so to every other
    translation of it; each member maps to the others, for hreflang alternates both ways."""
    by_slug: dict[str, list[FactCheck]] = defaultdict(list)
    for fc in factchecks:
        by_slug[fc.slug].append(fc)
    groups: dict[str, list[FactCheck]] = defaultdict(list)
    problems: list[Problem] = []
    for fc in factchecks:
        if fc.translation_of is None:
            continue
        targets = _originals(by_slug.get(fc.translation_of, []), fc)
        problem = _translation_problem(fc, targets, list(by_slug), site_language)
        if problem:
            problems.append(problem)
            continue
        groups[targets[0].source_path].append(fc)
    by_path = {fc.source_path: fc for fc in factchecks}
    linked: dict[str, tuple[FactCheck, ...]] = {}
    for original_path, translations in groups.items():
        members = [by_path[original_path], *translations]
        for fc in members:
            linked[fc.source_path] = tuple(m for m in members if m is not fc)
    return linked, problems


def _originals(targets: list[FactCheck], fc: FactCheck) -> list[FactCheck]:
    """The fact-checks `translation_of` can mean. Editions often give a translation its
    original's slug (/2024/bridge/ and /ru/2024/bridge/): then the slug names two files, and
    the one meant is the original, not the translation itself."""
    if len(targets) < 2:
        return targets
    originals = [t for t in targets if t is not fc and t.translation_of is None]
    return originals or targets


def _translation_problem(fc: FactCheck, targets: list[FactCheck], slugs: list[str],
                         site_language: str) -> Problem | None:
    line = fc.lines.get("translation_of")
    if not targets:
        return error(fc.source_path, line, "translation_of",
                     f"no fact-check has the slug '{fc.translation_of}'",
                     choices_hint(fc.translation_of or "", sorted(slugs), "known slugs"))
    if len(targets) > 1:
        return error(fc.source_path, line, "translation_of",
                     f"'{fc.translation_of}' is the slug of several fact-checks: "
                     + ", ".join(t.source_path for t in targets), "give them distinct slugs")
    target = targets[0]
    if target is fc:
        return error(fc.source_path, line, "translation_of", "names the file itself")
    if target.translation_of is not None:
        return error(fc.source_path, line, "translation_of",
                     f"'{fc.translation_of}' is itself a translation",
                     f"name the original: '{target.translation_of}'")
    if (fc.lang or site_language) == (target.lang or site_language):
        return error(fc.source_path, line, "translation_of",
                     f"is in the same language as '{fc.translation_of}' "
                     f"({fc.lang or site_language})", "set 'lang:' to the translation's language")
    return None

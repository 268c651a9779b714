"""The related block's choice: the highest scores, ties to the earlier article, whatever
order the scores were counted in."""

from __future__ import annotations

from collections import Counter

from hypothesis import given
from hypothesis import strategies as st

from sitegen.site.links import _best


def by_definition(scores: Counter[int], count: int) -> list[int]:
    return [k for k, _ in sorted(scores.items(), key=lambda kv: (-kv[1], kv[0]))][:count]


@given(st.lists(st.tuples(st.integers(0, 60), st.integers(1, 4)), max_size=80),
       st.integers(1, 8))
def test_best_is_the_top_scores_with_ties_to_the_earlier_position(
        counted: list[tuple[int, int]], count: int) -> None:
    scores: Counter[int] = Counter()
    for position, weight in counted:  # in any order, as the related block counts them
        scores.update([position] * weight)
    assert _best(scores, count) == by_definition(scores, count)

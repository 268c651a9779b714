"""Template fragments made once per rendering and edition: a verdict's badge, a fact-check's
card at one address.

A listing page shows twenty cards, and every fact-check's card is on five to ten pages (the
listings of its verdict, claimant, topics and authors, the related block of other articles),
each card with its verdict's badge. Rendering them was most of a listing's time: Jinja macro
calls, escaping, dates. A theme macro wraps its body in `{% call remember(...) %}` with a
key that names everything the fragment shows beyond what is fixed for the edition being
rendered (its site graph, config and words), and gets the HTML made the first time.

A `Fragments` lives for one `render_each` (one build's pages, or one preview rebuild's) and
one edition, so an edited document or config can never be shown from an earlier one.
"""

from __future__ import annotations

from collections import OrderedDict
from collections.abc import Callable, Hashable

import jinja2
from markupsafe import Markup

KEPT = 4096
"""Fragments kept per rendering and edition, the least recently used going first: about a
kilobyte each, so a few megabytes per rendering process. A fact-check's card is made for
two or three links; at 2,000 articles all of them fit (85% of calls found). At 10,000, 65%
are found and rendering takes 12.5 CPU s; kept without limit (some 25 MB), 84% and 10.1 s;
16,384 kept, 83% and 10.6 s (bench/README.md, "Cold build CPU")."""


class Fragments:
    """The fragments of one rendering of one edition, by key."""

    def __init__(self, kept: int = KEPT) -> None:
        self._made: OrderedDict[tuple[Hashable, ...], Markup] = OrderedDict()
        self._kept = kept

    def remember(self, key: tuple[Hashable, ...], make: Callable[[], str]) -> Markup:
        found = self._made.get(key)
        if found is not None:
            self._made.move_to_end(key)
            return found
        found = self._made[key] = Markup(make())
        if len(self._made) > self._kept:
            self._made.popitem(last=False)
        return found


@jinja2.pass_context
def remember(context: jinja2.runtime.Context, *key: Hashable,
             caller: Callable[[], str]) -> Markup:
    """`{% call remember("card", fc.source_path, href) %}...{% endcall %}`: the block's HTML,
    made once for this key. Without the page's `fragments` (a template rendered some other
    way) the block is simply rendered."""
    fragments = context.get("fragments")
    if not isinstance(fragments, Fragments):
        return Markup(caller())
    return fragments.remember(key, caller)

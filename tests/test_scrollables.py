"""Wide tables and code blocks in a body scroll in their own box, which takes keyboard focus."""

from __future__ import annotations

from conftest import ScratchSite

BODY = """\
Before the table.

| Year | Share |
| --- | --- |
| 2019 | 31.5% |

After the table.

```
fenced()
```

    indented()

<pre class="raw">raw</pre>
"""


def test_tables_are_wrapped_in_a_focusable_box_and_stay_tables(site: ScratchSite) -> None:
    """A table sits alone in div.table-scroll[tabindex=0]; the text around it is untouched."""
    site.write("content/2020/a-claim.md", site.root.joinpath("content/2020/a-claim.md")
               .read_text(encoding="utf-8").replace("The body.\n", BODY))
    site.built()
    analysis = site.html("2020/a-claim/").select_one(".analysis")
    box = analysis.select_one("div.table-scroll")
    assert box["tabindex"] == "0"
    assert [child.name for child in box.find_all(recursive=False)] == ["table"]
    assert box.find_previous_sibling("p").get_text() == "Before the table."
    assert box.find_next_sibling("p").get_text() == "After the table."
    assert len(analysis.select("table")) == 1


def test_code_blocks_take_focus_however_written(site: ScratchSite) -> None:
    """Fenced, indented and raw-HTML code blocks all get tabindex=0, their code unchanged."""
    site.write("content/2020/a-claim.md", site.root.joinpath("content/2020/a-claim.md")
               .read_text(encoding="utf-8").replace("The body.\n", BODY))
    site.built()
    blocks = site.html("2020/a-claim/").select(".analysis pre")
    assert [(pre.get("tabindex"), pre.get_text().strip()) for pre in blocks] == [
        ("0", "fenced()"), ("0", "indented()"), ("0", "raw")]


def test_build_cache_from_before_is_not_reused() -> None:
    """Bodies cached by a sitegen without this wrapping (or another version of it) would come
    back unwrapped: the cache's header names it, so such a cache is thrown away whole."""
    from sitegen.cache import RENDERER
    from sitegen.markup import wide_blocks as scrollables

    assert f"scrollables {scrollables.VERSION}".encode() in RENDERER

"""Raw HTML in bodies: kept by default for embeds, sanitised with `allow_raw_html = false`, and
anything that runs in a reader's browser is a warning on its line either way."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import pytest
from conftest import CONFIG, ScratchSite

FC = "content/2020/a-claim.md"
RUNS = "which runs in readers' browsers (embed with the provider's <iframe> code instead, or " \
       "set [build] allow_raw_html = false to remove it)"
REMOVED = "which is removed from the page ([build] allow_raw_html = false removes it; delete " \
          "it from the body)"

MARKDOWN_ONLY = """\
Intro with "quotes" -- and a footnote[^1].

## A heading

### A sub-heading

| left | centre | right |
|:-----|:------:|------:|
| a    | b      | c     |

- one
- two
    - nested

3. three
4. four

> A quote with **bold**, *emphasis*, `code` and ~~no strike~~.

![A chart](/images/chart.png "The chart") [a link](https://factcheck.test/a?b=1&c=2 "Title"),
[relative](../other/), [mail](mailto:desk@example.org), [section](#a-heading).

```python
print("<script>not run</script>")
```

    indented code

---

[^1]: The footnote, with [a link](https://factcheck.test/).
"""

HOSTILE_BODY = """\
A video:

<iframe src="https://www.youtube-nocookie.com/embed/x" title="Video"></iframe>

<table class="data"><tr><td style="color: red">raw table</td></tr></table>

<script>document.title = "pwned"</script>
<img src="x.png" onerror="document.title = 'pwned'" alt="chart">
<a href=" javascript:alert(1)">click</a> and <a href="https://factcheck.test/" onclick="x()">ok</a>
<p style="position:fixed;top:0">overlay</p>

```html
<script>shown as code, never a warning</script>
```
"""


def with_raw_html(site: ScratchSite, allowed: bool) -> None:
    site.write("sitegen.toml", CONFIG + f"\n[build]\nallow_raw_html = {str(allowed).lower()}\n")


def analysis(site: ScratchSite) -> Any:
    """The article body as the page shows it."""
    found = site.html("2020/a-claim/").select_one(".analysis")
    assert found is not None
    return found


def test_markdown_output_is_the_same_sanitised_or_not(
        site: ScratchSite, make_factcheck: Callable[..., str]) -> None:
    """Everything Markdown itself makes survives sanitising: headings and their ids, tables and
    their alignment, lists, quotes, images, links, code, footnotes."""
    site.write(FC, make_factcheck(body=MARKDOWN_ONLY))
    site.built()
    kept = analysis(site)
    with_raw_html(site, allowed=False)
    result = site.built()
    assert not [p for p in result.problems if p.field == "body"]
    sanitised = analysis(site)
    for tag in [*kept.find_all(style=True), *sanitised.find_all(style=True)]:
        tag["style"] = tag["style"].replace(" ", "").rstrip(";")  # 'text-align: left;'
    assert str(sanitised) == str(kept)
    assert sanitised.select_one("h2#a-heading") is not None
    assert sanitised.select_one('th[style="text-align:center"]') is not None
    assert sanitised.select_one("sup a.footnote-ref")["href"] == "#fn:1"


def test_default_keeps_embeds_and_warns_about_scripts_on_their_lines(
        site: ScratchSite, make_factcheck: Callable[..., str]) -> None:
    site.write(FC, make_factcheck(body=HOSTILE_BODY))
    result = site.built()
    assert [m for m in site.messages(result) if ": body: " in m] == [
        f"{FC}:17: warning: body: has a <script> element, {RUNS}",
        f"{FC}:18: warning: body: has an 'onerror' event handler, {RUNS}",
        f"{FC}:19: warning: body: has a 'javascript:' link, {RUNS}",
        f"{FC}:19: warning: body: has an 'onclick' event handler, {RUNS}",
    ]
    page = site.html("2020/a-claim/")
    assert page.select_one('iframe[src^="https://www.youtube-nocookie.com/"]') is not None
    assert page.select_one("table.data td").get_text() == "raw table"


def test_sanitised_bodies_lose_scripts_handlers_iframes_and_styles(
        site: ScratchSite, make_factcheck: Callable[..., str]) -> None:
    with_raw_html(site, allowed=False)
    site.write(FC, make_factcheck(body=HOSTILE_BODY))
    result = site.built()
    assert [m for m in site.messages(result) if ": body: " in m] == [
        f"{FC}:17: warning: body: has a <script> element, {REMOVED}",
        f"{FC}:18: warning: body: has an 'onerror' event handler, {REMOVED}",
        f"{FC}:19: warning: body: has a 'javascript:' link, {REMOVED}",
        f"{FC}:19: warning: body: has an 'onclick' event handler, {REMOVED}",
    ]
    main = analysis(site)
    assert main.find_all(["iframe", "script", "style"]) == []
    for tag in main.find_all(True):
        assert not [name for name in tag.attrs if name.startswith("on")], tag
        assert tag.name in ("th", "td") or "style" not in tag.attrs, tag
        assert "javascript" not in str(tag.get("href", "")), tag
    assert main.select_one("table td").get_text() == "raw table"
    assert main.select_one("table.data") is None  # only Markdown's own classes are kept
    assert main.select_one('img[alt="chart"]') is not None
    assert "shown as code" in main.select_one("pre code").get_text()


def test_sanitised_bodies_cannot_borrow_the_themes_styles(
        site: ScratchSite, make_factcheck: Callable[..., str]) -> None:
    """A fake 'True' badge made with the theme's classes loses them, and a body cannot move
    itself first in the focus order; footnotes and scrolling tables keep their markup."""
    with_raw_html(site, allowed=False)
    site.write(FC, make_factcheck(body='<span class="verdict verdict--true">True</span>[^1]\n\n'
                                       '<div tabindex="1">First in focus order?</div>\n\n'
                                       "| a |\n|---|\n| b |\n\n[^1]: Note.\n"))
    site.built()
    main = analysis(site)
    assert main.select(".verdict") == []
    assert main.select("[tabindex]") == main.select('[tabindex="0"]')
    assert main.select_one('div.table-scroll[tabindex="0"] > table') is not None
    assert main.select_one("sup a.footnote-ref") is not None
    assert main.select_one("div.footnote a.footnote-backref") is not None


def test_pages_are_sanitised_too(site: ScratchSite) -> None:
    with_raw_html(site, allowed=False)
    site.write("content/pages/about.md",
               "---\ntitle: About\n---\nHello <script>alert(1)</script>\n")
    result = site.built()
    assert [m for m in site.messages(result) if ": body: " in m] == [
        f"content/pages/about.md:4: warning: body: has a <script> element, {REMOVED}"]
    assert site.html("about/").select_one(".page__body script") is None


def test_allow_raw_html_must_be_true_or_false(site: ScratchSite) -> None:
    site.write("sitegen.toml", CONFIG + '\n[build]\nallow_raw_html = "no"\n')
    assert site.messages(site.check()) == [
        "sitegen.toml:12: build.allow_raw_html: must be true or false, not str ('no')"]


@pytest.mark.parametrize(("allowed", "title"), [(True, "pwned"), (False, "A claim checked")])
def test_chromium_runs_body_scripts_only_when_raw_html_is_allowed(
        site: ScratchSite, make_factcheck: Callable[..., str], browser: Any, allowed: bool,
        title: str) -> None:
    """In a real browser: the default runs a writer's script (hence the warning); the
    sanitised page runs nothing, neither the script nor the onerror handler."""
    with_raw_html(site, allowed)
    site.write(FC, make_factcheck(body=HOSTILE_BODY.replace("<iframe", "<!--").replace(
        "</iframe>", "-->")))
    site.built()
    page = browser.new_page()
    try:
        page.goto((site.output / "2020" / "a-claim" / "index.html").as_uri())
        page.wait_for_load_state("load")
        shown = page.title()
    finally:
        page.close()
    assert shown.startswith(title)


@pytest.mark.parametrize("link", [
    '<a href="&#106;avascript:alert(1)">x</a>', '<a href="java&Tab;script:alert(1)">x</a>',
    '<a href="javascript&colon;alert(1)">x</a>', '<a href="JaVaScRiPt:alert(1)">x</a>',
    '<a href="\tjavascript:alert(1)">x</a>',
])
def test_disguised_javascript_links_are_warned_about(
        site: ScratchSite, make_factcheck: Callable[..., str], link: str) -> None:
    """Browsers read entities, case and blanks in a scheme; so does the warning."""
    site.write(FC, make_factcheck(body=f"Text.\n\n{link}\n"))
    result = site.built()
    assert [m for m in site.messages(result) if ": body: " in m] == [
        f"{FC}:13: warning: body: has a 'javascript:' link, {RUNS}"]


def test_transcripts_and_prose_about_scripts_are_not_warned_about(
        site: ScratchSite, make_factcheck: Callable[..., str]) -> None:
    site.write(FC, make_factcheck(body="The transcript: the script said `<script>`; one = two."))
    result = site.built()
    assert not [m for m in site.messages(result) if ": body: " in m]


LOCATED = [
    # (body, the file lines of its warnings: the body starts on line 11)
    ("One.\n\nTwo.\n\nSee [this](javascript:alert(1)) here.\n", [15]),
    ("One.\n\nTwo.\n\n![chart](javascript:alert(1))\n", [15]),
    ("See [this][x].\n\nTwo.\n\n[x]: javascript:alert(1)\n", [15]),
    ("Writers quote `<script>` in prose.\n\nTwo.\n\n<script>alert(1)</script>\n", [15]),
    ("A span over `two\n<script>` lines.\n\nTwo.\n\n<script>alert(1)</script>\n", [16]),
    ("<!-- <script>old()</script> -->\n\nTwo.\n\n<script>alert(1)</script>\n", [15]),
    ("Code:\n\n    <script>shown()</script>\n\nTwo.\n\n<script>alert(1)</script>\n", [17]),
    ("- a list\n\n    <script>inside()</script>\n", [13]),
    ("<script>a()</script>\n\nTwo.\n\n<script>a()</script>\n", [11, 15]),
    ('Raw:\n\n<a href="javascript:alert(1)">x</a>\n\nMarkdown: [y](javascript:alert(1))\n',
     [13, 15]),
    ('Markdown: [y](javascript:alert(1))\n\nRaw:\n\n<a href="javascript:alert(1)">x</a>\n',
     [11, 15]),
    ('Two.\n\n<div\n  onclick="x()">multi-line tag</div>\n', [13]),
]


@pytest.mark.parametrize(("body", "lines"), LOCATED)
def test_each_warning_names_the_line_of_its_construct(
        site: ScratchSite, make_factcheck: Callable[..., str], body: str,
        lines: list[int]) -> None:
    """A script, handler or javascript: link is reported on the line that holds it, whether
    it is raw HTML or a Markdown link, however often the same text is quoted in code or
    commented out before it."""
    site.write(FC, make_factcheck(body=body))
    result = site.check()
    assert [p.line for p in result.problems if p.field == "body"] == lines


def test_warnings_count_lines_after_multi_line_front_matter(
        site: ScratchSite, make_factcheck: Callable[..., str]) -> None:
    """Block scalars and lists in the front matter move the body down; the lines follow."""
    site.write(FC, make_factcheck(
        body="Intro.\n\nSee [a link](javascript:alert(1)).\n\n\n<script>x()</script>\n",
        summary="|\n  A summary\n  over three\n  lines.",
        sources='\n  - title: "One"\n    url: "https://example.org/1"\n'
                '  - title: "Two"\n    url: "https://example.org/2"'))
    text = (site.root / FC).read_text(encoding="utf-8").splitlines()
    assert text[21 - 1] == "See [a link](javascript:alert(1))." and text[24 - 1].startswith(
        "<script>")
    assert [m for m in site.messages(site.check()) if ": body: " in m] == [
        f"{FC}:21: warning: body: has a 'javascript:' link, {RUNS}",
        f"{FC}:24: warning: body: has a <script> element, {RUNS}"]

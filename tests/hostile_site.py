"""A small site whose every writer-supplied value is hostile, for the checkers (Nu, axe) to
read the frame, the header menu, the home page's lead, cards' conclusions and a claimant's
scorecard with: markup, quotes and ampersands, right-to-left text, a script-looking summary,
a long unbroken claimant name, a language edition with its switcher."""

from __future__ import annotations

from conftest import ScratchSite

HOSTILE_CONFIG = """\
[site]
title = "Desk <b>&amp;</b> \\"Co\\""
base_url = "https://factcheck.test/news/"
language = "en"
description = "Checks </title><script>alert(1)</script>"

[publisher]
name = "Desk & Co"
url = "https://factcheck.test/"

[languages.ru]
title = "Редакция «<i>»"
"""

NAME = r"<img src=x onerror=alert(1)> O'Brien & \"Sons\" مؤسسة Averyveryverylongclaimantname"
"""A claimant name as YAML would hold it inside double quotes."""


def hostile_factcheck(number: int, verdict: str, day: str, featured: bool = False) -> str:
    return f"""\
---
title: "Is <em>{number}</em> & \\"{number}\\" </style> true?"
claim: "<script>alert({number})</script> ' \\" & </textarea>"
claimant: "{NAME}"
verdict: {verdict}
date: {day}
claim_date: {day}
claim_url: "https://example.com/?a=1&b=<2>"
summary: "</p><svg onload=alert({number})> &amp; ‮reversed‬ conclusion {number}."
tags: ["<tag> & \\"x\\"", "شعار"]
featured: {"true" if featured else "false"}
---
Body {number}.
"""


def write_hostile_site(site: ScratchSite) -> None:
    """The hostile site's files (build it with site.built())."""
    site.write("sitegen.toml", HOSTILE_CONFIG)
    site.write("content/2020/a-claim.md", hostile_factcheck(1, "false", "2020-01-01",
                                                            featured=True))
    site.write("content/2021/b.md", hostile_factcheck(2, "misleading", "2021-01-01"))
    site.write("content/2022/c.md", hostile_factcheck(3, "false", "2022-01-01"))
    site.write("content/2022/ru.md", hostile_factcheck(4, "true", "2022-02-01")
               .replace("featured: false", "lang: ru"))
    site.write("content/pages/about.md",
               '---\ntitle: "About <us> & \\"them\\""\nmenu: 1\n---\nUs.\n')
    site.write("content/pages/policy.md",
               '---\ntitle: "Policy </nav></details>"\nmenu: 2\n---\nPolicy.\n')

"""Each verdict of the default scale wears an icon of its own, so no two are told apart by
colour alone."""

from __future__ import annotations

from conftest import ScratchSite

from sitegen.config import DEFAULT_VERDICTS


def test_every_default_verdict_has_its_own_icon(site: ScratchSite) -> None:
    site.built()
    methodology = site.html("methodology/")
    icons: dict[str, str] = {}
    for verdict in DEFAULT_VERDICTS:
        badge = methodology.select_one(f".verdict--{verdict.id}")
        assert badge is not None, verdict.id
        svg = badge.select_one("svg.verdict__icon")
        assert svg is not None and svg.get("aria-hidden") == "true"
        icons[verdict.id] = "".join(str(child) for child in svg.children)
    assert len(set(icons.values())) == len(DEFAULT_VERDICTS), icons


def test_a_verdict_of_a_newsroom_s_own_scale_gets_an_icon_by_its_rating(
        site: ScratchSite) -> None:
    config = site.root.joinpath("sitegen.toml").read_text(encoding="utf-8")
    site.write("sitegen.toml", config + """
[[verdicts]]
id = "pants-on-fire"
label = "Pants on fire"
description = "Ridiculous."
color = "#5c0a0a"
rating = 0

[[verdicts]]
id = "half"
label = "Half"
description = "Half."
color = "#f2c94c"
rating = 1

[[verdicts]]
id = "right"
label = "Right"
description = "Right."
color = "#1a7f37"
rating = 2

[[verdicts]]
id = "dunno"
label = "Dunno"
description = "Not known."
color = "#4b5563"
""")
    site.write("content/2020/a-claim.md", site.root.joinpath("content/2020/a-claim.md")
               .read_text(encoding="utf-8").replace("verdict: false", "verdict: half"))
    site.built()
    methodology = site.html("methodology/")
    shapes = {v: methodology.select_one(f".verdict--{v} svg")["class"][1]
              for v in ("pants-on-fire", "half", "right", "dunno")}
    assert shapes == {"pants-on-fire": "verdict__icon--false", "half": "verdict__icon--mixed",
                      "right": "verdict__icon--true", "dunno": "verdict__icon--unknown"}

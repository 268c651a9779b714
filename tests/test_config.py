"""sitegen.toml: every mistake is an error naming its line, with a did-you-mean for names."""

from __future__ import annotations

from collections.abc import Callable

from conftest import ScratchSite

CFG = "sitegen.toml"
SITE_TABLE = """\
[site]
title = "Test Desk"
base_url = "https://factcheck.test/"
"""
TWO_VERDICTS = """\
[site]
title = "Test Desk"
base_url = "https://factcheck.test/"

[[verdicts]]
id = "false"
label = "False"
description = "The claim is inaccurate."
color = "#8b1a1a"
rating = 1

[[verdicts]]
id = "unclear"
label = "Unclear"
description = "Not enough evidence."
color = "#4b5563"
"""


def test_unknown_section_suggests_the_intended_one(site: ScratchSite) -> None:
    """A misspelt [section] is an error on its header line with a did-you-mean."""
    site.write(CFG, SITE_TABLE + "\n[buld]\npage_size = 10\n")
    result = site.build()
    assert not result.ok
    assert site.messages(result) == [
        f"{CFG}:5: buld: unknown section "
        "(did you mean 'build'? allowed: site, publisher, build, verdicts, messages, languages)"
    ]


def test_unknown_setting_suggests_the_intended_one(site: ScratchSite) -> None:
    """A misspelt key is an error on its line with a did-you-mean and the allowed keys."""
    site.write(CFG, SITE_TABLE + 'langauge = "en"\n')
    result = site.build()
    assert not result.ok
    assert site.messages(result) == [
        f"{CFG}:4: site.langauge: unknown setting "
        "(did you mean 'language'? allowed: title, base_url, language, description, language_name)"
    ]


def test_a_setting_under_another_heading_is_told_where_it_goes(site: ScratchSite) -> None:
    """A known setting in the wrong table (share_cards under [site]) is not "unknown" with a
    list of [site]'s settings: the error names the table it belongs in."""
    site.write(CFG, SITE_TABLE + "share_cards = false\n")
    result = site.build()
    assert not result.ok
    assert site.messages(result) == [
        f"{CFG}:4: site.share_cards: not a setting of [site] "
        "('share_cards' is a setting of [build]: move it under that heading)"
    ]


def test_a_setting_above_every_heading_is_told_where_it_goes(site: ScratchSite) -> None:
    site.write(CFG, 'page_size = 10\ntitle = "Desk"\n' + SITE_TABLE)
    result = site.build()
    assert not result.ok
    assert sorted(site.messages(result)) == [
        f"{CFG}:1: page_size: a setting outside its table "
        "('page_size' is a setting of [build]: move it under that heading)",
        f"{CFG}:2: title: a setting outside its table "
        "('title' is a setting of [site]: move it under that heading)",
    ]


def test_no_setting_name_is_in_two_tables() -> None:
    """What lets a misplaced setting be sent to one table."""
    from sitegen.config import HOMES, SCHEMA

    assert len(HOMES) == sum(len(options) for options in SCHEMA.values())


def test_every_config_mistake_is_reported_in_one_run(site: ScratchSite) -> None:
    """Wrong types and unknown names across the file are all reported, each on its line."""
    site.write(CFG, """\
        [site]
        title = 5
        base_url = "https://factcheck.test/"

        [build]
        page_size = "10"
        permalnk = "/{year}/{slug}/"
        """)
    result = site.build()
    assert not result.ok
    assert sorted(site.messages(result)) == [
        f"{CFG}:2: site.title: must be text in quotes, not int (5)",
        f"{CFG}:6: build.page_size: must be a whole number, not str ('10')",
        f"{CFG}:7: build.permalnk: unknown setting (did you mean 'permalink'? allowed: "
        "content_dir, output_dir, templates_dir, static_dir, permalink, page_size, feed_size, "
        "check_history, allow_raw_html, share_cards, markdown_timeout)",
    ]


def test_base_url_must_be_an_http_url(site: ScratchSite) -> None:
    """A base_url that is not an absolute http(s) URL is an error on its line."""
    site.write(CFG, """\
        [site]
        title = "Test Desk"
        base_url = "ftp://example.org/"
        """)
    result = site.build()
    assert not result.ok
    assert site.messages(result) == [
        f"{CFG}:3: site.base_url: must be an absolute http(s) URL, "
        "such as 'https://example.org/'"
    ]


def test_permalink_must_contain_slug(site: ScratchSite) -> None:
    """A permalink without {slug} is an error on its line, since every URL would be the same."""
    site.write(CFG, SITE_TABLE + '\n[build]\npermalink = "/{year}/{month}/"\n')
    result = site.build()
    assert not result.ok
    assert site.messages(result) == [
        f"{CFG}:6: build.permalink: must contain {{slug}}, "
        "or every fact-check would get the same URL"
    ]


def test_verdict_ids_must_be_lowercase_and_hyphenated(site: ScratchSite) -> None:
    """A verdict id with capitals or underscores is an error on the id's line."""
    site.write(CFG, TWO_VERDICTS.replace('id = "unclear"', 'id = "Not_Clear"'))
    result = site.build()
    assert not result.ok
    assert site.messages(result) == [
        f"{CFG}:13: verdicts[2].id: must be lowercase letters, digits and hyphens, "
        "such as 'partially-true'"
    ]


def test_verdict_ids_must_be_unique(site: ScratchSite) -> None:
    """A verdict id declared twice is an error on the second declaration's line."""
    site.write(CFG, TWO_VERDICTS.replace('id = "unclear"', 'id = "false"'))
    result = site.build()
    assert not result.ok
    assert site.messages(result) == [f"{CFG}:13: verdicts[2].id: verdict 'false' is declared twice"]


def test_verdict_colors_must_be_hex_rrggbb(site: ScratchSite) -> None:
    """A verdict colour that is not #rrggbb is an error on its line."""
    site.write(CFG, TWO_VERDICTS.replace('"#4b5563"', '"grey"').replace('"#8b1a1a"', '"#8b1a1"'))
    result = site.build()
    assert not result.ok
    assert sorted(site.messages(result)) == [
        f"{CFG}:16: verdicts[2].color: 'grey' is not a colour as #rrggbb "
        "(write six hex digits after '#', such as color = \"#b42318\")",
        f"{CFG}:9: verdicts[1].color: '#8b1a1' is not a colour as #rrggbb "
        "(write six hex digits after '#', such as color = \"#b42318\")",
    ]


def test_a_short_hex_colour_is_echoed_with_its_six_digit_form(site: ScratchSite) -> None:
    """`color = "#f00"` is an error that shows the value it got and the #rrggbb it means."""
    site.write(CFG, TWO_VERDICTS.replace('"#4b5563"', '"#f00"'))
    assert site.messages(site.build()) == [
        f"{CFG}:16: verdicts[2].color: '#f00' is not a colour as #rrggbb "
        "(write six hex digits after '#', such as color = \"#ff0000\")"]


def test_misspelt_verdict_key_suggests_the_intended_one(site: ScratchSite) -> None:
    """A misspelt key in [[verdicts]] gets a did-you-mean, and the missing key is required."""
    site.write(CFG, TWO_VERDICTS.replace('color = "#4b5563"', 'colour = "#4b5563"'))
    result = site.build()
    assert not result.ok
    assert sorted(site.messages(result)) == [
        f"{CFG}:12: verdicts[2]: 'color' is required (Badge colour as #rrggbb.)",
        f"{CFG}:16: verdicts[2].colour: unknown setting "
        "(did you mean 'color'? allowed: id, label, description, color, rating)",
    ]


def test_verdict_without_rating_is_valid(
    site: ScratchSite, make_factcheck: Callable[..., str]
) -> None:
    """`rating` is optional: a verdict without one builds and is shown on its fact-checks."""
    site.write(CFG, TWO_VERDICTS)
    site.write("content/2020/a-claim.md", make_factcheck(verdict="unclear"))
    result = site.build()
    assert result.ok, site.messages(result)
    label = site.html("2020/a-claim/").select_one(".claim-box .verdict__label")
    assert label is not None
    assert label.get_text(strip=True) == "Unclear"


def test_content_verdicts_are_checked_against_the_configured_scale(
    site: ScratchSite, make_factcheck: Callable[..., str]
) -> None:
    """With a custom scale, a verdict outside it is an error listing the configured ids."""
    site.write(CFG, TWO_VERDICTS)
    site.write("content/2020/a-claim.md", make_factcheck(verdict="true"))
    result = site.build()
    assert not result.ok
    assert site.messages(result) == [
        "content/2020/a-claim.md:5: verdict: unknown verdict 'true' "
        "(the scale in sitegen.toml has: false, unclear)"
    ]


def test_toml_syntax_error_names_its_line(site: ScratchSite) -> None:
    """A TOML syntax error is reported with the line where it occurs."""
    site.write(CFG, SITE_TABLE + "\n[build]\npage_size = = 10\n")
    result = site.build()
    assert not result.ok
    assert site.messages(result) == [
        f"{CFG}:6: TOML syntax error: not a value TOML knows (a value is text in double "
        "quotes, a number, true or false, a [list] or a date)"]


def test_unquoted_text_is_told_it_needs_quotes(site: ScratchSite) -> None:
    """`title = My Desk` is an error on its line saying the text needs quotes, as it is meant."""
    site.write(CFG, '[site]\nbase_url = "https://factcheck.test/"\ntitle = My Desk  # ours\n')
    assert site.messages(site.build()) == [
        f"{CFG}:3: TOML syntax error: 'My Desk' is text without quotes "
        "(a text value needs quotes: title = \"My Desk\")"]


def test_yes_is_told_to_be_true(site: ScratchSite) -> None:
    """`check_history = yes` (YAML's word) is told to be written true."""
    site.write(CFG, SITE_TABLE + "\n[build]\ncheck_history = yes\n")
    assert site.messages(site.build()) == [
        f"{CFG}:6: TOML syntax error: 'yes' is not a value TOML knows "
        "(write true or false: check_history = true)"]


def test_an_unclosed_string_and_a_colon_for_equals_are_named(site: ScratchSite) -> None:
    """An unclosed quote and `name: value` (YAML's form) are each told what is wrong."""
    site.write(CFG, '[site]\ntitle = "Test Desk\n')
    assert site.messages(site.build()) == [
        f"{CFG}:2: TOML syntax error: a text value is not closed "
        "(end it with a double quote on this line)"]
    site.write(CFG, '[site]\ntitle: "Test Desk"\n')
    assert site.messages(site.build()) == [
        f"{CFG}:2: TOML syntax error: a setting needs '=' between its name and its value "
        "(such as: title = \"Test Desk\")"]


def test_an_example_base_url_is_a_warning_at_its_line(site: ScratchSite) -> None:
    """A base_url on example.org/com/net (or under one) builds with a warning naming what to
    set; a real-looking address gives none."""
    for url in ("https://example.org/", "https://news.example.com/checks/"):
        site.write(CFG, SITE_TABLE.replace("https://factcheck.test/", url))
        result = site.build()
        assert result.ok
        assert site.messages(result) == [
            f"{CFG}:3: warning: site.base_url: is '{url}', an example address: canonical "
            "links, feeds and the sitemap would all point there (set it to the address the "
            "site is published at, such as base_url = \"https://factcheck.your-newsroom.org/\")"]
        page = site.html("2020/a-claim/").select_one("link[rel=canonical]")
        assert page is not None and str(page["href"]).startswith(url)
    site.write(CFG, SITE_TABLE.replace("https://factcheck.test/", "https://notexample.org/"))
    assert site.messages(site.build()) == []


def test_missing_config_is_a_clear_error(site: ScratchSite) -> None:
    """A site folder without sitegen.toml is an error saying so and how to make one."""
    (site.root / CFG).unlink()
    result = site.build()
    assert not result.ok
    assert site.messages(result) == [
        f"{CFG}: no sitegen.toml in {site.root} "
        "(run 'sitegen init DIR' to make a new site, or pass --site DIR)"
    ]


def test_verdict_colours_too_close_to_tell_apart_are_a_warning_at_the_colour(
        site: ScratchSite) -> None:
    """Misleading #a64d00 and Partially false #b3400a (the old default scale) are nearly one
    orange: check and build warn at the second colour's line, naming both, and still build."""
    scale = TWO_VERDICTS.replace('"#8b1a1a"', '"#a64d00"').replace('"#4b5563"', '"#b3400a"')
    site.write(CFG, scale)
    expected = (f"{CFG}:16: warning: verdicts[2].color: '#b3400a' of 'unclear' is too close to "
                "'#a64d00' of 'false' to tell the badges apart (CIEDE2000 difference 6.5; at "
                "least 10 reads as another colour) (choose a colour of another hue or "
                "lightness; docs/configuration.md lists the default scale's)")
    checked = site.check()
    assert checked.ok and expected in site.messages(checked)
    built = site.build()
    assert built.ok and expected in site.messages(built)


def test_the_default_scale_and_the_shipped_one_have_colours_apart(site: ScratchSite) -> None:
    """No warning for the default scale, nor for it written out by `sitegen init`."""
    from sitegen.colors import difference
    from sitegen.commands import verdicts_toml
    from sitegen.config import DEFAULT_VERDICTS

    colours = [v.color for v in DEFAULT_VERDICTS]
    assert len(set(colours)) == len(colours)
    assert min(difference(a, b) for i, a in enumerate(colours) for b in colours[:i]) > 20
    site.write(CFG, SITE_TABLE + "\n" + verdicts_toml(DEFAULT_VERDICTS))
    result = site.check()
    assert result.ok
    assert not [m for m in site.messages(result) if "too close" in m]

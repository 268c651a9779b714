# ruff: noqa: RUF001  (Russian text is the point of these tests)
"""The message tables and plural rules on their own: the shipped tables agree with English,
CLDR's categories come out right, and a site's [messages] is checked like any setting."""

from __future__ import annotations

import datetime as dt
import tomllib
from collections.abc import Callable

import pytest
from conftest import ScratchSite
from markupsafe import Markup

from sitegen.i18n import plurals
from sitegen.i18n.messages import MESSAGES_PATH, Message, placeholders, shipped_languages

CFG = "sitegen.toml"
SITE = """\
[site]
title = "Test Desk"
base_url = "https://factcheck.test/"
language = "{language}"
"""


def table(language: str) -> dict[str, object]:
    return tomllib.loads((MESSAGES_PATH / f"{language}.toml").read_text(encoding="utf-8"))


def as_message(language: str, value: object) -> Message:
    if isinstance(value, str):
        return Message(language, text=value)
    if isinstance(value, dict):
        return Message(language, forms=tuple(value.items()))
    assert isinstance(value, list)
    return Message(language, items=tuple(value))


@pytest.mark.parametrize("number, expected", [
    (0, "many"), (1, "one"), (2, "few"), (4, "few"), (5, "many"), (11, "many"), (12, "many"),
    (14, "many"), (20, "many"), (21, "one"), (22, "few"), (25, "many"), (101, "one"),
    (111, "many"), (112, "many"), (122, "few"), (1000, "many"), (1001, "one"),
    ("1.5", "other"), ("2.0", "other"),
])
def test_russian_plural_categories_follow_cldr(number: int | str, expected: str) -> None:
    assert plurals.category("ru", number) == expected
    assert plurals.category("ru-RU", number) == expected


@pytest.mark.parametrize("number, expected", [
    (0, "other"), (1, "one"), (2, "other"), (11, "other"), (21, "other"), ("1.0", "other"),
])
def test_english_plural_categories_follow_cldr(number: int | str, expected: str) -> None:
    assert plurals.category("en", number) == expected


def test_whole_numbers_need_one_few_many_in_russian() -> None:
    assert plurals.whole_number_categories("ru") == ("one", "few", "many")
    assert plurals.whole_number_categories("en") == ("one", "other")
    assert plurals.categories("ru") == ("one", "few", "many", "other")


@pytest.mark.parametrize("language", [lang for lang in shipped_languages() if lang != "en"])
def test_every_shipped_table_translates_every_english_string(language: str) -> None:
    """Same keys, same shape, no placeholder English lacks, every plural form the language's
    rules give, and the default scale's words for every default verdict."""
    english, other = table("en"), table(language)
    scale = other.pop("default_scale")
    assert set(other) == set(english)
    for key, value in other.items():
        reference, message = as_message("en", english[key]), as_message(language, value)
        assert placeholders(message) <= placeholders(reference), key
        if reference.items:
            assert len(message.items) == len(reference.items), key
        elif reference.forms:
            forms = dict(message.forms)
            assert set(forms) == set(plurals.categories(language)), key
        else:
            assert message.text and not message.forms, key
    assert isinstance(scale, dict)
    assert sorted(scale) == sorted(["true", "likely-true", "partially-true", "misleading",
                                    "partially-false", "likely-false", "false", "unclear"])


def test_a_message_escapes_its_text_and_values_but_keeps_markup(site: ScratchSite) -> None:
    site.write(CFG, SITE.format(language="en") + '\n[messages]\nsources_heading = "A <b> & "\n')
    from sitegen.config.settings import load_config
    config, problems = load_config(site.root)
    assert config is not None, problems
    assert config.messages.markup("sources_heading") == Markup("A &lt;b&gt; &amp; ")
    link = Markup('<a href="x">5</a>')
    assert config.messages.markup("pager_status", number=link, count="<2>") == Markup(
        'Page <a href="x">5</a> of &lt;2&gt;')
    assert config.messages.date(dt.date(2018, 5, 28)) == "28 May 2018"


def test_russian_dates_name_the_month_in_the_genitive(site: ScratchSite) -> None:
    site.write(CFG, SITE.format(language="ru"))
    from sitegen.config.settings import load_config
    config, _ = load_config(site.root)
    assert config is not None
    months = [config.messages.date(dt.date(2018, m, 28)) for m in (1, 5, 12)]
    assert months == ["28 января 2018", "28 мая 2018", "28 декабря 2018"]
    assert config.messages.date(dt.date(2018, 9, 1), "short") == "1 сент. 2018"
    assert config.messages.join(["А", "Б", "В"]) == "А, Б и В"


def test_a_typo_in_messages_is_an_error_with_did_you_mean(site: ScratchSite) -> None:
    site.write(CFG, SITE.format(language="ru") + '\n[messages]\nsorces_heading = "Литература"\n')
    result = site.build()
    assert not result.ok
    assert site.messages(result) == [
        f"{CFG}:7: messages.sorces_heading: unknown message (did you mean 'sources_heading'? "
        "every key, with its English text, is in sitegen/theme/messages/en.toml)"
    ]


def test_every_mistake_in_messages_is_reported_with_its_line(site: ScratchSite) -> None:
    site.write(CFG, SITE.format(language="ru") + """
[messages]
pager_status = "Стр. {nmber} из {count}"
factchecks_count = { one = "{n} проверка", many = "{n} проверок" }
months = ["янв"]
sources_heading = 3
terms_empty = { two = "x", one = "y", few = "z", many = "w" }
""")
    result = site.build()
    assert site.messages(result) == [
        f"{CFG}:7: messages.pager_status: unknown placeholder {{nmber}} "
        "(did you mean {number}? this message can use: {count}, {number})",
        f"{CFG}:8: messages.factchecks_count: needs the form 'few' in 'ru' "
        "(its forms: one, few, many, other; counts use one, few, many)",
        f"{CFG}:9: messages.months: must be a list of 12 texts (as in English: January, "
        "February, …)",
        f"{CFG}:10: messages.sources_heading: must be text in quotes",
        f"{CFG}:11: messages.terms_empty: must be text in quotes",
    ]


def test_a_sites_own_strings_replace_the_shipped_ones(site: ScratchSite) -> None:
    site.write(CFG, SITE.format(language="ru") + """
[messages]
summary_heading = "Вывод"
factchecks_count = { one = "{n} разбор", few = "{n} разбора", many = "{n} разборов" }
""")
    site.built()
    page = site.html("2020/a-claim/")
    assert page.select_one("#summary-title").get_text() == "Вывод"
    assert site.html("claimants/").select_one(".term__count").get_text() == "1 разбор"


def test_a_language_without_a_table_is_english_with_one_warning(site: ScratchSite) -> None:
    site.write(CFG, SITE.format(language="de") + '\n[messages]\nsummary_heading = "Fazit"\n')
    result = site.built()
    warnings = [p.format() for p in result.problems if not p.is_error and p.path == CFG]
    assert warnings == [
        f"{CFG}:4: warning: site.language: sitegen has no interface strings in 'de' yet; "
        "111 of 112 are shown in English (translate them under [messages] in sitegen.toml, "
        "keys as in sitegen/theme/messages/en.toml; see docs/templates.md, 'Adding a language')"
    ]
    page = site.html("2020/a-claim/")
    assert page.select_one("#summary-title").get_text() == "Fazit"
    assert page.select_one(".kicker").get_text() == "Fact check"
    assert page.select_one(".verdict__label").get_text() == "False"


def test_a_regional_code_uses_its_languages_table(site: ScratchSite) -> None:
    site.write(CFG, SITE.format(language="ru-RU"))
    result = site.built()
    assert [p for p in result.problems if p.path == CFG] == []
    assert site.html("2020/a-claim/").select_one("#summary-title").get_text() == "Наш вывод"


def test_an_unknown_key_in_a_custom_template_names_the_line(site: ScratchSite) -> None:
    site.write("templates/page.html", '{% extends "theme/page.html" %}\n'
               '{% block content %}{{ t("last_updatd", date="x") }}{% endblock %}\n')
    site.write("content/pages/about.md", "---\ntitle: About\n---\nText.\n")
    result = site.build()
    assert not result.ok
    [message] = site.errors(result)
    assert message.startswith("templates/page.html:2: template error: \"no message "
                              "'last_updatd' (did you mean 'last_updated'?")


def test_english_counts_keep_their_forms(
    site: ScratchSite, make_factcheck: Callable[..., str]
) -> None:
    """One 'fact-check', any other number 'fact-checks', on the indexes that count."""
    site.write("content/2020/second.md", make_factcheck(date="2020-03-05", verdict="true"))
    site.write("content/2020/third.md", make_factcheck(date="2020-03-06", claimant='"Bo Li"'))
    site.built()
    claimants = {li.select_one("bdi").get_text(): li.select_one(".term__count").get_text()
                 for li in site.html("claimants/").select(".term")}
    assert claimants == {"Bo Li": "1 fact-check", "Jane Official": "2 fact-checks"}
    verdicts = [c.get_text() for c in site.html("verdicts/").select(".term__count")]
    assert verdicts == ["1 fact-check", *["0 fact-checks"] * 5, "2 fact-checks",
                        "0 fact-checks"]

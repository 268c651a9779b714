"""Slugs in Latin letters for titles and file names in other scripts (issue 8)."""

# ruff: noqa: RUF001, RUF003  (Cyrillic letters that look Latin are the subject here)

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from pathlib import Path

import pytest
from conftest import ScratchSite

from sitegen.cli import main
from sitegen.i18n import transliterate
from sitegen.urls import latin_slug


@pytest.mark.parametrize(("text", "lang", "slug"), [
    ("Заголовок про ёлку и подъезд", "ru", "zagolovok-pro-yelku-i-podyezd"),
    ("Горбачёв, Ельцин и Щукин", None, "gorbachev-yeltsin-i-shchukin"),
    ("Київ, Їжак і ґанок", "uk", "kyiv-yizhak-i-ganok"),
    ("Єнот, Юрій, Запоріжжя, Знам'янка, Згурівка", "uk",
     "yenot-yurii-zaporizhzhia-znamianka-zghurivka"),
    ("Гривня і європейці", None, "hryvnia-i-yevropeitsi"),  # і tells Ukrainian apart
    ("Мінск, Беларусь, ўзор", "be", "minsk-belarus-wzor"),
    ("България и щастие", "bg", "balgaria-i-shtastie"),
    ("Ђоковић из Љубљане", "sr", "djokovic-iz-ljubljane"),
    ("Ђоковић из Љубљане", "sr-Cyrl", "djokovic-iz-ljubljane"),
    ("Путин said «Нет» to Zelensky", "en", "putin-said-net-to-zelensky"),
    ("Ελληνικά νέα", "el", "ellinika-nea"),
    ("مرحبا بالعالم", "ar", "mrhb-bl-lm"),
    ("Café Straße in Łódź", "de", "cafe-strasse-in-lodz"),
    ("Inflation 😀 hits 10%", "en", "inflation-hits-10"),
])
def test_titles_in_other_scripts_become_latin_slugs(text: str, lang: str | None,
                                                    slug: str) -> None:
    """Cyrillic follows the standard of its language; other scripts go through anyascii;
    emoji and symbols are word breaks, never words."""
    assert latin_slug(text, lang) == slug


def test_a_title_of_emoji_alone_transliterates_to_nothing() -> None:
    """No ':grinning:' from anyascii: a slug of emoji names would be nonsense in a URL."""
    assert transliterate("😀👍✓").strip() == ""
    assert latin_slug("😀👍✓") == ""


def test_ukrainian_letters_stand_for_ukrainian_on_a_site_in_another_language() -> None:
    """'Київ' is 'kyiv' even when the site and article say nothing of Ukrainian."""
    assert latin_slug("Київ", None) == "kyiv"
    assert latin_slug("Київ", "en") == "kyiv"
    assert latin_slug("Киев", "en") == "kiyev"  # BGN/PCGN: е after a vowel is "ye"


def test_a_cyrillic_file_name_gives_a_transliterated_url(
        site: ScratchSite, make_factcheck: Callable[..., str]) -> None:
    """content/2020/пенсии-выросли.md is published at /2020/pensii-vyrosli/."""
    site.write("content/2020/пенсии-выросли.md", make_factcheck(lang="ru"))
    site.write("content/2020/гривня.md", make_factcheck(lang="uk"))
    site.built()
    assert (site.output / "2020/pensii-vyrosli/index.html").is_file()
    assert (site.output / "2020/hryvnia/index.html").is_file()


def test_a_given_slug_is_kept_as_written(
        site: ScratchSite, make_factcheck: Callable[..., str]) -> None:
    """`slug:` is the writer's choice, even in Cyrillic: nothing is transliterated."""
    site.write("content/2020/x.md", make_factcheck(slug="пенсии"))
    site.built()
    assert (site.output / "2020/пенсии/index.html").is_file()


def test_an_emoji_file_name_takes_the_title(
        site: ScratchSite, make_factcheck: Callable[..., str]) -> None:
    """A file name with no letters falls back to the title, transliterated."""
    site.write("content/2020/😀.md", make_factcheck(title='"Цены на хлеб"'))
    site.built()
    assert (site.output / "2020/tseny-na-khleb/index.html").is_file()


def test_no_letters_in_file_name_or_title_asks_for_a_slug(
        site: ScratchSite, make_factcheck: Callable[..., str]) -> None:
    """Emoji in both: an error on the title's line asking for `slug`, in the usual form."""
    site.write("content/2020/😀.md", make_factcheck(title='"😀👍"'))
    site.write("content/pages/🎉.md", "---\ntitle: \"🎉\"\n---\nHi.\n")
    result = site.build()
    assert not result.ok
    assert site.errors(result) == [
        "content/2020/😀.md:2: slug: cannot be made from the file name '😀' or the title: "
        "neither has a letter or digit (add a line 'slug: ...' naming the page in letters, "
        "digits and hyphens)",
        "content/pages/🎉.md:2: slug: cannot be made from the file name '🎉' or the title: "
        "neither has a letter or digit (add a line 'slug: ...' naming the page in letters, "
        "digits and hyphens)",
    ]


def test_two_files_that_transliterate_alike_are_an_error_naming_both(
        site: ScratchSite, make_factcheck: Callable[..., str]) -> None:
    """'пенсии.md' and 'pensii.md' would share /2020/pensii/: both files are named."""
    site.write("content/2020/pensii.md", make_factcheck())
    site.write("content/2020/пенсии.md", make_factcheck())
    result = site.build()
    assert not result.ok
    errors = site.errors(result)
    assert len(errors) == 1
    assert "content/2020/pensii.md" in errors[0]
    assert "content/2020/пенсии.md" in errors[0]
    assert "/2020/pensii/" in errors[0]


def test_new_names_the_file_in_latin_letters(
        site: ScratchSite, capsys: pytest.CaptureFixture[str]) -> None:
    """`sitegen new "Заголовок"` writes content/YEAR/zagolovok.md."""
    code = main(["new", "Заголовок", "--claimant", "Минздрав", "--site", str(site.root)])
    assert code == 0
    printed = Path(capsys.readouterr().out.strip())
    assert printed.name == "zagolovok.md"
    assert printed.parent.name == str(dt.date.today().year)


def test_new_with_an_emoji_claim_asks_for_a_slug(
        site: ScratchSite, capsys: pytest.CaptureFixture[str]) -> None:
    """A claim of emoji alone names no file: usage error, nothing written."""
    code = main(["new", "😀😀", "--claimant", "Someone", "--site", str(site.root)])
    assert code == 2
    err = capsys.readouterr().err
    assert "has no letters or digits to name the file" in err
    assert "--slug" in err
    assert not any((site.root / "content" / str(dt.date.today().year)).glob("*.md"))

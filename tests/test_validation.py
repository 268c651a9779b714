"""Content validation: every problem in every file, each located at `path:line: field`."""

from __future__ import annotations

from collections.abc import Callable

from bs4 import BeautifulSoup, Tag
from conftest import ScratchSite

FC = "content/2020/a-claim.md"
SCALE = (
    "the scale in sitegen.toml has: true, likely-true, partially-true, misleading, "
    "partially-false, likely-false, false, unclear"
)
DATE_HINT = "(write dates as YYYY-MM-DD, such as 2018-05-28)"
SCHEME_HINT = "(use an address starting with https:// or http://)"
FULL_ADDRESS_HINT = "(write the address in full, starting with https://)"
PAGE_FIELD = (
    "is a fact-check field, and this file is a plain page "
    "(move the file out of content/pages/ to make it a fact-check)"
)


def _one(root: BeautifulSoup | Tag, selector: str) -> Tag:
    found = root.select_one(selector)
    assert found is not None, f"no {selector!r} in the page"
    return found


def _verdict_label(site: ScratchSite) -> str:
    return _one(site.html("2020/a-claim/"), ".claim-box .verdict__label").get_text(strip=True)


# --- verdicts -------------------------------------------------------------------------------


def test_unknown_verdict_suggests_the_closest_and_lists_the_scale(
    site: ScratchSite, make_factcheck: Callable[..., str]
) -> None:
    """A misspelt verdict is an error on its line with a did-you-mean and the allowed values."""
    site.write(FC, make_factcheck(verdict="flase"))
    result = site.build()
    assert not result.ok
    assert site.errors(result) == [
        f"{FC}:5: verdict: unknown verdict 'flase' (did you mean 'false'? {SCALE})"
    ]


def test_unquoted_false_verdict_is_the_verdict_false(site: ScratchSite) -> None:
    """`verdict: false` without quotes (a YAML boolean) means the verdict 'false'."""
    site.write(FC, """\
        ---
        title: "A claim checked"
        claim: "The river is 100 km long."
        claimant: "Jane Official"
        verdict: false
        date: 2020-03-04
        ---
        The body.
        """)
    result = site.build()
    assert result.ok, site.messages(result)
    assert _verdict_label(site) == "False"


def test_unquoted_true_verdict_is_the_verdict_true(
    site: ScratchSite, make_factcheck: Callable[..., str]
) -> None:
    """`verdict: true` without quotes (a YAML boolean) means the verdict 'true'."""
    site.write(FC, make_factcheck(verdict="true"))
    result = site.build()
    assert result.ok, site.messages(result)
    assert _verdict_label(site) == "True"


# --- dates ----------------------------------------------------------------------------------


def test_quoted_iso_date_string_is_accepted_as_the_date(
    site: ScratchSite, make_factcheck: Callable[..., str]
) -> None:
    """A date written as a quoted ISO string works like an unquoted YAML date."""
    site.write(FC, make_factcheck(date='"2020-03-04"'))
    result = site.build()
    assert result.ok, site.messages(result)
    published = _one(site.html("2020/a-claim/"), ".byline time")
    assert published["datetime"] == "2020-03-04"


def test_impossible_date_is_an_error_on_its_line(
    site: ScratchSite, make_factcheck: Callable[..., str]
) -> None:
    """A mistyped date such as 2019-13-45 is an error on the line of the date field."""
    site.write(FC, make_factcheck(date="2019-13-45"))
    result = site.build()
    assert not result.ok
    assert site.errors(result) == [
        f"{FC}:6: date: '2019-13-45' is not a real date: month must be in 1..12 {DATE_HINT}"
    ]


# --- unknown and required fields ------------------------------------------------------------


def test_unknown_field_is_an_error_suggesting_the_intended_name(
    site: ScratchSite, make_factcheck: Callable[..., str]
) -> None:
    """A misspelt field name is an error with a did-you-mean and a pointer to `extra:`."""
    site.write(FC, make_factcheck(sumary='"It is 100 km."'))
    result = site.build()
    assert not result.ok
    assert site.errors(result) == [
        f"{FC}:7: sumary: unknown field "
        "(did you mean 'summary'? put custom data under 'extra:')"
    ]


def test_custom_data_under_extra_is_accepted(site: ScratchSite) -> None:
    """Fields of any name under `extra:` build without problems."""
    site.write(FC, """\
        ---
        title: "A claim checked"
        claim: "The river is 100 km long."
        claimant: "Jane Official"
        verdict: false
        date: 2020-03-04
        claim_date: 2020-03-01
        claim_url: https://example.com/speech
        summary: "It is 80 km long."
        extra:
          desk: health
          sumary: "not a typo here"
          scores: [1, 2]
        ---
        The body.
        """)
    result = site.build()
    assert result.ok, site.messages(result)
    assert site.messages(result) == []


def test_missing_required_factcheck_fields_are_each_reported(site: ScratchSite) -> None:
    """A fact-check missing title, claimant and date gets one error per missing field."""
    site.write(FC, """\
        ---
        claim: "The river is 100 km long."
        verdict: false
        ---
        The body.
        """)
    result = site.build()
    assert not result.ok
    messages = site.errors(result)
    for name in ("title", "claimant", "date"):
        assert (
            f"{FC}:4: {name}: is required for a fact-check "
            f"(add a line '{name}: ...' to the front matter)"
        ) in messages
    assert len(messages) == 3


def test_a_missing_advised_field_is_reported_at_the_closing_line(
        site: ScratchSite, make_factcheck: Callable[..., str]) -> None:
    """A field left out is warned about at the front matter's closing '---', where it would
    be added; one written empty is warned about on its own line."""
    site.write(FC, make_factcheck(claim_date=None, summary=""))
    result = site.build()
    assert result.ok
    assert sorted(site.messages(result)) == [
        f"{FC}:7: warning: summary: is empty: ClaimReview's reviewBody and the page "
        "description come from it (fill it in: 'summary: ...' with the conclusion in a "
        "sentence or two)",
        f"{FC}:9: warning: claim_date: is missing: fact-check search tools show when the "
        "claim was made (add 'claim_date: YYYY-MM-DD')",
    ]


def test_an_empty_required_field_is_reported_on_its_line(
        site: ScratchSite, make_factcheck: Callable[..., str]) -> None:
    """`claimant:` written with nothing after it is an error on its own line saying it is
    empty, not that it is missing."""
    site.write(FC, make_factcheck(claimant=""))
    assert site.errors(site.build()) == [
        f"{FC}:4: claimant: is empty, and it is required for a fact-check "
        "(write a value after the colon)"]


# --- plain pages ----------------------------------------------------------------------------


def test_page_under_pages_folder_requires_a_title(site: ScratchSite) -> None:
    """A file under content/pages/ is a plain page, and a page needs a title."""
    site.write("content/pages/about.md", """\
        ---
        summary: "Who we are."
        ---
        About us.
        """)
    result = site.build()
    assert not result.ok
    assert site.errors(result) == [
        "content/pages/about.md:3: title: is required for a page "
        "(add a line 'title: ...' to the front matter)"
    ]


def test_file_without_factcheck_markers_is_a_page_needing_a_title(site: ScratchSite) -> None:
    """A file with none of claim, claimant, verdict is a page, so it is told to add a title."""
    site.write("content/contact.md", """\
        ---
        summary: "How to reach us."
        ---
        Write to us.
        """)
    result = site.build()
    assert not result.ok
    assert site.errors(result) == [
        "content/contact.md:3: title: is required for a page "
        "(add a line 'title: ...' to the front matter)"
    ]


def test_factcheck_fields_on_a_page_under_pages_are_errors(site: ScratchSite) -> None:
    """Fact-check-only fields in a file under content/pages/ are errors on their lines."""
    site.write("content/pages/about.md", """\
        ---
        title: "About"
        verdict: false
        claimant: "Jane Official"
        menu: 2
        ---
        About us.
        """)
    result = site.build()
    assert not result.ok
    assert sorted(site.errors(result)) == [
        f"content/pages/about.md:3: verdict: {PAGE_FIELD}",
        f"content/pages/about.md:4: claimant: {PAGE_FIELD}",
    ]


# --- sources and links ----------------------------------------------------------------------


def test_javascript_source_url_is_an_error(site: ScratchSite) -> None:
    """A source URL with the `javascript:` scheme is rejected on its line."""
    site.write(FC, """\
        ---
        title: "A claim checked"
        claim: "The river is 100 km long."
        claimant: "Jane Official"
        verdict: false
        date: 2020-03-04
        sources:
          - title: "Survey"
            url: javascript:alert(1)
        ---
        The body.
        """)
    result = site.build()
    assert not result.ok
    assert site.errors(result) == [
        f"{FC}:9: sources[1].url: 'javascript:' links are not allowed {SCHEME_HINT}"
    ]


def test_non_web_schemes_are_errors_wherever_a_link_is_expected(site: ScratchSite) -> None:
    """mailto:, ftp: and file: links in claim_url, a source url and archive_url are errors."""
    site.write(FC, """\
        ---
        title: "A claim checked"
        claim: "The river is 100 km long."
        claimant: "Jane Official"
        verdict: false
        date: 2020-03-04
        claim_url: "mailto:jane@example.org"
        sources:
          - title: "Survey"
            url: ftp://example.org/survey.pdf
            archive_url: file:///etc/passwd
        ---
        The body.
        """)
    result = site.build()
    assert not result.ok
    assert sorted(site.errors(result)) == [
        f"{FC}:10: sources[1].url: 'ftp:' links are not allowed {SCHEME_HINT}",
        f"{FC}:11: sources[1].archive_url: 'file:' links are not allowed {SCHEME_HINT}",
        f"{FC}:7: claim_url: 'mailto:' links are not allowed {SCHEME_HINT}",
    ]


def test_url_without_scheme_is_a_warning_and_linked_with_https(site: ScratchSite) -> None:
    """A source URL like www.x.org/... builds with a warning and is linked as https://."""
    site.write(FC, """\
        ---
        title: "A claim checked"
        claim: "The river is 100 km long."
        claimant: "Jane Official"
        verdict: false
        date: 2020-03-04
        sources:
          - title: "Survey"
            url: www.x.org/survey
        ---
        The body.
        """)
    result = site.build()
    assert result.ok, site.messages(result)
    assert [m for m in site.messages(result) if "sources[" in m] == [
        f"{FC}:9: warning: sources[1].url: 'www.x.org/survey' has no scheme; "
        f"linked as 'https://www.x.org/survey' {FULL_ADDRESS_HINT}"
    ]
    link = _one(site.html("2020/a-claim/"), ".sources__list a")
    assert link["href"] == "https://www.x.org/survey"


def test_url_without_scheme_but_with_a_port_is_a_warning(site: ScratchSite) -> None:
    """A schemeless address with a port (www.x.org:8080/...) is a warning, not a bad scheme."""
    site.write(FC, """\
        ---
        title: "A claim checked"
        claim: "The river is 100 km long."
        claimant: "Jane Official"
        verdict: false
        date: 2020-03-04
        sources:
          - title: "Survey"
            url: www.x.org:8080/survey
        ---
        The body.
        """)
    result = site.build()
    assert result.ok, site.messages(result)
    assert [m for m in site.messages(result) if "sources[" in m] == [
        f"{FC}:9: warning: sources[1].url: 'www.x.org:8080/survey' has no scheme; "
        f"linked as 'https://www.x.org:8080/survey' {FULL_ADDRESS_HINT}"
    ]


def test_source_without_url_is_valid_and_shown_unlinked(site: ScratchSite) -> None:
    """A source with a title and no url builds and is listed as plain text."""
    site.write(FC, """\
        ---
        title: "A claim checked"
        claim: "The river is 100 km long."
        claimant: "Jane Official"
        verdict: false
        date: 2020-03-04
        sources:
          - title: "Phone interview with a hydrologist"
            publisher: "Test Desk"
        ---
        The body.
        """)
    result = site.build()
    assert result.ok, site.messages(result)
    item = _one(site.html("2020/a-claim/"), ".sources__list li")
    assert _one(item, ".source__title").get_text() == "Phone interview with a hydrologist"
    assert item.find("a") is None


def test_source_entry_needs_a_title_and_known_fields(site: ScratchSite) -> None:
    """A source without a title, or with a misspelt field, is an error inside that entry."""
    site.write(FC, """\
        ---
        title: "A claim checked"
        claim: "The river is 100 km long."
        claimant: "Jane Official"
        verdict: false
        date: 2020-03-04
        sources:
          - url: https://factcheck.test/survey
          - title: "Report"
            pubisher: "Ministry"
        ---
        The body.
        """)
    result = site.build()
    assert not result.ok
    assert sorted(site.errors(result)) == [
        f"{FC}:10: sources[2].pubisher: unknown field (did you mean 'publisher'? "
        "allowed: title, url, publisher, date, archive_url, id)",
        f"{FC}:8: sources[1].title: is required (add 'title: ...' to this entry)",
    ]


# --- updates --------------------------------------------------------------------------------


def test_update_entries_are_validated_including_their_verdict(site: ScratchSite) -> None:
    """Each update needs a real date and a note, and its verdict must be on the scale."""
    site.write(FC, """\
        ---
        title: "A claim checked"
        claim: "The river is 100 km long."
        claimant: "Jane Official"
        verdict: false
        date: 2020-03-04
        updates:
          - date: 2020-04-01
            note: "New figures."
            verdict: ture
          - date: 2020-04-31
            note: "Typo fixed."
          - note: "No date here."
        ---
        The body.
        """)
    result = site.build()
    assert not result.ok
    assert sorted(site.errors(result)) == [
        f"{FC}:10: updates[1].verdict: unknown verdict 'ture' (did you mean 'true'? {SCALE})",
        f"{FC}:11: updates[2].date: '2020-04-31' is not a real date: "
        f"day is out of range for month {DATE_HINT}",
        f"{FC}:13: updates[3].date: is required (add 'date: ...' to this entry)",
    ]


def test_valid_update_with_verdict_change_builds(site: ScratchSite) -> None:
    """An update with date, note and an unquoted verdict builds and shows the new verdict."""
    site.write(FC, """\
        ---
        title: "A claim checked"
        claim: "The river is 100 km long."
        claimant: "Jane Official"
        verdict: true
        original_verdict: false
        date: 2020-03-04
        updates:
          - date: 2020-04-01
            note: "New figures."
            verdict: true
        ---
        The body.
        """)
    result = site.build()
    assert result.ok, site.messages(result)
    update = _one(site.html("2020/a-claim/"), ".updates__list li")
    assert _one(update, ".verdict__label").get_text() == "True"


# --- broken files ---------------------------------------------------------------------------


def test_file_that_is_not_utf8_is_an_error_naming_the_line(site: ScratchSite) -> None:
    """A file with bytes that are not UTF-8 is an error naming the file and the line."""
    site.write_bytes(FC, b'---\ntitle: "Caf\xe9"\n---\nThe body.\n')
    result = site.build()
    assert not result.ok
    assert site.errors(result) == [
        f"{FC}:2: is not UTF-8 text (byte 0xe9) (save the file as UTF-8 in your editor)"
    ]


def test_empty_file_is_an_error(site: ScratchSite) -> None:
    """An empty (or blank) content file is an error naming the file."""
    site.write(FC, "")
    site.write("content/2020/blank.md", "\n   \n")
    result = site.build()
    assert not result.ok
    hint = "(a fact-check starts with front matter between two '---' lines)"
    assert sorted(site.errors(result)) == [
        f"{FC}: is empty {hint}",
        f"content/2020/blank.md: is empty {hint}",
    ]


def test_unclosed_front_matter_is_an_error(site: ScratchSite) -> None:
    """Front matter with no closing '---' is an error naming the file."""
    site.write(FC, """\
        ---
        title: "A claim checked"
        claim: "The river is 100 km long."
        """)
    result = site.build()
    assert not result.ok
    assert site.errors(result) == [
        f"{FC}:1: front matter is never closed (add a '---' line after the last field)"
    ]


def test_file_without_front_matter_is_an_error(site: ScratchSite) -> None:
    """A Markdown file that does not start with front matter is an error naming the file."""
    site.write(FC, "The river is 100 km long, says Jane.\n")
    result = site.build()
    assert not result.ok
    assert site.errors(result) == [
        f"{FC}:1: has no front matter (did you forget to start the file with a '---' line?)"
    ]


def test_duplicate_key_is_an_error_naming_the_first_line(site: ScratchSite) -> None:
    """A field written twice is an error on the second line that names the first one."""
    site.write(FC, """\
        ---
        title: "A claim checked"
        claim: "The river is 100 km long."
        claimant: "Jane Official"
        verdict: false
        date: 2020-03-04
        verdict: true
        ---
        The body.
        """)
    result = site.build()
    assert not result.ok
    assert site.errors(result) == [
        f"{FC}:7: verdict: is written twice (first on line 5) "
        "(keep one of them; YAML would silently use the last)"
    ]


def test_duplicate_key_inside_a_source_is_an_error_naming_the_first_line(
    site: ScratchSite,
) -> None:
    """A field written twice inside a source entry is an error too, not silently the last."""
    site.write(FC, """\
        ---
        title: "A claim checked"
        claim: "The river is 100 km long."
        claimant: "Jane Official"
        verdict: false
        date: 2020-03-04
        sources:
          - title: "River survey"
            url: https://factcheck.test/a
            url: https://factcheck.test/b
        ---
        The body.
        """)
    result = site.build()
    assert not result.ok
    errors = [m for m in site.errors(result) if m.startswith(f"{FC}:10: ")]
    assert len(errors) == 1, site.errors(result)
    assert "is written twice (first on line 9)" in errors[0]


def test_tab_indentation_is_a_yaml_error_on_its_line_with_a_hint(site: ScratchSite) -> None:
    """A tab used for indentation is reported on its file line with a hint about spaces."""
    text = "\n".join([
        "---",
        'title: "A claim checked"',
        'claim: "The river is 100 km long."',
        'claimant: "Jane Official"',
        "verdict: false",
        "date: 2020-03-04",
        "sources:",
        '\t- title: "River survey"',
        "---",
        "The body.",
        "",
    ])
    site.write_bytes(FC, text.encode())
    result = site.build()
    assert not result.ok
    messages = site.errors(result)
    assert len(messages) == 1, messages
    assert messages[0].startswith(f"{FC}:8: sources: front matter is not valid YAML: ")
    assert messages[0].endswith("(indent with spaces; YAML does not allow tabs)")


def test_unquoted_value_with_colon_space_is_a_yaml_error_with_a_hint(site: ScratchSite) -> None:
    """A value containing ': ' without quotes is reported on its line with a quoting hint."""
    site.write(FC, """\
        ---
        title: "A claim checked"
        claim: "The river is 100 km long."
        claimant: "Jane Official"
        verdict: false
        date: 2020-03-04
        summary: The answer: it is not
        ---
        The body.
        """)
    result = site.build()
    assert not result.ok
    assert site.errors(result) == [
        f"{FC}:7: summary: front matter is not valid YAML: mapping values are not allowed in "
        "this context (put a value that contains ': ' in double quotes)"
    ]


# --- output URLs ----------------------------------------------------------------------------


def test_two_files_with_the_same_url_are_an_error_naming_both(site: ScratchSite) -> None:
    """Two fact-checks that would be written to one URL are an error naming both files."""
    site.write("content/2020/other.md", """\
        ---
        title: "Another claim"
        claim: "The lake is deep."
        claimant: "Jane Official"
        verdict: true
        date: 2020-06-01
        slug: a-claim
        ---
        The body.
        """)
    result = site.build()
    assert not result.ok
    assert site.errors(result) == [
        f"content/2020/other.md:7: slug: would be written to /2020/a-claim/, which {FC} already "
        "uses (give one of them a different slug or file name)"]


def test_urls_differing_only_in_case_are_an_error_naming_both(site: ScratchSite) -> None:
    """Two outputs whose URLs differ only in letter case collide, naming both files."""
    site.write("content/pages/about.md", """\
        ---
        title: "About"
        ---
        About us.
        """)
    site.write("content/pages/about-us.md", """\
        ---
        title: "About us"
        slug: About
        ---
        More about us.
        """)
    result = site.build()
    assert not result.ok
    assert site.errors(result) == [
        "content/pages/about-us.md:3: slug: would be written to /About/, which "
        "content/pages/about.md already uses (give one of them a different slug or file name)"]


# --- all at once ----------------------------------------------------------------------------


def test_problems_in_three_files_are_all_reported_in_one_run(
    site: ScratchSite, make_factcheck: Callable[..., str]
) -> None:
    """A build reports every problem of every file at once instead of stopping at the first."""
    site.write(FC, make_factcheck(verdict="flase", date="2019-13-45"))
    site.write("content/2020/b.md", make_factcheck(titel='"Typo"'))
    site.write("content/2020/c.md", "No front matter here.\n")
    result = site.check()
    assert not result.ok
    assert sorted(site.errors(result)) == [
        f"{FC}:5: verdict: unknown verdict 'flase' (did you mean 'false'? {SCALE})",
        f"{FC}:6: date: '2019-13-45' is not a real date: month must be in 1..12 {DATE_HINT}",
        "content/2020/b.md:7: titel: unknown field "
        "(did you mean 'title'? put custom data under 'extra:')",
        "content/2020/c.md:1: has no front matter "
        "(did you forget to start the file with a '---' line?)",
    ]

"""The command line: init, build, check and new, run in-process through main() and as a program."""

from __future__ import annotations

import datetime as dt
import re
import subprocess
import sys
from collections.abc import Callable
from pathlib import Path
from typing import TYPE_CHECKING

import pytest
import yaml
from bs4 import BeautifulSoup, Tag

import sitegen
from sitegen.cli import main
from sitegen.markup.typography import smarten_text

if TYPE_CHECKING:
    from conftest import ScratchSite

SUMMARY = re.compile(
    r"^built (?P<pages>\d+) pages? \((?P<factchecks>\d+) fact-checks?, "
    r"(?P<warnings>\d+) warnings?\) in \d+\.\d+ s\b"
)
PROBLEM = re.compile(r"^(?P<path>[^\s:]+):(?P<line>\d+): (?:warning: )?(?P<field>[\w.\[\]]+): \S")
NEW_FIELDS = {
    "title", "claim", "claimant", "claimant_url", "claim_date", "claim_url", "verdict",
    "summary", "date", "author", "tags", "sources", "updates", "draft",
}


def tree(folder: Path) -> dict[str, bytes]:
    """Every file under `folder` by relative path, with its bytes."""
    return {p.relative_to(folder).as_posix(): p.read_bytes()
            for p in sorted(folder.rglob("*")) if p.is_file()}


def parse(path: Path) -> BeautifulSoup:
    return BeautifulSoup(path.read_text(encoding="utf-8"), "html5lib")


def text_of(node: Tag, selector: str) -> str:
    """The text of the one element `selector` finds inside `node`."""
    found = node.select_one(selector)
    assert found is not None, selector
    return found.get_text()


def front_matter(path: Path) -> dict[str, object]:
    text = path.read_text(encoding="utf-8")
    assert text.startswith("---\n")
    loaded = yaml.safe_load(text.split("---\n")[1])
    assert isinstance(loaded, dict)
    return loaded


def run_new(site: ScratchSite, claim: str, *options: str) -> int:
    return main(["new", claim, "--claimant", "Jane Official", "--site", str(site.root), *options])


def broken_site(site: ScratchSite, make_factcheck: Callable[..., str]) -> None:
    """Two files with errors on known lines: an unknown verdict and an impossible date."""
    site.write("content/2020/bad-verdict.md", make_factcheck(verdict="fasle"))
    site.write("content/2020/bad-date.md", make_factcheck(date="2020-13-45"))


# --- init -----------------------------------------------------------------------------------


def test_init_makes_a_site_that_builds_at_once(
        tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    """`sitegen init DIR` writes a site whose first build succeeds and shows the example page."""
    folder = tmp_path / "newsite"
    assert main(["init", str(folder)]) == 0
    assert main(["build", "--site", str(folder)]) == 0
    assert (folder / "output" / "index.html").is_file()
    examples = list((folder / "content").glob("*/new-bridge-longest.md"))
    assert len(examples) == 1
    year = examples[0].parent.name
    page = folder / "output" / year / "new-bridge-longest" / "index.html"
    assert page.is_file()
    home = parse(folder / "output" / "index.html")
    assert home.find("a", href=f"{year}/new-bridge-longest/") is not None
    err = capsys.readouterr().err.splitlines()
    assert len(err) == 1 and "warning: site.base_url: is 'https://example.org/'" in err[0]


def uncomment_languages(config: Path) -> None:
    """Uncomment the skeleton's `[languages.ru]` example as a writer would: drop each '# '."""
    text = config.read_text(encoding="utf-8")
    start = text.index("# [languages.ru]")
    lines = [line.removeprefix("# ") for line in text[start:].splitlines()]
    config.write_text(text[:start] + "\n".join(lines) + "\n", encoding="utf-8")


def test_init_languages_example_works_as_written(
        tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    """Uncommenting the skeleton's own [languages.ru] example keeps the default scale's
    Russian words: no 'shown in the main language' warning, Russian labels on ru pages, and
    the example's own wording for 'false'."""
    folder = tmp_path / "newsite"
    assert main(["init", str(folder)]) == 0
    uncomment_languages(folder / "sitegen.toml")
    capsys.readouterr()
    assert main(["build", "--site", str(folder)]) == 0
    assert "main language" not in capsys.readouterr().err
    page = parse(folder / "output" / "ru" / "methodology" / "index.html")
    labels = [label.get_text(strip=True) for label in page.select(".verdict__label")]
    assert labels[:2] == ["Правда", "Скорее правда"] and "Ложь" in labels
    assert "True" not in labels and "Unclear" not in labels


def test_init_writes_gitignore_for_output_and_cache(tmp_path: Path) -> None:
    """The .gitignore of a new site ignores the output/ folder and the .sitegen-cache/ folder."""
    folder = tmp_path / "newsite"
    assert main(["init", str(folder)]) == 0
    lines = {line.strip() for line in (folder / ".gitignore").read_text().splitlines()
             if line.strip() and not line.startswith("#")}
    assert lines & {"output/", "/output/", "output", "/output"}
    assert lines & {".sitegen-cache/", "/.sitegen-cache/", ".sitegen-cache", "/.sitegen-cache"}


def test_init_refuses_a_non_empty_folder(
        tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    """`sitegen init` into a folder holding a file exits 2, says why, and changes nothing."""
    folder = tmp_path / "taken"
    folder.mkdir()
    (folder / "notes.txt").write_bytes(b"keep me\n")
    assert main(["init", str(folder)]) == 2
    err = capsys.readouterr().err
    assert "not empty" in err and str(folder) in err
    assert tree(folder) == {"notes.txt": b"keep me\n"}


# --- build ----------------------------------------------------------------------------------


def test_build_prints_one_summary_line(
        site: ScratchSite, capsys: pytest.CaptureFixture[str]) -> None:
    """A good build exits 0 and prints one stdout line counting pages, fact-checks, warnings."""
    assert main(["build", "--site", str(site.root)]) == 0
    out, err = capsys.readouterr()
    lines = out.splitlines()
    assert len(lines) == 1, out
    match = SUMMARY.match(lines[0])
    assert match, lines[0]
    pages = list(site.output.rglob("*.html"))
    assert int(match["pages"]) == len(pages)
    assert (match["factchecks"], match["warnings"]) == ("1", "0")
    assert err == ""


def test_build_with_warnings_exits_zero(
        site: ScratchSite, make_factcheck: Callable[..., str],
        capsys: pytest.CaptureFixture[str]) -> None:
    """Warnings are printed on stderr and counted in the summary, but the build still exits 0."""
    site.write("content/2020/a-claim.md", make_factcheck(claim_date="2020-03-09"))
    assert main(["build", "--site", str(site.root)]) == 0
    out, err = capsys.readouterr()
    assert re.search(r"^content/2020/a-claim\.md:\d+: warning: claim_date: ", err, re.M), err
    match = SUMMARY.match(out)
    assert match and match["warnings"] == "1", out
    assert (site.output / "2020" / "a-claim" / "index.html").is_file()


def test_build_errors_exit_one_with_every_problem_on_stderr(
        site: ScratchSite, make_factcheck: Callable[..., str],
        capsys: pytest.CaptureFixture[str]) -> None:
    """Content errors exit 1 and list every problem as path:line: field: message, no traceback."""
    broken_site(site, make_factcheck)
    assert main(["build", "--site", str(site.root)]) == 1
    out, err = capsys.readouterr()
    assert out == ""
    assert "Traceback" not in err
    located = [m for m in map(PROBLEM.match, err.splitlines()) if m]
    assert {(m["path"], m["field"]) for m in located} == {
        ("content/2020/bad-verdict.md", "verdict"), ("content/2020/bad-date.md", "date")}
    assert "content/2020/bad-verdict.md:5: verdict: unknown verdict 'fasle'" in err
    assert "content/2020/bad-date.md:6: date: '2020-13-45' is not a real date" in err
    assert not site.output.exists()


def test_config_error_exits_one_naming_the_line(
        site: ScratchSite, capsys: pytest.CaptureFixture[str]) -> None:
    """A wrong setting in sitegen.toml exits 1 with sitegen.toml:line: setting: message."""
    site.write("sitegen.toml", """\
        [site]
        title = "Test Desk"
        base_url = "https://factcheck.test/"

        [build]
        page_size = "twenty"
        """)
    assert main(["build", "--site", str(site.root)]) == 1
    err = capsys.readouterr().err
    assert re.search(r"^sitegen\.toml:6: build\.page_size: ", err, re.M), err
    assert "Traceback" not in err


@pytest.mark.parametrize("argv", [
    ["build", "--no-such-option"],
    ["publish"],
    ["new", "The river is long."],
], ids=["unknown-option", "unknown-command", "new-without-claimant"])
def test_usage_errors_exit_two(
        argv: list[str], site: ScratchSite, capsys: pytest.CaptureFixture[str]) -> None:
    """Unknown options, unknown commands and `new` without --claimant are usage errors: exit 2."""
    with pytest.raises(SystemExit) as raised:
        main([*argv, "--site", str(site.root)])
    assert raised.value.code == 2
    assert "usage:" in capsys.readouterr().err
    assert not site.output.exists()


def test_console_script_reports_errors_with_exit_code(
        site: ScratchSite, make_factcheck: Callable[..., str]) -> None:
    """`python -m sitegen build` on a broken site exits 1, problems on stderr, no traceback."""
    broken_site(site, make_factcheck)
    done = subprocess.run([sys.executable, "-m", "sitegen", "build", "--site", str(site.root)],
                          capture_output=True, text=True, check=False)
    assert done.returncode == 1
    assert "content/2020/bad-verdict.md:5: verdict: unknown verdict 'fasle'" in done.stderr
    assert "Traceback" not in done.stderr
    assert done.stdout == ""


def test_console_script_prints_version() -> None:
    """The installed `sitegen --version` prints the package version and exits 0."""
    script = Path(sys.executable).with_name("sitegen")
    done = subprocess.run([str(script), "--version"], capture_output=True, text=True,
                          check=False)
    assert done.returncode == 0
    assert done.stdout.strip() == f"sitegen {sitegen.__version__}"


# --- check ----------------------------------------------------------------------------------


def test_check_reports_the_same_problems_as_build_and_writes_nothing(
        site: ScratchSite, make_factcheck: Callable[..., str],
        capsys: pytest.CaptureFixture[str]) -> None:
    """`sitegen check` on a broken site prints build's problem lines, exits 1, makes no output/."""
    broken_site(site, make_factcheck)
    assert main(["check", "--site", str(site.root)]) == 1
    check_err = capsys.readouterr().err
    assert not site.output.exists()
    assert main(["build", "--site", str(site.root)]) == 1
    build_err = capsys.readouterr().err
    problems = [line for line in build_err.splitlines() if PROBLEM.match(line)]
    assert len(problems) == 2
    assert [line for line in check_err.splitlines() if PROBLEM.match(line)] == problems
    assert "Traceback" not in check_err


def test_check_leaves_existing_output_untouched(
        site: ScratchSite, make_factcheck: Callable[..., str],
        capsys: pytest.CaptureFixture[str]) -> None:
    """A passing check after content changed exits 0 and does not touch the built output/."""
    site.built()
    before = tree(site.output)
    site.write("content/2020/another.md", make_factcheck(title='"Another claim"'))
    assert main(["check", "--site", str(site.root)]) == 0
    assert capsys.readouterr().out.startswith("checked ")
    assert tree(site.output) == before


def test_check_finds_template_errors_that_fail_the_build(
        site: ScratchSite, capsys: pytest.CaptureFixture[str]) -> None:
    """A template that fails while rendering makes check exit 1 with the same message as build."""
    site.write("templates/factcheck.html", """\
        {% extends "theme/factcheck.html" %}
        {% block analysis %}{{ nope.attr }}{% endblock %}
        """)
    assert main(["build", "--site", str(site.root)]) == 1
    build_err = capsys.readouterr().err
    assert "templates/factcheck.html:2: template error: " in build_err
    assert main(["check", "--site", str(site.root)]) == 1
    assert "templates/factcheck.html:2: template error: " in capsys.readouterr().err


def test_template_typos_are_each_named_at_their_line_with_a_did_you_mean(
        site: ScratchSite, capsys: pytest.CaptureFixture[str]) -> None:
    """Every undefined name or attribute in a site template is reported in one run, once,
    at its template line, naming the expression and the name that was probably meant."""
    site.write("templates/base.html", """\
        {% extends "theme/base.html" %}
        {% block footer %}
        <p>{{ config.site.titel }}</p>
        <p>{{ sitee.title }}</p>{% if page.nope %}x{% endif %}
        {% endblock %}
        """)
    assert main(["check", "--site", str(site.root)]) == 1
    err = capsys.readouterr().err.splitlines()
    assert [line.split(" (")[0] for line in err[:-1]] == [
        "templates/base.html:3: template error: config.site has no attribute 'titel'",
        "templates/base.html:4: template error: 'sitee' is undefined",
        "templates/base.html:4: template error: page has no attribute 'nope'",
    ]
    assert "(did you mean 'title'? it has: title, base_url, " in err[0]
    assert "(did you mean 'site'? while rendering /" in err[1]
    assert "SiteSettings" not in "\n".join(err)
    assert err[-1] == "check failed: 3 errors, 0 warnings"


# --- new ------------------------------------------------------------------------------------


def test_new_writes_a_draft_with_every_field_and_prints_its_path(
        site: ScratchSite, capsys: pytest.CaptureFixture[str]) -> None:
    """`sitegen new` writes content/YEAR/SLUG.md from the claim, as a draft, and prints the path."""
    assert run_new(site, "The river is 200 km long!", "--verdict", "false") == 0
    printed = Path(capsys.readouterr().out.strip())
    year = str(dt.date.today().year)
    expected = site.root / "content" / year / "the-river-is-200-km-long.md"
    assert printed.resolve() == expected.resolve()
    fields = front_matter(expected)
    assert set(fields) >= NEW_FIELDS
    assert fields["claim"] == "The river is 200 km long!"
    assert fields["claimant"] == "Jane Official"
    assert fields["verdict"] is False or fields["verdict"] == "false"
    assert fields["draft"] is True


def test_empty_fields_of_a_new_file_are_reported_on_their_own_lines(
        site: ScratchSite, capsys: pytest.CaptureFixture[str]) -> None:
    """The fields `sitegen new` leaves empty are warned about at the line where each stands
    (claim_date: on line 6), not at the front matter's first line."""
    assert run_new(site, "The river is 200 km long!") == 0
    path = Path(capsys.readouterr().out.strip())
    lines = path.read_text(encoding="utf-8").splitlines()
    assert main(["check", "--drafts", "--site", str(site.root)]) == 0
    rel = path.resolve().relative_to(site.root.resolve()).as_posix()
    found = {m["field"]: int(m["line"]) for m in map(PROBLEM.match, capsys.readouterr().err
                                                      .splitlines()) if m and m["path"] == rel}
    assert found == {"claim_date": 6, "claim_url": 7, "summary": 9}
    for name, line in found.items():
        assert lines[line - 1].startswith(f"{name}:")


def test_new_slug_option_names_the_file(
        site: ScratchSite, capsys: pytest.CaptureFixture[str]) -> None:
    """--slug chooses the file name instead of the claim."""
    assert run_new(site, "The river is 200 km long!", "--slug", "river-length") == 0
    printed = Path(capsys.readouterr().out.strip())
    assert printed.name == "river-length.md"
    assert printed.is_file()


def test_new_file_builds_as_a_marked_draft_only_with_drafts(
        site: ScratchSite, capsys: pytest.CaptureFixture[str]) -> None:
    """The new file passes check, is absent from a normal build and marked draft with --drafts."""
    assert run_new(site, "Bread prices doubled this year.") == 0
    path = Path(capsys.readouterr().out.strip())
    rel = f"{path.parent.name}/{path.stem}/"
    assert site.check().ok
    site.built()
    assert not (site.output / rel).exists()
    site.built(drafts=True)
    page = site.html(rel)
    assert page.select(".draft-banner")
    assert text_of(page, ".claim-box .claim") == "Bread prices doubled this year."


def test_new_never_overwrites_an_existing_file(
        site: ScratchSite, capsys: pytest.CaptureFixture[str]) -> None:
    """A second `new` for the same claim exits 2, says the file exists and leaves it as it was."""
    assert run_new(site, "Bread prices doubled this year.") == 0
    path = Path(capsys.readouterr().out.strip())
    edited = path.read_bytes().replace(b"Write the analysis here.", b"My careful analysis.")
    path.write_bytes(edited)
    assert run_new(site, "Bread prices doubled this year.") == 2
    out, err = capsys.readouterr()
    assert "already exists" in err
    assert out == ""
    assert path.read_bytes() == edited


def test_new_unknown_verdict_suggests_the_closest(
        site: ScratchSite, capsys: pytest.CaptureFixture[str]) -> None:
    """An unknown --verdict exits 2 with a did-you-mean and writes no file."""
    before = tree(site.root)
    assert run_new(site, "Bread prices doubled this year.", "--verdict", "fasle") == 2
    assert "did you mean 'false'" in capsys.readouterr().err
    assert tree(site.root) == before


@pytest.mark.parametrize("claim", [
    'He said: "it\'s #1" -- really? key: value # not a comment',
    "- [a, b] {c: d} & *alias !tag | > % \\backslash\\ <b>angle</b>",
    "null",
    "First line.\nSecond line:\twith a colon and a tab.",
    "Пенсии выросли «вдвое»\u2028and a line separator, a NEL\u0085and a paragraph\u2029end.",
])
def test_new_claim_text_round_trips_into_the_claim_box(
        claim: str, site: ScratchSite, capsys: pytest.CaptureFixture[str]) -> None:
    """Claim text full of YAML syntax comes out in the page's claim box as typed, with
    typographic quotes (content/typeset.py)."""
    assert run_new(site, claim) == 0
    path = Path(capsys.readouterr().out.strip())
    site.built(drafts=True)
    page = site.html(f"{path.parent.name}/{path.stem}/")
    assert text_of(page, ".claim-box .claim") == smarten_text(claim, "en")
    if not claim.isascii():  # written as the writer typed it, not as \u escapes
        assert "Пенсии" in path.read_text(encoding="utf-8")


# --- drafts ---------------------------------------------------------------------------------


@pytest.fixture
def with_draft(site: ScratchSite, make_factcheck: Callable[..., str]) -> ScratchSite:
    """The fixture site plus a draft by the same claimant."""
    site.write("content/2020/secret.md", make_factcheck(
        title='"Secret draft check"', claim='"Unpublished words."', date="2020-05-06",
        draft="true"))
    return site


def test_drafts_are_left_out_by_default(with_draft: ScratchSite) -> None:
    """Without --drafts a draft has no page and is in neither the home nor its claimant listing."""
    with_draft.built()
    assert not (with_draft.output / "2020" / "secret").exists()
    for rel in ("", "claimants/jane-official/"):
        page = with_draft.html(rel)
        assert "Secret draft check" not in page.get_text()
        assert page.find("a", string="A claim checked") is not None
        assert not page.select(".card--draft, .preview-note, meta[name=robots]")


def test_drafts_are_marked_when_included(with_draft: ScratchSite) -> None:
    """With --drafts the draft is bannered, its cards marked, and every page says noindex."""
    with_draft.built(drafts=True)
    page = with_draft.html("2020/secret/")
    assert page.select(".draft-banner")
    for rel in ("", "claimants/jane-official/"):
        listing = with_draft.html(rel)
        drafts = listing.select(".card--draft")
        assert [text_of(c, ".card__title") for c in drafts] == ["Secret draft check"]
        assert len(listing.select(".card")) == 2
    for html in with_draft.output.rglob("*.html"):
        parsed = parse(html)
        robots = parsed.select_one('meta[name="robots"]')
        assert robots is not None and robots["content"] == "noindex", html
        assert parsed.select(".preview-note"), html
    assert not with_draft.html("2020/a-claim/").select(".draft-banner")


def test_check_says_what_it_checked_and_which_drafts_it_left_out(
        site: ScratchSite, make_factcheck: Callable[..., str],
        capsys: pytest.CaptureFixture[str]) -> None:
    """`check` counts the fact-checks and pages it checked, names how many drafts it left out
    and how to include them, and says which of the shown warnings are about those drafts."""
    site.write("content/pages/about.md", "---\ntitle: About\n---\nWho we are.\n")
    for name in ("one", "two", "three"):
        site.write(f"content/2020/{name}.md", make_factcheck(
            title=f'"Draft {name}"', draft="true", summary=None, claim_url=None))
    assert main(["check", "--site", str(site.root)]) == 0
    captured = capsys.readouterr()
    assert len(captured.err.splitlines()) == 6  # summary and claim_url, in each draft
    assert re.fullmatch(
        r"checked 1 fact-check and 1 page: no errors, 6 warnings in \d+\.\d+ s; 3 drafts left "
        r"out \(use --drafts to include them\), 6 of the warnings are about them\n",
        captured.out)
    assert main(["check", "--drafts", "--site", str(site.root)]) == 0
    assert re.fullmatch(r"checked 4 fact-checks and 1 page: no errors, 6 warnings in "
                        r"\d+\.\d+ s\n", capsys.readouterr().out)


def test_a_failed_build_names_the_output_folder_it_left_alone(
        site: ScratchSite, make_factcheck: Callable[..., str], tmp_path: Path,
        capsys: pytest.CaptureFixture[str]) -> None:
    """A failed `build --output DIR` says DIR was not changed, not output/, and DIR keeps
    what it held."""
    elsewhere = tmp_path / "public"
    assert main(["build", "--site", str(site.root), "--output", str(elsewhere)]) == 0
    before = tree(elsewhere)
    site.write("content/2020/broken.md", make_factcheck(verdict="fasle"))
    capsys.readouterr()
    assert main(["build", "--site", str(site.root), "--output", str(elsewhere)]) == 1
    last = capsys.readouterr().err.splitlines()[-1]
    assert last == f"build failed: 1 error, 0 warnings; {elsewhere.as_posix()}/ was not changed"
    assert tree(elsewhere) == before


# --- newcomer's first afternoon ---------------------------------------------------------------


def test_a_misspelt_command_gets_a_did_you_mean(capsys: pytest.CaptureFixture[str]) -> None:
    """`sitegen bild` exits 2 suggesting 'build'."""
    with pytest.raises(SystemExit) as raised:
        main(["bild", "--drafts"])
    assert raised.value.code == 2
    assert ("sitegen: error: unknown command 'bild' (did you mean 'build'? commands: build, "
            "serve, check, history, clean, init, new)") in capsys.readouterr().err


def test_init_help_describes_its_folder(capsys: pytest.CaptureFixture[str]) -> None:
    """`sitegen init --help` says what DIR is, and offers --site like every command."""
    with pytest.raises(SystemExit):
        main(["init", "--help"])
    out = " ".join(capsys.readouterr().out.split())
    assert "DIR the new site folder, made if missing; it must be empty" in out
    assert "--site DIR" in out


def test_init_takes_site_like_every_command(
        tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    """`sitegen init --site DIR` makes the site as `sitegen init DIR` does, and two different
    folders are a usage error that writes nothing."""
    assert main(["init", "--site", str(tmp_path / "a")]) == 0
    assert (tmp_path / "a" / "sitegen.toml").is_file()
    assert main(["build", "--site", str(tmp_path / "a")]) == 0
    assert main(["init", str(tmp_path / "b"), "--site", str(tmp_path / "c")]) == 2
    assert "give one" in capsys.readouterr().err
    assert not (tmp_path / "b").exists() and not (tmp_path / "c").exists()


def test_clean_outside_a_site_is_the_same_error_as_build(
        tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    """`clean` in a folder without sitegen.toml exits 1 with build's 'no sitegen.toml' error,
    not 'nothing to remove' and 0."""
    assert main(["build", "--site", str(tmp_path)]) == 1
    from_build = capsys.readouterr().err.splitlines()[0]
    assert main(["clean", "--site", str(tmp_path)]) == 1
    assert capsys.readouterr().err.splitlines() == [from_build]
    assert from_build.startswith(f"sitegen.toml: no sitegen.toml in {tmp_path}")


def test_new_refuses_a_slug_it_would_change(
        site: ScratchSite, capsys: pytest.CaptureFixture[str]) -> None:
    """`new --slug "bad slug"` writes nothing and suggests the form it would take, instead of
    quietly naming the file bad-slug."""
    before = tree(site.root)
    assert run_new(site, "The river is 200 km long!", "--slug", "bad slug") == 2
    assert "did you mean --slug bad-slug?" in capsys.readouterr().err
    assert tree(site.root) == before

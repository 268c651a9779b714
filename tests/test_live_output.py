"""What `build --watch` (and `serve`) print after a save: every error, the warnings of the
file just saved and warnings that are new, not every warning of the site again; a site of ten
thousand fact-checks has thousands, and printing them took 20 ms of every save."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

from conftest import ScratchSite
from processes import Running


def _lines_until_rebuilt(process: Running, name: str) -> list[str]:
    seen = len(process.seen)
    process.wait_for(rf"^rebuilt: content/2020/{name}\.md ")
    return process.seen[seen:]


def test_a_rebuild_prints_the_saved_files_warnings_and_new_ones_only(
        site: ScratchSite, make_factcheck: Callable[..., str],
        running: Callable[[list[str], Path], Running]) -> None:
    site.write("content/2020/a-claim.md", make_factcheck(claim_date="2020-03-09"))
    site.write("content/2020/other.md", make_factcheck(title='"Other"'))
    process = running(["build", "--watch"], site.root)
    process.wait_for(r"^built: ")
    assert any(line.startswith("content/2020/a-claim.md:") for line in process.seen)

    site.write("content/2020/other.md", make_factcheck(title='"Other"', body="Edited."))
    printed = _lines_until_rebuilt(process, "other")
    assert not [line for line in printed if "warning" in line], printed  # an old warning

    site.write("content/2020/a-claim.md", make_factcheck(claim_date="2020-03-09", body="Again."))
    printed = _lines_until_rebuilt(process, "a-claim")
    assert [line.split(":")[0] for line in printed if "warning" in line] == [
        "content/2020/a-claim.md"], printed  # the saved file's own

    site.write("content/2020/other.md", make_factcheck(title='"Other"', claim_date="2020-03-09"))
    printed = _lines_until_rebuilt(process, "other")
    assert [line.split(":")[0] for line in printed if "warning" in line] == [
        "content/2020/other.md"], printed  # new, and a-claim's old one not again
    assert process.interrupt() == 0

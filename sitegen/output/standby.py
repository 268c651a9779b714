"""The standby copy of the site: how a build that keeps most of the last site's files still
puts the new site in place whole, in one step.

A build that writes only what changed used to move its files into output/ one at a time and
then update the search index in place; killed in between, it left some of each site. Now
those files go into a second copy of the site kept beside output/ (`.output.standby`), made
of hard links to output/'s files, so no unchanged file is written again and the two copies
share the disk space of every file they have in common. The finished copy, search index
included, is then exchanged with output/ in one rename (Linux's renameat2 RENAME_EXCHANGE;
elsewhere two renames, and the next build repairs a build killed between them). A reader,
a web server or a killed build sees the old site or the new one, never some of each.

After the exchange the standby holds the site just replaced. The record beside it
(`.output.standby.json`) names the paths where the two differ, so the next build brings the
standby up to date by those paths alone (a few files for one edit) and the search index by
its bundles, which are named for their pages' bytes. The record is removed before the
standby is touched and written again after the exchange: a build killed anywhere between
leaves none, and the next build makes the standby anew from output/ (hard links: about 2 s
at 10,000 articles), as a build does after a whole new site, or when the folders are not
the ones the record names (another folder moved in, output/ made by hand).
"""

from __future__ import annotations

import contextlib
import json
import os
import shutil
import stat
import uuid
from collections.abc import Iterable
from dataclasses import dataclass
from pathlib import Path

from sitegen.folders import hard_link, replace_file
from sitegen.output.folder import exchange_or_rename, remove_files, set_aside
from sitegen.search.index import BUNDLE, WORK_PREFIX

FORMAT = 1


@dataclass(frozen=True, slots=True)
class Standby:
    """The standby folder, and the paths (inside it) where it differs from output/."""

    folder: Path
    behind: frozenset[str]


def folder_of(output: Path) -> Path:
    return output.parent / f".{output.name}.standby"


def kept_beside(output: Path) -> frozenset[str]:
    """The names a build keeps beside output/ on purpose: the standby and its record."""
    return frozenset({folder_of(output).name, _record_of(output).name})


def _record_of(output: Path) -> Path:
    return output.parent / f".{output.name}.standby.json"


def take(output: Path) -> Standby:
    """The standby of `output`, ready to be brought up to date: the one the record names, or
    one made anew from output/. The record goes first, so that a build killed while the
    standby is half changed leaves none. Raises OSError when output/ holds a symbolic link
    (the caller scans for them first) or the standby cannot be written."""
    folder, record = folder_of(output), _record_of(output)
    behind = _read_record(record, output, folder)
    record.unlink(missing_ok=True)
    if behind is not None:
        return Standby(folder, behind)
    return Standby(make(output), frozenset())


def make(site: Path, output: Path | None = None) -> Path:
    """A standby for `output` (default: `site` itself) made of hard links to every file of
    `site`; a standby already there is set aside first (removed in the background)."""
    output = output if output is not None else site
    folder = folder_of(output)
    if folder.exists() or folder.is_symlink():
        set_aside(folder, output)
    try:
        _mirror(site, folder)
    except OSError:
        set_aside(folder, output)
        raise
    return folder


def bring_up(standby: Standby, output: Path, changes: Path, changed: frozenset[str],
             removed: Iterable[str]) -> frozenset[str]:
    """Make the standby the new site but for its search index: the paths it is behind on
    taken from output/ (hard links), the files of `changes` (at paths `changed`) moved in,
    the `removed` files removed. Returns where the new site will differ from the old."""
    gone = frozenset(removed)
    for rel in sorted(standby.behind - changed - gone):
        _take_from(output, standby.folder, rel)
    for rel in sorted(changed):
        target = standby.folder / rel
        target.parent.mkdir(parents=True, exist_ok=True)
        os.replace(changes / rel, target)
    remove_files(standby.folder, gone)
    return changed | gone


def match_index(output: Path, standby: Path) -> None:
    """The standby's search index made the one output/ has, bundle by bundle: a bundle's
    folder is named for its pages' bytes and never changed once in place, so only bundles
    one of them lacks are linked or removed (one edit: one bundle)."""
    source, target = output / BUNDLE, standby / BUNDLE
    if not source.is_dir():
        _remove(target)
        return
    target.mkdir(exist_ok=True)
    for entry in os.scandir(source):
        if entry.name.startswith(WORK_PREFIX):
            continue
        if entry.is_dir(follow_symlinks=False):
            _match_bundles(Path(entry.path), target / entry.name)
        elif entry.is_file(follow_symlinks=False):
            _link_over(Path(entry.path), target / entry.name)
    for entry in os.scandir(target):
        if not (source / entry.name).exists():
            _remove(Path(entry.path))


def put_in_place(standby: Path, output: Path, behind: frozenset[str]) -> None:
    """Exchange the finished standby with output/ and record where they now differ."""
    exchange_or_rename(standby, output)
    save_record(output, standby, behind)


def save_record(output: Path, standby: Path, behind: frozenset[str]) -> None:
    """Written last: without it (a full disk, say) the next build makes the standby anew."""
    with contextlib.suppress(OSError):
        _write_record(output, standby, behind)


def _write_record(output: Path, standby: Path, behind: frozenset[str]) -> None:
    data = {"format": FORMAT, "output": str(output), "ids": [_id(output), _id(standby)],
            "behind": sorted(behind)}
    replace_file(_record_of(output), (json.dumps(data).encode("utf-8"),))


def _read_record(record: Path, output: Path, standby: Path) -> frozenset[str] | None:
    """The paths the standby is behind on, when the record is for these very folders."""
    try:
        data = json.loads(record.read_text(encoding="utf-8"))
        if (data["format"] != FORMAT or data["output"] != str(output)
                or data["ids"] != [_id(output), _id(standby)]):
            return None
        return frozenset(str(path) for path in data["behind"])
    except (OSError, ValueError, KeyError, TypeError):
        return None


def _id(folder: Path) -> list[int]:
    """A folder's device and inode: what the exchange swaps, and a folder put in its place
    by anything else does not have."""
    found = os.lstat(folder)
    if not stat.S_ISDIR(found.st_mode):
        raise NotADirectoryError(str(folder))
    return [found.st_dev, found.st_ino]


def _mirror(source: Path, target: Path) -> None:
    """`target` made a copy of `source` of hard links (copies where the file system has
    none); a symbolic link is refused, never followed."""
    os.mkdir(target)
    pending = [(str(source), str(target))]
    while pending:
        top, copy = pending.pop()
        with os.scandir(top) as entries:
            for entry in entries:
                inside = os.path.join(copy, entry.name)
                if entry.is_symlink():
                    raise OSError(f"{entry.path} is a symbolic link")
                if entry.is_dir(follow_symlinks=False):
                    os.mkdir(inside)
                    pending.append((entry.path, inside))
                else:
                    hard_link(entry.path, inside)


def _take_from(output: Path, standby: Path, rel: str) -> None:
    """The standby's file at `rel` made output/'s (linked), or removed where output/ has
    none."""
    source = output / rel
    if source.is_file() and not source.is_symlink():
        _link_over(source, standby / rel)
    else:
        remove_files(standby, [rel])


def _link_over(source: Path, target: Path) -> None:
    """`target` replaced at once by a hard link to `source`, unless it is one already."""
    with contextlib.suppress(OSError):
        if os.path.samefile(source, target):
            return
    target.parent.mkdir(parents=True, exist_ok=True)
    temporary = target.with_name(f".{target.name}.{uuid.uuid4().hex[:8]}.tmp")
    hard_link(source, temporary)
    os.replace(temporary, target)


def _match_bundles(source: Path, target: Path) -> None:
    target.mkdir(exist_ok=True)
    for entry in os.scandir(source):
        if not (target / entry.name).exists():
            _mirror(Path(entry.path), target / entry.name)
    for entry in os.scandir(target):
        if not (source / entry.name).exists():
            _remove(Path(entry.path))


def _remove(path: Path) -> None:
    if path.is_dir() and not path.is_symlink():
        shutil.rmtree(path)
    elif path.exists() or path.is_symlink():
        path.unlink()

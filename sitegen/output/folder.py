"""Put a finished build in output/ without ever leaving half of one there.

A build with nothing to go by (the first, `--no-cache`) writes the whole site beside output/
and swaps it in whole: files of pages that no longer exist vanish with the old folder. On
Linux the swap is one atomic renameat2(RENAME_EXCHANGE); elsewhere it is two renames, and a
build killed between them is repaired by the next one.

A build that keeps files of the last one (`publish_changes`, with the record manifest.py keeps)
writes only the files that changed beside output/, and once every one of them is made, puts
them into the standby copy of the site, which is then exchanged with output/ whole
(sitegen.output.standby). Making ten thousand folders again for a build in which nothing changed
cost seconds; this costs nothing. A build that fails or is killed leaves output/ as it was.
"""

from __future__ import annotations

import ctypes
import errno
import os
import shutil
import uuid
from collections.abc import Callable, Iterable, Sequence
from pathlib import Path

from sitegen.folders import ensure_dir
from sitegen.problems import Problem, error
from sitegen.render.pages import RenderedFile
from sitegen.runtime.detached import remove_in_background
from sitegen.runtime.workers import process_alive

MARKER = ".sitegen-output"
_MARKER_TEXT = b"This folder is written by sitegen build and replaced whole on every build.\n"


def check_output_location(root: Path, output: Path, protected: Sequence[Path]) -> list[Problem]:
    """Refuse output folders whose replacement would destroy the site or a writer's files."""
    out = output.resolve()
    site = root.resolve()
    name = str(output)
    if out == site or site.is_relative_to(out):
        return [error(name, None, "output", "is the site folder or contains it",
                      "use a folder inside the site, such as 'output'")]
    for folder in protected:
        real = folder.resolve()
        if out == real or out.is_relative_to(real) or real.is_relative_to(out):
            return [error(name, None, "output", f"overlaps the {folder.name} folder",
                          "use a separate folder, such as 'output'")]
    if out.exists() and not out.is_dir():
        return [error(name, None, "output", "exists and is not a folder")]
    if out.is_dir() and any(out.iterdir()) and not (out / MARKER).exists():
        return [error(name, None, "output", "exists, is not empty, and was not made by sitegen",
                      "move its files elsewhere or choose another --output; sitegen replaces "
                      "its output folder whole")]
    return []


def publish(output: Path, fill: Callable[[Path], list[Problem]],
            files: Callable[[], int] | None = None) -> list[Problem]:
    """Let `fill` write a complete site into a fresh folder next to `output`, then swap it in
    whole, unless `fill` reported an error (or raised): then output/ stays as it was and the
    half-made folder goes. Returns what `fill` reported; a full disk or a folder this user may
    not write is one problem saying so (write_failure). `files` tells how many files the new
    site has: the old one, about as big, is removed in the background when that is many."""

    def swap(staging: Path, target: Path) -> None:
        count = files() if files is not None else 0
        _swap_in(staging, target, background=count >= BACKGROUND_REMOVAL_FILES)

    return _through_staging(output, fill, swap)


def publish_changes(output: Path, fill: Callable[[Path], list[Problem]],
                    put: Callable[[Path, Path], None]) -> list[Problem]:
    """Let `fill` write the changed files into a fresh folder next to `output`; unless it
    reported an error (or raised), `put` them (staging, the real output folder) into the
    new site (sitegen.output.standby). Returns what `fill` reported."""
    return _through_staging(output, fill, put)


def _through_staging(output: Path, fill: Callable[[Path], list[Problem]],
                     put: Callable[[Path, Path], None]) -> list[Problem]:
    """`fill` a fresh folder beside `output`, then `put` it into output/ unless `fill`
    reported an error (or raised); the folder goes either way. A full disk or a folder this
    user may not write is one problem saying so (write_failure)."""
    given, output = output, real_folder(output)
    staging = output.parent / f".{output.name}.tmp-{os.getpid()}-{uuid.uuid4().hex[:8]}"
    try:
        output.parent.mkdir(parents=True, exist_ok=True)
        recover_interrupted(output)
        staging.mkdir()
        problems = fill(staging)
        if not any(p.is_error for p in problems):
            put(staging, output)
    except OSError as exc:
        return [write_failure(given, exc)]
    finally:
        if staging.exists():
            shutil.rmtree(staging, ignore_errors=True)
    return problems


def real_folder(output: Path) -> Path:
    """The folder a build writes: `output` itself, or, when it is a symbolic link the user
    made (to a web server's folder, say), the folder it leads to, so that the new site is
    made and swapped in beside that folder and the link keeps leading to it."""
    output = output.absolute()
    return output.resolve() if output.is_symlink() else output


def write_file(folder: Path, item: RenderedFile, made: set[Path]) -> str:
    """Write one rendered file under `folder`; `made` remembers the folders already created
    by this process, so ten thousand pages do not cost ten thousand mkdir calls each."""
    target = folder / item.path
    ensure_dir(target.parent, made)
    target.write_bytes(item.data)
    return item.path


def complete(folder: Path, static: Iterable[tuple[str, Path]]) -> None:
    """Add the static files and the marker that says sitegen made this folder."""
    copy_static(folder, static)
    (folder / MARKER).write_bytes(_MARKER_TEXT)


def copy_static(folder: Path, static: Iterable[tuple[str, Path]]) -> None:
    made: set[Path] = set()
    for rel, source in static:
        target = folder / rel
        ensure_dir(target.parent, made)
        shutil.copyfile(source, target)


def write_failure(output: Path, exc: OSError) -> Problem:
    """A full disk or a folder this user may not write, said in words with what to do about it;
    raised before the swap, so the last good site is still in place."""
    where = output.absolute().parent
    reason = (exc.strerror or str(exc)).lower()
    hint: str | None
    if exc.errno in (errno.ENOSPC, errno.EDQUOT):
        hint = f"free some space on the disk that holds {where}, then build again"
    elif exc.errno in (errno.EACCES, errno.EPERM):
        hint = f"this user may not write in {where}; change its permissions or use another --output"
    elif exc.errno == errno.EROFS:
        hint = f"{where} is on a read-only file system; use another --output"
    else:
        hint = f"while writing {exc.filename}" if exc.filename else None
    return error(str(output), None, "output", f"could not write the new site: {reason}", hint)


def update_in_place(output: Path, files: Iterable[RenderedFile],
                    static: Iterable[tuple[str, Path]], removed: Iterable[str]) -> None:
    """Apply a rebuild's changes to a live folder: each file replaced atomically, so a reader
    (the preview server, a browser) sees the old page or the new one, never half of one."""
    made: set[Path] = set()
    for item in files:
        _replace(output, output / item.path, item.data, made)
    for rel, source in static:
        _replace(output, output / rel, source.read_bytes(), made)
    remove_files(output, removed)


def remove_files(output: Path, removed: Iterable[str]) -> None:
    """Remove the files `removed` names (paths inside `output`, nothing else: a path that is
    absolute or climbs out with '..' is passed over), and the folders they leave empty."""
    for rel in removed:
        parts = Path(rel).parts
        if not parts or Path(rel).is_absolute() or ".." in parts:
            continue
        target = output / rel
        if target.is_file() or target.is_symlink():
            target.unlink()
            _prune_empty(target.parent, output)


def stage_file(folder: Path, item: RenderedFile, made: set[Path]) -> tuple[Path, Path]:
    """Write a page beside the one it replaces in a live folder, under a temporary name; the
    caller puts every staged page in place at once when all of them were made, or discards
    them, so a rebuild that fails half-way changes nothing a reader sees."""
    target = folder / item.path
    return _write_beside(folder, target, item.data, made), target


def commit_staged(staged: Iterable[tuple[Path, Path]]) -> None:
    for temporary, target in staged:
        os.replace(temporary, target)


def discard_staged(staged: Iterable[tuple[Path, Path]]) -> None:
    for temporary, _ in staged:
        temporary.unlink(missing_ok=True)


def _replace(root: Path, target: Path, data: bytes, made: set[Path]) -> None:
    os.replace(_write_beside(root, target, data, made), target)


def _write_beside(root: Path, target: Path, data: bytes, made: set[Path]) -> Path:
    """`data` in a temporary file next to `target`, ready to be renamed over it. A live
    folder is written in place, so each folder is checked once to lead nowhere out of
    `root` (through a symbolic link sitegen did not make)."""
    if target.parent not in made:
        _refuse_links_out(root, target.parent)
    ensure_dir(target.parent, made)
    temporary = target.with_name(f".{target.name}.{uuid.uuid4().hex[:8]}.tmp")
    temporary.write_bytes(data)
    return temporary


def _refuse_links_out(root: Path, folder: Path) -> None:
    real_root = os.path.realpath(root)
    real = os.path.realpath(folder)
    if real != real_root and not real.startswith(real_root + os.sep):
        raise OSError(errno.ELOOP, "a symbolic link there leads out of the site's folder",
                      str(folder))


def _prune_empty(folder: Path, root: Path) -> None:
    """Remove folders left empty by a removed page, up to (not including) the output root."""
    while folder != root and folder.is_relative_to(root):
        try:
            folder.rmdir()
        except OSError:
            return
        folder = folder.parent


def recover_interrupted(output: Path) -> None:
    """Undo what a killed build left: a set-aside old site is restored, stale folders go."""
    for leftover in output.parent.glob(f".{output.name}.*-*"):
        kind, _, rest = leftover.name.rpartition(".")[2].partition("-")
        pid = rest.split("-", 1)[0]
        if pid.isdigit() and process_alive(int(pid)) and int(pid) != os.getpid():
            continue  # another build is writing it right now
        if kind == "old" and not output.exists():
            leftover.rename(output)
        elif leftover.is_symlink() or not leftover.is_dir():
            leftover.unlink()  # a link swapped out of output/'s place by an older sitegen
        else:
            shutil.rmtree(leftover, ignore_errors=True)


def _swap_in(staging: Path, output: Path, background: bool = False) -> None:
    if not output.exists():
        staging.rename(output)
        return
    exchange_or_rename(staging, output)  # staging now holds the old site
    if background:
        set_aside(staging, output)
    else:
        shutil.rmtree(staging, ignore_errors=True)


def exchange_or_rename(new: Path, output: Path) -> None:
    """Put the folder `new` at `output`, and the folder that was there at `new`: one atomic
    exchange where the system has one; elsewhere two renames through a set-aside name, which
    recover_interrupted puts back if the build is killed between them."""
    if _exchange(new, output):
        return
    old = output.parent / f".{output.name}.old-{os.getpid()}-{uuid.uuid4().hex[:8]}"
    output.rename(old)
    try:
        new.rename(output)
    except OSError:
        old.rename(output)  # put the last good site back before reporting the failure
        raise
    old.rename(new)


def set_aside(folder: Path, output: Path) -> None:
    """Remove `folder`, beside `output`, without waiting for it: renamed out of the way at
    once, deleted by a detached process (a site's folders took seconds to delete); a killed
    one is finished by the next build's recover_interrupted."""
    trash = output.parent / f".{output.name}.trash-{os.getpid()}-{uuid.uuid4().hex[:8]}"
    folder.rename(trash)
    remove_in_background(trash)


BACKGROUND_REMOVAL_FILES = 2000
"""From this many files, the replaced site is deleted by a detached process: removing ten
thousand pages' folders took seconds of a warm build that had nothing else left to do."""


def _exchange(a: Path, b: Path) -> bool:
    """Atomically exchange two paths (Linux renameat2); False where the system cannot."""
    try:
        libc = ctypes.CDLL(None, use_errno=True)
        renameat2 = libc.renameat2
    except (OSError, AttributeError):
        return False
    at_fdcwd, rename_exchange = -100, 2
    result = renameat2(at_fdcwd, os.fsencode(a), at_fdcwd, os.fsencode(b), rename_exchange)
    if result == 0:
        return True
    if ctypes.get_errno() in (errno.EINVAL, errno.ENOSYS, errno.EXDEV, errno.ENOTSUP):
        return False
    raise OSError(ctypes.get_errno(), os.strerror(ctypes.get_errno()), str(b))

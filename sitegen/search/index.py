"""The search index: Pagefind, run over the finished pages, one shard at a time.

Pagefind does full-text search in the browser from a static index, with no server and no
network at build or browse time; the `pagefind[bin]` package ships its indexer as a binary.
A missing or failing indexer costs the site its search, not its build.

The pages are split into shards (sitegen.search.shards), each indexed by its own Pagefind process
into its own bundle, as many at once as `--jobs` asks (one per core by default), so an
indexer's memory follows the shard, not the site. The layout of pagefind/:

    shards.json            the bundles by language, read by theme/static/assets/search.js
    en/h01-<digest>/       one shard's bundle: pagefind.js, its WebAssembly, its index

Pagefind's own UI (pagefind-ui.js and the like), which it writes into every bundle, is
removed: it inserts writers' text as HTML (a claimant's name as markup ran script on the
search page), and the theme's search.js draws the page with text only.

A shard whose pages did not change since the last index (the same paths with the same
bytes) keeps its bundle, linked from the last output or left in place; only the others are
indexed again. New bundles are
written under a hidden work folder and renamed into place when complete, and shards.json is
replaced last, atomically: a reader of a live folder (the preview) sees the old index or the
new one, and a killed run leaves no bundle under a name the manifest could point at.

How Pagefind is started, and why so: sitegen.search.command.
"""

from __future__ import annotations

import contextlib
import importlib.util
import os
import re
import shutil
import subprocess
import tempfile
import threading
import uuid
from collections.abc import Iterable, Sequence
from pathlib import Path

from sitegen.config.editions import Edition
from sitegen.folders import hard_link, replace_file
from sitegen.problems import Problem, warning
from sitegen.runtime.workers import default_jobs, process_alive, requested_jobs
from sitegen.search.command import indexer_command
from sitegen.search.shards import (
    MANIFEST,
    UNKNOWN_LANGUAGE,
    EditionFolders,
    Manifest,
    Scanned,
    Shard,
    find_pages,
    in_editions,
    indexed,
    language_slug,
    manifest_bytes,
    plan_shards,
    read_manifest,
)

BUNDLE = "pagefind"
TIMEOUT_SECONDS = 900
RUNNER_SECONDS = 10
"""How long the runner (sitegen.runtime.children) may take to stop the indexer once released."""
INSTALL_HINT = "install it with: pip install 'pagefind[bin]'"
SHARD_PAGES = 500
"""The most pages a shard holds (a split shard holds between half this and this many).
Pagefind needs about 190 MB per 1,000 pages while it indexes: at 10,000 articles, shards of
up to 500 keep a cold build's peak at sitegen's own (385 MB, two shards at once), where
1,000 took it to 472 MB; but every shard adds requests to a reader's first search (232
with 32 shards, 121 with 16). Figures in bench/README.md."""
ENTRY = "pagefind-entry.json"
UI_FILES = re.compile(r"pagefind(-[a-z]+)?-ui\.(js|css)|pagefind-highlight\.js")
"""Pagefind's UI scripts and styles, written into every bundle: not kept (see above)."""
WORK_PREFIX = ".building-"


class Indexer:
    """Runs Pagefind over the shards, and can stop a run in progress: a preview that is shut
    down must not leave an indexer working on a folder that is being deleted. Pagefind runs
    as a child that stops with its build (sitegen.runtime.children), so it also stops when the
    build that started it is killed."""

    def __init__(self, background: bool = False, shard_pages: int | None = None) -> None:
        self.background = background
        """Run the indexer at low CPU priority, so it never slows the rebuild a writer waits on."""
        self.shard_pages = shard_pages
        """The most pages in a shard (None: SHARD_PAGES)."""
        self._lock = threading.Lock()
        self._running: set[subprocess.Popen[bytes]] = set()
        self._cancelled = False

    def index(self, site_folder: Path, reuse: Path | None = None,
              scanned: Sequence[Scanned] | None = None,
              editions: EditionFolders = ()) -> list[Problem]:
        """Index the pages of `site_folder` into site_folder/pagefind/. Shards whose pages
        are unchanged keep their bundle from `reuse`, another output folder (the last
        build's), or, by default, from site_folder itself. `scanned`, when given, is every
        HTML file of the folder as the build wrote it (otherwise each is read). `editions`
        (edition_folders) indexes each page in its edition's language, where that edition's
        search page looks (shards.in_editions); without them, in its own."""
        if importlib.util.find_spec("pagefind") is None:
            return [_not_built("Pagefind is not installed")]
        if self._cancelled:
            return []
        root = site_folder / BUNDLE
        source = (reuse if reuse is not None else site_folder) / BUNDLE
        in_place = reuse is None or _same(source, root)
        standing = read_manifest(root / MANIFEST) if in_place else None
        remove_leftovers(root)
        work = root / f"{WORK_PREFIX}{os.getpid()}-{uuid.uuid4().hex[:8]}"
        try:
            version = pagefind_version()
            pages = find_pages(site_folder, BUNDLE) if scanned is None else indexed(scanned)
            pages = in_editions(pages, editions)
            shards = plan_shards(pages, self.shard_pages or SHARD_PAGES, version)
            todo = [s for s in shards if not _kept(s, source, root, in_place)]
            work.mkdir(parents=True)
            problems = self._index_all(todo, site_folder, work, root, bool(editions))
            if problems or self._cancelled:
                prune(root, standing)
                return problems
            _replace(root / MANIFEST, manifest_bytes(shards, version))
            prune(root, read_manifest(root / MANIFEST))
        except OSError as exc:
            prune(root, standing)
            return [_not_built(f"could not write it: {exc}", None)]
        finally:
            shutil.rmtree(work, ignore_errors=True)
        return []

    def cancel(self) -> None:
        """Stop the run in progress, if any, and refuse new ones."""
        with self._lock:
            self._cancelled = True
            running = list(self._running)
        for process in running:
            _release(process)

    def _index_all(self, shards: Sequence[Shard], site_folder: Path, work: Path,
                   root: Path, forced: bool) -> list[Problem]:
        """Index `shards`, as many at once as the command asked for processes (one per core
        by default: runtime.workers); the first failure is the one reported."""
        if not shards:
            return []
        from concurrent.futures import ThreadPoolExecutor  # only a build that indexes

        jobs = max(1, min(len(shards), requested_jobs() or default_jobs()))

        def one(shard: Shard) -> list[Problem]:
            if self._cancelled:
                return []
            return self._index_one(shard, site_folder, work, root, forced)

        with ThreadPoolExecutor(max_workers=jobs, thread_name_prefix="sitegen-search") as pool:
            results = list(pool.map(one, shards))
        return next((found for found in results if found), [])

    def _index_one(self, shard: Shard, site_folder: Path, work: Path, root: Path,
                   forced: bool) -> list[Problem]:
        """One shard: its pages linked into a folder of their own (so Pagefind sees them at
        their own paths and nothing else), Pagefind over it, the bundle renamed into place.
        `forced`: the shard's language is its edition's, which Pagefind is told to use
        whatever a page's `<html lang>` says."""
        base = work / f"{language_slug(shard.lang)}-{shard.label}"
        site, bundle = base / "site", base / "bundle"
        for page in shard.pages:
            _link(site_folder / page.path, site / page.path)
        arguments = ["--site", str(site), "--output-path", str(bundle)]
        if forced and shard.lang != UNKNOWN_LANGUAGE:
            arguments += ["--force-language", shard.lang]
        problems = self._run(arguments)
        if problems or self._cancelled:
            return problems
        for path in bundle.iterdir():
            if UI_FILES.fullmatch(path.name):
                path.unlink()
        if not (bundle / ENTRY).is_file():
            return [_not_built(f"Pagefind wrote no {ENTRY}")]
        target = root / shard.name
        target.parent.mkdir(parents=True, exist_ok=True)
        shutil.rmtree(target, ignore_errors=True)
        os.rename(bundle, target)
        shutil.rmtree(base, ignore_errors=True)
        return []

    def _run(self, arguments: list[str]) -> list[Problem]:
        """Pagefind with `arguments`, under the runner; a warning when it fails."""
        command = indexer_command([*arguments, "--silent"], self.background)
        with tempfile.TemporaryFile() as output:
            with self._lock:
                if self._cancelled:
                    return []
                try:
                    process = subprocess.Popen(command, stdin=subprocess.PIPE, stdout=output,
                                               stderr=subprocess.STDOUT)
                except OSError as exc:  # no such interpreter, no process to be had
                    return [_not_built(str(exc))]
                self._running.add(process)
            try:
                process.wait(timeout=TIMEOUT_SECONDS)
            except subprocess.TimeoutExpired:
                _release(process)
                return [_not_built("Pagefind timed out")]
            finally:
                with self._lock:
                    self._running.discard(process)
            _release(process)
            output.seek(0)
            text = output.read().decode("utf-8", errors="replace")
        if process.returncode != 0 and not self._cancelled:
            detail = text.strip().splitlines()[-3:]
            return [_not_built("Pagefind failed: " + " ".join(detail))]
        return []


def index_search(site_folder: Path, reuse: Path | None = None,
                 scanned: Sequence[Scanned] | None = None,
                 editions: EditionFolders = ()) -> list[Problem]:
    """One index of `site_folder`, for a one-off build; see Indexer.index."""
    return Indexer().index(site_folder, reuse, scanned, editions)


def edition_folders(editions: Iterable[Edition]) -> tuple[tuple[str, str], ...]:
    """What Indexer.index needs of the site's editions: each one's folder and language."""
    return tuple((edition.prefix, edition.language) for edition in editions)


def tidy_index(site_folder: Path) -> None:
    """Leave in site_folder/pagefind/ only what its manifest names, for a build that keeps
    the index as it is: a killed indexer's work folder must not stay in the site."""
    root = site_folder / BUNDLE
    if root.is_dir():
        remove_leftovers(root)
        prune(root, read_manifest(root / MANIFEST))


def drop_index(site_folder: Path) -> None:
    """No index rather than one that no longer matches the pages (its indexer failed)."""
    shutil.rmtree(site_folder / BUNDLE, ignore_errors=True)


def pagefind_version() -> str:
    """Part of every shard's digest: a new Pagefind makes every bundle again."""
    import importlib.metadata  # 5 ms to import: only when indexing

    try:
        return importlib.metadata.version("pagefind")
    except importlib.metadata.PackageNotFoundError:
        return "unknown"


def prune(root: Path, manifest: Manifest | None) -> None:
    """Leave in `root` only what `manifest` needs (the bundles it names); with no manifest,
    no index at all. Another process's work in progress is left alone, and Pagefind's UI
    files an older sitegen kept at the top are removed."""
    if manifest is None:
        shutil.rmtree(root, ignore_errors=True)
        return
    names = manifest.names
    languages = {name.split("/")[0] for name in names}
    for entry in list(root.iterdir()) if root.is_dir() else []:
        if entry.name.startswith(WORK_PREFIX):
            continue
        if entry.is_dir() and entry.name in languages:
            for bundle in entry.iterdir():
                if f"{entry.name}/{bundle.name}" not in names:
                    _remove(bundle)
        elif entry.name != MANIFEST:
            _remove(entry)


def remove_leftovers(root: Path) -> None:
    """Work folders of indexers that were killed (their process is gone)."""
    for entry in list(root.glob(f"{WORK_PREFIX}*")) if root.is_dir() else []:
        pid = entry.name.removeprefix(WORK_PREFIX).split("-", 1)[0]
        if not pid.isdigit() or not process_alive(int(pid)):
            shutil.rmtree(entry, ignore_errors=True)


def _kept(shard: Shard, source: Path, root: Path, in_place: bool) -> bool:
    """The shard's bundle is in place already (in a folder indexed before, or a standby
    copy of one, sitegen.output.standby), or linked from `source`: a bundle folder with its final
    name is complete (renamed so only when Pagefind finished it)."""
    target = root / shard.name
    if in_place or (target / ENTRY).is_file():
        return (target / ENTRY).is_file()
    old = source / shard.name
    if not (old / ENTRY).is_file():
        return False
    try:
        _link_tree(old, target)
    except OSError:
        shutil.rmtree(target, ignore_errors=True)
        return False
    return True


def _link_tree(old: Path, new: Path) -> None:
    for path in sorted(old.rglob("*")):
        if path.is_file():
            _link(path, new / path.relative_to(old))


def _link(source: Path, target: Path) -> None:
    target.parent.mkdir(parents=True, exist_ok=True)
    hard_link(source, target)


def _replace(target: Path, data: bytes) -> None:
    target.parent.mkdir(parents=True, exist_ok=True)
    replace_file(target, (data,))


def _remove(path: Path) -> None:
    if path.is_dir() and not path.is_symlink():
        shutil.rmtree(path, ignore_errors=True)
    else:
        with contextlib.suppress(FileNotFoundError):
            path.unlink()


def _same(a: Path, b: Path) -> bool:
    try:
        return a.resolve() == b.resolve()
    except OSError:
        return False


def _not_built(reason: str, hint: str | None = INSTALL_HINT) -> Problem:
    return warning("search", None, None, f"search index not built: {reason}", hint)


def _release(process: subprocess.Popen[bytes]) -> None:
    """Close the runner's stdin, which stops the indexer if it still runs
    (sitegen.runtime.children); a runner that does not end in time is killed itself."""
    with contextlib.suppress(OSError):
        if process.stdin is not None:
            process.stdin.close()
    try:
        process.wait(timeout=RUNNER_SECONDS)
    except subprocess.TimeoutExpired:
        process.kill()
        process.wait()

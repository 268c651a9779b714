"""Reading a built site's search index as the browser does: pagefind/shards.json names the
shard bundles by language, and each bundle is a complete Pagefind index of its pages."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

INDEX = "pagefind/"


def manifest(folder: Path) -> dict[str, Any]:
    data: dict[str, Any] = json.loads((folder / INDEX / "shards.json").read_text("utf-8"))
    return data


def bundles(folder: Path) -> dict[str, list[Path]]:
    """Each language's bundle folders, in the manifest's order (the primary first)."""
    return {lang: [folder / INDEX / shard["bundle"] for shard in shards]
            for lang, shards in manifest(folder)["languages"].items()}


def entry(bundle: Path) -> dict[str, Any]:
    """Pagefind's own description of one bundle: its languages and their page counts."""
    data: dict[str, Any] = json.loads((bundle / "pagefind-entry.json").read_text("utf-8"))
    return data


def page_counts(folder: Path) -> dict[str, int]:
    """Pages indexed per language, over every shard, as Pagefind counted them."""
    counts: dict[str, int] = {}
    for found in bundles(folder).values():
        for bundle in found:
            for lang, index in entry(bundle)["languages"].items():
                counts[lang] = counts.get(lang, 0) + index["page_count"]
    return counts


def index_is_complete(folder: Path) -> bool:
    """The manifest is there, names at least one bundle, and every bundle it names has its
    entry file and every metadata file that entry needs."""
    try:
        found = [bundle for shards in bundles(folder).values() for bundle in shards]
        metas = [bundle / f"pagefind.{index['hash']}.pf_meta" for bundle in found
                 for index in entry(bundle)["languages"].values()]
    except (OSError, ValueError, KeyError):
        return False
    return bool(found) and bool(metas) and all(meta.is_file() for meta in metas)

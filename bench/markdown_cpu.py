"""CPU seconds Python-Markdown needs to convert every body of a corpus, in one process, with
sitegen's own renderer (sitegen/markup/convert.py: the same extensions, settings and typography).

bench/run.py runs this with the Python that runs sitegen and divides the result by the core
count: the issue's line for a build in which nothing but Markdown costs much. Reading the files
is left out of the timing. Prints one JSON object.

    python bench/markdown_cpu.py CONTENT_DIR
"""

from __future__ import annotations

import json
import sys
import time
from pathlib import Path

from sitegen.markup.convert import MarkdownRenderer


def body(text: str) -> str:
    """The text after the YAML front matter, as sitegen's content/front_matter.py splits it."""
    if not text.startswith("---\n"):
        return text
    end = text.find("\n---\n", 4)
    return text if end < 0 else text[end + 5:]


def main() -> None:
    folder = Path(sys.argv[1])
    bodies = [body(path.read_text(encoding="utf-8")) for path in sorted(folder.rglob("*.md"))]
    render = MarkdownRenderer()
    started = time.process_time()
    size = sum(len(render(text)) for text in bodies)
    cpu = time.process_time() - started
    print(json.dumps({"files": len(bodies), "cpu": cpu, "html_chars": size}))


if __name__ == "__main__":
    main()

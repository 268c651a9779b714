"""The checked media: the viral photo or the screenshot the claim came with, shown on the
article with the verdict stamped on it.

```yaml
media:
  src: /images/2019/viral-photo.jpg   # a file of static/ (required)
  alt: "What the picture shows"       # required: read aloud in place of the picture
  caption: "As it was shared on 12 November"
  credit: "Screenshot: Facebook"
```

Only a file of the site is accepted, never an address elsewhere: posts are deleted and
pictures replaced, and the newsroom must keep what it checked; a picture loaded from the
platform would also tell it who reads the fact-check. Whether the file exists is checked
with the other links to static/ (site/graph.py).
"""

from __future__ import annotations

from sitegen.content.fields import Checker
from sitegen.content.front_matter import Map, Node, Scalar
from sitegen.models import Media
from sitegen.problems import choices_hint

MEDIA_FIELDS = ("src", "alt", "caption", "credit")
PICTURES = (".jpg", ".jpeg", ".png", ".gif", ".webp", ".avif", ".svg")
"""What an <img> shows in every browser the theme supports."""


def media(checker: Checker, node: Node, name: str) -> Media | None:
    if not isinstance(node, Map):
        checker.fail(node.line, name, "must be a set of fields: src, alt, and optionally "
                     "caption and credit", "write 'src: /images/...' and 'alt: ...' under it, "
                     "indented")
        return None
    fields: dict[str, Node] = {}
    for key, line, value in node.entries:
        if key not in MEDIA_FIELDS:
            checker.fail(line, f"{name}.{key}", "unknown field", choices_hint(key, MEDIA_FIELDS))
        elif not (isinstance(value, Scalar) and value.is_null):
            fields[key] = value
    src = _src(checker, fields.get("src"), node, name)
    alt = _alt(checker, fields.get("alt"), node, name)
    caption = checker.text(fields["caption"], f"{name}.caption") if "caption" in fields else None
    credit = checker.text(fields["credit"], f"{name}.credit") if "credit" in fields else None
    if src is None or alt is None:
        return None
    return Media(src=src, alt=alt, caption=caption, credit=credit)


def _src(checker: Checker, node: Node | None, parent: Node, name: str) -> str | None:
    label = f"{name}.src"
    if node is None:
        checker.fail(parent.line, label, "is required: the picture the claim came with",
                     "add 'src: /images/...' naming a file of static/")
        return None
    value = checker.text(node, label)
    if value is None:
        return None
    if value.startswith(("http://", "https://", "//")) or ":" in value.split("/")[0]:
        checker.fail(node.line, label, f"'{value}' is not a file of the site",
                     "save the picture in static/ and give its path, such as "
                     "/images/viral-photo.jpg: posts are deleted, and the fact-check must "
                     "keep what it checked")
        return None
    path = checker.image(node, label)
    if path is not None and not path.lower().endswith(PICTURES):
        checker.fail(node.line, label, f"'{value}' is not a picture",
                     f"use a file ending in {', '.join(PICTURES)}")
        return None
    return path


def _alt(checker: Checker, node: Node | None, parent: Node, name: str) -> str | None:
    label = f"{name}.alt"
    if node is None:
        checker.fail(parent.line, label, "is required: readers who cannot see the picture "
                     "hear this instead", "add 'alt: ...' saying what the picture shows, "
                     "such as 'alt: A flooded stone bridge, water up to its parapet'")
        return None
    return checker.text(node, label)

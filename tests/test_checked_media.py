"""The checked media: the viral photo shown on the article with the verdict stamped on it;
its alt text required; its file a picture of static/."""

from __future__ import annotations

from collections.abc import Callable

from conftest import ScratchSite

FC = "content/2020/a-claim.md"
PNG = bytes.fromhex("89504e470d0a1a0a0000000d4948445200000001000000010806000000"
                    "1f15c4890000000d49444154789c6360000002000154a24f5d0000000049454e44ae426082")
MEDIA = """
  src: /images/viral.png
  alt: "A bridge under \\"floodwater\\" <b>"
  caption: "As it was shared"
  credit: "Screenshot: Facebook\""""


def test_the_checked_media_is_shown_with_the_verdict_stamped_on_it(
        site: ScratchSite, make_factcheck: Callable[..., str]) -> None:
    site.write_bytes("static/images/viral.png", PNG)
    site.write(FC, make_factcheck(media=MEDIA))
    site.built()
    page = site.html("2020/a-claim/")
    figure = page.select_one("figure.checked-media")
    assert figure is not None
    img = figure.select_one("img")
    assert img is not None and img["alt"] == "A bridge under \u201cfloodwater\u201d <b>"
    assert (site.output / "2020/a-claim" / img["src"]).resolve() == \
        (site.output / "images/viral.png").resolve()
    stamp = figure.select_one(".checked-media__stamp .verdict")
    assert stamp is not None and stamp.text.strip() == "False"
    caption = figure.select_one("figcaption")
    assert caption is not None and caption.text == "As it was shared Screenshot: Facebook"
    # `image` stays the share card's business: the card is still made
    assert page.select_one('meta[property="og:image"]')["content"].endswith("/card.png")


def test_media_without_alt_text_is_an_error_at_its_line(
        site: ScratchSite, make_factcheck: Callable[..., str]) -> None:
    site.write_bytes("static/images/viral.png", PNG)
    site.write(FC, make_factcheck(media="\n  src: /images/viral.png\n  caption: x"))
    result = site.build()
    assert site.errors(result) == [
        f"{FC}:8: media.alt: is required: readers who cannot see the picture hear this "
        "instead (add 'alt: ...' saying what the picture shows, such as 'alt: A flooded "
        "stone bridge, water up to its parapet')"]


def test_media_must_be_a_picture_file_of_the_site(
        site: ScratchSite, make_factcheck: Callable[..., str]) -> None:
    site.write_bytes("static/images/viral.png", PNG)
    site.write(FC, make_factcheck(media="\n  src: https://x.example/p.jpg\n  alt: a"))
    site.write("content/2020/b.md", make_factcheck(media="\n  src: /images/virl.png\n  alt: a"))
    site.write("content/2020/c.md", make_factcheck(media="\n  src: /notes.txt\n  alt: a\n"
                                                   "  size: big"))
    site.write("content/2020/d.md", make_factcheck(media="/images/viral.png"))
    result = site.build()
    assert sorted(site.errors(result)) == [
        f"{FC}:8: media.src: 'https://x.example/p.jpg' is not a file of the site (save the "
        "picture in static/ and give its path, such as /images/viral-photo.jpg: posts are "
        "deleted, and the fact-check must keep what it checked)",
        "content/2020/b.md:7: media.src: '/images/virl.png' is not a file in static/ (did "
        "you mean '/images/viral.png'?)",
        "content/2020/c.md:10: media.size: unknown field (allowed: src, alt, caption, credit)",
        "content/2020/c.md:8: media.src: '/notes.txt' is not a picture (use a file ending in "
        ".jpg, .jpeg, .png, .gif, .webp, .avif, .svg)",
        "content/2020/d.md:7: media: must be a set of fields: src, alt, and optionally caption "
        "and credit (write 'src: /images/...' and 'alt: ...' under it, indented)",
    ]

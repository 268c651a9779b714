"""The updates log tells the verdict's story: what it was, until when, and what changed it."""

from __future__ import annotations

import json
from collections.abc import Callable

import feedparser
from conftest import ScratchSite

FC = "content/2020/a-claim.md"
CHANGED = '''\
---
title: "A claim checked"
claim: "The river is 100 km long."
claimant: "Jane Official"
verdict: false
original_verdict: unclear
date: 2020-03-04
updated: 2020-03-10
claim_date: 2020-03-01
claim_url: "https://example.com/speech"
summary: "It is 80 km long."
updates:
  - date: 2020-04-01
    note: "The survey was published."
    verdict: misleading
  - date: 2020-05-02
    note: "A second survey settled it."
    verdict: false
  - date: 2020-05-02
    note: "Fixed a typo in the survey's name."
---
The body.
'''


def test_page_says_what_the_verdict_was_until_the_newest_change(site: ScratchSite) -> None:
    """The claim box shows the current verdict and 'was X until DATE', linking to the entry."""
    site.write(FC, CHANGED)
    site.built()
    box = site.html("2020/a-claim/").select_one(".claim-box__verdict")
    assert box.select_one(".verdict__label").get_text() == "False"
    history = box.select_one(".verdict-history")
    assert " ".join(history.get_text().split()) == (
        "Was Misleading until 2 May 2020; see the updates below.")
    assert history.select_one("time")["datetime"] == "2020-05-02"
    assert history.select_one("a")["href"] == "#update-2020-05-02"


def test_log_is_dated_newest_first_with_each_change_from_and_to(site: ScratchSite) -> None:
    """Every entry has a stable id; a change names the verdict it replaced and the new one."""
    site.write(FC, CHANGED)
    site.built()
    entries = site.html("2020/a-claim/").select(".updates__list > li")
    assert [e["id"] for e in entries] == [
        "update-2020-05-02-2", "update-2020-05-02", "update-2020-04-01"]
    texts = [" ".join(e.get_text().split()) for e in entries]
    assert texts == [
        "2 May 2020: Fixed a typo in the survey\u2019s name.",
        "2 May 2020: verdict changed from Misleading to False. A second survey settled it.",
        "1 April 2020: verdict changed from Unclear to Misleading. The survey was published.",
    ]


def test_a_change_without_an_original_verdict_says_only_when(
    site: ScratchSite, make_factcheck: Callable[..., str]
) -> None:
    """Without original_verdict the first change cannot say what it replaced: a warning,
    and the page says when the verdict changed instead of guessing what it was."""
    site.write(FC, make_factcheck(
        verdict="true", updates='\n  - date: 2020-04-01\n    note: "New data."\n'
                                '    verdict: true'))
    result = site.built()
    assert site.messages(result) == [
        f"{FC}:10: warning: updates[1].verdict: changes the verdict, but the verdict it "
        "replaced is not recorded (add 'original_verdict: ID' with the verdict at "
        "publication, so the page can say what it was)"]
    page = site.html("2020/a-claim/")
    history = " ".join(page.select_one(".verdict-history").get_text().split())
    assert history == "Verdict changed on 1 April 2020; see the updates below."
    entry = " ".join(page.select_one(".updates__list li").get_text().split())
    assert entry == "1 April 2020: verdict changed to True. New data."


def test_newest_change_must_be_the_current_verdict(
    site: ScratchSite, make_factcheck: Callable[..., str]
) -> None:
    """An update log that ends on another verdict than `verdict` is an error on its line."""
    site.write(FC, make_factcheck(
        verdict="false", original_verdict="unclear",
        updates='\n  - date: 2020-04-01\n    note: "New data."\n    verdict: true'))
    result = site.build()
    assert site.errors(result) == [
        f"{FC}:11: updates[1].verdict: is 'true', the newest verdict change, but verdict "
        "(line 5) is 'false' ('verdict' is the current verdict: make it 'true', or record "
        "the change to 'false' in a newer update)"]


def test_original_verdict_differing_without_an_update_is_an_error(
    site: ScratchSite, make_factcheck: Callable[..., str]
) -> None:
    """A verdict that moved from original_verdict needs an update saying so."""
    site.write(FC, make_factcheck(verdict="false", original_verdict="unclear"))
    result = site.build()
    assert site.errors(result) == [
        f"{FC}:7: original_verdict: is 'unclear' but verdict is 'false', and no update "
        "records the change (add an update with 'verdict: false' and a note saying why it "
        "changed)"]


def test_an_update_repeating_the_verdict_is_a_warning(
    site: ScratchSite, make_factcheck: Callable[..., str]
) -> None:
    """'verdict:' on an update that changed nothing is probably a slip; it is said once."""
    site.write(FC, make_factcheck(
        verdict="false", original_verdict="false",
        updates='\n  - date: 2020-04-01\n    note: "Checked again."\n    verdict: false'))
    result = site.built()
    assert site.messages(result) == [
        f"{FC}:11: warning: updates[1].verdict: 'false' is already the verdict before this "
        "update (leave 'verdict:' out of an update that does not change it)"]


def test_unknown_original_verdict_is_reported_with_the_scale(
    site: ScratchSite, make_factcheck: Callable[..., str]
) -> None:
    site.write(FC, make_factcheck(original_verdict="fasle"))
    result = site.build()
    assert site.errors(result) == [
        f"{FC}:7: original_verdict: unknown verdict 'fasle' (did you mean 'false'? the scale "
        "in sitegen.toml has: true, likely-true, partially-true, misleading, partially-false, "
        "likely-false, false, unclear)"]


def test_date_modified_and_feed_updated_follow_the_latest_update(site: ScratchSite) -> None:
    """An update newer than `updated` moves ClaimReview's dateModified, the page's modified
    time and the feeds' updated dates to the update's date."""
    site.write(FC, CHANGED)
    site.built()
    page = site.html("2020/a-claim/")
    review = json.loads(page.select_one('script[type="application/ld+json"]').string)
    assert review["datePublished"] == "2020-03-04"
    assert review["dateModified"] == "2020-05-02"
    modified = page.select_one('meta[property="article:modified_time"]')["content"]
    assert modified == "2020-05-02"
    for feed_path in ("atom.xml", "claimants/jane-official/atom.xml"):
        feed = feedparser.parse((site.output / feed_path).read_bytes())
        assert feed.bozo == 0
        assert feed.feed.updated == "2020-05-02T00:00:00Z"
        assert feed.entries[0].updated == "2020-05-02T00:00:00Z"
        assert feed.entries[0].published == "2020-03-04T00:00:00Z"

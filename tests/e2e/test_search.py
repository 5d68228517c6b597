"""Search journeys in Chromium against the live stack (Meilisearch indexed from the seed)."""

import os
import re
import time
from pathlib import Path

import httpx
import pytest
from playwright.sync_api import Page, expect

from devservices.meili import MeiliServer
from marketplace.services.search import gig_search

pytestmark = pytest.mark.e2e
COUNT = re.compile(r"^([\d,]+) services? available$")


def shot(page: Page, name: str) -> None:
    """Screenshots for a person to look at, when SEARCH_SCREENSHOTS names a folder."""
    if folder := os.environ.get("SEARCH_SCREENSHOTS"):
        page.screenshot(path=str(Path(folder) / f"{name}.png"), full_page=False)


def count(page: Page) -> int:
    box = page.get_by_test_id("result-count")
    expect(box).to_have_text(COUNT)
    return int(COUNT.match(box.inner_text()).group(1).replace(",", ""))


def count_text(number: int) -> str:
    return f"{number:,} service{'' if number == 1 else 's'} available"


def results_settled(page: Page) -> None:
    """The search page has answered with results (not the page navigated from, whose cards
    may still be on screen for a moment after the address changed)."""
    expect(page.get_by_test_id("result-count")).to_have_text(
        re.compile(r"^[1-9][\d,]* services? available$")
    )
    expect(page.get_by_test_id("gig-card").first).to_be_visible()


def test_typing_in_the_header_box_and_pressing_enter_finds_logo_design_despite_a_typo(
    page: Page, live_stack
):
    page.goto("/")
    box = page.get_by_role("textbox", name="Search services").first
    box.fill("logo desgin")
    box.press("Enter")
    expect(page).to_have_url(re.compile(r"/search\?q=logo\+desgin$"))
    results_settled(page)
    assert count(page) > 0
    marks = page.get_by_test_id("gig-card").first.locator("mark")
    expect(marks.filter(has_text=re.compile(r"^logo$", re.I)).first).to_be_visible()
    expect(marks.filter(has_text=re.compile(r"^design$", re.I)).first).to_be_visible()
    shot(page, "search-desktop")


def test_results_follow_the_words_typed_in_the_page_box(page: Page, live_stack):
    page.goto("/search")
    results_settled(page)
    everything = count(page)
    page.get_by_role("textbox", name="Search in results").press_sequentially("logo", delay=60)
    expect(page.get_by_role("heading", name="Results for “logo”")).to_be_visible()
    expect(page).to_have_url(re.compile(r"/search\?q=logo$"))
    assert 0 < count(page) < everything


# Held until the newer request has been answered, and never as long as the app's Meilisearch
# timeout: a slow reply, not a failed one.
HOLD_S = gig_search.SEARCH_TIMEOUT_S * 0.9


def _held_reply_is_over(page: Page, hold) -> None:
    """The held (older) reply was answered by Meilisearch; give it time to reach the page."""
    assert hold.answered.wait(15), "the held search was never answered"
    page.wait_for_timeout(1_000)


def test_a_slow_reply_for_earlier_words_never_overwrites_the_newer_words(
    page: Page, live_stack, meili_link
):
    page.goto("/search")
    results_settled(page)
    box = page.get_by_role("textbox", name="Search in results")
    hold = meili_link.hold_next(b'"q":"logo"', seconds=HOLD_S, until=b'"q":"logo design"')
    box.press_sequentially("logo", delay=60)
    assert hold.arrived.wait(10), "typing did not search"
    box.press_sequentially(" design", delay=60)  # while "logo" is still on its way
    newer = page.get_by_role("heading", name="Results for “logo design”")
    expect(newer).to_be_visible()
    results_settled(page)
    shown = count(page)
    _held_reply_is_over(page, hold)
    assert hold.answered_after_newer, "the newer words were not answered before the older"
    expect(newer).to_be_visible()
    expect(page.get_by_test_id("result-count")).to_have_text(count_text(shown))
    expect(page).to_have_url(re.compile(r"/search\?q=logo\+design$"))


def test_a_filter_ticked_while_typed_words_load_keeps_the_words_and_wins(
    page: Page, live_stack, meili_link
):
    page.goto("/search")
    results_settled(page)
    hold = meili_link.hold_next(b'"q":"logo"', seconds=HOLD_S, until=b"seller_level IN")
    page.get_by_role("textbox", name="Search in results").press_sequentially("logo", delay=60)
    assert hold.arrived.wait(10), "typing did not search"
    row = page.get_by_test_id("facet-level").get_by_test_id("facet-option").first
    label = row.locator("label").inner_text().strip()
    row.get_by_role("checkbox").click()
    expect(page).to_have_url(re.compile(r"q=logo.*level=|level=.*q=logo"))
    expect(page.get_by_role("heading", name="Results for “logo”")).to_be_visible()
    expect(page.get_by_test_id("filter-chip")).to_have_text([label])
    shown = count(page)
    _held_reply_is_over(page, hold)
    assert hold.answered_after_newer, "the ticked filter was not answered before the words"
    expect(page.get_by_test_id("filter-chip")).to_have_text([label])
    expect(page.get_by_test_id("result-count")).to_have_text(count_text(shown))


def test_ticking_a_facet_changes_the_count_and_removing_its_chip_restores_it(
    page: Page, live_stack
):
    page.goto("/search?q=design")
    results_settled(page)
    before = count(page)
    row = page.get_by_test_id("facet-level").get_by_test_id("facet-option").first
    label = row.locator("label").inner_text().strip()
    row_count = int(row.get_by_test_id("facet-count").inner_text())
    row.get_by_role("checkbox").click()
    expect(page.get_by_test_id("result-count")).to_have_text(count_text(row_count))
    expect(page).to_have_url(re.compile(r"level="))
    chip = page.get_by_test_id("filter-chip")
    expect(chip).to_have_count(1)
    expect(chip).to_contain_text(label)
    assert row_count < before

    page.get_by_role("button", name=f"Remove {label}").click()
    expect(page.get_by_test_id("filter-chip")).to_have_count(0)
    expect(page.get_by_test_id("result-count")).to_have_text(count_text(before))


def test_changing_the_sort_orders_the_cards_by_price(page: Page, live_stack):
    page.goto("/search?q=design")
    results_settled(page)
    page.get_by_role("combobox", name="Sort by").click()
    page.get_by_role("option", name="Price: low to high").click()
    expect(page).to_have_url(re.compile(r"sort=price_asc"))
    expect(page.get_by_role("combobox", name="Sort by")).to_have_text("Price: low to high")
    results_settled(page)
    prices = [
        int(text.strip().lstrip("$").replace(",", "").split(".")[0])
        for text in page.get_by_test_id("gig-card")
        .locator("text=/^\\$[\\d,.]+$/")
        .all_inner_texts()
    ]
    assert len(prices) > 3 and prices == sorted(prices)


def cards_in_rating_order(page: Page, *, first: int = 6, timeout_s: float = 10.0) -> list[str]:
    """The first cards' texts, once their shown ratings (e.g. "4.8") never increase."""
    deadline = time.monotonic() + timeout_s
    while True:
        texts = page.get_by_test_id("gig-card").all_inner_texts()[:first]
        ratings = [float(m.group(1)) for t in texts if (m := re.search(r"\n(\d\.\d)\n", t))]
        if ratings and ratings == sorted(ratings, reverse=True):
            return texts
        assert time.monotonic() < deadline, f"cards not in rating order: {ratings}"
        page.wait_for_timeout(100)


def test_a_copied_url_opens_the_same_view_in_a_new_browser(page: Page, live_stack, browser):
    page.goto("/search?q=design")
    results_settled(page)
    page.get_by_test_id("facet-delivery").get_by_role("checkbox").last.click()
    expect(page).to_have_url(re.compile(r"delivery=7"))
    page.get_by_role("combobox", name="Sort by").click()
    page.get_by_role("option", name="Best rating").click()
    expect(page).to_have_url(re.compile(r"sort=rating"))
    results_settled(page)
    # the count does not change with the sort: wait for the cards to be in rating order (the
    # previous order's cards may still be on screen for a moment, more so on the scaled pass)
    titles = cards_in_rating_order(page)
    total = count(page)
    copied = page.url

    other = browser.new_context(base_url=live_stack.app_url)
    try:
        fresh = other.new_page()
        fresh.goto(copied)
        expect(fresh.get_by_test_id("result-count")).to_have_text(count_text(total))
        expect(fresh.get_by_test_id("filter-chip")).to_have_text(["Up to 7 days"])
        expect(fresh.get_by_role("combobox", name="Sort by")).to_have_text("Best rating")
        expect(fresh.get_by_test_id("gig-card").first).to_be_visible()
        assert fresh.get_by_test_id("gig-card").all_inner_texts()[:6] == titles
    finally:
        other.close()


@pytest.mark.parametrize(
    "query",
    [
        "page=-1&sort=DROP%20TABLE&min=abc&max=-5&rating=9",
        "q=%22%5C%22%20OR%20is_pro%20%3D%20true&level=admin,%22&country=%22%5D",
        "page=99999999999999999999&lang=" + "x" * 3000,
    ],
)
def test_hostile_url_parameters_are_ignored_without_a_crash(page: Page, live_stack, query):
    page.goto(f"/search?{query}")
    expect(page.get_by_test_id("result-count")).to_have_text(COUNT)
    expect(page.get_by_role("combobox", name="Sort by")).to_have_text("Relevance")


def test_at_phone_width_the_filters_open_in_a_drawer_and_apply(page: Page, live_stack):
    page.set_viewport_size({"width": 390, "height": 844})
    page.goto("/search?q=design")
    results_settled(page)
    expect(page.get_by_test_id("filter-panel")).to_be_hidden()
    shot(page, "search-phone")
    page.get_by_role("button", name="Filters").click()
    drawer = page.get_by_test_id("filter-drawer")
    expect(drawer).to_be_visible()
    drawer.get_by_role("checkbox", name="Pro only").click()
    expect(drawer.get_by_role("checkbox", name="Pro only")).to_be_checked()
    shot(page, "search-phone-drawer")
    apply = drawer.get_by_role("button", name=re.compile(r"^Apply \([\d,]+ results?\)$"))
    expect(apply).to_be_visible()
    number = int(re.search(r"[\d,]+", apply.inner_text()).group(0).replace(",", ""))
    apply.click()
    expect(drawer).to_be_hidden()
    expect(page.get_by_test_id("filter-chip")).to_have_text(["Pro only"])
    expect(page.get_by_test_id("result-count")).to_have_text(count_text(number))


def test_ticking_two_levels_adds_their_counts_and_back_returns_to_one(page: Page, live_stack):
    page.goto("/search?q=design")
    results_settled(page)
    rows = page.get_by_test_id("facet-level").get_by_test_id("facet-option")
    expect(rows.first).to_be_visible()
    first_count = int(rows.nth(0).get_by_test_id("facet-count").inner_text())
    second_count = int(rows.nth(1).get_by_test_id("facet-count").inner_text())
    rows.nth(0).get_by_role("checkbox").click()
    expect(page.get_by_test_id("result-count")).to_have_text(count_text(first_count))
    rows.nth(1).get_by_role("checkbox").click()
    expect(page.get_by_test_id("result-count")).to_have_text(count_text(first_count + second_count))
    expect(page.get_by_test_id("filter-chip")).to_have_count(2)
    page.go_back()
    expect(page.get_by_test_id("filter-chip")).to_have_count(1)
    expect(page.get_by_test_id("result-count")).to_have_text(count_text(first_count))


def test_a_budget_in_words_is_refused_and_a_dollar_range_filters(page: Page, live_stack):
    page.goto("/search?q=design")
    results_settled(page)
    before = count(page)
    page.get_by_role("textbox", name="Min ($)").fill("ten")
    page.get_by_role("button", name="Go").click()
    expect(page.get_by_text("Enter the budget in whole dollars, e.g. 50.")).to_be_visible()
    expect(page).to_have_url(re.compile(r"/search/?\?q=design$"))
    page.get_by_role("textbox", name="Min ($)").fill("20")
    page.get_by_role("textbox", name="Max ($)").fill("60")
    page.get_by_role("button", name="Go").click()
    expect(page).to_have_url(re.compile(r"min=20&max=60"))
    expect(page.get_by_test_id("filter-chip")).to_have_text(["Budget $20 – $60"])
    expect(page.get_by_text("Enter the budget in whole dollars, e.g. 50.")).to_have_count(0)
    results_settled(page)
    assert count(page) < before
    price_texts = page.get_by_test_id("gig-card").locator("text=/^\\$[\\d,.]+$/")
    prices = [float(t.lstrip("$").replace(",", "")) for t in price_texts.all_inner_texts()]
    assert prices and all(20 <= price <= 60 for price in prices)


def test_next_page_shows_other_gigs_and_keeps_the_filters(page: Page, live_stack):
    page.goto("/search?sort=price_asc")
    results_settled(page)
    first_page = page.get_by_test_id("gig-card").all_inner_texts()
    panel = page.get_by_test_id("facet-level").get_by_test_id("facet-count")
    counts, total = panel.all_inner_texts(), count(page)
    assert counts
    page.get_by_role("button", name="Next").click()
    expect(page).to_have_url(re.compile(r"sort=price_asc&page=2"))
    expect(page.get_by_text(re.compile(r"^Page 2 of \d+$"))).to_be_visible()
    results_settled(page)
    assert page.get_by_test_id("gig-card").all_inner_texts() != first_page
    expect(page.get_by_test_id("gig-card")).to_have_count(24)
    # the panel keeps its counts and the total (the next page is searched without counting)
    expect(panel).to_have_text(counts)
    assert count(page) == total
    page.get_by_role("button", name="Previous").click()
    expect(page.get_by_text(re.compile(r"^Page 1 of \d+$"))).to_be_visible()
    assert page.get_by_test_id("gig-card").all_inner_texts() == first_page  # same update
    expect(panel).to_have_text(counts)


# Last in the file: it stops the stack's Meilisearch (and starts it again).
def test_with_meilisearch_stopped_search_answers_from_the_database_with_a_notice(
    page: Page, live_stack
):
    meili = next(s for s in live_stack._services if isinstance(s, MeiliServer))
    page.goto("/search?q=logo&delivery=7")
    results_settled(page)
    live_total = count(page)
    expect(page.get_by_test_id("search-degraded")).to_have_count(0)
    meili.stop()
    try:
        page.goto("/search?q=logo&delivery=7")
        expect(page.get_by_test_id("search-degraded")).to_be_visible()
        expect(page.get_by_test_id("filter-chip")).to_have_text(["Up to 7 days"])
        results_settled(page)
        assert 0 < count(page) <= live_total  # words, not typos, match in the database
        health = httpx.get(f"{live_stack.app_url}/_health", timeout=10)
        assert health.status_code == 200  # degraded, not down: search still answers
        assert (health.json()["status"], health.json()["search"]) == (
            "degraded",
            "database (fallback)",
        )
    finally:
        meili.start()
        meili.wait_ready()

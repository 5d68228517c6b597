"""Browsing journeys in Chromium: the header's suggestions with the keyboard and the mouse,
category pages, "search in this list" and what an empty page offers."""

import re

import httpx
import pytest
from playwright.sync_api import Page, expect

from tests.e2e.test_search import count, results_settled, shot

pytestmark = pytest.mark.e2e


def header_box(page: Page):
    return (
        page.locator("header")
        .get_by_role("combobox", name="Search services")
        .locator("visible=true")
    )


def options(page: Page):
    return page.get_by_role("listbox", name="Suggestions").get_by_role("option")


def test_header_suggestions_are_chosen_with_the_keyboard(page: Page, live_stack):
    page.goto("/")
    box = header_box(page)
    box.press_sequentially("logo", delay=40)
    listed = options(page)
    expect(listed.first).to_contain_text("Logo Design")  # the category comes first
    assert listed.count() >= 2
    shot(page, "suggestions")
    box.press("ArrowDown")
    expect(listed.nth(0)).to_have_attribute("aria-selected", "true")
    box.press("ArrowDown")
    expect(listed.nth(1)).to_have_attribute("aria-selected", "true")
    expect(listed.nth(0)).to_have_attribute("aria-selected", "false")
    box.press("ArrowUp")
    expect(listed.nth(0)).to_have_attribute("aria-selected", "true")
    box.press("Escape")
    expect(listed).to_have_count(0)
    box.press("ArrowDown")  # opens the list again, on the first suggestion
    expect(listed.nth(0)).to_have_attribute("aria-selected", "true")
    box.press("Enter")
    expect(page).to_have_url(re.compile(r"/categories/graphics-design/logo-design$"))
    expect(page.get_by_role("heading", name="Logo Design", level=1)).to_be_visible()
    results_settled(page)

    # a gig title: down to the last suggestion, Enter opens that gig
    page.goto("/")
    box = header_box(page)
    box.press_sequentially("logo", delay=40)
    expect(options(page).first).to_be_visible()
    last = options(page).count() - 1
    title = options(page).nth(last).inner_text().strip()
    box.press("ArrowUp")  # from nothing highlighted, Up goes to the last one
    expect(options(page).nth(last)).to_have_attribute("aria-selected", "true")
    box.press("Enter")
    expect(page).to_have_url(re.compile(r"/gig/[^/]+$"))
    expect(page.get_by_role("heading", name=title)).to_be_visible()


def test_a_suggestion_is_opened_with_the_mouse_and_enter_without_one_searches(
    page: Page, live_stack
):
    page.goto("/")
    box = header_box(page)
    box.press_sequentially("logo", delay=40)
    expect(options(page).first).to_be_visible()
    options(page).first.click()
    expect(page).to_have_url(re.compile(r"/categories/graphics-design/logo-design$"))

    page.goto("/")
    box = header_box(page)
    box.press_sequentially("logo", delay=40)
    expect(options(page).first).to_be_visible()
    options(page).first.hover()  # the pointer rests on a suggestion: only a highlight
    expect(options(page).first).to_have_attribute("aria-selected", "false")
    box.press("Enter")  # nothing chosen with the keys: the words are searched
    expect(page).to_have_url(re.compile(r"/search\?q=logo$"))
    results_settled(page)
    expect(page.get_by_role("combobox", name="Search services")).to_have_count(0)
    expect(page.get_by_role("textbox", name="Search in results")).to_have_count(1)


def test_category_pages_from_the_home_tiles_with_breadcrumbs(page: Page, live_stack):
    page.goto("/")
    tile = page.get_by_test_id("category-tile").first
    name = tile.locator("span, p").first.inner_text().strip()
    tile.click()
    expect(page).to_have_url(re.compile(r"/categories/[a-z-]+$"))
    expect(page.get_by_role("heading", name=name, level=1)).to_be_visible()
    expect(page.get_by_test_id("category-description")).not_to_be_empty()
    crumbs = page.get_by_role("navigation", name="Breadcrumb").get_by_role("link")
    expect(crumbs).to_have_text(["Home", name])
    results_settled(page)
    everything = count(page)
    expect(page).to_have_title(f"{name} services · Gigworks")

    sub = page.get_by_test_id("facet-subcategory").get_by_test_id("facet-option").first
    sub_name = sub.locator("label").inner_text().strip()
    sub_count = int(sub.get_by_test_id("facet-count").inner_text())
    sub.get_by_role("checkbox").click()
    expect(page).to_have_url(re.compile(r"/categories/[a-z-]+/[a-z-]+$"))
    expect(page.get_by_role("heading", name=sub_name, level=1)).to_be_visible()
    expect(crumbs).to_have_text(["Home", name, sub_name])
    expect(page.get_by_test_id("result-count")).to_have_text(
        f"{sub_count:,} service{'' if sub_count == 1 else 's'} available"
    )
    assert sub_count <= everything
    shot(page, "category-page")
    crumbs.nth(1).click()
    expect(page.get_by_role("heading", name=name, level=1)).to_be_visible()

    page.goto("/categories/no-such-category")
    expect(page.get_by_test_id("category-not-found")).to_be_visible()
    expect(page).to_have_title("Category not found · Gigworks")
    statuses = {
        path: httpx.get(f"{live_stack.app_url}{path}", timeout=10).status_code
        for path in (
            "/categories/no-such-category",
            "/categories/graphics-design/no-such-sub",
            "/categories/logo-design",  # a subcategory is not a top-level page
            "/categories/graphics-design",
            "/categories/graphics-design/logo-design",
        )
    }
    assert list(statuses.values()) == [404, 404, 404, 200, 200], statuses


def test_search_in_the_languages_list_then_tick_a_match(page: Page, live_stack):
    page.goto("/search?q=design")
    results_settled(page)
    languages = page.get_by_test_id("facet-language")
    languages.get_by_role("textbox", name="Search languages").press_sequentially("spa", delay=40)
    rows = languages.get_by_test_id("facet-option")
    expect(rows).to_have_count(1)
    expect(rows.first.locator("label")).to_have_text("Spanish")
    spanish = int(rows.first.get_by_test_id("facet-count").inner_text())
    rows.first.get_by_role("checkbox").click()
    expect(page).to_have_url(re.compile(r"lang=Spanish"))
    expect(page.get_by_test_id("result-count")).to_have_text(
        f"{spanish:,} service{'' if spanish == 1 else 's'} available"
    )
    countries = page.get_by_test_id("facet-country")
    countries.get_by_role("textbox", name="Search countries").press_sequentially("zzzz", delay=30)
    expect(countries.get_by_text("No match among these results.")).to_be_visible()


def test_an_empty_page_offers_to_remove_the_narrowest_filter(page: Page, live_stack):
    page.goto("/categories/graphics-design/logo-design?max=1")
    expect(page.get_by_test_id("no-results")).to_be_visible()
    relax = page.get_by_test_id("relax-filter")
    expect(relax.first).to_contain_text("Budget")
    expect(page.get_by_test_id("related-category").first).to_be_visible()
    shot(page, "no-results")
    relax.first.click()
    expect(page).to_have_url(re.compile(r"/categories/graphics-design/logo-design$"))
    results_settled(page)

"""A visitor opens the home page and sees the seeded marketplace."""

import re
from pathlib import Path

import httpx
import pytest
from playwright.sync_api import Page, expect
from sqlmodel import Session, col, select

from marketplace.db import make_engine
from marketplace.models import Category, Gig, GigStatus

pytestmark = pytest.mark.e2e


def _database_url(live_stack) -> str:
    return live_stack.db_url


def test_home_shows_seeded_categories_and_popular_gigs(page: Page, live_stack, output_path):
    engine = make_engine(_database_url(live_stack))
    with Session(engine) as session:
        top = session.exec(
            select(Category).where(col(Category.parent_id).is_(None)).order_by(Category.position)
        ).all()
        most_ordered = session.exec(
            select(Gig)
            .where(Gig.status == GigStatus.active)
            .order_by(col(Gig.orders_completed).desc(), col(Gig.rating_avg).desc(), col(Gig.id))
            .limit(1)
        ).one()
    engine.dispose()

    page.goto("/")
    expect(
        page.get_by_role("heading", name=re.compile("Find the right freelance service"))
    ).to_be_visible()
    tiles = page.get_by_test_id("category-tile")
    expect(tiles).to_have_count(len(top))
    for category in top:
        expect(tiles.filter(has_text=category.name)).to_have_count(1)

    cards = page.get_by_test_id("gig-card")
    expect(cards).to_have_count(8)
    expect(cards.first).to_contain_text(most_ordered.title)
    expect(cards.first).to_contain_text("From")

    page.screenshot(path=str(Path(output_path) / "home.png"), full_page=True)
    assert (Path(output_path) / "home.png").stat().st_size > 10_000


def test_home_at_phone_width_has_no_horizontal_scroll(page: Page, live_stack, output_path):
    page.set_viewport_size({"width": 390, "height": 844})
    page.goto("/")
    expect(page.get_by_test_id("gig-card").first).to_be_visible()
    overflow = page.evaluate("document.documentElement.scrollWidth - window.innerWidth")
    assert overflow <= 0, f"page is {overflow}px wider than a phone screen"
    page.screenshot(path=str(Path(output_path) / "home-phone.png"), full_page=True)


def test_health_reports_every_dependency(live_stack):
    report = httpx.get(f"{live_stack.app_url}/_health", timeout=10).json()
    assert report["ok"] is True, report
    assert set(report["checks"]) == {"database", "meilisearch", "stripe"}
    assert all(check["ok"] for check in report["checks"].values())


def test_search_box_and_category_tiles_lead_to_results(page: Page, live_stack):
    page.goto("/")
    page.get_by_test_id("category-tile").first.click()
    expect(page).to_have_url(re.compile(r"/categories/[a-z-]+$"))
    expect(page.get_by_test_id("result-count")).to_contain_text("services available")
    expect(page.get_by_test_id("gig-card").first).to_be_visible()

    page.goto("/search?q=zzzz-no-such-service")
    expect(page.get_by_text("No services match your search")).to_be_visible()
    expect(page.get_by_test_id("gig-card")).to_have_count(0)

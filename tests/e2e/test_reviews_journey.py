"""Reviews, Pro vetting and favourites in Chromium against the live stack.

Setup (a seller with a gig, a completed order) goes through the services and the tables; what
the users do (click stars, type, submit, reply, apply, approve, tick "Pro only", click the
heart and sign in) is done in the browser."""

import re
import uuid
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest
from playwright.sync_api import Browser, Page, expect
from sqlmodel import Session, select

from marketplace.db import make_engine
from marketplace.models import Category, Favorite, Gig, Review, User
from marketplace.services.accounts import members as accounts
from marketplace.services.gigs import actions as gigs
from marketplace.settings import load_settings
from search.index import live_index, make_client
from tests.e2e.test_seller_journey import PASSWORD, a_seller, sign_in, wait_for_document
from tests.gig_fixtures import LIMITS, valid_draft
from tests.review_fixtures import completed_order

pytestmark = pytest.mark.e2e
TIMEOUT = 20_000


@pytest.fixture(autouse=True)
def patient_expect():
    expect.set_options(timeout=TIMEOUT)
    yield
    expect.set_options(timeout=5_000)


@pytest.fixture
def db(live_stack):
    engine = make_engine(live_stack.db_url)
    yield engine
    engine.dispose()


def a_member(db, name: str, *, admin: bool = False) -> User:
    with Session(db, expire_on_commit=False) as session:
        user = accounts.register(
            session,
            email=f"{name.split()[0].lower()}-{uuid.uuid4().hex[:10]}@example.com",
            password=PASSWORD,
            display_name=name,
        )
        if admin:
            user.is_admin = True
            session.add(user)
        session.commit()
    return user


def a_gig(db, seller: User, title: str) -> Gig:
    """An active gig in a seeded subcategory (no new top-level categories in the shared DB)."""
    with Session(db, expire_on_commit=False) as session:
        actor = session.get(User, seller.id)
        sub = session.exec(select(Category).where(Category.slug == "logo-design")).one()
        gig = gigs.create_draft_gig(session, actor=actor)
        gigs.save_draft(
            session,
            actor=actor,
            gig_id=gig.id,
            expected_version=1,
            draft=valid_draft(sub.id, title=title),
        )
        gigs.add_gallery_image(
            session, actor=actor, gig_id=gig.id, name=f"{uuid.uuid4().hex}.png",
            content_type="image/png", size_bytes=1000,
        )  # fmt: skip
        gigs.publish_gig(
            session,
            actor=actor,
            gig_id=gig.id,
            expected_version=gig.version,
            settings_auto_approve=True,
            active_gig_limits=LIMITS,
        )
        session.commit()
        session.refresh(gig)
    return gig


def search_index(live_stack):
    settings = load_settings(live_stack.env())
    return live_index(make_client(settings), settings)


def shots(page: Page, output_path, name: str) -> None:
    folder = Path(output_path)
    folder.mkdir(parents=True, exist_ok=True)
    for width, height in ((1280, 900), (390, 844)):
        page.set_viewport_size({"width": width, "height": height})
        page.wait_for_timeout(300)
        page.screenshot(path=str(folder / f"{name}-{width}.png"), full_page=True)
    page.set_viewport_size({"width": 1280, "height": 900})


def test_buyer_and_seller_review_a_completed_order_the_seller_replies_and_the_gig_shows_it(
    browser: Browser, live_stack, db, output_path
):
    seller = a_seller(db, name="Rita Reviewed")
    tag = uuid.uuid4().hex[:6]
    gig = a_gig(db, seller, f"I will design a logo for your bakery {tag}")
    buyer = a_member(db, "Bea Buyer")
    with Session(db, expire_on_commit=False) as session:
        order = completed_order(
            session,
            buyer=buyer,
            seller=seller,
            gig=gig,
            completed_at=datetime.now(UTC) - timedelta(hours=2),
        )
        session.commit()
    buyer_ctx = browser.new_context(base_url=live_stack.app_url)
    seller_ctx = browser.new_context(base_url=live_stack.app_url)
    page, sellers = buyer_ctx.new_page(), seller_ctx.new_page()

    # The buyer reviews: overall 5, communication 4, as described 5, recommends, a text.
    sign_in(page, buyer.email)
    page.goto(f"/orders/{order.code}")
    panel = page.get_by_test_id("order-reviews")
    expect(panel).to_contain_text("Leave a review")
    page.get_by_test_id("stars-rating-5").click()
    page.get_by_test_id("stars-communication-4").click()
    page.get_by_test_id("stars-described-5").click()
    page.get_by_test_id("recommend-yes").click()
    page.get_by_test_id("review-text").fill("Lovely logo, delivered early. Rita listened well.")
    page.get_by_test_id("submit-review").click()
    expect(page.get_by_test_id("my-review")).to_contain_text("Not public yet")
    shots(page, output_path, "order-review-buyer")

    # Double-blind: the seller does not see it yet, only that the buyer has reviewed.
    sign_in(sellers, seller.email)
    sellers.goto(f"/orders/{order.code}")
    expect(sellers.get_by_test_id("order-reviews")).to_contain_text("The other side has reviewed")
    expect(sellers.get_by_test_id("order-reviews")).not_to_contain_text("Lovely logo")
    sellers.get_by_test_id("stars-rating-5").click()
    sellers.get_by_test_id("review-text").fill("Clear brief and quick feedback.")
    sellers.get_by_test_id("submit-review").click()

    # Both are in: both are visible, and the seller replies once.
    expect(sellers.get_by_test_id("their-review")).to_contain_text("Lovely logo, delivered early")
    sellers.get_by_test_id("order-reply-text").fill("Thank you, Bea!")
    sellers.get_by_test_id("order-send-reply").click()
    expect(sellers.get_by_test_id("their-review")).to_contain_text("Your reply: Thank you, Bea!")
    expect(sellers.get_by_test_id("order-send-reply")).to_have_count(0)
    page.reload()
    expect(page.get_by_test_id("their-review")).to_contain_text("Clear brief and quick feedback")
    shots(sellers, output_path, "order-review-seller")

    # The seller's level page: each metric of Level 1 against its target, with a bar.
    sellers.goto("/my/level")
    expect(sellers.get_by_test_id("current-level")).to_have_text("New seller")
    orders_row = sellers.get_by_test_id("level-metric").filter(has_text="Completed orders")
    expect(orders_row).to_contain_text("1 / 10")
    expect(sellers.get_by_test_id("level-metric")).to_have_count(6)  # response: not measured
    shots(sellers, output_path, "seller-level")

    # The gig page shows it to a visitor: average, count, histogram, the review and the reply.
    visitor = browser.new_context(base_url=live_stack.app_url).new_page()
    visitor.goto(f"/gig/{gig.slug}")
    review = visitor.get_by_test_id("review")
    expect(review).to_have_count(1)
    expect(review).to_contain_text("Lovely logo, delivered early")
    expect(review).to_contain_text("Bea Buyer")
    expect(review).to_contain_text("Standard: Brand kit")
    expect(visitor.get_by_test_id("review-reply")).to_have_text("Thank you, Bea!")
    expect(visitor.get_by_test_id("review-count")).to_have_text("1 review")
    expect(visitor.get_by_test_id("review-average")).to_have_text("5.0")
    shots(visitor, output_path, "gig-reviews")

    # The aggregates changed with the review and reached the search document.
    with Session(db) as session:
        fresh = session.get(Gig, gig.id)
        assert (fresh.rating_avg, fresh.rating_count, fresh.orders_completed) == (5.0, 1, 1)
        assert session.exec(select(Review).where(Review.order_id == order.id)).one().published_at
    assert wait_for_document(
        search_index(live_stack),
        gig.id,
        lambda doc: doc["rating_count"] == 1 and doc["rating_avg"] == 5.0,
    )


def test_a_freelancer_applies_for_pro_an_admin_approves_and_the_pro_filter_shows_the_gig(
    browser: Browser, live_stack, db, output_path
):
    seller = a_seller(db, name="Paulo Pro")
    tag = uuid.uuid4().hex[:8]
    gig = a_gig(db, seller, f"I will craft a premium brand identity {tag}")
    admin = a_member(db, "Ada Admin", admin=True)
    page = browser.new_context(base_url=live_stack.app_url).new_page()
    sign_in(page, seller.email)
    page.goto("/pro/apply")
    page.get_by_test_id("pro-category").click()
    page.get_by_role("option", name="Graphics & Design").click()
    page.get_by_test_id("pro-links").fill("https://example.com/paulo\nhttps://example.org/cases")
    page.get_by_test_id("pro-credentials").fill("BA Visual Communication; 40 brand launches.")
    page.get_by_test_id("pro-years").fill("9")
    page.get_by_test_id("pro-summary").fill("I build brand identities for growing companies. " * 3)
    page.get_by_test_id("pro-save-draft").click()
    expect(page.get_by_text("Draft saved.")).to_be_visible()
    page.get_by_test_id("pro-submit").click()
    expect(page.get_by_test_id("pro-status")).to_contain_text("Submitted")
    shots(page, output_path, "pro-apply")

    admins = browser.new_context(base_url=live_stack.app_url).new_page()
    sign_in(admins, admin.email)
    admins.goto("/admin/pro")
    card = admins.get_by_test_id("pro-application").filter(has_text="Paulo Pro")
    expect(card).to_contain_text("40 brand launches")
    shots(admins, output_path, "admin-pro")
    card.get_by_test_id("pro-approve").click()
    admins.get_by_test_id("pro-decision-text").fill("Welcome to Pro.")
    admins.get_by_test_id("pro-confirm").click()
    expect(admins.get_by_text("The seller has been notified.")).to_be_visible()

    page.reload()
    expect(page.get_by_test_id("pro-status")).to_contain_text("you are a Pro seller")
    assert wait_for_document(search_index(live_stack), gig.id, lambda doc: doc["is_pro"])

    # A buyer searches, ticks "Pro only", and the gig is there.
    buyer = browser.new_context(base_url=live_stack.app_url).new_page()
    buyer.goto("/search")
    box = buyer.get_by_test_id("search-page-box")
    box.fill(tag)
    box.press("Enter")
    expect(buyer.get_by_test_id("gig-card").filter(has_text=tag)).to_have_count(1)
    buyer.get_by_text("Pro only").first.click()
    expect(buyer).to_have_url(re.compile(r"pro=1"))
    cards = buyer.get_by_test_id("gig-card").filter(has_text=tag)
    expect(cards).to_have_count(1)
    expect(cards.first.get_by_test_id("pro-badge")).to_be_visible()
    expect(cards.first).to_contain_text(tag)
    # The badge is on the gig page and the profile too.
    cards.first.get_by_text(tag).first.click()  # the title, inside the card's one link
    expect(buyer).to_have_url(re.compile(r"/gig/"))
    expect(buyer.get_by_test_id("pro-badge").first).to_be_visible()
    buyer.goto(f"/u/{seller.username}")
    expect(buyer.get_by_test_id("pro-badge").first).to_be_visible()


def test_a_visitors_heart_survives_sign_in_and_lists_the_gig_in_favourites(
    page: Page, live_stack, db, output_path
):
    seller = a_seller(db, name="Hana Hearted")
    gig = a_gig(db, seller, f"I will draw a mascot for your team {uuid.uuid4().hex[:6]}")
    member = a_member(db, "Felix Fan")
    page.goto(f"/gig/{gig.slug}")
    heart = page.get_by_test_id("gig-favorite-button")
    expect(heart).to_have_attribute("data-saved", "false")
    heart.click()
    expect(page).to_have_url(re.compile(r"/login"))
    page.get_by_label("Email").fill(member.email)
    page.get_by_label("Password").fill(PASSWORD)
    page.get_by_role("button", name="Sign in", exact=True).click()
    expect(page).to_have_url(re.compile(re.escape(f"/gig/{gig.slug}") + "/?$"))
    expect(page.get_by_test_id("gig-favorite-button")).to_have_attribute("data-saved", "true")
    with Session(db) as session:
        assert session.get(Favorite, (member.id, gig.id)) is not None
    page.goto("/my/favorites")
    expect(page.get_by_test_id("gig-card")).to_have_count(1)
    expect(page.get_by_test_id("gig-card")).to_contain_text("mascot")
    shots(page, output_path, "favorites")
    # Clicking the heart on the card takes it off the list's hearts, without opening the gig.
    page.get_by_test_id("favorite-button").click()
    expect(page.get_by_test_id("favorite-button")).to_have_attribute("data-saved", "false")
    expect(page).to_have_url(re.compile(r"/my/favorites/?$"))

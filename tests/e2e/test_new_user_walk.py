"""What a new visitor tripped over in the shell and the public pages (issue 23), done again as
they did it in Chromium against the running marketplace: pressing Tab and Enter, tapping the
header on a phone, following the footer, reading counts, filling the review form by its
labels.

Setup (members, a gig, a completed order) goes through the services and the tables, as in
the other journeys; what the visitor does happens in the browser."""

import re
import uuid
from datetime import UTC, datetime, timedelta

import pytest
from playwright.sync_api import Browser, Page, expect
from sqlmodel import Session, col, select

from marketplace.db import make_engine
from marketplace.models import Category, Gig, User
from marketplace.services.gigs import actions as gigs
from tests.e2e.test_first_wave_fixes import shoot
from tests.e2e.test_seller_journey import PASSWORD, a_seller, fresh_email, sign_in
from tests.gig_fixtures import LIMITS, VALID_DRAFT, valid_draft
from tests.review_fixtures import completed_order

pytestmark = pytest.mark.e2e

PHONE = {"width": 390, "height": 844}


@pytest.fixture
def db(live_stack):
    engine = make_engine(live_stack.db_url)
    yield engine
    engine.dispose()


def a_member(db, name: str) -> User:
    from marketplace.services.accounts import members as accounts

    with Session(db, expire_on_commit=False) as session:
        user = accounts.register(session, email=fresh_email(), password=PASSWORD, display_name=name)
        user.email_verified = True  # fixture: checkout needs a confirmed address (issue 14)
        session.add(user)
        session.commit()
    return user


def a_gig(db, seller: User, title: str) -> Gig:
    """An active gig whose Basic package is also named "Basic" and that asks one question."""
    packages = {**VALID_DRAFT["packages"]}
    packages["basic"] = {**packages["basic"], "name": "Basic"}
    draft = valid_draft(
        title=title, packages=packages, requirements=VALID_DRAFT["requirements"][:1]
    )
    with Session(db, expire_on_commit=False) as session:
        actor = session.get(User, seller.id)
        sub = session.exec(select(Category).where(Category.slug == "logo-design")).one()
        gig = gigs.create_draft_gig(session, actor=actor)
        gigs.save_draft(
            session,
            actor=actor,
            gig_id=gig.id,
            expected_version=1,
            draft={**draft, "category_id": str(sub.id)},
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


def tab_until_focused(page: Page, target, presses: int = 40) -> None:
    """Press Tab, as a keyboard user does, until `target` has the focus."""
    for _ in range(presses):
        page.keyboard.press("Tab")
        if target.evaluate("element => element === document.activeElement"):
            return
    raise AssertionError(f"{presses} presses of Tab never reached {target}")


# --- the header ----------------------------------------------------------------------------------


def test_a_member_opening_the_account_menu_with_the_keyboard_lands_on_its_first_item(
    page: Page, db
):
    member = a_member(db, "Kim Keyboard")
    sign_in(page, member.email)
    avatar = page.get_by_test_id("account-menu")
    tab_until_focused(page, avatar)

    page.keyboard.press("Enter")
    panel = page.get_by_test_id("account-menu-panel")
    expect(panel.get_by_role("link", name="Orders")).to_be_focused()
    # "Sign out" is the last item, never the one a second Enter presses.
    expect(panel.locator("a, button").last).to_have_text("Sign out")

    page.keyboard.press("Enter")
    expect(page).to_have_url(re.compile(r"/orders$"))
    expect(page.get_by_role("heading", name="Orders", exact=True)).to_be_visible()
    expect(avatar).to_be_visible()  # still signed in


def test_a_visitor_on_a_phone_reaches_the_categories_and_explore_from_the_header(
    page: Page, db, output_path
):
    with Session(db) as session:
        first = session.exec(
            select(Category).where(col(Category.parent_id).is_(None)).order_by(Category.position)
        ).first()
    page.set_viewport_size(PHONE)
    page.goto("/")
    expect(page.get_by_test_id("gig-card").first).to_be_visible()
    page.get_by_role("button", name="Menu", exact=True).click()
    panel = page.get_by_test_id("phone-menu-panel")
    expect(panel.get_by_role("link", name="Explore all services")).to_be_focused()
    panel.get_by_role("link", name=first.name, exact=True).click()
    expect(page).to_have_url(re.compile(rf"/categories/{first.slug}$"))
    expect(page.get_by_test_id("result-count")).to_contain_text("available")
    expect(panel).to_have_count(0)  # the menu closed behind the visitor

    page.get_by_role("button", name="Menu", exact=True).click()
    panel.get_by_role("link", name="Explore all services").click()
    expect(page).to_have_url(re.compile(r"/search/?$"))
    expect(page.get_by_test_id("gig-card").first).to_be_visible()

    # A member has the same menu beside the avatar.
    sign_in(page, a_member(db, "Pat Phone").email)
    expect(page.get_by_role("button", name="Menu", exact=True)).to_be_visible()
    page.set_viewport_size({"width": 1280, "height": 900})
    expect(
        page.get_by_role("button", name="Menu", exact=True)
    ).to_be_hidden()  # Explore shows instead
    page.set_viewport_size(PHONE)
    page.get_by_role("button", name="Menu", exact=True).click()
    expect(page.get_by_test_id("phone-menu-panel").get_by_role("link")).to_have_count(11)
    shoot(page, output_path, "phone-menu")


# --- the footer and toasts -----------------------------------------------------------------------


def test_a_visitor_following_service_status_in_the_footer_reads_what_answers(
    page: Page, output_path
):
    page.goto("/")
    page.get_by_role("link", name="Service status").click()
    expect(page).to_have_url(re.compile(r"/status$"))
    expect(page.get_by_test_id("status-headline")).to_have_text("All systems are working.")
    rows = page.get_by_test_id("status-row")
    expect(rows).to_have_count(3)
    for name in ("Accounts, gigs and orders", "Search", "Payments"):
        expect(rows.filter(has_text=name)).to_contain_text("Answering.")
    shoot(page, output_path, "status")


def test_a_seller_pausing_a_gig_sees_the_toast_bottom_right_like_everywhere(page: Page, db):
    seller = a_seller(db, name="Tess Toast")
    a_gig(db, seller, f"I will draw a toast mascot {uuid.uuid4().hex[:6]}")
    sign_in(page, seller.email)
    page.goto("/my/gigs")
    page.get_by_role("button", name="Pause", exact=True).click()
    toaster = page.locator("[data-sonner-toaster]")
    expect(toaster.locator("[data-sonner-toast]")).to_have_count(1)
    expect(toaster).to_have_attribute("data-y-position", "bottom")
    expect(toaster).to_have_attribute("data-x-position", "right")


# --- the gig page, checkout, the orders list and the review form ---------------------------------


def test_a_buyer_compares_packages_checks_out_and_reviews_by_the_forms_labels(
    browser: Browser, live_stack, db, output_path
):
    seller = a_seller(db, name="Nora Named")
    gig = a_gig(db, seller, f"I will design a logo for your studio {uuid.uuid4().hex[:6]}")
    buyer = a_member(db, "Ben Buyer")
    with Session(db, expire_on_commit=False) as session:
        order = completed_order(
            session,
            buyer=buyer,
            seller=seller,
            gig=gig,
            completed_at=datetime.now(UTC) - timedelta(hours=2),
        )
        order.package_tier = "basic"
        order.package_snapshot = {"name": "Basic"}
        session.add(order)
        session.commit()
    context = browser.new_context(base_url=live_stack.app_url)
    page = context.new_page()
    sign_in(page, buyer.email)

    # The compare table names the Basic package once, and its marks sit under their column.
    page.goto(f"/gig/{gig.slug}")
    table = page.get_by_test_id("compare-table")
    expect(table.get_by_role("columnheader").nth(1)).to_have_text(re.compile(r"^Basic\$20$"))
    marks = table.get_by_test_id("compare-mark")
    expect(marks).to_have_count(9)
    headers = table.get_by_role("columnheader")
    for row in range(3):
        for column in range(3):
            icon = marks.nth(row * 3 + column).locator("svg").bounding_box()
            header = headers.nth(column + 1).bounding_box()
            centre, header_centre = icon["x"] + icon["width"] / 2, header["x"] + header["width"] / 2
            assert abs(centre - header_centre) <= 1, (row, column, centre, header_centre)

    # Checkout counts the seller's questions in words.
    page.get_by_test_id("continue").click()
    expect(page).to_have_url(re.compile(r"/checkout"))
    expect(page.get_by_text("After paying you answer the seller's 1 question;")).to_be_visible()

    # The orders list names what is waiting for a review; its code stays on one line.
    page.set_viewport_size(PHONE)
    page.goto("/orders")
    waiting = page.get_by_test_id("review-to-write")
    expect(waiting).to_have_count(1)
    expect(waiting).to_contain_text(gig.title)
    expect(waiting).to_contain_text(order.code)
    code = waiting.get_by_text(order.code)
    lines = "element => new Set([...element.getClientRects()].map(box => box.top)).size"
    assert code.evaluate(lines) == 1
    shoot(page, output_path, "reviews-to-write")
    waiting.get_by_role("link", name=gig.title).click()
    expect(page).to_have_url(re.compile(rf"/orders/{order.code}#review$"))

    # What was ordered: "Basic", once.
    expect(page.get_by_text("What was ordered")).to_be_visible()
    expect(page.get_by_test_id("ordered-package")).to_have_count(0)

    # The star groups are named radio groups that say which star is chosen.
    overall = page.get_by_role("radiogroup", name="Overall rating")
    communication = page.get_by_role("radiogroup", name="Communication with the seller")
    overall.get_by_role("radio", name="4 stars").click()
    expect(overall.get_by_role("radio", name="4 stars")).to_be_checked()
    expect(overall.get_by_role("radio", name="5 stars")).not_to_be_checked()
    expect(communication.get_by_role("radio", name="4 stars")).not_to_be_checked()
    communication.get_by_role("radio", name="5 stars").click()
    expect(communication.get_by_role("radio", name="5 stars")).to_be_checked()
    page.get_by_role("radiogroup", name="Service as described").get_by_role(
        "radio", name="5 stars"
    ).click()
    page.get_by_role("radiogroup", name="Would you recommend this seller?").get_by_role(
        "radio", name="Yes"
    ).click()
    page.get_by_label("Your review of the seller").fill("Clear logo, quick and friendly.")
    shoot(page, output_path, "review-form")
    page.get_by_role("button", name="Submit review").click()
    expect(page.get_by_test_id("my-review")).to_contain_text("Clear logo, quick and friendly.")
    context.close()


def test_a_seller_reads_each_faq_field_by_its_label_in_the_editor(page: Page, db, output_path):
    seller = a_seller(db, name="Fay Faq")
    gig = a_gig(db, seller, f"I will write a brand story {uuid.uuid4().hex[:6]}")
    sign_in(page, seller.email)
    page.goto(f"/gigs/{gig.id}/edit")
    page.get_by_test_id("step-description").click()
    expect(page.get_by_label("Question 1", exact=True)).to_have_value("Do you sign an NDA?")
    expect(page.get_by_label("Answer 1", exact=True)).to_have_value("Yes, happily.")
    page.get_by_role("button", name="Add a question").click()
    page.get_by_label("Question 2", exact=True).fill("Can I see drafts?")
    expect(page.get_by_label("Question 2", exact=True)).to_have_value("Can I see drafts?")
    shoot(page, output_path, "editor-faq")

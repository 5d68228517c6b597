"""Messaging in Chromium with two people at once (two browser contexts): a buyer contacts a
seller from the gig page, the seller sees the message appear without reloading and replies;
the seller sends a custom offer, the buyer accepts it and reaches its checkout; the bell counts
and clears (live, also for rows another process wrote); a `<script>` message renders as text.

Each journey is a plain function of (browser, base_url, db) so it can also be run against a
stack started by hand (see docs/messaging.md)."""

import re
import time
import uuid
from pathlib import Path

import pytest
from playwright.sync_api import Browser, Page, expect
from sqlmodel import Session, select

from marketplace.db import make_engine
from marketplace.models import Category, Notification, Order, SearchOutbox, User
from marketplace.services.accounts import members as accounts
from tests.e2e.test_seller_journey import PASSWORD, a_seller
from tests.gig_fixtures import published_gig

pytestmark = pytest.mark.e2e

LIVE_TIMEOUT = 2_000  # "appears within 2 seconds without a reload"
RELAY_TIMEOUT = LIVE_TIMEOUT + 1_000  # plus the relay's poll (state/live.py RELAY_POLL_S)
TIMEOUT = 20_000


@pytest.fixture
def db(live_stack):
    engine = make_engine(live_stack.db_url)
    yield engine
    engine.dispose()


def a_member(db, name: str) -> User:
    with Session(db, expire_on_commit=False) as session:
        user = accounts.register(
            session,
            email=f"member-{uuid.uuid4().hex[:10]}@example.com",
            password=PASSWORD,
            display_name=name,
        )
        session.commit()
    return user


def a_seller_with_gig(db, seller: User | None = None):
    seller = seller or a_seller(db, name="Selma Seller")
    with Session(db, expire_on_commit=False) as session:
        sub = session.exec(select(Category).where(Category.slug == "logo-design")).one()
        gig = published_gig(session, session.get(User, seller.id), sub)
        session.commit()
        session.refresh(gig)
    # Let the search worker take the new gig first, so it writes nothing during a later test.
    deadline = time.monotonic() + 20
    while time.monotonic() < deadline:
        with Session(db) as session:
            pending = session.exec(
                select(SearchOutbox.id).where(
                    SearchOutbox.gig_id == gig.id, SearchOutbox.processed_at.is_(None)
                )
            ).first()
        if pending is None:
            break
        time.sleep(0.25)
    return seller, gig


def signed_in_page(browser: Browser, base_url: str, user: User) -> Page:
    context = browser.new_context(base_url=base_url, viewport={"width": 1280, "height": 900})
    page = context.new_page()
    page.goto("/login")
    page.get_by_label("Email").fill(user.email)
    page.get_by_label("Password").fill(PASSWORD)
    page.get_by_role("button", name="Sign in", exact=True).click()
    expect(page.get_by_test_id("account-menu")).to_be_visible(timeout=TIMEOUT)
    return page


def write(page: Page, text: str) -> None:
    """Type the message (Shift+Enter for each new line) and press Enter, as a user does."""
    box = page.get_by_label("Type your reply")
    box.click()
    for i, line in enumerate(text.split("\n")):
        if i:
            box.press("Shift+Enter")
        box.press_sequentially(line, delay=5)
    box.press("Enter")


def contact_and_reply(browser: Browser, base_url: str, db, shots: Path | None = None):
    seller, gig = a_seller_with_gig(db)
    buyer = a_member(db, "Bea Buyer")
    seller_page = signed_in_page(browser, base_url, seller)
    seller_page.goto("/inbox")
    expect(seller_page.get_by_test_id("inbox-empty")).to_be_visible(timeout=TIMEOUT)

    buyer_page = signed_in_page(browser, base_url, buyer)
    buyer_page.goto(f"/gig/{gig.slug}")
    buyer_page.get_by_test_id("contact-seller").click()
    expect(buyer_page).to_have_url(re.compile(r"/inbox/\d+$"), timeout=TIMEOUT)
    expect(buyer_page.get_by_test_id("thread-other-name")).to_have_text("Selma Seller")
    write(buyer_page, "Hi Selma, can you make a logo for my bakery?")
    expect(buyer_page.get_by_test_id("message-mine").last).to_contain_text("bakery")

    # The seller's open inbox shows the new conversation and the header badge, without reload.
    expect(seller_page.get_by_test_id("inbox-row")).to_contain_text("bakery", timeout=LIVE_TIMEOUT)
    expect(seller_page.get_by_test_id("inbox-badge")).to_have_text("1", timeout=LIVE_TIMEOUT)
    seller_page.get_by_test_id("inbox-row").first.click()
    expect(seller_page.get_by_test_id("message-theirs").last).to_contain_text("bakery")
    expect(seller_page.get_by_test_id("inbox-badge")).to_have_count(0, timeout=TIMEOUT)
    # The buyer sees "Seen" appear on their message.
    expect(buyer_page.get_by_test_id("seen")).to_be_visible(timeout=LIVE_TIMEOUT)

    write(seller_page, "Sure!\nWhen do you need it?")
    reply = buyer_page.get_by_test_id("message-theirs").last
    expect(reply).to_contain_text("When do you need it?", timeout=LIVE_TIMEOUT)
    assert reply.get_by_test_id("message-body").inner_text() == "Sure!\nWhen do you need it?"
    # Another message while the conversation is open on both sides.
    write(buyer_page, "Great, thanks")
    expect(seller_page.get_by_test_id("message-theirs").last).to_contain_text(
        "Great, thanks", timeout=LIVE_TIMEOUT
    )
    # Typing shows a hint on the other side, which goes when the message arrives.
    buyer_page.wait_for_timeout(1600)  # a pause: the hint is sent at most every 1.5 s
    box = buyer_page.get_by_label("Type your reply")
    box.press_sequentially("One more thing", delay=40)
    expect(seller_page.get_by_test_id("typing")).to_be_visible(timeout=LIVE_TIMEOUT)
    box.press("Enter")
    expect(seller_page.get_by_test_id("message-theirs").last).to_contain_text(
        "One more thing", timeout=LIVE_TIMEOUT
    )
    expect(seller_page.get_by_test_id("typing")).to_have_count(0)
    if shots is not None:
        screenshots(seller_page, shots, "conversation")
        seller_page.goto("/inbox")
        expect(seller_page.get_by_test_id("inbox-row").first).to_be_visible(timeout=TIMEOUT)
        screenshots(seller_page, shots, "inbox")
        seller_page.go_back()
        expect(seller_page.get_by_test_id("thread-other-name")).to_have_text("Bea Buyer")
    return seller, gig, buyer, seller_page, buyer_page


def screenshots(page: Page, folder: Path, name: str, full_page: bool = False) -> None:
    folder.mkdir(parents=True, exist_ok=True)
    for width, height in ((1280, 900), (390, 844)):
        page.set_viewport_size({"width": width, "height": height})
        page.wait_for_timeout(300)
        page.screenshot(path=str(folder / f"{name}-{width}.png"), full_page=full_page)
    page.set_viewport_size({"width": 1280, "height": 900})


def script_renders_as_text(buyer_page: Page, seller_page: Page) -> None:
    hostile = "<script>window.__pwned = 1</script><b>bold?</b> see https://example.com/x"
    write(buyer_page, hostile)
    last = seller_page.get_by_test_id("message-theirs").last
    expect(last).to_contain_text("<script>window.__pwned = 1</script>", timeout=LIVE_TIMEOUT)
    assert seller_page.evaluate("window.__pwned") is None
    assert last.locator("b").count() == 0 and last.locator("script").count() == 0
    link = last.get_by_role("link", name="https://example.com/x")
    expect(link).to_have_attribute("rel", "noopener noreferrer nofollow ugc")


def send_a_file(buyer_page: Page, seller_page: Page, tmp: Path) -> None:
    """The buyer attaches a PDF with the paperclip and sends it; the seller can download it."""
    brief = tmp / "Bakery brief.pdf"
    brief.write_bytes(b"%PDF-1.4 bakery brief")
    buyer_page.locator("#message-files input[type=file]").set_input_files(str(brief))
    expect(buyer_page.get_by_test_id("pending-files")).to_contain_text("Bakery brief.pdf")
    write(buyer_page, "Here is my brief")
    link = seller_page.get_by_test_id("message-file").last
    expect(link).to_contain_text("Bakery brief.pdf", timeout=LIVE_TIMEOUT)
    href = link.get_attribute("href")
    assert seller_page.request.get(href).body() == b"%PDF-1.4 bakery brief"
    outsider = seller_page.context.browser.new_context(base_url=seller_page.url.split("/inbox")[0])
    assert outsider.request.get(href).status == 404
    outsider.close()


def offer_accept_checkout(seller_page: Page, buyer_page: Page, gig) -> None:
    seller_page.get_by_role("button", name="Create an offer").click()
    seller_page.get_by_label("What's included").fill("Logo, 3 concepts, all source files")
    seller_page.get_by_label("Price").fill("150")
    seller_page.get_by_label("Delivery days").fill("5")
    seller_page.get_by_label("Revisions").select_option(label="2 revisions")
    seller_page.get_by_role("button", name="Send offer").click()
    card = buyer_page.get_by_test_id("offer-card").last
    expect(card).to_contain_text("$150", timeout=LIVE_TIMEOUT)
    expect(card.get_by_test_id("offer-status")).to_have_text("Awaiting response")
    # The bell of the buyer counts the offer.
    expect(buyer_page.get_by_test_id("bell-badge")).to_have_text("1", timeout=LIVE_TIMEOUT)
    card.get_by_role("button", name="Accept and pay").click()
    expect(buyer_page).to_have_url(re.compile(r"/checkout/offer/\d+"), timeout=TIMEOUT)
    expect(buyer_page.get_by_text("Custom offer").first).to_be_visible(timeout=TIMEOUT)
    expect(buyer_page.get_by_test_id("total")).to_contain_text("$158.25", timeout=TIMEOUT)


def bell_counts_and_clears(browser: Browser, base_url: str, db) -> None:
    user = a_member(db, "Bell Ringer")
    page = signed_in_page(browser, base_url, user)
    expect(page.get_by_test_id("bell-badge")).to_have_count(0)
    # Rows written by this process, as the worker's timers write them: no web process is
    # told. With the tab's 30-s catch-up stopped, only the web processes' relay can bring them.
    page.wait_for_function("() => window.gwCatchUp !== undefined")
    page.evaluate("() => clearInterval(window.gwCatchUp)")
    with Session(db) as session:
        for title in ("Order placed · GW-TEST1", "Delivered · GW-TEST2"):
            session.add(
                Notification(user_id=user.id, kind="order.deliver", title=title, link="/orders")
            )
        session.commit()
    expect(page.get_by_test_id("bell-badge")).to_have_text("2", timeout=RELAY_TIMEOUT)
    page.get_by_test_id("bell").click()
    expect(page.get_by_test_id("bell-item")).to_have_count(2)
    page.get_by_test_id("bell-item").first.click()
    expect(page).to_have_url(re.compile(r"/orders"), timeout=TIMEOUT)
    expect(page.get_by_test_id("bell-badge")).to_have_text("1", timeout=TIMEOUT)
    page.get_by_test_id("bell").click()
    page.get_by_test_id("mark-all-read").click()
    expect(page.get_by_test_id("bell-badge")).to_have_count(0, timeout=TIMEOUT)
    page.context.close()


def test_buyer_contacts_seller_who_sees_it_live_and_replies_then_sends_an_offer(
    browser: Browser, base_url, db, output_path
):
    _, gig, _, seller_page, buyer_page = contact_and_reply(
        browser, base_url, db, shots=Path(output_path)
    )
    try:
        script_renders_as_text(buyer_page, seller_page)
        send_a_file(buyer_page, seller_page, Path(output_path))
        offer_accept_checkout(seller_page, buyer_page, gig)
    finally:  # no tab of this test stays connected into the next one
        seller_page.context.close()
        buyer_page.context.close()


def test_the_bell_counts_and_clears(browser: Browser, base_url, db):
    bell_counts_and_clears(browser, base_url, db)


def test_a_visitor_contacting_a_seller_signs_in_and_comes_back(page: Page, db):
    seller, gig = a_seller_with_gig(db)
    buyer = a_member(db, "Vic Visitor")
    page.goto(f"/gig/{gig.slug}")
    page.get_by_test_id("contact-seller").click()
    expect(page).to_have_url(re.compile(r"/login\?next="), timeout=TIMEOUT)
    page.get_by_label("Email").fill(buyer.email)
    page.get_by_label("Password").fill(PASSWORD)
    page.get_by_role("button", name="Sign in", exact=True).click()
    expect(page).to_have_url(re.compile(r"/inbox/\d+$"), timeout=TIMEOUT)
    expect(page.get_by_test_id("thread-other-name")).to_have_text(seller.display_name)


def an_order_between(db, buyer: User, seller: User, gig) -> str:
    """An order in progress between the two (made in the database: how it was paid is the
    order journey's business), so its page shows their conversation."""
    code = f"GW-M{uuid.uuid4().hex[:6].upper()}"
    with Session(db) as session:
        session.add(
            Order(
                code=code, gig_id=gig.id, buyer_id=buyer.id, seller_id=seller.id,
                title=gig.title, status="in_progress", subtotal_cents=2000,
                service_fee_cents=110, total_cents=2110, commission_cents=400,
                seller_earnings_cents=1600, delivery_days=3, revisions_allowed=1,
            )
        )  # fmt: skip
        session.commit()
    return code


def test_a_seller_answers_an_empty_conversation_with_an_offer_on_its_gig_and_types_on_a_phone(
    browser: Browser, base_url, db, output_path
):
    """Issue 23: a buyer opens a conversation from a gig page and writes nothing; the seller's
    inbox says "No messages yet", the empty thread speaks to the seller as the seller, the
    offer form starts on the conversation's gig (the seller has a newer one) and offers
    unlimited revisions by name; on the order page at phone width the message box is wide
    enough to write in."""
    seller, gig = a_seller_with_gig(db)
    _, newer = a_seller_with_gig(db, seller)
    buyer = a_member(db, "Quiet Buyer")
    buyer_page = signed_in_page(browser, base_url, buyer)
    seller_page = signed_in_page(browser, base_url, seller)
    try:
        buyer_page.goto(f"/gig/{gig.slug}")
        buyer_page.get_by_test_id("contact-seller").click()
        expect(buyer_page).to_have_url(re.compile(r"/inbox/\d+$"), timeout=TIMEOUT)
        expect(buyer_page.get_by_test_id("thread-empty-hint")).to_have_text(
            "Describe your project; the seller usually answers within a day."
        )

        seller_page.goto("/inbox")
        row = seller_page.get_by_test_id("inbox-row").filter(has_text="Quiet Buyer")
        expect(row).to_contain_text("No messages yet", timeout=TIMEOUT)
        row.click()
        expect(seller_page.get_by_test_id("thread-other-name")).to_have_text("Quiet Buyer")
        hint = seller_page.get_by_test_id("thread-empty-hint")
        expect(hint).to_have_text("Introduce yourself and ask what the buyer needs to get started.")

        seller_page.get_by_role("button", name="Create an offer").click()
        based_on = seller_page.get_by_label("Based on gig")
        expect(based_on).to_have_value(str(gig.id))
        expect(based_on.locator("option")).to_have_count(2)
        assert newer.id > gig.id  # newest first would have chosen the other gig
        revisions = seller_page.get_by_label("Revisions")
        expect(revisions).to_be_visible()
        expect(revisions.locator("option", has_text="-1")).to_have_count(0)
        screenshots(seller_page, Path(output_path), "offer-form", full_page=True)
        seller_page.get_by_label("What's included").fill("A logo for your shop, 2 concepts")
        price = seller_page.get_by_label("Price ($)")
        price.click()
        price.press_sequentially("12,34")  # not an amount: the gig editor's own message
        seller_page.get_by_label("Delivery days").fill("4")
        revisions.select_option(label="Unlimited revisions")
        seller_page.get_by_role("button", name="Send offer").click()
        expect(seller_page.get_by_test_id("offer-form")).to_contain_text(
            "Enter a price in dollars, like 25 or 25.50."
        )
        price.fill("")
        price.press_sequentially("$1,200")
        seller_page.get_by_role("button", name="Send offer").click()
        card = seller_page.get_by_test_id("offer-card").last
        expect(card).to_contain_text("$1,200", timeout=TIMEOUT)
        expect(card).to_contain_text("Unlimited revisions")
        expect(card).to_contain_text(gig.title)
        expect(buyer_page.get_by_test_id("offer-card").last).to_contain_text(
            "Unlimited revisions", timeout=LIVE_TIMEOUT
        )

        code = an_order_between(db, buyer, seller, gig)
        buyer_page.set_viewport_size({"width": 390, "height": 844})
        buyer_page.goto(f"/orders/{code}")
        # The thread has loaded when its script is installed (this tab showed the same thread
        # in the inbox a moment ago, so its old box may show first and then be replaced).
        buyer_page.wait_for_function("() => window.gwScrollDown !== undefined", timeout=TIMEOUT)
        box = buyer_page.get_by_test_id("order-thread").get_by_label("Type your reply")
        expect(box).to_be_visible(timeout=TIMEOUT)
        box.scroll_into_view_if_needed()
        width = box.bounding_box()["width"]
        assert width >= 0.6 * 390, f"the message box is {width:.0f} px wide at 390 px"
        box.click()
        box.press_sequentially("Thanks, the offer looks right", delay=5)
        box.press("Enter")
        expect(seller_page.get_by_test_id("message-theirs").last).to_contain_text(
            "the offer looks right", timeout=LIVE_TIMEOUT
        )
        buyer_page.screenshot(path=str(Path(output_path) / "order-thread-390.png"), full_page=True)
    finally:
        seller_page.context.close()
        buyer_page.context.close()

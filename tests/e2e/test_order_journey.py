"""A buyer orders, pays in the card element, the seller delivers, the buyer accepts: in Chromium,
against the live stack (its local Stripe server serves the fake Stripe.js the page loads).

Each test makes its own seller (with a Stripe Express account, so the release is a real
Transfer), gig and buyer through the services; everything after that is clicks and typing."""

import re
import uuid
from pathlib import Path

import pytest
from playwright.sync_api import Browser, Page, expect
from sqlmodel import Session, select

from marketplace.db import make_engine
from marketplace.models import (
    Category,
    FreelancerProfile,
    Gig,
    GigPackage,
    LedgerEntry,
    Order,
    User,
)
from marketplace.payments.gateway import StripeGateway
from marketplace.services.accounts import members as accounts
from marketplace.services.orders import executor as orders
from marketplace.settings import load_settings
from tests import order_fixtures
from tests.e2e.test_seller_journey import PASSWORD, a_seller
from tests.gig_fixtures import published_gig

pytestmark = pytest.mark.e2e

CARD_OK = "4242424242424242"
CARD_DECLINED = "4000000000000002"
CARD_3DS = "4000002500003155"
TIMEOUT = 20_000


@pytest.fixture(autouse=True)
def patient_expect():
    """Payments make two Stripe round trips; give each expectation 20 s, then put it back."""
    expect.set_options(timeout=TIMEOUT)
    yield
    expect.set_options(timeout=5_000)


@pytest.fixture
def db(live_stack):
    engine = make_engine(live_stack.db_url)
    yield engine
    engine.dispose()


def bell_count(page: Page) -> int:
    """The unread count on the header's bell (no badge: none)."""
    badge = page.get_by_test_id("bell-badge")
    return int(badge.inner_text()) if badge.count() else 0


def sign_in(page: Page, email: str) -> None:
    page.goto("/login")
    page.get_by_label("Email").fill(email)
    page.get_by_label("Password").fill(PASSWORD)
    page.get_by_role("button", name="Sign in", exact=True).click()
    expect(page.get_by_test_id("account-menu")).to_be_visible(timeout=TIMEOUT)


def a_buyer(db) -> User:
    with Session(db, expire_on_commit=False) as session:
        user = accounts.register(
            session,
            email=f"buyer-{uuid.uuid4().hex[:10]}@example.com",
            password=PASSWORD,
            display_name="Bruno Buyer",
        )
        user.email_verified = True  # fixture: checkout needs a confirmed address (issue 14)
        session.commit()
    return user


def a_gig_with_payouts(db, live_stack) -> tuple[User, Gig]:
    """A seller whose Stripe account can receive transfers, and their active gig: Basic $20,
    extras "Social media kit" (+$25.50) and fast delivery, two requirement questions."""
    seller = a_seller(db, name="Sofia Seller")
    gateway = StripeGateway.from_settings(load_settings(live_stack.env()))
    account = gateway.create_express_account(
        email=seller.email, country="US", idempotency_key=f"acct-{uuid.uuid4().hex}"
    )
    with Session(db, expire_on_commit=False) as session:
        profile = session.exec(
            select(FreelancerProfile).where(FreelancerProfile.user_id == seller.id)
        ).one()
        profile.stripe_account_id = account.id
        profile.payouts_enabled = True
        session.add(profile)
        # A seeded subcategory: new top-level categories here would show up in every other
        # test's category menus (the live stack's database is shared by the session).
        sub = session.exec(select(Category).where(Category.slug == "logo-design")).one()
        gig = published_gig(session, session.get(User, seller.id), sub)
        session.commit()
        session.refresh(gig)
    return seller, gig


def type_card(page: Page, number: str) -> None:
    """Type into the card element like a buyer: number, expiry, CVC, postal code."""
    card = page.get_by_test_id("card-element")
    for placeholder, value in (
        ("number", number),
        ("exp_month", "12"),
        ("exp_year", "34"),
        ("cvc", "123"),
        ("postal_code", "10115"),
    ):
        box = card.get_by_placeholder(placeholder, exact=True)
        box.click()
        box.press("Control+A")
        box.press("Backspace")
        box.press_sequentially(value)


def shots(page: Page, output_path, name: str) -> None:
    """The page at desktop and at phone width, for review."""
    folder = Path(output_path)
    folder.mkdir(parents=True, exist_ok=True)
    for width, height in ((1280, 900), (390, 844)):
        page.set_viewport_size({"width": width, "height": height})
        page.wait_for_timeout(300)
        page.screenshot(path=str(folder / f"{name}-{width}.png"), full_page=True)
    page.set_viewport_size({"width": 1280, "height": 900})


def orders_of(db, buyer: User) -> list[Order]:
    with Session(db) as session:
        return list(session.exec(select(Order).where(Order.buyer_id == buyer.id)).all())


def ledger_of(db, code: str) -> list[LedgerEntry]:
    with Session(db) as session:
        order = session.exec(select(Order).where(Order.code == code)).one()
        return list(session.exec(select(LedgerEntry).where(LedgerEntry.order_id == order.id)).all())


def open_checkout_with_extra(page: Page, gig: Gig, extra: str = "Social media kit") -> None:
    page.goto(f"/gig/{gig.slug}")
    expect(page.get_by_test_id("gig-title")).to_have_text(gig.title)
    page.get_by_test_id("gig-extra").filter(has_text=extra).click()
    expect(page.get_by_test_id("order-total")).to_have_text("$45.50")
    page.get_by_test_id("continue").click()
    expect(page).to_have_url(re.compile(r"/checkout/"))
    expect(page.get_by_test_id("checkout-package")).to_have_text("Starter")
    expect(page.get_by_test_id("subtotal")).to_have_text("$45.50")
    expect(page.get_by_test_id("service-fee")).to_have_text("$2.50")
    expect(page.get_by_test_id("total")).to_have_text("$48")
    expect(page.get_by_test_id("test-mode")).to_contain_text("4242 4242 4242 4242")
    expect(page.get_by_test_id("card-element").get_by_placeholder("number")).to_be_visible(
        timeout=TIMEOUT
    )


def test_order_pay_deliver_revise_accept_and_the_seller_sees_the_money(
    browser: Browser, live_stack, db, tmp_path, output_path
):
    seller, gig = a_gig_with_payouts(db, live_stack)
    buyer = a_buyer(db)
    buyer_ctx = browser.new_context(base_url=live_stack.app_url)
    seller_ctx = browser.new_context(base_url=live_stack.app_url)
    page, sellers = buyer_ctx.new_page(), seller_ctx.new_page()
    page.set_default_timeout(TIMEOUT)
    sellers.set_default_timeout(TIMEOUT)

    # The buyer chooses the package and an extra, and pays with the test card.
    sign_in(page, buyer.email)
    open_checkout_with_extra(page, gig)
    shots(page, output_path, "checkout")
    type_card(page, CARD_OK)
    page.get_by_role("button", name="Pay $48").click()
    expect(page).to_have_url(re.compile(r"/orders/GW-"), timeout=30_000)
    code = page.url.rstrip("/").rsplit("/", 1)[-1]
    expect(page.get_by_test_id("status")).to_have_text("Awaiting requirements")
    (order,) = orders_of(db, buyer)
    assert order.code == code and order.total_cents == 4800 and order.subtotal_cents == 4550
    assert [e["title"] for e in order.extras_snapshot] == ["Social media kit"]
    shots(page, output_path, "order-requirements")

    # Requirements: the clock starts.
    page.get_by_label("What is your business name?").fill("Acme Bakery")
    page.get_by_role("button", name="Submit requirements and start").click()
    expect(page.get_by_test_id("status")).to_have_text("In progress")
    expect(page.get_by_test_id("countdown")).to_contain_text("left")
    expect(page.get_by_test_id("answers")).to_contain_text("Acme Bakery")

    # The seller finds the order under Selling and delivers a file.
    bell_before = bell_count(page)
    sign_in(sellers, seller.email)
    sellers.goto(f"/gig/{gig.slug}")  # the seller can't order their own gig
    expect(sellers.get_by_test_id("order-total")).to_be_visible()
    expect(sellers.get_by_test_id("continue")).to_have_count(0)
    sellers.get_by_test_id("account-menu").click()
    sellers.get_by_role("link", name="Orders").click()
    sellers.get_by_role("radio", name="Selling").click()
    expect(sellers.get_by_role("radio", name="Selling")).to_be_checked()  # the view loaded
    sellers.get_by_test_id("order-link").filter(has_text=gig.title).first.click()
    expect(sellers.get_by_test_id("status")).to_have_text("In progress")
    first = tmp_path / "logo-v1.txt"
    first.write_text("the first logo concept\n")
    sellers.get_by_label("Delivery message").fill("Here is the first concept.")
    sellers.locator("#delivery-files input[type=file]").set_input_files(str(first))
    expect(sellers.get_by_test_id("delivery-upload")).to_have_text("logo-v1.txt")
    sellers.get_by_role("button", name="Deliver work").click()
    expect(sellers.get_by_test_id("status")).to_have_text("Delivered")
    shots(sellers, output_path, "order-seller-delivered")
    # The buyer's open page rings: "delivered" reaches the bell without a reload.
    expect(page.get_by_test_id("bell-badge")).to_have_text(str(bell_before + 1))

    # The buyer sees the delivery, downloads it, and asks for a revision.
    page.reload()
    expect(page.get_by_test_id("delivery")).to_contain_text("Here is the first concept.")
    file_link = page.get_by_test_id("delivery-file").filter(has_text="logo-v1.txt")
    served = page.request.get(file_link.get_attribute("href"))
    assert served.status == 200, (served.status, served.text()[:200])
    with page.expect_download() as download:
        file_link.click()
    assert Path(download.value.path()).read_text() == "the first logo concept\n"
    page.get_by_role("button", name="Request a revision").click()
    page.get_by_label("Message").fill("Please make the letters bolder.")
    page.get_by_test_id("dialog-confirm").click()
    expect(page.get_by_test_id("status")).to_have_text("Revision requested")

    # The seller delivers again.
    sellers.reload()
    expect(sellers.get_by_test_id("timeline")).to_contain_text("Please make the letters bolder.")
    second = tmp_path / "logo-v2.txt"
    second.write_text("bolder letters\n")
    sellers.get_by_label("Delivery message").fill("Bolder, as asked.")
    sellers.locator("#delivery-files input[type=file]").set_input_files(str(second))
    expect(sellers.get_by_test_id("delivery-upload")).to_have_text("logo-v2.txt")
    sellers.get_by_role("button", name="Deliver work").click()
    expect(sellers.get_by_test_id("status")).to_have_text("Delivered")

    # The buyer accepts; the seller is paid.
    page.reload()
    expect(page.get_by_test_id("delivery")).to_have_count(2)
    page.get_by_role("button", name="Accept delivery").click()
    expect(page.get_by_role("dialog")).to_contain_text("The seller is paid")
    page.get_by_test_id("dialog-confirm").click()
    expect(page.get_by_test_id("status")).to_have_text("Completed")
    shots(page, output_path, "order-completed")

    # The money panel shows every step, each with its amount and Stripe object.
    lines = ledger_of(db, code)
    kinds = [line.kind for line in lines]
    assert {"hold", "capture", "commission", "release"} <= set(kinds), kinds
    panel = page.get_by_test_id("money-panel")
    rows = panel.get_by_test_id("ledger-line")
    expect(rows).to_have_count(len(lines))
    for line in lines:
        if line.stripe_object_id:
            expect(panel).to_contain_text(line.stripe_object_id)
    release = next(line for line in lines if line.kind == "release")
    assert release.amount_cents == 3640 and release.stripe_object_id.startswith("tr_")
    expect(panel).to_contain_text("$36.40")

    # The seller's earnings page shows the released amount and its ledger line.
    sellers.get_by_test_id("account-menu").click()
    sellers.get_by_role("link", name="Earnings").click()
    expect(sellers.get_by_role("heading", name="Earnings", exact=True)).to_be_visible()
    expect(sellers.get_by_test_id("earnings-summary")).to_contain_text("$36.40")
    expect(sellers.get_by_test_id("earnings-ledger")).to_contain_text(release.stripe_object_id)
    expect(
        sellers.get_by_test_id("weekly-chart").locator(".recharts-bar-rectangle")
    ).not_to_have_count(0)
    shots(sellers, output_path, "earnings")
    with sellers.expect_download() as csv_download:
        sellers.get_by_test_id("earnings-csv").click()
    assert code in Path(csv_download.value.path()).read_text()
    sellers.get_by_test_id("account-menu").click()
    sellers.get_by_role("link", name="Orders").click()
    sellers.get_by_role("radio", name="Selling").click()
    expect(sellers.get_by_role("radio", name="Selling")).to_be_checked()  # the view loaded
    sellers.get_by_role("tab", name=re.compile("Completed")).click()
    expect(sellers.get_by_test_id("order-row").first).to_be_visible()
    shots(sellers, output_path, "orders-selling")
    buyer_ctx.close()
    seller_ctx.close()


def test_a_declined_card_shows_its_message_and_the_same_order_is_paid_next(
    page: Page, live_stack, db, output_path
):
    _, gig = a_gig_with_payouts(db, live_stack)
    buyer = a_buyer(db)
    page.set_default_timeout(TIMEOUT)
    sign_in(page, buyer.email)
    open_checkout_with_extra(page, gig)

    type_card(page, CARD_DECLINED)
    page.get_by_role("button", name="Pay $48").click()
    expect(page.get_by_test_id("pay-error")).to_contain_text("declined")
    shots(page, output_path, "checkout-declined")
    (order,) = orders_of(db, buyer)
    assert order.status == "pending_payment"
    assert not [line for line in ledger_of(db, order.code) if line.kind != "void"]

    # The button is usable again; the same order is paid with a good card.
    type_card(page, CARD_OK)
    page.get_by_role("button", name="Pay $48").click()
    expect(page).to_have_url(re.compile(rf"/orders/{order.code}$"), timeout=30_000)
    expect(page.get_by_test_id("status")).to_have_text("Awaiting requirements")
    (paid,) = orders_of(db, buyer)  # still one order: the retry reused the checkout key
    assert paid.id == order.id and paid.status == "awaiting_requirements"
    assert [line.kind for line in ledger_of(db, order.code)] == ["hold"]


def test_new_members_see_empty_orders_and_a_seller_without_payouts_is_told_to_set_them_up(
    page: Page, live_stack, db, output_path
):
    seller = a_seller(db, name="Nina Newseller")  # no Stripe account yet
    page.set_default_timeout(TIMEOUT)
    sign_in(page, seller.email)
    page.get_by_test_id("account-menu").click()
    page.get_by_role("link", name="Orders").click()
    expect(page.get_by_test_id("orders-empty")).to_contain_text("No orders in progress.")
    page.get_by_role("radio", name="Selling").click()
    expect(page).to_have_url(re.compile(r"role=selling"))
    expect(page.get_by_test_id("orders-empty")).to_contain_text("Orders for your gigs appear here")
    shots(page, output_path, "orders-empty")

    page.get_by_test_id("account-menu").click()
    page.get_by_role("link", name="Earnings").click()
    notice = page.get_by_test_id("pending-payout")
    expect(notice).to_contain_text("Payouts are not set up yet")
    expect(page.get_by_test_id("earnings-ledger")).to_contain_text("No money has moved")
    shots(page, output_path, "earnings-empty")
    notice.get_by_role("link", name="Set up payouts").click()
    expect(page).to_have_url(re.compile(r"/settings/payouts$"))


def test_a_visitor_signs_in_on_the_way_and_a_3d_secure_card_is_held_once_authenticated(
    page: Page, live_stack, db, output_path
):
    _, gig = a_gig_with_payouts(db, live_stack)
    buyer = a_buyer(db)
    # A visitor chooses, is sent to sign in, and comes back to the same choice.
    page.goto(f"/gig/{gig.slug}")
    page.get_by_test_id("gig-extra").filter(has_text="Social media kit").click()
    expect(page.get_by_test_id("order-total")).to_have_text("$45.50")
    shots(page, output_path, "gig-continue")
    page.get_by_test_id("continue").click()
    expect(page).to_have_url(re.compile(r"/login\?next="))
    page.get_by_label("Email").fill(buyer.email)
    page.get_by_label("Password").fill(PASSWORD)
    page.get_by_role("button", name="Sign in", exact=True).click()
    expect(page).to_have_url(re.compile(r"/checkout/.*extras="))
    expect(page.get_by_test_id("total")).to_have_text("$48")
    expect(page.get_by_test_id("card-element").get_by_placeholder("number")).to_be_visible()
    type_card(page, CARD_3DS)
    page.get_by_role("button", name="Pay $48").click()
    # The bank's dialog (the local Stripe.js draws its own) asks; failing it leaves the order
    # payable, completing it holds the money.
    page.get_by_role("button", name="Fail authentication").click()
    expect(page.get_by_test_id("pay-error")).to_be_visible()
    (order,) = orders_of(db, buyer)
    assert order.status == "pending_payment"
    page.get_by_role("button", name="Pay $48").click()
    page.get_by_role("button", name="Complete authentication").click()
    expect(page).to_have_url(re.compile(rf"/orders/{order.code}$"), timeout=30_000)
    expect(page.get_by_test_id("status")).to_have_text("Awaiting requirements")
    assert [line.kind for line in ledger_of(db, order.code)] == ["hold"]


def test_premium_never_sells_its_own_extra_and_a_seller_opens_orders_on_selling(
    browser: Browser, live_stack, db, output_path
):
    """Issue 23, as the users met it: the Premium package that includes "Social media kit" still
    offered it for +$25.50; a seller with an active sale and no purchases opened "Orders" on
    Buying (0); the earnings page listed the commission unsigned, like income."""
    seller, gig = a_gig_with_payouts(db, live_stack)
    with Session(db) as session:  # the seller's Premium includes the kit the gig sells as extra
        premium = session.exec(
            select(GigPackage).where(GigPackage.gig_id == gig.id, GigPackage.tier == "premium")
        ).one()
        premium.features = [*premium.features, "Social media kit"]
        row = session.get(Gig, gig.id)
        row.package_features = [*row.package_features, "Social media kit"]
        session.add_all([premium, row])
        session.commit()
    buyer = a_buyer(db)
    buyer_ctx = browser.new_context(base_url=live_stack.app_url)
    seller_ctx = browser.new_context(base_url=live_stack.app_url)
    page, sellers = buyer_ctx.new_page(), seller_ctx.new_page()
    page.set_default_timeout(TIMEOUT)
    sellers.set_default_timeout(TIMEOUT)

    # The buyer looks at Premium: the kit is part of it, ticked and "Included", not +$25.50.
    sign_in(page, buyer.email)
    page.goto(f"/gig/{gig.slug}")
    expect(page.get_by_test_id("gig-title")).to_have_text(gig.title)
    page.get_by_role("tab", name="Premium").click()
    expect(page.get_by_test_id("order-total")).to_have_text("$1,200.50")
    kit = page.get_by_test_id("gig-extra").filter(has_text="Social media kit")
    expect(kit.get_by_test_id("gig-extra-price")).to_have_text("Included")
    expect(kit).not_to_contain_text("+1 day")  # part of Premium's 7 days, not a day more
    expect(kit.get_by_role("checkbox")).to_be_disabled()
    expect(kit.get_by_role("checkbox")).to_be_checked()
    kit.click(force=True)  # the buyer clicks the greyed row anyway: nothing is added to pay
    expect(page.get_by_test_id("continue")).to_have_attribute(
        "href", re.compile(r"package=premium&qty=1$")
    )
    expect(page.get_by_test_id("order-total")).to_have_text("$1,200.50")
    shots(page, output_path, "gig-premium-included-extra")
    # Basic does not include it: there it is an extra for money, and the buyer takes it.
    page.get_by_role("tab", name="Basic").click()
    expect(kit.get_by_test_id("gig-extra-price")).to_have_text("+$25.50")
    expect(kit.get_by_role("checkbox")).to_be_enabled()
    open_checkout_with_extra(page, gig)
    type_card(page, CARD_OK)
    page.get_by_role("button", name="Pay $48").click()
    expect(page).to_have_url(re.compile(r"/orders/GW-"), timeout=30_000)
    code = page.url.rstrip("/").rsplit("/", 1)[-1]
    expect(page.get_by_test_id("status")).to_have_text("Awaiting requirements")

    # The seller, who buys nothing, opens Orders from the account menu and lands on Selling.
    sign_in(sellers, seller.email)
    sellers.get_by_test_id("account-menu").click()
    sellers.get_by_role("link", name="Orders").click()
    expect(sellers.get_by_role("radio", name="Selling")).to_be_checked()
    sale = sellers.get_by_test_id("order-link").filter(has_text=gig.title)
    expect(sale.locator("visible=true")).to_have_count(1)  # (a table and phone cards)
    shots(sellers, output_path, "orders-opens-on-selling")

    # The order completes (the same executor the buttons call); the seller's earnings show the
    # transfer as money in and the commission as money out.
    ctx = orders.default_context(engine=db, settings=load_settings(live_stack.env()))
    orders.perform(
        order_code=code, action="submit_requirements", actor=buyer,
        payload=order_fixtures.answers(db, gig.id), context=ctx,
    )  # fmt: skip
    orders.perform(
        order_code=code, action="deliver", actor=seller,
        payload={"message": "Done", "files": []}, context=ctx,
    )  # fmt: skip
    orders.perform(order_code=code, action="accept", actor=buyer, context=ctx)
    sellers.get_by_test_id("account-menu").click()
    sellers.get_by_role("link", name="Earnings").click()
    ledger = sellers.get_by_test_id("earnings-ledger")
    amounts = ledger.get_by_test_id("ledger-line").get_by_test_id("ledger-amount")
    expect(amounts).to_have_count(3)  # captured, commission, transferred
    expect(amounts.filter(has_text="$9.10")).to_have_text("\u2212$9.10")
    expect(amounts.filter(has_text="$36.40")).to_have_text("+$36.40")
    expect(amounts.filter(has_text="$48")).to_have_text("$48")
    shots(sellers, output_path, "earnings-signed")
    buyer_ctx.close()
    seller_ctx.close()

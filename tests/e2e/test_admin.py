"""The moderation page in Chromium: an admin rejects a gig and its seller resubmits it; an admin
suspends a user whose open tab is signed out at its next event; an admin splits a dispute and
both parties' money panels and the seller's earnings show it; an admin resolves a dispute from
the order page and the audit log shows it in words. Users, gigs and orders are made
through the services; everything the admin, the seller and the buyer then do is clicks and
typing."""

import re
import sqlite3
import time
import uuid
from pathlib import Path

import pytest
from meilisearch.errors import MeilisearchApiError
from playwright.sync_api import Browser, Page, expect
from sqlmodel import Session, col, select

from marketplace.db import make_engine
from marketplace.models import Category, Gig, Notification, Order, Report, SearchOutbox, User
from marketplace.services.accounts import members as accounts
from marketplace.services.common.guards import SUSPENDED_MESSAGE
from marketplace.services.gigs import actions as gigs
from marketplace.services.orders import checkout
from marketplace.services.orders import executor as orders
from marketplace.settings import load_settings
from marketplace.state.format import money
from search.index import live_index, make_client
from tests.e2e.test_order_journey import a_buyer, a_gig_with_payouts
from tests.e2e.test_seller_journey import PASSWORD, a_seller, wait_for_document
from tests.gig_fixtures import LIMITS, ready_gig
from tests.order_fixtures import answers, browser_confirms, checkout_key

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


@pytest.fixture(scope="module", autouse=True)
def quiet_database_afterwards(live_stack):
    """After this module, wait until the search worker has sent every gig change and the local
    Stripe server's webhooks have landed: a write arriving later would look, to the next
    module (the event security test hashes the database), like a write by what it tests."""
    yield
    if live_stack.database_url:  # the scaled pass (PostgreSQL) has no event security test
        return
    db_path = live_stack.data_dir / "gigworks.db"
    engine = make_engine(f"sqlite:///{db_path}")
    watch = sqlite3.connect(f"file:{db_path}?mode=ro", uri=True)
    deadline = time.monotonic() + 30
    try:
        while time.monotonic() < deadline:
            with Session(engine) as session:
                waiting = session.exec(
                    select(SearchOutbox.id).where(col(SearchOutbox.processed_at).is_(None))
                ).first()
            if waiting is None:
                break
            time.sleep(0.25)
        version, quiet_since = None, time.monotonic()
        while time.monotonic() < deadline and time.monotonic() - quiet_since < 3:
            now = watch.execute("PRAGMA data_version").fetchone()[0]
            if now != version:
                version, quiet_since = now, time.monotonic()
            time.sleep(0.2)
    finally:
        watch.close()
        engine.dispose()


def an_admin(db) -> User:
    with Session(db, expire_on_commit=False) as session:
        user = accounts.register(
            session,
            email=f"admin-{uuid.uuid4().hex[:10]}@example.com",
            password=PASSWORD,
            display_name="Ada Admin",
        )
        user.is_admin = True
        session.add(user)
        session.commit()
    return user


def sign_in(page: Page, email: str) -> None:
    page.goto("/login")
    page.get_by_label("Email").fill(email)
    page.get_by_label("Password").fill(PASSWORD)
    page.get_by_role("button", name="Sign in", exact=True).click()
    expect(page.get_by_test_id("account-menu")).to_be_visible()


def shots(page: Page, output_path, name: str) -> None:
    folder = Path(output_path)
    folder.mkdir(parents=True, exist_ok=True)
    for width, height in ((1280, 900), (390, 844)):
        page.set_viewport_size({"width": width, "height": height})
        page.wait_for_timeout(300)
        page.screenshot(path=str(folder / f"{name}-{width}.png"), full_page=True)
    page.set_viewport_size({"width": 1280, "height": 900})


def pending_gig(db, title: str) -> tuple[User, Gig]:
    seller = a_seller(db, name="Rita Rejected")
    with Session(db, expire_on_commit=False) as session:
        sub = session.exec(select(Category).where(Category.slug == "logo-design")).one()
        seller = session.get(User, seller.id)
        gig = ready_gig(session, seller, sub)
        gig.draft = {**gig.draft, "title": title}
        session.add(gig)
        session.flush()
        gigs.publish_gig(
            session,
            actor=seller,
            gig_id=gig.id,
            expected_version=gig.version,
            settings_auto_approve=False,
            active_gig_limits=LIMITS,
        )
        session.commit()
        session.refresh(gig)
    return seller, gig


def test_an_admin_rejects_a_gig_and_the_seller_sees_why_and_resubmits(
    page: Page,
    browser: Browser,
    db,
    base_url,
    output_path,
):
    title = f"I will draw a mascot logo {uuid.uuid4().hex[:6]}"
    seller, gig = pending_gig(db, title)
    admin = an_admin(db)

    sign_in(page, admin.email)
    page.get_by_test_id("account-menu").click()
    page.get_by_role("link", name="Admin").click()
    expect(page.get_by_test_id("stat-card")).to_have_count(8)
    # each figure has its chart over the weeks, drawn by Recharts (an SVG surface per card)
    expect(page.get_by_test_id("stat-card").locator("svg.recharts-surface")).to_have_count(8)
    shots(page, output_path, "admin-dashboard")
    page.get_by_test_id("admin-tab-gigs").click()
    page.get_by_label("Search titles or sellers").fill(title)
    page.get_by_label("Search titles or sellers").press("Enter")
    card = page.get_by_test_id("admin-gig").filter(has_text=title)
    expect(card).to_have_count(1)
    expect(page.get_by_test_id("admin-gig")).to_have_count(1)
    shots(page, output_path, "admin-gig-review")
    card.get_by_role("button", name="Reject").click()
    page.get_by_test_id("reason-input").fill("Please use your own artwork in the gallery.")
    page.get_by_test_id("dialog-confirm").click()
    expect(page.get_by_test_id("admin-gig")).to_have_count(0)
    with Session(db) as session:
        assert session.get(Gig, gig.id).status == "rejected"

    seller_page = browser.new_context(base_url=base_url).new_page()
    sign_in(seller_page, seller.email)
    seller_page.goto(f"/gigs/{gig.id}/edit")
    banner = seller_page.get_by_test_id("moderation-banner")
    expect(banner).to_contain_text("Please use your own artwork in the gallery.")
    seller_page.get_by_test_id("step-publish").click()
    seller_page.get_by_role("button", name="Resubmit for review").click()
    expect(seller_page.get_by_test_id("pending-review")).to_be_visible()
    with Session(db) as session:
        assert session.get(Gig, gig.id).status == "pending_review"
    seller_page.context.close()


def test_an_admin_suspends_a_user_whose_open_tab_is_signed_out_and_who_cannot_sign_in(
    page: Page,
    browser: Browser,
    db,
    base_url,
    output_path,
):
    victim = a_seller(db, name="Sam Suspended")
    admin = an_admin(db)
    victim_page = browser.new_context(base_url=base_url).new_page()
    sign_in(victim_page, victim.email)
    victim_page.goto("/orders")
    expect(victim_page.get_by_test_id("account-menu")).to_be_visible()

    sign_in(page, admin.email)
    page.goto("/admin/users")
    page.get_by_label("Search by name or email").fill(victim.email)
    page.get_by_label("Search by name or email").press("Enter")
    expect(page.get_by_test_id("user-row")).to_have_count(1)
    page.get_by_test_id("open-user").click()
    expect(page.get_by_test_id("user-detail")).to_contain_text(victim.email)
    shots(page, output_path, "admin-users")
    page.get_by_role("button", name="Suspend", exact=True).click()
    page.get_by_test_id("reason-input").fill("Asking buyers to pay outside Gigworks.")
    page.get_by_test_id("dialog-confirm").click()
    expect(page.get_by_test_id("user-detail")).to_contain_text("suspended")

    # The open tab's next event finds no session: it is sent to sign in.
    victim_page.get_by_test_id("account-menu").click()
    victim_page.get_by_role("link", name="My gigs").click()
    expect(victim_page).to_have_url(re.compile(r"/login"))
    expect(victim_page.get_by_test_id("account-menu")).to_have_count(0)
    # And signing in again is refused.
    victim_page.get_by_label("Email").fill(victim.email)
    victim_page.get_by_label("Password").fill(PASSWORD)
    victim_page.get_by_role("button", name="Sign in", exact=True).click()
    expect(victim_page.get_by_text(SUSPENDED_MESSAGE)).to_be_visible()
    victim_page.context.close()


def disputed_order(db, live_stack) -> tuple[User, User, str]:
    """A paid, started, delivered order the buyer disputes (through the services)."""
    seller, gig = a_gig_with_payouts(db, live_stack)
    buyer = a_buyer(db)
    ctx = orders.default_context(engine=db, settings=load_settings(live_stack.env()))
    start = checkout.begin_payment(
        actor=buyer,
        gig_slug=gig.slug,
        tier="basic",
        extra_ids=[],
        quantity=1,
        checkout_key=checkout_key(),
        context=ctx,
    )
    browser_confirms(ctx, start)
    checkout.confirm_payment(actor=buyer, order_code=start.order_code, context=ctx)
    code = start.order_code
    orders.perform(
        order_code=code,
        action="submit_requirements",
        actor=buyer,
        payload=answers(db, gig.id),
        context=ctx,
    )
    orders.perform(
        order_code=code,
        action="deliver",
        actor=seller,
        payload={"message": "Here it is", "files": []},
        context=ctx,
    )
    orders.perform(
        order_code=code,
        action="open_dispute",
        actor=buyer,
        payload={"message": "The logo is not what we agreed."},
        context=ctx,
    )
    return buyer, seller, code


def money_value(page: Page, label: str):
    return page.get_by_test_id("money-summary").filter(has_text=label)


def test_an_admin_splits_a_dispute_and_both_parties_and_the_earnings_show_it(
    page: Page,
    browser: Browser,
    db,
    live_stack,
    base_url,
    output_path,
):
    buyer, seller, code = disputed_order(db, live_stack)
    admin = an_admin(db)
    sign_in(page, admin.email)
    page.goto("/admin/disputes")
    card = page.get_by_test_id("dispute-row").filter(has_text=code)
    card.get_by_test_id("open-dispute").click()
    detail = page.get_by_test_id("dispute-detail")
    expect(detail).to_contain_text("The logo is not what we agreed.")
    expect(detail.get_by_test_id("timeline")).to_contain_text("Delivered")
    expect(detail.get_by_test_id("money-panel")).to_contain_text("In escrow")
    shots(page, output_path, "admin-dispute")
    page.get_by_role("button", name="Split").click()
    page.get_by_test_id("split-amount").fill("5")
    page.get_by_test_id("reason-input").fill("Half the concepts were delivered.")
    page.get_by_test_id("dialog-confirm").click()
    expect(page.get_by_test_id("resolve-panel")).to_have_count(0)  # resolved: nothing to do
    expect(page.get_by_test_id("dialog-error")).to_have_count(0)
    expect(detail.get_by_test_id("money-panel")).to_contain_text("Refunded to the buyer")
    shots(page, output_path, "admin-dispute-resolved")

    with Session(db) as session:
        order = session.exec(select(Order).where(Order.code == code)).one()
        assert order.status == "completed"
        payout = order.payout_cents
    assert payout == 2000 - 500 - 300  # the subtotal less the refund and its 20 % commission

    for who in (buyer, seller):
        other = browser.new_context(base_url=base_url).new_page()
        sign_in(other, who.email)
        other.goto(f"/orders/{code}")
        expect(money_value(other, "Refunded to the buyer")).to_contain_text("$5")
        expect(money_value(other, "Released to the seller")).to_contain_text(money(payout))
        if who is seller:
            other.goto("/my/earnings")
            expect(money_value(other, "Earned")).to_contain_text(money(payout))
        other.context.close()


HUE_OF = """(el) => {
  const stroke = getComputedStyle(el).stroke.replace("display-p3", "");
  const [r, g, b] = stroke.match(/[\\d.]+/g).slice(0, 3).map(Number);
  const max = Math.max(r, g, b), min = Math.min(r, g, b), d = max - min;
  if (!d) return 0;
  const h = max === r ? ((g - b) / d) % 6 : max === g ? (b - r) / d + 2 : (r - g) / d + 4;
  return (h * 60 + 360) % 360;
}"""


def test_an_admin_resolves_a_dispute_on_the_order_page_and_the_audit_log_says_so_in_words(
    page: Page, db, live_stack, output_path
):
    """The order page's Resolve buttons go through the moderation service: the audit log
    shows the step in words with the order's code, its action filter is worded, its count is
    a proper plural, and the dashboard draws GMV and fees in two hues with money tooltips."""
    _buyer, _seller, code = disputed_order(db, live_stack)
    admin = an_admin(db)
    sign_in(page, admin.email)
    page.goto(f"/orders/{code}")
    page.get_by_test_id("action-resolve_release").click()
    page.get_by_role("dialog").get_by_label("Message").fill("The delivered logo matches the brief.")
    page.get_by_test_id("dialog-confirm").click()
    expect(page.get_by_test_id("status")).to_have_text("Completed")

    page.goto("/admin/audit")
    row = page.get_by_test_id("audit-row").filter(has_text=code)
    expect(row).to_have_count(1)
    expect(row).to_contain_text("Resolved dispute: paid the seller")
    expect(row).to_contain_text("The delivered logo matches the brief.")
    expect(row.get_by_role("link", name=f"Order {code}")).to_have_attribute(
        "href", f"/orders/{code}"
    )
    expect(page.get_by_test_id("audit-row").filter(has_text="resolve_dispute")).to_have_count(0)
    page.get_by_role("combobox", name="Action").click()
    page.get_by_role("option", name="Resolved dispute: paid the seller").click()
    expect(page.get_by_test_id("audit-row").first).to_contain_text("Resolved dispute: paid")
    expect(page.get_by_test_id("list-count")).to_have_text(re.compile(r"^(1 action|\d+ actions)$"))
    shots(page, output_path, "admin-audit-words")

    page.goto("/admin")
    chart = page.get_by_test_id("gmv-chart")
    lines = chart.locator(".recharts-line-curve")
    expect(lines).to_have_count(2)
    gmv, fees = (lines.nth(i).evaluate(HUE_OF) for i in range(2))
    assert min(abs(gmv - fees), 360 - abs(gmv - fees)) > 45, (gmv, fees)
    plot = chart.get_by_role("application")  # the chart's surface (not the legend's icons)
    box = plot.bounding_box()
    plot.hover(position={"x": box["width"] - 30, "y": 60})
    tooltip = chart.locator(".recharts-tooltip-wrapper")
    expect(tooltip).to_contain_text(re.compile(r"Week of \w+ \d+"))
    expect(tooltip).to_contain_text(re.compile(r"GMV: \$[\d,]+\.\d\d"))
    expect(tooltip).to_contain_text(re.compile(r"Fees: \$[\d,]+\.\d\d"))
    shots(page, output_path, "admin-dashboard-chart")


def gone_from_search(index, gig_id: int, timeout_s: float = 20.0) -> bool:
    deadline = time.monotonic() + timeout_s
    while time.monotonic() < deadline:
        try:
            index.get_document(gig_id)
        except MeilisearchApiError:
            return True
        time.sleep(0.25)
    return False


def test_a_buyer_reports_a_gig_an_admin_suspends_it_it_leaves_search_and_the_reporter_is_told(
    page: Page, db, live_stack, output_path
):
    seller, gig = a_gig_with_payouts(db, live_stack)
    reporter = a_buyer(db)
    settings = load_settings(live_stack.env())
    index = live_index(make_client(settings), settings)
    assert wait_for_document(index, gig.id, lambda doc: doc["id"] == gig.id)
    # The reporter reports the gig from its page.
    reporting = page.context.browser.new_context(base_url=live_stack.app_url)
    buyer_page = reporting.new_page()
    sign_in(buyer_page, reporter.email)
    buyer_page.goto(f"/gig/{gig.slug}")
    buyer_page.get_by_test_id("report-gig").click()
    dialog = buyer_page.get_by_role("dialog")
    expect(dialog).to_contain_text("Report this gig")
    dialog.get_by_role("button", name="Send report").click()  # no reason chosen yet
    expect(dialog).to_contain_text("Choose why you are reporting this gig.")
    dialog.get_by_role("radio", name="Copies someone else's work").click()
    dialog.get_by_label("Details").fill("These logos belong to another studio.")
    dialog.get_by_role("button", name="Send report").click()
    expect(dialog).to_contain_text("Thanks: our moderators will look at it")
    reporting.close()
    with Session(db) as session:
        [filed] = session.exec(
            select(Report).where(Report.reporter_id == reporter.id, Report.target_id == gig.id)
        ).all()
        assert (filed.target_type, filed.reason) == ("gig", "Copies someone else's work")
    admin = an_admin(db)
    sign_in(page, admin.email)
    page.goto("/admin/reports")
    row = page.get_by_test_id("report-row").filter(has_text=gig.title)
    row.get_by_test_id("open-report").click()
    context = page.get_by_test_id("report-context")
    expect(context).to_contain_text(gig.title)
    expect(page.get_by_test_id("report-detail")).to_contain_text("another studio")
    shots(page, output_path, "admin-reports")
    page.get_by_test_id("report-detail").get_by_role("button", name="Suspend").click()
    page.get_by_test_id("reason-input").fill("The portfolio images are not the seller's own.")
    page.get_by_test_id("dialog-confirm").click()
    expect(page.get_by_test_id("report-detail")).to_contain_text("Closed")

    assert gone_from_search(index, gig.id), "the suspended gig is still in Meilisearch"
    with Session(db) as session:
        assert session.get(Gig, gig.id).status == "suspended"
        told = session.exec(select(Notification).where(Notification.user_id == reporter.id)).all()
        assert [n.kind for n in told] == ["report.outcome"]
        assert session.exec(
            select(Notification).where(
                Notification.user_id == seller.id, Notification.kind == "gig.suspended"
            )
        ).first()

    # The audit log lists both actions, newest first, and filters them.
    page.get_by_test_id("admin-tab-audit").click()
    expect(page.get_by_test_id("audit-row").first).to_contain_text("Acted on report")
    page.get_by_label("Search reasons or admins").fill("not the seller's own")
    page.get_by_label("Search reasons or admins").press("Enter")
    expect(page.get_by_test_id("audit-row")).to_have_count(2)
    shots(page, output_path, "admin-audit")
    page.get_by_test_id("admin-tab-reviews").click()
    expect(page.get_by_test_id("list-count")).to_be_visible()
    shots(page, output_path, "admin-reviews")


def test_an_admin_sees_what_a_live_edit_changed_and_accepts_it(page: Page, db, live_stack):
    seller, gig = a_gig_with_payouts(db, live_stack)
    new_title = f"I will design a playful logo for your cafe {uuid.uuid4().hex[:4]}"
    with Session(db, expire_on_commit=False) as session:  # the seller's editor autosaves this
        live = session.get(Gig, gig.id)
        draft = {**gigs.current_draft(session, live), "title": new_title}
        gigs.save_draft(session, actor=session.get(User, seller.id), gig_id=gig.id,
                        expected_version=live.version, draft=draft)  # fmt: skip
        session.commit()
    admin = an_admin(db)
    sign_in(page, admin.email)
    page.goto("/admin/gigs?queue=edited")
    page.get_by_label("Search titles or sellers").fill(new_title)
    page.get_by_label("Search titles or sellers").press("Enter")
    card = page.get_by_test_id("admin-gig").filter(has_text=new_title)
    changes = card.get_by_test_id("gig-changes")
    expect(changes).to_contain_text("Title")
    expect(changes).to_contain_text(gig.title)  # what was approved, struck through
    card.get_by_role("button", name="Accept edits").click()
    expect(page.get_by_test_id("admin-gig")).to_have_count(0)
    with Session(db) as session:
        from marketplace.models.moderation import GigApproval

        approval = session.get(GigApproval, gig.id)
        assert approval.changed_at is None and approval.snapshot["title"] == new_title


def test_a_visitor_reporting_a_profile_signs_in_first_and_then_files_it(
    page: Page, db, output_path
):
    seller = a_seller(db, name="Petra Profile")
    member = a_buyer(db)
    page.goto(f"/u/{seller.username}")
    page.get_by_test_id("report-member").click()
    expect(page).to_have_url(re.compile(r"/login\?next="))
    page.get_by_label("Email").fill(member.email)
    page.get_by_label("Password").fill(PASSWORD)
    page.get_by_role("button", name="Sign in", exact=True).click()
    expect(page).to_have_url(re.compile(rf"/u/{seller.username}$"))
    page.get_by_test_id("report-member").click()
    dialog = page.get_by_role("dialog")
    expect(dialog).to_contain_text("Report this member")
    dialog.get_by_role("radio", name="Pretends to be someone else").click()
    shots(page, output_path, "report-member-dialog")
    dialog.get_by_role("button", name="Send report").click()
    expect(dialog).to_contain_text("Thanks: our moderators will look at it")
    with Session(db) as session:
        [filed] = session.exec(select(Report).where(Report.reporter_id == member.id)).all()
        assert (filed.target_type, filed.target_id) == ("user", seller.id)


def test_an_admin_ticks_two_waiting_gigs_and_approves_both_at_once(page: Page, db):
    token = uuid.uuid4().hex[:6]
    gigs_waiting = [pending_gig(db, f"I will paint a {kind} sign {token}")[1] for kind in "ab"]
    admin = an_admin(db)
    sign_in(page, admin.email)
    page.goto("/admin/gigs")
    page.get_by_label("Search titles or sellers").fill(token)
    page.get_by_label("Search titles or sellers").press("Enter")
    expect(page.get_by_test_id("admin-gig")).to_have_count(2)
    for gig in gigs_waiting:
        page.get_by_role("checkbox", name=f"Select {gig.title}").click()
    page.get_by_role("button", name="Approve 2 selected").click()
    expect(page.get_by_test_id("admin-gig")).to_have_count(0)
    with Session(db) as session:
        assert {session.get(Gig, g.id).status for g in gigs_waiting} == {"active"}

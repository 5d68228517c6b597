"""The public gig page and the seller's "my gigs" list, in Chromium against the running app."""

import io
import re
import uuid
from dataclasses import dataclass
from pathlib import Path

import pytest
from PIL import Image
from playwright.sync_api import Page, expect
from sqlmodel import Session, col, select

from marketplace.db import make_engine
from marketplace.models import Category, Gig, GigExtra, GigPackage, GigStatus, User
from marketplace.services.accounts import members as accounts
from marketplace.services.accounts import profiles
from marketplace.services.common import media
from marketplace.services.gigs import actions as gigs
from marketplace.services.gigs.rules import TIER_LABELS
from marketplace.settings import load_settings
from marketplace.state.format import money
from tests.gig_fixtures import LIMITS, valid_draft

pytestmark = pytest.mark.e2e

PASSWORD = "a long enough password"


@dataclass
class Seller:
    id: int
    email: str
    username: str


@dataclass
class MadeGig:
    id: int
    slug: str


@dataclass
class Shop:
    engine: object
    upload_dir: Path
    subcategory_id: int

    def seller(self) -> Seller:
        """A new account with a seller profile (signs in with PASSWORD)."""
        email = f"e2e-gigs-{uuid.uuid4().hex[:10]}@example.com"
        with Session(self.engine, expire_on_commit=False) as session:
            user = accounts.register(
                session, email=email, password=PASSWORD, display_name="Gina Gigmaker"
            )
            user.email_verified = True  # fixture: publishing needs a confirmed address (issue 14)
            profiles.become_seller(session, actor=user)
            session.commit()
        return Seller(user.id, email, user.username)

    def active_gig(self, seller: Seller, title: str) -> MadeGig:
        """A published gig built from the editor's valid draft, with one real gallery image."""
        picture = io.BytesIO()
        Image.new("RGB", (640, 360), (40, 120, 200)).save(picture, format="PNG")
        stored = media.store_image(
            picture.getvalue(), upload_dir=self.upload_dir, max_bytes=5 * 2**20
        )
        with Session(self.engine, expire_on_commit=False) as session:
            actor = session.get(User, seller.id)
            gig = gigs.create_draft_gig(session, actor=actor)
            gigs.save_draft(
                session,
                actor=actor,
                gig_id=gig.id,
                expected_version=gig.version,
                draft=valid_draft(self.subcategory_id, title=title),
            )
            gigs.add_gallery_image(
                session,
                actor=actor,
                gig_id=gig.id,
                name=stored.name,
                content_type=stored.content_type,
                size_bytes=stored.size_bytes,
            )
            published = gigs.publish_gig(
                session,
                actor=actor,
                gig_id=gig.id,
                expected_version=gig.version,
                settings_auto_approve=True,
                active_gig_limits=LIMITS,
            )
            session.commit()
        assert published.status == GigStatus.active
        return MadeGig(gig.id, published.slug)

    def status(self, gig_id: int) -> str:
        with Session(self.engine) as session:
            return session.get(Gig, gig_id).status


@pytest.fixture(scope="module")
def shop(live_stack):
    settings = load_settings(live_stack.env())
    engine = make_engine(live_stack.db_url)
    with Session(engine) as session:
        sub = session.exec(
            select(Category).where(col(Category.parent_id).is_not(None)).order_by(Category.id)
        ).first()
    yield Shop(engine, settings.upload_dir, sub.id)
    engine.dispose()


def sign_in(page: Page, email: str, password: str = PASSWORD) -> None:
    page.goto("/login")
    page.get_by_label("Email").fill(email)
    page.get_by_label("Password").fill(password)
    page.get_by_role("button", name="Sign in", exact=True).click()
    expect(page.get_by_test_id("account-menu")).to_be_visible()


def tab_count(page: Page, status: str):
    """The count badge on a status tab (Radix renders a hidden copy of each tab's label)."""
    return page.locator(f"[data-testid=count-{status}]:visible")


def visible_rows(page: Page):
    """Rows of "my gigs": a table on wide screens, cards on phones (one of the two is hidden)."""
    return page.locator("[data-testid=my-gig-row]:visible")


def test_visitor_opens_a_gig_from_the_home_page_and_prices_a_package(page: Page, shop, output_path):
    page.goto("/")
    page.get_by_test_id("gig-card").first.click()
    expect(page).to_have_url(re.compile(r"/gig/[a-z0-9-]+/?$"))
    slug = page.url.rstrip("/").rsplit("/", 1)[-1]
    with Session(shop.engine) as session:
        gig = session.exec(select(Gig).where(Gig.slug == slug)).one()
        seller = session.get(User, gig.seller_id)
        packages = session.exec(select(GigPackage).where(GigPackage.gig_id == gig.id)).all()
        extras = session.exec(
            select(GigExtra).where(GigExtra.gig_id == gig.id).order_by(GigExtra.position)
        ).all()
    by_tier = {package.tier: package for package in packages}
    assert set(by_tier) == {"basic", "standard", "premium"} and extras

    expect(page.get_by_test_id("gig-title")).to_have_text(gig.title)
    expect(page.get_by_test_id("seller-link")).to_have_attribute("href", f"/u/{seller.username}")
    expect(page.get_by_role("tab")).to_have_count(3)
    for label in ("Basic", "Standard", "Premium"):
        expect(page.get_by_role("tab", name=label, exact=True)).to_be_visible()
    price = page.get_by_test_id("package-price")
    total = page.get_by_test_id("order-total")
    expect(price).to_have_text(money(by_tier["basic"].price_cents))
    for tier in ("standard", "premium", "basic"):
        page.get_by_role("tab", name=TIER_LABELS[tier], exact=True).click()
        expect(price).to_have_text(money(by_tier[tier].price_cents))
        expect(total).to_have_text(money(by_tier[tier].price_cents))

    page.get_by_role("tab", name="Premium").click()
    premium = by_tier["premium"].price_cents
    first_extra = page.get_by_role("checkbox").first
    first_extra.click()
    expect(first_extra).to_be_checked()
    expect(total).to_have_text(money(premium + extras[0].price_cents))
    first_extra.click()
    expect(total).to_have_text(money(premium))
    # "Continue" leads a visitor to sign in, then to checkout with this package; "Contact
    # seller" is there for visitors too (it asks them to sign in first).
    expect(page.get_by_test_id("continue")).to_have_attribute(
        "href", re.compile(rf"^/login\?next=%2Fcheckout%2F{slug}%3Fpackage%3Dpremium")
    )
    expect(page.get_by_role("button", name=re.compile("Contact", re.I))).to_have_count(1)
    page.screenshot(path=str(Path(output_path) / "gig-page.png"), full_page=True)


def test_a_paused_gig_is_not_found_for_visitors_but_its_seller_sees_why(
    page: Page, shop, output_path
):
    seller = shop.seller()
    gig = shop.active_gig(seller, "I will paint a watercolour map of your town")
    with Session(shop.engine) as session:
        gigs.pause_gig(session, actor=session.get(User, seller.id), gig_id=gig.id)
        session.commit()

    page.goto(f"/gig/{gig.slug}")
    expect(page.get_by_test_id("gig-not-found")).to_be_visible()
    expect(page.get_by_test_id("gig-title")).to_have_count(0)
    expect(page.get_by_text("watercolour map")).to_have_count(0)

    sign_in(page, seller.email)
    page.goto(f"/gig/{gig.slug}")
    expect(page.get_by_test_id("gig-title")).to_have_text(
        "I will paint a watercolour map of your town"
    )
    expect(page.get_by_test_id("visibility-notice")).to_contain_text("This gig is paused")
    expect(page.get_by_role("link", name="Edit gig")).to_have_attribute(
        "href", f"/gigs/{gig.id}/edit"
    )
    image = page.get_by_test_id("gallery-image")
    expect(image).to_be_visible()
    assert image.evaluate("img => img.complete && img.naturalWidth") == 640
    # The valid draft's packages, extras (fast delivery $15, kit $25.50) and unlimited revisions.
    expect(page.get_by_test_id("package-price")).to_have_text("$20")
    page.get_by_role("tab", name="Premium").click()
    expect(page.get_by_test_id("package-panel")).to_contain_text("Unlimited revisions")
    page.get_by_test_id("gig-extra").filter(has_text="Social media kit").click()
    expect(page.get_by_test_id("order-total")).to_have_text("$1,226")
    page.screenshot(path=str(Path(output_path) / "paused-gig-owner.png"), full_page=True)


def test_demo_seller_sees_their_active_gigs_counted(page: Page, shop):
    with Session(shop.engine) as session:
        demo = session.exec(select(User).where(User.email == "seller@gigworks.test")).one()
        active = session.exec(
            select(Gig.id).where(Gig.seller_id == demo.id, Gig.status == GigStatus.active)
        ).all()
    sign_in(page, "seller@gigworks.test", "gigworks-demo")
    page.get_by_test_id("account-menu").click()
    page.get_by_role("link", name="My gigs").click()
    expect(page).to_have_url(re.compile(r"/my/gigs"))
    expect(tab_count(page, "active")).to_have_text(str(len(active)))
    expect(visible_rows(page)).to_have_count(len(active))


def test_seller_pauses_resumes_and_deletes_gigs_in_my_gigs(page: Page, shop, output_path):
    seller = shop.seller()
    keep = shop.active_gig(seller, "I will write a friendly onboarding email series")
    drop = shop.active_gig(seller, "I will proofread your thesis chapter overnight")
    sign_in(page, seller.email)
    page.goto("/my/gigs")
    expect(tab_count(page, "active")).to_have_text("2")
    expect(tab_count(page, "paused")).to_have_text("0")
    row = visible_rows(page).filter(has_text="onboarding email series")
    expect(row.get_by_role("link", name=re.compile("onboarding email"))).to_have_attribute(
        "href", f"/gig/{keep.slug}"
    )

    row.get_by_role("button", name="Pause").click()
    expect(page.get_by_text("Gig paused.")).to_be_visible()
    expect(tab_count(page, "active")).to_have_text("1")
    expect(tab_count(page, "paused")).to_have_text("1")
    expect(visible_rows(page)).to_have_count(1)
    assert shop.status(keep.id) == GigStatus.paused

    page.get_by_role("tab", name=re.compile("Paused")).click()
    expect(page).to_have_url(re.compile(r"status=paused"))
    paused_row = visible_rows(page).filter(has_text="onboarding email series")
    expect(paused_row).to_have_count(1)
    page.reload()  # the tab is in the URL
    expect(page.get_by_role("tab", selected=True)).to_contain_text("Paused")
    page.screenshot(path=str(Path(output_path) / "my-gigs-paused.png"), full_page=True)
    paused_row.get_by_role("button", name="Resume").click()
    expect(page.get_by_text("Gig resumed.")).to_be_visible()
    expect(page.get_by_test_id("my-gigs-empty")).to_be_visible()
    expect(tab_count(page, "active")).to_have_text("2")
    assert shop.status(keep.id) == GigStatus.active

    page.get_by_role("tab", name=re.compile("Active")).click()
    drop_row = visible_rows(page).filter(has_text="proofread your thesis")
    drop_row.get_by_role("button", name="Delete").click()
    dialog = page.get_by_role("alertdialog")
    expect(dialog).to_contain_text("proofread your thesis")
    dialog.get_by_role("button", name="Keep it").click()
    expect(dialog).to_have_count(0)
    assert shop.status(drop.id) == GigStatus.active
    drop_row.get_by_role("button", name="Delete").click()
    page.get_by_role("alertdialog").get_by_role("button", name="Delete gig").click()
    expect(page.get_by_text("Gig deleted.")).to_be_visible()
    expect(visible_rows(page)).to_have_count(1)
    expect(tab_count(page, "active")).to_have_text("1")
    assert shop.status(drop.id) == GigStatus.deleted


def test_my_gigs_on_a_phone_shows_cards_and_a_prompt_for_non_sellers(page: Page, shop):
    page.set_viewport_size({"width": 390, "height": 844})
    seller = shop.seller()
    shop.active_gig(seller, "I will record a warm voice over for your ad")
    sign_in(page, seller.email)
    page.goto("/my/gigs")
    expect(visible_rows(page)).to_have_count(1)
    expect(page.locator("table:visible")).to_have_count(0)
    overflow = page.evaluate("document.documentElement.scrollWidth - window.innerWidth")
    assert overflow <= 0, f"page is {overflow}px wider than a phone screen"

    page.context.clear_cookies()
    email = f"e2e-buyer-{uuid.uuid4().hex[:10]}@example.com"
    with Session(shop.engine) as session:
        accounts.register(session, email=email, password=PASSWORD, display_name="Bo Buyer")
        session.commit()
    sign_in(page, email)
    page.goto("/my/gigs")
    expect(page.get_by_test_id("become-seller")).to_be_visible()
    expect(page.get_by_role("link", name="Become a seller")).to_have_attribute(
        "href", "/settings/profile"
    )

"""A member becomes a seller, fills in the profile, and publishes a gig through every step."""

import io
import re
import time
import uuid
from pathlib import Path

import httpx
import pytest
from meilisearch.errors import MeilisearchApiError
from PIL import Image
from playwright.sync_api import Page, expect
from sqlmodel import Session, select

from marketplace.db import make_engine
from marketplace.models import FreelancerProfile, Gig, GigPackage, SearchOutbox, User
from marketplace.services.accounts import members as accounts
from marketplace.services.accounts import profiles
from marketplace.services.gigs import actions as gigs
from marketplace.settings import load_settings
from search.index import live_index, make_client
from tests.gig_fixtures import valid_draft

pytestmark = pytest.mark.e2e

PASSWORD = "a long enough password"
DESCRIPTION = (
    "I design clean, memorable logos for new brands.\n\n"
    "You get three concepts, your choice refined until you love it, and every file you need "
    "for print and the web."
)


@pytest.fixture
def db(live_stack):
    engine = make_engine(live_stack.db_url)
    yield engine
    engine.dispose()


def fresh_email() -> str:
    return f"seller-{uuid.uuid4().hex[:10]}@example.com"


def sign_in(page: Page, email: str, password: str = PASSWORD) -> None:
    page.goto("/login")
    page.get_by_label("Email").fill(email)
    page.get_by_label("Password").fill(password)
    page.get_by_role("button", name="Sign in", exact=True).click()
    expect(page.get_by_test_id("account-menu")).to_be_visible()


def choose(page: Page, trigger, option: str) -> None:
    trigger.click()
    page.get_by_role("option", name=option, exact=True).click()


def png_file(tmp_path: Path, colour=(30, 120, 200)) -> Path:
    path = tmp_path / f"image-{uuid.uuid4().hex[:6]}.png"
    out = io.BytesIO()
    Image.new("RGB", (900, 600), colour).save(out, format="PNG")
    path.write_bytes(out.getvalue())
    return path


def a_seller(db, name: str = "Sofia Seller", *, verified: bool = True) -> User:
    """A seller with a complete profile, made through the services."""
    with Session(db, expire_on_commit=False) as session:
        user = accounts.register(session, email=fresh_email(), password=PASSWORD, display_name=name)
        user.email_verified = verified  # publishing needs a confirmed address (issue 14)
        profiles.become_seller(session, actor=user)
        profiles.save_profile(
            session,
            actor=user,
            form={
                "display_name": name,
                "headline": "Logo designer for small brands",
                "bio": "I have designed logos for more than a hundred small businesses. " * 2,
                "country": "PT",
                "skills": ["logo design"],
                "languages": [{"language": "English", "level": "fluent"}],
            },
        )
        session.commit()
    return user


def test_become_a_seller_then_edit_and_view_the_public_profile(
    page: Page, live_stack, db, tmp_path, output_path
):
    email = fresh_email()
    page.goto("/join")
    page.get_by_label("Your name").fill("Nadia Novak")
    page.get_by_label("Email").fill(email)
    page.get_by_label("Password").fill(PASSWORD)
    page.get_by_role("button", name="Create account").click()
    expect(page.get_by_test_id("account-menu")).to_be_visible()

    page.get_by_test_id("account-menu").click()
    page.get_by_role("link", name="Become a seller").click()
    page.get_by_role("button", name="Become a seller").click()
    expect(page.get_by_label("Headline")).to_be_visible()
    with Session(db) as session:
        user = session.exec(select(User).where(User.email == email)).one()
        assert session.exec(
            select(FreelancerProfile).where(FreelancerProfile.user_id == user.id)
        ).one()

    # Checked as you type: the message appears before any save.
    page.get_by_label("Headline").fill("Designer")
    expect(page.get_by_test_id("headline-error")).to_contain_text("at least 10")
    page.get_by_label("Headline").fill("Illustrator for children's books")
    expect(page.get_by_test_id("headline-error")).to_have_count(0)
    page.get_by_label("About").fill(
        "I illustrate picture books and covers in watercolour and gouache. " * 2
    )
    choose(page, page.get_by_label("Country"), "Croatia")
    page.get_by_label("New skill").fill("watercolour")
    page.keyboard.press("Enter")
    page.get_by_role("button", name="Add language").click()
    choose(page, page.get_by_label("Language", exact=True).last, "Croatian")
    choose(page, page.get_by_label("Level", exact=True).last, "Native")
    page.get_by_role("button", name="Add link").click()
    page.get_by_label("Project title").fill("The Lighthouse Cat")
    page.get_by_label("https://…").fill("ftp://example.com/cat")
    page.get_by_role("button", name="Save profile").click()
    # under the field, and in the save bar's list of every problem
    expect(
        page.get_by_text("Enter a full web address starting with https://.", exact=True)
    ).to_be_visible()
    expect(page.get_by_test_id("save-problems")).to_contain_text(
        "Portfolio link 1, address: Enter a full web address"
    )
    with Session(db) as session:  # the refused save wrote nothing
        assert session.get(FreelancerProfile, _profile_id(session, user.id)).headline == ""
    page.get_by_label("https://…").fill("https://example.com/lighthouse-cat")

    page.locator("#avatar input[type=file]").set_input_files(str(png_file(tmp_path)))
    avatar = page.locator("img[src^='/media/']").first
    expect(avatar).to_be_visible()
    page.get_by_role("button", name="Save profile").click()
    expect(page.get_by_text("Profile saved.")).to_be_visible()

    with Session(db) as session:
        saved = session.get(FreelancerProfile, _profile_id(session, user.id))
        assert saved.headline == "Illustrator for children's books"
        assert saved.country == "HR" and saved.skills == ["watercolour"]
        assert saved.languages == [{"language": "Croatian", "level": "native"}]
        account = session.get(User, user.id)
        assert account.avatar_path and account.avatar_path.endswith(".png")
    served = httpx.get(f"{live_stack.app_url}/media/{account.avatar_path}")
    assert served.status_code == 200 and served.headers["content-type"] == "image/png"
    # Stored under the data folder, outside the app's served tree.
    assert (live_stack.data_dir / "uploads" / "images" / account.avatar_path).is_file()
    assert not list(Path(".web").rglob(account.avatar_path))

    page.get_by_role("link", name="View public profile").click()
    expect(page.get_by_role("heading", name="Nadia Novak", exact=True)).to_be_visible()
    expect(page).to_have_title("Nadia Novak · Gigworks")
    expect(page.get_by_text("Illustrator for children's books")).to_be_visible()
    expect(page.get_by_text("Croatia", exact=True)).to_be_visible()
    expect(page.get_by_text("watercolour", exact=True)).to_be_visible()
    expect(page.get_by_role("link", name="The Lighthouse Cat")).to_have_attribute(
        "href", "https://example.com/lighthouse-cat"
    )
    expect(page.get_by_text("No active gigs right now.")).to_be_visible()
    page.screenshot(path=str(Path(output_path) / "public-profile.png"), full_page=True)

    # Payouts: an Express account through the Stripe SDK (the local server enables it at once).
    page.goto("/settings/payouts")
    expect(page.get_by_text("Not set up")).to_be_visible()
    page.get_by_role("button", name="Set up payouts").click()
    expect(page.get_by_text("Payouts enabled")).to_be_visible()
    with Session(db) as session:
        profile = session.get(FreelancerProfile, _profile_id(session, user.id))
        assert profile.stripe_account_id.startswith("acct_") and profile.payouts_enabled


def wait_for_draft_title(db, gig_id: int, title: str, timeout_s: float = 10.0) -> int:
    """The autosave is asynchronous: wait until the database holds `title`; its version."""
    deadline = time.monotonic() + timeout_s
    while time.monotonic() < deadline:
        with Session(db) as session:
            gig = session.get(Gig, gig_id)
            if gig.draft.get("title") == title:
                return gig.version
        time.sleep(0.1)
    raise AssertionError(f"the draft never saved the title {title!r}")


def wait_for_document(index, gig_id: int, ok, timeout_s: float = 20.0) -> bool:
    """Poll Meilisearch until the gig's document satisfies `ok` (the worker is asynchronous)."""
    deadline = time.monotonic() + timeout_s
    while time.monotonic() < deadline:
        try:
            if ok(dict(index.get_document(gig_id))):
                return True
        except MeilisearchApiError:
            pass  # not indexed yet
        time.sleep(0.25)
    return False


def _profile_id(session: Session, user_id: int) -> int:
    return session.exec(
        select(FreelancerProfile.id).where(FreelancerProfile.user_id == user_id)
    ).one()


def test_a_seller_creates_a_gig_through_every_step(
    page: Page, live_stack, db, tmp_path, output_path
):
    seller = a_seller(db)
    sign_in(page, seller.email)
    page.goto("/gigs/new")

    # Overview
    page.get_by_label("Gig title").fill("design a logo")
    expect(page.get_by_test_id("title-error")).to_contain_text("I will")
    page.get_by_label("Gig title").fill("I will design a modern minimalist logo for your brand")
    expect(page.get_by_test_id("preview-title")).to_have_text(
        "I will design a modern minimalist logo for your brand"
    )
    page.wait_for_url("**/gigs/*/edit")  # the draft exists now: a reload comes back to it
    gig_id = int(page.url.rstrip("/").split("/")[-2])
    choose(page, page.get_by_label("Category", exact=True), "Graphics & Design")
    choose(page, page.get_by_label("Subcategory"), "Logo Design")
    for tag in ("logo design", "minimalist"):
        page.get_by_label("New tag").fill(tag)
        page.keyboard.press("Enter")
    expect(page.get_by_text("minimalist", exact=True)).to_be_visible()
    page.get_by_role("button", name="Save & continue").click()

    # Pricing: the preview follows the typing; a Premium cheaper than Standard is refused.
    for tier, name, price, days, revisions in (
        ("Basic", "Starter", "25", "5", "1"),
        ("Standard", "Brand", "60", "4", "3"),
        ("Premium", "Identity", "45", "3", "Unlimited"),
    ):
        page.get_by_label(f"{tier} name").fill(name)
        page.get_by_label(f"{tier} price").fill(price)
        page.get_by_label(f"{tier} delivery (days)").fill(days)
        choose(page, page.get_by_label(f"{tier} revisions"), revisions)
        expect(page.get_by_test_id("preview-price")).to_have_text(f"${price}")
    expect(page.get_by_test_id("packages-premium-price-error")).to_contain_text(
        "Premium must cost at least as much as Standard ($60)"
    )
    page.get_by_label("Premium price").fill("120")
    expect(page.get_by_test_id("preview-price")).to_have_text("$120")
    expect(page.get_by_test_id("packages-premium-price-error")).to_have_count(0)
    page.get_by_label("New feature").fill("Vector source file")
    page.keyboard.press("Enter")
    page.get_by_label("Basic includes Vector source file").click()  # untick it for Basic
    page.get_by_role("button", name="Extra-fast delivery").click()
    page.get_by_label("Price ($)").fill("20")
    page.get_by_label("Days faster").fill("2")
    page.get_by_role("button", name="Save & continue").click()

    # Description & FAQ
    page.get_by_label("Description", exact=True).fill(DESCRIPTION)
    page.get_by_role("button", name="Add a question").click()
    page.get_by_label("Question 1", exact=True).fill("Do you design the brand guide too?")
    page.get_by_label("Answer 1", exact=True).fill("Yes, in the Identity package.")
    page.get_by_role("button", name="Save & continue").click()

    # Requirements
    expect(page.get_by_text("What do you need from the buyer to start?")).to_be_visible()
    page.get_by_role("button", name="Add a question").click()
    page.get_by_label("Question for the buyer").fill("What is your brand's name?")
    page.get_by_role("button", name="Save & continue").click()

    # Gallery
    page.locator("#gallery input[type=file]").set_input_files(str(png_file(tmp_path)))
    expect(page.get_by_test_id("gallery-image")).to_have_count(1)
    expect(page.get_by_text("Cover", exact=True)).to_be_visible()
    page.get_by_role("button", name="Save & continue").click()

    # Publish
    expect(page.get_by_role("button", name="Publish gig")).to_be_enabled()
    expect(page.get_by_test_id("publish-problems")).to_have_count(0)
    page.screenshot(path=str(Path(output_path) / "editor-publish.png"), full_page=True)
    page.get_by_role("button", name="Publish gig").click()
    expect(page.get_by_test_id("pending-review")).to_be_visible()

    with Session(db) as session:
        gig = session.get(Gig, gig_id)
        assert gig.status == "pending_review" and gig.seller_id == seller.id
        prices = {
            p.tier: (p.price_cents, p.delivery_days, p.revisions, p.features)
            for p in session.exec(select(GigPackage).where(GigPackage.gig_id == gig_id))
        }
        assert prices == {
            "basic": (2500, 5, 1, []),
            "standard": (6000, 4, 3, ["Vector source file"]),
            "premium": (12000, 3, -1, ["Vector source file"]),
        }
        assert gig.price_from_cents == 2500 and gig.tags == ["logo design", "minimalist"]
        # An admin approves it (the moderation page is its own issue).
        admin = session.exec(select(User).where(User.email == "admin@gigworks.test")).one()
        gigs.review_gig(session, admin=admin, gig_id=gig_id, approve=True)
        session.commit()
        slug = session.get(Gig, gig_id).slug
        assert session.exec(
            select(SearchOutbox).where(SearchOutbox.gig_id == gig_id, SearchOutbox.op == "upsert")
        ).first()

    visitor = page.context.browser.new_page()
    visitor.goto(f"{live_stack.app_url}/gig/{slug}")
    expect(
        visitor.get_by_role("heading", name="I will design a modern minimalist logo")
    ).to_be_visible()
    expect(visitor).to_have_title(
        "I will design a modern minimalist logo for your brand · Gigworks"
    )
    for tier, price in (("Basic", "$25"), ("Standard", "$60"), ("Premium", "$120")):
        visitor.get_by_role("tab", name=tier).click()
        expect(visitor.get_by_test_id("package-price")).to_have_text(price)
    visitor.screenshot(path=str(Path(output_path) / "published-gig.png"), full_page=True)

    # Approval queued its search document; the stack's worker puts it in Meilisearch.
    search = live_index(
        make_client(load_settings(live_stack.env())), load_settings(live_stack.env())
    )
    assert wait_for_document(search, gig_id, lambda doc: doc["price_from"] == 2500)

    # Live editing: a valid change to the active gig reaches its public page at once,
    # and its search document within seconds...
    page.goto(f"/gigs/{gig_id}/edit")
    page.get_by_test_id("step-pricing").click()
    page.get_by_label("Basic price").fill("30")
    expect(page.get_by_test_id("save-status")).to_have_text("Saved · live on your gig page")
    visitor.reload()
    expect(visitor.get_by_role("tab", name="Basic")).to_be_visible()
    visitor.get_by_role("tab", name="Basic").click()
    expect(visitor.get_by_test_id("package-price")).to_have_text("$30")
    assert wait_for_document(search, gig_id, lambda doc: doc["price_from"] == 3000)
    # ...and an invalid one is kept in the draft without taking the gig down.
    page.get_by_label("Basic price").fill("3")
    expect(page.get_by_test_id("packages-basic-price-error")).to_contain_text("$5")
    expect(page.get_by_test_id("save-status")).to_contain_text("fix the marked fields")
    with Session(db) as session:
        gig = session.get(Gig, gig_id)
        assert gig.status == "active" and gig.price_from_cents == 3000
        assert gig.draft["packages"]["basic"]["price"] == "3"
    visitor.close()


def test_two_tabs_editing_one_gig_see_a_conflict_not_an_overwrite(page: Page, live_stack, db):
    seller = a_seller(db, "Tara Tabs")
    sign_in(page, seller.email)
    page.goto("/gigs/new")
    page.get_by_label("Gig title").fill("I will write product descriptions for your shop")
    page.wait_for_url("**/gigs/*/edit")
    gig_id = int(page.url.rstrip("/").split("/")[-2])
    expect(page.get_by_test_id("save-status")).to_have_text("Draft saved")

    second = page.context.new_page()
    second.goto(page.url)
    expect(second.get_by_label("Gig title")).to_have_value(
        "I will write product descriptions for your shop"
    )
    page.get_by_label("Gig title").fill("I will write product descriptions that sell")
    saved_version = wait_for_draft_title(db, gig_id, "I will write product descriptions that sell")

    second.get_by_label("Gig title").fill("I will write SEO product descriptions")
    expect(second.get_by_test_id("conflict-message")).to_contain_text("another tab")
    with Session(db) as session:
        gig = session.get(Gig, gig_id)
        assert gig.version == saved_version
        assert gig.draft["title"] == "I will write product descriptions that sell"

    second.get_by_role("button", name="Load the latest version").click()
    expect(second.get_by_label("Gig title")).to_have_value(
        "I will write product descriptions that sell"
    )

    # Now the first tab (the one that created the gig) is the stale one.
    second.get_by_label("Gig title").fill("I will write SEO product descriptions")
    wait_for_draft_title(db, gig_id, "I will write SEO product descriptions")
    page.get_by_label("Gig title").fill("I will write product descriptions for Etsy")
    expect(page.get_by_test_id("conflict-message")).to_contain_text("another tab")
    page.get_by_role("button", name="Load the latest version").click()
    expect(page.get_by_label("Gig title")).to_have_value("I will write SEO product descriptions")
    second.close()


def finished(page: Page, step: str):
    """The checkmark a step shows once it is done (an icon named "finished")."""
    return page.get_by_test_id(f"step-{step}").get_by_role("img", name="finished")


def confirmation_link(live_stack, address: str, timeout_s: float = 30) -> str:
    """The link in the newest "Confirm your email address" mail the catcher holds for `address`."""
    deadline = time.monotonic() + timeout_s
    while time.monotonic() < deadline:
        for mail in reversed(live_stack.mail_catcher.messages()):
            if address in mail["to"] and mail["subject"] == "Confirm your email address":
                match = re.search(r"https?://[^\s\"<>]+/verify-email\?t=[\w\-]+", mail["text"])
                assert match, mail["text"]
                return match.group(0)
        time.sleep(0.5)
    raise AssertionError(f"no confirmation mail to {address} within {timeout_s}s")


def test_a_new_seller_is_led_through_the_publish_step_to_confirm_and_back(
    page: Page, live_stack, db, tmp_path, output_path
):
    """Issue 23: finished steps survive a reload; an unconfirmed email blocks publishing with
    the reason and the fix on the Publish step (no green "in place"); the confirmed-email page
    leads back to the gig; after submitting, only the submitted state shows."""
    seller = a_seller(db, "Nina Newcomer", verified=False)
    sign_in(page, seller.email)
    page.goto("/gigs/new")
    title = "I will design a friendly mascot for your brand"
    page.get_by_label("Gig title").fill(title)
    page.wait_for_url("**/gigs/*/edit")
    gig_id = int(page.url.rstrip("/").split("/")[-2])
    choose(page, page.get_by_label("Category", exact=True), "Graphics & Design")
    choose(page, page.get_by_label("Subcategory"), "Logo Design")
    page.get_by_label("New tag").fill("mascot")
    page.keyboard.press("Enter")
    page.get_by_role("button", name="Save & continue").click()
    expect(finished(page, "overview")).to_be_visible()
    expect(page.get_by_label("Basic price")).to_be_visible()

    page.reload()
    expect(page.get_by_label("Gig title")).to_have_value(title)
    expect(finished(page, "overview")).to_be_visible()  # forgotten before issue 23
    expect(finished(page, "pricing")).to_have_count(0)

    # The rest of the gig is filled in through the services (the steps' typing is covered by
    # test_a_seller_creates_a_gig_through_every_step), then the seller reloads.
    with Session(db) as session:
        gig = session.get(Gig, gig_id)
        draft = valid_draft(gig.draft["category_id"], title=title, tags=["mascot"])
        user = session.get(User, seller.id)
        gigs.save_draft(
            session, actor=user, gig_id=gig_id, expected_version=gig.version, draft=draft
        )
        gigs.add_gallery_image(
            session, actor=user, gig_id=gig_id, name=f"{uuid.uuid4().hex}.png",
            content_type="image/png", size_bytes=1000,
        )  # fmt: skip
        session.commit()
    page.reload()
    for step in ("overview", "pricing", "description", "requirements", "gallery"):
        expect(finished(page, step)).to_be_visible()

    # Publish: blocked by the unconfirmed address, which it says where the button is.
    page.get_by_test_id("step-publish").click()
    blocker = page.get_by_test_id("publish-email-blocker")
    expect(blocker).to_contain_text("Confirm your email address to publish")
    expect(blocker).to_contain_text(seller.email)
    expect(page.get_by_test_id("publish-ready")).to_have_count(0)
    expect(page.get_by_role("button", name="Publish gig")).to_be_disabled()
    page.screenshot(path=str(Path(output_path) / "publish-blocked.png"), full_page=True)
    page.set_viewport_size({"width": 390, "height": 844})
    page.screenshot(path=str(Path(output_path) / "publish-blocked-phone.png"), full_page=True)
    page.set_viewport_size({"width": 1280, "height": 800})
    blocker.get_by_role("button", name="Send the link again").click()
    expect(blocker).to_contain_text(f"Sent. Check {seller.email}")

    # The mail's link: the page says it is done and leads back to the gig.
    page.goto(confirmation_link(live_stack, seller.email))
    expect(page.get_by_role("heading", name="Email confirmed")).to_be_visible()
    expect(page.get_by_text(title)).to_be_visible()
    page.screenshot(path=str(Path(output_path) / "email-confirmed-back-to-gig.png"))
    page.set_viewport_size({"width": 390, "height": 844})
    page.screenshot(path=str(Path(output_path) / "email-confirmed-phone.png"))
    page.set_viewport_size({"width": 1280, "height": 800})
    page.get_by_role("link", name="Back to your gig").click()
    page.wait_for_url(f"**/gigs/{gig_id}/edit")

    page.get_by_test_id("step-publish").click()
    expect(page.get_by_test_id("publish-ready")).to_contain_text("Everything is in place")
    expect(page.get_by_test_id("publish-email-blocker")).to_have_count(0)
    page.get_by_role("button", name="Publish gig").click()
    expect(page.get_by_test_id("pending-review")).to_contain_text("Submitted for review")
    expect(page.get_by_test_id("publish-ready")).to_have_count(0)
    expect(page.get_by_role("button", name="Publish gig")).to_have_count(0)
    page.screenshot(path=str(Path(output_path) / "publish-submitted.png"), full_page=True)
    with Session(db) as session:
        assert session.get(Gig, gig_id).status == "pending_review"

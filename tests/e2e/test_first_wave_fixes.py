"""What a new user tripped over in the first wave (issue 8), done again as that user would:
typing, pasting, pressing Enter and clicking in Chromium against the running marketplace."""

import io
import re
import uuid
from collections import Counter
from pathlib import Path

import httpx
import pytest
from PIL import Image
from playwright.sync_api import Page, expect
from sqlmodel import Session, col, select

from marketplace.models import Gig, User
from marketplace.services.common import media
from marketplace.services.gigs import actions as gigs
from marketplace.settings import load_settings
from search.index import live_index, make_client
from tests.e2e.test_gig_pages import PASSWORD, Shop, shop  # noqa: F401  (the fixture)
from tests.e2e.test_search import results_settled
from tests.e2e.test_seller_journey import wait_for_document
from tests.gig_fixtures import valid_draft

pytestmark = pytest.mark.e2e

PHONE = {"width": 390, "height": 844}


def sign_in(page: Page, email: str) -> None:
    page.goto("/login")
    page.get_by_label("Email").fill(email)
    page.get_by_label("Password").fill(PASSWORD)
    page.get_by_role("button", name="Sign in", exact=True).click()
    expect(page.get_by_test_id("account-menu")).to_be_visible()


def shoot(page: Page, output_path, name: str) -> None:
    """A full-page screenshot at desktop width and at phone width."""
    size = page.viewport_size
    page.screenshot(path=str(Path(output_path) / f"{name}.png"), full_page=True)
    page.set_viewport_size(PHONE)
    page.screenshot(path=str(Path(output_path) / f"{name}-phone.png"), full_page=True)
    overflow = page.evaluate("document.documentElement.scrollWidth - window.innerWidth")
    assert overflow <= 0, f"{name} is {overflow}px wider than a phone screen"
    page.set_viewport_size(size)


def draft_gig(shop: Shop, seller, **draft) -> int:  # noqa: F811
    """A gig the seller has filled in through the editor (a saved draft, one gallery image)."""
    picture = io.BytesIO()
    Image.new("RGB", (640, 360), (200, 90, 40)).save(picture, format="PNG")
    stored = media.store_image(picture.getvalue(), upload_dir=shop.upload_dir, max_bytes=2**22)
    with Session(shop.engine, expire_on_commit=False) as session:
        actor = session.get(User, seller.id)
        gig = gigs.create_draft_gig(session, actor=actor)
        gigs.save_draft(
            session,
            actor=actor,
            gig_id=gig.id,
            expected_version=gig.version,
            draft=valid_draft(shop.subcategory_id, **draft),
        )
        gigs.add_gallery_image(
            session,
            actor=actor,
            gig_id=gig.id,
            name=stored.name,
            content_type=stored.content_type,
            size_bytes=stored.size_bytes,
        )
        session.commit()
    return gig.id


def header_search(page: Page):
    """The header's search box at this width (phones get their own, under the logo)."""
    return page.locator("header").get_by_label("Search services").locator("visible=true")


def chips(page: Page):
    return page.get_by_label(re.compile(r"^Remove "))


# --- covers on cards ---------------------------------------------------------------------------


def test_a_buyer_searching_sees_the_gigs_cover_on_its_card_and_on_the_sellers_profile(
    page: Page,
    shop: Shop,  # noqa: F811
    output_path,
    live_stack,
):
    word = f"zq{uuid.uuid4().hex[:6]}"
    seller = shop.seller()
    made = shop.active_gig(seller, f"I will paint a {word} watercolour portrait")
    # Search answers from Meilisearch: wait for the worker to index the new gig first.
    settings = load_settings(live_stack.env())
    assert wait_for_document(live_index(make_client(settings), settings), made.id, bool)

    page.goto("/")
    header_search(page).fill(word)
    page.keyboard.press("Enter")
    expect(page).to_have_url(re.compile(rf"/search/?\?q={word}"))
    card = page.get_by_test_id("gig-card")
    expect(card).to_have_count(1)
    expect(page.get_by_test_id("result-count")).to_have_text("1 service available")
    cover = card.get_by_test_id("gig-card-cover")
    expect(cover).to_be_visible()
    expect(cover).to_have_attribute("src", re.compile(r"^/media/[0-9a-f]{32}\.png$"))
    assert cover.evaluate("img => img.complete && img.naturalWidth") == 640
    shoot(page, output_path, "search-card-cover")

    page.goto(f"/u/{seller.username}")
    profile_cover = page.get_by_test_id("gig-card").get_by_test_id("gig-card-cover")
    expect(profile_cover).to_be_visible()
    assert profile_cover.evaluate("img => img.complete && img.naturalWidth") == 640


def test_the_home_page_shows_at_most_two_popular_gigs_per_seller(page: Page, shop: Shop):  # noqa: F811
    page.goto("/")
    cards = page.get_by_test_id("gig-card")
    expect(cards).to_have_count(8)
    links = page.locator("a:has([data-testid=gig-card])")
    slugs = [href.rsplit("/", 1)[-1] for href in links.evaluate_all("as => as.map(a => a.href)")]
    with Session(shop.engine) as session:
        sellers = dict(
            session.exec(select(Gig.slug, Gig.seller_id).where(col(Gig.slug).in_(slugs))).all()
        )
    per_seller = Counter(sellers[slug] for slug in slugs)
    assert len(slugs) == 8 and max(per_seller.values()) <= 2, per_seller


# --- tags and skills, checked chip by chip ----------------------------------------------------


def test_a_seller_adding_tags_sees_each_bad_one_refused_right_there(
    page: Page,
    shop: Shop,  # noqa: F811
    output_path,
):
    seller = shop.seller()
    sign_in(page, seller.email)
    page.goto("/gigs/new")
    new_tag = page.get_by_label("New tag")
    message = page.get_by_test_id("new-tag-error")

    for typed, says in (
        ("<b>tag</b>", "only letters, digits, spaces and hyphens"),
        ("a", "too short"),
        ("best fast logo for a shop", "6 words: use at most 4"),
    ):
        new_tag.fill(typed)
        page.keyboard.press("Enter")
        expect(message).to_contain_text(says)
        expect(new_tag).to_have_value(typed)  # kept, to be corrected
        expect(chips(page)).to_have_count(0)

    new_tag.fill("logo design")  # typing again clears the old message
    expect(message).to_have_count(0)
    page.keyboard.press("Enter")
    expect(chips(page)).to_have_count(1)
    expect(new_tag).to_have_value("")
    new_tag.fill("Logo  Design")
    page.get_by_role("button", name="Add", exact=True).first.click()
    expect(message).to_contain_text('You already added "logo design"')
    for count, tag in enumerate(("branding", "minimalist", "vector", "flat"), start=2):
        new_tag.fill(tag)
        page.keyboard.press("Enter")
        expect(chips(page)).to_have_count(count)
    new_tag.fill("typography")
    page.keyboard.press("Enter")
    expect(message).to_contain_text("at most 5 tags")
    expect(chips(page)).to_have_count(5)
    shoot(page, output_path, "editor-tag-refused")


def test_publish_lists_every_problem_of_an_old_draft_at_once(page: Page, shop: Shop):  # noqa: F811
    seller = shop.seller()
    # A draft saved before tags were checked as added: four bad tags and a short title.
    gig_id = draft_gig(
        shop, seller, title="I will x", tags=["<b>tag</b>", "a", "ok tag", "-dash", "z"]
    )
    sign_in(page, seller.email)
    page.goto(f"/gigs/{gig_id}/edit")
    page.get_by_test_id("step-publish").click()
    problems = page.get_by_test_id("publish-problems")
    expect(problems).to_contain_text("Title: Use at least 15 characters")
    for tag in ('"<b>tag</b>"', '"a"', '"-dash"', '"z"'):
        expect(problems).to_contain_text(tag)
    expect(page.get_by_role("button", name="Publish gig")).to_be_disabled()


def test_a_seller_adding_skills_sees_bad_ones_refused_and_save_lists_every_problem(
    page: Page,
    shop: Shop,  # noqa: F811
    output_path,
):
    seller = shop.seller()
    sign_in(page, seller.email)
    page.goto("/settings/profile")
    new_skill = page.get_by_label("New skill")
    message = page.get_by_test_id("new-skill-error")
    for typed, says in (
        ("<b>skill</b>", "may use only letters"),
        ("a", "too short"),
        ("one two three four five six", "6 words"),
    ):
        new_skill.fill(typed)
        page.keyboard.press("Enter")
        expect(message).to_contain_text(says)
        expect(chips(page)).to_have_count(0)
    new_skill.fill("figma")
    page.keyboard.press("Enter")
    expect(chips(page)).to_have_count(1)
    new_skill.fill("Figma")
    page.keyboard.press("Enter")
    expect(message).to_contain_text('You already added "figma"')

    page.get_by_label("Headline").fill("Designer")
    page.get_by_label("About").fill("Short.")
    page.get_by_role("button", name="Save profile").click()
    problems = page.get_by_test_id("save-problems")
    for says in (
        "Headline: The headline needs at least 10",
        "About: About you needs at least 50",
        "Country: Choose the country",
        "Languages: Add at least one language",
    ):
        expect(problems).to_contain_text(says)
    shoot(page, output_path, "profile-save-problems")


# --- long text ---------------------------------------------------------------------------------


def test_pasting_a_long_description_keeps_it_and_says_how_much_to_shorten(
    page: Page,
    shop: Shop,  # noqa: F811
    output_path,
):
    seller = shop.seller()
    gig_id = draft_gig(shop, seller)
    sign_in(page, seller.email)
    page.goto(f"/gigs/{gig_id}/edit")

    title = page.get_by_label("Gig title")
    title.fill("")
    title.press_sequentially("I will " + "w" * 88)  # 95 characters, typed
    expect(title).to_have_value("I will " + "w" * 88)  # the box takes them all
    expect(page.get_by_test_id("title-count")).to_have_text("95 / 80 — shorten by 15 characters")
    expect(page.get_by_test_id("title-error")).to_contain_text("shorten it by 15")

    page.get_by_test_id("step-description").click()
    description = page.get_by_label("Description", exact=True)
    description.fill("")
    description.focus()
    pasted = ("I paint portraits from your photos. " * 140)[:5000]
    page.keyboard.insert_text(pasted)  # one insertion of the whole text, as a paste is
    expect(page.get_by_test_id("description-count")).to_have_text(
        "5,000 / 1,200 — shorten by 3,800 characters"
    )
    expect(page.get_by_test_id("description-error")).to_contain_text("shorten it by 3,800")
    expect(description).to_have_value(pasted)
    shoot(page, output_path, "editor-description-too-long")

    page.get_by_test_id("step-publish").click()
    expect(page.get_by_test_id("publish-problems")).to_contain_text(
        "Description: Use at most 1,200 characters (now 5,000)"
    )
    expect(page.get_by_role("button", name="Publish gig")).to_be_disabled()
    with Session(shop.engine) as session:  # the whole paste is in the saved draft
        assert len(session.get(Gig, gig_id).draft["description"]) == 5000


# --- not-found pages ---------------------------------------------------------------------------


def test_unknown_pages_answer_404_and_show_the_marketplaces_own_page(
    page: Page,
    live_stack,
    shop: Shop,  # noqa: F811
    output_path,
):
    seller = shop.seller()
    gig = shop.active_gig(seller, "I will draw a friendly map of your neighbourhood")
    base = live_stack.app_url
    statuses = {
        path: httpx.get(base + path, timeout=10).status_code
        for path in (
            "/nope",
            "/gig/no-such-gig",
            "/u/no_such_seller",
            f"/gig/{gig.slug}",
            f"/u/{seller.username}",
            "/",
        )
    }
    assert statuses == {
        "/nope": 404,
        "/gig/no-such-gig": 404,
        "/u/no_such_seller": 404,
        f"/gig/{gig.slug}": 200,
        f"/u/{seller.username}": 200,
        "/": 200,
    }

    page.goto("/nope")
    panel = page.get_by_test_id("page-not-found")
    expect(panel).to_be_visible()
    expect(page).to_have_title("Page not found · Gigworks")
    expect(page.locator("header").get_by_role("button", name="Search")).to_be_visible()
    shoot(page, output_path, "page-not-found")
    panel.get_by_label("Search services").fill("logo")
    page.keyboard.press("Enter")
    expect(page).to_have_url(re.compile(r"/search/?\?q=logo"))
    results_settled(page)  # the search has answered before the next address is typed

    page.goto("/gig/no-such-gig")
    expect(page.get_by_test_id("gig-not-found")).to_be_visible()
    expect(page).to_have_title("Gig not found · Gigworks")
    page.get_by_role("link", name="Back to home").click()
    expect(page).to_have_url(re.compile(r"/$"))

    page.goto("/u/no_such_seller")
    expect(page.get_by_test_id("seller-not-found")).to_be_visible()
    expect(page).to_have_title("Seller not found · Gigworks")
    shoot(page, output_path, "seller-not-found")


def test_every_page_finds_its_favicon(page: Page, live_stack, shop: Shop):  # noqa: F811
    icon = httpx.get(f"{live_stack.app_url}/favicon.ico", timeout=10)
    assert icon.status_code == 200 and icon.content[:4] == b"\x00\x00\x01\x00"  # an .ico
    failed: list[str] = []
    page.on("response", lambda r: failed.append(r.url) if r.status >= 400 else None)
    for path in ("/", "/search", "/login", "/join"):
        page.goto(path)
        page.wait_for_load_state("networkidle")
    assert failed == []


# --- the editor's steps and statuses -----------------------------------------------------------


def test_save_and_continue_on_an_empty_overview_says_what_is_missing(page: Page, shop: Shop):  # noqa: F811
    seller = shop.seller()
    sign_in(page, seller.email)
    page.goto("/gigs/new")
    page.get_by_role("button", name="Save & continue").click()
    expect(page.get_by_test_id("step-notice")).to_contain_text("3 fields need attention")
    expect(page.get_by_test_id("title-error")).to_contain_text("Enter a title")
    expect(page.get_by_test_id("category_id-error")).to_contain_text("Choose a category")
    expect(page.get_by_test_id("tags-error")).to_contain_text("Add at least one search tag")
    expect(page.get_by_label("Gig title")).to_be_visible()  # still on the Overview step


def test_on_a_phone_every_editor_step_tab_is_reachable(page: Page, shop: Shop, output_path):  # noqa: F811
    seller = shop.seller()
    page.set_viewport_size(PHONE)
    sign_in(page, seller.email)
    page.goto("/gigs/new")
    for key in ("overview", "pricing", "description", "requirements", "gallery", "publish"):
        box = page.get_by_test_id(f"step-{key}").bounding_box()
        assert box is not None and box["x"] >= 0 and box["x"] + box["width"] <= PHONE["width"]
    page.get_by_test_id("step-publish").click()
    expect(page.get_by_text("Before you publish, fix these:")).to_be_visible()
    page.screenshot(path=str(Path(output_path) / "editor-steps-phone.png"), full_page=True)


def test_the_editor_shows_one_status_at_a_time(page: Page, shop: Shop):  # noqa: F811
    seller = shop.seller()
    gig_id = draft_gig(shop, seller, title="I will letter a hand-drawn sign for your cafe")
    sign_in(page, seller.email)
    page.goto(f"/gigs/{gig_id}/edit")
    page.get_by_test_id("step-publish").click()
    page.get_by_role("button", name="Publish gig").click()
    expect(page.get_by_test_id("pending-review")).to_be_visible()
    expect(page.get_by_text("Pending review", exact=True)).to_be_visible()
    expect(page.get_by_test_id("save-status")).to_have_text("All changes saved")
    expect(page.get_by_text("Published", exact=True)).to_have_count(0)

    second = page.context.new_page()
    second.goto(page.url)
    expect(second.get_by_label("Gig title")).to_be_visible()
    page.get_by_test_id("step-overview").click()
    page.get_by_label("Gig title").fill("I will letter a hand-drawn sign for your bakery")
    expect(page.get_by_test_id("save-status")).to_have_text("Draft saved")
    second.get_by_label("Gig title").fill("I will letter a chalkboard menu for your cafe")
    expect(second.get_by_test_id("conflict-message")).to_contain_text("another tab")
    expect(second.get_by_test_id("save-status")).to_have_count(0)
    expect(second.get_by_text("All changes saved")).to_have_count(0)
    second.close()


# --- forms and the header ----------------------------------------------------------------------


def test_join_messages_go_as_each_field_is_filled_in(page: Page):
    page.goto("/join")
    page.get_by_role("button", name="Create account").click()
    name_error = page.get_by_test_id("display_name-error")
    email_error = page.get_by_test_id("email-error")
    password_error = page.get_by_test_id("password-error")
    expect(name_error).to_contain_text("Enter your name")
    expect(email_error).to_contain_text("Enter your email address")
    expect(password_error).to_contain_text("at least 10 characters")

    page.get_by_label("Your name").type("Ada Lovelace")
    expect(name_error).to_have_count(0)
    expect(email_error).to_be_visible()
    page.get_by_label("Email").type("ada@")
    expect(email_error).to_contain_text("Enter a valid email")
    page.get_by_label("Email").type("example.com")
    expect(email_error).to_have_count(0)
    page.get_by_label("Password").type("short")
    expect(password_error).to_be_visible()
    page.get_by_label("Password").type(" but now long enough")
    expect(password_error).to_have_count(0)

    page.goto("/login")
    page.get_by_role("button", name="Sign in", exact=True).click()
    expect(page.get_by_test_id("email-error")).to_have_text("Enter your email address.")
    expect(page.get_by_test_id("password-error")).to_have_text("Enter your password.")
    page.get_by_label("Email").type("ada@example.com")
    expect(page.get_by_test_id("email-error")).to_have_count(0)
    page.get_by_label("Password").type("x")
    expect(page.get_by_test_id("password-error")).to_have_count(0)


def test_the_search_page_has_one_search_box_holding_the_current_query(page: Page, output_path):
    """The header's box is left out on /search (the page's own box follows the typing), so
    there is one box, at every width, with the words searched from the header."""
    page.goto("/")
    header_search(page).fill("logo design")
    page.keyboard.press("Enter")
    expect(page).to_have_url(re.compile(r"/search/?\?q=logo\+design"))
    boxes = page.get_by_label("Search in results")
    expect(header_search(page)).to_have_count(0)
    expect(boxes).to_have_value("logo design")
    page.set_viewport_size(PHONE)
    expect(header_search(page)).to_have_count(0)
    expect(boxes.locator("visible=true")).to_have_value("logo design")
    page.screenshot(path=str(Path(output_path) / "search-query-phone.png"), full_page=True)

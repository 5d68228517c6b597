"""A visitor joins, signs out, signs in (after a wrong password), all in Chromium."""

import re
import uuid
from pathlib import Path

import pytest
from playwright.sync_api import Page, expect
from sqlmodel import Session, select

from marketplace.db import make_engine
from marketplace.models import User, UserSession

pytestmark = pytest.mark.e2e


def fresh_email() -> str:
    return f"e2e-{uuid.uuid4().hex[:10]}@example.com"


def join_form(page: Page, *, name: str, email: str, password: str) -> None:
    page.goto("/join")
    page.get_by_label("Your name").fill(name)
    page.get_by_label("Email").fill(email)
    page.get_by_label("Password").fill(password)
    page.get_by_role("button", name="Create account").click()


def sign_out(page: Page) -> None:
    page.get_by_test_id("account-menu").click()
    page.get_by_role("button", name="Sign out").click()
    expect(page.get_by_role("link", name="Sign in")).to_be_visible()


def test_join_sign_out_and_sign_in_again(page: Page, live_stack, output_path):
    email = fresh_email()
    join_form(page, name="Grace Hopper", email=email, password="short")
    expect(page.get_by_test_id("password-error")).to_contain_text("at least 10")
    engine = make_engine(live_stack.db_url)
    with Session(engine) as session:
        assert session.exec(select(User).where(User.email == email)).first() is None

    page.get_by_label("Password").fill("a long enough password")
    page.get_by_role("button", name="Create account").click()
    expect(page.get_by_test_id("account-menu")).to_be_visible()
    cookie = next(c for c in page.context.cookies() if c["name"] == "gw_session")
    assert cookie["httpOnly"] is True and cookie["sameSite"] == "Lax"

    page.get_by_test_id("account-menu").click()
    expect(page.get_by_text("Grace Hopper")).to_be_visible()
    page.screenshot(path=str(Path(output_path) / "signed-in-menu.png"))
    page.get_by_role("button", name="Sign out").click()
    expect(page.get_by_role("link", name="Sign in")).to_be_visible()
    with Session(engine) as session:
        user = session.exec(select(User).where(User.email == email)).one()
        rows = session.exec(select(UserSession).where(UserSession.user_id == user.id)).all()
        assert len(rows) == 1 and rows[0].revoked_at is not None
    engine.dispose()

    page.goto("/login")
    page.get_by_label("Email").fill(email)
    page.get_by_label("Password").fill("not the password")
    page.get_by_role("button", name="Sign in", exact=True).click()
    expect(page.get_by_test_id("login-error")).to_contain_text("don't match")
    page.get_by_label("Password").fill("a long enough password")
    page.get_by_role("button", name="Sign in", exact=True).click()
    expect(page.get_by_test_id("account-menu")).to_be_visible()


def test_email_taken_is_shown_under_the_field(page: Page, live_stack):
    join_form(page, name="Demo Buyer Twin", email="buyer@gigworks.test", password="long enough pw")
    expect(page.get_by_test_id("email-error")).to_contain_text("already exists")
    expect(page.get_by_test_id("account-menu")).to_have_count(0)


def test_dev_sso_sign_in_creates_an_account(page: Page, live_stack):
    email = fresh_email()
    page.goto("/login")
    page.get_by_role("button", name="Sign in with Dev SSO").click()
    page.get_by_placeholder("sub").fill(email)
    page.get_by_role("button", name="Authorize").click()
    expect(page.get_by_test_id("account-menu")).to_be_visible()
    assert page.url.rstrip("/") == live_stack.app_url
    engine = make_engine(live_stack.db_url)
    with Session(engine) as session:
        user = session.exec(select(User).where(User.email == email)).one()
        assert user.password_hash is None
    engine.dispose()


def test_a_private_page_sends_a_visitor_to_sign_in_and_back(page: Page, live_stack):
    page.goto("/gigs/new")
    page.wait_for_url(re.compile(r"/login\?next=/gigs/new/?$"))
    page.get_by_label("Email").fill("seller@gigworks.test")
    page.get_by_label("Password").fill("gigworks-demo")
    page.get_by_role("button", name="Sign in", exact=True).click()
    page.wait_for_url(re.compile(r"/gigs/new/?$"))
    expect(page.get_by_label("Gig title")).to_be_visible()


def search_from_the_header(page: Page, words: str) -> None:
    box = page.get_by_role("textbox", name="Search services").first
    box.fill(words)
    box.press("Enter")
    expect(page).to_have_url(re.compile(rf"/search\?q={words}$"))
    expect(page.get_by_test_id("gig-card").first).to_be_visible()


def sign_out_in_another_tab(page: Page, app_url: str) -> None:
    other_tab = page.context.new_page()
    other_tab.goto(app_url + "/")
    sign_out(other_tab)
    other_tab.close()


def test_the_header_follows_the_session_on_search_and_gig_pages(page: Page, live_stack):
    """The search and gig pages refresh the header's viewer in their own on_load (one event
    fewer per navigation): a sign-out in another tab shows at the next gig page and at the
    next search this tab opens."""
    email, password = fresh_email(), "a long enough password"
    join_form(page, name="Header Watcher", email=email, password=password)
    expect(page.get_by_test_id("account-menu")).to_be_visible()
    search_from_the_header(page, "logo")
    expect(page.get_by_test_id("account-menu")).to_be_visible()

    sign_out_in_another_tab(page, live_stack.app_url)
    page.get_by_test_id("gig-card").first.locator("mark").first.click()  # inside the card's link
    expect(page).to_have_url(re.compile(r"/gig/"))
    expect(page.get_by_role("link", name="Sign in")).to_be_visible()
    expect(page.get_by_test_id("account-menu")).to_have_count(0)

    page.get_by_role("link", name="Sign in").click()
    page.get_by_label("Email").fill(email)
    page.get_by_label("Password").fill(password)
    page.get_by_role("button", name="Sign in", exact=True).click()
    expect(page.get_by_test_id("account-menu")).to_be_visible()
    sign_out_in_another_tab(page, live_stack.app_url)
    search_from_the_header(page, "seo")
    expect(page.get_by_role("link", name="Sign in")).to_be_visible()
    expect(page.get_by_test_id("account-menu")).to_have_count(0)

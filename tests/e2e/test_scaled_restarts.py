"""The scaled topology survives its servers restarting: Redis (where every client's Reflex
state lives) and PostgreSQL (every connection of the app and the workers cut at once).

Redis keeps nothing on disk here, so a restart loses every client's state: the open page must
go on (its next event starts from a fresh state and the page reloads its data from the
database), and the session, which lives in the database, must survive. Cutting PostgreSQL's
connections is what a database restart looks like from the app: pooled connections are checked
before use and the outbox worker's next poll reconnects, so a change made right after reaches
search."""

import re
import time

import pytest
from meilisearch.errors import MeilisearchApiError
from playwright.sync_api import Page, expect
from sqlalchemy import text
from sqlmodel import Session, select

from devservices.redis_server import RedisServer
from marketplace.db import make_engine
from marketplace.demo.seed import DEMO_SELLER_EMAIL
from marketplace.models import Gig
from marketplace.settings import load_settings
from search.index import live_index, make_client
from tests.conftest import SCALED
from tests.e2e.test_seller_journey import wait_for_document

pytestmark = [
    pytest.mark.e2e,
    pytest.mark.skipif(not SCALED, reason="restarts the scaled topology's own Redis"),
]

DEMO_PASSWORD = "gigworks-demo"


def sign_in(page: Page, email: str) -> None:
    page.goto("/login")
    page.get_by_label("Email").fill(email)
    page.get_by_label("Password").fill(DEMO_PASSWORD)
    page.get_by_role("button", name="Sign in", exact=True).click()
    # The page after the sign-in hand-off hydrates over the websocket, which on a busy 2-core
    # machine with two workers can take longer than expect()'s default 5 s.
    expect(page.get_by_test_id("account-menu")).to_be_visible(timeout=20_000)


def restart_redis(live_stack) -> None:
    old = next(s for s in live_stack._services if isinstance(s, RedisServer))
    old.stop(grace=2)
    new = RedisServer(port=old.port, data_dir=old.data_dir, log_path=old.log_path)
    new.__enter__()
    live_stack._services[live_stack._services.index(old)] = new


def test_a_signed_in_visitor_goes_on_searching_after_redis_restarts(page: Page, live_stack):
    sign_in(page, DEMO_SELLER_EMAIL)
    page.goto("/search")
    box = page.get_by_role("textbox", name="Search in results")
    box.press_sequentially("logo", delay=40)
    expect(page.get_by_role("heading", name="Results for “logo”")).to_be_visible()

    restart_redis(live_stack)  # every client's state is gone

    box.fill("")
    box.press_sequentially("website", delay=40)
    box.press("Enter")
    expect(page.get_by_role("heading", name="Results for “website”")).to_be_visible(timeout=20_000)
    expect(page.get_by_test_id("gig-card").first).to_be_visible()
    page.goto("/my/gigs")  # still signed in: the session is in the database
    expect(page.get_by_test_id("account-menu")).to_be_visible()
    expect(page).to_have_url(re.compile(r"/my/gigs"))


def test_a_gig_paused_right_after_postgres_drops_every_connection_leaves_search(
    page: Page, live_stack
):
    settings = load_settings(live_stack.env())
    index = live_index(make_client(settings), settings)
    sign_in(page, DEMO_SELLER_EMAIL)
    page.goto("/my/gigs")
    row = page.locator("[data-testid=my-gig-row]:visible").first
    link = row.get_by_role("link").first
    expect(link).to_have_attribute("href", re.compile(r"^/gig/"))
    slug = link.get_attribute("href").removeprefix("/gig/")

    engine = make_engine(live_stack.db_url)
    with Session(engine) as session:
        gig_id = session.exec(select(Gig.id).where(Gig.slug == slug)).one()
    assert wait_for_document(index, gig_id, lambda doc: doc["id"] == gig_id)
    with engine.connect() as conn:  # what a PostgreSQL restart does to the app and the workers
        cut = conn.execute(
            text(
                "SELECT count(pg_terminate_backend(pid)) FROM pg_stat_activity "
                "WHERE datname = :db AND pid <> pg_backend_pid()"
            ),
            {"db": engine.url.database},
        ).scalar_one()
    engine.dispose()
    assert cut >= 1

    row.get_by_role("button", name="Pause").click()
    expect(page.get_by_text("Gig paused.")).to_be_visible()
    deadline = time.monotonic() + 20
    while time.monotonic() < deadline:
        try:
            index.get_document(gig_id)
        except MeilisearchApiError:
            break  # removed from search: the worker reconnected and sent the change
        time.sleep(0.25)
    else:
        pytest.fail("the paused gig is still in search 20 s later: the change was lost")

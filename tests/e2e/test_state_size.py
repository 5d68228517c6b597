"""Per-client state stays small: every page's Reflex state, as Redis stores it, is under 50 KB.

Every event of a client reads and writes its state tree (from Redis with several workers), so
a page that kept whole tables in state would slow every click. This opens each page as the demo
seller (and checkout as the demo buyer) on the scaled topology and weighs the tab's keys."""

import pytest
from sqlmodel import Session, select

from marketplace.auth import cookies
from marketplace.db import make_engine
from marketplace.demo.seed import DEMO_BUYER_EMAIL, DEMO_SELLER_EMAIL
from marketplace.models import Gig, GigStatus, Order, User
from marketplace.services.accounts import members as accounts
from marketplace.settings import load_settings
from tests.conftest import SCALED
from tests.reflex_client import run
from tests.state_size import LIMIT_BYTES, page_state_bytes

pytestmark = [
    pytest.mark.e2e,
    pytest.mark.skipif(
        not SCALED, reason="state is weighed in Redis, which only the scaled pass uses"
    ),
]


def _cookie(session: Session, secret: str, email: str) -> str:
    user = session.exec(select(User).where(User.email == email)).one()
    new = accounts.start_session(session, user=user)
    accounts.activate_session(session, token=new.token)
    session.commit()
    return cookies.sign_session(secret, new.token)


def test_every_page_keeps_its_state_under_50_kb(live_stack):
    settings = load_settings(live_stack.env())
    engine = make_engine(live_stack.db_url)
    with Session(engine) as session:
        seller = session.exec(select(User).where(User.email == DEMO_SELLER_EMAIL)).one()
        gig = session.exec(
            select(Gig).where(Gig.seller_id == seller.id, Gig.status == GigStatus.active)
        ).first()
        order = session.exec(select(Order).where(Order.seller_id == seller.id)).first()
        seller_cookie = _cookie(session, settings.secret_key, DEMO_SELLER_EMAIL)
        buyer_cookie = _cookie(session, settings.secret_key, DEMO_BUYER_EMAIL)
        username = seller.username
        slug, gig_id = gig.slug, gig.id
        code = order.code if order else None
    engine.dispose()

    pages = [
        ("/", None),
        ("/search", None),
        ("/search?q=logo", None),
        (f"/gig/{slug}", None),
        (f"/u/{username}", None),
        ("/my/gigs", seller_cookie),
        (f"/gigs/{gig_id}/edit", seller_cookie),
        ("/gigs/new", seller_cookie),
        ("/orders", seller_cookie),
        ("/my/earnings", seller_cookie),
        ("/settings/profile", seller_cookie),
        ("/settings/payouts", seller_cookie),
        (f"/checkout/{slug}", buyer_cookie),
    ]
    if code:
        pages.append((f"/orders/{code}", seller_cookie))

    sizes = {}
    for path, cookie in pages:
        per_state = run(
            page_state_bytes(
                app_url=live_stack.app_url, redis_url=live_stack.redis_url, path=path, cookie=cookie
            )
        )
        assert per_state, f"no state was stored in Redis for {path}"
        sizes[path] = sum(per_state.values())
    print("\n".join(f"{size / 1024:6.1f} KB  {path}" for path, size in sizes.items()))
    too_big = {path: size for path, size in sizes.items() if size > LIMIT_BYTES}
    assert not too_big, f"pages over {LIMIT_BYTES // 1024} KB of state: {too_big}"
    # The search page holds one page of 24 results, not the catalogue.
    assert sizes["/search?q=logo"] > sizes["/"]

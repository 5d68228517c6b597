"""The gig editor against a real migrated database: SQLite file, and PostgreSQL when available.

Each step runs in its own session_scope, the way the pages call the services, so what is
asserted is what was committed.
"""

import threading
import time
from contextlib import contextmanager

import pytest
from sqlalchemy import event, text
from sqlmodel import Session, select

from alembic import command
from marketplace.db import make_engine, session_scope, utcnow
from marketplace.migrations import alembic_config, upgrade_to_head
from marketplace.models import (
    Gig,
    GigExtra,
    GigFAQ,
    GigMedia,
    GigPackage,
    GigRequirement,
    Order,
    Review,
    SearchOutbox,
    User,
)
from marketplace.services.gigs import actions as gigs
from marketplace.services.gigs import pages as gig_pages
from marketplace.services.gigs import rules as gig_rules
from marketplace.services.reviews import order_reviews as reviews
from tests.gig_fixtures import LIMITS, make_categories, make_user, valid_draft
from tests.pg import fresh_postgres_database, needs_postgres

BACKENDS = ["sqlite", pytest.param("postgres", marks=[needs_postgres, pytest.mark.postgres])]


@pytest.fixture(scope="module", params=BACKENDS)
def engine(request, tmp_path_factory):
    """One migrated database per backend for the module; every test makes its own users."""
    if request.param == "sqlite":
        url = f"sqlite:///{tmp_path_factory.mktemp('editor') / 'editor.db'}"
        upgrade_to_head(url)
        engine = make_engine(url)
        yield engine
        engine.dispose()
    else:
        with fresh_postgres_database() as url:
            upgrade_to_head(url)
            engine = make_engine(url)
            yield engine
            engine.dispose()


@pytest.fixture
def shop(engine):
    """A seller with a subcategory, a buyer and an admin, committed."""
    with session_scope(engine) as s:
        _, sub = make_categories(s)
        people = {
            "sub_id": sub.id,
            "seller": make_user(s, "seller", seller=True),
            "buyer": make_user(s, "buyer"),
            "admin": make_user(s, "admin", admin=True),
        }
    return people


def new_draft(engine, seller) -> int:
    with session_scope(engine) as s:
        return gigs.create_draft_gig(s, actor=seller).id


def save(engine, seller, gig_id, version, draft) -> gigs.SaveResult:
    with session_scope(engine) as s:
        return gigs.save_draft(
            s, actor=seller, gig_id=gig_id, expected_version=version, draft=draft
        )


def add_image(engine, seller, gig_id, n=0):
    with session_scope(engine) as s:
        return gigs.add_gallery_image(
            s,
            actor=seller,
            gig_id=gig_id,
            name=f"{n:032x}.png",
            content_type="image/png",
            size_bytes=2048 + n,
        )


def publish(engine, seller, gig_id, *, auto=True, limits=LIMITS) -> gigs.PublishResult:
    with session_scope(engine) as s:
        version = s.get(Gig, gig_id).version
        return gigs.publish_gig(
            s,
            actor=seller,
            gig_id=gig_id,
            expected_version=version,
            settings_auto_approve=auto,
            active_gig_limits=limits,
        )


def live_gig(engine, shop) -> int:
    gig_id = new_draft(engine, shop["seller"])
    save(engine, shop["seller"], gig_id, 1, valid_draft(shop["sub_id"]))
    add_image(engine, shop["seller"], gig_id)
    publish(engine, shop["seller"], gig_id)
    return gig_id


def outbox(engine, gig_id) -> list[str]:
    with Session(engine) as s:
        rows = s.exec(
            select(SearchOutbox).where(SearchOutbox.gig_id == gig_id).order_by(SearchOutbox.id)
        ).all()
        return [row.op for row in rows]


def packages(engine, gig_id) -> dict[str, tuple[int, int, int]]:
    with Session(engine) as s:
        rows = s.exec(select(GigPackage).where(GigPackage.gig_id == gig_id)).all()
        return {r.tier: (r.price_cents, r.delivery_days, r.revisions) for r in rows}


def load(engine, gig_id) -> Gig:
    with Session(engine, expire_on_commit=False) as s:
        return s.get(Gig, gig_id)


# --- autosave -------------------------------------------------------------------------------------


def test_autosave_round_trip_keeps_exactly_what_was_typed(engine, shop):
    seller = shop["seller"]
    gig_id = new_draft(engine, seller)
    draft = valid_draft(shop["sub_id"])
    draft["title"] = "i will  "  # invalid, but typed: kept as is
    draft["packages"]["basic"]["price"] = "12.345"
    draft["description"] = "Ünïcödé ✓ 🎨 " * 10 + "\x00 nul and a lone \ud800 surrogate"
    draft["faqs"].append({"question": "x" * 5000, "answer": ""})

    result = save(engine, seller, gig_id, 1, draft)
    assert result.version == 2
    assert result.applied_live is False
    assert result.errors["title"] == 'Say what you will do after "I will".'
    assert "at most 2 decimals" in result.errors["packages.basic.price"]
    assert "control characters" in result.errors["description"]
    assert result.errors["gallery"].startswith("Add at least one image")

    with Session(engine) as s:  # a new session: what the next page load sees
        data = gig_pages.editor_data(s, actor=seller, gig_id=gig_id)
    assert data.draft == draft
    assert (data.version, data.status) == (2, "draft")
    assert data.errors == result.errors
    assert [(c.name, c.subcategories) for c in data.categories if c.subcategories][-1] == (
        "Graphics & Design",
        [(shop["sub_id"], "Logo Design")],
    )
    gig = load(engine, gig_id)
    assert (gig.title, gig.category_id) == ("", None)  # a draft's live fields stay empty
    assert outbox(engine, gig_id) == []


def test_a_new_gig_opens_with_an_empty_form(engine, shop):
    gig_id = new_draft(engine, shop["seller"])
    with Session(engine) as s:
        data = gig_pages.editor_data(s, actor=shop["seller"], gig_id=gig_id)
    assert data.draft == gig_rules.empty_draft()
    assert data.version == 1 and data.gallery == [] and data.max_gallery_images == 3
    assert "title" in data.errors


def test_a_stale_tab_cannot_overwrite_a_newer_save(engine, shop):
    seller = shop["seller"]
    gig_id = new_draft(engine, seller)
    first = valid_draft(shop["sub_id"], title="I will write the first version")
    second = valid_draft(shop["sub_id"], title="I will write the second version")
    assert save(engine, seller, gig_id, 1, first).version == 2
    with pytest.raises(gigs.VersionConflict, match="changed in another tab or window"):
        save(engine, seller, gig_id, 1, second)
    gig = load(engine, gig_id)
    assert gig.version == 2
    assert gig.draft["title"] == "I will write the first version"


def test_the_version_check_holds_when_two_saves_race(engine, shop):
    """Both saves read version 1; the UPDATE guarded on the version lets only one through."""
    seller = shop["seller"]
    gig_id = new_draft(engine, seller)
    outcome: dict[str, object] = {}

    first = Session(engine, expire_on_commit=False)
    gigs.save_draft(
        first,
        actor=seller,
        gig_id=gig_id,
        expected_version=1,
        draft=valid_draft(shop["sub_id"], title="I will win the race, clearly"),
    )  # not committed yet: holds the row

    def second_tab():
        try:
            save(engine, seller, gig_id, 1, valid_draft(shop["sub_id"], title="I will lose it"))
            outcome["result"] = "saved"
        except gigs.VersionConflict:
            outcome["result"] = "conflict"
        except Exception as error:  # pragma: no cover - reported below
            outcome["result"] = repr(error)

    racer = threading.Thread(target=second_tab)
    racer.start()
    time.sleep(0.5)
    first.commit()
    first.close()
    racer.join(timeout=60)
    assert outcome["result"] == "conflict"
    gig = load(engine, gig_id)
    assert (gig.version, gig.draft["title"]) == (2, "I will win the race, clearly")


def test_oversized_drafts_are_refused_and_nothing_is_written(engine, shop):
    gig_id = new_draft(engine, shop["seller"])
    huge = valid_draft(shop["sub_id"], description="x" * (gigs.MAX_DRAFT_BYTES + 1))
    with pytest.raises(gigs.DraftTooLarge, match="too large"):
        save(engine, shop["seller"], gig_id, 1, huge)
    with pytest.raises(gigs.VersionConflict):
        save(engine, shop["seller"], gig_id, "1", {})  # a version that is not a number
    gig = load(engine, gig_id)
    assert (gig.version, gig.draft) == (1, {})


# --- publishing -----------------------------------------------------------------------------------


def test_publishing_with_auto_approval_goes_live_and_queues_the_search_update(engine, shop):
    seller = shop["seller"]
    gig_id = new_draft(engine, seller)
    save(engine, seller, gig_id, 1, valid_draft(shop["sub_id"]))
    add_image(engine, seller, gig_id)
    result = publish(engine, seller, gig_id, auto=True)

    assert result.status == "active"
    assert result.version == 3
    assert result.slug == f"design-a-modern-minimalist-logo-{gig_id}"
    gig = load(engine, gig_id)
    assert gig.status == "active" and gig.published_at is not None
    assert gig.title == "I will design a modern minimalist logo"
    assert gig.category_id == shop["sub_id"]
    assert gig.tags == ["logo design", "minimalist", "brand-identity"]
    assert gig.package_features == ["Source file", "Logo transparency", "Vector file"]
    assert (gig.price_from_cents, gig.delivery_days_min) == (2000, 3)
    assert packages(engine, gig_id) == {
        "basic": (2000, 3, 1),
        "standard": (4000, 5, 3),
        "premium": (120050, 7, -1),
    }
    with Session(engine) as s:
        extras = s.exec(select(GigExtra).where(GigExtra.gig_id == gig_id)).all()
        assert sorted((e.kind, e.price_cents, e.extra_days) for e in extras) == [
            ("custom", 2550, 1),
            ("fast_delivery", 1500, -2),
        ]
        assert len(s.exec(select(GigFAQ).where(GigFAQ.gig_id == gig_id)).all()) == 1
        requirements = s.exec(select(GigRequirement).where(GigRequirement.gig_id == gig_id)).all()
        assert [r.choices for r in requirements] == [[], ["Minimal", "Vintage"]]
    assert outbox(engine, gig_id) == ["upsert"]


def test_publishing_for_review_waits_without_touching_search_until_approved(engine, shop):
    seller = shop["seller"]
    gig_id = new_draft(engine, seller)
    save(engine, seller, gig_id, 1, valid_draft(shop["sub_id"]))
    add_image(engine, seller, gig_id)
    assert publish(engine, seller, gig_id, auto=False).status == "pending_review"
    gig = load(engine, gig_id)
    assert gig.status == "pending_review" and gig.published_at is None
    assert outbox(engine, gig_id) == []
    with Session(engine) as s, pytest.raises(gigs.NotFound):  # not public yet
        gig_pages.gig_page(s, slug=gig.slug, viewer=shop["buyer"])

    with session_scope(engine) as s:
        gigs.review_gig(s, admin=shop["admin"], gig_id=gig_id, approve=True)
    gig = load(engine, gig_id)
    assert gig.status == "active" and gig.published_at is not None
    assert outbox(engine, gig_id) == ["upsert"]


def test_an_invalid_draft_cannot_be_published_and_nothing_changes(engine, shop):
    seller = shop["seller"]
    gig_id = new_draft(engine, seller)
    save(engine, seller, gig_id, 1, valid_draft(shop["sub_id"], title="Logo design"))
    with pytest.raises(gigs.DraftInvalid) as refused:
        publish(engine, seller, gig_id)
    assert set(refused.value.errors) == {"title", "gallery"}
    assert "Fix these 2 fields" in str(refused.value)
    gig = load(engine, gig_id)
    assert (gig.status, gig.version, gig.title) == ("draft", 2, "")
    assert packages(engine, gig_id) == {}


def test_a_top_category_is_not_a_valid_choice(engine, shop):
    seller = shop["seller"]
    with Session(engine) as s:
        top_id = s.execute(
            text("SELECT parent_id FROM category WHERE id = :id"), {"id": shop["sub_id"]}
        ).scalar_one()
    gig_id = new_draft(engine, seller)
    result = save(engine, seller, gig_id, 1, valid_draft(top_id))
    assert result.errors["category_id"] == "Choose a subcategory from the list."


# --- editing a live gig ---------------------------------------------------------------------------


def test_editing_an_active_gig_updates_the_live_rows_and_search_but_not_the_status(engine, shop):
    seller = shop["seller"]
    gig_id = live_gig(engine, shop)
    version = load(engine, gig_id).version
    draft = valid_draft(shop["sub_id"])
    draft["packages"]["basic"]["price"] = "15"
    draft["packages"]["premium"]["price"] = "99.99"
    draft["packages"]["premium"]["delivery_days"] = "4"

    result = save(engine, seller, gig_id, version, draft)
    assert result.applied_live is True and result.errors == {}
    gig = load(engine, gig_id)
    assert gig.status == "active"
    assert gig.price_from_cents == 1500
    assert packages(engine, gig_id)["basic"] == (1500, 3, 1)
    assert packages(engine, gig_id)["premium"] == (9999, 4, -1)
    assert outbox(engine, gig_id) == ["upsert", "upsert"]

    single = valid_draft(shop["sub_id"], single_package=True)
    single["packages"]["basic"]["delivery_days"] = "10"
    single["extras"] = []
    assert save(engine, seller, gig_id, result.version, single).applied_live is True
    assert packages(engine, gig_id) == {"basic": (2000, 10, 1)}
    gig = load(engine, gig_id)
    assert (gig.single_package, gig.delivery_days_min, gig.price_from_cents) == (True, 10, 2000)


def test_an_invalid_edit_to_an_active_gig_is_kept_in_the_draft_but_not_applied(engine, shop):
    seller = shop["seller"]
    gig_id = live_gig(engine, shop)
    before = load(engine, gig_id)
    draft = valid_draft(shop["sub_id"], title="I will")
    draft["packages"]["basic"]["price"] = "3"

    result = save(engine, seller, gig_id, before.version, draft)
    assert result.applied_live is False
    assert set(result.errors) == {"title", "packages.basic.price"}
    gig = load(engine, gig_id)
    assert gig.status == "active"
    assert gig.title == before.title and gig.price_from_cents == 2000
    assert packages(engine, gig_id)["basic"] == (2000, 3, 1)
    assert gig.draft["title"] == "I will"
    assert outbox(engine, gig_id) == ["upsert"]  # only the publish
    with Session(engine) as s:
        assert gig_pages.editor_data(s, actor=seller, gig_id=gig_id).draft == draft


def test_a_paused_gig_takes_edits_without_touching_search(engine, shop):
    seller = shop["seller"]
    gig_id = live_gig(engine, shop)
    with session_scope(engine) as s:
        gigs.pause_gig(s, actor=seller, gig_id=gig_id)
    draft = valid_draft(shop["sub_id"], title="I will design a bold vintage logo")
    assert save(engine, seller, gig_id, load(engine, gig_id).version, draft).applied_live
    assert load(engine, gig_id).title == "I will design a bold vintage logo"
    assert outbox(engine, gig_id) == ["upsert", "delete"]


def test_pause_resume_and_delete_keep_search_in_step(engine, shop):
    seller = shop["seller"]
    gig_id = live_gig(engine, shop)
    with session_scope(engine) as s:
        assert gigs.pause_gig(s, actor=seller, gig_id=gig_id).status == "paused"
    with session_scope(engine) as s:
        gigs.resume_gig(s, actor=seller, gig_id=gig_id, active_gig_limits=LIMITS)
    with session_scope(engine) as s:
        gigs.delete_gig(s, actor=seller, gig_id=gig_id)
    gig = load(engine, gig_id)
    assert gig.status == "deleted" and gig.deleted_at is not None
    assert outbox(engine, gig_id) == ["upsert", "delete", "upsert", "delete"]

    draft_id = new_draft(engine, seller)
    with session_scope(engine) as s:
        gigs.delete_gig(s, actor=seller, gig_id=draft_id)
    assert outbox(engine, draft_id) == []  # never in search, nothing to remove


def test_a_live_gig_opened_for_editing_gets_a_form_built_from_its_rows(engine, shop):
    seller = shop["seller"]
    gig_id = live_gig(engine, shop)
    with session_scope(engine) as s:  # as the demo seed leaves gigs: live rows, no draft
        s.execute(text("UPDATE gig SET draft = '{}' WHERE id = :id"), {"id": gig_id})
    with Session(engine) as s:
        data = gig_pages.editor_data(s, actor=seller, gig_id=gig_id)
    assert data.errors == {}
    assert data.draft["title"] == "I will design a modern minimalist logo"
    assert data.draft["packages"]["premium"]["price"] == "1200.50"
    assert data.draft["extras"][0]["extra_days"] == "2"
    assert gig_rules.clean_draft(data.draft) == gig_rules.clean_draft(valid_draft(shop["sub_id"]))


# --- gallery --------------------------------------------------------------------------------------


def test_gallery_holds_three_images_and_the_cover_follows_the_order(engine, shop):
    seller = shop["seller"]
    gig_id = live_gig(engine, shop)  # has image 0
    second, third = add_image(engine, seller, gig_id, 1), add_image(engine, seller, gig_id, 2)
    with pytest.raises(gigs.GalleryError, match="up to 3 images"):
        add_image(engine, seller, gig_id, 3)
    assert outbox(engine, gig_id) == ["upsert"]  # the cover did not change

    with session_scope(engine) as s:
        order = gigs.move_gallery_image_to_cover(s, actor=seller, gig_id=gig_id, media_id=third.id)
    assert [image.name for image in order] == [f"{n:032x}.png" for n in (2, 0, 1)]
    assert [image.position for image in order] == [0, 1, 2]
    assert outbox(engine, gig_id) == ["upsert", "upsert"]

    with session_scope(engine) as s:
        name = gigs.remove_gallery_image(s, actor=seller, gig_id=gig_id, media_id=third.id)
    assert name == f"{2:032x}.png"
    with Session(engine) as s:
        rows = s.exec(
            select(GigMedia).where(GigMedia.gig_id == gig_id).order_by(GigMedia.position)
        ).all()
        assert [(r.path, r.position) for r in rows] == [(f"{0:032x}.png", 0), (second.name, 1)]
        with pytest.raises(gigs.NotFound):
            gigs.remove_gallery_image(s, actor=seller, gig_id=gig_id, media_id=third.id)
    with session_scope(engine) as s:
        gigs.remove_gallery_image(s, actor=seller, gig_id=gig_id, media_id=second.id)
    with session_scope(engine) as s, pytest.raises(gigs.GalleryError, match="at least one"):
        only = gigs.gallery(s, gig_id=gig_id)[0]
        gigs.remove_gallery_image(s, actor=seller, gig_id=gig_id, media_id=only.id)


# --- read models ----------------------------------------------------------------------------------

GIG_PAGE_QUERIES = 7  # the gig with its seller and category path, the seller's measured
# response time, packages, extras, FAQ, requirements, gallery (its reviews are the reviews
# block's own reads)
GIG_PAGE_REPEAT_QUERIES = 2  # a gig this process has shown since its last change: the gig row
# and the response time; its packages, extras, FAQ, requirements and gallery are kept


@contextmanager
def counting_queries(engine):
    """The SQL statements the engine runs inside the block."""
    statements: list[str] = []

    def note(conn, cursor, statement, *args):
        statements.append(statement)

    event.listen(engine, "before_cursor_execute", note)
    try:
        yield statements
    finally:
        event.remove(engine, "before_cursor_execute", note)


def test_the_gig_page_costs_the_same_queries_for_a_bare_gig(engine, shop):
    """The same count as for a gig with reviews (the test below): nothing is loaded per row."""
    slug = load(engine, live_gig(engine, shop)).slug
    with Session(engine) as s, counting_queries(engine) as queries:
        gig_pages.gig_page(s, slug=slug, viewer=shop["buyer"])
    assert len(queries) == GIG_PAGE_QUERIES


def _viewed(engine, slug, viewer=None):
    with Session(engine) as s, counting_queries(engine) as queries:
        return gig_pages.gig_page(s, slug=slug, viewer=viewer), len(queries)


def test_a_gig_viewed_again_reads_two_rows_and_shows_each_edit_at_once(engine, shop):
    seller = shop["seller"]
    gig_id = live_gig(engine, shop)
    slug = load(engine, gig_id).slug
    first, cost = _viewed(engine, slug)
    assert cost == GIG_PAGE_QUERIES
    again, cost = _viewed(engine, slug, shop["buyer"])
    assert cost == GIG_PAGE_REPEAT_QUERIES
    assert again.packages == first.packages and again.gallery == first.gallery

    # a live edit of the active gig: the next view shows it
    draft = valid_draft(shop["sub_id"])
    draft["packages"]["basic"]["price"] = "31"
    draft["faqs"] = [{"question": "Do you do mascots?", "answer": "Yes, gladly."}]
    assert save(engine, seller, gig_id, load(engine, gig_id).version, draft).applied_live
    edited, cost = _viewed(engine, slug)
    assert cost == GIG_PAGE_QUERIES
    assert edited.packages[0].price_cents == 3100
    assert [f.question for f in edited.faqs] == ["Do you do mascots?"]

    # gallery changes (which leave the editor's version alone) are shown at once too
    second = add_image(engine, seller, gig_id, n=1)
    assert _viewed(engine, slug)[0].gallery == [f"{0:032x}.png", second.name]
    with session_scope(engine) as s:
        gigs.move_gallery_image_to_cover(s, actor=seller, gig_id=gig_id, media_id=second.id)
    assert _viewed(engine, slug)[0].gallery == [second.name, f"{0:032x}.png"]
    with session_scope(engine) as s:
        gigs.remove_gallery_image(s, actor=seller, gig_id=gig_id, media_id=second.id)
    assert _viewed(engine, slug)[0].gallery == [f"{0:032x}.png"]

    # the seller's account and profile are read with the gig: never kept
    with session_scope(engine) as s:
        s.get(User, seller.id).display_name = "Renamed Studio"
    renamed, cost = _viewed(engine, slug)
    assert renamed.seller.display_name == "Renamed Studio" and cost == GIG_PAGE_REPEAT_QUERIES


def test_the_gig_page_shows_packages_extras_seller_and_reviews(engine, shop):
    seller, buyer = shop["seller"], shop["buyer"]
    gig_id = live_gig(engine, shop)
    with session_scope(engine) as s:
        for n, (rating, body) in enumerate([(5, "Great!"), (4, "Good"), (5, "Superb")]):
            order = Order(
                code=f"GW-R{gig_id:04d}{n:03d}"[:20],
                gig_id=gig_id,
                buyer_id=buyer.id,
                seller_id=seller.id,
                status="completed",
                title="I will design a modern minimalist logo",
                subtotal_cents=2000,
                service_fee_cents=110,
                total_cents=2110,
                commission_cents=400,
                seller_earnings_cents=1600,
                delivery_days=3,
            )
            s.add(order)
            s.flush()
            s.add(
                Review(
                    order_id=order.id,
                    gig_id=gig_id,
                    seller_id=seller.id,
                    buyer_id=buyer.id,
                    rating=rating,
                    communication=5,
                    as_described=5,
                    body=body,
                    hidden=body == "Good",  # hidden by a moderator
                    seller_reply="Thanks!" if n == 2 else "",
                    created_at=utcnow(),
                    published_at=utcnow(),  # double-blind: public once published
                )
            )
    slug = load(engine, gig_id).slug
    with Session(engine) as s, counting_queries(engine) as queries:
        page = gig_pages.gig_page(s, slug=slug, viewer=None)
    # a fixed number, whatever the gig holds: one per part, never one per row
    assert len(queries) == GIG_PAGE_QUERIES
    assert page.title == "I will design a modern minimalist logo"
    assert (page.category_name, page.parent_category_name) == ("Logo Design", "Graphics & Design")
    assert [p.tier for p in page.packages] == ["basic", "standard", "premium"]
    assert page.features == ["Source file", "Logo transparency", "Vector file"]
    assert page.packages[0].included == [False, True, False]
    assert page.packages[1].features == ["Source file", "Logo transparency"]
    assert [e.title for e in page.extras] == ["Extra-fast delivery", "Social media kit"]
    assert page.gallery == [f"{0:032x}.png"]
    assert page.requirements_count == 2
    assert page.seller.username == seller.username
    assert page.seller.languages == ["English"] and page.seller.country == "PT"
    # the page's reviews block (state/reviews.py) reads them through services/reviews
    with Session(engine) as s:
        shown = reviews.review_page(s, gig_id=gig_id, sort="newest")
        counted = reviews.summary(s, gig_id=gig_id)
    assert [r.body for r in shown.rows] == ["Superb", "Great!"]  # newest first, hidden left out
    assert shown.rows[0].seller_reply == "Thanks!"
    assert shown.rows[0].buyer_name == buyer.display_name
    assert counted.histogram == [(5, 2), (4, 0), (3, 0), (2, 0), (1, 0)]
    assert counted.count == 2
    assert page.visibility_notice == "" and not page.is_owner


def test_my_gigs_counts_each_status_and_pages_the_rows(engine, shop):
    seller = make_user_committed(engine, "busy")
    sub_id = shop["sub_id"]
    active_id = live_gig(engine, {**shop, "seller": seller})
    paused_id = live_gig(engine, {**shop, "seller": seller})
    with session_scope(engine) as s:
        gigs.pause_gig(s, actor=seller, gig_id=paused_id)
    typed_id = new_draft(engine, seller)
    save(engine, seller, typed_id, 1, valid_draft(sub_id, title="I will finish this later"))
    blank_id = new_draft(engine, seller)
    with session_scope(engine) as s:
        s.add(
            Order(
                code=f"GW-M{active_id:07d}"[:20],
                gig_id=active_id,
                buyer_id=shop["buyer"].id,
                seller_id=seller.id,
                status="in_progress",
                title="x",
                subtotal_cents=2000,
                service_fee_cents=110,
                total_cents=2110,
                commission_cents=400,
                seller_earnings_cents=1600,
                delivery_days=3,
            )
        )

    with Session(engine) as s:
        everything = gig_pages.my_gigs(s, actor=seller, status=None)
        drafts = gig_pages.my_gigs(s, actor=seller, status="draft")
        first_page = gig_pages.my_gigs(s, actor=seller, status=None, limit=1, offset=0)
        bounded = gig_pages.my_gigs(s, actor=seller, status=None, limit=10**9, offset="x")
    assert everything.counts == {
        "active": 1,
        "pending_review": 0,
        "draft": 2,
        "paused": 1,
        "rejected": 0,
        "suspended": 0,
    }
    assert everything.total == 4
    rows = {row.id: row for row in everything.rows}
    assert rows[active_id].orders_in_progress == 1
    assert rows[active_id].cover_image == f"{0:032x}.png"
    assert rows[active_id].price_from_cents == 2000
    assert rows[typed_id].title == "I will finish this later"
    assert rows[blank_id].title == "Untitled draft" and rows[blank_id].cover_image == ""
    assert {row.id for row in drafts.rows} == {typed_id, blank_id} and drafts.total == 2
    assert len(first_page.rows) == 1 and first_page.rows[0].id == blank_id  # newest change first
    assert (bounded.limit, bounded.offset) == (gig_pages.MY_GIGS_MAX_LIMIT, 0)


def make_user_committed(engine, name):
    with session_scope(engine) as s:
        return make_user(s, name, seller=True)


# --- the migration keeps existing gigs ------------------------------------------------------------


def migrate_populated(url: str) -> None:
    config = alembic_config(url)
    command.upgrade(config, "0001")
    engine = make_engine(url)
    now = utcnow()
    with Session(engine) as s:
        s.execute(
            text(
                'INSERT INTO "user" (id, email, username, display_name, is_admin, status, '
                "email_verified, created_at) VALUES (1, 'a@example.com', 'a', 'A', false, "
                "'active', false, :now)"
            ),
            {"now": now},
        )
        s.execute(text("INSERT INTO category (id, name, slug, description, icon, position) "
                    "VALUES (1, 'Logo', 'logo', '', '', 0)"))  # fmt: skip
        s.execute(
            text(
                "INSERT INTO gig (id, seller_id, category_id, slug, title, description, tags, "
                "package_features, single_package, status, status_reason, version, "
                "price_from_cents, delivery_days_min, rating_avg, rating_count, "
                "orders_completed, impressions, created_at, updated_at) VALUES (1, 1, 1, "
                "'logo-1', 'I will design a logo', '', '[]', '[]', false, 'active', '', 1, "
                "500, 1, 0, 0, 0, 0, :now, :now)"
            ),
            {"now": now},
        )
        s.execute(
            text(
                "INSERT INTO gig_package (gig_id, tier, name, description, price_cents, "
                "delivery_days, revisions, features) VALUES (1, 'basic', 'B', '', 500, 1, 0, '[]')"
            )
        )
        s.commit()
    engine.dispose()
    upgrade_to_head(url)
    engine = make_engine(url)
    with Session(engine) as s:
        gig = s.get(Gig, 1)
        assert gig.draft == {} and gig.category_id == 1
        assert len(s.exec(select(GigPackage)).all()) == 1  # not cascaded away by the rebuild
        s.add(Gig(id=2, seller_id=1, category_id=None, slug="draft-x", title=""))
        s.commit()
    engine.dispose()


def test_migrating_a_populated_sqlite_database_keeps_every_row(tmp_path):
    migrate_populated(f"sqlite:///{tmp_path / 'old.db'}")


@needs_postgres
@pytest.mark.postgres
def test_migrating_a_populated_postgresql_database_keeps_every_row():
    with fresh_postgres_database() as url:
        migrate_populated(url)

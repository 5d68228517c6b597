"""The rules behind the first-wave fixes: chips checked as they are added, every problem named
at once, over-long text measured instead of cut, the join form's per-field checks, cover
images on cards, at most two popular gigs per seller, and the 404 checks for gig and seller
pages."""

import pytest
from sqlmodel import Session, SQLModel

from marketplace.db import make_engine
from marketplace.models import GigStatus
from marketplace.services.accounts import members as accounts
from marketplace.services.accounts import profiles
from marketplace.services.gigs import catalog
from marketplace.services.gigs import pages as gig_pages
from marketplace.services.gigs import rules as gig_rules
from marketplace.state.event_args import TEXT_KEEP_MAX, kept_text, length_count
from tests.gig_fixtures import make_categories, make_user, published_gig


@pytest.fixture
def db(tmp_path):
    engine = make_engine(f"sqlite:///{tmp_path / 'first-wave.db'}")
    SQLModel.metadata.create_all(engine)
    with Session(engine, expire_on_commit=False) as session:
        yield session
    engine.dispose()


# --- tags and skills, one chip at a time ----------------------------------------------------

FOUR_TAGS = ["logo design", "branding", "minimalist", "vector"]


@pytest.mark.parametrize(
    ("typed", "current", "fragment"),
    [
        ("<b>tag</b>", [], "only letters, digits, spaces and hyphens"),
        ("a", [], "too short"),
        ("best fast logo for a shop", [], "6 words: use at most 4"),
        ("Logo  Design", FOUR_TAGS, 'already added "logo design"'),
        ("typography", [*FOUR_TAGS, "flat"], "at most 5 tags"),
        ("   ", [], "Type a tag first"),
    ],
)
def test_a_tag_chip_is_refused_with_its_reason(typed, current, fragment):
    assert fragment in gig_rules.tag_to_add_error(typed, current)


@pytest.mark.parametrize("typed", ["web design", "3d", "brand-identity", "one two three four"])
def test_a_good_tag_chip_is_accepted(typed):
    assert gig_rules.tag_to_add_error(typed, FOUR_TAGS[:3]) == ""


def test_every_bad_tag_is_named_at_once():
    message = gig_rules.tags_error(
        ["<b>x</b>", "a", "good tag", "-dash", "a b c d e f", "z1", "ok"]
    )
    for shown in ('"<b>x</b>"', '"a"', '"-dash"', '"a b c d e f"'):
        assert shown in message
    assert message.startswith("Use at most 5 tags (now 7).")
    errors = gig_rules.validate_draft({"tags": ["<i>", "q"]})
    assert '"<i>"' in errors["tags"] and '"q"' in errors["tags"]


@pytest.mark.parametrize(
    ("typed", "current", "fragment"),
    [
        ("", [], "Name the feature"),
        ("x" * 41, [], "at most 40 characters (now 41): shorten it by 1"),
        ("source file", ["Source file"], "already listed"),
        ("Another", [f"Row {i}" for i in range(10)], "at most 10 feature rows"),
    ],
)
def test_a_feature_row_is_refused_with_its_reason(typed, current, fragment):
    assert fragment in gig_rules.feature_to_add_error(typed, current)


@pytest.mark.parametrize(
    ("typed", "current", "fragment"),
    [
        ("<b>skill</b>", [], "may use only letters"),
        ("a", [], "too short"),
        ("one two three four five six", [], "6 words: use at most 4"),
        ("Figma", ["figma"], 'already added "figma"'),
        ("sketch", [f"skill {i}" for i in range(15)], "at most 15 skills"),
        ("", [], "Type a skill first"),
    ],
)
def test_a_skill_chip_is_refused_with_its_reason(typed, current, fragment):
    assert fragment in profiles.skill_to_add_error(typed, current)


def test_every_bad_skill_is_named_at_once():
    _, errors = profiles.validate_profile_form({"skills": ["<b>x</b>", "a", "figma", "c++"]})
    assert '"<b>x</b>"' in errors["skills"] and '"a"' in errors["skills"]
    assert "figma" not in errors["skills"]


# --- long text is measured, never silently cut -----------------------------------------------


def test_an_over_long_description_says_how_much_to_shorten():
    message = gig_rules.description_error("x" * 1300)
    assert message == "Use at most 1,200 characters (now 1,300): shorten it by 100."
    assert length_count(1300, 1200) == "1,300 / 1,200 — shorten by 100 characters"
    assert length_count(81, 80) == "81 / 80 — shorten by 1 character"
    assert length_count(80, 80) == "80 / 80"


def test_a_form_keeps_a_long_paste_whole_and_says_when_it_must_cut():
    assert kept_text("y" * 5000) == ("y" * 5000, False)
    text, clipped = kept_text("y" * (TEXT_KEEP_MAX + 1))
    assert len(text) == TEXT_KEEP_MAX and clipped
    assert kept_text(["not", "text"]) == ("", False)


# --- the join form ---------------------------------------------------------------------------


def test_join_lists_every_field_problem_at_once_and_rechecks_one_field():
    assert accounts.registration_errors(email="", password="", display_name="") == {
        "display_name": "Enter your name (at least 2 characters).",
        "email": "Enter your email address.",
        "password": "Use at least 10 characters for your password.",
    }
    assert accounts.field_error("display_name", "Ada Lovelace") == ""
    assert accounts.field_error("email", "not-an-email").startswith("Enter a valid email")
    assert accounts.field_error("is_admin", "true") == ""  # no such field: nothing to say
    assert accounts.field_error("email", None) == "Enter your email address."


# --- cards, popular gigs, pages that exist -----------------------------------------------------


def test_cards_carry_the_cover_and_popular_gigs_mix_sellers(db):
    _, sub = make_categories(db)
    busy, other = make_user(db, "busy", seller=True), make_user(db, "other", seller=True)
    busy_gigs = [published_gig(db, busy, sub) for _ in range(4)]
    other_gig = published_gig(db, other, sub)
    for orders, gig in zip((50, 40, 30, 20), busy_gigs, strict=True):
        gig.orders_completed = orders
        db.add(gig)
    db.commit()

    popular = catalog.popular_gigs(db, limit=8)
    assert [card.id for card in popular] == [busy_gigs[0].id, busy_gigs[1].id, other_gig.id]
    # the fixture's first gallery image is the cover on every kind of card
    assert all(card.cover_image == f"{0:032x}.png" for card in popular)
    found = catalog.search_gigs_sql(db, query="")
    assert {card.cover_image for card in found.cards} == {f"{0:032x}.png"}
    assert catalog.seller_gig_cards(db, seller_id=other.id)[0].cover_image == f"{0:032x}.png"


def test_gig_and_seller_pages_exist_only_for_what_the_viewer_may_see(db):
    _, sub = make_categories(db)
    seller, stranger = make_user(db, "seller", seller=True), make_user(db, "stranger")
    gig = published_gig(db, seller, sub)
    db.commit()
    assert gig_pages.gig_page_exists(db, slug=gig.slug, viewer=None)
    assert not gig_pages.gig_page_exists(db, slug="no-such-gig", viewer=None)
    assert not gig_pages.gig_page_exists(db, slug="x" * 500, viewer=None)
    gig.status = GigStatus.paused
    db.add(gig)
    db.commit()
    assert not gig_pages.gig_page_exists(db, slug=gig.slug, viewer=None)
    assert not gig_pages.gig_page_exists(db, slug=gig.slug, viewer=stranger)
    assert gig_pages.gig_page_exists(db, slug=gig.slug, viewer=seller)

    assert profiles.seller_exists(db, username=seller.username.upper())
    assert not profiles.seller_exists(db, username=stranger.username)  # not a seller
    assert not profiles.seller_exists(db, username="nobody_here")
    assert not profiles.seller_exists(db, username="../etc")

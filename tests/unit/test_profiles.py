"""Seller profiles: becoming a seller, every editor rule, saving, and the public profile."""

from datetime import UTC, datetime

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from sqlmodel import Session, SQLModel, select

from marketplace.db import make_engine
from marketplace.models import FreelancerProfile, User, UserStatus
from marketplace.services.accounts import members as accounts
from marketplace.services.accounts import profiles
from marketplace.services.common.errors import NotFound, PermissionDenied

NOW = datetime(2026, 11, 27, tzinfo=UTC)


@pytest.fixture
def db(tmp_path):
    engine = make_engine(f"sqlite:///{tmp_path / 'profiles.db'}")
    SQLModel.metadata.create_all(engine)
    with Session(engine) as session:
        yield session
    engine.dispose()


def member(db, name="Ana Lima", email="ana@example.com") -> User:
    user = accounts.register(db, email=email, password="correct horse", display_name=name)
    db.commit()
    return user


def good_form(**changes) -> dict:
    form = {
        "display_name": "Ana Lima",
        "headline": "Brand designer for early-stage startups",
        "bio": "I design logos and brand systems. " * 3,
        "country": "BR",
        "skills": ["Logo Design", "figma"],
        "languages": [
            {"language": "English", "level": "fluent"},
            {"language": "Portuguese", "level": "native"},
        ],
        "qualifications": [
            {"kind": "education", "title": "BA Design", "institution": "USP", "year": "2015"}
        ],
        "experience": [
            {
                "title": "Designer",
                "company": "Acme",
                "from_year": "2016",
                "to_year": "",
                "description": "Brand work.",
            }
        ],
        "portfolio": [{"title": "Rebrand", "url": "https://example.com/rebrand"}],
    }
    form.update(changes)
    return form


def errors_of(form) -> dict:
    return profiles.validate_profile_form(form, now=NOW)[1]


def test_become_seller_creates_one_profile_and_is_idempotent(db):
    user = member(db)
    assert not accounts.has_seller_profile(db, user_id=user.id)
    first = profiles.become_seller(db, actor=user)
    again = profiles.become_seller(db, actor=user)
    db.commit()
    assert first.id == again.id
    assert db.exec(select(FreelancerProfile).where(FreelancerProfile.user_id == user.id)).all() == [
        first
    ]


def test_a_suspended_account_cannot_become_a_seller(db):
    user = member(db)
    user.status = UserStatus.suspended
    with pytest.raises(PermissionDenied):
        profiles.become_seller(db, actor=user)


def test_the_editor_needs_a_seller_profile(db):
    user = member(db)
    with pytest.raises(PermissionDenied):
        profiles.profile_form(db, actor=user)
    with pytest.raises(PermissionDenied):
        profiles.save_profile(db, actor=user, form=good_form())


def test_a_good_form_has_no_errors_and_cleans_values():
    clean, errors = profiles.validate_profile_form(good_form(), now=NOW)
    assert errors == {}
    assert clean["skills"] == ["logo design", "figma"]
    assert clean["qualifications"][0]["year"] == 2015
    assert clean["experience"][0]["to_year"] is None


@pytest.mark.parametrize(
    ("changes", "path", "fragment"),
    [
        ({"display_name": "A"}, "display_name", "at least 2"),
        ({"headline": "Designer"}, "headline", "at least 10"),
        ({"headline": "x" * 121}, "headline", "at most 120"),
        ({"bio": "Too short."}, "bio", "at least 50"),
        ({"bio": "x" * 2001}, "bio", "at most 2,000"),
        ({"country": "XX"}, "country", "country"),
        ({"skills": []}, "skills", "at least one"),
        ({"skills": ["<script>"]}, "skills", "may use only letters"),
        ({"skills": [f"skill {i}" for i in range(16)]}, "skills", "at most 15"),
        ({"languages": []}, "languages", "at least one"),
        ({"languages": [{"language": "Klingon", "level": "fluent"}]}, "languages.0.language", ""),
        ({"languages": [{"language": "English", "level": "guru"}]}, "languages.0.level", ""),
        (
            {
                "languages": [
                    {"language": "English", "level": "fluent"},
                    {"language": "English", "level": "basic"},
                ]
            },
            "languages.1.language",
            "twice",
        ),
        (
            {
                "qualifications": [
                    {"kind": "diploma", "title": "BA", "institution": "U", "year": "1"}
                ]
            },
            "qualifications.0.kind",
            "",
        ),
        (
            {
                "qualifications": [
                    {"kind": "education", "title": "BA", "institution": "USP", "year": "2031"}
                ]
            },
            "qualifications.0.year",
            "between 1950 and 2026",
        ),
        (
            {
                "experience": [
                    {"title": "Dev", "company": "Acme", "from_year": "2020", "to_year": "2019"}
                ]
            },
            "experience.0.to_year",
            "before the start",
        ),
        (
            {"experience": [{"title": "Dev", "company": "Acme", "from_year": "twenty"}]},
            "experience.0.from_year",
            "four-digit",
        ),
        (
            {"portfolio": [{"title": "Site", "url": "javascript:alert(1)"}]},
            "portfolio.0.url",
            "https",
        ),
        ({"portfolio": [{"title": "Site", "url": "https://"}]}, "portfolio.0.url", "https"),
        (
            {"portfolio": [{"title": "S", "url": f"https://e.com/{i}"} for i in range(11)]},
            "portfolio",
            "at most 10",
        ),
    ],
)
def test_each_rule_puts_its_message_under_its_field(changes, path, fragment):
    errors = errors_of(good_form(**changes))
    assert path in errors, errors
    assert fragment in errors[path]


@settings(max_examples=150, deadline=None)
@given(
    st.recursive(
        st.none() | st.booleans() | st.integers() | st.text(max_size=50),
        lambda children: (
            st.lists(children, max_size=4)
            | st.dictionaries(st.text(max_size=12), children, max_size=4)
        ),
        max_leaves=20,
    )
)
def test_hostile_input_becomes_messages_never_exceptions(junk):
    for form in (junk, {key: junk for key in good_form()}):
        clean, errors = profiles.validate_profile_form(form, now=NOW)
        assert isinstance(errors, dict) and errors  # a junk form is never valid


def test_save_writes_everything_or_nothing(db):
    user = member(db)
    profiles.become_seller(db, actor=user)
    db.commit()
    with pytest.raises(profiles.ProfileInvalid) as refused:
        profiles.save_profile(db, actor=user, form=good_form(headline="short"))
    assert "headline" in refused.value.errors
    db.rollback()
    profile = db.exec(select(FreelancerProfile).where(FreelancerProfile.user_id == user.id)).one()
    assert profile.headline == "" and profile.skills == []

    profiles.save_profile(db, actor=user, form=good_form(display_name="  Ana   Maria  "))
    db.commit()
    db.expire_all()
    profile = db.exec(select(FreelancerProfile).where(FreelancerProfile.user_id == user.id)).one()
    assert db.get(User, user.id).display_name == "Ana Maria"
    # Languages are kept best-first, whatever order they were entered in.
    assert [row["language"] for row in profile.languages] == ["Portuguese", "English"]
    assert profile.country == "BR"
    form = profiles.profile_form(db, actor=db.get(User, user.id))
    assert form["qualifications"][0]["year"] == "2015"
    assert errors_of(form) == {}


def test_public_profile_shows_sellers_only(db):
    buyer = member(db, "Bea Buyer", "bea@example.com")
    seller = member(db)
    profiles.become_seller(db, actor=seller)
    profiles.save_profile(db, actor=seller, form=good_form())
    db.commit()
    page = profiles.public_profile(db, username=seller.username)
    assert page.display_name == "Ana Lima"
    assert page.country_name == "Brazil"
    assert (page.rating_count, page.rating_avg) == (0, 0)
    assert page.gigs == []
    for name in (buyer.username, "nobody_here", "../etc", ""):
        with pytest.raises(NotFound):
            profiles.public_profile(db, username=name)
    seller.status = UserStatus.suspended
    db.add(seller)
    db.commit()
    with pytest.raises(NotFound):
        profiles.public_profile(db, username=seller.username)

"""Builders shared by the gig editor tests: users, a category tree, a valid draft, a gig."""

import copy
import itertools

from sqlmodel import Session

from marketplace.models import Category, FreelancerProfile, Gig, User
from marketplace.services.gigs import actions as gigs

LIMITS = {"new": 4, "level_1": 10, "level_2": 20, "top_rated": 30}
DESCRIPTION = (
    "I design clean, memorable logos for small businesses and start-ups. You get original "
    "concepts, unlimited colour tweaks in the premium package and every source file you need."
)
_counter = itertools.count(1)


def make_user(
    session: Session,
    name: str = "user",
    *,
    seller: bool = False,
    level: str = "new",
    admin: bool = False,
    status: str = "active",
) -> User:
    n = next(_counter)
    user = User(
        email=f"{name}{n}@example.com",
        username=f"{name}{n}",
        display_name=f"{name.title()} {n}",
        is_admin=admin,
        status=status,
        email_verified=True,  # publishing and checkout need a confirmed address (issue 14)
    )
    session.add(user)
    session.flush()
    if seller:
        session.add(
            FreelancerProfile(
                user_id=user.id,
                level=level,
                country="PT",
                languages=[{"language": "English", "level": "fluent"}],
            )
        )
        session.flush()
    return user


def make_categories(session: Session) -> tuple[Category, Category]:
    """(a top category, one of its subcategories)."""
    n = next(_counter)
    top = Category(name="Graphics & Design", slug=f"graphics-{n}")
    session.add(top)
    session.flush()
    sub = Category(name="Logo Design", slug=f"logo-design-{n}", parent_id=top.id)
    session.add(sub)
    session.flush()
    return top, sub


VALID_DRAFT = {
    "title": "I will design a modern minimalist logo",
    "category_id": "",
    "tags": ["logo design", "Minimalist", "brand-identity"],
    "single_package": False,
    "features": ["Source file", "Logo transparency", "Vector file"],
    "packages": {
        "basic": {
            "name": "Starter",
            "description": "One concept",
            "price": "20",
            "delivery_days": "3",
            "revisions": "1",
            "features": ["Logo transparency"],
        },
        "standard": {
            "name": "Business",
            "description": "Two concepts",
            "price": "40",
            "delivery_days": "5",
            "revisions": "3",
            "features": ["Logo transparency", "Source file"],
        },
        "premium": {
            "name": "Brand kit",
            "description": "Three concepts",
            "price": "$1,200.50",
            "delivery_days": "7",
            "revisions": "unlimited",
            "features": ["Logo transparency", "Source file", "Vector file"],
        },
    },
    "extras": [
        {
            "kind": "fast_delivery",
            "title": "",
            "description": "",
            "price": "15",
            "extra_days": "2",
        },
        {
            "kind": "custom",
            "title": "Social media kit",
            "description": "Covers for five networks",
            "price": "25.50",
            "extra_days": "1",
        },
    ],
    "description": DESCRIPTION,
    "faqs": [{"question": "Do you sign an NDA?", "answer": "Yes, happily."}],
    "requirements": [
        {
            "question": "What is your business name?",
            "kind": "text",
            "choices": [],
            "required": True,
        },
        {
            "question": "Which style do you like?",
            "kind": "choice",
            "choices": ["Minimal", "Vintage"],
            "required": False,
        },
    ],
}


def valid_draft(category_id: int | str = "7", **overrides) -> dict:
    draft = copy.deepcopy(VALID_DRAFT)
    draft["category_id"] = str(category_id)
    draft.update(overrides)
    return draft


def ready_gig(session: Session, seller: User, sub: Category, *, images: int = 1) -> Gig:
    """A draft gig with a valid saved draft and `images` gallery images, ready to publish."""
    gig = gigs.create_draft_gig(session, actor=seller)
    gigs.save_draft(
        session, actor=seller, gig_id=gig.id, expected_version=1, draft=valid_draft(sub.id)
    )
    for i in range(images):
        gigs.add_gallery_image(
            session,
            actor=seller,
            gig_id=gig.id,
            name=f"{i:032x}.png",
            content_type="image/png",
            size_bytes=1000 + i,
        )
    return gig


def published_gig(session: Session, seller: User, sub: Category) -> Gig:
    """An active gig (auto-approved)."""
    gig = ready_gig(session, seller, sub)
    gigs.publish_gig(
        session,
        actor=seller,
        gig_id=gig.id,
        expected_version=gig.version,
        settings_auto_approve=True,
        active_gig_limits=LIMITS,
    )
    return gig

"""Favourites: save and unsave active gigs, the list, and the save counts in My gigs."""

import pytest
from sqlmodel import Session, SQLModel

from marketplace.db import make_engine
from marketplace.models import GigStatus
from marketplace.services.common.errors import NotFound, PermissionDenied
from marketplace.services.gigs import favorites
from marketplace.services.gigs import pages as gig_pages
from tests.gig_fixtures import make_categories, make_user, published_gig


@pytest.fixture
def db(tmp_path):
    engine = make_engine(f"sqlite:///{tmp_path / 'favorites.db'}")
    SQLModel.metadata.create_all(engine)
    with Session(engine, expire_on_commit=False) as session:
        yield session
    engine.dispose()


def test_saving_is_idempotent_and_counts_in_my_gigs(db):
    seller = make_user(db, "seller", seller=True)
    fans = [make_user(db, "fan") for _ in range(3)]
    _, sub = make_categories(db)
    gig = published_gig(db, seller, sub)
    for fan in fans:
        assert favorites.set_favorite(db, actor=fan, gig_id=gig.id, saved=True)
    assert favorites.set_favorite(db, actor=fans[0], gig_id=gig.id, saved=True)
    db.flush()
    row = gig_pages.my_gigs(db, actor=seller, status=None).rows[0]
    assert row.saves == 3
    assert not favorites.set_favorite(db, actor=fans[0], gig_id=gig.id, saved=False)
    db.flush()
    assert gig_pages.my_gigs(db, actor=seller, status=None).rows[0].saves == 2
    assert favorites.saved_gig_ids(db, user_id=fans[1].id) == [gig.id]
    page = favorites.my_favorites(db, actor=fans[1])
    assert page.total == 1 and page.cards[0].id == gig.id


def test_only_active_gigs_can_be_saved_and_the_list_hides_gigs_off_sale(db):
    seller = make_user(db, "seller", seller=True)
    fan = make_user(db, "fan")
    _, sub = make_categories(db)
    gig = published_gig(db, seller, sub)
    favorites.set_favorite(db, actor=fan, gig_id=gig.id, saved=True)
    gig.status = GigStatus.paused.value
    db.add(gig)
    db.flush()
    assert favorites.my_favorites(db, actor=fan).total == 0
    with pytest.raises(NotFound):
        favorites.set_favorite(db, actor=fan, gig_id=gig.id, saved=True)
    for bad in ("1", True, 0, -4, None):
        with pytest.raises(NotFound):
            favorites.set_favorite(db, actor=fan, gig_id=bad, saved=True)
    with pytest.raises(PermissionDenied):
        favorites.set_favorite(db, actor=None, gig_id=gig.id, saved=True)

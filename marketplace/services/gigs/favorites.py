"""Favourites: a member saves gigs to come back to; sellers see how many saved each gig."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from sqlalchemy import bindparam, delete, func
from sqlmodel import Session, col, select

from marketplace.db import utcnow
from marketplace.models import Favorite, Gig, GigStatus, User
from marketplace.services.common.errors import NotFound
from marketplace.services.common.guards import require_active_user
from marketplace.services.gigs import catalog

PER_PAGE = 24
MAX_SAVED_IDS = 1_000  # the hearts a page can show as filled: the newest saves


def _gig_id(value: Any) -> int:
    if isinstance(value, bool) or not isinstance(value, int) or value < 1:
        raise NotFound("There is no such gig.")
    return value


def set_favorite(session: Session, *, actor: User | None, gig_id: Any, saved: Any) -> bool:
    """Save (an active gig) or unsave; idempotent. Returns whether it is saved now."""
    actor = require_active_user(actor)
    gig_id = _gig_id(gig_id)
    if not isinstance(saved, bool):
        raise NotFound("There is no such gig.")
    if not saved:
        session.execute(
            delete(Favorite).where(
                col(Favorite.user_id) == actor.id, col(Favorite.gig_id) == gig_id
            )
        )
        return False
    status = session.exec(select(Gig.status).where(Gig.id == gig_id)).first()
    if status != GigStatus.active.value:
        raise NotFound("This gig is not available.")
    if session.get(Favorite, (actor.id, gig_id)) is None:
        session.add(Favorite(user_id=actor.id, gig_id=gig_id, created_at=utcnow()))
    return True


# Built once: the header's hearts are re-read on every signed-in navigation.
_SAVED_IDS = (
    select(Favorite.gig_id)
    .where(Favorite.user_id == bindparam("user_id"))
    .order_by(col(Favorite.created_at).desc())
    .limit(MAX_SAVED_IDS)
)


def saved_gig_ids(session: Session, *, user_id: int) -> list[int]:
    return list(session.exec(_SAVED_IDS, params={"user_id": user_id}).all())


@dataclass(frozen=True)
class FavoritesPage:
    cards: list[catalog.GigCard]
    total: int  # saved gigs that are still on sale
    page: int
    page_count: int


def my_favorites(session: Session, *, actor: User | None, page: Any = 1) -> FavoritesPage:
    """The actor's saved gigs that are still active, newest save first, a page at a time."""
    actor = require_active_user(actor)
    page = page if isinstance(page, int) and not isinstance(page, bool) else 1
    active = (
        Favorite.user_id == actor.id,
        col(Gig.id) == Favorite.gig_id,
        Gig.status == GigStatus.active.value,
    )
    total = int(
        session.exec(select(func.count()).select_from(Favorite).join(Gig).where(*active)).one()
    )
    page_count = max(1, -(-total // PER_PAGE))
    page = max(1, min(page, page_count))
    ids = list(
        session.exec(
            select(Favorite.gig_id)
            .join(Gig, col(Gig.id) == Favorite.gig_id)
            .where(*active)
            .order_by(col(Favorite.created_at).desc(), col(Favorite.gig_id).desc())
            .limit(PER_PAGE)
            .offset((page - 1) * PER_PAGE)
        ).all()
    )
    return FavoritesPage(
        cards=catalog.cards_for_gigs(session, gig_ids=ids),
        total=total,
        page=page,
        page_count=page_count,
    )

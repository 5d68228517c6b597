"""What the header's search box suggests while someone types: matching categories (from the
database, a small table) and a few gig titles (from Meilisearch, or the database when it is
down). Each suggestion carries the address it opens."""

from __future__ import annotations

import logging
from dataclasses import dataclass

import meilisearch
from sqlmodel import Session, col, select

from marketplace.models import Gig, GigStatus
from marketplace.services.gigs.catalog import _escape_like
from marketplace.services.search import gig_search
from marketplace.settings import Settings, get_settings
from search.index import index_name
from search.query import HIGHLIGHT_POST, HIGHLIGHT_PRE, MAX_QUERY_LENGTH, highlight_segments

log = logging.getLogger(__name__)

MAX_CATEGORIES = 3
MAX_GIGS = 5
MIN_CHARACTERS = 2


@dataclass(frozen=True)
class Suggestion:
    kind: str  # "category" or "gig"
    label: str
    detail: str  # the parent category of a subcategory, "" otherwise
    href: str
    segments: list[tuple[str, bool]]  # the label with the typed words marked


def category_path(slug: str, parent_slug: str = "") -> str:
    return f"/categories/{parent_slug}/{slug}" if parent_slug else f"/categories/{slug}"


def _mark(label: str, words: list[str]) -> list[tuple[str, bool]]:
    """The label split where it contains the first typed word (case-insensitive)."""
    lowered = label.casefold()
    for word in words:
        at = lowered.find(word)
        if at >= 0:
            pieces = [(label[:at], False), (label[at : at + len(word)], True)]
            pieces.append((label[at + len(word) :], False))
            return [(text, marked) for text, marked in pieces if text]
    return [(label, False)]


def suggest(
    session: Session,
    *,
    text: str,
    settings: Settings | None = None,
    client: meilisearch.Client | None = None,
) -> list[Suggestion]:
    """Categories whose name contains the typed words, then up to MAX_GIGS gig titles."""
    if not isinstance(text, str):
        return []
    text = " ".join(text.split())[:MAX_QUERY_LENGTH]
    if len(text) < MIN_CHARACTERS:
        return []
    words = text.casefold().split()
    names = gig_search.category_names(session)
    categories = [
        Suggestion(
            "category",
            item.name,
            names[item.parent_slug].name if item.parent_slug in names else "",
            category_path(slug, item.parent_slug),
            _mark(item.name, words),
        )
        for slug, item in names.items()
        if all(word in item.name.casefold() for word in words)
    ]
    categories.sort(key=lambda s: (bool(s.detail), len(s.label), s.label))
    return categories[:MAX_CATEGORIES] + _gig_titles(session, text, settings, client)


def _gig_titles(session, text, settings, client) -> list[Suggestion]:
    settings = settings or get_settings()
    if not gig_search.breaker.open():
        try:
            found = gig_search.reader(settings, client).search(
                index_name(settings.meili_index_prefix),
                text,
                {
                    "limit": MAX_GIGS,
                    "attributesToRetrieve": ["slug", "title"],
                    "attributesToHighlight": ["title"],
                    "highlightPreTag": HIGHLIGHT_PRE,
                    "highlightPostTag": HIGHLIGHT_POST,
                },
            )
        except Exception as exc:  # down or unreachable: the database answers
            log.warning("suggestions: Meilisearch failed (%s); answering from the database", exc)
            gig_search.breaker.trip()
        else:
            return [
                Suggestion(
                    "gig",
                    str(hit.get("title", "")),
                    "",
                    f"/gig/{hit.get('slug', '')}",
                    highlight_segments(
                        str((hit.get("_formatted") or {}).get("title") or hit.get("title", ""))
                    ),
                )
                for hit in found.get("hits", [])
            ]
    words = text.casefold().split()[:8]
    statement = select(Gig.slug, Gig.title).where(Gig.status == GigStatus.active.value)
    for word in words:
        statement = statement.where(col(Gig.title).ilike(f"%{_escape_like(word)}%", escape="\\"))
    rows = session.exec(
        statement.order_by(col(Gig.orders_completed).desc(), col(Gig.id)).limit(MAX_GIGS)
    ).all()
    return [
        Suggestion("gig", title, "", f"/gig/{slug}", _mark(title, words)) for slug, title in rows
    ]

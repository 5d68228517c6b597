"""The hearts on gig cards and gig pages, and `/my/favorites`.

A visitor's click remembers the gig in this tab's state (server side) and sends them to sign
in; the page they come back to saves it (`load_viewer_and_hearts` runs on every page).
Nothing from the URL can save a gig, so a link cannot make anyone favourite anything.
"""

import contextlib
from urllib.parse import urlencode

import reflex as rx

from marketplace.db import session_scope
from marketplace.services.common.errors import DomainError
from marketplace.services.gigs import favorites
from marketplace.state.base import AppState, public, sign_in_page
from marketplace.state.event_args import index_arg
from marketplace.state.view_models import GigCardView


class FavoritesState(AppState):
    saved_ids: list[int] = []
    _pending_gig: int = 0  # a visitor's heart click, saved once they have signed in

    def _here(self) -> str:
        url = self.router.url
        query = dict(url.query_parameters) if url.query_parameters else {}
        return (url.path or "/") + ("?" + urlencode(query) if query else "")

    @rx.event
    @public
    def load_viewer_and_hearts(self):
        """On every page: who is signed in (the header, AppState's vars) and which hearts are
        filled; saves a visitor's click after sign-in. One handler for both: one session
        lookup and one event per navigation instead of two. The busiest pages (search, a gig)
        call `_refresh_viewer_and_hearts` from their own on_load instead (`page(...,
        loads_viewer=True)`): an event fewer per navigation."""
        self._refresh_viewer_and_hearts()

    def _refresh_viewer_and_hearts(self) -> None:
        user = self._current_user()
        if user is None:
            self._forget_viewer()
            self._assign(saved_ids=[])
            return
        with session_scope() as session:
            self._show_viewer(session, user)
            if self._pending_gig:
                with contextlib.suppress(DomainError):  # the gig went off sale meanwhile
                    favorites.set_favorite(
                        session, actor=user, gig_id=self._pending_gig, saved=True
                    )
                self._pending_gig = 0
            self._assign(saved_ids=favorites.saved_gig_ids(session, user_id=user.id))

    @rx.event
    @public
    def toggle_favorite(self, gig_id: int):
        gig_id = index_arg(gig_id)
        if gig_id < 1:
            return
        user = self._current_user()
        if user is None:
            self._pending_gig = gig_id
            return sign_in_page(self._here())
        wanted = gig_id not in self.saved_ids
        try:
            with session_scope() as session:
                favorites.set_favorite(session, actor=user, gig_id=gig_id, saved=wanted)
        except DomainError as exc:
            return rx.toast.error(str(exc))
        if wanted:
            self.saved_ids = [gig_id, *self.saved_ids][: favorites.MAX_SAVED_IDS]
        else:
            self.saved_ids = [i for i in self.saved_ids if i != gig_id]


class FavoritesPageState(AppState):
    loading: bool = True
    cards: list[GigCardView] = []
    total: int = 0
    page_number: int = 1
    page_count: int = 1

    def _fetch(self, user, page: int) -> None:
        with session_scope() as session:
            found = favorites.my_favorites(session, actor=user, page=page)
        self.cards = [GigCardView.from_card(card) for card in found.cards]
        self.total, self.page_number, self.page_count = found.total, found.page, found.page_count

    @rx.event
    def load(self):
        user = self._require_user()
        self.loading = True
        yield
        self._fetch(user, 1)
        self.loading = False

    @rx.event
    def go_to_page(self, page: int):
        user = self._require_user()
        self._fetch(user, index_arg(page))

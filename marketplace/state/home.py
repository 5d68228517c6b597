"""Home page data: category tiles and popular gig cards (a bounded list, never a whole table)."""

import logging

import reflex as rx
from sqlalchemy.exc import SQLAlchemyError

from marketplace.db import session_scope
from marketplace.services.gigs import catalog
from marketplace.state.base import AppState, public
from marketplace.state.view_models import CategoryView, GigCardView

POPULAR_GIGS_SHOWN = 8
log = logging.getLogger(__name__)


class HomeState(AppState):
    categories: list[CategoryView] = []
    popular: list[GigCardView] = []
    loaded: bool = False
    load_error: str = ""

    @rx.event
    @public
    def load(self):
        """on_load: read the catalogue summary; a database failure shows a message, not a crash."""
        try:
            with session_scope() as session:
                self.categories = [
                    CategoryView.from_summary(c) for c in catalog.top_categories(session)
                ]
                self.popular = [
                    GigCardView.from_card(g)
                    for g in catalog.popular_gigs(session, limit=POPULAR_GIGS_SHOWN)
                ]
            self.load_error = ""
        except SQLAlchemyError:
            log.exception("home page: catalogue query failed")
            self.load_error = "The marketplace is unavailable right now. Please try again."
        finally:
            self.loaded = True

"""The header's menu at phone width (where the header has no room for Explore): Explore and
the top categories, read when the menu first opens, not on every page."""

import dataclasses

import reflex as rx

from marketplace.db import session_scope
from marketplace.services.gigs import catalog
from marketplace.state.base import AppState, public


@dataclasses.dataclass
class NavCategory:
    name: str = ""
    icon: str = ""
    href: str = ""


class NavState(AppState):
    nav_open: bool = False
    nav_categories: list[NavCategory] = []

    @rx.event
    @public
    def set_nav_open(self, value: bool):
        """The menu button (and Escape or a click outside) open and close the menu."""
        self.nav_open = value is True
        if self.nav_open and not self.nav_categories:
            with session_scope() as session:
                self.nav_categories = [
                    NavCategory(c.name, c.icon, f"/categories/{c.slug}")
                    for c in catalog.top_categories(session)
                ]

    @rx.event
    @public
    def close_nav(self):
        """A link in the menu was followed: the menu closes (the next page may be this one)."""
        self.nav_open = False

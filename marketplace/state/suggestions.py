"""The header box's suggestions as you type: categories and a few gig titles, chosen with the
mouse or the keyboard (Up/Down move, Enter opens the one chosen with the keys or searches,
Escape closes; the pointer's hover is only a highlight). Lookups run in a background event
with a sequence number, so a slow answer never replaces a newer one."""

from __future__ import annotations

import asyncio
import dataclasses
import logging

import reflex as rx

from marketplace.db import session_scope
from marketplace.services.search import suggestions as search_suggestions
from marketplace.state.base import AppState, public
from search.query import MAX_QUERY_LENGTH

log = logging.getLogger(__name__)


@dataclasses.dataclass
class SuggestionSegment:
    text: str = ""
    marked: bool = False


@dataclasses.dataclass
class SuggestionView:
    index: int = 0
    kind: str = ""  # "category" or "gig"
    icon: str = ""
    label: str = ""
    detail: str = ""
    href: str = ""
    segments: list[SuggestionSegment] = dataclasses.field(default_factory=list)


def _lookup(text: str) -> list[SuggestionView]:
    with session_scope() as session:
        found = search_suggestions.suggest(session, text=text)
    return [
        SuggestionView(
            index=number,
            kind=item.kind,
            icon="layout-grid" if item.kind == "category" else "search",
            label=item.label,
            detail=("in " + item.detail) if item.detail else "",
            href=item.href,
            segments=[SuggestionSegment(text, marked) for text, marked in item.segments],
        )
        for number, item in enumerate(found)
    ]


class SuggestState(AppState):
    suggestions: list[SuggestionView] = []
    suggest_open: bool = False
    suggest_active: int = -1  # the suggestion chosen with Up/Down, -1 for none
    suggest_sequence: int = 0
    suggest_left: str = ""  # the words of the last search sent: a late lookup of them is dropped

    @rx.event(background=True)
    @public
    async def suggest_type(self, text: str):
        """The header box's words changed (debounced in the browser)."""
        if not isinstance(text, str):
            return
        text = " ".join(text.split())[:MAX_QUERY_LENGTH]
        async with self:
            self.suggest_sequence += 1
            mine = self.suggest_sequence
            if text == self.suggest_left:
                return
            self.suggest_left = ""
        try:
            found = await asyncio.to_thread(_lookup, text) if text else []
        except Exception:  # a suggestion is a nicety: never an error on screen
            log.exception("suggestions failed")
            found = []
        async with self:
            if self.suggest_sequence != mine:
                return
            self.suggestions = found
            self.suggest_active = -1
            self.suggest_open = bool(found)

    @rx.event
    @public
    def suggest_key(self, key: str):
        """Up/Down move through the list (and open it again), Escape closes it."""
        if not isinstance(key, str):
            return
        count = len(self.suggestions)
        if key == "Escape":
            self.suggest_open, self.suggest_active = False, -1
        elif key in ("ArrowDown", "ArrowUp") and count:
            if not self.suggest_open:
                self.suggest_open, self.suggest_active = True, -1
            step = 1 if key == "ArrowDown" else -1
            start = self.suggest_active if self.suggest_active >= 0 else (-1 if step > 0 else 0)
            self.suggest_active = (start + step) % count

    @rx.event
    @public
    def suggest_choose(self, index: int):
        """A click (mouse down, before the box loses focus) on one suggestion."""
        if not isinstance(index, int) or not 0 <= index < len(self.suggestions):
            return
        return self._open(self.suggestions[index].href)

    @rx.event
    @public
    def suggest_close(self):
        self.suggest_open, self.suggest_active = False, -1

    @rx.event
    @public
    def suggest_submit(self, form_data: dict):
        """Enter or the Search button: the suggestion chosen with Up/Down if there is one, else a
        search for the words (whatever the pointer rests on)."""
        if self.suggest_open and 0 <= self.suggest_active < len(self.suggestions):
            return self._open(self.suggestions[self.suggest_active].href)
        raw = form_data.get("q", "") if isinstance(form_data, dict) else ""
        self.suggest_left = " ".join(raw.split())[:MAX_QUERY_LENGTH] if isinstance(raw, str) else ""
        self.suggest_sequence += 1
        self.suggest_open, self.suggest_active = False, -1
        return AppState.go_to_search(form_data if isinstance(form_data, dict) else {})

    def _open(self, href: str):
        self.suggest_sequence += 1
        self.suggest_open, self.suggest_active = False, -1
        return rx.redirect(href)

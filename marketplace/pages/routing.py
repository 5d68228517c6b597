"""A page decorator (in the manner of reflex-dev/templates' dashboard): wraps the page in the
shell and records its route, title and on_load so marketplace.py registers every page at once."""

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

import reflex as rx

from marketplace.components.layout import page_shell
from marketplace.state.favorites import FavoritesState


@dataclass(frozen=True)
class PageSpec:
    route: str
    title: str | rx.Var
    component: Callable[[], rx.Component]
    on_load: Any = None


REGISTERED_PAGES: list[PageSpec] = []


def page(
    route: str,
    title: str | rx.Var,
    on_load: Any = None,
    search_query: rx.Var[str] | None = None,
    header_search: bool = True,
    loads_viewer: bool = False,
):
    """`search_query`: a state var holding the page's search, for the header's search box.
    `header_search=False`: the page has its own search box (no second one in the header).
    `loads_viewer=True`: the page's on_load refreshes the header's viewer and the hearts
    itself (`FavoritesState._refresh_viewer_and_hearts`), one event fewer per navigation."""

    def decorator(render: Callable[[], rx.Component]) -> Callable[[], rx.Component]:
        def wrapped() -> rx.Component:
            return page_shell(render(), search_query, header_search)

        wrapped.__name__ = render.__name__
        # Every page first refreshes who is signed in (for the header) and the filled hearts,
        # then loads its data.
        handlers = [] if loads_viewer else [FavoritesState.load_viewer_and_hearts]
        if isinstance(on_load, list | tuple):  # several handlers, run in order
            handlers += list(on_load)
        elif on_load is not None:
            handlers.append(on_load)
        REGISTERED_PAGES.append(
            PageSpec(route=route, title=title, component=wrapped, on_load=handlers)
        )
        return wrapped

    return decorator

"""A page decorator (in the manner of reflex-dev/templates' dashboard): wraps the page in the
shell and records its route, title and on_load so marketplace.py registers every page at once."""

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

import reflex as rx

from marketplace.components.layout import page_shell


@dataclass(frozen=True)
class PageSpec:
    route: str
    title: str
    component: Callable[[], rx.Component]
    on_load: Any = None


REGISTERED_PAGES: list[PageSpec] = []


def page(route: str, title: str, on_load: Any = None):
    def decorator(render: Callable[[], rx.Component]) -> Callable[[], rx.Component]:
        def wrapped() -> rx.Component:
            return page_shell(render())

        wrapped.__name__ = render.__name__
        REGISTERED_PAGES.append(
            PageSpec(route=route, title=title, component=wrapped, on_load=on_load)
        )
        return wrapped

    return decorator

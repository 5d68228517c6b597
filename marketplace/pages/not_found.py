"""Every address no page matches: Reflex's "404" route, answered by the server with HTTP 404."""

import reflex as rx

from marketplace.components.layout import content_column
from marketplace.components.not_found import not_found_panel
from marketplace.pages.routing import page

PAGE_NOT_FOUND_TITLE = "Page not found · Gigworks"


@page("404", PAGE_NOT_FOUND_TITLE)
def page_not_found() -> rx.Component:
    return content_column(
        not_found_panel(
            "map-pin-off",
            "We couldn't find that page",
            "The address may be mistyped, or the page has moved. Search for a service, or "
            "start again from the home page.",
            "page-not-found",
        )
    )

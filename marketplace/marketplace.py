"""Builds the Reflex app: theme, pages and the HTTP routes. No logic lives here."""

import reflex as rx

import marketplace.pages.account_links  # noqa: F401  (issue 14)
import marketplace.pages.account_settings  # noqa: F401  (issue 14)
import marketplace.pages.admin  # noqa: F401  (moderation: /admin/*)
import marketplace.pages.admin_pro  # noqa: F401
import marketplace.pages.auth  # noqa: F401
import marketplace.pages.checkout  # noqa: F401
import marketplace.pages.earnings  # noqa: F401
import marketplace.pages.favorites  # noqa: F401
import marketplace.pages.gig  # noqa: F401
import marketplace.pages.gig_editor  # noqa: F401
import marketplace.pages.home  # noqa: F401  (each page module registers its page)
import marketplace.pages.inbox  # noqa: F401  (messaging)
import marketplace.pages.level  # noqa: F401
import marketplace.pages.my_gigs  # noqa: F401
import marketplace.pages.not_found  # noqa: F401
import marketplace.pages.order  # noqa: F401
import marketplace.pages.orders  # noqa: F401
import marketplace.pages.pro_apply  # noqa: F401
import marketplace.pages.profile  # noqa: F401
import marketplace.pages.search  # noqa: F401
import marketplace.pages.status  # noqa: F401
from marketplace import backend_tuning, socket_json
from marketplace.api import MissingPageStatus, build_api
from marketplace.components.theme import GLOBAL_STYLE
from marketplace.pages.routing import REGISTERED_PAGES
from marketplace.state.base import sign_in_redirect
from marketplace.state.live import relay_notifications

app = rx.App(
    style=GLOBAL_STYLE,
    # Our routes first, then the 404 status for missing gigs and sellers around everything.
    api_transformer=[build_api(), MissingPageStatus],
    backend_exception_handler=sign_in_redirect,
    # One place for every toast, away from the header's search box; a toast names no position
    # of its own (tests/unit/test_toasts.py).
    toaster=rx.toast.provider(position="bottom-right"),
)
socket_json.install(app)  # state updates encoded with orjson (same JSON, less CPU)
backend_tuning.install()  # Reflex's disk state purge: once a minute, not every 2 s
app.register_lifespan_task(backend_tuning.freeze_startup_heap)

# Every web process pushes notifications written elsewhere (the worker, the CLI) to open tabs.
app.register_lifespan_task(relay_notifications)

for spec in REGISTERED_PAGES:
    app.add_page(spec.component, route=spec.route, title=spec.title, on_load=spec.on_load)

"""Reflex configuration. The database URL and Redis come from marketplace.settings."""

import os

import reflex as rx
from reflex.plugins.sitemap import SitemapPlugin

from marketplace.components.theme import APP_THEME
from marketplace.settings import get_settings

_settings = get_settings()

# One process without Redis keeps its page states on disk: in the data folder, beside the
# database they were read from, so each app (a `make run`, a test or benchmark stack) has its own.
os.environ.setdefault("REFLEX_STATES_WORKDIR", str(_settings.data_dir / "states"))

config = rx.Config(
    app_name="marketplace",
    db_url=_settings.database_url,
    redis_url=_settings.redis_url,
    telemetry_enabled=False,
    show_built_with_reflex=False,
    frozen_lockfile=True,
    plugins=[
        rx.plugins.TailwindV4Plugin(),
        rx.plugins.RadixThemesPlugin(theme=rx.theme(**APP_THEME)),
    ],
    disable_plugins=[SitemapPlugin],
)

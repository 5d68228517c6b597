"""Reflex configuration. The database URL and Redis come from marketplace.settings."""

import reflex as rx
from reflex.plugins.sitemap import SitemapPlugin

from marketplace.components.theme import APP_THEME
from marketplace.settings import get_settings

_settings = get_settings()

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

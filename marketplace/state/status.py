"""`/status`: whether the marketplace's database, search and payments answer, in words.

The probes are services/common/health.py's (the same as `/_health`, which monitors read as
JSON); this state only turns the report into sentences and never shows a probe's detail
(exception text can name hosts and settings)."""

import asyncio
import dataclasses

import reflex as rx

from marketplace.db import get_engine, utcnow
from marketplace.services.common import health
from marketplace.settings import get_settings
from marketplace.state.base import AppState, public

# (probe name, what a visitor calls it, what works when it answers, what happens when not)
PARTS = [
    (
        "database",
        "Accounts, gigs and orders",
        "Answering.",
        "Not answering: pages cannot load and orders cannot be placed.",
    ),
    (
        "meilisearch",
        "Search",
        "Answering.",
        "Not answering: searches are answered from the database, more slowly and without "
        "typo tolerance.",
    ),
    (
        "stripe",
        "Payments",
        "Answering.",
        "Not answering: checkout and payouts wait until it is back.",
    ),
]

HEADLINES = {
    "ok": "All systems are working.",
    "degraded": "Gigworks works, with slower search.",
    "down": "Gigworks is having problems.",
}


@dataclasses.dataclass
class StatusRowView:
    name: str = ""
    ok: bool = False
    words: str = ""


def status_rows(report: dict) -> list[StatusRowView]:
    """health.overall's report as one sentence per part, without the probes' details."""
    checks = report["checks"]
    return [
        StatusRowView(label, bool(checks[name]["ok"]), up if checks[name]["ok"] else down)
        for name, label, up, down in PARTS
    ]


class StatusState(AppState):
    status: str = ""  # "", "ok", "degraded" or "down"
    rows: list[StatusRowView] = []
    checked_at: str = ""

    @rx.event(background=True)
    @public
    async def check(self):
        """on_load: probe the three services (each gives up after two seconds) in a background
        event, so the probes' network calls never hold this client's state lock."""
        report = await asyncio.to_thread(health.overall, get_settings(), get_engine())
        async with self:
            self.rows = status_rows(report)
            self.status = report["status"]
            self.checked_at = utcnow().strftime("%-d %b %Y, %H:%M UTC")

    @rx.var
    def headline(self) -> str:
        return HEADLINES.get(self.status, "Checking…")

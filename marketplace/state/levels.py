"""`/my/level`: the seller's level, and each metric against the next level's threshold."""

import dataclasses

import reflex as rx

from marketplace.db import session_scope
from marketplace.labels import seller_level_label
from marketplace.services.common.errors import DomainError
from marketplace.services.reviews import levels
from marketplace.state.base import AppState
from marketplace.state.format import money


@dataclasses.dataclass
class MetricRowView:
    label: str = ""
    value: str = ""
    target: str = ""
    percent: int = 0
    met: bool = False


def _shown(metric: str, value: float | None) -> str:
    if value is None:
        return "—"
    if metric == "earnings":
        return money(round(value * 100))
    if metric in ("on_time", "response"):
        return f"{value:.0f}%"
    if metric == "rating":
        return f"{value:.1f}"
    return f"{value:,.0f}"


class LevelState(AppState):
    loading: bool = True
    error: str = ""
    level: str = ""
    next_level: str = ""
    rows: list[MetricRowView] = []
    warnings: int = 0
    window_days: int = 0
    gig_limit: int = 0
    next_gig_limit: int = 0
    evaluated: str = ""
    active_gigs: int = 0
    gig_limit_note: str = ""
    at_risk: str = ""  # the grace-period notice, "" when on track

    @rx.event
    def load(self):
        user = self._require_user()
        self.loading = True
        yield
        try:
            with session_scope() as session:
                found = levels.progress(session, actor=user)
        except DomainError as exc:
            self.error, self.loading = str(exc), False
            return
        self.error = ""
        self.level = seller_level_label(found.level)
        self.next_level = seller_level_label(found.next_level) if found.next_level else ""
        self.rows = [
            MetricRowView(
                label=row.label,
                value=_shown(row.metric, row.value),
                target=_shown(row.metric, row.target),
                percent=row.percent,
                met=row.met,
            )
            for row in found.metrics
        ]
        self.warnings = found.warnings
        self.window_days = found.window_days
        self.gig_limit, self.next_gig_limit = found.active_gig_limit, found.next_gig_limit
        self.evaluated = found.evaluated_at.strftime("%b %d, %Y") if found.evaluated_at else ""
        self.active_gigs, self.gig_limit_note = found.active_gigs, found.gig_limit_note
        self.at_risk = (
            f"You are below {self.level}'s requirements ({', '.join(found.missed).lower()}). "
            f"Meet them again by {found.grace_until:%b %d, %Y} to keep your level; otherwise "
            f"you move to {seller_level_label(found.falls_to)}, one level down."
            if found.grace_until
            else ""
        )
        self.loading = False

"""Reachability of the three things the marketplace cannot work without."""

import time
from dataclasses import asdict, dataclass

import httpx
from sqlalchemy import text
from sqlalchemy.engine import Engine

from marketplace.settings import Settings

PROBE_TIMEOUT_S = 2.0


@dataclass(frozen=True)
class Probe:
    name: str
    ok: bool
    latency_ms: float
    detail: str


def _timed(name: str, check) -> Probe:
    started = time.perf_counter()
    try:
        detail = check()
        ok = True
    except Exception as exc:  # noqa: BLE001 - a probe reports any failure, it never raises
        detail, ok = f"{type(exc).__name__}: {exc}"[:300], False
    return Probe(name, ok, round((time.perf_counter() - started) * 1000, 1), detail)


def check_database(engine: Engine) -> Probe:
    def run() -> str:
        with engine.connect() as connection:
            connection.execute(text("SELECT 1"))
        return engine.dialect.name

    return _timed("database", run)


def check_meilisearch(settings: Settings) -> Probe:
    def run() -> str:
        response = httpx.get(f"{settings.meili_url}/health", timeout=PROBE_TIMEOUT_S)
        response.raise_for_status()
        return response.json().get("status", "unknown")

    return _timed("meilisearch", run)


def check_stripe(settings: Settings) -> Probe:
    """An authenticated read, so a wrong key shows up here and not at the first checkout."""

    def run() -> str:
        base = settings.stripe_api_base or "https://api.stripe.com"
        response = httpx.get(
            f"{base}/v1/customers",
            params={"limit": 1},
            auth=(settings.stripe_secret_key, ""),
            timeout=PROBE_TIMEOUT_S,
        )
        response.raise_for_status()
        return "local" if settings.stripe_is_local else "stripe"

    return _timed("stripe", run)


def overall(settings: Settings, engine: Engine) -> dict:
    """`ok` only when all three answer. `status` says what users get: "ok"; "degraded" when
    only Meilisearch is down (search answers from the database, with a notice, and the outbox
    catches up later); "down" when the database or Stripe does not answer. `search` names
    the engine searches are answered from right now."""
    probes = [check_database(engine), check_meilisearch(settings), check_stripe(settings)]
    by_name = {p.name: p for p in probes}
    if all(p.ok for p in probes):
        status = "ok"
    elif by_name["database"].ok and by_name["stripe"].ok:
        status = "degraded"
    else:
        status = "down"
    search = "meilisearch" if by_name["meilisearch"].ok else "database (fallback)"
    if not by_name["database"].ok:
        search = "unavailable"
    return {
        "ok": status == "ok",
        "status": status,
        "search": search,
        "checks": {p.name: asdict(p) for p in probes},
    }

"""The health report names what is down instead of pretending all is well."""

from devservices.process import free_port
from marketplace.db import make_engine
from marketplace.services.common import health
from marketplace.settings import load_settings


def test_unreachable_services_are_reported_as_down(tmp_path):
    dead = free_port()
    settings = load_settings(
        {
            "GIGWORKS_DATA_DIR": str(tmp_path),
            "MEILI_URL": f"http://127.0.0.1:{dead}",
            "MEILI_MASTER_KEY": "x" * 24,
            "STRIPE_API_BASE": f"http://127.0.0.1:{dead}",
        }
    )
    engine = make_engine(settings.database_url)
    report = health.overall(settings, engine)
    engine.dispose()
    assert report["ok"] is False
    assert report["checks"]["database"]["ok"] is True
    assert report["checks"]["meilisearch"]["ok"] is False
    assert report["checks"]["stripe"]["ok"] is False
    assert "ConnectError" in report["checks"]["stripe"]["detail"]


def test_meilisearch_down_alone_is_degraded_not_down(tmp_path, stripe_server):
    """Search still answers from the database, so the app is degraded (HTTP 200), not down."""
    settings = load_settings(
        {
            "GIGWORKS_DATA_DIR": str(tmp_path),
            "MEILI_URL": f"http://127.0.0.1:{free_port()}",
            "MEILI_MASTER_KEY": "x" * 24,
            "STRIPE_API_BASE": stripe_server.url,
        }
    )
    engine = make_engine(settings.database_url)
    report = health.overall(settings, engine)
    engine.dispose()
    assert report["checks"]["stripe"]["ok"] is True, report
    assert report["checks"]["meilisearch"]["ok"] is False
    assert (report["ok"], report["status"]) == (False, "degraded")
    assert report["search"] == "database (fallback)"

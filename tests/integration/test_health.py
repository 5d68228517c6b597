"""The health report names what is down instead of pretending all is well."""

from devservices.process import free_port
from marketplace.db import make_engine
from marketplace.services import health
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

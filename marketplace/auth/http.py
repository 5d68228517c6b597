"""HTTP routes that own the session cookie: the sign-in handoff and sign-out.

Reflex events travel over a websocket and cannot set an HttpOnly cookie, so a sign-in made in
a Reflex form ends with a full-page visit to /auth/handoff carrying a signed, short-lived,
single-use ticket; this route sets the cookie and redirects on. Sign-out is a POST (a link
cannot sign anyone out from another site) that revokes the server-side session row.
"""

import asyncio

from starlette.requests import Request
from starlette.responses import RedirectResponse, Response
from starlette.routing import Route

from marketplace.auth import cookies
from marketplace.db import session_scope
from marketplace.services.accounts import members as accounts
from marketplace.settings import get_settings


def set_session_cookie(response: Response, token: str) -> None:
    settings = get_settings()
    response.set_cookie(
        cookies.SESSION_COOKIE,
        cookies.sign_session(settings.secret_key, token),
        max_age=cookies.SESSION_MAX_AGE_S,
        httponly=True,
        samesite="lax",
        secure=settings.app_url.startswith("https://"),
        path="/",
    )


def clear_session_cookie(response: Response) -> None:
    response.delete_cookie(cookies.SESSION_COOKIE, path="/", httponly=True, samesite="lax")


def session_token_from_request(request: Request) -> str | None:
    return cookies.read_session(
        get_settings().secret_key, request.cookies.get(cookies.SESSION_COOKIE)
    )


def _activate(token: str) -> bool:
    with session_scope() as session:
        return accounts.activate_session(session, token=token)


async def handoff(request: Request) -> Response:
    ticket = cookies.read_handoff(get_settings().secret_key, request.query_params.get("t", ""))
    if ticket is None:
        return RedirectResponse("/login?error=expired", status_code=303)
    token, next_path = ticket
    if not await asyncio.to_thread(_activate, token):
        return RedirectResponse("/login?error=expired", status_code=303)
    response = RedirectResponse(next_path, status_code=303)
    set_session_cookie(response, token)
    return response


def _revoke(token: str) -> None:
    with session_scope() as session:
        accounts.revoke_session(session, token=token)


async def logout(request: Request) -> Response:
    token = session_token_from_request(request)
    if token:
        await asyncio.to_thread(_revoke, token)
    response = RedirectResponse("/", status_code=303)
    clear_session_cookie(response)
    return response


def session_routes() -> list[Route]:
    return [
        Route("/auth/handoff", handoff, methods=["GET"]),
        Route("/auth/logout", logout, methods=["POST"]),
    ]

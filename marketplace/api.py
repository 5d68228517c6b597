"""Plain HTTP routes mounted beside Reflex's own (they match first), and the middleware that
gives a missing gig's or seller's page its HTTP 404."""

import asyncio
import re
from urllib.parse import unquote

from starlette.applications import Starlette
from starlette.requests import Request
from starlette.responses import FileResponse, JSONResponse, Response
from starlette.routing import Route
from starlette.types import ASGIApp, Message, Receive, Scope, Send

from marketplace.auth.http import session_routes, session_token_from_request
from marketplace.auth.oidc import oidc_routes
from marketplace.db import get_engine, session_scope
from marketplace.services import accounts, gig_pages, health, media, profiles
from marketplace.settings import get_settings


async def health_endpoint(_request: Request) -> JSONResponse:
    report = await asyncio.to_thread(health.overall, get_settings(), get_engine())
    return JSONResponse(report, status_code=200 if report["ok"] else 503)


async def media_endpoint(request: Request) -> Response:
    """Uploaded images, by the random names the media service generates; nothing else."""
    name = request.path_params["name"]
    path = media.image_path(get_settings().upload_dir, name)
    if path is None:
        return Response("Not found", status_code=404, media_type="text/plain")
    return FileResponse(
        path,
        media_type=media.CONTENT_TYPES[name.rsplit(".", 1)[1]],
        headers={
            "Cache-Control": "public, max-age=31536000, immutable",
            "X-Content-Type-Options": "nosniff",
            "Content-Security-Policy": "default-src 'none'",
        },
    )


def build_api() -> Starlette:
    return Starlette(
        routes=[
            Route("/_health", health_endpoint, methods=["GET"]),
            Route("/media/{name}", media_endpoint, methods=["GET", "HEAD"]),
            *session_routes(),
            *oidc_routes(),
        ]
    )


# --- HTTP 404 for pages whose subject is missing -------------------------------------------------

# The frontend is one static shell: every /gig/<slug> and /u/<name> is the same HTML, filled in
# by the page's state once it loads, so the static server answers 200 whatever the slug. These
# two are checked against the database here, so crawlers and link checkers get 404 for a gig or
# seller that does not exist (the page itself still shows the friendly "not found" panel).
_GIG_PAGE = re.compile(r"^/gig/([^/]+)/?$")
_SELLER_PAGE = re.compile(r"^/u/([^/]+)/?$")


def _page_subject_exists(path: str, session_token: str | None) -> bool:
    """False only for a gig page or seller page whose gig or seller the viewer cannot see."""
    if match := _GIG_PAGE.match(path):
        with session_scope() as session:
            viewer = session_token and accounts.resolve_session(session, token=session_token)
            slug = unquote(match[1])
            return gig_pages.gig_page_exists(session, slug=slug, viewer=viewer or None)
    if match := _SELLER_PAGE.match(path):
        with session_scope() as session:
            return profiles.seller_exists(session, username=unquote(match[1]))
    return True


class MissingPageStatus:
    """ASGI middleware: the shell HTML of a missing gig or seller goes out with status 404."""

    def __init__(self, app: ASGIApp):
        self.app = app

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        path = scope.get("path", "") if scope["type"] == "http" else ""
        if scope.get("method") not in ("GET", "HEAD") or not (
            _GIG_PAGE.match(path) or _SELLER_PAGE.match(path)
        ):
            await self.app(scope, receive, send)
            return
        token = session_token_from_request(Request(scope))
        if await asyncio.to_thread(_page_subject_exists, path, token):
            await self.app(scope, receive, send)
            return

        async def send_as_not_found(message: Message) -> None:
            if message["type"] == "http.response.start" and message["status"] == 200:
                message = {**message, "status": 404}
            await send(message)

        await self.app(scope, receive, send_as_not_found)

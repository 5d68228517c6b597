"""Plain HTTP routes mounted beside Reflex's own (they match first), and the middleware that
gives a missing gig's or seller's page its HTTP 404."""

import asyncio
import logging
import re
from urllib.parse import unquote

from starlette.applications import Starlette
from starlette.requests import Request
from starlette.responses import FileResponse, JSONResponse, Response
from starlette.routing import Route
from starlette.types import ASGIApp, Message, Receive, Scope, Send

from marketplace.auth.http import session_routes, session_token_from_request
from marketplace.auth.mail_links import mail_routes
from marketplace.auth.oidc import oidc_routes
from marketplace.db import get_engine, session_scope
from marketplace.services.accounts import members as accounts
from marketplace.services.accounts import profiles
from marketplace.services.common import health, media
from marketplace.services.common.errors import DomainError
from marketplace.services.gigs import categories as category_pages
from marketplace.services.gigs import pages as gig_pages
from marketplace.services.orders import files as order_files
from marketplace.services.orders import views as order_views
from marketplace.services.orders import webhooks
from marketplace.settings import get_settings

log = logging.getLogger(__name__)


async def health_endpoint(_request: Request) -> JSONResponse:
    report = await asyncio.to_thread(health.overall, get_settings(), get_engine())
    # Meilisearch down is "degraded", not down: search answers from the database meanwhile.
    return JSONResponse(report, status_code=503 if report["status"] == "down" else 200)


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


def _cookie_user(request: Request):
    """The signed-in user from the session cookie (checked server-side), or None."""
    token = session_token_from_request(request)
    if not token:
        return None
    with session_scope() as session:
        return accounts.resolve_session(session, token=token)


def _order_file(request: Request) -> Response:
    code, key = request.path_params["code"], request.path_params["key"]
    not_found = Response("Not found", status_code=404, media_type="text/plain")
    user = _cookie_user(request)
    if user is None:
        return not_found
    with session_scope() as session:
        try:
            page = order_views.order_page(session, code=code, viewer=user)
        except DomainError:
            return not_found
    # Only files this order references (a delivery or a requirement answer).
    names = {f["url"].rsplit("/", 1)[1]: f["name"] for d in page.deliveries for f in d.files}
    for answer in page.answers:
        if answer.get("file"):
            names[answer["file"]["key"]] = answer["file"]["name"]
    path = order_files.file_path(key) if key in names else None
    if path is None:
        return not_found
    name = names[key]
    return FileResponse(
        path,
        media_type=order_files.CONTENT_TYPES[key.rsplit(".", 1)[1]],
        filename=name,
        content_disposition_type="attachment",
        headers={
            "Cache-Control": "private, no-store",
            "X-Content-Type-Options": "nosniff",
            "Content-Security-Policy": "default-src 'none'",
        },
    )


async def order_file_endpoint(request: Request) -> Response:
    """A delivery or requirement file, only to the order's buyer, seller and admins."""
    return await asyncio.to_thread(_order_file, request)


# --- messaging: message attachments ------------------------------------------------------------


def _message_file(request: Request) -> Response:
    from marketplace.services.messaging import files as message_files

    not_found = Response("Not found", status_code=404, media_type="text/plain")
    raw_id, key = request.path_params["message_id"], request.path_params["key"]
    user = _cookie_user(request)
    if user is None or not raw_id.isdigit() or len(raw_id) > 10:
        return not_found
    with session_scope() as session:
        try:
            path, name, content_type = message_files.attachment(
                session, actor=user, message_id=int(raw_id), key=key
            )
        except DomainError:
            return not_found
    return FileResponse(
        path,
        media_type=content_type,
        filename=name,
        content_disposition_type="attachment",
        headers={
            "Cache-Control": "private, no-store",
            "X-Content-Type-Options": "nosniff",
            "Content-Security-Policy": "default-src 'none'",
        },
    )


async def message_file_endpoint(request: Request) -> Response:
    """A message's file, only to the conversation's two parties (and admins on a report)."""
    return await asyncio.to_thread(_message_file, request)


def _earnings_csv(request: Request) -> Response:
    user = _cookie_user(request)
    if user is None:
        return Response("Sign in to download your earnings.", status_code=401)
    with session_scope() as session:
        body = order_views.earnings_csv(session, seller=user)
    return Response(
        body,
        media_type="text/csv; charset=utf-8",
        headers={
            "Content-Disposition": 'attachment; filename="gigworks-earnings.csv"',
            "Cache-Control": "private, no-store",
            "X-Content-Type-Options": "nosniff",
        },
    )


async def earnings_csv_endpoint(request: Request) -> Response:
    """The signed-in seller's ledger lines as CSV."""
    return await asyncio.to_thread(_earnings_csv, request)


async def stripe_webhook_endpoint(request: Request) -> Response:
    """Stripe events: verified, deduplicated, then the order is reconciled from Stripe itself."""
    payload = await request.body()
    signature = request.headers.get("stripe-signature", "")
    try:
        outcome = await asyncio.to_thread(webhooks.handle, payload, signature)
    except webhooks.BadSignature:
        return JSONResponse({"error": "invalid signature"}, status_code=400)
    except Exception:  # Stripe retries a non-2xx delivery later
        log.exception("stripe webhook failed")
        return JSONResponse({"error": "not processed"}, status_code=500)
    return JSONResponse({"received": True, "outcome": outcome})


def build_api() -> Starlette:
    return Starlette(
        routes=[
            Route("/_health", health_endpoint, methods=["GET"]),
            Route("/media/{name}", media_endpoint, methods=["GET", "HEAD"]),
            Route("/files/orders/{code}/{key}", order_file_endpoint, methods=["GET"]),
            Route(  # messaging
                "/files/messages/{message_id}/{key}", message_file_endpoint, methods=["GET"]
            ),
            Route("/my/earnings.csv", earnings_csv_endpoint, methods=["GET"]),
            Route("/api/stripe/webhook", stripe_webhook_endpoint, methods=["POST"]),
            *session_routes(),
            *oidc_routes(),
            *mail_routes(),  # issue 14: one-click unsubscribe
        ]
    )


# --- HTTP 404 for pages whose subject is missing -------------------------------------------------

# The frontend is one static shell: every /gig/<slug> and /u/<name> is the same HTML, filled in
# by the page's state once it loads, so the static server answers 200 whatever the slug. These
# two are checked against the database here, so crawlers and link checkers get 404 for a gig or
# seller that does not exist (the page itself still shows the friendly "not found" panel).
_GIG_PAGE = re.compile(r"^/gig/([^/]+)/?$")
_SELLER_PAGE = re.compile(r"^/u/([^/]+)/?$")
_CATEGORY_PAGE = re.compile(r"^/categories/[^/]+(/[^/]+)?/?$")  # search: category pages


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
    if _CATEGORY_PAGE.match(path):
        with session_scope() as session:
            return category_pages.category_page_exists(session, path=unquote(path))
    return True


class MissingPageStatus:
    """ASGI middleware: the shell HTML of a missing gig or seller goes out with status 404."""

    def __init__(self, app: ASGIApp):
        self.app = app

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        path = scope.get("path", "") if scope["type"] == "http" else ""
        if scope.get("method") not in ("GET", "HEAD") or not (
            _GIG_PAGE.match(path) or _SELLER_PAGE.match(path) or _CATEGORY_PAGE.match(path)
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

"""Account HTTP routes of issue 14: `GET /mail/unsubscribe?t=…` (the one-click unsubscribe
link at the foot of optional mails) and `GET /my/data.json` (download my data).

The signed token names the person and the kind of mail; one visit switches that kind off (it
can be switched on again in /settings/account). The page is plain HTML with escaped text."""

import asyncio
import json
from html import escape

from starlette.requests import Request
from starlette.responses import HTMLResponse, Response
from starlette.routing import Route

from marketplace.auth.http import session_token_from_request
from marketplace.db import session_scope
from marketplace.services.accounts import leaving
from marketplace.services.accounts import mail as account_mail
from marketplace.services.accounts import members as accounts


def _unsubscribe(token: str) -> str | None:
    with session_scope() as session:
        return account_mail.unsubscribe(session, token=token)


def _page(title: str, body: str, status: int = 200) -> HTMLResponse:
    html = (
        "<!doctype html><html><head><meta charset='utf-8'>"
        "<meta name='viewport' content='width=device-width, initial-scale=1'>"
        f"<title>{escape(title)} · Gigworks</title><style>"
        "body{font-family:system-ui,sans-serif;background:#f3f4f6;color:#1c2024;margin:0}"
        "main{max-width:480px;margin:64px auto;background:#fff;border-radius:12px;"
        "padding:28px;border:1px solid #e5e7eb}a{color:#46a758}</style></head><body><main>"
        f"<h1 style='font-size:22px'>{escape(title)}</h1><p>{escape(body)}</p>"
        "<p><a href='/settings/account'>Mail settings</a> · <a href='/'>Gigworks</a></p>"
        "</main></body></html>"
    )
    return HTMLResponse(html, status_code=status)


async def unsubscribe_endpoint(request: Request) -> HTMLResponse:
    token = request.query_params.get("t", "")[:512]
    kind = await asyncio.to_thread(_unsubscribe, token)
    if kind is None:
        return _page("This link does not work", "Change your mail settings instead.", 400)
    return _page("You are unsubscribed", f"We won't send you this any more: {kind}.")


def _export(request: Request) -> Response:
    token = session_token_from_request(request)
    with session_scope() as session:
        user = accounts.resolve_session(session, token=token) if token else None
        if user is None:
            return Response("Sign in to download your data.", status_code=401)
        data = leaving.export_data(session, actor=user)
    return Response(
        json.dumps(data, indent=2, ensure_ascii=False, default=str),
        media_type="application/json; charset=utf-8",
        headers={
            "Content-Disposition": 'attachment; filename="gigworks-my-data.json"',
            "Cache-Control": "private, no-store",
            "X-Content-Type-Options": "nosniff",
        },
    )


async def export_endpoint(request: Request) -> Response:
    """The signed-in person's data as one JSON file (profile, gigs, orders, messages, reviews)."""
    return await asyncio.to_thread(_export, request)


def mail_routes() -> list[Route]:
    return [
        Route("/mail/unsubscribe", unsubscribe_endpoint, methods=["GET"]),
        Route("/my/data.json", export_endpoint, methods=["GET"]),
    ]

"""`GET /mail/unsubscribe?t=…`: the one-click unsubscribe link at the foot of optional mails.

The signed token names the person and the kind of mail; one visit switches that kind off (it
can be switched on again in /settings/account). The page is plain HTML with escaped text."""

import asyncio
from html import escape

from starlette.requests import Request
from starlette.responses import HTMLResponse
from starlette.routing import Route

from marketplace.db import session_scope
from marketplace.services import account_mail


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


def mail_routes() -> list[Route]:
    return [Route("/mail/unsubscribe", unsubscribe_endpoint, methods=["GET"])]

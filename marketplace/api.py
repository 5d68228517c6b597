"""Plain HTTP routes mounted beside Reflex's own (they match first)."""

import asyncio

from starlette.applications import Starlette
from starlette.requests import Request
from starlette.responses import JSONResponse
from starlette.routing import Route

from marketplace.auth.http import session_routes
from marketplace.auth.oidc import oidc_routes
from marketplace.db import get_engine
from marketplace.services import health
from marketplace.settings import get_settings


async def health_endpoint(_request: Request) -> JSONResponse:
    report = await asyncio.to_thread(health.overall, get_settings(), get_engine())
    return JSONResponse(report, status_code=200 if report["ok"] else 503)


def build_api() -> Starlette:
    return Starlette(
        routes=[
            Route("/_health", health_endpoint, methods=["GET"]),
            *session_routes(),
            *oidc_routes(),
        ]
    )

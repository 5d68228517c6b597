"""Plain HTTP routes mounted beside Reflex's own (they match first)."""

import asyncio

from starlette.applications import Starlette
from starlette.requests import Request
from starlette.responses import FileResponse, JSONResponse, Response
from starlette.routing import Route

from marketplace.auth.http import session_routes
from marketplace.auth.oidc import oidc_routes
from marketplace.db import get_engine
from marketplace.services import health, media
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

"""Dev mail catcher: an SMTP server (aiosmtpd, PyPI) that keeps every mail, and a web inbox.

`python -m devservices.mailcatcher --smtp-port 1025 --web-port 1080 --store DIR` binds both to
127.0.0.1. Mails are kept as .eml files in DIR (so `make run` keeps them across restarts).

Web inbox (for a developer's browser):  GET /            the list, newest first
                                         GET /mail/{id}   one mail: headers, HTML part, text part
REST (maildev's shape, for tests):       GET /email       [{id, from, to, subject, date, text,
                                                          html}] oldest first
                                         DELETE /email/all  empty the inbox
The HTML part is shown in a sandboxed iframe (no scripts), the rest is escaped text.
"""

from __future__ import annotations

import argparse
import email
import email.policy
import json
import re
import sys
import threading
import time
from html import escape
from pathlib import Path

import httpx

from devservices.process import ManagedProcess

__all__ = ["MailCatcher"]


class MailCatcher(ManagedProcess):
    """The catcher as a child process of `make run` or the tests."""

    name = "mail catcher"

    def __init__(self, *, smtp_port: int, web_port: int, store: Path, log_path: Path) -> None:
        super().__init__(log_path=log_path, port=smtp_port)
        self.smtp_port = smtp_port
        self.web_port = web_port
        self.store = Path(store)

    @property
    def web_url(self) -> str:
        return f"http://127.0.0.1:{self.web_port}"

    def command(self) -> list[str]:
        return [
            sys.executable,
            "-m",
            "devservices.mailcatcher",
            "--smtp-port",
            str(self.smtp_port),
            "--web-port",
            str(self.web_port),
            "--store",
            str(self.store),
        ]

    def environment(self) -> dict[str, str]:
        return {**super().environment(), "PYTHONUNBUFFERED": "1"}

    def probe(self) -> bool:
        import socket

        with socket.create_connection(("127.0.0.1", self.smtp_port), timeout=1):
            pass
        return httpx.get(f"{self.web_url}/email", timeout=2).status_code == 200

    def messages(self) -> list[dict]:
        return httpx.get(f"{self.web_url}/email", timeout=5).json()

    def clear(self) -> None:
        httpx.delete(f"{self.web_url}/email/all", timeout=5).raise_for_status()


# --- the server side ----------------------------------------------------------------------------


def _part(message: email.message.EmailMessage, subtype: str) -> str:
    body = message.get_body(preferencelist=(subtype,))
    if body is None or body.get_content_subtype() != subtype:
        return ""
    return body.get_content()


def _summary(path: Path) -> dict:
    message = email.message_from_bytes(path.read_bytes(), policy=email.policy.default)
    return {
        "id": path.stem,
        "from": str(message.get("From", "")),
        "to": str(message.get("To", "")),
        "subject": str(message.get("Subject", "")),
        "date": str(message.get("Date", "")),
        "text": _part(message, "plain"),
        "html": _part(message, "html"),
    }


class _Store:
    def __init__(self, folder: Path) -> None:
        self.folder = folder
        self.folder.mkdir(parents=True, exist_ok=True)
        self.lock = threading.Lock()

    def add(self, raw: bytes) -> None:
        with self.lock:
            name = f"{time.time_ns()}.eml"
            (self.folder / name).write_bytes(raw)

    def all(self) -> list[dict]:
        with self.lock:
            paths = sorted(self.folder.glob("*.eml"))
        return [_summary(path) for path in paths]

    def clear(self) -> None:
        with self.lock:
            for path in self.folder.glob("*.eml"):
                path.unlink(missing_ok=True)


def _inbox_page(mails: list[dict]) -> str:
    rows = "".join(
        f'<tr><td><a href="/mail/{escape(m["id"])}">{escape(m["subject"]) or "(no subject)"}'
        f"</a></td><td>{escape(m['to'])}</td><td>{escape(m['date'])}</td></tr>"
        for m in reversed(mails)
    )
    empty = (
        "" if mails else '<p class="empty">No mail yet. Mail the marketplace sends shows here.</p>'
    )
    return (
        "<!doctype html><html><head><meta charset='utf-8'><title>Gigworks mail catcher</title>"
        "<meta name='viewport' content='width=device-width, initial-scale=1'>"
        "<meta http-equiv='refresh' content='5'><style>"
        "body{font-family:system-ui,sans-serif;margin:0;background:#f3f4f6;color:#1c2024}"
        "header{background:#46a758;color:#fff;padding:14px 20px;font-weight:700}"
        "main{max-width:960px;margin:20px auto;padding:0 12px}"
        "table{width:100%;border-collapse:collapse;background:#fff;border-radius:8px}"
        "td,th{padding:10px;border-bottom:1px solid #e5e7eb;text-align:left;font-size:14px}"
        ".empty{color:#60646c}</style></head><body><header>Gigworks mail catcher</header><main>"
        f"<p>{len(mails)} {'mail' if len(mails) == 1 else 'mails'}</p>{empty}"
        f"<table><tr><th>Subject</th><th>To</th><th>Date</th></tr>{rows}</table>"
        "</main></body></html>"
    )


def _mail_page(mail: dict) -> str:
    return (
        "<!doctype html><html><head><meta charset='utf-8'>"
        f"<title>{escape(mail['subject'])}</title>"
        "<meta name='viewport' content='width=device-width, initial-scale=1'><style>"
        "body{font-family:system-ui,sans-serif;margin:0;background:#f3f4f6;color:#1c2024}"
        "main{max-width:960px;margin:20px auto;padding:0 12px}"
        "iframe{width:100%;height:560px;border:1px solid #e5e7eb;background:#fff}"
        "pre{white-space:pre-wrap;background:#fff;padding:12px;border:1px solid #e5e7eb}"
        "</style></head><body><main><p><a href='/'>← Inbox</a></p>"
        f"<h2>{escape(mail['subject'])}</h2><p>From {escape(mail['from'])} to "
        f"{escape(mail['to'])} · {escape(mail['date'])}</p>"
        f"{_links_list(mail['text'])}"
        f'<iframe sandbox srcdoc="{escape(mail["html"], quote=True)}"></iframe>'
        f"<h3>Plain text</h3><pre>{escape(mail['text'])}</pre></main></body></html>"
    )


def _links_list(text: str) -> str:
    """The mail's web addresses as links that open in this tab (the HTML part is shown in a
    sandboxed frame, where its buttons cannot open the marketplace)."""
    links = list(dict.fromkeys(re.findall(r"https?://[^\s<>\"']+", text or "")))
    if not links:
        return ""
    items = "".join(
        f'<li><a href="{escape(link, quote=True)}" target="_top">{escape(link)}</a></li>'
        for link in links
    )
    return f"<h3>Links in this mail</h3><ul>{items}</ul>"


def serve(smtp_port: int, web_port: int, store_dir: Path) -> None:
    import uvicorn
    from aiosmtpd.controller import Controller
    from starlette.applications import Starlette
    from starlette.responses import HTMLResponse, JSONResponse, Response
    from starlette.routing import Route

    store = _Store(store_dir)

    class Handler:
        async def handle_DATA(self, server, session, envelope):  # noqa: N802 - aiosmtpd's name
            store.add(envelope.original_content or envelope.content)
            return "250 Message accepted for delivery"

    controller = Controller(Handler(), hostname="127.0.0.1", port=smtp_port)
    controller.start()

    async def inbox(_request):
        return HTMLResponse(_inbox_page(store.all()))

    async def one(request):
        for mail in store.all():
            if mail["id"] == request.path_params["mail_id"]:
                return HTMLResponse(_mail_page(mail))
        return Response("no such mail", status_code=404)

    async def api_list(_request):
        return JSONResponse(store.all())

    async def api_clear(_request):
        store.clear()
        return JSONResponse({"ok": True})

    app = Starlette(
        routes=[
            Route("/", inbox),
            Route("/mail/{mail_id}", one),
            Route("/email", api_list),
            Route("/email/all", api_clear, methods=["DELETE"]),
        ]
    )
    print(
        json.dumps({"smtp": f"127.0.0.1:{smtp_port}", "web": f"http://127.0.0.1:{web_port}"}),
        flush=True,
    )
    try:
        uvicorn.run(app, host="127.0.0.1", port=web_port, log_level="warning")
    finally:
        controller.stop()


def main() -> int:
    parser = argparse.ArgumentParser(prog="python -m devservices.mailcatcher")
    parser.add_argument("--smtp-port", type=int, default=1025)
    parser.add_argument("--web-port", type=int, default=1080)
    parser.add_argument("--store", type=Path, required=True)
    args = parser.parse_args()
    serve(args.smtp_port, args.web_port, args.store)
    return 0


if __name__ == "__main__":
    sys.exit(main())

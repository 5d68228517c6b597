"""The mail outbox: `enqueue` writes a row inside the caller's transaction; the worker's
`drain` sends due rows over SMTP, outside any transaction.

A row is claimed by one conditional UPDATE that moves `available_at` forward by LEASE, so two
workers never send the same row and a worker that dies mid-send only delays it. A failed send
(the server is down, refuses, times out) keeps the row with `attempts` + 1, the error, and a
retry after 5 s, 10 s, 20 s … capped at BACKOFF_CAP: nothing is ever dropped. (A crash between
the SMTP server's acceptance and marking the row sent can send a mail twice; at-least-once is
the honest guarantee.)
"""

from __future__ import annotations

import threading
import time
from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime, timedelta

from sqlalchemy import func, select, update
from sqlalchemy.engine import Engine
from sqlmodel import Session

from marketplace.db import utcnow
from marketplace.mail import smtp
from marketplace.mail.render import Rendered
from marketplace.models import MailOutbox
from marketplace.settings import Settings

LEASE = timedelta(minutes=2)
BACKOFF_BASE = timedelta(seconds=5)
BACKOFF_CAP = timedelta(minutes=30)
ERROR_MAX = 500
POLL_S = 2.0

Sender = Callable[[Settings, object], None]


def enqueue(
    session: Session, *, kind: str, to: str, mail: Rendered, user_id: int | None = None
) -> MailOutbox:
    """Queue a mail in the caller's transaction: it is sent only if that transaction commits."""
    row = MailOutbox(
        kind=kind[:40],
        user_id=user_id,
        to_address=to[:254],
        subject=mail.subject[:200],
        text_body=mail.text,
        html_body=mail.html,
    )
    session.add(row)
    session.flush()
    return row


def backoff(attempts: int) -> timedelta:
    """Delay before retry number `attempts` (1 = after the first failure)."""
    return min(BACKOFF_BASE * (2 ** max(0, min(attempts - 1, 20))), BACKOFF_CAP)


@dataclass
class DrainReport:
    sent: int = 0
    failed: int = 0
    error: str = ""

    def line(self) -> str:
        if self.failed:
            return f"mail outbox: {self.sent} sent, {self.failed} failed ({self.error})"
        return f"mail outbox: {self.sent} sent"


def _claim(engine: Engine, *, batch: int, now: datetime) -> list[MailOutbox]:
    table = MailOutbox.__table__
    with engine.connect() as conn:
        ids = (
            conn.execute(
                select(table.c.id)
                .where(table.c.sent_at.is_(None), table.c.available_at <= now)
                .order_by(table.c.id)
                .limit(batch)
            )
            .scalars()
            .all()
        )
    claimed = []
    for row_id in ids:
        with engine.begin() as conn:
            taken = conn.execute(
                update(table)
                .where(table.c.id == row_id, table.c.sent_at.is_(None), table.c.available_at <= now)
                .values(available_at=now + LEASE)
            ).rowcount
        if taken == 1:
            claimed.append(row_id)
    if not claimed:
        return []
    with Session(engine, expire_on_commit=False) as session:
        rows = session.exec(select(MailOutbox).where(MailOutbox.id.in_(claimed))).scalars().all()
        return sorted(rows, key=lambda row: row.id)


def drain(
    engine: Engine,
    settings: Settings,
    *,
    batch: int = 50,
    now: datetime | None = None,
    sender: Sender | None = None,
) -> DrainReport:
    """Send up to `batch` due mails over one SMTP session; each is marked sent, or put back
    with a backoff. `sender(settings, message)` replaces SMTP (only for tests of failures)."""
    now = now or utcnow()
    report = DrainReport()
    rows = _claim(engine, batch=batch, now=now)
    if not rows:
        return report
    with smtp.Connection(settings) as connection:
        send = sender or (lambda _settings, message: connection.send(message))
        for row in rows:
            _send_row(engine, settings, row, send, now, report)
    return report


def _send_row(
    engine: Engine,
    settings: Settings,
    row: MailOutbox,
    sender: Sender,
    now: datetime,
    report: DrainReport,
) -> None:
    table = MailOutbox.__table__
    message = smtp.build_message(
        sender=settings.mail_from,
        to=row.to_address,
        subject=row.subject,
        text=row.text_body,
        html=row.html_body,
    )
    try:
        sender(settings, message)
    except Exception as exc:  # down, refused, timed out: try again later
        error = f"{type(exc).__name__}: {exc}"[:ERROR_MAX]
        with engine.begin() as conn:
            conn.execute(
                update(table)
                .where(table.c.id == row.id)
                .values(
                    attempts=row.attempts + 1,
                    last_error=error,
                    available_at=now + backoff(row.attempts + 1),
                )
            )
        report.failed += 1
        report.error = error
        return
    with engine.begin() as conn:
        conn.execute(
            update(table).where(table.c.id == row.id).values(sent_at=utcnow(), last_error="")
        )
    report.sent += 1


def pending_count(engine: Engine) -> int:
    table = MailOutbox.__table__
    with engine.connect() as conn:
        return int(
            conn.execute(
                select(func.count()).select_from(table).where(table.c.sent_at.is_(None))
            ).scalar_one()
        )


def run_mail_worker(
    engine: Engine,
    settings: Settings,
    *,
    stop_event: threading.Event,
    say: Callable[[str], None] = print,
    poll_s: float = POLL_S,
    once: bool = False,
    tick: Callable[[], None] | None = None,
) -> None:
    """Drain the outbox until `stop_event` is set. `tick` runs once per poll (the digests)."""
    say(
        f"mail worker ready: SMTP {settings.smtp_host}:{settings.smtp_port} "
        f"({settings.smtp_tls}), poll {poll_s:g}s"
    )
    last_error = ""
    while not stop_event.is_set():
        started = time.monotonic()
        if tick is not None:
            try:  # a failing digest pass must not hold up the mails already queued
                tick()
            except Exception as exc:
                say(f"mail worker (digests): {type(exc).__name__}: {exc}"[:ERROR_MAX])
        try:
            report = drain(engine, settings)
            if report.sent or (report.failed and report.error != last_error):
                say(report.line())
            last_error = report.error
        except Exception as exc:  # the database is unreachable or locked: next poll
            say(f"mail worker: {type(exc).__name__}: {exc}"[:ERROR_MAX])
        if once:
            return
        stop_event.wait(max(0.05, poll_s - (time.monotonic() - started)))

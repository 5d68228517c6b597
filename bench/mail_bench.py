"""How fast the mail outbox drains into a real SMTP server (the dev mail catcher).

    .venv/bin/python -m bench.mail_bench [count]

Queues `count` mails (200) in a fresh SQLite database, drains them over SMTP in batches of 50
and prints mails per second; the catcher must hold every one of them afterwards."""

import sys
import tempfile
import time
from pathlib import Path

from sqlmodel import Session

from devservices.mailcatcher import MailCatcher
from devservices.process import free_port
from marketplace.db import make_engine
from marketplace.mail import outbox
from marketplace.mail.render import Button, render_mail
from marketplace.migrations import upgrade_to_head
from marketplace.settings import load_settings


def main(count: int = 200) -> int:
    folder = Path(tempfile.mkdtemp(prefix="gigworks-mail-bench-"))
    url = f"sqlite:///{folder / 'bench.db'}"
    upgrade_to_head(url)
    engine = make_engine(url)
    catcher = MailCatcher(
        smtp_port=free_port(), web_port=free_port(), store=folder / "mail", log_path=folder / "log"
    )
    with catcher:
        settings = load_settings(
            {"GIGWORKS_DATA_DIR": str(folder), "SMTP_PORT": str(catcher.smtp_port)}
        )
        mail = render_mail(
            subject="Bench", heading="Bench", paragraphs=["Hello"], button=Button("Go", "http://x/")
        )
        with Session(engine) as session:
            for n in range(count):
                outbox.enqueue(session, kind="bench", to=f"u{n}@example.com", mail=mail)
            session.commit()
        started = time.perf_counter()
        sent = 0
        while outbox.pending_count(engine):
            sent += outbox.drain(engine, settings, batch=50).sent
        seconds = time.perf_counter() - started
        received = len(catcher.messages())
    print(
        f"{sent} mails in {seconds:.2f} s: {sent / seconds:.0f}/s, "
        f"{seconds / sent * 1000:.1f} ms each"
    )
    print(f"catcher received {received}")
    return 0 if received == sent == count else 1


if __name__ == "__main__":
    sys.exit(main(int(sys.argv[1]) if len(sys.argv) > 1 else 200))

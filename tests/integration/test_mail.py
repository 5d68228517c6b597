"""Mail really leaves through SMTP and reaches the catcher; the outbox survives the SMTP server
being down and catches up (issue 14)."""

import time
from datetime import timedelta

import pytest
from sqlmodel import Session, select

from devservices.mailcatcher import MailCatcher
from devservices.process import free_port
from marketplace.db import make_engine, utcnow
from marketplace.mail import outbox
from marketplace.mail.render import Button, render_mail
from marketplace.migrations import upgrade_to_head
from marketplace.models import MailOutbox
from marketplace.services.accounts import members as accounts
from marketplace.services.accounts import tokens as account_tokens
from marketplace.settings import load_settings


@pytest.fixture
def catcher(tmp_path):
    server = MailCatcher(
        smtp_port=free_port(),
        web_port=free_port(),
        store=tmp_path / "mail",
        log_path=tmp_path / "mailcatcher.log",
    )
    with server:
        yield server


@pytest.fixture
def engine(tmp_path):
    url = f"sqlite:///{tmp_path / 'mail.db'}"
    upgrade_to_head(url)
    engine = make_engine(url)
    yield engine
    engine.dispose()


def settings_for(tmp_path, catcher):
    return load_settings(
        {
            "GIGWORKS_DATA_DIR": str(tmp_path),
            "SMTP_HOST": "127.0.0.1",
            "SMTP_PORT": str(catcher.smtp_port),
            "APP_URL": "http://127.0.0.1:3999",
        }
    )


def test_a_queued_mail_arrives_at_the_catcher_with_text_and_escaped_html(tmp_path, catcher, engine):
    settings = settings_for(tmp_path, catcher)
    mail = render_mail(
        subject="Hello <there>",
        heading="Hi <b>Eve</b>",
        paragraphs=["Your name is <script>alert(1)</script>"],
        button=Button("Open", "http://127.0.0.1:3999/orders"),
    )
    with Session(engine) as session:
        outbox.enqueue(session, kind="test", to="eve@example.com", mail=mail)
        session.commit()

    report = outbox.drain(engine, settings)

    assert (report.sent, report.failed) == (1, 0)
    [received] = catcher.messages()
    assert received["to"] == "eve@example.com"
    assert received["subject"] == "Hello <there>"
    assert "Your name is <script>alert(1)</script>" in received["text"]
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in received["html"]
    assert "<script>" not in received["html"]
    assert "http://127.0.0.1:3999/orders" in received["html"]
    assert outbox.pending_count(engine) == 0


def test_the_outbox_keeps_mail_while_smtp_is_down_and_catches_up(tmp_path, catcher, engine):
    settings = settings_for(tmp_path, catcher)
    with Session(engine, expire_on_commit=False) as session:
        user = accounts.register(
            session, email="down@example.com", password="a long enough password", display_name="Dee"
        )
        account_tokens.send_verification(session, user=user)
        session.commit()
    catcher.stop()  # the SMTP server is down

    now = utcnow()
    failed = outbox.drain(engine, settings, now=now)
    assert (failed.sent, failed.failed) == (0, 1)
    with Session(engine) as session:
        row = session.exec(select(MailOutbox)).one()
        assert row.sent_at is None and row.attempts == 1 and row.last_error
        assert row.available_at == now + outbox.backoff(1)
    # Not due yet: nothing is tried again before the backoff.
    assert outbox.drain(engine, settings, now=now + timedelta(seconds=1)).failed == 0

    catcher.start().wait_ready()
    later = outbox.drain(engine, settings, now=now + outbox.backoff(1) + timedelta(seconds=1))
    assert (later.sent, later.failed) == (1, 0)
    deadline = time.monotonic() + 5
    while not catcher.messages() and time.monotonic() < deadline:
        time.sleep(0.1)
    [received] = catcher.messages()
    assert received["to"] == "down@example.com"
    assert received["subject"] == "Confirm your email address"
    assert "/verify-email?t=" in received["text"]
    assert outbox.pending_count(engine) == 0

"""Send one mail over SMTP (plain, STARTTLS or SSL, optional login), with a timeout so a hung
server cannot stall the worker."""

from __future__ import annotations

import contextlib
import smtplib
import socket
import ssl
from email.message import EmailMessage
from email.utils import formatdate, make_msgid
from functools import lru_cache

from marketplace.settings import Settings

SMTP_TIMEOUT_S = 15.0


def build_message(
    *,
    sender: str,
    to: str,
    subject: str,
    text: str,
    html: str,
    headers: dict[str, str] | None = None,
) -> EmailMessage:
    message = EmailMessage()
    message["From"] = sender
    message["To"] = to
    message["Subject"] = subject
    message["Date"] = formatdate(localtime=False)
    message["Message-ID"] = make_msgid(domain=sender.rsplit("@", 1)[-1].strip(">") or None)
    for name, value in (headers or {}).items():
        message[name] = value
    message.set_content(text)
    message.add_alternative(html, subtype="html")
    return message


@lru_cache(maxsize=1)
def _local_hostname() -> str:
    # smtplib would look the name up again for every connection (≈ 100 ms here).
    return socket.getfqdn() or "localhost"


class Connection:
    """One SMTP session reused for a batch of mails; it reconnects after an error."""

    def __init__(self, settings: Settings) -> None:
        self.settings = settings
        self._client: smtplib.SMTP | None = None

    def _open(self) -> smtplib.SMTP:
        settings = self.settings
        context = ssl.create_default_context()
        if settings.smtp_tls == "ssl":
            client: smtplib.SMTP = smtplib.SMTP_SSL(
                settings.smtp_host,
                settings.smtp_port,
                local_hostname=_local_hostname(),
                timeout=SMTP_TIMEOUT_S,
                context=context,
            )
        else:
            client = smtplib.SMTP(
                settings.smtp_host,
                settings.smtp_port,
                local_hostname=_local_hostname(),
                timeout=SMTP_TIMEOUT_S,
            )
        try:
            if settings.smtp_tls == "starttls":
                client.starttls(context=context)
            if settings.smtp_user:
                client.login(settings.smtp_user, settings.smtp_password)
        except BaseException:
            client.close()
            raise
        return client

    def send(self, message: EmailMessage) -> None:
        """Deliver or raise (smtplib.SMTPException / OSError): the outbox then retries later."""
        if self._client is None:
            self._client = self._open()
        try:
            self._client.send_message(message)
        except BaseException:
            self.close()
            raise

    def close(self) -> None:
        if self._client is not None:
            with contextlib.suppress(Exception):
                self._client.quit()
            with contextlib.suppress(Exception):
                self._client.close()
            self._client = None

    def __enter__(self) -> Connection:
        return self

    def __exit__(self, *exc) -> None:
        self.close()


def send(settings: Settings, message: EmailMessage) -> None:
    """Send one mail on a connection of its own."""
    with Connection(settings) as connection:
        connection.send(message)

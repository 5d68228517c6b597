"""The mail outbox: every mail is a row written in the transaction that caused it, sent by the
worker with retries, so no mail is lost while the SMTP server is down."""

from datetime import datetime

from sqlalchemy import Column, Text
from sqlmodel import Field, SQLModel

from marketplace.models._base import created_at_field, time_field


class MailOutbox(SQLModel, table=True):
    __tablename__ = "mail_outbox"

    id: int | None = Field(default=None, primary_key=True)
    kind: str = Field(max_length=40)  # verify_email, reset_password, new_sign_in, digest …
    user_id: int | None = Field(default=None, index=True)
    to_address: str = Field(max_length=254)
    subject: str = Field(max_length=200)
    text_body: str = Field(sa_column=Column(Text, nullable=False))
    html_body: str = Field(sa_column=Column(Text, nullable=False))
    created_at: datetime = created_at_field()
    available_at: datetime = created_at_field()  # not before: the lease and the retry backoff
    attempts: int = 0
    last_error: str = Field(default="", max_length=500)
    sent_at: datetime | None = time_field(index=True)

"""In-app notifications, one row per recipient."""

from datetime import datetime

from sqlalchemy import Index, text
from sqlmodel import Field, SQLModel

from marketplace.models._base import created_at_field, time_field


class Notification(SQLModel, table=True):
    # The relay (state/live.py) looks for rows no tab has been told about yet: a small index.
    __table_args__ = (
        Index(
            "ix_notification_unpushed",
            "id",
            sqlite_where=text("pushed_at IS NULL"),
            postgresql_where=text("pushed_at IS NULL"),
        ),
    )

    id: int | None = Field(default=None, primary_key=True)
    user_id: int = Field(foreign_key="user.id", index=True)
    kind: str = Field(max_length=40)
    title: str = Field(max_length=200)
    body: str = Field(default="", max_length=1000)
    link: str = Field(default="", max_length=255)
    created_at: datetime = created_at_field()
    read_at: datetime | None = time_field()
    # When a web process pushed it to the recipient's open tabs (NULL: not yet). Rows written
    # by any process (the worker, the CLI) are pushed by whichever web process claims them.
    pushed_at: datetime | None = time_field()

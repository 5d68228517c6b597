"""In-app notifications, one row per recipient."""

from datetime import datetime

from sqlmodel import Field, SQLModel

from marketplace.models._base import created_at_field, time_field


class Notification(SQLModel, table=True):
    id: int | None = Field(default=None, primary_key=True)
    user_id: int = Field(foreign_key="user.id", index=True)
    kind: str = Field(max_length=40)
    title: str = Field(max_length=200)
    body: str = Field(default="", max_length=1000)
    link: str = Field(default="", max_length=255)
    created_at: datetime = created_at_field()
    read_at: datetime | None = time_field()

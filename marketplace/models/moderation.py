"""Reports from users and the audit trail of every moderator action."""

from datetime import datetime
from enum import StrEnum

from sqlmodel import Field, SQLModel

from marketplace.models._base import created_at_field, enum_check, json_dict_field, time_field


class ReportTarget(StrEnum):
    gig = "gig"
    user = "user"
    review = "review"
    message = "message"


class ReportStatus(StrEnum):
    open = "open"
    resolved = "resolved"
    dismissed = "dismissed"


class Report(SQLModel, table=True):
    __table_args__ = (
        enum_check("target_type", ReportTarget, "ck_report_target"),
        enum_check("status", ReportStatus, "ck_report_status"),
    )

    id: int | None = Field(default=None, primary_key=True)
    reporter_id: int = Field(foreign_key="user.id")
    target_type: str = Field(max_length=16)
    target_id: int
    reason: str = Field(max_length=80)
    details: str = Field(default="", max_length=2000)
    status: str = Field(default=ReportStatus.open, max_length=16, index=True)
    resolved_by_id: int | None = Field(default=None, foreign_key="user.id")
    created_at: datetime = created_at_field()
    resolved_at: datetime | None = time_field()


class ModerationAction(SQLModel, table=True):
    __tablename__ = "moderation_action"

    id: int | None = Field(default=None, primary_key=True)
    admin_id: int = Field(foreign_key="user.id", index=True)
    target_type: str = Field(max_length=24)
    target_id: int
    action: str = Field(max_length=40)
    reason: str = Field(default="", max_length=1000)
    data: dict = json_dict_field()
    created_at: datetime = created_at_field()

"""Reports from users and the audit trail of every moderator action."""

from datetime import datetime
from enum import StrEnum

from sqlalchemy import event
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
    # Set by the moderator who closes the report (ReportOutcome) and told to the reporter.
    outcome: str = Field(default="", max_length=16)
    outcome_note: str = Field(default="", max_length=1000)


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


class ReportOutcome(StrEnum):
    """What a moderator did about a report (kept on the report and told to the reporter)."""

    dismissed = "dismissed"
    hidden = "hidden"
    suspended = "suspended"
    warned = "warned"


class GigApproval(SQLModel, table=True):
    """The content of a gig as a moderator last approved it, for post-moderation.

    Edits to an active gig go live at once; `changed_at` is then set and the gig waits in the
    post-moderation queue, where the admin sees what changed since `snapshot` and accepts (a new
    snapshot) or suspends.
    """

    __tablename__ = "gig_approval"

    gig_id: int = Field(foreign_key="gig.id", primary_key=True, ondelete="CASCADE")
    snapshot: dict = json_dict_field()
    approved_by_id: int | None = Field(default=None, foreign_key="user.id")
    approved_at: datetime = created_at_field()
    changed_at: datetime | None = time_field(index=True)


class OrderFlag(SQLModel, table=True):
    """An open order an admin should look at (its seller or buyer was suspended or banned)."""

    __tablename__ = "order_flag"

    id: int | None = Field(default=None, primary_key=True)
    order_id: int = Field(foreign_key="order.id", index=True)
    reason: str = Field(max_length=300)
    flagged_by_id: int | None = Field(default=None, foreign_key="user.id")
    created_at: datetime = created_at_field()
    cleared_at: datetime | None = time_field(index=True)


# -- the audit log is append-only ------------------------------------------------------------
# Twice over: the ORM refuses to flush an UPDATE or DELETE of a ModerationAction, and the
# database itself refuses them with triggers (created with the table here, and by migration
# 0007), so neither a service, a handler nor a raw SQL statement can rewrite history.


class AuditLogIsAppendOnly(Exception):
    pass


def _refuse_change(_mapper, _connection, target) -> None:
    raise AuditLogIsAppendOnly(
        f"moderation_action {getattr(target, 'id', '?')} is append-only: no update or delete"
    )


event.listen(ModerationAction, "before_update", _refuse_change)
event.listen(ModerationAction, "before_delete", _refuse_change)

SQLITE_TRIGGERS = (
    "CREATE TRIGGER moderation_action_no_update BEFORE UPDATE ON moderation_action "
    "BEGIN SELECT RAISE(ABORT, 'moderation_action is append-only'); END",
    "CREATE TRIGGER moderation_action_no_delete BEFORE DELETE ON moderation_action "
    "BEGIN SELECT RAISE(ABORT, 'moderation_action is append-only'); END",
)
POSTGRES_TRIGGERS = (
    "CREATE FUNCTION moderation_action_append_only() RETURNS trigger AS $$ "
    "BEGIN RAISE EXCEPTION 'moderation_action is append-only'; END; $$ LANGUAGE plpgsql",
    "CREATE TRIGGER moderation_action_no_change BEFORE UPDATE OR DELETE ON moderation_action "
    "FOR EACH ROW EXECUTE FUNCTION moderation_action_append_only()",
)
DROP_SQLITE_TRIGGERS = (
    "DROP TRIGGER IF EXISTS moderation_action_no_update",
    "DROP TRIGGER IF EXISTS moderation_action_no_delete",
)
DROP_POSTGRES_TRIGGERS = (
    "DROP TRIGGER IF EXISTS moderation_action_no_change ON moderation_action",
    "DROP FUNCTION IF EXISTS moderation_action_append_only()",
)


def append_only_statements(dialect: str) -> tuple[str, ...]:
    return POSTGRES_TRIGGERS if dialect == "postgresql" else SQLITE_TRIGGERS


@event.listens_for(ModerationAction.__table__, "after_create")
def _create_triggers(table, connection, **_kw) -> None:
    for statement in append_only_statements(connection.dialect.name):
        connection.exec_driver_sql(statement)

"""Column helpers shared by the table modules: UTC timestamps, JSON columns, enum checks."""

from __future__ import annotations

from datetime import datetime
from enum import StrEnum
from typing import Any

from sqlalchemy import JSON, CheckConstraint, Column
from sqlmodel import Field

from marketplace.db import UTCDateTime, utcnow


def created_at_field() -> Any:
    return Field(default_factory=utcnow, sa_type=UTCDateTime, nullable=False)


def time_field(*, index: bool = False) -> Any:
    """An optional timezone-aware timestamp."""
    return Field(default=None, sa_type=UTCDateTime, nullable=True, index=index)


def json_list_field() -> Any:
    return Field(default_factory=list, sa_column=Column(JSON, nullable=False))


def json_dict_field() -> Any:
    # The column default also covers Core bulk inserts (the demo seed) that leave the key out.
    return Field(default_factory=dict, sa_column=Column(JSON, nullable=False, default=dict))


def enum_check(column: str, enum: type[StrEnum], name: str) -> CheckConstraint:
    """A CHECK that keeps a string column inside an enum's values (portable across databases)."""
    values = ", ".join(f"'{member.value}'" for member in enum)
    return CheckConstraint(f"{column} IN ({values})", name=name)


__all__ = [
    "created_at_field",
    "datetime",
    "enum_check",
    "json_dict_field",
    "json_list_field",
    "time_field",
]

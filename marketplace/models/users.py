"""Accounts: users, external identities, revocable sessions, sign-in attempts, seller profiles."""

from datetime import datetime
from enum import StrEnum

from sqlalchemy import JSON, CheckConstraint, Column, UniqueConstraint
from sqlmodel import Field, SQLModel

from marketplace.models._base import (
    created_at_field,
    enum_check,
    json_list_field,
    time_field,
)


class UserStatus(StrEnum):
    active = "active"
    suspended = "suspended"
    banned = "banned"


class SellerLevel(StrEnum):
    new = "new"
    level_1 = "level_1"
    level_2 = "level_2"
    top_rated = "top_rated"


class User(SQLModel, table=True):
    __table_args__ = (enum_check("status", UserStatus, "ck_user_status"),)

    id: int | None = Field(default=None, primary_key=True)
    email: str = Field(max_length=254, unique=True, index=True)
    username: str = Field(max_length=40, unique=True, index=True)
    display_name: str = Field(max_length=80)
    password_hash: str | None = Field(default=None, max_length=255)
    avatar_path: str | None = Field(default=None, max_length=255)
    # ISO alpha-2, "" when not given; shown with the member's reviews (a seller's profile
    # country wins on their own pages).
    country: str = Field(default="", max_length=2, sa_column_kwargs={"server_default": ""})
    is_admin: bool = False
    status: str = Field(default=UserStatus.active, max_length=16)
    email_verified: bool = False
    created_at: datetime = created_at_field()
    last_login_at: datetime | None = time_field()
    # --- account security (issue 14) ---
    # TOTP secret (base32) once two-factor sign-in is on; None while it is off.
    totp_secret: str | None = Field(default=None, max_length=64)
    totp_enabled_at: datetime | None = time_field()
    # Mail kinds the person switched off ("digest", "new_sign_in"); see services/accounts/mail.py.
    # (The column default also covers the demo seed's Core bulk inserts.)
    mail_opt_out: list[str] = Field(
        default_factory=list, sa_column=Column(JSON, nullable=False, default=list)
    )
    digest_sent_at: datetime | None = time_field()
    deleted_at: datetime | None = time_field()


class OAuthIdentity(SQLModel, table=True):
    """A sign-in through an external provider, linked to one user."""

    __tablename__ = "oauth_identity"
    __table_args__ = (UniqueConstraint("provider", "subject", name="uq_oauth_provider_subject"),)

    id: int | None = Field(default=None, primary_key=True)
    user_id: int = Field(foreign_key="user.id", index=True, ondelete="CASCADE")
    provider: str = Field(max_length=40)
    subject: str = Field(max_length=255)
    email: str | None = Field(default=None, max_length=254)
    created_at: datetime = created_at_field()


class UserSession(SQLModel, table=True):
    """A server-side session named by the signed cookie; revoking the row signs out everywhere."""

    __tablename__ = "user_session"

    id: int | None = Field(default=None, primary_key=True)
    token_hash: str = Field(max_length=64, unique=True, index=True)
    user_id: int = Field(foreign_key="user.id", index=True, ondelete="CASCADE")
    created_at: datetime = created_at_field()
    expires_at: datetime = created_at_field()
    # Set when the browser receives the cookie (a sign-in hands it over exactly once).
    activated_at: datetime | None = time_field()
    revoked_at: datetime | None = time_field()
    ip: str | None = Field(default=None, max_length=64)
    user_agent: str | None = Field(default=None, max_length=255)
    last_seen_at: datetime | None = time_field()


class LoginAttempt(SQLModel, table=True):
    """Failed sign-ins, counted per email and per address for rate limiting."""

    __tablename__ = "login_attempt"

    id: int | None = Field(default=None, primary_key=True)
    email: str = Field(max_length=254, index=True)
    ip: str = Field(max_length=64, index=True)
    at: datetime = created_at_field()
    success: bool = False


class FreelancerProfile(SQLModel, table=True):
    """The seller side of an account, created by "Become a seller"."""

    __tablename__ = "freelancer_profile"
    __table_args__ = (
        enum_check("level", SellerLevel, "ck_profile_level"),
        CheckConstraint("rating_avg >= 0 AND rating_avg <= 5", name="ck_profile_rating"),
        CheckConstraint("rating_count >= 0", name="ck_profile_rating_count"),
        CheckConstraint("orders_completed >= 0", name="ck_profile_orders"),
    )

    id: int | None = Field(default=None, primary_key=True)
    user_id: int = Field(foreign_key="user.id", unique=True, ondelete="CASCADE")
    headline: str = Field(default="", max_length=120)
    bio: str = Field(default="", max_length=2000)
    skills: list[str] = json_list_field()
    # [{"language": "English", "level": "native|fluent|conversational|basic"}]
    languages: list[dict] = json_list_field()
    country: str = Field(
        default="", max_length=2, sa_column_kwargs={"server_default": ""}
    )  # ISO 3166 alpha-2
    # [{"kind": "education|certification", "title", "institution", "year"}]
    qualifications: list[dict] = json_list_field()
    # [{"title", "company", "from_year", "to_year", "description"}]
    experience: list[dict] = json_list_field()
    portfolio: list[dict] = json_list_field()  # [{"title", "url"}]
    level: str = Field(default=SellerLevel.new, max_length=16)
    is_pro: bool = False
    response_time_hours: int = 24
    rating_avg: float = 0.0
    rating_count: int = 0
    orders_completed: int = 0
    stripe_account_id: str | None = Field(default=None, max_length=64)
    payouts_enabled: bool = False
    created_at: datetime = created_at_field()
    # When the level was last computed from metrics (services/reviews/levels.py); None: never, the
    # level is the one it started with (or the demo seed gave).
    level_evaluated_at: datetime | None = time_field()
    # When an evaluation first found the seller below their level's requirements: the grace
    # period runs from here (LEVEL_GRACE_DAYS), then the level falls one step. None: on track.
    level_grace_since: datetime | None = time_field()


class AccountTokenPurpose(StrEnum):
    verify_email = "verify_email"
    reset_password = "reset_password"


class AccountToken(SQLModel, table=True):
    """A single-use link sent by mail (verify an address, reset a password); the row keeps only
    the token's hash, so a copy of the database cannot use a link."""

    __tablename__ = "account_token"
    __table_args__ = (enum_check("purpose", AccountTokenPurpose, "ck_account_token_purpose"),)

    id: int | None = Field(default=None, primary_key=True)
    user_id: int = Field(foreign_key="user.id", index=True, ondelete="CASCADE")
    purpose: str = Field(max_length=20)
    token_hash: str = Field(max_length=64, unique=True, index=True)
    email: str = Field(max_length=254)  # the address the link was sent to (and verifies)
    created_at: datetime = created_at_field()
    expires_at: datetime = created_at_field()
    used_at: datetime | None = time_field()


class RecoveryCode(SQLModel, table=True):
    """One of the ten one-time codes that stand in for a lost authenticator (hash only)."""

    __tablename__ = "recovery_code"

    id: int | None = Field(default=None, primary_key=True)
    user_id: int = Field(foreign_key="user.id", index=True, ondelete="CASCADE")
    code_hash: str = Field(max_length=64)
    used_at: datetime | None = time_field()

"""Leaving Gigworks: download my data, and delete my account.

Deletion is refused while any order of the person's (as buyer or seller) is active (paid and
not finished), or while money is held for them (a completed order whose payout has not been
transferred yet). An unpaid checkout does not block it: `close_account` cancels it first and
voids its PaymentIntent through the order executor, so a card hold the buyer authorised but the
marketplace had not yet recorded is released, never lost (docs/orders.md "Status groups").
Otherwise the account is anonymised in one transaction: the name, email, password, two-factor
secret, profile texts and provider links go; orders, reviews and ledger lines stay (they are other
people's records and the accounts' books) but now point at "Deleted member"; every session
ends; the person's gigs are deleted and leave search through the search outbox.
"""

from __future__ import annotations

import secrets
from dataclasses import asdict, dataclass

from sqlalchemy import delete, or_, update
from sqlmodel import Session, col, select

from marketplace.db import session_scope, utcnow
from marketplace.labels import plural
from marketplace.models import (
    AccountToken,
    BuyerReview,
    Conversation,
    FreelancerProfile,
    Gig,
    GigPackage,
    GigStatus,
    LedgerEntry,
    LedgerKind,
    Message,
    OAuthIdentity,
    Order,
    OutboxOp,
    RecoveryCode,
    Review,
    SearchOutbox,
    User,
    UserStatus,
)
from marketplace.services.accounts import members as accounts
from marketplace.services.common.errors import DomainError
from marketplace.services.common.guards import require_active_user
from marketplace.services.common.money import money_text
from marketplace.services.orders import executor as orders
from marketplace.services.orders import process as order_process

DELETED_NAME = "Deleted member"
EXPORT_LIMIT = 5_000  # rows per section; a person with more asks support


class DeletionRefused(DomainError):
    pass


@dataclass(frozen=True)
class DeletionCheck:
    open_orders: int
    money_held_cents: int

    @property
    def allowed(self) -> bool:
        return self.open_orders == 0 and self.money_held_cents == 0

    def reason(self) -> str:
        if self.open_orders:
            return (
                f"You have {plural(self.open_orders, 'open order')}. Finish or cancel "
                f"{'it' if self.open_orders == 1 else 'them'} before deleting your account."
            )
        if self.money_held_cents:
            return (
                f"{money_text(self.money_held_cents)} is still held for you. Set up payouts "
                "and wait for the transfer before deleting your account."
            )
        return ""


def deletion_check(session: Session, *, user_id: int) -> DeletionCheck:
    mine = or_(Order.buyer_id == user_id, Order.seller_id == user_id)
    open_orders = len(
        session.exec(
            select(Order.id).where(mine, col(Order.status).in_(order_process.ACTIVE))
        ).all()
    )
    released = select(LedgerEntry.order_id).where(LedgerEntry.kind == LedgerKind.release)
    owed = session.exec(
        select(Order.payout_cents).where(
            Order.seller_id == user_id,
            col(Order.payout_cents) > 0,
            col(Order.id).not_in(released),
        )
    ).all()
    return DeletionCheck(open_orders=open_orders, money_held_cents=sum(owed))


def _unpaid_checkouts(session: Session, user_id: int) -> list[str]:
    mine = or_(Order.buyer_id == user_id, Order.seller_id == user_id)
    return list(
        session.exec(
            select(Order.code).where(mine, col(Order.status).in_(order_process.UNPAID))
        ).all()
    )


def _may_delete(session: Session, actor: User | None, password: str) -> User:
    user = session.get(User, require_active_user(actor).id)
    if user.password_hash and not accounts.verify_password(user.password_hash, password or ""):
        raise accounts.ValidationError("password", "That is not your password.")
    check = deletion_check(session, user_id=user.id)
    if not check.allowed:
        raise DeletionRefused(check.reason())
    return user


def close_account(
    *, actor: User | None, password: str, context: orders.Context | None = None
) -> None:
    """What the settings page's "Delete my account" does: check, cancel the person's unpaid
    checkouts (their PaymentIntents voided, with no transaction open across Stripe), then
    anonymise the account in one transaction."""
    ctx = context or orders.default_context()
    with session_scope(ctx.engine) as session:
        user = _may_delete(session, actor, password)
        unpaid = _unpaid_checkouts(session, user.id)
    for code in unpaid:
        try:
            orders.perform(
                order_code=code, action="expire_unpaid", actor=None, system=True, context=ctx
            )
        except DomainError as exc:  # paid meanwhile (it is active now) or Stripe did not answer
            raise DeletionRefused(
                "A checkout of yours could not be cancelled just now. Try again in a moment."
            ) from exc
    with session_scope(ctx.engine) as session:
        delete_account(session, actor=actor, password=password)


def delete_account(session: Session, *, actor: User | None, password: str) -> None:
    """Anonymise the account (see the module docstring); the caller commits. Unpaid checkouts
    must be cancelled first (`close_account` does it): this transaction cannot call Stripe."""
    user = _may_delete(session, actor, password)
    if _unpaid_checkouts(session, user.id):
        raise DeletionRefused(
            "A checkout of yours is still waiting for payment. Try again in a moment."
        )
    now = utcnow()
    for gig_id in session.exec(
        select(Gig.id).where(Gig.seller_id == user.id, Gig.status != GigStatus.deleted.value)
    ).all():
        session.add(SearchOutbox(gig_id=gig_id, op=OutboxOp.delete.value))
    session.execute(
        update(Gig).where(Gig.seller_id == user.id).values(status=GigStatus.deleted.value)
    )
    session.execute(
        update(FreelancerProfile)
        .where(FreelancerProfile.user_id == user.id)
        .values(
            headline="", bio="", skills=[], languages=[], qualifications=[], experience=[],
            portfolio=[], payouts_enabled=False,
        )
    )  # fmt: skip
    for table in (OAuthIdentity, RecoveryCode, AccountToken):
        session.execute(delete(table).where(table.user_id == user.id))
    accounts.revoke_all_sessions(session, user_id=user.id, now=now)
    tag = secrets.token_hex(6)
    user.email = f"deleted-{user.id}-{tag}@deleted.invalid"
    user.username = f"deleted_{user.id}_{tag}"[:40]
    user.display_name = DELETED_NAME
    user.country = ""
    user.password_hash = None
    user.avatar_path = None
    user.totp_secret = None
    user.totp_enabled_at = None
    user.email_verified = False
    user.mail_opt_out = ["digest", "new_sign_in"]
    user.status = UserStatus.banned.value  # no sign-in of any kind reaches it again
    user.deleted_at = now
    session.add(user)
    session.flush()


# --- export -----------------------------------------------------------------------------------


def _row(obj, *fields: str) -> dict:
    out = {}
    for name in fields:
        value = getattr(obj, name)
        out[name] = value.isoformat() if hasattr(value, "isoformat") else value
    return out


def export_data(session: Session, *, actor: User | None) -> dict:
    """Everything the marketplace holds about the person, as JSON-ready data."""
    user = session.get(User, require_active_user(actor).id)
    profile = session.exec(
        select(FreelancerProfile).where(FreelancerProfile.user_id == user.id)
    ).first()
    gigs = session.exec(select(Gig).where(Gig.seller_id == user.id).limit(EXPORT_LIMIT)).all()
    orders = session.exec(
        select(Order)
        .where(or_(Order.buyer_id == user.id, Order.seller_id == user.id))
        .order_by(Order.id)
        .limit(EXPORT_LIMIT)
    ).all()
    conversation_ids = select(Conversation.id).where(
        or_(Conversation.buyer_id == user.id, Conversation.seller_id == user.id)
    )
    messages = session.exec(
        select(Message)
        .where(col(Message.conversation_id).in_(conversation_ids))
        .order_by(Message.id)
        .limit(EXPORT_LIMIT)
    ).all()
    reviews = session.exec(
        select(Review)
        .where(or_(Review.buyer_id == user.id, Review.seller_id == user.id))
        .limit(EXPORT_LIMIT)
    ).all()
    buyer_reviews = session.exec(
        select(BuyerReview)
        .where(or_(BuyerReview.buyer_id == user.id, BuyerReview.seller_id == user.id))
        .limit(EXPORT_LIMIT)
    ).all()
    packages: dict[int, list[GigPackage]] = {}
    for package in session.exec(
        select(GigPackage).where(col(GigPackage.gig_id).in_([g.id for g in gigs]))
    ).all():
        packages.setdefault(package.gig_id, []).append(package)
    identities = session.exec(select(OAuthIdentity).where(OAuthIdentity.user_id == user.id)).all()
    sections = {
        "gigs": gigs, "orders": orders, "messages": messages, "reviews": reviews,
        "buyer_reviews": buyer_reviews,
    }  # fmt: skip
    return {
        "format": "gigworks-export-1",
        "exported_at": utcnow().isoformat(),
        "profile": {
            **_row(
                user,
                "id",
                "email",
                "username",
                "display_name",
                "country",
                "created_at",
                "email_verified",
            ),  # fmt: skip
            "two_factor": bool(user.totp_enabled_at),
            "sign_in_providers": [_row(i, "provider", "email", "created_at") for i in identities],
            "seller_profile": (
                _row(
                    profile,
                    "headline",
                    "bio",
                    "skills",
                    "languages",
                    "country",
                    "qualifications",
                    "experience",
                    "portfolio",
                    "level",
                    "created_at",
                )
                if profile
                else None
            ),  # fmt: skip
        },
        "gigs": [
            {
                **_row(g, "id", "title", "slug", "status", "description", "tags", "created_at"),
                "packages": [
                    _row(
                        p,
                        "tier",
                        "name",
                        "description",
                        "price_cents",
                        "delivery_days",
                        "revisions",
                        "features",
                    )
                    for p in packages.get(g.id, [])
                ],
            }  # fmt: skip
            for g in gigs
        ],
        "orders": [
            {
                **_row(
                    o,
                    "code",
                    "title",
                    "status",
                    "total_cents",
                    "subtotal_cents",
                    "service_fee_cents",
                    "seller_earnings_cents",
                    "created_at",
                ),
                "role": "buyer" if o.buyer_id == user.id else "seller",
            }  # fmt: skip
            for o in orders
        ],
        "messages": [
            {**_row(m, "conversation_id", "body", "created_at"), "mine": m.sender_id == user.id}
            for m in messages
        ],
        "reviews": [
            {
                **_row(r, "rating", "body", "created_at"),
                "role": "buyer" if r.buyer_id == user.id else "seller",
            }
            for r in reviews
        ],
        "buyer_reviews": [
            {
                **_row(r, "rating", "body", "created_at"),
                "role": "buyer (reviewed)" if r.buyer_id == user.id else "seller (wrote it)",
            }
            for r in buyer_reviews
        ],
        # Sections cut at EXPORT_LIMIT rows: said, not silent (support sends the rest).
        "truncated": [name for name, rows in sections.items() if len(rows) >= EXPORT_LIMIT],
        "deletion": asdict(deletion_check(session, user_id=user.id)),
    }

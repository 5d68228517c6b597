"""All tables, imported here so SQLModel.metadata (and Alembic) sees every one of them."""

from marketplace.models.gigs import (
    Category,
    ExtraKind,
    Favorite,
    Gig,
    GigExtra,
    GigFAQ,
    GigMedia,
    GigPackage,
    GigRequirement,
    GigStatus,
    OutboxOp,
    PackageTier,
    RequirementKind,
    SearchOutbox,
)
from marketplace.models.messaging import Conversation, CustomOffer, Message, OfferStatus
from marketplace.models.moderation import ModerationAction, Report, ReportStatus, ReportTarget
from marketplace.models.notifications import Notification

# moderation (admin): post-moderation snapshots, flagged orders, report outcomes
from marketplace.models.moderation import GigApproval, OrderFlag, ReportOutcome  # noqa: E402
from marketplace.models.orders import (
    ActorRole,
    Delivery,
    Dispute,
    DisputeStatus,
    Order,
    OrderEvent,
    OrderStatus,
)
from marketplace.models.payments import LedgerEntry, LedgerKind, StripeEvent
from marketplace.models.reviews import ProApplication, ProApplicationStatus, Review
from marketplace.models.users import (
    FreelancerProfile,
    LoginAttempt,
    OAuthIdentity,
    SellerLevel,
    User,
    UserSession,
    UserStatus,
)

__all__ = [
    "ActorRole",
    "Category",
    "Conversation",
    "CustomOffer",
    "Delivery",
    "Dispute",
    "DisputeStatus",
    "ExtraKind",
    "Favorite",
    "FreelancerProfile",
    "Gig",
    "GigExtra",
    "GigFAQ",
    "GigMedia",
    "GigPackage",
    "GigRequirement",
    "GigStatus",
    "LedgerEntry",
    "LedgerKind",
    "LoginAttempt",
    "Message",
    "ModerationAction",
    "Notification",
    "OAuthIdentity",
    "OfferStatus",
    "Order",
    "OrderEvent",
    "OrderStatus",
    "OutboxOp",
    "PackageTier",
    "ProApplication",
    "ProApplicationStatus",
    "Report",
    "ReportStatus",
    "ReportTarget",
    "RequirementKind",
    "Review",
    "SearchOutbox",
    "SellerLevel",
    "StripeEvent",
    "User",
    "UserSession",
    "UserStatus",
    # moderation (admin)
    "GigApproval",
    "OrderFlag",
    "ReportOutcome",
]

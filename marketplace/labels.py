"""The words shown for stored codes: gig statuses, seller levels, package tiers and revisions.

One table each, so a gig "waiting for review" reads the same on the My gigs tab, in the editor,
in a service's message and in the command line. Plain Python (no reflex): services, state and the
CLI all import it.
"""

from marketplace.models.gigs import UNLIMITED_REVISIONS

# A status as a badge or a tab: "Pending review".
GIG_STATUS_LABELS = {
    "draft": "Draft",
    "pending_review": "Pending review",
    "active": "Active",
    "paused": "Paused",
    "rejected": "Rejected",
    "suspended": "Suspended",
    "deleted": "Deleted",
}
# The same status inside a sentence: "this one is waiting for review".
GIG_STATUS_PHRASES = {
    "draft": "a draft",
    "pending_review": "waiting for review",
    "active": "active",
    "paused": "paused",
    "rejected": "not approved",
    "suspended": "suspended by our moderators",
    "deleted": "deleted",
}

SELLER_LEVEL_LABELS = {
    "new": "New seller",
    "level_1": "Level 1",
    "level_2": "Level 2",
    "top_rated": "Top Rated",
}

TIER_LABELS = {"basic": "Basic", "standard": "Standard", "premium": "Premium"}

UNLIMITED_LABEL = "Unlimited"


def gig_status_label(status: str) -> str:
    return GIG_STATUS_LABELS.get(status, status.replace("_", " ").capitalize())


def seller_level_label(level: str) -> str:
    """ "Level 1", on cards and profiles."""
    return SELLER_LEVEL_LABELS.get(level, level.replace("_", " ").title())


def seller_level_phrase(level: str) -> str:
    """ "Level 1 seller", inside a sentence ("As a Level 1 seller you can ...")."""
    label = SELLER_LEVEL_LABELS.get(level)
    if label is None:
        return "seller"
    return label if label.endswith("seller") else f"{label} seller"


def plural(count: int, word: str, many: str | None = None) -> str:
    """ "1 gig", "9 gigs", "2 replies" (`many` for a word that does not just add an s): the
    one way a count and its noun are written, never "gig(s)"."""
    return f"{count:,} {word if count == 1 else many or word + 's'}"


def revisions_label(revisions: int) -> str:
    """ "Unlimited" or "2": the revisions cell of a package table."""
    return UNLIMITED_LABEL if revisions == UNLIMITED_REVISIONS else str(revisions)


def revisions_count(revisions: int) -> str:
    """ "Unlimited revisions", "1 revision", "3 revisions"."""
    if revisions == UNLIMITED_REVISIONS:
        return f"{UNLIMITED_LABEL} revisions"
    return f"{revisions} revision{'' if revisions == 1 else 's'}"


def revisions_used(used: int, allowed: int) -> str:
    """ "1 of 3 revisions used", "2 of unlimited revisions used": an order's revision count."""
    if allowed == UNLIMITED_REVISIONS:
        return f"{used} of {UNLIMITED_LABEL.lower()} revisions used"
    return f"{used} of {revisions_count(allowed)} used"


def package_name_shown(tier: str, name: str) -> str:
    """A package's own name beside its tier badge, or "" when it only repeats the tier
    ("Basic" named "Basic" reads "Basic / Basic")."""
    tier_label = TIER_LABELS.get(tier, tier.title())
    return "" if name.strip().casefold() == tier_label.casefold() else name

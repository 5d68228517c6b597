"""Typed, display-ready shapes of service read models, used as Reflex state vars."""

import dataclasses

from marketplace.components.format import level_label, money
from marketplace.services.catalog import CategorySummary, GigCard


@dataclasses.dataclass
class CategoryView:
    id: int = 0
    name: str = ""
    slug: str = ""
    icon: str = ""
    description: str = ""
    subcategories: str = ""
    gig_count: int = 0

    @classmethod
    def from_summary(cls, summary: CategorySummary) -> "CategoryView":
        return cls(
            id=summary.id,
            name=summary.name,
            slug=summary.slug,
            icon=summary.icon,
            description=summary.description,
            subcategories=" · ".join(summary.subcategories[:4]),
            gig_count=summary.active_gigs,
        )


@dataclasses.dataclass
class GigCardView:
    id: int = 0
    slug: str = ""
    title: str = ""
    category: str = ""
    icon: str = ""
    seller_name: str = ""
    seller_initials: str = ""
    seller_level: str = ""
    is_pro: bool = False
    price_from: str = ""
    rating: str = ""
    rating_count: int = 0
    hue: int = 0

    @classmethod
    def from_card(cls, card: GigCard) -> "GigCardView":
        initials = "".join(part[0] for part in card.seller_name.split()[:2]).upper()
        return cls(
            id=card.id,
            slug=card.slug,
            title=card.title,
            category=card.category_name,
            icon=card.category_icon,
            seller_name=card.seller_name,
            seller_initials=initials,
            seller_level=level_label(card.seller_level),
            is_pro=card.seller_is_pro,
            price_from=money(card.price_from_cents),
            rating=f"{card.rating_avg:.1f}" if card.rating_count else "",
            rating_count=card.rating_count,
            hue=(card.id * 47) % 360,
        )

"""Typed, display-ready shapes of service read models, used as Reflex state vars."""

import dataclasses

from marketplace.components.format import level_label, money
from marketplace.services.catalog import CategorySummary, GigCard
from marketplace.services.profiles import PublicProfile


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


def initials(name: str) -> str:
    return "".join(part[0] for part in name.split()[:2]).upper()


@dataclasses.dataclass
class RatingBar:
    stars: int = 0
    count: int = 0
    percent: str = "0%"


@dataclasses.dataclass
class ReviewView:
    rating: int = 0
    body: str = ""
    buyer: str = ""
    buyer_initials: str = ""
    date: str = ""
    reply: str = ""


@dataclasses.dataclass
class LanguageView:
    language: str = ""
    level: str = ""


@dataclasses.dataclass
class QualificationView:
    kind: str = ""
    title: str = ""
    institution: str = ""
    year: str = ""


@dataclasses.dataclass
class ExperienceView:
    title: str = ""
    company: str = ""
    years: str = ""
    description: str = ""


@dataclasses.dataclass
class LinkView:
    title: str = ""
    url: str = ""


@dataclasses.dataclass
class PublicProfileView:
    username: str = ""
    display_name: str = ""
    initials: str = ""
    avatar_url: str = ""
    member_since: str = ""
    headline: str = ""
    bio: str = ""
    country: str = ""
    level: str = ""
    is_pro: bool = False
    response_time: str = ""
    rating: str = ""
    rating_count: int = 0
    orders_completed: int = 0
    skills: list[str] = dataclasses.field(default_factory=list)
    languages: list[LanguageView] = dataclasses.field(default_factory=list)
    qualifications: list[QualificationView] = dataclasses.field(default_factory=list)
    experience: list[ExperienceView] = dataclasses.field(default_factory=list)
    portfolio: list[LinkView] = dataclasses.field(default_factory=list)
    rating_bars: list[RatingBar] = dataclasses.field(default_factory=list)
    reviews: list[ReviewView] = dataclasses.field(default_factory=list)

    @classmethod
    def from_profile(cls, p: PublicProfile) -> "PublicProfileView":
        total = max(1, sum(p.rating_breakdown))
        hours = p.response_time_hours
        return cls(
            username=p.username,
            display_name=p.display_name,
            initials=initials(p.display_name),
            avatar_url=f"/media/{p.avatar}" if p.avatar else "",
            member_since=p.member_since.strftime("%b %Y"),
            headline=p.headline,
            bio=p.bio,
            country=p.country_name or p.country,
            level=level_label(p.level),
            is_pro=p.is_pro,
            response_time=f"{hours} hour" if hours == 1 else f"{hours} hours",
            rating=f"{p.rating_avg:.1f}",
            rating_count=p.rating_count,
            orders_completed=p.orders_completed,
            skills=list(p.skills),
            languages=[
                LanguageView(str(row.get("language", "")), str(row.get("level", "")).capitalize())
                for row in p.languages
            ],
            qualifications=[
                QualificationView(
                    kind="Certification" if row.get("kind") == "certification" else "Education",
                    title=str(row.get("title", "")),
                    institution=str(row.get("institution", "")),
                    year=str(row.get("year") or ""),
                )
                for row in p.qualifications
            ],
            experience=[
                ExperienceView(
                    title=str(row.get("title", "")),
                    company=str(row.get("company", "")),
                    years=f"{row.get('from_year')} – {row.get('to_year') or 'present'}",
                    description=str(row.get("description", "")),
                )
                for row in p.experience
            ],
            portfolio=[
                LinkView(str(r.get("title", "")), str(r.get("url", ""))) for r in p.portfolio
            ],
            rating_bars=[
                RatingBar(stars, count, f"{100 * count / total:.0f}%")
                for stars, count in zip((5, 4, 3, 2, 1), p.rating_breakdown, strict=True)
            ],
            reviews=[
                ReviewView(
                    rating=r.rating,
                    body=r.body,
                    buyer=r.buyer_name,
                    buyer_initials=initials(r.buyer_name),
                    date=r.created_at.strftime("%b %d, %Y"),
                    reply=r.seller_reply,
                )
                for r in p.reviews
            ],
        )

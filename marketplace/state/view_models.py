"""Typed, display-ready shapes of service read models, used as Reflex state vars."""

import dataclasses
from datetime import datetime

from marketplace import labels
from marketplace.labels import TIER_LABELS, gig_status_label, seller_level_label
from marketplace.services.accounts.profiles import PublicProfile
from marketplace.services.common.reference import COUNTRIES
from marketplace.services.gigs.catalog import CategorySummary, GigCard
from marketplace.services.gigs.pages import GigPage, MyGigRow, PackageView
from marketplace.services.gigs.rules import DEFAULT_EXTRA_TITLES
from marketplace.state.format import initials, media_url, money, plural


@dataclasses.dataclass
class CategoryView:
    id: int = 0
    name: str = ""
    slug: str = ""
    icon: str = ""
    description: str = ""
    subcategories: str = ""
    gig_count: int = 0
    gig_count_label: str = ""  # "1 service", "12 services"

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
            gig_count_label=plural(summary.active_gigs, "service"),
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
    cover_url: str = ""  # /media/ URL of the gallery's first image, "" for the placeholder

    @classmethod
    def from_card(cls, card: GigCard) -> "GigCardView":
        return cls(
            id=card.id,
            slug=card.slug,
            title=card.title,
            category=card.category_name,
            icon=card.category_icon,
            seller_name=card.seller_name,
            seller_initials=initials(card.seller_name),
            seller_level=seller_level_label(card.seller_level),
            is_pro=card.seller_is_pro,
            price_from=money(card.price_from_cents),
            rating=f"{card.rating_avg:.1f}" if card.rating_count else "",
            rating_count=card.rating_count,
            hue=cover_hue(card.id),
            cover_url=media_url(card.cover_image),
        )


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
    rating_count_label: str = ""  # "1 review", "23 reviews"
    orders_completed: int = 0
    skills: list[str] = dataclasses.field(default_factory=list)
    languages: list[LanguageView] = dataclasses.field(default_factory=list)
    qualifications: list[QualificationView] = dataclasses.field(default_factory=list)
    experience: list[ExperienceView] = dataclasses.field(default_factory=list)
    portfolio: list[LinkView] = dataclasses.field(default_factory=list)

    @classmethod
    def from_profile(cls, p: PublicProfile) -> "PublicProfileView":
        hours = p.response_time_hours
        return cls(
            username=p.username,
            display_name=p.display_name,
            initials=initials(p.display_name),
            avatar_url=media_url(p.avatar),
            member_since=p.member_since.strftime("%b %Y"),
            headline=p.headline,
            bio=p.bio,
            country=p.country_name or p.country,
            level=seller_level_label(p.level),
            is_pro=p.is_pro,
            response_time=plural(hours, "hour") if hours is not None else "",
            rating=f"{p.rating_avg:.1f}",
            rating_count=p.rating_count,
            rating_count_label=plural(p.rating_count, "review"),
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
        )


# --- the gig page (/gig/<slug>) and "my gigs" (/my/gigs) ----------------------------------------


def cover_hue(gig_id: int) -> int:
    """The hue of a gig's placeholder cover; the same on cards, the gig page and "my gigs"."""
    return (gig_id * 47) % 360


def _date(value: datetime | None) -> str:
    return value.strftime("%b %d, %Y") if value else ""


@dataclasses.dataclass
class FeatureRow:
    name: str = ""
    included: bool = False


@dataclasses.dataclass
class PackageCardView:
    tier: str = ""
    label: str = ""  # Basic / Standard / Premium
    name: str = ""
    subtitle: str = ""  # the name, unless it only repeats the tier label
    description: str = ""
    price: str = ""
    price_cents: int = 0
    delivery_days: int = 0
    delivery: str = ""
    revisions: str = ""  # "Unlimited", "2"
    revisions_label: str = ""  # "Unlimited revisions", "1 revision"
    features: list[FeatureRow] = dataclasses.field(default_factory=list)

    @classmethod
    def from_package(cls, p: PackageView, feature_names: list[str]) -> "PackageCardView":
        return cls(
            tier=p.tier,
            label=TIER_LABELS.get(p.tier, p.tier.title()),
            name=p.name,
            subtitle=labels.package_name_shown(p.tier, p.name),
            description=p.description,
            price=money(p.price_cents),
            price_cents=p.price_cents,
            delivery_days=p.delivery_days,
            delivery=f"{p.delivery_days}-day delivery",
            revisions=labels.revisions_label(p.revisions),
            revisions_label=labels.revisions_count(p.revisions),
            features=[
                FeatureRow(name, bool(included))
                for name, included in zip(feature_names, p.included, strict=False)
            ],
        )


@dataclasses.dataclass
class CompareRow:
    label: str = ""
    checks: bool = False  # cells are "yes"/"no" (check and x icons) rather than text
    cells: list[str] = dataclasses.field(default_factory=list)


@dataclasses.dataclass
class ExtraOptionView:
    id: int = 0  # the GigExtra's id, for the checkout link
    title: str = ""
    description: str = ""
    price: str = ""
    price_cents: int = 0
    extra_days: int = 0
    days_note: str = ""
    included_in: list[str] = dataclasses.field(default_factory=list)  # tiers that include it


@dataclasses.dataclass
class FAQItemView:
    question: str = ""
    answer: str = ""


@dataclasses.dataclass
class GigSellerView:
    display_name: str = ""
    username: str = ""
    profile_url: str = ""
    avatar_url: str = ""
    initials: str = ""
    headline: str = ""
    level: str = ""
    is_pro: bool = False
    rating: str = ""
    rating_count: int = 0
    orders_completed: int = 0
    country: str = ""
    languages: str = ""
    response_time: str = ""
    member_since: str = ""


@dataclasses.dataclass
class GigPageView:
    id: int = 0
    title: str = ""
    status: str = ""
    notice: str = ""
    is_owner: bool = False
    edit_url: str = ""
    category_name: str = ""
    category_url: str = ""
    parent_name: str = ""
    parent_url: str = ""
    icon: str = "briefcase"
    hue: int = 0
    description: str = ""
    tags: list[str] = dataclasses.field(default_factory=list)
    single_package: bool = False
    packages: list[PackageCardView] = dataclasses.field(default_factory=list)
    compare: list[CompareRow] = dataclasses.field(default_factory=list)
    extras: list[ExtraOptionView] = dataclasses.field(default_factory=list)
    faqs: list[FAQItemView] = dataclasses.field(default_factory=list)
    images: list[str] = dataclasses.field(default_factory=list)  # /media/ URLs, cover first
    seller: GigSellerView = dataclasses.field(default_factory=GigSellerView)
    rating: str = ""
    rating_count: int = 0
    orders_completed: int = 0
    orders_label: str = ""  # "1 order", "73 orders"

    @classmethod
    def from_page(cls, g: GigPage) -> "GigPageView":
        packages = [PackageCardView.from_package(p, g.features) for p in g.packages]
        compare = [
            CompareRow(name, True, ["yes" if p.included[i] else "no" for p in g.packages])
            for i, name in enumerate(g.features)
        ]
        compare += [
            CompareRow("Delivery time", False, [plural(p.delivery_days, "day") for p in packages]),
            CompareRow("Revisions", False, [p.revisions for p in packages]),
            CompareRow("Total", False, [p.price for p in packages]),
        ]
        s = g.seller
        hours = s.response_time_hours
        return cls(
            id=g.id,
            title=g.title,
            status=g.status,
            notice=g.visibility_notice,
            is_owner=g.is_owner,
            edit_url=f"/gigs/{g.id}/edit",
            category_name=g.category_name,
            category_url=f"/search?category={g.category_slug}" if g.category_slug else "",
            parent_name=g.parent_category_name,
            parent_url=(
                f"/search?category={g.parent_category_slug}" if g.parent_category_slug else ""
            ),
            icon=g.category_icon or "briefcase",
            hue=cover_hue(g.id),
            description=g.description,
            tags=list(g.tags),
            single_package=g.single_package or len(packages) == 1,
            packages=packages,
            compare=compare,
            extras=[
                ExtraOptionView(
                    id=e.id,
                    title=e.title or DEFAULT_EXTRA_TITLES.get(e.kind, "Extra"),
                    description=e.description,
                    price=f"+{money(e.price_cents)}",
                    price_cents=e.price_cents,
                    extra_days=e.extra_days,
                    included_in=list(e.included_in),
                    days_note=(
                        f"{plural(-e.extra_days, 'day')} faster"
                        if e.extra_days < 0
                        else f"+{plural(e.extra_days, 'day')}"
                        if e.extra_days > 0
                        else ""
                    ),
                )
                for e in g.extras
            ],
            faqs=[FAQItemView(f.question, f.answer) for f in g.faqs],
            images=[media_url(name) for name in g.gallery],
            seller=GigSellerView(
                display_name=s.display_name,
                username=s.username,
                profile_url=f"/u/{s.username}",
                avatar_url=media_url(s.avatar_path),
                initials=initials(s.display_name),
                headline=s.headline,
                level=seller_level_label(s.level),
                is_pro=s.is_pro,
                rating=f"{s.rating_avg:.1f}",
                rating_count=s.rating_count,
                orders_completed=s.orders_completed,
                country=COUNTRIES.get(s.country, s.country),
                languages=", ".join(s.languages),
                response_time=plural(hours, "hour") if hours is not None else "",
                member_since=s.member_since.strftime("%b %Y"),
            ),
            rating=f"{g.rating_avg:.1f}",
            rating_count=g.rating_count,
            orders_completed=g.orders_completed,
            orders_label=plural(g.orders_completed, "order"),
        )


@dataclasses.dataclass
class MyGigRowView:
    id: int = 0
    title: str = ""
    status: str = ""
    status_label: str = ""
    public_url: str = ""
    edit_url: str = ""
    cover_url: str = ""
    hue: int = 0
    price_from: str = ""
    impressions: str = ""
    orders_completed: str = ""
    orders_in_progress: str = ""
    updated: str = ""
    saves: str = ""

    @classmethod
    def from_row(cls, row: MyGigRow) -> "MyGigRowView":
        return cls(
            id=row.id,
            title=row.title,
            status=row.status,
            status_label=gig_status_label(row.status),
            public_url=f"/gig/{row.slug}",
            edit_url=f"/gigs/{row.id}/edit",
            cover_url=media_url(row.cover_image),
            hue=cover_hue(row.id),
            price_from=money(row.price_from_cents) if row.price_from_cents else "—",
            impressions=f"{row.impressions:,}",
            orders_completed=f"{row.orders_completed:,}",
            orders_in_progress=f"{row.orders_in_progress:,}",
            updated=_date(row.updated_at),
            saves=f"{row.saves:,}",
        )

"""`/categories/<slug>` and `/categories/<slug>/<sub>`: which category a path names, with its
title, description and breadcrumbs. A path naming no category (or a subcategory under the wrong
parent) is NotFound."""

from __future__ import annotations

from dataclasses import dataclass

from sqlmodel import Session, select

from marketplace.models import Category
from marketplace.services.common.errors import NotFound

PATH_PREFIX = "/categories/"


@dataclass(frozen=True)
class Crumb:
    label: str
    href: str


@dataclass(frozen=True)
class CategoryPage:
    category: str  # top-level slug
    subcategory: str  # "" on a top-level category's page
    name: str
    description: str
    icon: str
    crumbs: list[Crumb]  # Home > Category [> Subcategory]; the last one is this page


def slugs_from_path(path: str) -> tuple[str, str] | None:
    """("logo-design", "") for /categories/logo-design, (cat, sub) for two parts, else None."""
    if not isinstance(path, str) or not path.startswith(PATH_PREFIX):
        return None
    parts = [part for part in path[len(PATH_PREFIX) :].split("?")[0].split("/") if part]
    if not 1 <= len(parts) <= 2 or any(len(part) > 80 for part in parts):
        return None
    return (parts[0], parts[1] if len(parts) == 2 else "")


def category_page(session: Session, *, slug: str, subcategory: str = "") -> CategoryPage:
    top = session.exec(select(Category).where(Category.slug == slug)).first()
    if top is None or top.parent_id is not None:
        raise NotFound("There is no such category.")
    crumbs = [Crumb("Home", "/"), Crumb(top.name, f"{PATH_PREFIX}{top.slug}")]
    if not subcategory:
        return CategoryPage(top.slug, "", top.name, top.description, top.icon, crumbs)
    sub = session.exec(
        select(Category).where(Category.slug == subcategory, Category.parent_id == top.id)
    ).first()
    if sub is None:
        raise NotFound("There is no such category.")
    crumbs.append(Crumb(sub.name, f"{PATH_PREFIX}{top.slug}/{sub.slug}"))
    return CategoryPage(
        top.slug, sub.slug, sub.name, sub.description or top.description, top.icon, crumbs
    )


def category_page_exists(session: Session, *, path: str) -> bool:
    slugs = slugs_from_path(path)
    if slugs is None:
        return False
    try:
        category_page(session, slug=slugs[0], subcategory=slugs[1])
    except NotFound:
        return False
    return True

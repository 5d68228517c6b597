"""What a gig search asks for, and how it becomes a Meilisearch request. Framework-free.

`GigQuery` is the whole view a user picked: words, filters, sort and page. It round-trips
through short URL parameters (`to_params` / `from_params`) so a copied link reproduces the view;
anything in a URL that is not understood is dropped, never passed on.

Filters are built here and only here. Attribute names come from the FILTERABLE allowlist;
every value is a double-quoted string literal after escaping `\\` then `"` (`quote`), so no
value, whatever it holds (quotes, `AND`, `TO`, brackets, 10,000 characters), can change which
filter runs. Numbers are formatted by Python from ints/floats, never copied from input.

Highlights: Meilisearch wraps matched words in `_formatted` with HIGHLIGHT_PRE/POST, private-use
characters that `highlight_segments` turns into (text, marked) pairs for the UI to render as
text. Nothing from the index is ever rendered as HTML.
"""

from __future__ import annotations

import math
from collections.abc import Mapping
from dataclasses import dataclass, field, replace
from typing import Any

from search.index import FILTERABLE

PER_PAGE = 24
MAX_PAGE = 40  # 40 x 24 = 960, inside the index's maxTotalHits (1,000)
MAX_QUERY_LENGTH = 200
MAX_VALUES = 10  # values per multi-valued filter (levels, languages, countries)
MAX_VALUE_LENGTH = 80
MAX_PRICE_CENTS = 100_000_00  # $100,000

HIGHLIGHT_PRE = "\ue000"
HIGHLIGHT_POST = "\ue001"

SORTS: dict[str, list[str]] = {
    "relevance": [],
    "best_selling": ["orders_completed:desc"],
    "newest": ["created_at:desc"],
    "price_asc": ["price_from:asc"],
    "price_desc": ["price_from:desc"],
    "rating": ["rating_avg:desc"],
}
SORT_LABELS: dict[str, str] = {
    "relevance": "Relevance",
    "best_selling": "Best selling",
    "newest": "Newest",
    "price_asc": "Price: low to high",
    "price_desc": "Price: high to low",
    "rating": "Best rating",
}
LEVELS: dict[str, str] = {
    "new": "New seller",
    "level_1": "Level 1",
    "level_2": "Level 2",
    "top_rated": "Top Rated",
}
# URL value -> the most days a gig may take to deliver (delivery_days_min <= days).
DELIVERY: dict[str, int] = {"1": 1, "3": 3, "7": 7}
DELIVERY_LABELS: dict[str, str] = {"1": "Express 24H", "3": "Up to 3 days", "7": "Up to 7 days"}
# URL value -> the lowest average rating shown.
RATINGS: dict[str, float] = {"4": 4.0, "4.5": 4.5}
RATING_LABELS: dict[str, str] = {"4": "4.0 & up", "4.5": "4.5 & up"}

# filter groups as the page and the URL name them -> GigQuery fields
MULTI_VALUED = {"level": "levels", "lang": "languages", "country": "countries"}
SINGLE_VALUED = {
    "cat": "category",
    "sub": "subcategory",
    "delivery": "delivery",
    "rating": "rating",
}

FACETS = [
    "category_slug",
    "subcategory_slug",
    "seller_level",
    "is_pro",
    "seller_languages",
    "seller_country",
    "delivery_days_min",
    "price_from",
    "rating_avg",
]
MAX_FACET_VALUES = 1000  # the index's faceting.maxValuesPerFacet (search/index.py)
# Every document is either Pro or not, and facet counts are not capped by the index's
# maxTotalHits (1,000) as totalHits is: summing this facet gives the exact number of matches.
EXACT_COUNT_FACET = "is_pro"
RETRIEVE = [
    "id",
    "slug",
    "title",
    "category",
    "subcategory",
    "seller",
    "price_from",
    "delivery_days_min",
    "rating_avg",
    "rating_count",
    "orders_completed",
    "cover_image",
]

assert set(FACETS) <= set(FILTERABLE)


class FilterValueError(ValueError):
    """A filter value that cannot be used (the message says why)."""


def quote(value: str) -> str:
    """A Meilisearch string literal for `value`: `\\` then `"` escaped, in double quotes."""
    if not isinstance(value, str):
        raise FilterValueError("filter values are strings")
    return '"' + value.replace("\\", "\\\\").replace('"', '\\"') + '"'


def _attribute(name: str) -> str:
    if name not in FILTERABLE:
        raise FilterValueError(f"{name!r} is not a filterable attribute")
    return name


def equals(name: str, value: str) -> str:
    return f"{_attribute(name)} = {quote(value)}"


def one_of(name: str, values: tuple[str, ...] | list[str]) -> str:
    return f"{_attribute(name)} IN [{', '.join(quote(v) for v in values)}]"


def _number(value: int | float) -> str:
    if isinstance(value, bool) or not isinstance(value, int | float) or not math.isfinite(value):
        raise FilterValueError("numeric filter values are finite numbers")
    return repr(int(value)) if isinstance(value, int) else repr(float(value))


def compare(name: str, operator: str, value: int | float) -> str:
    if operator not in {"<", "<=", ">", ">=", "="}:
        raise FilterValueError(f"{operator!r} is not a comparison")
    return f"{_attribute(name)} {operator} {_number(value)}"


def _clean_text(value: Any, limit: int = MAX_VALUE_LENGTH) -> str:
    if not isinstance(value, str):
        return ""
    return "".join(ch for ch in value if ch.isprintable()).strip()[:limit]


def _clean_list(values: Any) -> tuple[str, ...]:
    if isinstance(values, str):
        values = values.split(",")
    if not isinstance(values, list | tuple):
        return ()
    seen: list[str] = []
    for value in values:
        text = _clean_text(value)
        if text and text not in seen:
            seen.append(text)
    return tuple(seen[:MAX_VALUES])


def _cents_from_dollars(raw: Any) -> int | None:
    """URL budgets are whole dollars ("min=50"); anything else is ignored."""
    if isinstance(raw, int) and not isinstance(raw, bool):
        dollars = raw
    elif isinstance(raw, str) and raw.strip().isascii() and raw.strip().isdigit():
        dollars = int(raw.strip()[:9])
    else:
        return None
    cents = dollars * 100
    return cents if 0 <= cents <= MAX_PRICE_CENTS else None


def _page(raw: Any) -> int:
    if isinstance(raw, int) and not isinstance(raw, bool):
        number = raw
    elif isinstance(raw, str) and raw.isascii() and raw.isdigit() and len(raw) <= 6:
        number = int(raw)
    else:
        return 1
    return max(1, min(number, MAX_PAGE))


@dataclass(frozen=True)
class GigQuery:
    """One search view. Build it with `GigQuery.clean(...)` or `from_params`, which bound and
    drop bad values; the dataclass itself trusts its fields."""

    q: str = ""
    category: str = ""  # top-level category slug
    subcategory: str = ""  # subcategory slug
    levels: tuple[str, ...] = ()
    pro_only: bool = False
    languages: tuple[str, ...] = ()
    countries: tuple[str, ...] = ()
    price_min: int | None = None  # cents
    price_max: int | None = None  # cents
    delivery: str = ""  # a DELIVERY key, "" = any time
    rating: str = ""  # a RATINGS key, "" = any rating
    sort: str = "relevance"
    page: int = 1
    extra: dict[str, str] = field(default_factory=dict, compare=False, repr=False)

    @classmethod
    def clean(cls, **values: Any) -> GigQuery:
        """A query from untrusted values: unknown, malformed or out-of-range ones are dropped."""
        levels = tuple(v for v in _clean_list(values.get("levels", ())) if v in LEVELS)
        price_min = values.get("price_min")
        price_max = values.get("price_max")
        price_min = price_min if _valid_cents(price_min) else None
        price_max = price_max if _valid_cents(price_max) else None
        if price_min is not None and price_max is not None and price_min > price_max:
            price_min, price_max = price_max, price_min
        delivery = values.get("delivery", "")
        rating = values.get("rating", "")
        sort = values.get("sort", "relevance")
        page = values.get("page", 1)
        return cls(
            q=" ".join(_clean_text(values.get("q", ""), MAX_QUERY_LENGTH).split()),
            category=_clean_text(values.get("category", "")),
            subcategory=_clean_text(values.get("subcategory", "")),
            levels=levels,
            pro_only=values.get("pro_only") is True,
            languages=_clean_list(values.get("languages", ())),
            countries=_clean_list(values.get("countries", ())),
            price_min=price_min,
            price_max=price_max,
            delivery=delivery if delivery in DELIVERY else "",
            rating=rating if rating in RATINGS else "",
            sort=sort if sort in SORTS else "relevance",
            page=_page(page),
        )

    @classmethod
    def from_params(cls, params: Mapping[str, Any]) -> GigQuery:
        """The view a URL's query string describes (see `to_params` for the names)."""

        def get(name: str) -> str:
            value = params.get(name, "")
            if isinstance(value, list | tuple):
                value = value[0] if value else ""
            return value if isinstance(value, str) else ""

        return cls.clean(
            q=get("q"),
            category=get("cat") or get("category"),  # `category=` is the older links' name
            subcategory=get("sub"),
            levels=get("level"),
            pro_only=get("pro") == "1",
            languages=get("lang"),
            countries=get("country"),
            price_min=_cents_from_dollars(get("min")),
            price_max=_cents_from_dollars(get("max")),
            delivery=get("delivery"),
            rating=get("rating"),
            sort=get("sort") or "relevance",
            page=get("page"),
        )

    def to_params(self) -> dict[str, str]:
        """Short readable URL parameters; defaults are left out."""
        params = {
            "q": self.q,
            "cat": self.category,
            "sub": self.subcategory,
            "level": ",".join(self.levels),
            "pro": "1" if self.pro_only else "",
            "lang": ",".join(self.languages),
            "country": ",".join(self.countries),
            "min": str(self.price_min // 100) if self.price_min is not None else "",
            "max": str(self.price_max // 100) if self.price_max is not None else "",
            "delivery": self.delivery,
            "rating": self.rating,
            "sort": "" if self.sort == "relevance" else self.sort,
            "page": "" if self.page == 1 else str(self.page),
        }
        return {name: value for name, value in params.items() if value}

    def toggled(self, group: str, value: str) -> GigQuery | None:
        """This view with one filter value ticked or unticked (the filter panel's and the chips'
        groups: cat, sub, level, lang, country, pro, budget, delivery, rating); None for an
        unknown group. Back on page 1; run the result through `clean` again."""
        if group in MULTI_VALUED:
            name = MULTI_VALUED[group]
            values = list(getattr(self, name))
            values = [v for v in values if v != value] if value in values else [*values, value]
            return self.with_changes(**{name: tuple(values)})
        if group in SINGLE_VALUED:
            name = SINGLE_VALUED[group]
            changes: dict[str, Any] = {name: "" if getattr(self, name) == value else value}
            if group == "cat":
                changes["subcategory"] = ""
            return self.with_changes(**changes)
        if group == "pro":
            return self.with_changes(pro_only=not self.pro_only)
        if group == "budget":
            return self.with_changes(price_min=None, price_max=None)
        return None

    def active_filters(self) -> list[tuple[str, str]]:
        """(group, value) of every chosen filter, as `toggled` takes them to remove one."""
        found: list[tuple[str, str]] = []
        if self.category:
            found.append(("cat", self.category))
        if self.subcategory:
            found.append(("sub", self.subcategory))
        found += [("level", v) for v in self.levels]
        if self.pro_only:
            found.append(("pro", "1"))
        found += [("lang", v) for v in self.languages]
        found += [("country", v) for v in self.countries]
        if self.price_min is not None or self.price_max is not None:
            found.append(("budget", ""))
        if self.delivery:
            found.append(("delivery", self.delivery))
        if self.rating:
            found.append(("rating", self.rating))
        return found

    def fields(self) -> dict[str, Any]:
        """The view's fields, for `clean` to check again after a change from the client."""
        return {
            name: getattr(self, name)
            for name in (
                "q",
                "category",
                "subcategory",
                "levels",
                "pro_only",
                "languages",
                "countries",
                "price_min",
                "price_max",
                "delivery",
                "rating",
                "sort",
                "page",
            )
        }

    def with_changes(self, **changes: Any) -> GigQuery:
        """This view with some fields changed, back on page 1 unless a page is given."""
        changes.setdefault("page", 1)
        return replace(self, **changes)

    @property
    def has_filters(self) -> bool:
        return bool(
            self.category
            or self.subcategory
            or self.levels
            or self.pro_only
            or self.languages
            or self.countries
            or self.price_min is not None
            or self.price_max is not None
            or self.delivery
            or self.rating
        )

    def filters(self, *, without_rating: bool = False) -> list[str]:
        """Meilisearch filter expressions, ANDed (an array of strings)."""
        expressions: list[str] = []
        if self.category:
            expressions.append(equals("category_slug", self.category))
        if self.subcategory:
            expressions.append(equals("subcategory_slug", self.subcategory))
        if self.levels:
            expressions.append(one_of("seller_level", self.levels))
        if self.pro_only:
            expressions.append("is_pro = true")
        if self.languages:
            expressions.append(one_of("seller_languages", self.languages))
        if self.countries:
            expressions.append(one_of("seller_country", self.countries))
        if self.price_min is not None:
            expressions.append(compare("price_from", ">=", self.price_min))
        if self.price_max is not None:
            expressions.append(compare("price_from", "<=", self.price_max))
        if self.delivery:
            expressions.append(compare("delivery_days_min", "<=", DELIVERY[self.delivery]))
        if self.rating and not without_rating:
            expressions.append(compare("rating_avg", ">=", RATINGS[self.rating]))
        return expressions

    def search_params(self) -> dict[str, Any]:
        """The body of a Meilisearch search for this view: one page of hits, facets, stats."""
        return {
            "filter": self.filters(),
            "sort": SORTS[self.sort],
            "facets": FACETS,
            "hitsPerPage": PER_PAGE,
            "page": self.page,
            "attributesToRetrieve": RETRIEVE,
            "attributesToHighlight": ["title"],
            "highlightPreTag": HIGHLIGHT_PRE,
            "highlightPostTag": HIGHLIGHT_POST,
        }


def _valid_cents(value: Any) -> bool:
    return isinstance(value, int) and not isinstance(value, bool) and 0 <= value <= MAX_PRICE_CENTS


def highlight_segments(formatted: str) -> list[tuple[str, bool]]:
    """(text, marked) pieces of a `_formatted` value; unmatched tags are treated as text."""
    segments: list[tuple[str, bool]] = []
    rest = formatted or ""
    while rest:
        start = rest.find(HIGHLIGHT_PRE)
        end = rest.find(HIGHLIGHT_POST, start + 1) if start >= 0 else -1
        if start < 0 or end < 0:
            segments.append((rest.replace(HIGHLIGHT_PRE, "").replace(HIGHLIGHT_POST, ""), False))
            break
        if start:
            segments.append((rest[:start].replace(HIGHLIGHT_POST, ""), False))
        marked = rest[start + 1 : end].replace(HIGHLIGHT_PRE, "")
        if marked:
            segments.append((marked, True))
        rest = rest[end + 1 :]
    return [(text, marked) for text, marked in segments if text]

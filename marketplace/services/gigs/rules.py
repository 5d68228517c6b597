"""The gig editor's rules: pure checks of the editor's draft, usable field by field while typing.

The draft is the editor's whole form as one JSON dict whose values are exactly what the user
typed (strings), so an invalid value is kept and shown with its message instead of being lost.
Nothing here touches the database or a framework. The draft comes from a browser, so nothing
trusts its shape: wrong types, missing keys, huge strings and nested junk become messages, never
exceptions. Every per-field check returns a message, or "" when the value is fine.

The draft's shape (see `empty_draft`)::

    {
      "title": str, "category_id": str (a subcategory id, "" if none), "tags": [str, ...],
      "single_package": bool,            # True: only the basic package is offered
      "features": [str, ...],            # feature rows shared by the packages
      "packages": {tier: {"name", "description", "price", "delivery_days", "revisions": str,
                          "features": [str, ...]}   # the feature rows ticked in this package
                   for tier in ("basic", "standard", "premium")},
      "extras": [{"kind", "title", "description", "price", "extra_days": str}, ...],
      "description": str,
      "faqs": [{"question", "answer": str}, ...],
      "requirements": [{"question": str, "kind": "text"|"choice"|"file",
                        "choices": [str, ...], "required": bool}, ...],
    }

Prices are dollars as typed ("12", "12.50", "$1,200"); revisions are "0".."10" or "unlimited";
an extra's `extra_days` is, for fast_delivery, how many days faster (a leading minus is
accepted), and for the other kinds how many days it adds ("" means 0).
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from typing import Any

from marketplace.labels import TIER_LABELS
from marketplace.models.gigs import (
    MAX_PRICE_CENTS,
    MIN_PRICE_CENTS,
    UNLIMITED_REVISIONS,
    ExtraKind,
    PackageTier,
    RequirementKind,
)
from marketplace.services.common.money import (  # noqa: F401  (parse_dollars: one parser)
    BAD_VALUE,
    PRICE_FORMAT,
    money_text,
    parse_dollars,
    typed_text,
)

TIERS: tuple[str, ...] = tuple(tier.value for tier in PackageTier)
EXTRA_KINDS: tuple[str, ...] = tuple(kind.value for kind in ExtraKind)
REQUIREMENT_KINDS: tuple[str, ...] = tuple(kind.value for kind in RequirementKind)

TITLE_PREFIX = "I will "
TITLE_MIN, TITLE_MAX = 15, 80
TAGS_MIN, TAGS_MAX = 1, 5
TAG_MIN, TAG_MAX = 2, 30
TAG_WORDS_MAX = 4
PACKAGE_NAME_MAX = 40
PACKAGE_DESCRIPTION_MAX = 300
DELIVERY_MIN, DELIVERY_MAX = 1, 90
REVISIONS_MAX = 10
UNLIMITED = "unlimited"
REVISIONS_CHOICE = f"Choose 0 to {REVISIONS_MAX} revisions, or unlimited."
FEATURES_MAX = 10
FEATURE_MAX = 40
EXTRAS_MAX = 6
EXTRA_TITLE_MAX = 80
EXTRA_DESCRIPTION_MAX = 300
EXTRA_DAYS_MAX = 90
DESCRIPTION_MIN, DESCRIPTION_MAX = 120, 1200
FAQS_MAX = 10
FAQ_QUESTION_MAX, FAQ_ANSWER_MAX = 200, 1000
REQUIREMENTS_MAX = 10
REQUIREMENT_QUESTION_MAX = 300
CHOICES_MIN, CHOICES_MAX = 2, 10
CHOICE_MAX = 80
GALLERY_MAX = 3
# Lists in a stored draft are cut here: far above every limit, so the messages still say
# "at most N", while junk from a browser cannot grow without bound.
LIST_CAP = 50

DEFAULT_EXTRA_TITLES = {
    ExtraKind.fast_delivery.value: "Extra-fast delivery",
    ExtraKind.additional_revision.value: "Additional revision",
}

CONTROL_CHARS = "Remove the invisible control characters from this text."

_WHOLE = re.compile(r"[0-9]{1,6}")
_CATEGORY_ID = re.compile(r"[0-9]{1,10}")
_TAG_CHARS = re.compile(r"[^\W_]|[ -]")
_UNSAFE = re.compile("[\x00\ud800-\udfff]")


# --- small helpers -----------------------------------------------------------------------------


def _bool(value: Any) -> bool | None:
    if isinstance(value, bool):
        return value
    if isinstance(value, str) and value.strip().lower() in ("true", "false"):
        return value.strip().lower() == "true"
    return None


def _list(value: Any) -> list | None:
    if value is None:
        return []
    return value if isinstance(value, list) else None


def _dict(value: Any) -> dict | None:
    if value is None:
        return {}
    return value if isinstance(value, dict) else None


def _n(count: int, word: str) -> str:
    return f"{count} {word}" if count == 1 else f"{count} {word}s"


def dollars_text(cents: int) -> str:
    """An amount as a user would type it back into a price box: "40" or "40.50"."""
    return f"{cents // 100}" if cents % 100 == 0 else f"{cents // 100}.{cents % 100:02d}"


def has_unsafe_chars(text: str) -> bool:
    """NUL and lone surrogates: no database column can store them."""
    return _UNSAFE.search(text) is not None


def _length_error(text: str, *, low: int, high: int, empty: str) -> str:
    if has_unsafe_chars(text):
        return CONTROL_CHARS
    size = len(text)
    if size == 0 and low > 0:
        return empty
    if size < low:
        return f"Use at least {low} characters (now {size})."
    if size > high:
        return f"Use at most {high:,} characters (now {size:,}): shorten it by {size - high:,}."
    return ""


def _plain(value: Any, *, low: int, high: int, empty: str) -> tuple[str, str]:
    """(trimmed text, message) for a free-text field with length bounds."""
    text = typed_text(value)
    if text is None:
        return "", BAD_VALUE
    text = text.strip()
    return text, _length_error(text, low=low, high=high, empty=empty)


# --- title, category, tags ---------------------------------------------------------------------


def clean_title(value: Any) -> str:
    """Trimmed, inner whitespace collapsed (a title is one line), "I will" capitalised."""
    text = typed_text(value) or ""
    title = " ".join(text.split())
    if title.casefold().startswith(TITLE_PREFIX.casefold()):
        title = TITLE_PREFIX + title[len(TITLE_PREFIX) :]
    return title


def title_error(value: Any) -> str:
    if typed_text(value) is None:
        return BAD_VALUE
    title = clean_title(value)
    if not title:
        return 'Enter a title that starts with "I will", like "I will design your logo".'
    if has_unsafe_chars(title):
        return CONTROL_CHARS
    if title.casefold() == TITLE_PREFIX.strip().casefold():
        return 'Say what you will do after "I will".'
    if not title.casefold().startswith(TITLE_PREFIX.casefold()):
        return 'Start your title with "I will", like "I will design your logo".'
    return _length_error(title, low=TITLE_MIN, high=TITLE_MAX, empty="")


def parse_category_id(value: Any) -> int | None:
    text = typed_text(value)
    if text is None or not _CATEGORY_ID.fullmatch(text.strip()):
        return None
    return int(text.strip()) or None


def category_error(value: Any, category_ids: set[int] | None = None) -> str:
    """`category_ids`: the ids of existing subcategories, when the caller knows them."""
    text = typed_text(value)
    if text is None:
        return BAD_VALUE
    if not text.strip():
        return "Choose a category and a subcategory."
    category_id = parse_category_id(text)
    if category_id is None or (category_ids is not None and category_id not in category_ids):
        return "Choose a subcategory from the list."
    return ""


def clean_tag(value: Any) -> str:
    text = typed_text(value) or ""
    return " ".join(text.split()).lower()


def tag_error(value: Any) -> str:
    if typed_text(value) is None:
        return BAD_VALUE
    tag = clean_tag(value)
    shown = tag if len(tag) <= TAG_MAX else tag[:TAG_MAX] + "…"
    if len(tag) < TAG_MIN:
        return f'The tag "{shown}" is too short: use at least {TAG_MIN} characters.'
    if len(tag) > TAG_MAX:
        return f'The tag "{shown}" is too long: use at most {TAG_MAX} characters.'
    if not all(_TAG_CHARS.fullmatch(ch) for ch in tag):
        return f'The tag "{shown}" may use only letters, digits, spaces and hyphens.'
    if not (tag[0].isalnum() and tag[-1].isalnum()):
        return f'The tag "{shown}" must start and end with a letter or a digit.'
    if len(tag.split()) > TAG_WORDS_MAX:
        return f'The tag "{shown}" has {len(tag.split())} words: use at most {TAG_WORDS_MAX}.'
    return ""


def tag_to_add_error(value: Any, tags: Any) -> str:
    """Why the chip `value` can't join `tags` (bad tag, already there, no room), or ""."""
    if typed_text(value) is not None and not clean_tag(value):
        return "Type a tag first, then press Enter."
    if message := tag_error(value):
        return message
    tag, current = clean_tag(value), clean_tags(tags)
    if tag in current:
        return f'You already added "{tag}".'
    if len(current) >= TAGS_MAX:
        return f"You can add at most {TAGS_MAX} tags: remove one to add another."
    return ""


def clean_tags(value: Any) -> list[str]:
    """Lowercased, trimmed, blanks and duplicates dropped, first occurrence kept."""
    tags: list[str] = []
    for raw in (_list(value) or [])[:LIST_CAP]:
        tag = clean_tag(raw) if typed_text(raw) is not None else ""
        if tag and tag not in tags:
            tags.append(tag)
    return tags


def tags_error(value: Any) -> str:
    raw = _list(value)
    if raw is None:
        return BAD_VALUE
    if len(raw) > LIST_CAP:
        return f"Use at most {TAGS_MAX} tags."
    if any(typed_text(item) is None for item in raw):
        return BAD_VALUE
    tags = clean_tags(raw)
    if len(tags) < TAGS_MIN:
        return "Add at least one search tag, like “logo design”."
    # Every problem at once, so one visit fixes them all.
    problems = [message for tag in tags if (message := tag_error(tag))]
    if len(tags) > TAGS_MAX:
        problems.insert(0, f"Use at most {TAGS_MAX} tags (now {len(tags)}).")
    return " ".join(problems)


# --- prices, delivery, revisions ---------------------------------------------------------------


def parse_price(value: Any) -> tuple[int | None, str]:
    """A package or extra price as typed -> (integer cents, "") or (None, message)."""
    cents, message = parse_dollars(value)
    if cents is None:
        return None, message
    if not MIN_PRICE_CENTS <= cents <= MAX_PRICE_CENTS:
        return None, (
            f"Set a price between {money_text(MIN_PRICE_CENTS)} and {money_text(MAX_PRICE_CENTS)}."
        )
    return cents, ""


def price_error(value: Any) -> str:
    return parse_price(value)[1]


def _whole(value: Any) -> int | None:
    text = typed_text(value)
    if text is None or not _WHOLE.fullmatch(text.strip()):
        return None
    return int(text.strip())


def parse_delivery_days(value: Any) -> int | None:
    days = _whole(value)
    return days if days is not None and DELIVERY_MIN <= days <= DELIVERY_MAX else None


def delivery_days_error(value: Any) -> str:
    text = typed_text(value)
    if text is None:
        return BAD_VALUE
    if not text.strip():
        return "Choose a delivery time."
    if parse_delivery_days(text) is None:
        return f"Delivery takes a whole number of days, from {DELIVERY_MIN} to {DELIVERY_MAX}."
    return ""


def parse_revisions(value: Any) -> int | None:
    """0..10, or UNLIMITED_REVISIONS (-1) for "unlimited"."""
    text = typed_text(value)
    if text is None:
        return None
    if text.strip().casefold() == UNLIMITED:
        return UNLIMITED_REVISIONS
    count = _whole(text)
    return count if count is not None and count <= REVISIONS_MAX else None


def revisions_error(value: Any) -> str:
    text = typed_text(value)
    if text is None:
        return BAD_VALUE
    if not text.strip():
        return "Choose how many revisions are included."
    if parse_revisions(text) is None:
        return REVISIONS_CHOICE
    return ""


def revisions_text(revisions: int) -> str:
    return UNLIMITED if revisions == UNLIMITED_REVISIONS else str(revisions)


# --- packages and feature rows -----------------------------------------------------------------


def package_name_error(value: Any) -> str:
    empty = "Name this package, like “Starter”."
    return _plain(value, low=1, high=PACKAGE_NAME_MAX, empty=empty)[1]


def package_description_error(value: Any) -> str:
    return _plain(value, low=0, high=PACKAGE_DESCRIPTION_MAX, empty="")[1]


def feature_error(value: Any) -> str:
    return _plain(value, low=1, high=FEATURE_MAX, empty="Name this feature or remove the row.")[1]


def feature_to_add_error(value: Any, features: Any) -> str:
    """Why the feature row `value` can't join `features` (bad name, listed, no room), or ""."""
    name, message = _plain(
        value, low=1, high=FEATURE_MAX, empty="Name the feature, like “Source file”."
    )
    if message:
        return message
    current = [(typed_text(item) or "").strip().casefold() for item in (_list(features) or [])]
    if name.casefold() in current:
        return f'"{name}" is already listed.'
    if len(current) >= FEATURES_MAX:
        return f"Use at most {FEATURES_MAX} feature rows: remove one to add another."
    return ""


def features_error(value: Any) -> str:
    rows = _list(value)
    if rows is None:
        return BAD_VALUE
    if len(rows) > FEATURES_MAX:
        return f"Use at most {FEATURES_MAX} feature rows (now {len(rows)})."
    return ""


def package_order_error(tier: str, price_cents: int | None, lower: dict[str, int]) -> str:
    """A higher tier may not cost less than the nearest lower tier that has a valid price.

    `lower` maps lower tiers to their prices, e.g. {"basic": 2000, "standard": 4000}.
    """
    if price_cents is None:
        return ""
    for other in reversed(TIERS[: TIERS.index(tier)]):
        if other in lower:
            if price_cents < lower[other]:
                return (
                    f"{TIER_LABELS[tier]} must cost at least as much as "
                    f"{TIER_LABELS[other]} ({money_text(lower[other])})."
                )
            return ""
    return ""


# --- extras ------------------------------------------------------------------------------------


def extra_kind_error(value: Any) -> str:
    return (
        "" if isinstance(value, str) and value in EXTRA_KINDS else "Choose what this extra offers."
    )


def extra_title_error(value: Any, kind: Any = ExtraKind.custom.value) -> str:
    required = kind == ExtraKind.custom.value
    return _plain(value, low=1 if required else 0, high=EXTRA_TITLE_MAX, empty="Name this extra.")[
        1
    ]


def parse_extra_days(value: Any, kind: Any) -> int | None:
    """The stored GigExtra.extra_days: negative for fast delivery (days faster), else >= 0."""
    text = typed_text(value)
    if text is None:
        return None
    text = text.strip()
    if kind == ExtraKind.fast_delivery.value:
        days = _whole(text.removeprefix("-").strip())
        return -days if days is not None and days >= 1 else None
    if not text:
        return 0
    days = _whole(text)
    return days if days is not None and days <= EXTRA_DAYS_MAX else None


def extra_days_error(value: Any, kind: Any, *, fastest_delivery_days: int | None = None) -> str:
    """`fastest_delivery_days`: the quickest package's delivery, to bound fast delivery."""
    if typed_text(value) is None:
        return BAD_VALUE
    days = parse_extra_days(value, kind)
    if kind != ExtraKind.fast_delivery.value:
        if days is None:
            return f"Extra days must be a whole number from 0 to {EXTRA_DAYS_MAX}."
        return ""
    if days is None:
        return "Enter how many days faster you deliver (at least 1)."
    if fastest_delivery_days is not None and fastest_delivery_days + days < 1:
        if fastest_delivery_days <= 1:
            return "Your fastest package already takes 1 day, so it can't be delivered faster."
        return (
            f"Your fastest package takes {_n(fastest_delivery_days, 'day')}, so extra-fast "
            f"delivery can save at most {_n(fastest_delivery_days - 1, 'day')}."
        )
    return ""


# --- description, FAQ, requirements ------------------------------------------------------------


def description_error(value: Any) -> str:
    return _plain(
        value,
        low=DESCRIPTION_MIN,
        high=DESCRIPTION_MAX,
        empty=f"Describe your gig in at least {DESCRIPTION_MIN} characters.",
    )[1]


def faq_question_error(value: Any) -> str:
    return _plain(value, low=1, high=FAQ_QUESTION_MAX, empty="Write the question.")[1]


def faq_answer_error(value: Any) -> str:
    return _plain(value, low=1, high=FAQ_ANSWER_MAX, empty="Write the answer.")[1]


def requirement_question_error(value: Any) -> str:
    return _plain(
        value, low=1, high=REQUIREMENT_QUESTION_MAX, empty="Write what you need from the buyer."
    )[1]


def requirement_kind_error(value: Any) -> str:
    if isinstance(value, str) and value in REQUIREMENT_KINDS:
        return ""
    return "Choose how the buyer answers: free text, a choice, or a file."


def clean_choices(value: Any) -> list[str]:
    return [(typed_text(item) or "").strip() for item in (_list(value) or [])[:LIST_CAP]]


def choices_error(value: Any) -> str:
    raw = _list(value)
    if raw is None or any(typed_text(item) is None for item in raw[:LIST_CAP]):
        return BAD_VALUE
    if len(raw) > CHOICES_MAX:
        return f"Offer at most {CHOICES_MAX} options (now {len(raw)})."
    choices = clean_choices(raw)
    if any(not choice for choice in choices):
        return "Fill in or remove the empty option."
    if any(has_unsafe_chars(choice) for choice in choices):
        return CONTROL_CHARS
    if any(len(choice) > CHOICE_MAX for choice in choices):
        return f"Each option can have at most {CHOICE_MAX} characters."
    if len({choice.casefold() for choice in choices}) != len(choices):
        return "Each option must be different."
    if len(choices) < CHOICES_MIN:
        return f"Offer at least {CHOICES_MIN} options to choose from."
    return ""


# --- the whole draft ---------------------------------------------------------------------------


# The draft is the editor's whole form, values exactly as typed. Its shape is defined here once:
# `empty_draft` and the row templates below; everything else (coerce_draft, the editor's form
# rows, draft_from_gig) is derived from them.
PACKAGE_TEXT_FIELDS = ("name", "description", "price", "delivery_days", "revisions")


def _empty_package() -> dict:
    return {**dict.fromkeys(PACKAGE_TEXT_FIELDS, ""), "features": []}


def empty_draft() -> dict:
    """A new gig's editor form: every text empty, three packages offered, no rows yet."""
    return {
        "title": "",
        "category_id": "",
        "tags": [],
        "single_package": False,
        "features": [],
        "packages": {tier: _empty_package() for tier in TIERS},
        "extras": [],
        "description": "",
        "faqs": [],
        "requirements": [],
    }


def empty_extra(kind: str = ExtraKind.custom.value) -> dict:
    return {"kind": kind, "title": "", "description": "", "price": "", "extra_days": ""}


def empty_faq() -> dict:
    return {"question": "", "answer": ""}


def empty_requirement() -> dict:
    return {"question": "", "kind": RequirementKind.text.value, "choices": [], "required": True}


ROW_LISTS = {"extras": empty_extra, "faqs": empty_faq, "requirements": empty_requirement}


# --- the editor's form rows: the same rows with every value as text ---------------------------
# A row of the editor holds only strings (a Reflex var of dict[str, str]): a list is one option
# per line and a flag is "yes" / "no".


def form_row(list_name: str, row: Mapping[str, Any]) -> dict[str, str]:
    """A draft row (extras, faqs, requirements) as the editor's text-only row."""
    template = ROW_LISTS[list_name]()
    result = {}
    for key, default in template.items():
        value = row.get(key, default)
        if isinstance(default, bool):
            result[key] = "yes" if value else "no"
        elif isinstance(default, list):
            result[key] = "\n".join(str(item) for item in value)
        else:
            result[key] = str(value)
    return result


def draft_row(list_name: str, row: Mapping[str, str]) -> dict:
    """The editor's text-only row back as a draft row."""
    template = ROW_LISTS[list_name]()
    result: dict[str, Any] = {}
    for key, default in template.items():
        value = row.get(key, "")
        if isinstance(default, bool):
            result[key] = value == "yes"
        elif isinstance(default, list):
            result[key] = [item.strip() for item in value.splitlines() if item.strip()]
        else:
            result[key] = value
    return result


FORM_ROW_TEMPLATES: dict[str, dict[str, str]] = {
    name: form_row(name, empty()) for name, empty in ROW_LISTS.items()
}


def editor_form(draft: Any) -> dict[str, Any]:
    """The draft as the editor holds it: package texts apart from their ticked features, and
    every row as text. `draft_from_editor_form` is its inverse."""
    draft = coerce_draft(draft)
    return {
        "title": draft["title"],
        "category_id": draft["category_id"],
        "tags": list(draft["tags"]),
        "single_package": bool(draft["single_package"]),
        "features": list(draft["features"]),
        "packages": {
            tier: {key: draft["packages"][tier][key] for key in PACKAGE_TEXT_FIELDS}
            for tier in TIERS
        },
        "package_features": {tier: list(draft["packages"][tier]["features"]) for tier in TIERS},
        "description": draft["description"],
        **{name: [form_row(name, row) for row in draft[name]] for name in ROW_LISTS},
    }


def draft_from_editor_form(form: Mapping[str, Any]) -> dict:
    """The draft for what the editor holds; a feature ticked for a tier counts only while its
    row exists, in the rows' order."""
    features = list(form["features"])
    packages = form["packages"]
    ticked = form["package_features"]
    return {
        "title": form["title"],
        "category_id": form["category_id"],
        "tags": list(form["tags"]),
        "single_package": form["single_package"],
        "features": features,
        "packages": {
            tier: {
                **{key: packages.get(tier, {}).get(key, "") for key in PACKAGE_TEXT_FIELDS},
                "features": [f for f in features if f in ticked.get(tier, [])],
            }
            for tier in TIERS
        },
        "extras": [draft_row("extras", row) for row in form["extras"]],
        "description": form["description"],
        "faqs": [draft_row("faqs", row) for row in form["faqs"]],
        "requirements": [draft_row("requirements", row) for row in form["requirements"]],
    }


def draft_from_gig(
    gig: Any, packages: Iterable, extras: Iterable, faqs: Iterable, requirements: Iterable
) -> dict:
    """The editor form for a gig's live rows (a published gig opened for editing)."""
    draft = empty_draft()
    draft.update(
        title=gig.title or "",
        category_id="" if gig.category_id is None else str(gig.category_id),
        tags=list(gig.tags or []),
        single_package=bool(gig.single_package),
        features=list(gig.package_features or []),
        description=gig.description or "",
    )
    for package in packages:
        if package.tier in draft["packages"]:
            draft["packages"][package.tier] = {
                "name": package.name,
                "description": package.description or "",
                "price": dollars_text(package.price_cents),
                "delivery_days": str(package.delivery_days),
                "revisions": revisions_text(package.revisions),
                "features": list(package.features or []),
            }
    draft["extras"] = [
        {
            "kind": extra.kind,
            "title": extra.title,
            "description": extra.description or "",
            "price": dollars_text(extra.price_cents),
            "extra_days": (
                str(-extra.extra_days)
                if extra.kind == ExtraKind.fast_delivery.value
                else ("" if not extra.extra_days else str(extra.extra_days))
            ),
        }
        for extra in sorted(extras, key=lambda row: (row.position, row.id or 0))
    ]
    draft["faqs"] = [
        {"question": faq.question, "answer": faq.answer}
        for faq in sorted(faqs, key=lambda row: (row.position, row.id or 0))
    ]
    draft["requirements"] = [
        {
            "question": req.question,
            "kind": req.kind,
            "choices": list(req.choices or []),
            "required": bool(req.required),
        }
        for req in sorted(requirements, key=lambda row: (row.position, row.id or 0))
    ]
    return draft


def _coerce_text(value: Any) -> str:
    text = typed_text(value)
    return "" if text is None else text


def _coerce_texts(value: Any) -> list[str]:
    return [_coerce_text(item) for item in (_list(value) or [])[:LIST_CAP]]


def _coerce_rows(value: Any, template: Mapping[str, Any]) -> list[dict]:
    rows = []
    for item in (_list(value) or [])[:LIST_CAP]:
        item = _dict(item) or {}
        row = {}
        for key, default in template.items():
            if isinstance(default, bool):
                flag = _bool(item.get(key))
                row[key] = default if flag is None else flag
            elif isinstance(default, list):
                row[key] = _coerce_texts(item.get(key))
            else:
                row[key] = _coerce_text(item.get(key))
        rows.append(row)
    return rows


def coerce_draft(draft: Any) -> dict:
    """The draft in exactly the documented shape, keeping every typed string as it is.

    What cannot have been typed (a list where text belongs, unknown keys) is replaced by the
    empty value, and lists are cut at LIST_CAP. A well-formed draft comes back unchanged.
    """
    source = _dict(draft) or {}
    result = empty_draft()
    for key in ("title", "category_id", "description"):
        result[key] = _coerce_text(source.get(key))
    result["tags"] = _coerce_texts(source.get("tags"))
    result["features"] = _coerce_texts(source.get("features"))
    single = _bool(source.get("single_package"))
    result["single_package"] = bool(single)
    packages = _dict(source.get("packages")) or {}
    for tier in TIERS:
        package = _dict(packages.get(tier)) or {}
        result["packages"][tier] = {
            key: (
                _coerce_texts(package.get(key))
                if key == "features"
                else _coerce_text(package.get(key))
            )
            for key in _empty_package()
        }
    for name, empty_row in ROW_LISTS.items():
        result[name] = _coerce_rows(source.get(name), empty_row())
    return result


@dataclass(frozen=True)
class CleanPackage:
    tier: str
    name: str
    description: str
    price_cents: int
    delivery_days: int
    revisions: int
    features: tuple[str, ...]


@dataclass(frozen=True)
class CleanExtra:
    kind: str
    title: str
    description: str
    price_cents: int
    extra_days: int


@dataclass(frozen=True)
class CleanFAQ:
    question: str
    answer: str


@dataclass(frozen=True)
class CleanRequirement:
    question: str
    kind: str
    choices: tuple[str, ...]
    required: bool


@dataclass(frozen=True)
class CleanGig:
    """A valid draft turned into the values the live rows store."""

    title: str
    category_id: int
    tags: tuple[str, ...]
    single_package: bool
    features: tuple[str, ...]
    packages: tuple[CleanPackage, ...]
    extras: tuple[CleanExtra, ...]
    description: str
    faqs: tuple[CleanFAQ, ...]
    requirements: tuple[CleanRequirement, ...]

    @property
    def price_from_cents(self) -> int:
        return min(package.price_cents for package in self.packages)

    @property
    def delivery_days_min(self) -> int:
        return min(package.delivery_days for package in self.packages)


@dataclass
class _Check:
    errors: dict[str, str] = field(default_factory=dict)

    def add(self, path: str, message: str) -> None:
        if message and path not in self.errors:
            self.errors[path] = message


def _check_overview(draft: dict, check: _Check, category_ids: set[int] | None) -> str:
    """Title, category and tags; returns the cleaned title."""
    check.add("title", title_error(draft.get("title")))
    check.add("category_id", category_error(draft.get("category_id"), category_ids))
    check.add("tags", tags_error(draft.get("tags")))
    return clean_title(draft.get("title"))


def _check_single_package(draft: dict, check: _Check) -> bool:
    single = _bool(draft.get("single_package", False))
    if single is None:
        check.add("single_package", "Choose one package or three.")
        return False
    return single


def _check_features(draft: dict, check: _Check) -> list[str]:
    """The package feature rows (shared by all tiers); returns them trimmed."""
    check.add("features", features_error(draft.get("features")))
    raw_rows = (_list(draft.get("features")) or [])[:LIST_CAP]
    feature_rows = [(typed_text(item) or "").strip() for item in raw_rows]
    seen: set[str] = set()
    for index, raw in enumerate(raw_rows):
        message = feature_error(raw)
        if not message and feature_rows[index].casefold() in seen:
            message = "This feature is already listed."
        seen.add(feature_rows[index].casefold())
        check.add(f"features.{index}", message)
    return feature_rows


def _check_packages(
    draft: dict, check: _Check, tiers: tuple[str, ...], feature_rows: list[str]
) -> tuple[list[CleanPackage], int | None]:
    """Each offered tier; returns the valid packages and the fastest delivery typed."""
    add = check.add
    packages_raw = _dict(draft.get("packages"))
    if packages_raw is None:
        add("packages", BAD_VALUE)
        packages_raw = {}
    packages: list[CleanPackage] = []
    prices: dict[str, int] = {}
    delivery_days: list[int] = []
    for tier in tiers:
        path = f"packages.{tier}"
        package = _dict(packages_raw.get(tier))
        if package is None:
            add(path, BAD_VALUE)
            continue
        add(f"{path}.name", package_name_error(package.get("name")))
        add(f"{path}.description", package_description_error(package.get("description")))
        price, message = parse_price(package.get("price"))
        add(f"{path}.price", message)
        add(f"{path}.price", package_order_error(tier, price, prices))
        if price is not None:
            prices[tier] = price
        add(f"{path}.delivery_days", delivery_days_error(package.get("delivery_days")))
        if (days := parse_delivery_days(package.get("delivery_days"))) is not None:
            delivery_days.append(days)
        add(f"{path}.revisions", revisions_error(package.get("revisions")))
        ticked_raw = _list(package.get("features"))
        if ticked_raw is None:
            add(f"{path}.features", BAD_VALUE)
            ticked_raw = []
        ticked = {(typed_text(name) or "").strip().casefold() for name in ticked_raw[:LIST_CAP]}
        if not any(path_ in check.errors for path_ in _package_paths(path)):
            packages.append(
                CleanPackage(
                    tier=tier,
                    name=(typed_text(package.get("name")) or "").strip(),
                    description=(typed_text(package.get("description")) or "").strip(),
                    price_cents=price or 0,
                    delivery_days=parse_delivery_days(package.get("delivery_days")) or 0,
                    revisions=parse_revisions(package.get("revisions")) or 0,
                    # only rows that exist: a tick left behind by a removed row is dropped
                    features=tuple(row for row in feature_rows if row.casefold() in ticked),
                )
            )
    return packages, min(delivery_days, default=None)


def _rows(draft: dict, check: _Check, name: str, most: int, too_many: str) -> list:
    """A list section of the draft, capped at LIST_CAP, with its "at most" message."""
    rows = _list(draft.get(name))
    if rows is None:
        check.add(name, BAD_VALUE)
        return []
    if len(rows) > most:
        check.add(name, f"{too_many} (now {len(rows)}).")
    return rows[:LIST_CAP]


def _row_has_errors(check: _Check, path: str) -> bool:
    return any(key.startswith(f"{path}.") for key in check.errors)


def _check_extras(draft: dict, check: _Check, fastest: int | None) -> list[CleanExtra]:
    add = check.add
    extras: list[CleanExtra] = []
    kinds_seen: set[str] = set()
    rows = _rows(draft, check, "extras", EXTRAS_MAX, f"Offer at most {EXTRAS_MAX} extras")
    for index, item in enumerate(rows):
        path = f"extras.{index}"
        extra = _dict(item)
        if extra is None:
            add(path, BAD_VALUE)
            continue
        kind = extra.get("kind")
        message = extra_kind_error(kind)
        if not message and kind != ExtraKind.custom.value and kind in kinds_seen:
            message = "You already offer this extra; change that one instead."
        add(f"{path}.kind", message)
        if isinstance(kind, str):
            kinds_seen.add(kind)
        add(f"{path}.title", extra_title_error(extra.get("title"), kind))
        add(
            f"{path}.description",
            _plain(extra.get("description"), low=0, high=EXTRA_DESCRIPTION_MAX, empty="")[1],
        )
        price, message = parse_price(extra.get("price"))
        add(f"{path}.price", message)
        add(
            f"{path}.extra_days",
            extra_days_error(extra.get("extra_days"), kind, fastest_delivery_days=fastest),
        )
        if not _row_has_errors(check, path):
            extra_title = (typed_text(extra.get("title")) or "").strip()
            extras.append(
                CleanExtra(
                    kind=kind,
                    title=extra_title or DEFAULT_EXTRA_TITLES.get(kind, ""),
                    description=(typed_text(extra.get("description")) or "").strip(),
                    price_cents=price or 0,
                    extra_days=parse_extra_days(extra.get("extra_days"), kind) or 0,
                )
            )
    return extras


def _check_description(draft: dict, check: _Check) -> str:
    description, message = _plain(
        draft.get("description"),
        low=DESCRIPTION_MIN,
        high=DESCRIPTION_MAX,
        empty=f"Describe your gig in at least {DESCRIPTION_MIN} characters.",
    )
    check.add("description", message)
    return description


def _check_faqs(draft: dict, check: _Check) -> list[CleanFAQ]:
    faqs: list[CleanFAQ] = []
    rows = _rows(draft, check, "faqs", FAQS_MAX, f"Add at most {FAQS_MAX} questions")
    for index, item in enumerate(rows):
        faq = _dict(item)
        if faq is None:
            check.add(f"faqs.{index}", BAD_VALUE)
            continue
        question, q_message = _plain(
            faq.get("question"), low=1, high=FAQ_QUESTION_MAX, empty="Write the question."
        )
        answer, a_message = _plain(
            faq.get("answer"), low=1, high=FAQ_ANSWER_MAX, empty="Write the answer."
        )
        check.add(f"faqs.{index}.question", q_message)
        check.add(f"faqs.{index}.answer", a_message)
        if not q_message and not a_message:
            faqs.append(CleanFAQ(question=question, answer=answer))
    return faqs


def _check_requirements(draft: dict, check: _Check) -> list[CleanRequirement]:
    add = check.add
    requirements: list[CleanRequirement] = []
    rows = _rows(
        draft, check, "requirements", REQUIREMENTS_MAX, f"Ask at most {REQUIREMENTS_MAX} questions"
    )
    for index, item in enumerate(rows):
        path = f"requirements.{index}"
        requirement = _dict(item)
        if requirement is None:
            add(path, BAD_VALUE)
            continue
        question, message = _plain(
            requirement.get("question"),
            low=1,
            high=REQUIREMENT_QUESTION_MAX,
            empty="Write what you need from the buyer.",
        )
        add(f"{path}.question", message)
        kind = requirement.get("kind")
        add(f"{path}.kind", requirement_kind_error(kind))
        if kind == RequirementKind.choice.value:
            add(f"{path}.choices", choices_error(requirement.get("choices")))
        required = _bool(requirement.get("required", True))
        if required is None:
            add(f"{path}.required", "Choose whether an answer is required.")
        if not _row_has_errors(check, path):
            choices = clean_choices(requirement.get("choices"))
            requirements.append(
                CleanRequirement(
                    question=question,
                    kind=kind,
                    choices=tuple(choices) if kind == RequirementKind.choice.value else (),
                    required=bool(required),
                )
            )
    return requirements


def _analyse(
    draft: Any, category_ids: set[int] | None, gallery_count: int | None
) -> tuple[dict[str, str], CleanGig | None]:
    """Check the draft section by section (in the editor's order, so the first message of a
    field is the one its step shows) and build the live values when nothing is wrong."""
    if not isinstance(draft, dict):
        return {"draft": "This draft can't be read. Reload the page and try again."}, None
    check = _Check()
    title = _check_overview(draft, check, category_ids)
    single = _check_single_package(draft, check)
    feature_rows = _check_features(draft, check)
    packages, fastest = _check_packages(draft, check, TIERS[:1] if single else TIERS, feature_rows)
    extras = _check_extras(draft, check, fastest)
    description = _check_description(draft, check)
    faqs = _check_faqs(draft, check)
    requirements = _check_requirements(draft, check)
    if gallery_count is not None and gallery_count < 1:
        check.add("gallery", "Add at least one image to your gallery; the first one is the cover.")

    if check.errors:
        return check.errors, None
    return {}, CleanGig(
        title=title,
        category_id=parse_category_id(draft.get("category_id")) or 0,
        tags=tuple(clean_tags(draft.get("tags"))),
        single_package=single,
        features=tuple(feature_rows),
        packages=tuple(packages),
        extras=tuple(extras),
        description=description,
        faqs=tuple(faqs),
        requirements=tuple(requirements),
    )


def _package_paths(path: str) -> tuple[str, ...]:
    return (
        path,
        f"{path}.name",
        f"{path}.description",
        f"{path}.price",
        f"{path}.delivery_days",
        f"{path}.revisions",
        f"{path}.features",
    )


def validate_draft(
    draft: Any, *, category_ids: set[int] | None = None, gallery_count: int | None = None
) -> dict[str, str]:
    """Every rule a gig must meet to be published: field path -> message ({} when valid).

    `category_ids` are the existing subcategories (None: only the id's form is checked);
    `gallery_count` is the number of gallery images (None: the gallery is not checked).
    Paths look like "title", "packages.premium.price", "extras.0.price", "faqs.1.answer".
    Never raises, whatever the draft holds.
    """
    return _analyse(draft, category_ids, gallery_count)[0]


def clean_draft(draft: Any, *, category_ids: set[int] | None = None) -> CleanGig:
    """The live values of a valid draft; ValueError (with the messages) if it is not valid."""
    errors, clean = _analyse(draft, category_ids, None)
    if clean is None:
        raise ValueError(errors)
    return clean


# --- editor steps ------------------------------------------------------------------------------


@dataclass(frozen=True)
class Step:
    key: str
    label: str
    fields: tuple[str, ...]  # top-level draft keys whose messages show on this step


STEPS: tuple[Step, ...] = (
    Step("overview", "Overview", ("draft", "title", "category_id", "tags")),
    Step("pricing", "Pricing", ("single_package", "features", "packages", "extras")),
    Step("description", "Description & FAQ", ("description", "faqs")),
    Step("requirements", "Requirements", ("requirements",)),
    Step("gallery", "Gallery", ("gallery",)),
    Step("publish", "Publish", ()),  # the last step lists every message
)


def step_of(path: str) -> str:
    """The key of the step that shows the field at `path`."""
    head = path.split(".", 1)[0]
    for step in STEPS:
        if head in step.fields:
            return step.key
    return STEPS[0].key


def errors_for_step(errors: Mapping[str, str], step: str) -> dict[str, str]:
    """The messages to show on one step (by key or label); "publish" gets them all."""
    match = next((s for s in STEPS if step in (s.key, s.label)), None)
    if match is None:
        return {}
    if not match.fields:
        return dict(errors)
    return {path: message for path, message in errors.items() if step_of(path) == match.key}


def _filled(value: Any) -> bool:
    """Anything the seller typed or chose: text, a non-empty list, or a row/package holding one."""
    if isinstance(value, str):
        return bool(value.strip())
    if isinstance(value, Mapping):
        return any(_filled(item) for item in value.values())
    if isinstance(value, list | tuple):
        return any(_filled(item) for item in value)
    return False


def reached_steps(draft: Any, *, gallery_count: int, status: str) -> list[str]:
    """The steps a seller has already been through, read from the saved gig (so that a reload
    shows the same finished steps as before it): every step up to the last one holding something
    the seller entered. A gig that was ever submitted has been through all of them. The editor
    ticks a reached step that has no problems left."""
    if status != "draft":
        return [step.key for step in STEPS]
    draft = coerce_draft(draft)
    content = {
        "overview": _filled([draft["title"], draft["category_id"], draft["tags"]]),
        "pricing": _filled([draft["features"], draft["packages"], draft["extras"]]),
        "description": _filled([draft["description"], draft["faqs"]]),
        "requirements": _filled(draft["requirements"]),
        "gallery": gallery_count > 0,
    }
    last = max((i for i, step in enumerate(STEPS) if content.get(step.key)), default=-1)
    return [step.key for step in STEPS[: last + 1]]

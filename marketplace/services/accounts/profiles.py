"""Freelancer profiles: becoming a seller, the profile editor's rules, the public profile.

The editor sends its whole form as plain data typed by the user (every value a string, lists of
string dicts). `validate_profile_form` turns it into clean values plus a map of field path ->
message ("languages.0.level"), so the page can show each message under its own field while the
user types; `save_profile` writes only a form with no messages. Nothing here trusts the form's
shape: wrong types and oversized input become messages, never exceptions.
"""

import re
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path
from typing import Any
from urllib.parse import urlparse

from sqlalchemy.engine import Engine
from sqlmodel import Session, col, select

from marketplace.db import session_scope, utcnow
from marketplace.models import FreelancerProfile, User, UserStatus
from marketplace.services.accounts import members as accounts
from marketplace.services.common import media
from marketplace.services.common.errors import DomainError, NotFound, PermissionDenied
from marketplace.services.common.guards import require_active_user
from marketplace.services.common.reference import COUNTRIES, LANGUAGE_LEVELS, LANGUAGES
from marketplace.services.gigs import actions as gigs
from marketplace.services.gigs.catalog import GigCard, seller_gig_cards
from marketplace.services.messaging.response_times import measured_response_hours
from marketplace.settings import get_settings

MAX_SKILLS = 15
BIO_MIN, BIO_MAX = 50, 2000
SKILL_MIN, SKILL_MAX, SKILL_WORDS_MAX = 2, 30, 4
MAX_LIST_ROWS = 10
EARLIEST_YEAR = 1950
QUALIFICATION_KINDS = ("education", "certification")
SKILL_PATTERN = re.compile(r"^[\w][\w .+#/&-]*$")
LIST_FIELDS = {
    "languages": ("language", "level"),
    "qualifications": ("kind", "title", "institution", "year"),
    "experience": ("title", "company", "from_year", "to_year", "description"),
    "portfolio": ("title", "url"),
}
TEXT_FIELDS = ("display_name", "headline", "bio", "country")


class ProfileInvalid(DomainError):
    """The form has mistakes; `errors` maps each field path to its message."""

    def __init__(self, errors: dict[str, str]):
        super().__init__("Please fix the highlighted fields.")
        self.errors = errors


def become_seller(session: Session, *, actor: User) -> FreelancerProfile:
    """Turn on the seller side of an account. Doing it twice changes nothing."""
    actor = require_active_user(actor)
    existing = session.exec(
        select(FreelancerProfile).where(FreelancerProfile.user_id == actor.id)
    ).first()
    if existing is not None:
        return existing
    profile = FreelancerProfile(user_id=actor.id)
    session.add(profile)
    session.flush()
    return profile


def _seller_profile(session: Session, actor: User) -> FreelancerProfile:
    profile = session.exec(
        select(FreelancerProfile).where(FreelancerProfile.user_id == actor.id)
    ).first()
    if profile is None:
        raise PermissionDenied("Become a seller first to set up a seller profile.")
    return profile


def _str(value: Any, limit: int = 4000) -> str:
    return value[:limit] if isinstance(value, str) else ""


def _year_text(value: Any) -> str:
    return "" if value is None else str(value)


def profile_form(session: Session, *, actor: User) -> dict:
    """The editor's starting values, as the strings and rows the form edits."""
    actor = require_active_user(actor)
    profile = _seller_profile(session, actor)
    return {
        "display_name": actor.display_name,
        "headline": profile.headline,
        "bio": profile.bio,
        "country": profile.country,
        "skills": list(profile.skills),
        "languages": [
            {"language": str(row.get("language", "")), "level": str(row.get("level", ""))}
            for row in profile.languages
        ],
        "qualifications": [
            {
                "kind": str(row.get("kind", "")),
                "title": str(row.get("title", "")),
                "institution": str(row.get("institution", "")),
                "year": _year_text(row.get("year")),
            }
            for row in profile.qualifications
        ],
        "experience": [
            {
                "title": str(row.get("title", "")),
                "company": str(row.get("company", "")),
                "from_year": _year_text(row.get("from_year")),
                "to_year": _year_text(row.get("to_year")),
                "description": str(row.get("description", "")),
            }
            for row in profile.experience
        ],
        "portfolio": [
            {"title": str(row.get("title", "")), "url": str(row.get("url", ""))}
            for row in profile.portfolio
        ],
    }


def _length(text: str, low: int, high: int, what: str) -> str:
    if len(text) < low:
        return f"{what} needs at least {low} characters." if low > 1 else f"Enter {what.lower()}."
    if len(text) > high:
        return (
            f"{what} can be at most {high:,} characters (now {len(text):,}): "
            f"shorten it by {len(text) - high:,}."
        )
    return ""


def _year(text: str, what: str, *, now_year: int) -> tuple[int | None, str]:
    text = text.strip()
    if not text.isdigit() or len(text) != 4:
        return None, f"Enter the {what} as a four-digit year."
    year = int(text)
    if not EARLIEST_YEAR <= year <= now_year:
        return None, f"The {what} must be between {EARLIEST_YEAR} and {now_year}."
    return year, ""


def clean_skill(text: str) -> str:
    return " ".join(text.split()).lower()


def skill_error(value: Any) -> str:
    """What is wrong with one skill, naming it, or ""."""
    skill = clean_skill(_str(value, 200))
    shown = skill if len(skill) <= SKILL_MAX else skill[:SKILL_MAX] + "…"
    if len(skill) < SKILL_MIN:
        return f'The skill "{shown}" is too short: use at least {SKILL_MIN} characters.'
    if len(skill) > SKILL_MAX:
        return f'The skill "{shown}" is too long: use at most {SKILL_MAX} characters.'
    if not SKILL_PATTERN.match(skill):
        return f'The skill "{shown}" may use only letters, digits, spaces and + # . / & -.'
    if len(skill.split()) > SKILL_WORDS_MAX:
        return f'The skill "{shown}" has {len(skill.split())} words: use at most {SKILL_WORDS_MAX}.'
    return ""


def skill_to_add_error(value: Any, skills: Any) -> str:
    """Why the chip `value` can't join `skills` (bad skill, already there, no room), or ""."""
    if not clean_skill(_str(value, 200)):
        return "Type a skill first, then press Enter."
    if message := skill_error(value):
        return message
    skill = clean_skill(_str(value, 200))
    current = [clean_skill(_str(s, 200)) for s in skills] if isinstance(skills, list) else []
    if skill in current:
        return f'You already added "{skill}".'
    if len(current) >= MAX_SKILLS:
        return f"You can add at most {MAX_SKILLS} skills: remove one to add another."
    return ""


def _rows(form: dict, name: str) -> list[dict]:
    rows = form.get(name)
    if not isinstance(rows, list):
        return []
    return [row if isinstance(row, dict) else {} for row in rows[: MAX_LIST_ROWS + 1]]


def validate_profile_form(form: Any, *, now: datetime | None = None) -> tuple[dict, dict]:
    """(clean values, errors). Clean values are only meaningful when errors is empty."""
    form = form if isinstance(form, dict) else {}
    now_year = (now or utcnow()).year
    errors: dict[str, str] = {}
    clean: dict[str, Any] = {}

    def check(path: str, message: str) -> None:
        if message and path not in errors:
            errors[path] = message

    name = " ".join(_str(form.get("display_name")).split())
    check("display_name", _length(name, 2, 80, "Your name"))
    headline = " ".join(_str(form.get("headline")).split())
    check("headline", _length(headline, 10, 120, "The headline"))
    bio = _str(form.get("bio"), 4000).strip()
    check("bio", _length(bio, BIO_MIN, BIO_MAX, "About you"))
    country = _str(form.get("country")).strip().upper()
    if country not in COUNTRIES:
        check("country", "Choose the country you work from.")
    clean.update(display_name=name, headline=headline, bio=bio, country=country)

    raw_skills = form.get("skills")
    skills: list[str] = []
    if isinstance(raw_skills, list):
        # Every bad skill is named at once, so one save attempt shows them all.
        problems = []
        for raw in raw_skills[: MAX_SKILLS + 1]:
            if message := skill_error(raw):
                problems.append(message)
            elif (skill := clean_skill(_str(raw, 100))) not in skills:
                skills.append(skill)
        if len(raw_skills) > MAX_SKILLS:
            problems.insert(0, f"Add at most {MAX_SKILLS} skills (now {len(raw_skills)}).")
        check("skills", " ".join(problems))
    if not skills and "skills" not in errors:
        check("skills", "Add at least one skill buyers can find you by.")
    clean["skills"] = skills

    languages: list[dict] = []
    seen_languages: set[str] = set()
    for i, row in enumerate(_rows(form, "languages")):
        language, level = _str(row.get("language")).strip(), _str(row.get("level")).strip()
        if language not in LANGUAGES:
            check(f"languages.{i}.language", "Choose a language from the list.")
        elif language in seen_languages:
            check(f"languages.{i}.language", f"{language} is listed twice.")
        if level not in LANGUAGE_LEVELS:
            check(f"languages.{i}.level", "Choose how well you speak it.")
        seen_languages.add(language)
        languages.append({"language": language, "level": level})
    if not languages:
        check("languages", "Add at least one language you work in.")
    clean["languages"] = languages

    qualifications: list[dict] = []
    for i, row in enumerate(_rows(form, "qualifications")):
        kind = _str(row.get("kind")).strip()
        if kind not in QUALIFICATION_KINDS:
            check(f"qualifications.{i}.kind", "Choose education or certification.")
        title = " ".join(_str(row.get("title")).split())
        check(f"qualifications.{i}.title", _length(title, 2, 100, "The title"))
        institution = " ".join(_str(row.get("institution")).split())
        check(f"qualifications.{i}.institution", _length(institution, 2, 100, "The institution"))
        year, message = _year(_str(row.get("year")), "year", now_year=now_year)
        check(f"qualifications.{i}.year", message)
        qualifications.append(
            {"kind": kind, "title": title, "institution": institution, "year": year}
        )
    clean["qualifications"] = qualifications

    experience: list[dict] = []
    for i, row in enumerate(_rows(form, "experience")):
        title = " ".join(_str(row.get("title")).split())
        check(f"experience.{i}.title", _length(title, 2, 80, "The role"))
        company = " ".join(_str(row.get("company")).split())
        check(f"experience.{i}.company", _length(company, 2, 80, "The company"))
        from_year, message = _year(_str(row.get("from_year")), "start year", now_year=now_year)
        check(f"experience.{i}.from_year", message)
        to_text = _str(row.get("to_year")).strip()
        to_year = None
        if to_text:
            to_year, message = _year(to_text, "end year", now_year=now_year)
            check(f"experience.{i}.to_year", message)
            if to_year is not None and from_year is not None and to_year < from_year:
                check(f"experience.{i}.to_year", "The end year cannot be before the start year.")
        description = _str(row.get("description")).strip()
        check(f"experience.{i}.description", _length(description, 0, 500, "The description"))
        experience.append(
            {
                "title": title,
                "company": company,
                "from_year": from_year,
                "to_year": to_year,
                "description": description,
            }
        )
    clean["experience"] = experience

    portfolio: list[dict] = []
    for i, row in enumerate(_rows(form, "portfolio")):
        title = " ".join(_str(row.get("title")).split())
        check(f"portfolio.{i}.title", _length(title, 2, 80, "The title"))
        url = _str(row.get("url")).strip()
        parsed = urlparse(url) if len(url) <= 300 else None
        if parsed is None or parsed.scheme not in ("http", "https") or not parsed.hostname:
            check(f"portfolio.{i}.url", "Enter a full web address starting with https://.")
        portfolio.append({"title": title, "url": url})
    clean["portfolio"] = portfolio

    for name_, _ in LIST_FIELDS.items():
        rows = form.get(name_)
        if isinstance(rows, list) and len(rows) > MAX_LIST_ROWS:
            check(name_, f"Add at most {MAX_LIST_ROWS} entries.")
    return clean, errors


def save_profile(session: Session, *, actor: User, form: Any) -> FreelancerProfile:
    """Write the editor's form, all or nothing."""
    actor = require_active_user(actor)
    profile = _seller_profile(session, actor)
    clean, errors = validate_profile_form(form)
    if errors:
        raise ProfileInvalid(errors)
    user = session.get(User, actor.id)
    shown_in_search = (user.display_name, profile.country, profile.languages)
    user.display_name = clean["display_name"]
    for key in ("headline", "bio", "country", "skills", "languages"):
        setattr(profile, key, clean[key])
    level_rank = {level: rank for rank, level in enumerate(LANGUAGE_LEVELS)}
    profile.languages = sorted(clean["languages"], key=lambda row: level_rank[row["level"]])
    profile.qualifications = clean["qualifications"]
    profile.experience = clean["experience"]
    profile.portfolio = clean["portfolio"]
    session.add_all([user, profile])
    if (user.display_name, profile.country, profile.languages) != shown_in_search:
        gigs.queue_seller_gigs(session, seller_id=user.id)  # their search documents show these
    session.flush()
    return profile


def set_avatar(session: Session, *, actor: User, image_name: str) -> str | None:
    """Point the account at a newly stored image; returns the old image's name to delete."""
    actor = require_active_user(actor)
    user = session.get(User, actor.id)
    old, user.avatar_path = user.avatar_path, image_name
    session.add(user)
    session.flush()
    return old


AVATAR_SIDE = 512


def upload_avatar(
    *,
    actor: User,
    data: bytes,
    upload_dir: Path | None = None,
    max_bytes: int | None = None,
    engine: Engine | None = None,
) -> str:
    """Check and store an uploaded photo and make it the account's avatar; returns its name.

    The old photo's file is deleted once the change has committed; if the change fails, the
    new file is deleted and the error raised (media.ImageRejected for a file we don't accept).
    """
    settings = get_settings()
    upload_dir = upload_dir or settings.upload_dir
    stored = media.store_image(
        data,
        upload_dir=upload_dir,
        max_bytes=max_bytes or settings.max_upload_bytes,
        max_side=AVATAR_SIDE,
    )
    try:
        with session_scope(engine) as session:
            old = set_avatar(session, actor=actor, image_name=stored.name)
    except BaseException:
        media.delete_image(upload_dir, stored.name)
        raise
    media.delete_image(upload_dir, old)
    return stored.name


@dataclass(frozen=True)
class PublicProfile:
    user_id: int  # for the reviews block's scope (never shown)
    username: str
    display_name: str
    avatar: str
    member_since: datetime
    headline: str
    bio: str
    country: str
    country_name: str
    skills: list[str]
    languages: list[dict]
    qualifications: list[dict]
    experience: list[dict]
    portfolio: list[dict]
    level: str
    is_pro: bool
    response_time_hours: int | None  # None until measured from messages
    rating_avg: float
    rating_count: int
    orders_completed: int
    gigs: list[GigCard]


def _public_username(username: Any) -> str:
    return username.strip().lower()[:40] if isinstance(username, str) else ""


def seller_exists(session: Session, *, username: str) -> bool:
    """Whether /u/<username> shows a profile (the same test as `public_profile`, one query):
    the server answers a missing seller's page with HTTP 404."""
    username = _public_username(username)
    if not accounts.USERNAME_PATTERN.match(username):
        return False
    return (
        session.exec(
            select(User.id)
            .join(FreelancerProfile, col(FreelancerProfile.user_id) == User.id)
            .where(User.username == username, User.status == UserStatus.active)
        ).first()
        is not None
    )


def public_profile(session: Session, *, username: str) -> PublicProfile:
    """A seller's public page. Unknown, suspended and non-seller accounts are all 'not found'.
    Its reviews are the reviews block's (state/reviews.py, services/reviews/order_reviews.py)."""
    username = _public_username(username)
    if not accounts.USERNAME_PATTERN.match(username):
        raise NotFound("There is no seller with that name.")
    row = session.exec(
        select(User, FreelancerProfile)
        .join(FreelancerProfile, col(FreelancerProfile.user_id) == User.id)
        .where(User.username == username, User.status == UserStatus.active)
    ).first()
    if row is None:
        raise NotFound("There is no seller with that name.")
    user, profile = row
    return PublicProfile(
        user_id=user.id,
        username=user.username,
        display_name=user.display_name,
        avatar=user.avatar_path or "",
        member_since=user.created_at,
        headline=profile.headline,
        bio=profile.bio,
        country=profile.country,
        country_name=COUNTRIES.get(profile.country, ""),
        skills=list(profile.skills),
        languages=list(profile.languages),
        qualifications=list(profile.qualifications),
        experience=list(profile.experience),
        portfolio=list(profile.portfolio),
        level=profile.level,
        is_pro=profile.is_pro,
        response_time_hours=measured_response_hours(session, seller_id=user.id),
        rating_avg=profile.rating_avg,
        rating_count=profile.rating_count,
        orders_completed=profile.orders_completed,
        gigs=seller_gig_cards(session, seller_id=user.id),
    )

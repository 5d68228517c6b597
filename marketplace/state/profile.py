"""The seller profile editor (/settings/profile), payouts (/settings/payouts) and the public
profile page (/u/<username>). Thin: the rules live in services.profiles and services.payouts."""

import asyncio
import dataclasses

import reflex as rx

from marketplace.db import session_scope
from marketplace.payments.gateway import PaymentProviderError
from marketplace.services.accounts import profiles
from marketplace.services.common import media
from marketplace.services.common.errors import DomainError, NotFound
from marketplace.services.common.reference import COUNTRIES
from marketplace.services.orders import payouts
from marketplace.settings import get_settings
from marketplace.state import reviews as review_list
from marketplace.state.base import AppState, public, user_for_session
from marketplace.state.event_args import (
    CLIPPED_MESSAGE,
    bounded_text,
    index_arg,
    kept_text,
    length_count,
    rows_with_errors,
)
from marketplace.state.format import media_url
from marketplace.state.view_models import GigCardView, PublicProfileView

ROW_TEMPLATES = {
    "languages": {"language": "", "level": ""},
    "qualifications": {"kind": "education", "title": "", "institution": "", "year": ""},
    "experience": {"title": "", "company": "", "from_year": "", "to_year": "", "description": ""},
    "portfolio": {"title": "", "url": ""},
}
# Typed text is kept whole (up to event_args.TEXT_KEEP_MAX): the rules say how much is too much.
TEXT_FIELDS = ("display_name", "headline", "bio")
FIELD_LABELS = {
    "display_name": "Display name",
    "headline": "Headline",
    "bio": "About",
    "country": "Country",
    "skills": "Skills",
    "languages": "Languages",
    "qualifications": "Education and certifications",
    "experience": "Experience",
    "portfolio": "Portfolio",
}
ROW_LABELS = {
    "languages": "Language",
    "qualifications": "Qualification",
    "experience": "Role",
    "portfolio": "Portfolio link",
}
ROW_FIELD_LABELS = {"from_year": "start year", "to_year": "end year", "url": "address"}


def _field_label(path: str) -> str:
    """'languages.0.level' -> 'Language 1, level': where a message in the save list points."""
    parts = path.split(".")
    if parts[0] in ROW_LABELS and len(parts) == 3 and parts[1].isdigit():
        key = ROW_FIELD_LABELS.get(parts[2], parts[2].replace("_", " "))
        return f"{ROW_LABELS[parts[0]]} {int(parts[1]) + 1}, {key}"
    return FIELD_LABELS.get(parts[0], parts[0].replace("_", " ").capitalize())


@dataclasses.dataclass
class ProblemView:
    label: str = ""


class ProfileEditorState(AppState):
    """The form as typed. `errors` is recomputed on every change; a field's message shows once
    the field was touched, or for every field after a save attempt."""

    loading: bool = True
    is_seller: bool = False
    display_name: str = ""
    headline: str = ""
    bio: str = ""
    country: str = ""
    skills: list[str] = []
    skill_draft: str = ""
    skill_add_error: str = ""  # why the skill just typed was not added
    languages: list[dict[str, str]] = []
    qualifications: list[dict[str, str]] = []
    experience: list[dict[str, str]] = []
    portfolio: list[dict[str, str]] = []
    errors: dict[str, str] = {}
    touched: list[str] = []
    show_all_errors: bool = False
    saving: bool = False
    avatar_error: str = ""
    own_username: str = ""

    def _form(self) -> dict:
        return {
            "display_name": self.display_name,
            "headline": self.headline,
            "bio": self.bio,
            "country": self.country,
            "skills": self.skills,
            "languages": self.languages,
            "qualifications": self.qualifications,
            "experience": self.experience,
            "portfolio": self.portfolio,
        }

    def _revalidate(self) -> None:
        _, self.errors = profiles.validate_profile_form(self._form())

    def _touch(self, path: str) -> None:
        if path not in self.touched:
            self.touched = [*self.touched[-200:], path]

    def _fill(self, form: dict) -> None:
        self.display_name = form["display_name"]
        self.headline = form["headline"]
        self.bio = form["bio"]
        self.country = form["country"]
        self.skills = form["skills"]
        self.languages = form["languages"]
        self.qualifications = form["qualifications"]
        self.experience = form["experience"]
        self.portfolio = form["portfolio"]
        self.touched = []
        self.show_all_errors = False
        self._revalidate()

    @rx.event
    def load(self):
        user = self._require_user()
        self.loading = True
        self.avatar_error = ""
        self.own_username = user.username
        with session_scope() as session:
            try:
                form = profiles.profile_form(session, actor=user)
            except DomainError:
                self.is_seller = False
                self.loading = False
                return
        self.is_seller = True
        self._fill(form)
        self.loading = False

    @rx.event
    def become_seller(self):
        user = self._require_user()
        with session_scope() as session:
            profiles.become_seller(session, actor=user)
        self.viewer_is_seller = True
        return ProfileEditorState.load

    @rx.event
    def set_text(self, field: str, value: str):
        self._require_user()
        if field == "country":
            text, clipped = bounded_text(value, 2), False
        elif field in TEXT_FIELDS:
            text, clipped = kept_text(value)
        else:
            return None
        setattr(self, field, text)
        self._touch(field)
        self._revalidate()
        return rx.toast.warning(CLIPPED_MESSAGE) if clipped else None

    @rx.event
    def add_skill(self, value: str = ""):
        """A chip joins only if the skill rules accept it; else its message shows right there
        and the typed text stays to be corrected."""
        self._require_user()
        typed = kept_text(value)[0] or self.skill_draft
        self.skill_add_error = profiles.skill_to_add_error(typed, self.skills)
        if self.skill_add_error:
            self.skill_draft = typed
            return
        self.skills = [*self.skills, profiles.clean_skill(typed)]
        self._touch("skills")
        self.skill_draft = ""
        self._revalidate()

    @rx.event
    def set_skill_draft(self, value: str):
        self._require_user()
        self.skill_draft, _ = kept_text(value)
        self.skill_add_error = ""

    @rx.event
    def skill_key(self, key: str):
        self._require_user()
        if key == "Enter":
            return ProfileEditorState.add_skill("")

    @rx.event
    def remove_skill(self, index: int):
        self._require_user()
        index = index_arg(index)
        if 0 <= index < len(self.skills):
            self.skills = self.skills[:index] + self.skills[index + 1 :]
            self._touch("skills")
            self._revalidate()

    @rx.event
    def add_row(self, list_name: str):
        self._require_user()
        if list_name not in ROW_TEMPLATES:
            return
        rows = getattr(self, list_name)
        if len(rows) < profiles.MAX_LIST_ROWS:
            setattr(self, list_name, [*rows, dict(ROW_TEMPLATES[list_name])])
            self._revalidate()

    @rx.event
    def remove_row(self, list_name: str, index: int):
        self._require_user()
        index = index_arg(index)
        if list_name not in ROW_TEMPLATES or not 0 <= index < len(getattr(self, list_name)):
            return
        rows = getattr(self, list_name)
        setattr(self, list_name, rows[:index] + rows[index + 1 :])
        # Paths of later rows shift: forget what was touched in this list.
        self.touched = [p for p in self.touched if not p.startswith(f"{list_name}.")]
        self._revalidate()

    @rx.event
    def set_row_field(self, list_name: str, index: int, key: str, value: str):
        self._require_user()
        index = index_arg(index)
        template = ROW_TEMPLATES.get(list_name if isinstance(list_name, str) else "")
        if template is None or key not in template:
            return
        rows = getattr(self, list_name)
        if not 0 <= index < len(rows):
            return
        text, clipped = kept_text(value)
        row = {**rows[index], key: text}
        setattr(self, list_name, rows[:index] + [row] + rows[index + 1 :])
        self._touch(f"{list_name}.{index}.{key}")
        self._revalidate()
        return rx.toast.warning(CLIPPED_MESSAGE) if clipped else None

    @rx.event
    def save(self):
        user = self._require_user()
        self.show_all_errors = True
        self._revalidate()
        if self.errors:
            return rx.toast.error("Please fix the highlighted fields.")
        self.saving = True
        try:
            with session_scope() as session:
                profiles.save_profile(session, actor=user, form=self._form())
        except profiles.ProfileInvalid as exc:
            self.errors = exc.errors
            return rx.toast.error(str(exc))
        except DomainError as exc:
            return rx.toast.error(str(exc))
        finally:
            self.saving = False
        self.viewer_name = " ".join(self.display_name.split())
        return rx.toast.success("Profile saved.")

    @rx.event
    async def upload_avatar(self, files: list[rx.UploadFile]):
        user, refuse = self._upload_guard()
        if refuse:
            return refuse
        settings = get_settings()
        self.avatar_error = ""
        if not isinstance(files, list) or len(files) != 1:
            self.avatar_error = "Choose one image."
            return
        upload = files[0]
        if refused := media.oversized_message(upload.size, settings.max_upload_bytes):
            self.avatar_error = refused
            return
        data = await upload.read(settings.max_upload_bytes + 1)
        try:
            name = await asyncio.to_thread(
                profiles.upload_avatar,
                actor=user,
                data=data,
                upload_dir=settings.upload_dir,
                max_bytes=settings.max_upload_bytes,
            )
        except DomainError as exc:  # not an image we accept, or the account may not change
            self.avatar_error = str(exc)
            return
        self.viewer_avatar_url = media_url(name)

    @rx.var
    def visible_errors(self) -> dict[str, str]:
        if self.show_all_errors:
            return self.errors
        touched = set(self.touched)
        return {
            path: message
            for path, message in self.errors.items()
            if path in touched or path.rsplit(".", 2)[0] in touched
        }

    def _rows_with_errors(self, list_name: str) -> list[dict[str, str]]:
        return rows_with_errors(
            getattr(self, list_name), list_name, ROW_TEMPLATES[list_name], self.visible_errors
        )

    @rx.var
    def language_rows(self) -> list[dict[str, str]]:
        return self._rows_with_errors("languages")

    @rx.var
    def qualification_rows(self) -> list[dict[str, str]]:
        return self._rows_with_errors("qualifications")

    @rx.var
    def experience_rows(self) -> list[dict[str, str]]:
        return self._rows_with_errors("experience")

    @rx.var
    def portfolio_rows(self) -> list[dict[str, str]]:
        return self._rows_with_errors("portfolio")

    @rx.var
    def bio_count(self) -> str:
        return length_count(len(self.bio.strip()), profiles.BIO_MAX)

    @rx.var
    def bio_too_long(self) -> bool:
        return len(self.bio.strip()) > profiles.BIO_MAX

    @rx.var
    def save_problems(self) -> list[ProblemView]:
        """After a save attempt: every remaining problem at once, "where: message"."""
        if not self.show_all_errors:
            return []
        return [ProblemView(f"{_field_label(path)}: {msg}") for path, msg in self.errors.items()]


class PayoutsState(AppState):
    loading: bool = True
    is_seller: bool = False
    has_account: bool = False
    payouts_enabled: bool = False
    working: bool = False
    error: str = ""

    def _show(self, status: payouts.PayoutsStatus) -> None:
        self.is_seller = status.is_seller
        self.has_account = status.has_account
        self.payouts_enabled = status.payouts_enabled

    @rx.event(background=True)
    async def load(self):
        """Background events here and in `start`: Stripe may be asked, off the state lock."""
        async with self:
            user = self._require_user()
            self.working = False
        check = await asyncio.to_thread(payouts.check_payouts, actor=user)
        async with self:
            self.error = check.error
            self._show(check.status)
            self.loading = False

    @rx.event(background=True)
    async def start(self):
        async with self:
            user = self._require_user()
            if self.working:
                return
            self.working = True
            self.error = ""
        return_url = f"{get_settings().app_url}/settings/payouts"
        try:
            setup = await asyncio.to_thread(
                payouts.start_payouts, actor=user, return_url=return_url
            )
        except (DomainError, PaymentProviderError) as exc:
            async with self:
                self.error = str(exc)
                self.working = False
            return
        async with self:
            self.working = False
            self._show(setup.status)
        if setup.onboarding_url:
            yield rx.redirect(setup.onboarding_url, is_external=True)
        else:
            yield rx.toast.success("Payouts are enabled.")


def _public_page(username: str, session_token: str | None, reviews_scope: tuple) -> tuple:
    """The profile's reads and its first reviews' (NotFound for no such seller)."""
    viewer = user_for_session(session_token)
    with session_scope() as session:
        found = profiles.public_profile(session, username=username)
        first = review_list.first_reviews(
            session,
            reviews_scope,
            gig_id=0,
            seller_id=found.user_id,
            viewer_id=viewer.id if viewer else None,
        )
    return found, first


class PublicProfileState(AppState):
    """What /u/<username> shows; display values only."""

    found: bool = True
    loading: bool = True
    profile: PublicProfileView = PublicProfileView()
    gigs: list[GigCardView] = []

    @rx.var
    def page_title(self) -> str:
        if not self.found:
            return "Seller not found · Gigworks"
        name = self.profile.display_name
        return f"{name} · Gigworks" if name else "Seller profile · Gigworks"

    @rx.event
    @public
    async def load(self):
        """The profile and its reviews block, in one event; the reads in a worker thread."""
        name = self.router.url.path.rstrip("/").rsplit("/", 1)[-1]
        reviews_block = await self.get_state(review_list.ReviewListState)
        scope = reviews_block._begin_loading()
        try:
            found, reviews_loaded = await asyncio.to_thread(
                _public_page, str(name), self._session_token(), scope
            )
        except NotFound:
            self.found = False
            self.loading = False
            reviews_block._finish_loading()
            return
        reviews_block._finish_loading(reviews_loaded)
        self.found = True
        self.profile = PublicProfileView.from_profile(found)
        self.gigs = [GigCardView.from_card(card) for card in found.gigs]
        self.loading = False


COUNTRY_OPTIONS = sorted(COUNTRIES.items(), key=lambda item: item[1])

"""The live gig editor (/gigs/new and /gigs/<id>/edit).

The form is held as the strings the seller typed. Every change is checked at once with the same
rules the server enforces (services.gig_rules) and saved as the gig's draft (services.gigs) with
the version the editor last saw, so a reload or a dropped connection loses nothing and a second
tab's stale save is refused instead of overwriting. A new gig gets its row on the first change.
"""

import asyncio
import dataclasses
import json

import reflex as rx

from marketplace.db import session_scope
from marketplace.labels import revisions_count
from marketplace.services.accounts import members as accounts
from marketplace.services.common import media
from marketplace.services.common.errors import DomainError, NotFound
from marketplace.services.gigs import actions as gigs
from marketplace.services.gigs import gallery as gig_media
from marketplace.services.gigs import pages as gig_pages
from marketplace.services.gigs import rules as gig_rules
from marketplace.settings import get_settings
from marketplace.state.base import AppState
from marketplace.state.event_args import (
    CLIPPED_MESSAGE,
    bounded_text,
    index_arg,
    kept_text,
    length_count,
    rows_with_errors,
)
from marketplace.state.format import media_url, money

TIERS = gig_rules.TIERS
PACKAGE_KEYS = gig_rules.PACKAGE_TEXT_FIELDS
STEP_KEYS = [step.key for step in gig_rules.STEPS]
# Typed text is kept whole (up to event_args.TEXT_KEEP_MAX) and its rule says how much is too
# much; only the two select values have a small bound of their own.
TEXT_FIELDS = ("title", "description")
SELECT_LIMITS = {"category_id": 12, "top_category": 12}
ROW_TEMPLATES = gig_rules.FORM_ROW_TEMPLATES
# The state vars that hold the draft (gig_rules.editor_form's keys).
FORM_VARS = (
    "title",
    "category_id",
    "tags",
    "single_package",
    "features",
    "packages",
    "package_features",
    "description",
    "extras",
    "faqs",
    "requirements",
)
EXTRA_KINDS = gig_rules.EXTRA_KINDS


@dataclasses.dataclass
class OptionView:
    value: str = ""
    label: str = ""


@dataclasses.dataclass
class CategoryGroupView:
    id: str = ""
    name: str = ""
    subcategories: list[OptionView] = dataclasses.field(default_factory=list)


@dataclasses.dataclass
class GalleryItemView:
    id: int = 0
    url: str = ""
    is_cover: bool = False


@dataclasses.dataclass
class FeatureTick:
    name: str = ""
    included: bool = False


@dataclasses.dataclass
class FeatureRow:
    index: int = 0
    name: str = ""
    basic: bool = False
    standard: bool = False
    premium: bool = False


@dataclasses.dataclass
class PreviewPackage:
    tier: str = ""
    label: str = ""
    name: str = ""
    description: str = ""
    price: str = ""
    delivery: str = ""
    revisions: str = ""
    features: list[FeatureTick] = dataclasses.field(default_factory=list)


@dataclasses.dataclass
class StepView:
    key: str = ""
    label: str = ""
    number: int = 0
    issues: int = 0


def _price_text(raw: str) -> str:
    cents, _ = gig_rules.parse_price(raw)
    return money(cents) if cents is not None else "$–"


FIELD_LABELS = {
    "title": "Title",
    "category_id": "Category",
    "tags": "Tags",
    "features": "Package features",
    "extras": "Extras",
    "description": "Description",
    "faqs": "FAQ",
    "requirements": "Requirements",
    "gallery": "Gallery",
    "draft": "Gig",
    "single_package": "Packages",
}
ROW_LABELS = {"extras": "Extra", "faqs": "Question", "requirements": "Requirement"}


def _field_label(path: str) -> str:
    """'packages.premium.price' -> 'Premium package, price'; 'faqs.1.answer' -> 'Question 2,
    answer': where a message on the Publish step points."""
    parts = path.split(".")
    if parts[0] == "packages" and len(parts) >= 2:
        where = f"{gig_rules.TIER_LABELS.get(parts[1], parts[1])} package"
        return f"{where}, {parts[2].replace('_', ' ')}" if len(parts) > 2 else where
    if parts[0] in ROW_LABELS and len(parts) >= 2 and parts[1].isdigit():
        where = f"{ROW_LABELS[parts[0]]} {int(parts[1]) + 1}"
        return f"{where}, {parts[2].replace('_', ' ')}" if len(parts) > 2 else where
    return FIELD_LABELS.get(parts[0], parts[0].replace("_", " ").capitalize())


class GigEditorState(AppState):
    loading: bool = True
    is_seller: bool = True
    not_found: bool = False
    editing_id: int = 0
    version: int = 0
    gig_status: str = "draft"
    status_reason: str = ""
    public_path: str = ""
    step: str = "overview"
    preview_tier: str = "basic"

    title: str = ""
    top_category: str = ""
    category_id: str = ""
    tags: list[str] = []
    tag_draft: str = ""
    tag_add_error: str = ""  # why the tag just typed was not added
    single_package: bool = False
    features: list[str] = []
    feature_draft: str = ""
    feature_add_error: str = ""
    packages: dict[str, dict[str, str]] = {}
    package_features: dict[str, list[str]] = {}
    extras: list[dict[str, str]] = []
    description: str = ""
    faqs: list[dict[str, str]] = []
    requirements: list[dict[str, str]] = []
    gallery: list[GalleryItemView] = []
    categories: list[CategoryGroupView] = []

    errors: dict[str, str] = {}
    touched: list[str] = []
    visited_steps: list[str] = []
    save_status: str = "idle"  # idle | saved | conflict | error
    save_message: str = ""
    gallery_error: str = ""
    step_notice: str = ""  # why "Save & continue" stayed on this step
    publishing: bool = False
    publish_error: str = ""  # why Publish did not go through, shown beside the button

    # --- loading ---------------------------------------------------------------------------

    def _reset_form(self) -> None:
        self._fill(gig_rules.empty_draft())
        self.editing_id = self.version = 0
        self.gig_status, self.status_reason, self.public_path = "draft", "", ""
        self.gallery = []
        self.save_status, self.save_message, self.gallery_error = "idle", "", ""
        self.tag_draft = self.tag_add_error = self.feature_draft = self.feature_add_error = ""
        self.step_notice = self.publish_error = ""
        self.step, self.preview_tier, self.publishing = "overview", "basic", False
        self.not_found = False

    def _load_categories(self, session) -> None:
        self.categories = [
            CategoryGroupView(
                id=str(option.id),
                name=option.name,
                subcategories=[OptionView(str(i), name) for i, name in option.subcategories],
            )
            for option in gig_pages.category_options(session)
        ]

    def _fill(self, draft: dict) -> None:
        for name, value in gig_rules.editor_form(draft).items():
            setattr(self, name, value)
        self.top_category = next(
            (
                group.id
                for group in self.categories
                if any(sub.value == self.category_id for sub in group.subcategories)
            ),
            "",
        )
        self.touched, self.visited_steps = [], []
        self._revalidate()

    def _show_gig(self, data: gig_pages.EditorData) -> None:
        self.editing_id, self.version = data.id, data.version
        self.gig_status, self.status_reason = data.status, data.status_reason
        self.public_path = (
            "" if data.slug.startswith(gigs.DRAFT_SLUG_PREFIX) else f"/gig/{data.slug}"
        )
        self._show_gallery(data.gallery)
        self._fill(data.draft)
        # The finished steps come from what is saved, so a reload ticks the same ones.
        self.visited_steps = gig_rules.reached_steps(
            data.draft, gallery_count=len(data.gallery), status=data.status
        )

    def _show_gallery(self, images) -> None:
        self.gallery = [
            GalleryItemView(id=image.id, url=media_url(image.name), is_cover=image.position == 0)
            for image in images
        ]

    @rx.event
    def load_new(self):
        user = self._require_user()
        self.loading = True
        with session_scope() as session:
            self.is_seller = accounts.has_seller_profile(session, user_id=user.id)
            self._load_categories(session)
        self._reset_form()
        self.loading = False

    @rx.event
    def load_existing(self):
        user = self._require_user()
        parts = self.router.url.path.strip("/").split("/")
        self._open(user, int(parts[1]) if len(parts) == 3 and parts[1].isdigit() else 0)

    @rx.event
    def reload_latest(self):
        """After a version conflict: take the latest saved version and keep editing that.
        By id, not by address: a tab that created the gig still has /gigs/new in its router."""
        user = self._require_user()
        self._open(user, self.editing_id)

    def _open(self, user, gig_id: int) -> None:
        self.loading = True
        self._reset_form()
        with session_scope() as session:
            self.is_seller = accounts.has_seller_profile(session, user_id=user.id)
            self._load_categories(session)
            try:
                data = gig_pages.editor_data(session, actor=user, gig_id=gig_id)
            except (NotFound, DomainError):
                self.not_found = True
                self.loading = False
                return
        self._show_gig(data)
        self.loading = False

    # --- checking and saving ----------------------------------------------------------------

    def _draft(self) -> dict:
        return gig_rules.draft_from_editor_form({name: getattr(self, name) for name in FORM_VARS})

    def _category_ids(self) -> set[int]:
        return {int(sub.value) for group in self.categories for sub in group.subcategories}

    def _revalidate(self) -> None:
        self.errors = gig_rules.validate_draft(
            self._draft(), category_ids=self._category_ids(), gallery_count=len(self.gallery)
        )

    def _changed(self, path: str):
        """Every edit ends here: mark the field, check the form, save the draft."""
        user = self._require_user()
        if path and path not in self.touched:
            self.touched = [*self.touched[-300:], path]
        self._revalidate()
        return self._autosave(user)

    def _autosave(self, user):
        if self.save_status == "conflict":
            return None
        created = False
        try:
            with session_scope() as session:
                if self.editing_id == 0:
                    gig = gigs.create_draft_gig(session, actor=user)
                    self.editing_id, self.version, created = gig.id, gig.version, True
                result = gigs.save_draft(
                    session,
                    actor=user,
                    gig_id=self.editing_id,
                    expected_version=self.version,
                    draft=self._draft(),
                )
        except gigs.VersionConflict as exc:
            if created:
                self.editing_id = self.version = 0
            self.save_status, self.save_message = "conflict", str(exc)
            return None
        except DomainError as exc:
            if created:
                self.editing_id = self.version = 0
            self.save_status, self.save_message = "error", str(exc)
            return None
        self.version = result.version
        self.save_status = "saved"
        self.save_message = (
            "Saved · live on your gig page"
            if result.applied_live
            else (
                "Saved · fix the marked fields to update your live gig"
                if self.gig_status in ("active", "paused")
                else "Draft saved"
            )
        )
        if created:  # the address now names the draft, so a reload comes back to it
            path = json.dumps(f"/gigs/{self.editing_id}/edit")
            return rx.call_script(f"window.history.replaceState(null, '', {path})")
        return None

    # --- steps -----------------------------------------------------------------------------

    @rx.event
    def go_to_step(self, step: str):
        self._require_user()
        if step in STEP_KEYS:
            if self.step not in self.visited_steps:
                self.visited_steps = [*self.visited_steps, self.step]
            self.step, self.step_notice = step, ""

    @rx.event
    def next_step(self):
        """Move on only from a step without problems; otherwise show every message on it."""
        self._require_user()
        position = STEP_KEYS.index(self.step) if self.step in STEP_KEYS else 0
        if self.step not in self.visited_steps:
            self.visited_steps = [*self.visited_steps, self.step]
        problems = len(gig_rules.errors_for_step(self.errors, self.step))
        if problems:
            self.step_notice = (
                f"{'One field needs' if problems == 1 else f'{problems} fields need'} "
                "attention before you continue: see the messages above."
            )
            return None
        self.step_notice = ""
        self.step = STEP_KEYS[min(position + 1, len(STEP_KEYS) - 1)]
        return None

    @rx.event
    def previous_step(self):
        self._require_user()
        position = STEP_KEYS.index(self.step) if self.step in STEP_KEYS else 0
        self.step, self.step_notice = STEP_KEYS[max(position - 1, 0)], ""

    @rx.event
    def show_preview_tier(self, tier: str):
        self._require_user()
        if tier in TIERS:
            self.preview_tier = tier

    # --- overview ---------------------------------------------------------------------------

    def _changed_text(self, path: str, clipped: bool):
        """`_changed`, plus a word when the text had to be cut."""
        saved = self._changed(path)
        if not clipped:
            return saved
        return [rx.toast.warning(CLIPPED_MESSAGE), saved]

    @rx.event
    def set_field(self, field: str, value: str):
        self._require_user()
        if field in SELECT_LIMITS:
            setattr(self, field, bounded_text(value, SELECT_LIMITS[field]))
            if field == "top_category":
                self.category_id = ""
                return self._changed("category_id")
            return self._changed(field)
        if field not in TEXT_FIELDS:
            return None
        text, clipped = kept_text(value)
        setattr(self, field, text)
        return self._changed_text(field, clipped)

    @rx.event
    def set_tag_draft(self, value: str):
        self._require_user()
        self.tag_draft, _ = kept_text(value)
        self.tag_add_error = ""

    @rx.event
    def add_tag(self):
        """A chip joins only if the tag rules accept it; else its message shows right there and
        the typed text stays to be corrected."""
        self._require_user()
        self.tag_add_error = gig_rules.tag_to_add_error(self.tag_draft, self.tags)
        if self.tag_add_error:
            return None
        self.tags = [*self.tags, gig_rules.clean_tag(self.tag_draft)]
        self.tag_draft = ""
        return self._changed("tags")

    @rx.event
    def tag_key(self, key: str):
        self._require_user()
        if key in ("Enter", ","):
            return GigEditorState.add_tag

    @rx.event
    def remove_tag(self, index: int):
        self._require_user()
        index = index_arg(index)
        if 0 <= index < len(self.tags):
            self.tags = self.tags[:index] + self.tags[index + 1 :]
            return self._changed("tags")

    # --- pricing ----------------------------------------------------------------------------

    @rx.event
    def set_single_package(self, value: bool):
        self._require_user()
        self.single_package = value is True
        if self.single_package:
            self.preview_tier = "basic"
        return self._changed("single_package")

    @rx.event
    def set_package_field(self, tier: str, key: str, value: str):
        self._require_user()
        if tier not in TIERS or key not in PACKAGE_KEYS:
            return None
        text, clipped = kept_text(value)
        package = {**self.packages.get(tier, {}), key: text}
        self.packages = {**self.packages, tier: package}
        self.preview_tier = tier if not self.single_package else "basic"
        return self._changed_text(f"packages.{tier}.{key}", clipped)

    @rx.event
    def set_feature_draft(self, value: str):
        self._require_user()
        self.feature_draft, _ = kept_text(value)
        self.feature_add_error = ""

    @rx.event
    def add_feature(self):
        self._require_user()
        self.feature_add_error = gig_rules.feature_to_add_error(self.feature_draft, self.features)
        if self.feature_add_error:
            return None
        name = " ".join(self.feature_draft.split())
        self.feature_draft = ""
        self.features = [*self.features, name]
        # A new row is ticked in every package until the seller unticks it.
        self.package_features = {
            tier: [*self.package_features.get(tier, []), name] for tier in TIERS
        }
        return self._changed("features")

    @rx.event
    def feature_key(self, key: str):
        self._require_user()
        if key == "Enter":
            return GigEditorState.add_feature

    @rx.event
    def remove_feature(self, index: int):
        self._require_user()
        index = index_arg(index)
        if not 0 <= index < len(self.features):
            return None
        name = self.features[index]
        self.features = self.features[:index] + self.features[index + 1 :]
        self.package_features = {
            tier: [f for f in self.package_features.get(tier, []) if f != name] for tier in TIERS
        }
        return self._changed("features")

    @rx.event
    def toggle_feature(self, tier: str, index: int):
        self._require_user()
        index = index_arg(index)
        if tier not in TIERS or not 0 <= index < len(self.features):
            return None
        name = self.features[index]
        ticked = self.package_features.get(tier, [])
        ticked = [f for f in ticked if f != name] if name in ticked else [*ticked, name]
        self.package_features = {**self.package_features, tier: ticked}
        return self._changed(f"packages.{tier}.features")

    # --- rows: extras, FAQ, requirements ----------------------------------------------------

    @rx.event
    def add_row(self, list_name: str, kind: str = ""):
        self._require_user()
        if list_name not in ROW_TEMPLATES:
            return None
        rows = getattr(self, list_name)
        if len(rows) >= gig_rules.LIST_CAP:
            return None
        row = dict(ROW_TEMPLATES[list_name])
        if list_name == "extras" and kind in EXTRA_KINDS:
            row["kind"] = kind
            row["title"] = gig_rules.DEFAULT_EXTRA_TITLES.get(kind, "")
        setattr(self, list_name, [*rows, row])
        return self._changed("")

    @rx.event
    def remove_row(self, list_name: str, index: int):
        self._require_user()
        index = index_arg(index)
        if list_name not in ROW_TEMPLATES or not 0 <= index < len(getattr(self, list_name)):
            return None
        rows = getattr(self, list_name)
        setattr(self, list_name, rows[:index] + rows[index + 1 :])
        self.touched = [p for p in self.touched if not p.startswith(f"{list_name}.")]
        return self._changed("")

    @rx.event
    def set_row_field(self, list_name: str, index: int, key: str, value: str):
        self._require_user()
        index = index_arg(index)
        template = ROW_TEMPLATES.get(list_name if isinstance(list_name, str) else "")
        if template is None or key not in template:
            return None
        rows = getattr(self, list_name)
        if not 0 <= index < len(rows):
            return None
        clipped = False
        if isinstance(value, bool):
            value = "yes" if value else "no"
        else:
            value, clipped = kept_text(value)
        row = {**rows[index], key: value}
        setattr(self, list_name, rows[:index] + [row] + rows[index + 1 :])
        return self._changed_text(f"{list_name}.{index}.{key}", clipped)

    # --- gallery ----------------------------------------------------------------------------

    def _ensure_gig(self, user) -> bool:
        """The gallery needs a gig row: a brand-new gig gets one now."""
        if self.editing_id:
            return True
        self._autosave(user)
        return bool(self.editing_id)

    @rx.event
    async def upload_images(self, files: list[rx.UploadFile]):
        user, refuse = self._upload_guard()
        if refuse:
            return refuse
        settings = get_settings()
        self.gallery_error = ""
        if not isinstance(files, list) or not files:
            return None
        room = gig_rules.GALLERY_MAX - len(self.gallery)
        if len(files) > room:
            self.gallery_error = f"A gig shows at most {gig_rules.GALLERY_MAX} images."
            return None
        script = None if self.editing_id else True
        if not self._ensure_gig(user):
            self.gallery_error = self.save_message or "The gig could not be saved."
            return None
        for upload in files:
            if refused := media.oversized_message(upload.size, settings.max_upload_bytes):
                self.gallery_error = refused
                return None
            data = await upload.read(settings.max_upload_bytes + 1)
            try:
                images = await asyncio.to_thread(
                    gig_media.add_uploaded_image,
                    actor=user,
                    gig_id=self.editing_id,
                    data=data,
                    upload_dir=settings.upload_dir,
                    max_bytes=settings.max_upload_bytes,
                )
            except DomainError as exc:
                self.gallery_error = str(exc)
                return None
            self._show_gallery(images)
        self._revalidate()
        if script:
            path = json.dumps(f"/gigs/{self.editing_id}/edit")
            return rx.call_script(f"window.history.replaceState(null, '', {path})")
        return None

    @rx.event
    def remove_image(self, media_id: int):
        user = self._require_user()
        self.gallery_error = ""
        try:
            images = gig_media.remove_image(
                actor=user, gig_id=self.editing_id, media_id=index_arg(media_id)
            )
        except DomainError as exc:
            self.gallery_error = str(exc)
            return
        self._show_gallery(images)
        self._revalidate()

    @rx.event
    def make_cover(self, media_id: int):
        user = self._require_user()
        self.gallery_error = ""
        try:
            with session_scope() as session:
                images = gigs.move_gallery_image_to_cover(
                    session, actor=user, gig_id=self.editing_id, media_id=index_arg(media_id)
                )
        except DomainError as exc:
            self.gallery_error = str(exc)
            return
        self._show_gallery(images)

    # --- publishing -------------------------------------------------------------------------

    @rx.event
    def publish(self):
        """The outcome is shown on the Publish step itself (a problem beside the button, the
        new status in its place), never only in a toast that hides what it points to."""
        user = self._require_user()
        self.visited_steps = list(STEP_KEYS)
        self.publish_error = ""
        self._revalidate()
        if self.errors:
            self.publish_error = "Fix the marked fields before publishing."
            return None
        if self.save_status == "conflict":
            self.publish_error = self.save_message
            return None
        if not self.editing_id:
            self._autosave(user)
        settings = get_settings()
        self.publishing = True
        try:
            with session_scope() as session:
                result = gigs.publish_gig(
                    session,
                    actor=user,
                    gig_id=self.editing_id,
                    expected_version=self.version,
                    settings_auto_approve=settings.gig_auto_approve,
                    active_gig_limits=settings.active_gig_limits,
                )
        except gigs.DraftInvalid as exc:
            self.errors = exc.errors
            self.publish_error = str(exc)
            return None
        except gigs.VersionConflict as exc:
            self.save_status, self.save_message = "conflict", str(exc)
            self.publish_error = str(exc)
            return None
        except DomainError as exc:
            self.publish_error = str(exc)
            return None
        finally:
            self.publishing = False
        self.version, self.gig_status = result.version, result.status
        self.public_path = f"/gig/{result.slug}"
        # The status badge and the Publish step now say what happened; the save indicator only
        # that nothing is lost.
        self.save_status, self.save_message = "idle", ""
        return None

    # --- what the page shows ----------------------------------------------------------------

    @rx.var
    def visible_errors(self) -> dict[str, str]:
        touched = set(self.touched)
        visited = set(self.visited_steps)
        shown = {}
        for path, message in self.errors.items():
            parts = path.split(".")
            if (
                gig_rules.step_of(path) in visited
                or path in touched
                or ".".join(parts[:2]) in touched
                or parts[0] in touched
                or any(t.startswith(path + ".") for t in touched)
            ):
                shown[path] = message
        return shown

    @rx.var
    def steps(self) -> list[StepView]:
        return [
            StepView(
                key=step.key,
                label=step.label,
                number=number,
                issues=len(gig_rules.errors_for_step(self.errors, step.key))
                if step.key != "publish"
                else 0,
            )
            for number, step in enumerate(gig_rules.STEPS, start=1)
        ]

    @rx.var
    def category_options(self) -> list[OptionView]:
        return [OptionView(group.id, group.name) for group in self.categories]

    @rx.var
    def subcategory_options(self) -> list[OptionView]:
        for group in self.categories:
            if group.id == self.top_category:
                return group.subcategories
        return []

    @rx.var
    def category_label(self) -> str:
        for group in self.categories:
            for sub in group.subcategories:
                if sub.value == self.category_id:
                    return f"{group.name} › {sub.label}"
        return "Choose a category"

    @rx.var
    def feature_rows(self) -> list[FeatureRow]:
        ticked = {tier: set(self.package_features.get(tier, [])) for tier in TIERS}
        return [
            FeatureRow(
                index=i,
                name=name,
                basic=name in ticked["basic"],
                standard=name in ticked["standard"],
                premium=name in ticked["premium"],
            )
            for i, name in enumerate(self.features)
        ]

    @rx.var
    def preview_packages(self) -> list[PreviewPackage]:
        shown = ("basic",) if self.single_package else TIERS
        result = []
        for tier in shown:
            package = self.packages.get(tier, {})
            days = gig_rules.parse_delivery_days(package.get("delivery_days", ""))
            revisions = gig_rules.parse_revisions(package.get("revisions", ""))
            ticked = set(self.package_features.get(tier, []))
            result.append(
                PreviewPackage(
                    tier=tier,
                    label=gig_rules.TIER_LABELS[tier],
                    name=package.get("name", "") or gig_rules.TIER_LABELS[tier],
                    description=package.get("description", ""),
                    price=_price_text(package.get("price", "")),
                    delivery=f"{days}-day delivery" if days else "Delivery time",
                    revisions=(
                        revisions_count(revisions) if revisions is not None else "Revisions"
                    ),
                    features=[FeatureTick(f, f in ticked) for f in self.features],
                )
            )
        return result

    @rx.var
    def preview_package(self) -> PreviewPackage:
        packages = self.preview_packages
        return next((p for p in packages if p.tier == self.preview_tier), packages[0])

    @rx.var
    def extra_rows(self) -> list[dict[str, str]]:
        return self._rows("extras")

    @rx.var
    def faq_rows(self) -> list[dict[str, str]]:
        return self._rows("faqs")

    @rx.var
    def requirement_rows(self) -> list[dict[str, str]]:
        return self._rows("requirements")

    def _rows(self, list_name: str) -> list[dict[str, str]]:
        return rows_with_errors(
            getattr(self, list_name), list_name, ROW_TEMPLATES[list_name], self.visible_errors
        )

    @rx.var
    def description_count(self) -> str:
        return length_count(len(self.description.strip()), gig_rules.DESCRIPTION_MAX)

    @rx.var
    def description_too_long(self) -> bool:
        return len(self.description.strip()) > gig_rules.DESCRIPTION_MAX

    @rx.var
    def title_count(self) -> str:
        return length_count(len(gig_rules.clean_title(self.title)), gig_rules.TITLE_MAX)

    @rx.var
    def title_too_long(self) -> bool:
        return len(gig_rules.clean_title(self.title)) > gig_rules.TITLE_MAX

    @rx.var
    def cover_url(self) -> str:
        return next((item.url for item in self.gallery if item.is_cover), "")

    @rx.var
    def error_list(self) -> list[OptionView]:
        """Every remaining problem, as (step key, "where: message"), for the Publish step."""
        return [
            OptionView(gig_rules.step_of(path), f"{_field_label(path)}: {message}")
            for path, message in self.errors.items()
        ]

    @rx.var
    def is_published(self) -> bool:
        return self.gig_status not in ("draft", "rejected")

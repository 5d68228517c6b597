"""`/gigs/new` and `/gigs/<id>/edit`: the gig editor in steps, beside a live preview."""

import reflex as rx

from marketplace.components.forms import (
    chip_input,
    field_message,
    live_field,
    select_field,
    select_items,
)
from marketplace.components.forms import row_input as form_row_input
from marketplace.components.layout import content_column
from marketplace.labels import GIG_STATUS_LABELS, UNLIMITED_LABEL
from marketplace.pages.routing import page
from marketplace.services.gigs import rules as gig_rules
from marketplace.state.account_links import VerificationBannerState
from marketplace.state.gig_editor import (
    FeatureRow,
    FeatureTick,
    GigEditorState,
    OptionView,
    PreviewPackage,
    StepView,
)

E = GigEditorState
TIERS = gig_rules.TIERS
REVISION_OPTIONS = [(str(n), str(n)) for n in range(0, 11)] + [
    (gig_rules.UNLIMITED, UNLIMITED_LABEL)
]
EXTRA_KIND_LABELS = [
    ("fast_delivery", "Extra-fast delivery"),
    ("additional_revision", "Additional revision"),
    ("custom", "Custom extra"),
]
REQUIREMENT_KINDS = [("text", "Free text"), ("choice", "Multiple choice"), ("file", "File upload")]
STATUS_COLORS = {
    "draft": "gray",
    "pending_review": "amber",
    "active": "grass",
    "paused": "orange",
    "rejected": "red",
    "suspended": "red",
}


def error_of(path: str) -> rx.Var[str]:
    return E.visible_errors.get(path, "")


def test_id(path: str) -> str:
    return path.replace(".", "-") + "-error"


# --- header, stepper, save status ---------------------------------------------------------------


def save_indicator() -> rx.Component:
    return rx.match(
        E.save_status,
        (
            "saved",
            rx.hstack(
                rx.icon("cloud-check", size=16, color="var(--grass-10)"),
                rx.text(E.save_message, size="2", color_scheme="gray", data_testid="save-status"),
                spacing="2",
                align="center",
            ),
        ),
        (
            "error",
            rx.text(E.save_message, size="2", color_scheme="red", data_testid="save-status"),
        ),
        ("conflict", rx.fragment()),  # the banner below says it; nothing else claims "saved"
        rx.text(
            rx.cond(E.editing_id > 0, "All changes saved", "Changes save automatically"),
            size="2",
            color_scheme="gray",
            data_testid="save-status",
        ),
    )


def conflict_banner() -> rx.Component:
    return rx.cond(
        E.save_status == "conflict",
        rx.callout.root(
            rx.callout.icon(rx.icon("triangle-alert")),
            rx.callout.text(E.save_message, data_testid="conflict-message"),
            rx.button("Load the latest version", size="2", on_click=E.reload_latest),
            color_scheme="red",
            width="100%",
        ),
    )


def status_badge() -> rx.Component:
    return rx.match(
        E.gig_status,
        *[
            (status, rx.badge(label, color_scheme=STATUS_COLORS.get(status, "gray"), size="2"))
            for status, label in GIG_STATUS_LABELS.items()
            if status in STATUS_COLORS
        ],
        rx.badge(E.gig_status, size="2"),
    )


def step_button(step: StepView) -> rx.Component:
    active = E.step == step.key
    return rx.button(
        rx.center(
            rx.cond(
                (step.issues == 0) & E.visited_steps.contains(step.key),
                rx.icon("check", size=12, role="img", aria_label="finished"),
                rx.text(step.number, size="1"),
            ),
            width="22px",
            height="22px",
            border_radius="50%",
            background=rx.cond(active, "var(--accent-9)", "var(--gray-a4)"),
            color=rx.cond(active, "white", "var(--gray-12)"),
        ),
        rx.text(step.label, size="2", weight=rx.cond(active, "bold", "regular")),
        variant="ghost",
        color_scheme=rx.cond(active, "grass", "gray"),
        on_click=E.go_to_step(step.key),
        white_space="nowrap",
        data_testid=f"step-{step.key}",
    )


def stepper() -> rx.Component:
    """All six steps stay in view: on a phone they wrap onto a second line."""
    return rx.flex(
        rx.foreach(E.steps, step_button),
        wrap="wrap",
        column_gap=rx.breakpoints(initial="16px", md="24px"),
        row_gap="12px",
        width="100%",
        padding_y="8px",
        border_bottom="1px solid var(--gray-a5)",
    )


# --- step 1: overview ---------------------------------------------------------------------------


def option_item(option: OptionView) -> rx.Component:
    return rx.select.item(option.label, value=option.value)


def length_counter(text: rx.Var[str], too_long: rx.Var[bool], test_id: str) -> rx.Component:
    """ "95 / 80 — shorten by 15 characters", red once the text is over its limit."""
    return rx.text(
        text,
        size="1",
        color_scheme=rx.cond(too_long, "red", "gray"),
        weight=rx.cond(too_long, "medium", "regular"),
        align="right",
        width="100%",
        data_testid=test_id,
    )


def step_overview() -> rx.Component:
    return rx.vstack(
        live_field(
            "Gig title",
            "title",
            value=E.title,
            on_change=lambda v: E.set_field("title", v),
            error=error_of("title"),
            hint="Start with “I will”, e.g. “I will design a minimalist logo for your brand”.",
            placeholder="I will …",
        ),
        length_counter(E.title_count, E.title_too_long, "title-count"),
        rx.grid(
            select_field(
                "Category",
                "top-category",
                rx.foreach(E.category_options, option_item),
                value=E.top_category,
                on_change=lambda v: E.set_field("top_category", v),
                error="",
                placeholder="Choose a category",
            ),
            select_field(
                "Subcategory",
                "category_id",
                rx.foreach(E.subcategory_options, option_item),
                value=E.category_id,
                on_change=lambda v: E.set_field("category_id", v),
                error=error_of("category_id"),
                placeholder="Choose a subcategory",
            ),
            columns=rx.breakpoints(initial="1", sm="2"),
            spacing="4",
            width="100%",
        ),
        rx.vstack(
            rx.text("Search tags", size="2", weight="medium"),
            rx.text(
                f"Up to {gig_rules.TAGS_MAX} tags of 1–{gig_rules.TAG_WORDS_MAX} words buyers "
                "would search for. Press Enter to add each.",
                size="1",
                color_scheme="gray",
            ),
            chip_input(
                E.tags,
                on_remove=E.remove_tag,
                draft_value=E.tag_draft,
                on_draft=E.set_tag_draft,
                on_key=E.tag_key,
                on_add=E.add_tag,
                placeholder="e.g. logo design",
                label="New tag",
                error=E.tag_add_error,
                error_id="new-tag-error",
            ),
            field_message(error_of("tags"), "", "tags-error"),
            spacing="1",
            width="100%",
        ),
        spacing="4",
        width="100%",
    )


# --- step 2: pricing ----------------------------------------------------------------------------


def package_input(tier: str, key: str, label: str, **props) -> rx.Component:
    path = f"packages.{tier}.{key}"
    tier_label = gig_rules.TIER_LABELS[tier]
    return rx.vstack(
        rx.text(label, size="1", weight="medium", color_scheme="gray"),
        rx.input(
            value=E.packages[tier][key],
            on_change=lambda v: E.set_package_field(tier, key, v),
            aria_label=f"{tier_label} {label.lower()}",
            size="2",
            width="100%",
            debounce_timeout=250,
            **props,
        ),
        field_message(error_of(path), "", test_id(path)),
        spacing="1",
        width="100%",
    )


def package_column(tier: str) -> rx.Component:
    tier_label = gig_rules.TIER_LABELS[tier]
    path = f"packages.{tier}"
    column = rx.card(
        rx.vstack(
            rx.heading(tier_label, size="3"),
            package_input(tier, "name", "Name", placeholder="e.g. Starter"),
            rx.vstack(
                rx.text("Description", size="1", weight="medium", color_scheme="gray"),
                rx.text_area(
                    value=E.packages[tier]["description"],
                    on_change=lambda v: E.set_package_field(tier, "description", v),
                    aria_label=f"{tier_label} description",
                    rows="3",
                    size="2",
                    width="100%",
                    debounce_timeout=250,
                ),
                field_message(error_of(f"{path}.description"), "", test_id(f"{path}.description")),
                spacing="1",
                width="100%",
            ),
            package_input(
                tier,
                "price",
                "Price",
                placeholder="5 – 10,000",
                input_mode="decimal",
            ),
            package_input(
                tier,
                "delivery_days",
                "Delivery (days)",
                placeholder="1 – 90",
                input_mode="numeric",
            ),
            rx.vstack(
                rx.text("Revisions", size="1", weight="medium", color_scheme="gray"),
                rx.select.root(
                    rx.select.trigger(
                        placeholder="Choose", width="100%", aria_label=f"{tier_label} revisions"
                    ),
                    rx.select.content(*select_items(REVISION_OPTIONS)),
                    value=E.packages[tier]["revisions"],
                    on_change=lambda v: E.set_package_field(tier, "revisions", v),
                    size="2",
                ),
                field_message(error_of(f"{path}.revisions"), "", test_id(f"{path}.revisions")),
                spacing="1",
                width="100%",
            ),
            spacing="3",
            width="100%",
        ),
        width="100%",
        data_testid=f"package-{tier}",
    )
    if tier == "basic":
        return column
    return rx.cond(E.single_package, rx.fragment(), column)


def feature_cell(row: FeatureRow, tier: str, ticked) -> rx.Component:
    return rx.checkbox(
        checked=ticked,
        on_change=lambda _v: E.toggle_feature(tier, row.index),
        aria_label=f"{gig_rules.TIER_LABELS[tier]} includes {row.name}",
        display=rx.cond(E.single_package & (tier != "basic"), "none", "flex"),
    )


def feature_table() -> rx.Component:
    def row(item: FeatureRow) -> rx.Component:
        return rx.table.row(
            rx.table.cell(rx.text(item.name, size="2")),
            rx.table.cell(feature_cell(item, "basic", item.basic)),
            rx.table.cell(feature_cell(item, "standard", item.standard)),
            rx.table.cell(feature_cell(item, "premium", item.premium)),
            rx.table.cell(
                rx.icon_button(
                    rx.icon("trash-2", size=14),
                    variant="ghost",
                    color_scheme="gray",
                    on_click=E.remove_feature(item.index),
                    aria_label="Remove feature",
                )
            ),
        )

    return rx.vstack(
        rx.text("What each package includes", size="2", weight="medium"),
        rx.cond(
            E.features.length() > 0,
            rx.table.root(
                rx.table.header(
                    rx.table.row(
                        rx.table.column_header_cell("Feature"),
                        *[
                            rx.table.column_header_cell(
                                gig_rules.TIER_LABELS[t],
                                display=rx.cond(
                                    E.single_package & (t != "basic"), "none", "table-cell"
                                ),
                            )
                            for t in TIERS
                        ],
                        rx.table.column_header_cell(""),
                    )
                ),
                rx.table.body(rx.foreach(E.feature_rows, row)),
                size="1",
                width="100%",
            ),
        ),
        chip_input(
            [],
            on_remove=E.remove_feature,
            draft_value=E.feature_draft,
            on_draft=E.set_feature_draft,
            on_key=E.feature_key,
            on_add=E.add_feature,
            placeholder="e.g. Source file",
            label="New feature",
            error=E.feature_add_error,
            error_id="new-feature-error",
        ),
        field_message(error_of("features"), "", "features-error"),
        spacing="2",
        width="100%",
    )


def row_input(list_name: str, index, key: str, row, label, **props) -> rx.Component:
    return form_row_input(
        row[key],
        lambda v: E.set_row_field(list_name, index, key, v),
        row[f"{key}_error"],
        label,
        **props,
    )


def row_textarea(list_name: str, index, key: str, row, label: str, **props) -> rx.Component:
    return row_input(list_name, index, key, row, label, multiline=True, **props)


def remove_row_button(list_name: str, index, label: str) -> rx.Component:
    return rx.icon_button(
        rx.icon("trash-2", size=14),
        variant="ghost",
        color_scheme="gray",
        on_click=E.remove_row(list_name, index),
        aria_label=label,
    )


def extras_section() -> rx.Component:
    def row(item, i):
        return rx.card(
            rx.vstack(
                rx.hstack(
                    rx.badge(
                        rx.match(
                            item["kind"],
                            ("fast_delivery", "Extra-fast delivery"),
                            ("additional_revision", "Additional revision"),
                            "Custom extra",
                        ),
                        variant="soft",
                    ),
                    rx.spacer(),
                    remove_row_button("extras", i, "Remove extra"),
                    width="100%",
                    align="center",
                ),
                rx.grid(
                    row_input("extras", i, "title", item, "Extra title"),
                    row_input("extras", i, "price", item, "Price ($)", input_mode="decimal"),
                    row_input(
                        "extras",
                        i,
                        "extra_days",
                        item,
                        rx.cond(item["kind"] == "fast_delivery", "Days faster", "Extra days"),
                        input_mode="numeric",
                    ),
                    columns=rx.breakpoints(initial="1", sm="2fr 1fr 1fr"),
                    spacing="3",
                    width="100%",
                ),
                row_input("extras", i, "description", item, "What the buyer gets"),
                spacing="2",
                width="100%",
            ),
            variant="surface",
            width="100%",
        )

    return rx.vstack(
        rx.text("Extras (add-ons)", size="2", weight="medium"),
        rx.text(
            "Buyers can add these to any package, e.g. faster delivery or an extra revision.",
            size="1",
            color_scheme="gray",
        ),
        rx.foreach(E.extra_rows, row),
        field_message(error_of("extras"), "", "extras-error"),
        rx.flex(
            *[
                rx.button(
                    rx.icon("plus", size=14),
                    label,
                    variant="soft",
                    size="2",
                    on_click=E.add_row("extras", kind),
                )
                for kind, label in EXTRA_KIND_LABELS
            ],
            gap="8px",
            wrap="wrap",
        ),
        spacing="2",
        width="100%",
    )


def step_pricing() -> rx.Component:
    return rx.vstack(
        rx.hstack(
            rx.switch(
                checked=E.single_package,
                on_change=E.set_single_package,
                id="single-package",
            ),
            rx.el.label(
                rx.text("Offer a single package only", size="2"), html_for="single-package"
            ),
            spacing="2",
            align="center",
        ),
        rx.grid(
            *[package_column(tier) for tier in TIERS],
            columns=rx.breakpoints(initial="1", md="3"),
            spacing="3",
            width="100%",
        ),
        rx.text(
            "Standard must cost at least as much as Basic, and Premium at least as much as "
            "Standard. Prices are in US dollars, $5 to $10,000.",
            size="1",
            color_scheme="gray",
        ),
        rx.separator(size="4"),
        feature_table(),
        rx.separator(size="4"),
        extras_section(),
        spacing="4",
        width="100%",
    )


# --- step 3: description & FAQ ------------------------------------------------------------------


def faq_label(word: str, index) -> rx.Var:
    """ "Question 2" / "Answer 2": each FAQ field has a visible label naming its row."""
    return word + " " + (index + 1).to_string()


def step_description() -> rx.Component:
    def faq(item, i):
        return rx.card(
            rx.hstack(
                rx.vstack(
                    row_input(
                        "faqs",
                        i,
                        "question",
                        item,
                        "Question",
                        shown_label=faq_label("Question", i),
                    ),
                    row_textarea(
                        "faqs", i, "answer", item, "Answer", shown_label=faq_label("Answer", i)
                    ),
                    spacing="2",
                    width="100%",
                ),
                remove_row_button("faqs", i, "Remove question"),
                align="start",
                width="100%",
            ),
            variant="surface",
            width="100%",
        )

    return rx.vstack(
        live_field(
            "Description",
            "description",
            value=E.description,
            on_change=lambda v: E.set_field("description", v),
            error=error_of("description"),
            multiline=True,
            placeholder="What you offer, how you work, what you need from the buyer…",
            rows="10",
        ),
        length_counter(E.description_count, E.description_too_long, "description-count"),
        rx.text("Frequently asked questions", size="2", weight="medium"),
        rx.foreach(E.faq_rows, faq),
        field_message(error_of("faqs"), "", "faqs-error"),
        rx.button(
            rx.icon("plus", size=14),
            "Add a question",
            variant="soft",
            size="2",
            on_click=E.add_row("faqs", ""),
        ),
        spacing="3",
        width="100%",
    )


# --- step 4: requirements -----------------------------------------------------------------------


def step_requirements() -> rx.Component:
    def requirement(item, i):
        return rx.card(
            rx.vstack(
                rx.hstack(
                    row_input(
                        "requirements",
                        i,
                        "question",
                        item,
                        "Question for the buyer",
                    ),
                    remove_row_button("requirements", i, "Remove requirement"),
                    width="100%",
                    align="start",
                ),
                rx.hstack(
                    rx.select.root(
                        rx.select.trigger(aria_label="Answer type"),
                        rx.select.content(*select_items(REQUIREMENT_KINDS)),
                        value=item["kind"],
                        on_change=lambda v: E.set_row_field("requirements", i, "kind", v),
                        size="2",
                    ),
                    rx.hstack(
                        rx.switch(
                            checked=item["required"] == "yes",
                            on_change=lambda v: E.set_row_field("requirements", i, "required", v),
                            aria_label="Answer required",
                        ),
                        rx.text("Required", size="2"),
                        spacing="2",
                        align="center",
                    ),
                    spacing="4",
                    align="center",
                    wrap="wrap",
                ),
                rx.cond(
                    item["kind"] == "choice",
                    row_textarea("requirements", i, "choices", item, "Options, one per line"),
                ),
                spacing="2",
                width="100%",
            ),
            variant="surface",
            width="100%",
        )

    return rx.vstack(
        rx.text(
            "What do you need from the buyer to start? They answer when the order begins.",
            size="2",
            color_scheme="gray",
        ),
        rx.foreach(E.requirement_rows, requirement),
        field_message(error_of("requirements"), "", "requirements-error"),
        rx.button(
            rx.icon("plus", size=14),
            "Add a question",
            variant="soft",
            size="2",
            on_click=E.add_row("requirements", ""),
        ),
        spacing="3",
        width="100%",
    )


# --- step 5: gallery ----------------------------------------------------------------------------


def step_gallery() -> rx.Component:
    def thumb(item):
        return rx.card(
            rx.vstack(
                rx.image(
                    src=item.url,
                    width="100%",
                    height="140px",
                    object_fit="cover",
                    border_radius="8px",
                    alt="Gallery image",
                ),
                rx.hstack(
                    rx.cond(
                        item.is_cover,
                        rx.badge("Cover", color_scheme="grass"),
                        rx.button(
                            "Make cover",
                            size="1",
                            variant="soft",
                            on_click=E.make_cover(item.id),
                        ),
                    ),
                    rx.spacer(),
                    rx.icon_button(
                        rx.icon("trash-2", size=14),
                        size="1",
                        variant="ghost",
                        color_scheme="gray",
                        on_click=E.remove_image(item.id),
                        aria_label="Remove image",
                    ),
                    width="100%",
                    align="center",
                ),
                spacing="2",
            ),
            width="100%",
            data_testid="gallery-image",
        )

    return rx.vstack(
        rx.text(
            "Up to 3 images (PNG, JPEG or WebP, up to 5 MB each). The first is the cover buyers "
            "see in search.",
            size="2",
            color_scheme="gray",
        ),
        rx.grid(
            rx.foreach(E.gallery, thumb),
            columns=rx.breakpoints(initial="1", sm="3"),
            spacing="3",
            width="100%",
        ),
        rx.cond(
            E.gallery.length() < gig_rules.GALLERY_MAX,
            rx.upload(
                rx.vstack(
                    rx.icon("image-plus", size=28, color="var(--gray-10)"),
                    rx.text("Drop images here or", size="2"),
                    rx.button("Choose images", size="2", variant="soft"),
                    align="center",
                    spacing="2",
                ),
                id="gallery",
                accept={
                    "image/png": [".png"],
                    "image/jpeg": [".jpg", ".jpeg"],
                    "image/webp": [".webp"],
                },
                max_files=gig_rules.GALLERY_MAX,
                multiple=True,
                on_drop=E.upload_images(rx.upload_files(upload_id="gallery")),
                border="2px dashed var(--gray-a6)",
                border_radius="12px",
                padding="24px",
                width="100%",
            ),
        ),
        field_message(E.gallery_error, "", "gallery-upload-error"),
        field_message(error_of("gallery"), "", "gallery-error"),
        spacing="3",
        width="100%",
    )


# --- step 6: publish ----------------------------------------------------------------------------


def email_blocker() -> rx.Component:
    """An unconfirmed address stops publishing: say so here, with the way to fix it."""
    return rx.callout.root(
        rx.callout.icon(rx.icon("mail-warning")),
        rx.vstack(
            rx.callout.text(
                "Confirm your email address to publish. We sent a link to ",
                rx.text.strong(E.viewer_email),
                "; open it and come back here (the page it opens links back to this gig). "
                "Your gig is saved meanwhile.",
            ),
            rx.cond(
                VerificationBannerState.banner_message != "",
                rx.text(VerificationBannerState.banner_message, size="2", weight="medium"),
                rx.button(
                    "Send the link again",
                    size="2",
                    variant="surface",
                    color_scheme="amber",
                    loading=VerificationBannerState.sending,
                    on_click=VerificationBannerState.resend,
                ),
            ),
            spacing="2",
            align="start",
        ),
        color_scheme="amber",
        width="100%",
        data_testid="publish-email-blocker",
    )


def publish_error() -> rx.Component:
    return rx.cond(
        E.publish_error != "",
        rx.callout(
            E.publish_error,
            icon="circle-alert",
            color_scheme="red",
            width="100%",
            role="alert",
            data_testid="publish-error",
        ),
    )


def step_publish() -> rx.Component:
    def problem(item):
        return rx.hstack(
            rx.icon("circle-alert", size=16, color="var(--red-9)", flex_shrink="0"),
            rx.text(item.label, size="2"),
            rx.spacer(),
            rx.button("Fix", size="1", variant="soft", on_click=E.go_to_step(item.value)),
            width="100%",
            align="center",
        )

    publish_button = rx.button(
        rx.icon("send", size=16),
        rx.cond(E.gig_status == "rejected", "Resubmit for review", "Publish gig"),
        size="3",
        loading=E.publishing,
        on_click=E.publish,
        disabled=(E.errors.length() > 0) | ~E.viewer_email_verified,
    )
    # Only a gig that can still be submitted is checked here; once submitted, the status says it.
    submittable = (E.gig_status == "draft") | (E.gig_status == "rejected")
    return rx.vstack(
        rx.cond(
            E.errors.length() > 0,
            rx.vstack(
                rx.text("Before you publish, fix these:", size="2", weight="bold"),
                rx.foreach(E.error_list, problem),
                spacing="2",
                width="100%",
                data_testid="publish-problems",
            ),
        ),
        rx.cond(submittable & ~E.viewer_email_verified, email_blocker()),
        rx.cond(
            submittable & (E.errors.length() == 0) & E.viewer_email_verified,
            rx.callout(
                "Everything is in place. Publishing sends your gig to our moderators; it goes "
                "live once approved.",
                icon="circle-check",
                color_scheme="grass",
                width="100%",
                data_testid="publish-ready",
            ),
        ),
        rx.cond(
            # rejected and suspended gigs show the note at the top (moderation_banner)
            (E.status_reason != "") & (E.gig_status != "rejected") & (E.gig_status != "suspended"),
            rx.callout(
                rx.text("Moderator's note: ", E.status_reason),
                icon="message-square-warning",
                color_scheme="amber",
                width="100%",
            ),
        ),
        publish_error(),
        rx.match(
            E.gig_status,
            ("draft", publish_button),
            ("rejected", publish_button),
            (
                "pending_review",
                rx.callout(
                    "Submitted for review: our moderators review new gigs, usually within a "
                    "day, and buyers can find it once it is approved. Edits you save now are "
                    "part of what moderators see.",
                    icon="hourglass",
                    width="100%",
                    data_testid="pending-review",
                ),
            ),
            rx.callout(
                "This gig is published: valid changes go live as soon as they are saved.",
                icon="radio",
                width="100%",
            ),
        ),
        rx.hstack(
            rx.cond(
                E.public_path != "",
                rx.link(
                    rx.button("View gig page", variant="outline", size="2"),
                    href=E.public_path,
                    underline="none",
                ),
            ),
            rx.link(
                rx.button("My gigs", variant="outline", size="2"),
                href="/my/gigs",
                underline="none",
            ),
            spacing="3",
        ),
        spacing="4",
        width="100%",
        align="start",
    )


# --- the live preview ---------------------------------------------------------------------------


def preview_feature(tick: FeatureTick) -> rx.Component:
    return rx.hstack(
        rx.icon(
            rx.cond(tick.included, "check", "x"),
            size=14,
            color=rx.cond(tick.included, "var(--grass-10)", "var(--gray-8)"),
        ),
        rx.text(
            tick.name, size="2", color=rx.cond(tick.included, "var(--gray-12)", "var(--gray-9)")
        ),
        spacing="2",
        align="center",
    )


def preview_tab(package: PreviewPackage) -> rx.Component:
    active = E.preview_package.tier == package.tier
    return rx.box(
        rx.text(package.label, size="2", weight=rx.cond(active, "bold", "regular")),
        on_click=E.show_preview_tier(package.tier),
        cursor="pointer",
        padding="8px 4px",
        flex="1",
        text_align="center",
        border_bottom=rx.cond(active, "2px solid var(--accent-9)", "2px solid transparent"),
    )


def preview() -> rx.Component:
    package = E.preview_package
    return rx.card(
        rx.vstack(
            rx.text("Live preview", size="1", weight="bold", color_scheme="gray"),
            rx.cond(
                E.cover_url != "",
                rx.image(
                    src=E.cover_url,
                    width="100%",
                    height="180px",
                    object_fit="cover",
                    border_radius="8px",
                ),
                rx.center(
                    rx.icon("image", size=32, color="white"),
                    height="180px",
                    width="100%",
                    border_radius="8px",
                    background="linear-gradient(135deg, var(--grass-9), var(--teal-10))",
                ),
            ),
            rx.heading(
                rx.cond(E.title.strip() != "", E.title, "I will …"),
                size="4",
                overflow_wrap="anywhere",
                data_testid="preview-title",
            ),
            rx.hstack(
                rx.avatar(
                    src=E.viewer_avatar_url, fallback=E.viewer_initials, size="2", radius="full"
                ),
                rx.text(E.viewer_name, size="2", weight="bold"),
                rx.text(E.category_label, size="1", color_scheme="gray"),
                spacing="2",
                align="center",
                wrap="wrap",
            ),
            rx.hstack(rx.foreach(E.preview_packages, preview_tab), width="100%", spacing="0"),
            rx.hstack(
                rx.text(package.name, weight="bold", size="3"),
                rx.spacer(),
                rx.text(package.price, weight="bold", size="5", data_testid="preview-price"),
                width="100%",
                align="baseline",
            ),
            rx.text(package.description, size="2", color_scheme="gray"),
            rx.hstack(
                rx.hstack(rx.icon("clock", size=14), rx.text(package.delivery, size="2")),
                rx.hstack(rx.icon("refresh-cw", size=14), rx.text(package.revisions, size="2")),
                spacing="4",
                wrap="wrap",
            ),
            rx.foreach(package.features, preview_feature),
            rx.separator(size="4"),
            rx.text("About this gig", size="2", weight="bold"),
            rx.text(
                rx.cond(E.description != "", E.description, "Your description shows here."),
                size="2",
                white_space="pre-wrap",
                overflow_wrap="anywhere",
                max_height="240px",
                overflow="hidden",
            ),
            spacing="3",
            width="100%",
        ),
        size="2",
        width="100%",
        data_testid="gig-preview",
    )


# --- the page -----------------------------------------------------------------------------------


def step_body() -> rx.Component:
    return rx.match(
        E.step,
        ("overview", step_overview()),
        ("pricing", step_pricing()),
        ("description", step_description()),
        ("requirements", step_requirements()),
        ("gallery", step_gallery()),
        ("publish", step_publish()),
        step_overview(),
    )


def step_nav() -> rx.Component:
    return rx.vstack(
        rx.cond(
            E.step_notice != "",
            rx.callout(
                E.step_notice,
                icon="circle-alert",
                color_scheme="red",
                size="1",
                width="100%",
                data_testid="step-notice",
            ),
        ),
        step_buttons(),
        spacing="3",
        width="100%",
    )


def step_buttons() -> rx.Component:
    return rx.hstack(
        rx.cond(
            E.step != "overview",
            rx.button("Back", variant="outline", size="3", on_click=E.previous_step),
        ),
        rx.spacer(),
        rx.cond(
            E.step != "publish",
            rx.button("Save & continue", size="3", on_click=E.next_step),
        ),
        width="100%",
    )


def moderation_banner() -> rx.Component:
    """A rejected or suspended gig says why at the top, on every step (not only at Publish)."""
    return rx.cond(
        ((E.gig_status == "rejected") | (E.gig_status == "suspended")) & (E.status_reason != ""),
        rx.callout(
            rx.text(
                rx.cond(
                    E.gig_status == "rejected",
                    "Not approved by our moderators: ",
                    "Suspended by our moderators: ",
                ),
                rx.text.strong(E.status_reason),
                rx.cond(
                    E.gig_status == "rejected",
                    " Fix it, then resubmit it from the Publish step.",
                    "",
                ),
            ),
            icon="message-square-warning",
            color_scheme="amber",
            width="100%",
            data_testid="moderation-banner",
        ),
    )


def editor() -> rx.Component:
    return rx.vstack(
        rx.hstack(
            rx.heading(rx.cond(E.editing_id > 0, "Edit gig", "Create a new gig"), size="7"),
            status_badge(),
            rx.spacer(),
            save_indicator(),
            width="100%",
            align="center",
            wrap="wrap",
            spacing="3",
        ),
        conflict_banner(),
        moderation_banner(),
        stepper(),
        rx.grid(
            rx.card(
                rx.vstack(step_body(), rx.separator(size="4"), step_nav(), spacing="5"),
                size="3",
                width="100%",
            ),
            rx.box(preview(), position=rx.breakpoints(initial="static", lg="sticky"), top="80px"),
            columns=rx.breakpoints(initial="1", lg="minmax(0, 1fr) 380px"),
            spacing="5",
            width="100%",
            align_items="start",
        ),
        spacing="4",
        width="100%",
    )


def not_a_seller() -> rx.Component:
    return rx.center(
        rx.vstack(
            rx.icon("store", size=40, color="var(--gray-9)"),
            rx.heading("Become a seller to create gigs", size="6"),
            rx.text("Set up your seller profile first; it takes a minute.", color_scheme="gray"),
            rx.link(rx.button("Become a seller"), href="/settings/profile", underline="none"),
            align="center",
            spacing="3",
        ),
        padding_y="80px",
    )


def gig_missing() -> rx.Component:
    return rx.center(
        rx.vstack(
            rx.icon("file-question", size=40, color="var(--gray-9)"),
            rx.heading("Gig not found", size="6"),
            rx.text("It doesn't exist, or it isn't yours to edit.", color_scheme="gray"),
            rx.link(rx.button("My gigs"), href="/my/gigs", underline="none"),
            align="center",
            spacing="3",
        ),
        padding_y="80px",
    )


def editor_page_body() -> rx.Component:
    return content_column(
        rx.cond(
            E.loading,
            rx.vstack(
                rx.skeleton(rx.box(height="48px", width="100%"), loading=True),
                rx.skeleton(rx.box(height="480px", width="100%"), loading=True),
                spacing="4",
                width="100%",
            ),
            rx.cond(
                ~E.is_seller,
                not_a_seller(),
                rx.cond(E.not_found, gig_missing(), editor()),
            ),
        ),
        padding_y="32px",
    )


@page("/gigs/new", "Create a gig · Gigworks", on_load=GigEditorState.load_new)
def new_gig_page() -> rx.Component:
    return editor_page_body()


@page("/gigs/[gig_id]/edit", "Edit gig · Gigworks", on_load=GigEditorState.load_existing)
def edit_gig_page() -> rx.Component:
    return editor_page_body()

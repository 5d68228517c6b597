"""The conversation thread, shared by `/inbox/<id>` and the order page: messages with day
separators, receipts, files and offer cards, the composer (Enter sends), the offer form and the
report dialog. Reads ConversationState."""

import reflex as rx

from marketplace.labels import revisions_count
from marketplace.models.gigs import UNLIMITED_REVISIONS
from marketplace.services.gigs.rules import REVISIONS_MAX, UNLIMITED
from marketplace.services.messaging.conversations import REPORT_REASONS
from marketplace.services.messaging.files import MAX_FILES_PER_MESSAGE
from marketplace.services.messaging.offers import EXPIRY_DAYS
from marketplace.state.inbox import ConversationState, FileView, MessageView, TextPart

C = ConversationState
# The offer form's revisions: the words of the package tables, never "-1".
REVISION_CHOICES = [(str(n), revisions_count(n)) for n in range(REVISIONS_MAX + 1)] + [
    (UNLIMITED, revisions_count(UNLIMITED_REVISIONS))
]
SELECT_STYLE = {
    "width": "100%",
    "height": "var(--space-6)",
    "padding": "0 8px",
    "border": "1px solid var(--gray-a7)",
    "border_radius": "var(--radius-2)",
    "background": "var(--color-surface)",
    "color": "var(--gray-12)",
    "font_size": "14px",
}
REASON_LABELS = {
    "spam": "Spam",
    "scam": "Scam or fraud",
    "harassment": "Harassment or abuse",
    "off_platform_payment": "Asks to pay outside Gigworks",
    "other": "Something else",
}


def text_part(part: TextPart) -> rx.Component:
    return rx.cond(
        part.href != "",
        rx.link(
            part.text,
            href=part.href,
            is_external=True,
            rel="noopener noreferrer nofollow ugc",
            word_break="break-all",
        ),
        rx.text.span(part.text),
    )


def offer_card(m: MessageView) -> rx.Component:
    return rx.card(
        rx.vstack(
            rx.hstack(
                rx.icon("file-text", size=16),
                rx.text("Custom offer", weight="bold", size="2"),
                rx.spacer(),
                rx.badge(
                    m.offer_status_label,
                    color_scheme=rx.match(
                        m.offer_status,
                        ("pending", "blue"),
                        ("accepted", "grass"),
                        "gray",
                    ),
                    data_testid="offer-status",
                ),
                width="100%",
                align="center",
            ),
            rx.cond(m.offer_gig != "", rx.text(m.offer_gig, size="1", color_scheme="gray")),
            rx.text(m.offer_description, size="2", white_space="pre-wrap"),
            rx.hstack(
                rx.text(m.offer_price, weight="bold", size="4", data_testid="offer-price"),
                rx.text("·", color_scheme="gray"),
                rx.text(m.offer_days, size="2"),
                rx.text("·", color_scheme="gray"),
                rx.text(m.offer_revisions, size="2"),
                wrap="wrap",
                align="center",
                spacing="2",
            ),
            rx.cond(
                m.offer_requirements != "",
                rx.text("Needs from you: ", m.offer_requirements, size="1", color_scheme="gray"),
            ),
            rx.text(m.offer_expires, size="1", color_scheme="gray"),
            rx.cond(
                m.can_accept,
                rx.hstack(
                    rx.button("Accept and pay", on_click=C.accept_offer(m.offer_id), size="2"),
                    rx.button(
                        "Decline",
                        variant="soft",
                        color_scheme="gray",
                        on_click=C.decline_offer(m.offer_id),
                        size="2",
                    ),
                    spacing="2",
                ),
            ),
            rx.cond(
                m.can_withdraw,
                rx.button(
                    "Withdraw offer",
                    variant="soft",
                    color_scheme="red",
                    size="1",
                    on_click=C.withdraw_offer(m.offer_id),
                ),
            ),
            spacing="2",
            align="start",
        ),
        width=["100%", "360px"],
        data_testid="offer-card",
    )


def file_link(f: FileView) -> rx.Component:
    return rx.link(
        rx.hstack(
            rx.icon("paperclip", size=14),
            rx.text(f.name, size="2", trim="both"),
            rx.text(f.size, size="1", color_scheme="gray"),
            spacing="1",
            align="center",
        ),
        href=f.url,
        is_external=False,
        download=True,
        padding="6px 10px",
        border="1px solid var(--gray-a6)",
        border_radius="8px",
        background="var(--color-panel-solid)",
        underline="none",
        data_testid="message-file",
    )


def bubble(m: MessageView) -> rx.Component:
    body = rx.box(
        rx.foreach(m.parts, text_part),
        white_space="pre-wrap",
        overflow_wrap="anywhere",
        padding="8px 12px",
        border_radius="14px",
        background=rx.cond(m.mine, "var(--accent-9)", "var(--gray-3)"),
        color=rx.cond(m.mine, "white", "var(--gray-12)"),
        max_width=["85%", "70%"],
        font_size="14px",
        line_height="1.45",
        data_testid="message-body",
    )
    return rx.box(
        rx.cond(
            m.new_day,
            rx.hstack(
                rx.separator(size="4", flex="1"),
                rx.text(m.day, size="1", color_scheme="gray", white_space="nowrap"),
                rx.separator(size="4", flex="1"),
                align="center",
                width="100%",
                padding_y="8px",
                data_testid="day-separator",
            ),
        ),
        rx.vstack(
            rx.cond(
                m.kind == "offer",
                offer_card(m),
                rx.cond(
                    m.kind == "offer_request",
                    rx.callout(
                        rx.foreach(m.parts, text_part),
                        icon="hand-helping",
                        size="1",
                        color_scheme="blue",
                        title="Asked for a custom offer",
                    ),
                    rx.cond(m.parts.length() > 0, body),
                ),
            ),
            rx.cond(
                m.files.length() > 0,
                rx.flex(
                    rx.foreach(m.files, file_link),
                    gap="6px",
                    wrap="wrap",
                    justify=rx.cond(m.mine, "end", "start"),
                ),
            ),
            rx.hstack(
                rx.text(m.time, size="1", color_scheme="gray"),
                rx.cond(
                    m.seen,
                    rx.text("· Seen", size="1", color_scheme="gray", data_testid="seen"),
                ),
                rx.cond(
                    ~m.mine & ~C.reading_as_admin,
                    rx.link(
                        "Report",
                        size="1",
                        color_scheme="gray",
                        on_click=C.open_report(m.id),
                        cursor="pointer",
                        underline="hover",
                    ),
                ),
                spacing="2",
            ),
            align=rx.cond(m.mine, "end", "start"),
            spacing="1",
            width="100%",
        ),
        width="100%",
        padding_y="2px",
        data_testid=rx.cond(m.mine, "message-mine", "message-theirs"),
    )


def compose() -> rx.Component:
    return rx.cond(
        C.send_refusal != "",
        rx.callout(C.send_refusal, icon="ban", color_scheme="gray", width="100%"),
        rx.form(
            rx.cond(
                C.pending_files.length() > 0,
                rx.flex(
                    rx.foreach(
                        C.pending_files,
                        lambda name, i: rx.badge(
                            rx.icon("paperclip", size=12),
                            name,
                            rx.icon(
                                "x",
                                size=12,
                                cursor="pointer",
                                on_click=C.remove_attachment(i),
                                aria_label="Remove file",
                            ),
                            variant="soft",
                            size="2",
                        ),
                    ),
                    gap="6px",
                    wrap="wrap",
                    padding_bottom="6px",
                    data_testid="pending-files",
                ),
            ),
            # One row from "sm" up; on a phone the box takes the whole first line and the
            # paperclip and Send sit under it (in a row they left it a few characters wide).
            rx.flex(
                rx.upload.root(
                    rx.icon_button(
                        rx.icon("paperclip", size=16),
                        type="button",
                        variant="soft",
                        color_scheme="gray",
                        size="3",
                        aria_label="Attach files",
                    ),
                    id="message-files",
                    multiple=True,
                    max_files=MAX_FILES_PER_MESSAGE,
                    on_drop=C.upload_attachments(rx.upload_files(upload_id="message-files")),
                    no_drag=True,
                    border="none",
                    padding="0",
                ),
                rx.text_area(
                    name="body",
                    id="gw-compose",
                    placeholder="Write a message… (Enter sends, Shift+Enter for a new line)",
                    aria_label="Type your reply",
                    max_length=5000,
                    rows="2",
                    resize="vertical",
                    auto_focus=True,
                    on_change=C.typing.throttle(1500),
                    flex="1 1 0",
                    min_width="0",
                    flex_basis=["100%", "0"],
                    order=["-1", "0"],
                ),
                rx.button(
                    rx.icon("send", size=16),
                    "Send",
                    type="submit",
                    size="3",
                    margin_left=["auto", "0"],
                ),
                width="100%",
                align="end",
                gap="8px",
                wrap=rx.breakpoints(initial="wrap", sm="nowrap"),
            ),
            on_submit=C.send,
            reset_on_submit=True,
            width="100%",
        ),
    )


def _labelled(label: str, control_id: str, control: rx.Component) -> rx.Component:
    return rx.vstack(
        rx.el.label(rx.text(label, size="1", weight="medium"), html_for=control_id),
        control,
        spacing="1",
        width="100%",
    )


def offer_form() -> rx.Component:
    field = {"width": "100%"}
    return rx.cond(
        C.offer_open,
        rx.card(
            rx.form(
                rx.vstack(
                    rx.heading("Send a custom offer", size="3"),
                    _labelled(
                        "Based on gig",
                        "offer-gig",
                        rx.el.select(  # the conversation's gig comes first: the default
                            rx.foreach(C.offer_gigs, lambda g: rx.el.option(g[1], value=g[0])),
                            id="offer-gig",
                            name="gig_id",
                            style=SELECT_STYLE,
                        ),
                    ),
                    _labelled(
                        "What's included",
                        "offer-description",
                        rx.text_area(
                            id="offer-description",
                            name="description",
                            placeholder="The work, the files and the rounds the buyer gets",
                            max_length=1500,
                            rows="3",
                            **field,
                        ),
                    ),
                    rx.flex(
                        _labelled(
                            "Price ($)",
                            "offer-price",
                            rx.input(
                                id="offer-price",
                                name="price",
                                placeholder="e.g. 120",
                                input_mode="decimal",
                                **field,
                            ),
                        ),
                        _labelled(
                            "Delivery days",
                            "offer-days",
                            rx.input(
                                id="offer-days",
                                name="delivery_days",
                                type="number",
                                min="1",
                                max="90",
                                placeholder="e.g. 5",
                                **field,
                            ),
                        ),
                        _labelled(
                            "Revisions",
                            "offer-revisions",
                            rx.el.select(
                                *[
                                    rx.el.option(text, value=value)
                                    for value, text in REVISION_CHOICES
                                ],
                                id="offer-revisions",
                                name="revisions",
                                default_value="1",
                                style=SELECT_STYLE,
                            ),
                        ),
                        direction=rx.breakpoints(initial="column", sm="row"),
                        gap="8px",
                        width="100%",
                    ),
                    _labelled(
                        "Offer expires in",
                        "offer-expiry",
                        rx.el.select(
                            *[rx.el.option(f"{d} days", value=str(d)) for d in EXPIRY_DAYS],
                            id="offer-expiry",
                            name="expiry_days",
                            default_value="3",
                            style=SELECT_STYLE,
                        ),
                    ),
                    _labelled(
                        "What you need from the buyer to start (optional)",
                        "offer-requirements",
                        rx.text_area(
                            id="offer-requirements",
                            name="requirements",
                            max_length=1500,
                            rows="2",
                            **field,
                        ),
                    ),
                    rx.cond(
                        C.offer_error != "",
                        rx.callout(C.offer_error, icon="circle-alert", color_scheme="red"),
                    ),
                    rx.hstack(
                        rx.button("Send offer", type="submit"),
                        rx.button(
                            "Cancel",
                            type="button",
                            variant="soft",
                            color_scheme="gray",
                            on_click=C.toggle_offer_form,
                        ),
                        spacing="2",
                    ),
                    spacing="3",
                    width="100%",
                ),
                on_submit=C.send_offer,
                width="100%",
            ),
            width="100%",
            data_testid="offer-form",
        ),
    )


def report_dialog() -> rx.Component:
    return rx.dialog.root(
        rx.dialog.content(
            rx.dialog.title(
                rx.cond(C.report_message_id > 0, "Report message", "Report conversation")
            ),
            rx.dialog.description(
                "Our moderators review every report. The other member is not told who reported.",
                size="2",
            ),
            rx.form(
                rx.vstack(
                    rx.radio_group.root(
                        rx.vstack(
                            *[
                                rx.radio_group.item(REASON_LABELS[r], value=r)
                                for r in REPORT_REASONS
                            ],
                            spacing="2",
                        ),
                        name="reason",
                    ),
                    rx.text_area(
                        name="details",
                        placeholder="Anything we should know (optional)",
                        max_length=2000,
                        width="100%",
                    ),
                    rx.cond(
                        C.report_error != "",
                        rx.callout(C.report_error, icon="circle-alert", color_scheme="red"),
                    ),
                    rx.hstack(
                        rx.button(
                            "Cancel",
                            type="button",
                            variant="soft",
                            color_scheme="gray",
                            on_click=C.close_report,
                        ),
                        rx.button("Send report", type="submit", color_scheme="red"),
                        justify="end",
                        width="100%",
                    ),
                    spacing="3",
                    padding_top="12px",
                ),
                on_submit=C.submit_report,
            ),
            max_width="440px",
        ),
        open=C.report_open,
    )


def thread_body(height=("calc(100vh - 380px)", "calc(100vh - 340px)")) -> rx.Component:
    return rx.box(
        rx.cond(
            C.has_older,
            rx.center(
                rx.button(
                    "Load older messages",
                    id="gw-load-older",
                    variant="ghost",
                    size="1",
                    on_click=C.load_older,
                ),
                padding="8px",
            ),
            rx.cond(
                C.items.length() > 0,
                rx.center(
                    rx.text(
                        "This is the start of your conversation.", size="1", color_scheme="gray"
                    ),
                    padding="8px",
                ),
            ),
        ),
        rx.cond(
            C.items.length() > 0,
            rx.foreach(C.items, bubble),
            rx.center(
                rx.vstack(
                    rx.icon("message-circle", size=32, color="var(--gray-8)"),
                    rx.text("Say hello", weight="bold"),
                    rx.text(
                        rx.cond(
                            C.i_am_seller,
                            "Introduce yourself and ask what the buyer needs to get started.",
                            "Describe your project; the seller usually answers within a day.",
                        ),
                        size="2",
                        color_scheme="gray",
                        text_align="center",
                        data_testid="thread-empty-hint",
                    ),
                    align="center",
                ),
                height="100%",
                padding="32px",
            ),
        ),
        id="gw-thread",
        overflow_y="auto",
        height=list(height),
        min_height="280px",
        padding_y="12px",
        width="100%",
        data_testid="thread",
    )


def conversation_actions() -> rx.Component:
    return rx.cond(
        C.send_refusal == "",
        rx.hstack(
            rx.cond(
                C.can_offer,
                rx.button(
                    rx.icon("file-plus", size=14),
                    "Create an offer",
                    variant="soft",
                    size="1",
                    on_click=C.toggle_offer_form,
                ),
                rx.button(
                    rx.icon("hand-helping", size=14),
                    "Ask for an offer",
                    variant="soft",
                    size="1",
                    on_click=C.ask_for_offer,
                ),
            ),
            spacing="2",
        ),
    )


def order_thread() -> rx.Component:
    """The order page's conversation with the other party (the same thread as the inbox's)."""
    return rx.card(
        rx.vstack(
            rx.hstack(
                rx.icon("messages-square", size=18),
                rx.heading("Messages", size="4", as_="h2"),
                rx.spacer(),
                rx.cond(
                    C.thread_id > 0,
                    rx.link("Open in inbox", href="/inbox/" + C.thread_id.to_string(), size="2"),
                ),
                width="100%",
                align="center",
            ),
            rx.cond(
                C.loading,
                rx.skeleton(rx.box(height="120px", width="100%"), loading=True),
                rx.cond(
                    C.not_found,
                    rx.text("Messages are shown to the buyer and the seller.", size="2"),
                    rx.vstack(
                        thread_body(height=("360px", "420px")),
                        rx.cond(
                            C.error != "",
                            rx.callout(C.error, icon="circle-alert", color_scheme="red", size="1"),
                        ),
                        rx.cond(
                            C.warning != "",
                            rx.callout(
                                C.warning, icon="shield-alert", color_scheme="amber", size="1"
                            ),
                        ),
                        compose(),
                        report_dialog(),
                        spacing="3",
                        width="100%",
                    ),
                ),
            ),
            spacing="3",
            width="100%",
        ),
        size="3",
        width="100%",
        on_mount=C.load_for_order,
        data_testid="order-thread",
    )

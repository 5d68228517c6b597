"""`/orders/<code>`: status and due date with a live countdown, the package as ordered, the
requirements form, deliveries, the viewer's actions, the timeline and the money panel."""

import reflex as rx

from marketplace.components.conversation import order_thread  # messaging
from marketplace.components.layout import content_column
from marketplace.components.order_parts import (
    late_badge,
    money_panel,
    not_found,
    page_skeleton,
    panel,
    status_badge,
    timeline,
)
from marketplace.components.order_reviews import order_review_panel
from marketplace.pages.routing import page
from marketplace.services.orders.files import MAX_FILES_PER_DELIVERY
from marketplace.state.order import OrderPageState
from marketplace.state.order_models import (
    ActionButton,
    AnswerView,
    DeliveryView,
    FileView,
    MoneyRow,
    RequirementField,
)
from marketplace.state.reviews import OrderReviewState

S = OrderPageState
O = OrderPageState.order  # noqa: E741
SIDEBAR_WIDTH = "340px"


# --- header --------------------------------------------------------------------------------------


def header_block() -> rx.Component:
    return rx.vstack(
        rx.link(
            rx.hstack(
                rx.icon("arrow-left", size=14),
                rx.text("All orders", size="2"),
                spacing="1",
                align="center",
            ),
            href="/orders",
            color_scheme="gray",
            underline="none",
        ),
        rx.flex(
            rx.heading(O.title, size=rx.breakpoints(initial="5", md="6"), as_="h1"),
            gap="12px",
            align="center",
            wrap="wrap",
        ),
        rx.flex(
            status_badge(O.status_label, O.status_color),
            late_badge(O.late),
            rx.text("Order ", rx.code(O.code, variant="ghost"), size="2", color_scheme="gray"),
            rx.text("· ordered ", O.ordered_at, size="2", color_scheme="gray"),
            gap="8px",
            align="center",
            wrap="wrap",
        ),
        spacing="2",
        width="100%",
    )


def notices() -> rx.Component:
    return rx.fragment(
        rx.cond(
            O.cancellation_note != "",
            rx.callout(
                O.cancellation_note,
                icon="circle-x",
                color_scheme="amber",
                width="100%",
                data_testid="cancellation-note",
            ),
        ),
        rx.cond(
            O.processing,
            rx.callout(
                "A payment step is being processed with Stripe. Reload in a moment.",
                icon="loader",
                color_scheme="blue",
                width="100%",
            ),
        ),
        rx.cond(
            O.payout_pending,
            rx.callout(
                rx.cond(
                    O.viewer_role == "seller",
                    "You are owed this order's earnings. They are transferred as soon as your "
                    "payouts are set up in Settings → Payouts.",
                    "The seller's earnings are kept by Gigworks until their payouts are set up.",
                ),
                icon="wallet",
                color_scheme="amber",
                width="100%",
                data_testid="payout-pending",
            ),
        ),
        rx.cond(
            O.dispute_open,
            rx.callout(
                "A dispute is open: the order is frozen until an admin resolves it.",
                icon="scale",
                color_scheme="red",
                width="100%",
            ),
        ),
    )


def due_card() -> rx.Component:
    return rx.cond(
        O.due_iso != "",
        rx.card(
            rx.flex(
                rx.vstack(
                    rx.text("Due", size="1", color_scheme="gray"),
                    rx.text(O.due_at, size="3", weight="bold", data_testid="due-at"),
                    spacing="0",
                ),
                rx.spacer(),
                rx.hstack(
                    rx.icon("timer", size=18, color=rx.cond(O.late, "var(--red-9)", "inherit")),
                    rx.text(
                        "",
                        data_due=O.due_iso,
                        size="4",
                        weight="bold",
                        color=rx.cond(O.late, "var(--red-11)", "var(--gray-12)"),
                        data_testid="countdown",
                    ),
                    spacing="2",
                    align="center",
                ),
                gap="12px",
                align="center",
                wrap="wrap",
            ),
            width="100%",
        ),
        rx.cond(
            O.auto_complete_at != "",
            rx.callout(
                "Delivered. If the buyer does nothing, the order completes by itself on "
                + O.auto_complete_at
                + ".",
                icon="calendar-check",
                color_scheme="iris",
                width="100%",
            ),
        ),
    )


# --- the package as ordered ----------------------------------------------------------------------


def line(label, value, test_id: str = "", strong: bool = False) -> rx.Component:
    return rx.hstack(
        rx.text(label, size="2", weight="bold" if strong else "regular"),
        rx.spacer(),
        rx.text(
            value,
            size="3" if strong else "2",
            weight="bold" if strong else "medium",
            data_testid=test_id or None,
            white_space="nowrap",
        ),
        width="100%",
        align="baseline",
    )


def extra_line(row: MoneyRow) -> rx.Component:
    return rx.hstack(
        rx.vstack(
            rx.text(row.label, size="2"),
            rx.cond(row.hint != "", rx.text(row.hint, size="1", color_scheme="gray")),
            spacing="0",
        ),
        rx.spacer(),
        rx.text(row.amount, size="2", weight="medium"),
        width="100%",
        data_testid="ordered-extra",
    )


def package_card() -> rx.Component:
    return panel(
        "What was ordered",
        rx.hstack(
            rx.badge(O.package_tier, variant="soft"),
            rx.cond(
                O.package_name != "",
                rx.text(O.package_name, weight="bold", size="3", data_testid="ordered-package"),
            ),
            rx.cond(O.quantity > 1, rx.text("× ", O.quantity, size="2", color_scheme="gray")),
            spacing="2",
            align="center",
            wrap="wrap",
        ),
        rx.cond(
            O.package_description != "",
            rx.text(O.package_description, size="2", color_scheme="gray"),
        ),
        rx.cond(
            O.package_features.length() > 0,
            rx.vstack(
                rx.foreach(
                    O.package_features,
                    lambda f: rx.hstack(
                        rx.icon("check", size=14, color="var(--accent-9)"),
                        rx.text(f, size="2"),
                        spacing="2",
                        align="center",
                    ),
                ),
                spacing="1",
            ),
        ),
        rx.cond(O.extras.length() > 0, rx.vstack(rx.foreach(O.extras, extra_line), width="100%")),
        rx.text(O.revisions, size="2", color_scheme="gray", data_testid="revisions"),
        rx.separator(size="4"),
        line("Subtotal", O.subtotal),
        line("Service fee", O.service_fee),
        line("Paid", O.total, "order-total", strong=True),
        rx.cond(
            O.viewer_role != "buyer",
            rx.vstack(
                rx.separator(size="4"),
                line("Commission", "−" + O.commission),
                line("Seller earns", O.seller_earnings, "seller-earnings", strong=True),
                width="100%",
                spacing="3",
            ),
        ),
        icon="package",
    )


def people_card() -> rx.Component:
    return rx.card(
        rx.hstack(
            rx.avatar(fallback=O.other_name.to(str)[:1], size="3", radius="full"),
            rx.vstack(
                rx.text(O.other_label, size="1", color_scheme="gray"),
                rx.cond(
                    O.other_url != "",
                    rx.link(O.other_name, href=O.other_url, size="2", weight="bold"),
                    rx.text(O.other_name, size="2", weight="bold"),
                ),
                spacing="0",
            ),
            rx.spacer(),
            rx.cond(
                O.gig_url != "",
                rx.link("View gig", href=O.gig_url, size="2"),
            ),
            align="center",
            width="100%",
        ),
        width="100%",
    )


# --- requirements --------------------------------------------------------------------------------


def requirement_input(r: RequirementField) -> rx.Component:
    label = rx.text(
        r.question,
        rx.cond(r.required, rx.text.span(" *", color="var(--red-9)"), ""),
        size="2",
        weight="medium",
        as_="div",
    )
    return rx.vstack(
        label,
        rx.match(
            r.kind,
            (
                "choice",
                rx.select(
                    r.choices,
                    value=S.answers.get(r.key, ""),
                    on_change=lambda v: S.set_answer(r.key, v),
                    placeholder="Choose one",
                    width="100%",
                    aria_label=r.question,
                ),
            ),
            (
                "file",
                rx.vstack(
                    rx.upload(
                        rx.hstack(
                            rx.icon("paperclip", size=16),
                            rx.text("Drop a file or", size="2"),
                            rx.button("Choose file", size="1", variant="soft", type="button"),
                            spacing="2",
                            align="center",
                        ),
                        id="answer-file",
                        multiple=False,
                        max_files=1,
                        on_drop=S.upload_answer_file(
                            rx.upload_files(upload_id="answer-file"), r.key
                        ),
                        border="1px dashed var(--gray-a7)",
                        border_radius="8px",
                        padding="12px",
                        width="100%",
                    ),
                    rx.cond(
                        S.answer_files.get(r.key, "") != "",
                        rx.hstack(
                            rx.icon("file-check", size=14, color="var(--accent-9)"),
                            rx.text(S.answer_files.get(r.key, ""), size="2"),
                            spacing="2",
                            align="center",
                        ),
                    ),
                    spacing="2",
                    width="100%",
                ),
            ),
            rx.text_area(
                value=S.answers.get(r.key, ""),
                on_change=lambda v: S.set_answer(r.key, v),
                rows="3",
                width="100%",
                aria_label=r.question,
                max_length=5000,
            ),
        ),
        spacing="2",
        width="100%",
        data_testid="requirement",
    )


def requirements_form() -> rx.Component:
    return rx.cond(
        S.requirements_action != "",
        panel(
            "Tell the seller what you need",
            rx.text(
                "The seller starts, and the delivery clock runs, once you send these answers.",
                size="2",
                color_scheme="gray",
            ),
            rx.cond(
                O.requirements.length() > 0,
                rx.vstack(rx.foreach(O.requirements, requirement_input), spacing="4", width="100%"),
                rx.text("The seller asked no questions.", size="2", color_scheme="gray"),
            ),
            rx.cond(
                S.requirements_error != "",
                rx.callout(
                    S.requirements_error,
                    icon="circle-alert",
                    color_scheme="red",
                    width="100%",
                    data_testid="requirements-error",
                ),
            ),
            rx.button(
                S.requirements_action,
                size="3",
                loading=S.acting,
                on_click=S.submit_requirements,
            ),
            icon="list-checks",
            test_id="requirements-form",
            border="1px solid var(--accent-a7)",
        ),
    )


def answer_item(a: AnswerView) -> rx.Component:
    return rx.vstack(
        rx.text(a.question, size="2", weight="medium"),
        rx.cond(
            a.answer != "",
            rx.text(a.answer, size="2", white_space="pre-wrap", color_scheme="gray"),
            rx.cond(a.file_url == "", rx.text("No answer", size="2", color="var(--gray-9)")),
        ),
        rx.cond(
            a.file_url != "",
            rx.el.a(
                rx.hstack(
                    rx.icon("download", size=14), rx.text(a.file_name, size="2"), spacing="1"
                ),
                href=a.file_url,
                download=a.file_name,
                reload_document=True,  # a file from an HTTP route: no client-side routing
                color="var(--accent-11)",
            ),
        ),
        spacing="1",
        width="100%",
    )


def answers_card() -> rx.Component:
    return rx.cond(
        O.answers.length() > 0,
        panel(
            "Requirements",
            rx.vstack(rx.foreach(O.answers, answer_item), spacing="3", width="100%"),
            icon="list-checks",
            test_id="answers",
        ),
    )


# --- deliveries ----------------------------------------------------------------------------------


def file_link(f: FileView) -> rx.Component:
    """A download from the HTTP route (not a page, so no client-side routing)."""
    return rx.el.a(
        rx.hstack(
            rx.icon("download", size=14),
            rx.text(f.name, size="2"),
            rx.cond(f.size != "", rx.text(f.size, size="1", color_scheme="gray")),
            spacing="2",
            align="center",
        ),
        href=f.url,
        download=f.name,
        reload_document=True,  # a file from an HTTP route: no client-side routing
        color="var(--accent-11)",
        data_testid="delivery-file",
    )


def delivery_item(d: DeliveryView) -> rx.Component:
    return rx.box(
        rx.vstack(
            rx.hstack(
                rx.text("Delivery #", d.number, size="2", weight="bold"),
                rx.spacer(),
                rx.text(d.at, size="1", color_scheme="gray"),
                width="100%",
            ),
            rx.cond(d.message != "", rx.text(d.message, size="2", white_space="pre-wrap")),
            rx.cond(d.files.length() > 0, rx.vstack(rx.foreach(d.files, file_link), spacing="1")),
            spacing="2",
            width="100%",
        ),
        padding="12px",
        border="1px solid var(--gray-a5)",
        border_radius="8px",
        width="100%",
        data_testid="delivery",
    )


def deliveries_card() -> rx.Component:
    return rx.cond(
        O.deliveries.length() > 0,
        panel(
            "Deliveries",
            rx.vstack(rx.foreach(O.deliveries, delivery_item), spacing="3", width="100%"),
            icon="package-check",
            test_id="deliveries",
        ),
    )


def delivery_form() -> rx.Component:
    return rx.cond(
        S.can_deliver,
        panel(
            "Deliver your work",
            rx.text_area(
                value=S.delivery_message,
                on_change=S.set_delivery_message,
                placeholder="Tell the buyer what you delivered…",
                rows="4",
                width="100%",
                aria_label="Delivery message",
                max_length=5000,
            ),
            rx.upload(
                rx.vstack(
                    rx.icon("upload", size=22, color="var(--gray-10)"),
                    rx.text("Drop files here or", size="2"),
                    rx.button("Choose files", size="1", variant="soft", type="button"),
                    rx.text(
                        f"Up to {MAX_FILES_PER_DELIVERY} files: images, PDF, ZIP or text.",
                        size="1",
                        color_scheme="gray",
                    ),
                    align="center",
                    spacing="2",
                ),
                id="delivery-files",
                multiple=True,
                max_files=MAX_FILES_PER_DELIVERY,
                on_drop=S.upload_delivery_files(rx.upload_files(upload_id="delivery-files")),
                border="2px dashed var(--gray-a6)",
                border_radius="12px",
                padding="16px",
                width="100%",
            ),
            rx.cond(
                S.delivery_files.length() > 0,
                rx.vstack(
                    rx.foreach(
                        S.delivery_files,
                        lambda name, i: rx.hstack(
                            rx.icon("file-check", size=14, color="var(--accent-9)"),
                            rx.text(name, size="2", data_testid="delivery-upload"),
                            rx.spacer(),
                            rx.icon_button(
                                rx.icon("x", size=12),
                                size="1",
                                variant="ghost",
                                color_scheme="gray",
                                on_click=S.remove_delivery_file(i),
                                aria_label="Remove " + name,
                            ),
                            width="100%",
                            align="center",
                        ),
                    ),
                    spacing="1",
                    width="100%",
                ),
            ),
            rx.cond(
                S.delivery_error != "",
                rx.callout(
                    S.delivery_error,
                    icon="circle-alert",
                    color_scheme="red",
                    width="100%",
                    data_testid="delivery-error",
                ),
            ),
            rx.button(
                rx.icon("send", size=16),
                S.deliver_label,
                size="3",
                loading=S.acting,
                on_click=S.submit_delivery,
            ),
            icon="package-check",
            test_id="delivery-form",
            border="1px solid var(--accent-a7)",
        ),
    )


# --- actions and their dialog --------------------------------------------------------------------


def action_button(action: ActionButton) -> rx.Component:
    return rx.button(
        action.label,
        size="3",
        width="100%",
        variant=rx.match(action.style, ("primary", "solid"), ("danger", "soft"), "outline"),
        color_scheme=rx.match(action.style, ("primary", "grass"), ("danger", "red"), "gray"),
        loading=S.acting & (S.dialog_name == ""),
        on_click=S.start_action(action.name),
        data_testid="action-" + action.name,
    )


def actions_card() -> rx.Component:
    return rx.cond(
        S.button_actions.length() > 0,
        rx.card(
            rx.vstack(
                rx.text("What you can do", size="2", weight="bold"),
                rx.foreach(S.button_actions, action_button),
                spacing="3",
                width="100%",
            ),
            size="3",
            width="100%",
            data_testid="actions",
        ),
    )


def action_dialog() -> rx.Component:
    needs_text = (
        (S.dialog_input == "message") | (S.dialog_input == "reason") | (S.dialog_input == "amount")
    )
    return rx.dialog.root(
        rx.dialog.content(
            rx.dialog.title(S.dialog_label),
            rx.vstack(
                rx.cond(
                    S.dialog_confirm != "",
                    rx.text(S.dialog_confirm, size="2", color_scheme="gray"),
                ),
                rx.cond(
                    S.dialog_input == "amount",
                    rx.vstack(
                        rx.text("Refund to the buyer (the rest goes to the seller)", size="2"),
                        rx.input(
                            rx.input.slot("$"),
                            value=S.dialog_amount,
                            on_change=S.set_dialog_amount,
                            placeholder="0.00",
                            inputmode="decimal",
                            aria_label="Refund amount",
                            width="100%",
                        ),
                        rx.text("The order total is ", O.subtotal, size="1", color_scheme="gray"),
                        spacing="1",
                        width="100%",
                    ),
                ),
                rx.cond(
                    needs_text,
                    rx.text_area(
                        value=S.dialog_message,
                        on_change=S.set_dialog_message,
                        placeholder=rx.cond(
                            S.dialog_input == "reason",
                            "Why? The other side and, in a dispute, an admin read this.",
                            "A message for the other side (optional)",
                        ),
                        rows="4",
                        width="100%",
                        aria_label="Message",
                        max_length=5000,
                    ),
                ),
                rx.cond(
                    S.dialog_error != "",
                    rx.text(
                        S.dialog_error, size="2", color_scheme="red", data_testid="dialog-error"
                    ),
                ),
                rx.flex(
                    rx.dialog.close(
                        rx.button("Back", variant="soft", color_scheme="gray", disabled=S.acting)
                    ),
                    rx.button(
                        S.dialog_label,
                        color_scheme=rx.cond(S.dialog_style == "danger", "red", "grass"),
                        loading=S.acting,
                        on_click=S.confirm_dialog,
                        data_testid="dialog-confirm",
                    ),
                    gap="3",
                    justify="end",
                    width="100%",
                ),
                spacing="4",
                width="100%",
                margin_top="8px",
            ),
            max_width="480px",
        ),
        open=S.dialog_name != "",
        on_open_change=S.close_dialog,
    )


# --- the page ------------------------------------------------------------------------------------


def order_body() -> rx.Component:
    main = rx.vstack(
        notices(),
        order_review_panel(),
        due_card(),
        requirements_form(),
        delivery_form(),
        deliveries_card(),
        answers_card(),
        timeline(O.events),
        spacing="4",
        width="100%",
        min_width="0",
    )
    details = rx.vstack(people_card(), package_card(), spacing="4", width="100%")
    return rx.vstack(
        header_block(),
        rx.box(
            rx.box(actions_card(), grid_area="actions", min_width="0"),
            rx.box(main, grid_area="main", min_width="0"),
            rx.box(details, grid_area="details", min_width="0"),
            display="grid",
            grid_template_columns=rx.breakpoints(
                initial="minmax(0, 1fr)", md=f"minmax(0, 1fr) {SIDEBAR_WIDTH}"
            ),
            grid_template_rows=rx.breakpoints(md="auto 1fr"),
            grid_template_areas=rx.breakpoints(
                initial='"actions" "main" "details"', md='"main actions" "main details"'
            ),
            align_items="start",
            gap=rx.breakpoints(initial="16px", md="24px"),
            width="100%",
        ),
        money_panel(O.money, O.ledger),
        order_thread(),  # messaging: the same thread as /inbox/<id>
        action_dialog(),
        spacing="5",
        width="100%",
    )


@page(
    "/orders/[code]",
    OrderPageState.page_title,
    on_load=[OrderPageState.load, OrderReviewState.load_order_reviews],
)
def order_page() -> rx.Component:
    return content_column(
        rx.cond(
            S.loading,
            page_skeleton(4),
            rx.cond(
                S.found,
                order_body(),
                not_found(
                    "Order not found",
                    "This order doesn't exist, or it isn't yours to see.",
                    "order-not-found",
                ),
            ),
        ),
        padding_y="32px",
    )

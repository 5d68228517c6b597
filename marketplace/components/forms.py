"""Form building blocks: a labelled field with its message underneath."""

import reflex as rx


def field(
    label: str,
    name: str,
    *,
    error: rx.Var[str] | None = None,
    type_: str = "text",
    placeholder: str = "",
    hint: str = "",
    **input_props,
) -> rx.Component:
    """A labelled input; `error` (a state var) replaces the hint with a red message when set."""
    hint_text = rx.text(hint, size="1", color_scheme="gray")
    message = (
        hint_text
        if error is None
        else rx.cond(
            error != "",
            rx.text(error, size="1", color_scheme="red", data_testid=f"{name}-error"),
            hint_text,
        )
    )
    return rx.vstack(
        rx.el.label(rx.text(label, size="2", weight="medium"), html_for=name),
        rx.input(
            id=name,
            name=name,
            type=type_,
            placeholder=placeholder,
            size="3",
            width="100%",
            **input_props,
        ),
        message,
        spacing="1",
        width="100%",
        align="start",
    )


def submit_button(label: str, *, loading: rx.Var[bool], **props) -> rx.Component:
    """A form's main button, disabled until the page's load has run: a click that reached the
    server before `on_load` had its messages wiped by it (the form looked dead)."""
    return rx.button(
        label,
        type="submit",
        size="3",
        width="100%",
        loading=loading,
        disabled=~rx.State.is_hydrated,
        **props,
    )


def auth_card(title: str | rx.Var, subtitle: str | rx.Var, *children: rx.Component) -> rx.Component:
    return rx.center(
        rx.card(
            rx.vstack(
                rx.heading(title, size="6"),
                rx.text(subtitle, size="2", color_scheme="gray"),
                *children,
                spacing="4",
                width="100%",
            ),
            size="4",
            width="100%",
            max_width="440px",
        ),
        padding_y=["32px", "64px"],
        padding_x="16px",
    )


def field_message(error: rx.Var[str], hint: str = "", test_id: str = "") -> rx.Component:
    """The line under a field: the error in red when there is one, else the hint."""
    props = {"data_testid": test_id} if test_id else {}
    return rx.cond(
        error != "",
        rx.text(error, size="1", color_scheme="red", **props),
        rx.text(hint, size="1", color_scheme="gray"),
    )


def live_field(
    label: str,
    field_id: str,
    *,
    value: rx.Var[str],
    on_change,
    error: rx.Var[str],
    hint: str = "",
    placeholder: str = "",
    multiline: bool = False,
    **input_props,
) -> rx.Component:
    """A labelled input checked as the user types (the state revalidates on each change)."""
    control = (
        rx.text_area(
            id=field_id,
            value=value,
            on_change=on_change,
            placeholder=placeholder,
            size="2",
            width="100%",
            debounce_timeout=250,
            **{"rows": "5", **input_props},
        )
        if multiline
        else rx.input(
            id=field_id,
            value=value,
            on_change=on_change,
            placeholder=placeholder,
            size="2",
            width="100%",
            debounce_timeout=250,
            **input_props,
        )
    )
    return rx.vstack(
        rx.el.label(rx.text(label, size="2", weight="medium"), html_for=field_id),
        control,
        field_message(error, hint, f"{field_id}-error"),
        spacing="1",
        width="100%",
        align="start",
    )


def section_card(title: str, subtitle: str, *children: rx.Component, **props) -> rx.Component:
    return rx.card(
        rx.vstack(
            rx.vstack(
                rx.heading(title, size="4"),
                rx.text(subtitle, size="2", color_scheme="gray"),
                spacing="1",
            ),
            *children,
            spacing="4",
            width="100%",
        ),
        size="3",
        width="100%",
        **props,
    )


def select_field(
    label: str, field_id: str, items, *, value, on_change, error, placeholder: str
) -> rx.Component:
    """A labelled select with its message; `items` are rx.select.item children (a list, or an
    rx.foreach over a state list)."""
    items = items if isinstance(items, list) else [items]
    return rx.vstack(
        rx.text(label, size="2", weight="medium", id=f"{field_id}-label"),
        rx.select.root(
            rx.select.trigger(
                placeholder=placeholder, width="100%", aria_labelledby=f"{field_id}-label"
            ),
            rx.select.content(*items),
            value=value,
            on_change=on_change,
            size="2",
        ),
        field_message(error, "", f"{field_id}-error"),
        spacing="1",
        width="100%",
        align="start",
    )


def select_items(options) -> list[rx.Component]:
    """(value, text) pairs known when the page is compiled -> select items."""
    return [rx.select.item(text, value=value) for value, text in options]


def row_input(
    value, on_change, error, label, *, multiline: bool = False, shown_label=None, **props
) -> rx.Component:
    """An input inside a repeated form row (labelled by its placeholder), message underneath.

    `shown_label` (e.g. "Question 2"): a visible label above the field, which also names it,
    for rows whose placeholder would vanish as soon as something is typed."""
    control = rx.text_area if multiline else rx.input
    extra = {"rows": "3"} if multiline else {}
    field = control(
        value=value,
        on_change=on_change,
        placeholder=label,
        aria_label=label if shown_label is None else shown_label,
        size="2",
        width="100%",
        debounce_timeout=250,
        **{**extra, **props},
    )
    if shown_label is not None:
        field = rx.el.label(
            rx.text(shown_label, size="1", weight="medium", color_scheme="gray"),
            field,
            style={"display": "flex", "flex_direction": "column", "gap": "4px", "width": "100%"},
        )
    return rx.vstack(
        field,
        field_message(error),
        spacing="1",
        width="100%",
    )


def row_select(value, on_change, error, label: str, options) -> rx.Component:
    """A select inside a repeated form row; `options` are (value, text) pairs."""
    return rx.vstack(
        rx.select.root(
            rx.select.trigger(placeholder=label, width="100%", aria_label=label),
            rx.select.content(*select_items(options)),
            value=value,
            on_change=on_change,
            size="2",
        ),
        field_message(error),
        spacing="1",
        width="100%",
    )


def chip_input(
    items,
    *,
    on_remove,
    draft_value,
    on_draft,
    on_key,
    on_add,
    placeholder: str,
    label: str,
    error: rx.Var[str] | None = None,
    error_id: str = "",
) -> rx.Component:
    """Chips (skills, tags) with an input that adds one on Enter or with the Add button.

    The input takes whatever is typed (no maxlength, which would cut a paste silently); the
    state checks each chip as it is added and `error` says, right under the input, why one
    was refused."""
    return rx.vstack(
        rx.flex(
            rx.foreach(
                items,
                lambda item, i: rx.badge(
                    item,
                    rx.icon(
                        "x",
                        size=12,
                        cursor="pointer",
                        on_click=on_remove(i),
                        aria_label=f"Remove {item}",
                    ),
                    size="2",
                    variant="soft",
                    radius="full",
                ),
            ),
            gap="8px",
            wrap="wrap",
        ),
        rx.hstack(
            rx.input(
                value=draft_value,
                on_change=on_draft,
                on_key_down=on_key,
                placeholder=placeholder,
                aria_label=label,
                size="2",
                width="100%",
            ),
            rx.button("Add", variant="soft", size="2", on_click=on_add),
            width="100%",
            max_width="440px",
        ),
        field_message(error, "", error_id) if error is not None else rx.fragment(),
        spacing="2",
        width="100%",
    )

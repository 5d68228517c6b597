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


def auth_card(title: str, subtitle: str, *children: rx.Component) -> rx.Component:
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

"""The header box's suggestion list (state/suggestions.py): a listbox under the box."""

import reflex as rx

from marketplace.state.suggestions import SuggestionSegment, SuggestionView, SuggestState

SUGGEST_DEBOUNCE_MS = 150


def _segment(segment: SuggestionSegment) -> rx.Component:
    return rx.cond(
        segment.marked,
        rx.text.strong(segment.text),
        rx.text.span(segment.text),
    )


def _item(item: SuggestionView) -> rx.Component:
    active = item.index == SuggestState.suggest_active
    return rx.hstack(
        rx.icon(
            rx.match(item.kind, ("category", "layout-grid"), "file-text"),
            size=14,
            color="var(--gray-10)",
            flex_shrink="0",
        ),
        rx.text(
            rx.foreach(item.segments, _segment),
            size="2",
            overflow="hidden",
            text_overflow="ellipsis",
            white_space="nowrap",
        ),
        rx.cond(
            item.detail != "",
            rx.text(
                item.detail,
                size="1",
                color_scheme="gray",
                white_space="nowrap",
                display=["none", "inline"],  # phones: the label needs the room
            ),
        ),
        rx.spacer(),
        rx.cond(
            item.kind == "category",
            rx.badge("Category", size="1", variant="soft", color_scheme="gray"),
        ),
        role="option",
        aria_selected=rx.cond(active, "true", "false"),
        id="suggestion-" + item.index.to_string(),
        data_testid="suggestion",
        align="center",
        spacing="2",
        width="100%",
        padding="8px 12px",
        cursor="pointer",
        background=rx.cond(active, "var(--accent-a4)", "transparent"),
        # the pointer only lights a row up (no event): Enter follows the keyboard's choice, so a
        # pointer resting where the list opens never turns a search into a suggestion
        _hover={"background": "var(--accent-a3)"},
        # mouse down, not click: it comes before the box's blur closes the list
        on_mouse_down=SuggestState.suggest_choose(item.index),
    )


def suggestion_list() -> rx.Component:
    return rx.cond(
        SuggestState.suggest_open & (SuggestState.suggestions.length() > 0),
        rx.box(
            rx.foreach(SuggestState.suggestions, _item),
            role="listbox",
            aria_label="Suggestions",
            data_testid="suggestions",
            position="absolute",
            top="calc(100% + 4px)",
            left="0",
            right="0",
            z_index="30",
            background="var(--color-panel-solid)",
            border="1px solid var(--gray-a6)",
            border_radius="var(--radius-3)",
            box_shadow="var(--shadow-4)",
            padding_y="4px",
            overflow="hidden",
        ),
    )


def suggest_input_props() -> dict:
    """What the header's input needs to drive the list (a combobox, in ARIA's terms)."""
    return {
        "on_change": SuggestState.suggest_type.debounce(SUGGEST_DEBOUNCE_MS),
        "on_key_down": SuggestState.suggest_key,
        "on_blur": SuggestState.suggest_close,
        "auto_complete": "off",
        "role": "combobox",
        "aria_autocomplete": "list",
        "aria_expanded": rx.cond(SuggestState.suggest_open, "true", "false"),
        "aria_activedescendant": rx.cond(
            SuggestState.suggest_active >= 0,
            "suggestion-" + SuggestState.suggest_active.to_string(),
            "",
        ),
    }

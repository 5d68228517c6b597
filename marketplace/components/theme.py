"""Design tokens shared by every page, so spacing and type stay consistent."""

CONTENT_MAX_WIDTH = "1200px"
PAGE_PADDING_X = ["16px", "24px", "32px"]
SECTION_GAP = "56px"
CARD_RADIUS = "12px"
FONT_STACK = (
    "Inter, 'Segoe UI', Roboto, 'Helvetica Neue', Arial, 'Noto Sans', 'DejaVu Sans', sans-serif"
)

APP_THEME = {
    "accent_color": "grass",
    "gray_color": "slate",
    "radius": "medium",
    "scaling": "100%",
    "appearance": "light",
}

GLOBAL_STYLE = {
    "font_family": FONT_STACK,
    "::selection": {"background": "var(--accent-a5)"},
}

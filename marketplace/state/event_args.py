"""Event arguments come from the client: coerce them before any use, and shape form rows.

Any browser can send any value for any argument, so a handler never trusts a type annotation:
text is cut to a bound (anything else becomes ""), an index that is not a plain int becomes -1
(which every range check refuses).
"""

# What a form keeps of one typed or pasted text: far above every field's own limit, so a long
# paste stays whole and its field says how much to shorten; beyond this the form says it cut.
TEXT_KEEP_MAX = 10_000
CLIPPED_MESSAGE = (
    f"That was longer than {TEXT_KEEP_MAX:,} characters: only the first {TEXT_KEEP_MAX:,} "
    "were kept."
)


def bounded_text(value: object, limit: int) -> str:
    return value[:limit] if isinstance(value, str) else ""


def kept_text(value: object) -> tuple[str, bool]:
    """(the text a form keeps, whether it had to cut it): a cut must be told to the user."""
    text = value if isinstance(value, str) else ""
    return text[:TEXT_KEEP_MAX], len(text) > TEXT_KEEP_MAX


def length_count(size: int, limit: int) -> str:
    """A field's counter, "95 / 80 — shorten by 15 characters" once it is over its limit."""
    count = f"{size:,} / {limit:,}"
    over = size - limit
    if over <= 0:
        return count
    return f"{count} — shorten by {over:,} character{'s' if over != 1 else ''}"


def index_arg(value: object) -> int:
    return value if isinstance(value, int) and not isinstance(value, bool) else -1


def rows_with_errors(
    rows: list[dict[str, str]], list_name: str, keys, shown: dict[str, str]
) -> list[dict[str, str]]:
    """Each form row with its messages beside its values ("price_error"), so a page can render
    a list of rows with rx.foreach and put each message under its own input."""
    return [
        {**row, **{f"{key}_error": shown.get(f"{list_name}.{i}.{key}", "") for key in keys}}
        for i, row in enumerate(rows)
    ]

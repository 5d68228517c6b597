"""Event arguments come from the client: coerce them before any use, and shape form rows.

Any browser can send any value for any argument, so a handler never trusts a type annotation:
text is cut to a bound (anything else becomes ""), an index that is not a plain int becomes -1
(which every range check refuses).
"""


def bounded_text(value: object, limit: int) -> str:
    return value[:limit] if isinstance(value, str) else ""


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

"""What a password must be: at least 10 characters, not one of the 10,000 most common
passwords, and not trivially repetitive ("aaaaaaaaaa", "abcabcabcabc", "1234567890").

The list (marketplace/auth/common-passwords.txt) is the first 10,000 lines of Django's
`django/contrib/auth/common-passwords.txt.gz` (Django 5.2.19 from PyPI; BSD licence), itself
ordered by frequency from Royce Williams' list built from breach corpora. Matching ignores case
and surrounding spaces, and also tries the password with trailing digits removed.
"""

from __future__ import annotations

from functools import lru_cache
from pathlib import Path

MIN_LENGTH = 10
MAX_LENGTH = 256
LIST_PATH = Path(__file__).resolve().parents[2] / "auth" / "common-passwords.txt"

TOO_SHORT = f"Use at least {MIN_LENGTH} characters for your password."
TOO_LONG = f"Use at most {MAX_LENGTH} characters."
TOO_COMMON = "This is one of the most common passwords. Choose something less guessable."
TOO_REPETITIVE = "This password is too repetitive (like “aaaa…” or “1234…”). Mix it up."


@lru_cache(maxsize=1)
def common_passwords() -> frozenset[str]:
    return frozenset(
        line.strip().lower() for line in LIST_PATH.read_text().splitlines() if line.strip()
    )


def _is_sequence(text: str) -> bool:
    """Every character one step from the previous one, up or down (abcdef…, 987654…)."""
    steps = {ord(b) - ord(a) for a, b in zip(text, text[1:], strict=False)}
    return len(steps) == 1 and steps <= {1, -1}


def is_repetitive(password: str) -> bool:
    """Few distinct characters, one short block repeated, or a straight run."""
    text = password.lower()
    if len(set(text)) <= 2:
        return True
    for size in range(1, len(text) // 2 + 1):
        if len(text) % size == 0 and text[:size] * (len(text) // size) == text:
            return True
    return _is_sequence(text)


def is_common(password: str) -> bool:
    text = password.strip().lower()
    return text in common_passwords() or text.rstrip("0123456789!") in common_passwords()


def password_problem(password: str) -> str:
    """The first rule the password breaks, as a sentence for the form; "" when it passes."""
    password = password or ""
    if len(password) < MIN_LENGTH:
        return TOO_SHORT
    if len(password) > MAX_LENGTH:
        return TOO_LONG
    if is_repetitive(password):
        return TOO_REPETITIVE
    if is_common(password):
        return TOO_COMMON
    return ""

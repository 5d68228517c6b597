"""Counts read as words: "1 gig", "9 gigs", never "9 gig(s)" or "1 questions" (issue 23)."""

import ast
import re
from pathlib import Path

from marketplace.labels import plural
from marketplace.services.accounts.leaving import DeletionCheck
from marketplace.state.format import plural as format_plural

ROOT = Path(__file__).resolve().parents[2]
WORD_S = re.compile(r"[a-z]\(s\)")


def test_plural_writes_one_and_many():
    assert plural(1, "gig") == "1 gig"
    assert plural(9, "gig") == "9 gigs"
    assert plural(0, "question") == "0 questions"
    assert plural(1234, "service") == "1,234 services"
    assert plural(2, "reply", "replies") == "2 replies"
    assert format_plural is plural  # one helper for state, services and the command line


def test_the_deletion_refusal_counts_in_words():
    one = DeletionCheck(open_orders=1, money_held_cents=0).reason()
    five = DeletionCheck(open_orders=5, money_held_cents=0).reason()
    assert one.startswith("You have 1 open order. Finish or cancel it before")
    assert five.startswith("You have 5 open orders. Finish or cancel them before")


def strings_with_word_s(root: Path) -> set[tuple[str, str]]:
    """Every string literal (f-string pieces included, docstrings not) with a word(s)."""
    found = set()
    for path in sorted(
        [*(root / "marketplace").rglob("*.py"), *(root / "devservices").rglob("*.py")]
    ):
        name = str(path.relative_to(root))
        tree = ast.parse(path.read_text(), filename=name)
        docstrings = {
            id(node.value)
            for node in ast.walk(tree)
            if isinstance(node, ast.Expr) and isinstance(node.value, ast.Constant)
        }
        for node in ast.walk(tree):
            if (
                isinstance(node, ast.Constant)
                and isinstance(node.value, str)
                and id(node) not in docstrings
                and WORD_S.search(node.value)
            ):
                found.add((name, node.value))
    return found


def test_no_text_counts_with_word_s():
    assert strings_with_word_s(ROOT) == set()

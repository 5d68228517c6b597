"""The README's settings table stays true: every documented setting appears in it."""

from pathlib import Path

from marketplace.settings import DOCUMENTED

README = (Path(__file__).resolve().parents[2] / "README.md").read_text()


def test_readme_starts_with_the_two_commands():
    first_block = README.split("```sh", 1)[1].split("```", 1)[0]
    assert "make run" in first_block and "make test" in first_block


def test_every_setting_is_in_the_readme_table():
    missing = [name for name in DOCUMENTED if f"| `{name}` |" not in README]
    assert missing == []

"""Toasts appear in one place on every page: the app's toaster sets it, no toast overrides it.

(Some pages asked for top-centre, over the header's search box, and others got the default
bottom-right; a visitor saw them jump around.)"""

import ast
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]


def toast_calls_with_a_position(root: Path) -> list[str]:
    found = []
    for path in sorted((root / "marketplace").rglob("*.py")):
        for node in ast.walk(ast.parse(path.read_text(), filename=str(path))):
            if not isinstance(node, ast.Call):
                continue
            name = ast.unparse(node.func)
            is_toast = ".toast" in f".{name}" and not name.endswith(".provider")
            if is_toast and any(keyword.arg == "position" for keyword in node.keywords):
                found.append(f"{path.relative_to(root)}:{node.lineno} {name}")
    return found


def test_no_toast_chooses_its_own_position():
    assert toast_calls_with_a_position(ROOT) == []


def test_the_app_puts_every_toast_bottom_right():
    source = (ROOT / "marketplace" / "marketplace.py").read_text()
    assert 'toaster=rx.toast.provider(position="bottom-right")' in source


def test_the_check_sees_a_toast_with_its_own_position(tmp_path):
    state = tmp_path / "marketplace" / "state"
    state.mkdir(parents=True)
    (state / "probe.py").write_text(
        "import reflex as rx\n\ndef f():\n    return rx.toast.error('x', position='top-center')\n"
    )
    assert toast_calls_with_a_position(tmp_path) == ["marketplace/state/probe.py:4 rx.toast.error"]

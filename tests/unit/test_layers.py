"""Dependencies run one way: pages/components -> state -> services -> models/search/payments.

Read from the source (ast), imports inside functions included, so a new module that reaches
upwards fails here before it tangles the layers (docs/architecture.md draws them).
"""

import ast
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
UPPER = ("marketplace.pages", "marketplace.components")
ABOVE_SERVICES = ("reflex", "marketplace.state", *UPPER)
FORBIDDEN = {
    "marketplace/state": UPPER,
    "marketplace/services": ABOVE_SERVICES,
    "marketplace/models": (*ABOVE_SERVICES, "marketplace.services"),
    "marketplace/payments": (*ABOVE_SERVICES, "marketplace.services"),
    "marketplace/mail": (*ABOVE_SERVICES, "marketplace.services"),  # the mail gateway (issue 14)
    "search": ABOVE_SERVICES,
}


def imported_modules(root: Path, path: Path) -> list[tuple[int, str]]:
    package = ".".join(path.relative_to(root).with_suffix("").parts[:-1])
    found = []
    for node in ast.walk(ast.parse(path.read_text(), filename=str(path))):
        if isinstance(node, ast.Import):
            found += [(node.lineno, alias.name) for alias in node.names]
        elif isinstance(node, ast.ImportFrom):
            if node.level:  # relative: resolve against this module's package
                base = package.split(".")[: len(package.split(".")) - node.level + 1]
                module = ".".join([*base, *([node.module] if node.module else [])])
            else:
                module = node.module or ""
            found.append((node.lineno, module))
            found += [(node.lineno, f"{module}.{alias.name}") for alias in node.names]
    return found


def violations(folder: str, forbidden: tuple[str, ...], root: Path = ROOT) -> list[str]:
    wrong = []
    for path in sorted((root / folder).rglob("*.py")):
        for line, module in imported_modules(root, path):
            if any(module == bad or module.startswith(f"{bad}.") for bad in forbidden):
                wrong.append(f"{path.relative_to(root)}:{line} imports {module}")
    return wrong


@pytest.mark.parametrize("folder", sorted(FORBIDDEN))
def test_no_layer_imports_one_above_it(folder):
    assert violations(folder, FORBIDDEN[folder]) == []


def test_the_check_sees_an_upward_import(tmp_path):
    """The test above can fail: a state module importing components, even relatively."""
    state = tmp_path / "marketplace" / "state"
    state.mkdir(parents=True)
    (state / "probe.py").write_text(
        "import json\n\ndef f():\n    from marketplace.components import layout\n"
    )
    (state / "relative.py").write_text("from ..pages import routing\n")
    assert violations("marketplace/state", UPPER, root=tmp_path) == [
        "marketplace/state/probe.py:4 imports marketplace.components",
        "marketplace/state/probe.py:4 imports marketplace.components.layout",
        "marketplace/state/relative.py:1 imports marketplace.pages",
        "marketplace/state/relative.py:1 imports marketplace.pages.routing",
    ]

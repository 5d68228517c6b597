"""Dependencies run one way: pages/components -> state -> services -> models/search/payments.

Read from the source (ast), imports inside functions included, so a new module that reaches
upwards fails here before it tangles the layers (docs/architecture.md draws them). Three more
rules: `marketplace/auth/` (the HTTP routes for sessions and sign-in, beside Reflex) may use
services but nothing of Reflex's layers; no production module imports the demo seeder
(`marketplace/demo/`); and no two of the project's modules import each other, directly or round
a longer loop (a function-level import still counts: it only hides the loop until it runs).
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
    # Starlette routes for the session cookie, mail links and OpenID: services, never Reflex.
    "marketplace/auth": ABOVE_SERVICES,
}
DEMO = ("marketplace.demo",)
# Everything the running marketplace is made of: none of it may need the demo seeder (only the
# command line's `seed` and the tests use it).
PRODUCTION = (
    "marketplace/services",
    "marketplace/state",
    "marketplace/pages",
    "marketplace/components",
    "marketplace/payments",
    "marketplace/models",
    "marketplace/auth",
    "marketplace/mail",
    "search",
)
PROJECT = ("marketplace", "search")


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


@pytest.mark.parametrize("folder", PRODUCTION)
def test_nothing_in_production_imports_the_demo(folder):
    assert violations(folder, DEMO) == []


def test_the_check_sees_a_demo_import(tmp_path):
    services = tmp_path / "marketplace" / "services" / "orders"
    services.mkdir(parents=True)
    (services / "checkout.py").write_text(
        "def code():\n    from marketplace.demo.seed import ALPHABET\n    return ALPHABET\n"
    )
    assert violations("marketplace/services", DEMO, root=tmp_path) == [
        "marketplace/services/orders/checkout.py:2 imports marketplace.demo.seed",
        "marketplace/services/orders/checkout.py:2 imports marketplace.demo.seed.ALPHABET",
    ]


def test_the_check_sees_auth_importing_state(tmp_path):
    auth = tmp_path / "marketplace" / "auth"
    auth.mkdir(parents=True)
    (auth / "http.py").write_text("from marketplace.state.base import AppState\n")
    assert violations("marketplace/auth", FORBIDDEN["marketplace/auth"], root=tmp_path) == [
        "marketplace/auth/http.py:1 imports marketplace.state.base",
        "marketplace/auth/http.py:1 imports marketplace.state.base.AppState",
    ]


def module_name(root: Path, path: Path) -> str:
    parts = path.relative_to(root).with_suffix("").parts
    return ".".join(parts[:-1] if parts[-1] == "__init__" else parts)


def import_graph(root: Path = ROOT, tops: tuple[str, ...] = PROJECT) -> dict[str, set[str]]:
    """Each project module -> the project modules it imports (anywhere in the file). A name
    imported from a module (`from a.b import C`) counts as an import of `a.b`."""
    modules = {module_name(root, path): path for top in tops for path in (root / top).rglob("*.py")}
    graph = {}
    for name, path in modules.items():
        edges = set()
        for _, imported in imported_modules(root, path):
            while imported and imported not in modules:
                imported = imported.rpartition(".")[0]
            if imported and imported != name:
                edges.add(imported)
        graph[name] = edges
    return graph


def import_cycles(graph: dict[str, set[str]]) -> list[list[str]]:
    """The strongly connected groups of more than one module (Tarjan), each sorted."""
    index: dict[str, int] = {}
    low: dict[str, int] = {}
    stack: list[str] = []
    on_stack: set[str] = set()
    cycles: list[list[str]] = []

    def visit(node: str) -> None:
        index[node] = low[node] = len(index)
        stack.append(node)
        on_stack.add(node)
        for nxt in sorted(graph.get(node, ())):
            if nxt not in index:
                visit(nxt)
                low[node] = min(low[node], low[nxt])
            elif nxt in on_stack:
                low[node] = min(low[node], index[nxt])
        if low[node] == index[node]:
            group = []
            while True:
                member = stack.pop()
                on_stack.discard(member)
                group.append(member)
                if member == node:
                    break
            if len(group) > 1:
                cycles.append(sorted(group))

    for node in sorted(graph):
        if node not in index:
            visit(node)
    return sorted(cycles)


def test_no_import_cycles_between_the_projects_modules():
    assert import_cycles(import_graph()) == []


def test_the_check_sees_an_import_cycle_inside_a_function(tmp_path):
    """Like state/live.py and state/inbox.py before issue 23: a loop of three, one import of
    which hides in a function; a package's modules importing each other through it count."""
    state = tmp_path / "marketplace" / "state"
    state.mkdir(parents=True)
    (state / "__init__.py").write_text("")
    (state / "live.py").write_text("from marketplace.state.inbox import ConversationState\n")
    (state / "inbox.py").write_text("from marketplace.state import order\n")
    (state / "order.py").write_text("def push():\n    from marketplace.state.live import push\n")
    (state / "alone.py").write_text("from marketplace.state import inbox\n")
    assert import_cycles(import_graph(tmp_path, ("marketplace",))) == [
        ["marketplace.state.inbox", "marketplace.state.live", "marketplace.state.order"]
    ]

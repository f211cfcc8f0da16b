"""The work-order services form no import cycle and pass no private names between modules."""

import ast
from pathlib import Path

SERVICES = Path(__file__).resolve().parent.parent / "services"


def _imports() -> dict[str, set[str]]:
    """Module → sibling service modules it imports (at any depth of the file), and private names used."""
    graph: dict[str, set[str]] = {}
    for path in SERVICES.glob("*.py"):
        name = path.stem
        graph[name] = set()
        for node in ast.walk(ast.parse(path.read_text())):
            if isinstance(node, ast.ImportFrom) and node.level == 1:
                if node.module:
                    graph[name].add(node.module.split(".")[0])
                else:
                    graph[name].update(alias.name for alias in node.names)
    return graph


def _private_imports() -> list[str]:
    out = []
    for path in SERVICES.glob("*.py"):
        for node in ast.walk(ast.parse(path.read_text())):
            if isinstance(node, ast.ImportFrom) and node.level == 1:
                out += [f"{path.stem}: {alias.name}" for alias in node.names if alias.name.startswith("_")]
    return out


def _cycle(graph) -> list[str] | None:
    state: dict[str, int] = {}
    stack: list[str] = []

    def visit(n):
        state[n] = 1
        stack.append(n)
        for m in sorted(graph.get(n, ())):
            if m not in graph:
                continue
            if state.get(m) == 1:
                return stack[stack.index(m):] + [m]
            if m not in state and (found := visit(m)):
                return found
        stack.pop()
        state[n] = 2
        return None

    for n in sorted(graph):
        if n not in state and (found := visit(n)):
            return found
    return None


def test_work_order_services_import_each_other_without_a_cycle():
    assert _cycle(_imports()) is None


def test_no_private_name_crosses_a_service_module():
    assert _private_imports() == []


def _foreign_managers() -> list[str]:
    """``Model.objects`` uses in the services where the model is another app's (imported from kefu.<app>.models)."""
    out = []
    for path in sorted(SERVICES.glob("*.py")):
        tree = ast.parse(path.read_text())
        foreign = {alias.asname or alias.name for node in ast.walk(tree) if isinstance(node, ast.ImportFrom)
                   and node.level == 0 and (node.module or "").startswith("kefu.")
                   and (node.module or "").endswith(".models") and not node.module.startswith("kefu.workorders.")
                   for alias in node.names}
        out += [f"{path.stem}: {node.value.id}.objects" for node in ast.walk(tree)
                if isinstance(node, ast.Attribute) and node.attr == "objects"
                and isinstance(node.value, ast.Name) and node.value.id in foreign]
    return out


def test_services_read_other_apps_through_their_selectors():
    assert _foreign_managers() == []

"""Permission nodes declared in code.

Each app lists its nodes in ``<app>/permissions.py`` as ``NODES``: a list of
``(code, label)`` pairs. Codes are dotted: one part is a module, two parts a
function, three parts a button; the parent of ``a.b.c`` is ``a.b``. The tree is
synced to the database after every migrate (and by ``kefu manage
sync_permissions``) so grants can point at rows.
"""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class Node:
    code: str
    label: object  # lazy translated string
    position: int

    @property
    def parent_code(self) -> str | None:
        head, _, _tail = self.code.rpartition(".")
        return head or None

    @property
    def kind(self) -> str:
        return ("module", "function", "button")[min(self.code.count("."), 2)]


_nodes: dict[str, Node] = {}


def register(nodes) -> None:
    for code, label in nodes:
        if code in _nodes:
            continue
        parent = code.rpartition(".")[0]
        if parent and parent not in _nodes:
            raise ValueError(f"permission {code!r} declared before its parent {parent!r}")
        _nodes[code] = Node(code=code, label=label, position=len(_nodes))


def autodiscover() -> None:
    import importlib

    from django.apps import apps

    for config in apps.get_app_configs():
        if not config.name.startswith("kefu."):
            continue
        try:
            module = importlib.import_module(f"{config.name}.permissions")
        except ModuleNotFoundError as exc:
            if exc.name != f"{config.name}.permissions":
                raise
            continue
        register(getattr(module, "NODES", []))


def nodes() -> list[Node]:
    return sorted(_nodes.values(), key=lambda n: n.position)


def get(code: str) -> Node | None:
    return _nodes.get(code)


def is_controlled(code: str) -> bool:
    """A code nobody declared is not controlled (SPEC §1)."""
    return code in _nodes


def label(code: str) -> str:
    node = _nodes.get(code)
    return str(node.label) if node else code

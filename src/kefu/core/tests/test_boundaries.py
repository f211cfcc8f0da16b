"""The import contracts (pyproject.toml, [tool.importlinter]) hold, and the pure cores stay pure.

The same check runs as ``lint-imports`` in scripts/test; running it here too
keeps a broken boundary from hiding behind a skipped lint step.
"""

import ast
import pathlib

import pytest
from django.utils import translation

from kefu.core import lazytext

ROOT = pathlib.Path(__file__).resolve().parents[4]
SRC = ROOT / "src" / "kefu"
PURE_CORES = [SRC / "contactcenter" / "routing", SRC / "workorders" / "workflow.py", SRC / "ivr" / "flow.py",
              SRC / "core" / "lazytext.py"]


def test_import_contracts_are_kept(monkeypatch):
    cli = pytest.importorskip("importlinter.cli")
    monkeypatch.chdir(ROOT)
    assert cli.lint_imports(no_cache=True, no_logo=True) == 0, "run lint-imports to see the broken contract"


def _imports(path: pathlib.Path):
    for file in ([path] if path.is_file() else sorted(path.rglob("*.py"))):
        for node in ast.walk(ast.parse(file.read_text(encoding="utf-8"))):
            if isinstance(node, ast.Import):
                yield file, [a.name for a in node.names]
            elif isinstance(node, ast.ImportFrom) and node.level == 0 and node.module:
                yield file, [node.module]


@pytest.mark.parametrize("core", PURE_CORES, ids=lambda p: str(p.relative_to(SRC)))
def test_pure_cores_import_no_django(core):
    bad = [(f.name, m) for f, mods in _imports(core) for m in mods if m.split(".")[0] in ("django", "channels", "ninja")]
    assert bad == []


def test_pure_core_labels_follow_the_active_language():
    from kefu.ivr import flow

    label = flow.TYPE_LABELS["menu"]
    with translation.override("zh-hans"):
        assert str(label) == "菜单（按键）"
        assert f"{label}" == "菜单（按键）"
    with translation.override("en"):
        assert str(label) == "Menu (keys)"


def test_lazy_text_is_returned_as_written_without_a_translator(monkeypatch):
    monkeypatch.setattr(lazytext, "_translate", lazytext._as_written)
    text = lazytext.gettext_lazy("Hang up")
    assert str(text) == "Hang up" and text == "Hang up" and bool(text) and text + "!" == "Hang up!"
    assert lazytext.gettext("Menu (keys)") == "Menu (keys)"

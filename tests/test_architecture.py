"""The package layout tells the pipeline: no module imports one from a later stage, not even inside a function.

Stages in the order data flows (``docs/architecture.md``): foundation → sources → model → resolve → document →
writers → core → the packages on the core (batch, diffing, preview, publish, editing, importing) → api → cli.
A module may import its own stage and earlier ones. ``api`` is the front door above everything: nothing in the package
imports it but the CLI.
"""

from __future__ import annotations

import ast
from pathlib import Path

import pytest

from tests.conftest import ROOT

PACKAGE = ROOT / "generator"

STAGES: tuple[tuple[str, ...], ...] = (
    ("errors",),
    ("sources",),
    ("model",),
    ("resolve",),
    ("document", "language"),
    ("writers",),
    ("core",),
    ("batch", "diffing", "preview", "publish", "editing", "importing"),
    ("api",),
    ("cli", "cli_nl", "entry", "__main__", "__init__", "warm"),
)
RANK = {name: rank for rank, names in enumerate(STAGES) for name in names}


def _stage(module: str) -> str:
    parts = module.split(".")
    return parts[1] if len(parts) > 1 else "__init__"


def _module_name(path: Path) -> str:
    rel = path.relative_to(ROOT).with_suffix("")
    parts = list(rel.parts)
    if parts[-1] == "__init__" and len(parts) > 1:
        parts.pop()
        if len(parts) == 1:
            return "generator.__init__"
    return ".".join(parts)


def _imports(path: Path) -> list[tuple[str, bool]]:
    """(imported generator module, lazy?) for every import of ``path``; lazy = in a function or type-only."""
    tree = ast.parse(path.read_text(encoding="utf-8"))
    found: list[tuple[str, bool]] = []

    def visit(node: ast.AST, in_function: bool) -> None:
        for child in ast.iter_child_nodes(node):
            type_only = isinstance(child, ast.If) and ast.unparse(child.test).endswith("TYPE_CHECKING")
            nested = in_function or type_only or isinstance(child, ast.FunctionDef | ast.AsyncFunctionDef)
            if isinstance(child, ast.Import):
                found.extend((alias.name, in_function) for alias in child.names if alias.name.startswith("generator"))
            elif isinstance(child, ast.ImportFrom) and child.module and child.module.startswith("generator"):
                for alias in child.names:
                    candidate = f"{child.module}.{alias.name}"
                    is_module = (PACKAGE.parent / (candidate.replace(".", "/") + ".py")).is_file() or (
                        PACKAGE.parent / candidate.replace(".", "/")
                    ).is_dir()
                    found.append((candidate if is_module else child.module, in_function))
            visit(child, nested)

    visit(tree, False)
    return found


SOURCES = sorted(p for p in PACKAGE.rglob("*.py") if "templates" not in p.parts)


def test_every_module_belongs_to_a_stage() -> None:
    stages = {_stage(_module_name(p)) for p in SOURCES}
    assert stages <= set(RANK), f"modules outside every stage: {sorted(stages - set(RANK))}"


@pytest.mark.parametrize("path", SOURCES, ids=lambda p: p.relative_to(PACKAGE).as_posix())
def test_no_module_imports_a_later_stage(path: Path) -> None:
    importer = _stage(_module_name(path))
    for imported, _ in _imports(path):
        target = _stage(imported)
        if target == "__init__" or target == importer:
            continue
        assert RANK[target] <= RANK[importer], f"{_module_name(path)} imports {imported} (a later stage)"


def _graph() -> dict[str, set[str]]:
    """Module → the package modules it imports (at the top, in functions; not for type checking only)."""
    known = {_module_name(p) for p in SOURCES}
    graph: dict[str, set[str]] = {}
    for path in SOURCES:
        graph[_module_name(path)] = {m for m in _runtime_imports(path) if m in known and m != _module_name(path)}
    return graph


def _runtime_imports(path: Path) -> list[str]:
    tree = ast.parse(path.read_text(encoding="utf-8"))
    type_only = {
        id(node)
        for guard in ast.walk(tree)
        if isinstance(guard, ast.If) and ast.unparse(guard.test).endswith("TYPE_CHECKING")
        for node in ast.walk(guard)
    }
    found: list[str] = []
    for node in ast.walk(tree):
        if id(node) in type_only:
            continue
        if isinstance(node, ast.Import):
            found.extend(alias.name for alias in node.names)
        elif isinstance(node, ast.ImportFrom) and node.module and node.module.startswith("generator"):
            for alias in node.names:
                candidate = f"{node.module}.{alias.name}"
                file = PACKAGE.parent / candidate.replace(".", "/")
                found.append(candidate if file.with_suffix(".py").is_file() or file.is_dir() else node.module)
    return found


def _cycle(graph: dict[str, set[str]]) -> list[str]:
    """One import circle of ``graph`` (a list of modules, the first repeated at the end), or []."""
    state: dict[str, int] = {}
    stack: list[str] = []

    def visit(node: str) -> list[str]:
        state[node] = 1
        stack.append(node)
        for nxt in sorted(graph.get(node, ())):
            if state.get(nxt) == 1:
                return [*stack[stack.index(nxt) :], nxt]
            if nxt not in state and (found := visit(nxt)):
                return found
        stack.pop()
        state[node] = 2
        return []

    for start in sorted(graph):
        if start not in state and (found := visit(start)):
            return found
    return []


def test_the_import_graph_has_no_circle() -> None:
    assert _cycle(_graph()) == []


def test_the_circle_finder_finds_a_circle() -> None:
    assert _cycle({"a": {"b"}, "b": {"c"}, "c": {"a"}}) == ["a", "b", "c", "a"]
    assert _cycle({"a": {"b"}, "b": set()}) == []


def test_nothing_below_the_front_door_imports_it() -> None:
    importers = sorted(m for m, imported in _graph().items() if "generator.api" in imported)
    assert "generator.cli" in importers
    assert all(RANK[_stage(m)] > RANK["api"] for m in importers), importers  # the edge only: cli, warm


def test_the_cli_imports_only_the_front_door() -> None:
    imported = {module for module, _ in _imports(PACKAGE / "cli.py")}
    # cli_nl: its own helper; warm: the warm-build server, which runs this CLI for its clients (the edge, too)
    assert imported <= {"generator.api", "generator.errors", "generator.cli_nl", "generator.warm.server"}, imported


def test_the_checker_sees_a_back_pointing_import(tmp_path: Path) -> None:
    """The check itself can fail: a writer importing the batch package is caught."""
    fake = tmp_path / "mod.py"
    fake.write_text("from generator.batch import manifest\nimport generator.cli\n", encoding="utf-8")
    assert [m for m, _ in _imports(fake)] == ["generator.batch.manifest", "generator.cli"]
    assert RANK[_stage("generator.batch.manifest")] > RANK["writers"]

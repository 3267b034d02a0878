"""The package layout tells the pipeline: no module imports one from a later stage.

Stages in the order data flows (``docs/architecture.md``): foundation → sources → model → resolve → document →
writers → output → api → batch, diffing, preview, importing →
cli. A module may import its own stage and earlier ones. The
only forward references are the front door's dispatch: ``api.run_batch``/``api.compare``/``api.preview`` import
``batch``, ``diffing`` and ``preview`` inside the function, on use, so the CLI needs nothing but ``api``.
"""

from __future__ import annotations

import ast
from pathlib import Path

import pytest

from tests.conftest import ROOT

PACKAGE = ROOT / "generator"

STAGES: tuple[tuple[str, ...], ...] = (
    ("errors", "slugs", "layout", "dutch", "housestyle", "amounts", "dates", "characters"),
    ("sources", "limits"),
    ("model",),
    ("resolve",),
    ("document",),
    ("writers", "images"),
    ("output", "publish", "editing"),
    ("api", "schema", "scaffold"),
    ("batch", "diffing", "preview", "importing"),
    ("cli", "cli_nl", "entry", "__main__", "__init__"),
)
RANK = {name: rank for rank, names in enumerate(STAGES) for name in names}

#: (importer stage, imported stage): allowed forward, and only inside a function (or for type checking).
LAZY_DISPATCH = {("api", "batch"), ("api", "diffing"), ("api", "preview"), ("api", "importing")}


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
    for imported, in_function in _imports(path):
        target = _stage(imported)
        if target == "__init__" or target == importer:
            continue
        if (importer, target) in LAZY_DISPATCH and in_function:
            continue
        assert RANK[target] <= RANK[importer], f"{_module_name(path)} imports {imported} (a later stage)"


def test_the_cli_imports_only_the_front_door() -> None:
    imported = {module for module, _ in _imports(PACKAGE / "cli.py")}
    assert imported <= {"generator.api", "generator.errors", "generator.cli_nl"}, imported  # cli_nl: its own helper


def test_the_checker_sees_a_back_pointing_import(tmp_path: Path) -> None:
    """The check itself can fail: a writer importing the batch package is caught."""
    fake = tmp_path / "mod.py"
    fake.write_text("from generator.batch import manifest\nimport generator.cli\n", encoding="utf-8")
    assert [m for m, _ in _imports(fake)] == ["generator.batch.manifest", "generator.cli"]
    assert RANK[_stage("generator.batch.manifest")] > RANK["writers"]

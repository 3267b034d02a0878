"""Shared fixtures: a private copy of the example proposals, and a CLI runner that reports cleanly."""

from __future__ import annotations

import shutil
from collections.abc import Callable
from pathlib import Path

import pytest
from click.testing import CliRunner, Result

from generator.cli import main
from generator.writers.templatefiles import PACKAGE_TEMPLATES, Templates

ROOT = Path(__file__).resolve().parent.parent
PROPOSALS = ROOT / "proposals"
DOSSIER = "impuls-sociale-infrastructuur"
SEED = ROOT / "tests" / "data" / "referentie-leusden.txt"
#: What the CLI uses for this repository: its own templates/ (house styles) over the package's defaults.
TEMPLATES = Templates.for_project(ROOT)


def copy_templates(target: Path) -> Path:
    """One folder holding every template this repository uses (package defaults + project files)."""
    shutil.copytree(PACKAGE_TEMPLATES, target, ignore=shutil.ignore_patterns("__pycache__"))
    shutil.copytree(ROOT / "templates", target, dirs_exist_ok=True)
    return target


GEMEENTEN = ("amersfoort", "baarn", "bunschoten", "leusden", "nijkerk", "soest", "woudenberg")


@pytest.fixture
def proposals(tmp_path: Path) -> Path:
    """A writable copy of the project: proposals/ (tests edit it to provoke problems) and templates/."""
    target = tmp_path / "proposals"
    shutil.copytree(PROPOSALS, target)
    shutil.copytree(ROOT / "templates", tmp_path / "templates")
    return target


@pytest.fixture
def dossier(proposals: Path) -> Path:
    return proposals / DOSSIER


Invoke = Callable[..., Result]


@pytest.fixture
def cli() -> Invoke:
    def invoke(*args: str | Path) -> Result:
        return CliRunner().invoke(main, [str(a) for a in args], catch_exceptions=False)

    return invoke

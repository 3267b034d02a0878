"""Shared fixtures: a private copy of the example proposals, and a CLI runner that reports cleanly."""

from __future__ import annotations

import shutil
from collections.abc import Callable
from pathlib import Path

import pytest
from click.testing import CliRunner, Result

from generator.cli import main

ROOT = Path(__file__).resolve().parent.parent
PROPOSALS = ROOT / "proposals"
DOSSIER = "impuls-sociale-infrastructuur"
SEED = ROOT / "tests" / "data" / "referentie-leusden.txt"
GEMEENTEN = ("amersfoort", "baarn", "bunschoten", "leusden", "nijkerk", "soest", "woudenberg")


@pytest.fixture
def proposals(tmp_path: Path) -> Path:
    """A writable copy of proposals/ (tests edit it to provoke problems)."""
    target = tmp_path / "proposals"
    shutil.copytree(PROPOSALS, target)
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

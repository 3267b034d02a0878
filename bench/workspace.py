"""Temp folders for the benchmark: the example dossier, and a synthetic round built from it.

The synthetic round copies the example dossier under many names with a small change each (the subject gets a
number), so every document is distinct but about the size of a real proposal.
"""

from __future__ import annotations

import shutil
import subprocess
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
EXAMPLE = "impuls-sociale-infrastructuur"


def example_proposals(target: Path) -> Path:
    """``target/proposals`` with the register and the example dossier only, and the project's ``templates/``
    beside it (the municipalities' house styles), as ``make demo`` builds them."""
    proposals = target / "proposals"
    proposals.mkdir(parents=True)
    _project_templates(target)
    shutil.copy2(ROOT / "proposals" / "gemeenten.yaml", proposals / "gemeenten.yaml")
    shutil.copytree(ROOT / "proposals" / EXAMPLE, proposals / EXAMPLE)
    return proposals


def synthetic_round(target: Path, dossiers: int) -> Path:
    """``target/proposals`` with ``dossiers`` copies of the example, each with its own subject, and the project's
    ``templates/`` beside it."""
    proposals = target / "proposals"
    proposals.mkdir(parents=True)
    _project_templates(target)
    shutil.copy2(ROOT / "proposals" / "gemeenten.yaml", proposals / "gemeenten.yaml")
    source = ROOT / "proposals" / EXAMPLE
    text = (source / "voorstel.yaml").read_text(encoding="utf-8")
    for number in range(1, dossiers + 1):
        folder = proposals / f"ronde-{number:03d}"
        shutil.copytree(source, folder)
        changed = text.replace("onderwerp: ", f"onderwerp: Voorstel {number} over ", 1)
        (folder / "voorstel.yaml").write_text(changed, encoding="utf-8")
    return proposals


def _project_templates(target: Path) -> None:
    if (ROOT / "templates").is_dir():
        shutil.copytree(ROOT / "templates", target / "templates")


def docx_files(out: Path) -> list[Path]:
    return sorted(out.rglob("raadsvoorstel-*.docx"))


@contextmanager
def earlier_checkout(revision: str, folder: Path) -> Iterator[Path]:
    """``revision`` checked out (``git worktree``, detached) into ``folder`` for as long as the block runs; a
    benchmark runs it with this checkout's Python and ``PYTHONPATH`` pointing at it, so only the code differs."""
    subprocess.run(["git", "worktree", "add", "--detach", str(folder), revision], cwd=ROOT, check=True,
                   capture_output=True)  # fmt: skip
    try:
        yield folder
    finally:
        subprocess.run(["git", "worktree", "remove", "--force", str(folder)], cwd=ROOT, check=False)

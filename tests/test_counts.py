"""Counts agree: build, batch and status name the same number of places still to fill in, per municipality."""

from __future__ import annotations

import json
import re
import shutil
from pathlib import Path

from tests.conftest import PROPOSALS, ROOT, Invoke

ROUND = ROOT / "voorbeelden" / "raadsronde" / "proposals"


def _printed(output: str, prefix: str = "") -> dict[str, int]:
    """``<slug>: nog N plek(ken) in te vullen`` (or ``niets meer``) per municipality, as build and batch print it."""
    found: dict[str, int] = {}
    for line in output.splitlines():
        if m := re.fullmatch(rf"{prefix}([a-z-]+): nog (\d+) plek\(ken\) in te vullen \(INVULLEN\)", line):
            found[m.group(1)] = int(m.group(2))
        elif m := re.fullmatch(rf"{prefix}([a-z-]+): niets meer in te vullen", line):
            found[m.group(1)] = 0
    return found


def test_build_batch_and_status_give_the_same_count(tmp_path: Path, cli: Invoke) -> None:
    for source in (PROPOSALS, ROUND):
        proposals = tmp_path / source.parent.name / "proposals"
        shutil.copytree(source, proposals)
        dossier = next(p.parent for p in proposals.glob("*/voorstel.yaml"))
        built = cli("build", dossier, "-f", "txt", "--out", tmp_path / "out-build")
        assert built.exit_code == 0, built.output
        batch = cli("batch", proposals, "-f", "txt", "--jobs", "1", "--out", tmp_path / f"out-{source.parent.name}")
        assert batch.exit_code == 0, batch.output
        status = json.loads(cli("status", proposals, "--json").output)
        from_status = {row["gemeente"]: row["invullen"] for row in status}
        from_build = _printed(built.output)
        from_batch = _printed(batch.output, prefix=f"{dossier.name}/")
        assert from_build == from_batch == from_status, (from_build, from_batch, from_status)
        assert any(from_status.values())  # the comparison is about real numbers, not only zeros

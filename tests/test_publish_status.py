"""Publication follows the status: a delivery whose municipality went back is withdrawn, and the swap of a
delivery folder leaves the old or the new delivery whole, even when the process is killed in the middle."""

from __future__ import annotations

import hashlib
import json
import os
import re
import subprocess
import sys
from pathlib import Path

import pytest

from generator import api
from tests.conftest import ROOT, Invoke
from tests.test_diwoo import real_round

KILLING_PUBLISH = """
import os, signal, sys
from pathlib import Path
from generator import api, publish

real = publish.swap
def killing(staging, target):
    if sys.argv[3] == "voor":
        os.kill(os.getpid(), signal.SIGKILL)
    real(staging, target)
    os.kill(os.getpid(), signal.SIGKILL)
publish.swap = killing
api.publish(Path(sys.argv[1]), "eemdal", Path(sys.argv[2]))
"""


@pytest.fixture
def dossier(tmp_path: Path) -> Path:
    return real_round(tmp_path / "proposals")


def _back_to_concept(dossier: Path, slug: str) -> None:
    overlay = dossier / "gemeenten" / f"{slug}.yaml"
    text = re.sub(r"status: \w+\nhistorie:\n(  - .*\n)*", "", overlay.read_text(encoding="utf-8"))
    overlay.write_text(text + "status: concept\n", encoding="utf-8")


def _whole(folder: Path) -> dict[str, object]:
    """The delivery's index, after checking that the folder holds exactly the files it lists, unchanged."""
    index = json.loads((folder / "index.json").read_text(encoding="utf-8"))
    listed = {entry["bestand"]: entry["sha256"] for entry in index["bestanden"]}
    assert sorted(p.name for p in folder.iterdir()) == sorted([*listed, "index.json"])
    for name, digest in listed.items():
        assert hashlib.sha256((folder / name).read_bytes()).hexdigest() == digest, name
    return dict(index)


def test_a_municipality_that_went_back_has_its_delivery_withdrawn(dossier: Path, tmp_path: Path, cli: Invoke) -> None:
    out = tmp_path / "publicatie"
    rows = api.publish_round(dossier.parent, out)
    assert {(r.gemeente, r.folder is not None) for r in rows} >= {("eemdal", True), ("amerveld", True)}
    _back_to_concept(dossier, "amerveld")
    rows = api.publish_round(dossier.parent, out)
    amerveld = next(r for r in rows if r.gemeente == "amerveld")
    assert amerveld.folder is None and amerveld.skipped == "status concept; de eerdere levering is ingetrokken"
    assert not (out / "schuldhulp-eemland-amerveld").exists()
    assert sorted(p.name for p in out.iterdir()) == ["schuldhulp-eemland-eemdal"]  # nothing left beside it
    _whole(out / "schuldhulp-eemland-eemdal")
    # the single command too: it refuses the concept and says the old delivery is gone
    _back_to_concept(dossier, "eemdal")
    overlay = dossier / "gemeenten" / "eemdal.yaml"
    overlay.write_text(overlay.read_text(encoding="utf-8").split("amendementen:")[0], encoding="utf-8")
    result = cli("publish", dossier, "-g", "eemdal", "--out", out)
    assert result.exit_code == 1 and "de eerdere levering" in result.output and "ingetrokken" in result.output
    assert list(out.iterdir()) == []


@pytest.mark.parametrize("moment", ["voor", "na"])
def test_a_publish_killed_at_the_swap_leaves_a_whole_delivery(dossier: Path, tmp_path: Path, moment: str) -> None:
    out = tmp_path / "publicatie"
    target = api.publish(dossier, "eemdal", out)
    assert _whole(target)["agendapunt"] == "7"
    overlay = dossier / "gemeenten" / "eemdal.yaml"
    overlay.write_text(overlay.read_text(encoding="utf-8").replace('agendapunt: "7"', 'agendapunt: "8"'))
    env = {**os.environ, "PYTHONPATH": str(ROOT)}
    killed = subprocess.run(
        [sys.executable, "-c", KILLING_PUBLISH, str(dossier), str(out), moment], env=env, capture_output=True
    )
    assert killed.returncode == -9, killed.stderr.decode()
    expected = "7" if moment == "voor" else "8"  # killed before the swap: the old delivery; after: the new one
    assert _whole(target)["agendapunt"] == expected
    leftovers = [p.name for p in out.iterdir() if p.name != target.name]
    assert len(leftovers) == 1 and leftovers[0].startswith(".schuldhulp-eemland-eemdal.staging-")
    # the next run removes what the killed one left, and delivers
    api.publish(dossier, "eemdal", out)
    assert sorted(p.name for p in out.iterdir()) == [target.name]
    assert _whole(target)["agendapunt"] == "8"

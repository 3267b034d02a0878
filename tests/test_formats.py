"""Old dossiers keep working: a dossier written for the previous format gets one clear message, and
``bijwerken`` brings it to the current format with a minimal diff, shown first."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from generator import api
from tests.conftest import ROOT, Invoke

OLD = ROOT / "tests" / "data" / "oud-formaat" / "proposals"


@pytest.fixture
def old_dossier(tmp_path: Path) -> Path:
    shutil.copytree(OLD, tmp_path / "proposals")
    return tmp_path / "proposals" / "jeugdhulp-oud"


def test_an_old_dossier_gets_one_message_naming_what_to_add(old_dossier: Path, cli: Invoke) -> None:
    result = cli("validate", old_dossier)
    assert result.exit_code == 1
    errors = api.validate([old_dossier]).errors
    assert len(errors) == 1, errors  # not one "missing" per municipality
    message = str(errors[0])
    assert "jeugdhulp-oud/voorstel.yaml:1:" in message
    assert "eerdere versie (formaat 0, nu 1)" in message and "'gelet_op'" in message
    assert "raadsvoorstel bijwerken" in message


def test_bijwerken_shows_the_diff_first_and_writes_only_with_schrijf(old_dossier: Path, cli: Invoke) -> None:
    before = {p: p.read_bytes() for p in old_dossier.rglob("*.yaml")}
    shown = cli("bijwerken", old_dossier)
    assert shown.exit_code == 0, shown.output
    assert "+formaat: 1" in shown.output and "+gelet_op:" in shown.output and "--schrijf" in shown.output
    assert {p: p.read_bytes() for p in old_dossier.rglob("*.yaml")} == before  # nothing written yet
    written = cli("bijwerken", old_dossier, "--schrijf")
    assert written.exit_code == 0, written.output
    assert api.validate([old_dossier]).errors == ()
    # a minimal diff: every old line is still there, in order; only the new keys were added
    for path, old in before.items():
        new_lines = path.read_text(encoding="utf-8").splitlines()
        old_lines = old.decode("utf-8").splitlines()
        added = list(new_lines)
        for line in old_lines:
            added.remove(line)
        expected = {"formaat: 1"} | (
            {"gelet_op:", "  - 'INVULLEN: wettelijke grondslag, bijvoorbeeld artikel 108 van de Gemeentewet'"}
            if path.name == "voorstel.yaml"
            else set()
        )
        assert set(added) == expected, (path.name, added)
    again = cli("bijwerken", old_dossier)
    assert again.exit_code == 0 and "heeft al het huidige formaat" in again.output


def test_new_writes_the_current_format(tmp_path: Path, cli: Invoke) -> None:
    shutil.copy(OLD / "gemeenten.yaml", tmp_path / "gemeenten.yaml")
    assert cli("new", tmp_path / "nieuw", "-g", "eemdal").exit_code == 0
    for path in (tmp_path / "nieuw" / "voorstel.yaml", tmp_path / "nieuw" / "gemeenten" / "eemdal.yaml"):
        assert "\nformaat: 1\n" in path.read_text(encoding="utf-8")
    assert "heeft al het huidige formaat" in cli("bijwerken", tmp_path / "nieuw").output


def test_a_newer_format_is_refused_by_name(old_dossier: Path) -> None:
    voorstel = old_dossier / "voorstel.yaml"
    voorstel.write_text("formaat: 2\n" + voorstel.read_text(encoding="utf-8"), encoding="utf-8")
    errors = [str(e) for e in api.validate([old_dossier]).errors]
    assert any("voorstel.yaml:1:" in e and "formaat 2 kent deze versie van raadsvoorstel niet" in e for e in errors)

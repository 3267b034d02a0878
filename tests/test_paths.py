"""Paths stay where they belong, names print safely, validate reports everything (issue 15, class 5)."""

from __future__ import annotations

from pathlib import Path

from tests.conftest import DOSSIER, Invoke
from tests.test_cli_validate import line_of


def test_overlay_linked_to_a_file_outside_the_project_is_refused(
    proposals: Path, tmp_path: Path, cli: Invoke
) -> None:
    secret = tmp_path / "geheim.yaml"
    secret.write_text("waarden:\n  overheveling_via: GEHEIM-UIT-ANDERE-MAP\n", encoding="utf-8")
    overlay = proposals / DOSSIER / "gemeenten" / "leusden.yaml"
    overlay.unlink()
    overlay.symlink_to(secret)
    result = cli("validate", proposals / DOSSIER)
    assert result.exit_code == 1
    assert "leusden.yaml" in result.output and "koppeling naar een bestand buiten de map" in result.output
    dump = cli("dump", proposals / DOSSIER, "-g", "leusden")
    assert dump.exit_code == 1 and "GEHEIM" not in dump.output


def test_link_inside_the_project_still_works(proposals: Path, cli: Invoke) -> None:
    overlay = proposals / DOSSIER / "gemeenten" / "leusden.yaml"
    kept = proposals / "gedeeld-leusden.yaml"
    overlay.rename(kept)
    overlay.symlink_to(kept)
    assert cli("validate", proposals / DOSSIER).exit_code == 0


def test_output_folder_linked_out_of_out_fails_the_batch_with_a_message(
    proposals: Path, tmp_path: Path, cli: Invoke
) -> None:
    """It used to skip those documents silently and exit 0."""
    out, elsewhere = tmp_path / "out", tmp_path / "elders"
    (out / DOSSIER).mkdir(parents=True)
    elsewhere.mkdir()
    (out / DOSSIER / "leusden").symlink_to(elsewhere)
    result = cli("batch", proposals, "--out", out, "-f", "txt")
    assert result.exit_code == 1
    assert "ligt buiten de uitvoermap" in result.output
    assert "mislukt" in result.output and "interne fout" not in result.output
    assert list(elsewhere.iterdir()) == []
    assert len(list(out.rglob("raadsvoorstel-*.txt"))) == 6  # the other municipalities are built


def test_names_with_terminal_escapes_are_printed_escaped(proposals: Path, tmp_path: Path, cli: Invoke) -> None:
    """A folder named to clear the screen and set the window title must not reach the terminal as such."""
    evil = proposals / "x\x1b[2J\x1b]0;gekaapt\x07"
    (proposals / DOSSIER).rename(evil)
    for args in (("validate", evil), ("batch", proposals, "--out", tmp_path / "out", "-f", "txt")):
        result = cli(*args)
        assert result.exit_code == 1
        assert "\x1b" not in result.output and "\x07" not in result.output
        assert "\\x1b[2J" in result.output


def test_validate_reports_the_problems_of_every_file_at_once(proposals: Path, cli: Invoke) -> None:
    """A broken register or overlay no longer hides the problems of the dossier's own text."""
    registry = proposals / "gemeenten.yaml"
    registry.write_text(registry.read_text(encoding="utf-8").replace('"#C8102E"', '"rood"'), encoding="utf-8")
    voorstel = proposals / DOSSIER / "voorstel.yaml"
    text = voorstel.read_text(encoding="utf-8")
    voorstel.write_text(text.replace("gemeenten {{ deelnemers }}", "gemeenten {{ deelnemerz }}", 1), encoding="utf-8")
    soest = proposals / DOSSIER / "gemeenten" / "soest.yaml"
    soest.write_text(soest.read_text(encoding="utf-8") + "kapot: [\n", encoding="utf-8")
    result = cli("validate", proposals / DOSSIER)
    assert result.exit_code == 1
    assert f"gemeenten.yaml:{line_of(registry, 'rood')}" in result.output
    assert f"voorstel.yaml:{line_of(voorstel, 'deelnemerz')}" in result.output
    assert "soest.yaml" in result.output and "ongeldige YAML" in result.output
    assert "3 fout(en)" in result.output


def test_a_named_pipe_as_data_file_does_not_hang_validate_or_batch(
    proposals: Path, tmp_path: Path, cli: Invoke
) -> None:
    """Reading a FIFO blocks until someone writes to it: the batch's planning used to wait for ever."""
    import os

    voorstel = proposals / DOSSIER / "voorstel.yaml"
    voorstel.unlink()
    os.mkfifo(voorstel)
    assert cli("validate", proposals / DOSSIER).exit_code == 1
    result = cli("batch", proposals, "--out", tmp_path / "out", "-f", "txt")
    assert result.exit_code == 1 and "interne fout" not in result.output

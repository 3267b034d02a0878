"""Every failure is a Dutch message with exit code 1 or 2, never "interne fout" (issue 15, class 2).

Each case is one that used to end in exit code 3 with a Python exception name; the tests run the real command
(in-process through click, or as a subprocess where a closed pipe or a real device matters).
"""

from __future__ import annotations

import errno
import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

from generator.batch.lock import LOCK_NAME
from generator.batch.manifest import MANIFEST_NAME
from tests.conftest import DOSSIER, ROOT, Invoke, tiny_png


def _assert_message(result_output: str, code: int, expected_code: int, needle: str) -> None:
    assert code == expected_code, result_output
    assert needle in result_output, result_output
    assert "interne fout" not in result_output and "Traceback" not in result_output


# --- the output folder: read-only, full ----------------------------------------------------------------------


def test_batch_into_a_read_only_folder_says_so(
    proposals: Path, tmp_path: Path, cli: Invoke, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The lock file cannot be created (EROFS: a read-only mount; root ignores chmod, so the error is injected)."""
    real_open = os.open

    def read_only(path: object, flags: int, *args: object) -> int:
        if str(path).endswith(LOCK_NAME):
            raise OSError(errno.EROFS, os.strerror(errno.EROFS), str(path))
        return real_open(path, flags, *args)  # type: ignore[arg-type]

    monkeypatch.setattr(os, "open", read_only)
    result = cli("batch", proposals, "--out", tmp_path / "out", "-f", "txt")
    _assert_message(result.output, result.exit_code, 1, "alleen-lezen")


def test_batch_when_the_disk_is_full_says_so(
    proposals: Path, tmp_path: Path, cli: Invoke, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The lock's details cannot be written (ENOSPC, injected: a full disk cannot be made in a test)."""

    def full(*_args: object) -> int:
        raise OSError(errno.ENOSPC, os.strerror(errno.ENOSPC))

    monkeypatch.setattr(os, "pwrite", full)
    result = cli("batch", proposals, "--out", tmp_path / "out", "-f", "txt")
    _assert_message(result.output, result.exit_code, 1, "kon het slot")
    assert "de schijf is vol" in result.output


def test_a_lock_file_that_links_elsewhere_is_not_written_through(
    proposals: Path, tmp_path: Path, cli: Invoke
) -> None:
    victim = tmp_path / "belangrijk.txt"
    victim.write_text("niet overschrijven", encoding="utf-8")
    out = tmp_path / "out"
    out.mkdir()
    (out / LOCK_NAME).symlink_to(victim)
    result = cli("batch", proposals, "--out", out, "-f", "txt")
    _assert_message(result.output, result.exit_code, 1, "is een koppeling naar een ander bestand")
    assert victim.read_text(encoding="utf-8") == "niet overschrijven"


def test_batch_into_a_folder_below_a_file_says_so(proposals: Path, tmp_path: Path, cli: Invoke) -> None:
    (tmp_path / "bestand").write_text("x", encoding="utf-8")
    result = cli("batch", proposals, "--out", tmp_path / "bestand" / "out", "-f", "txt")
    _assert_message(result.output, result.exit_code, 1, "een deel van het pad is een bestand")


@pytest.mark.parametrize(
    "manifest",
    [
        '{"format": "raadsvoorstel-manifest/1", "outputs": {"a/b/c.txt": {"dossier": "a", "gemeente": "b", '
        '"format": "txt", "inputs": {}, "sha256": "x", "size": 1e400, "input_sha256": "y"}}}',
        "[" * 200_000 + "]" * 200_000,
    ],
    ids=["size-1e400", "nested-200000"],
)
def test_absurd_manifest_is_treated_as_damaged(proposals: Path, tmp_path: Path, cli: Invoke, manifest: str) -> None:
    out = tmp_path / "out"
    out.mkdir()
    (out / MANIFEST_NAME).write_text(manifest, encoding="utf-8")
    result = cli("batch", proposals, "--out", out, "-f", "txt")
    _assert_message(result.output, result.exit_code, 0, "manifest.json was onleesbaar")
    assert json.loads((out / MANIFEST_NAME).read_text(encoding="utf-8"))["outputs"]


# --- broken pipes ---------------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    "args",
    [
        ["sjablonen", "proposals"],  # every command goes through the same handler: one that lists,
        ["dump", f"proposals/{DOSSIER}", "-g", "leusden"],  # one that prints a document,
        ["batch", "proposals", "-f", "txt", "--out", "{out}"],  # and one that reports progress
    ],
    ids=lambda a: a[0],
)
def test_output_into_a_closed_pipe_is_a_message_not_a_crash(tmp_path: Path, args: list[str]) -> None:
    """``raadsvoorstel … | head -1``: the reader is gone before the command writes (the worst moment)."""
    read, write = os.pipe()
    os.close(read)
    command = [sys.executable, "-m", "generator", *(a.format(out=tmp_path / "out") for a in args)]
    try:
        done = subprocess.run(command, cwd=ROOT, stdout=write, stderr=subprocess.PIPE, text=True, check=False)
    finally:
        os.close(write)
    _assert_message(done.stderr, done.returncode, 1, "afgebroken: de uitvoer ging naar een pijp")
    assert "Exception ignored" not in done.stderr


# --- new, diff ------------------------------------------------------------------------------------------------


def test_new_onto_a_dangling_symlink_says_it_exists(proposals: Path, cli: Invoke) -> None:
    (proposals / "nieuw-dossier").symlink_to(proposals / "nergens")
    result = cli("new", proposals / "nieuw-dossier")
    _assert_message(result.output, result.exit_code, 2, "bestaat al")


def test_new_below_a_file_says_so(proposals: Path, cli: Invoke) -> None:
    result = cli("new", proposals / "gemeenten.yaml" / "nieuw-dossier")
    _assert_message(result.output, result.exit_code, 1, "een deel van het pad is een bestand")


def test_diff_author_with_control_characters_is_refused(proposals: Path, tmp_path: Path, cli: Invoke) -> None:
    dossier = proposals / DOSSIER
    result = cli("diff", dossier, "-g", "leusden", "-t", "baarn", "-f", "docx", "-o", tmp_path / "d.docx",
                 "--auteur", "Griffie\x1b[2J\x07")  # fmt: skip
    _assert_message(result.output, result.exit_code, 2, "--auteur bevat tekens")
    assert not (tmp_path / "d.docx").exists()


# --- images ---------------------------------------------------------------------------------------------------


def _with_logo(proposals: Path, name: str, data: bytes) -> int:
    """Give Leusden a logo; returns the line of ``huisstijl`` in gemeenten.yaml."""
    registry = proposals / "gemeenten.yaml"
    lines = registry.read_text(encoding="utf-8").splitlines()
    number = next(i for i, line in enumerate(lines) if '"#00626F"' in line)
    lines[number] = lines[number].replace('"#00626F"}', f'"#00626F", logo: {name}}}')
    registry.write_text("\n".join(lines) + "\n", encoding="utf-8")
    target = proposals.parent / "templates" / "gemeenten" / "leusden" / name
    target.parent.mkdir(parents=True, exist_ok=True)
    target.write_bytes(data)
    return number + 1


@pytest.mark.parametrize(
    ("name", "data", "message"),
    [
        ("logo.svg", b'<svg xmlns="http://www.w3.org/2000/svg" width="1" height="1"/>', "svg-logo kan Word niet"),
        ("logo.png", tiny_png()[:-24], "beschadigd of onvolledig"),
        ("logo.png", b"GIF89a" + b"\0" * 40, "geen afbeelding die te lezen is"),
        ("logo.jpg", tiny_png(), "verkeerde extensie"),
    ],
    ids=["svg", "truncated-png", "not-an-image", "png-named-jpg"],
)
def test_unusable_logo_is_a_located_problem_in_validate_and_batch(
    proposals: Path, tmp_path: Path, cli: Invoke, name: str, data: bytes, message: str
) -> None:
    line = _with_logo(proposals, name, data)
    result = cli("validate", proposals / DOSSIER)
    _assert_message(result.output, result.exit_code, 1, message)
    assert f"gemeenten.yaml:{line}" in result.output
    batch = cli("batch", proposals, "--out", tmp_path / "out", "-f", "docx")
    _assert_message(batch.output, batch.exit_code, 1, message)


def test_good_logo_still_validates_and_builds(proposals: Path, tmp_path: Path, cli: Invoke) -> None:
    _with_logo(proposals, "logo.png", tiny_png())
    assert cli("validate", proposals / DOSSIER).exit_code == 0
    result = cli("build", proposals / DOSSIER, "-g", "leusden", "-f", "docx", "--out", tmp_path / "out")
    assert result.exit_code == 0, result.output

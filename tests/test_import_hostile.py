"""Bad input to ``raadsvoorstel import``: a Dutch message, exit code 1, nothing written, never a traceback."""

from __future__ import annotations

import io
import shutil
import zipfile
from collections.abc import Callable
from pathlib import Path

import pytest

from generator import api
from generator.importing import package
from generator.writers import WriterOptions, get_writer
from tests.conftest import DOSSIER, PROPOSALS, Invoke


@pytest.fixture
def setup(tmp_path: Path) -> tuple[Path, bytes]:
    """A copy of the example dossier and a real DOCX of it (for the tests that damage one)."""
    shutil.copytree(PROPOSALS, tmp_path / "proposals")
    folder = tmp_path / "proposals" / DOSSIER
    document = api.documents(folder, ["leusden"])["leusden"]
    data = get_writer("docx")(document, WriterOptions(templates=api.templates_for(folder)))
    assert isinstance(data, bytes)
    return folder, data


def _rezip(data: bytes, change: Callable[[str, bytes], bytes | None], extra: dict[str, bytes] | None = None) -> bytes:
    out = io.BytesIO()
    with zipfile.ZipFile(io.BytesIO(data)) as source, zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as target:
        for name in source.namelist():
            blob = change(name, source.read(name))
            if blob is not None:
                target.writestr(name, blob)
        for name, blob in (extra or {}).items():
            target.writestr(name, blob)
    return out.getvalue()


def _macro(name: str, blob: bytes) -> bytes:
    if name == "[Content_Types].xml":
        return blob.replace(b"wordprocessingml.document.main+xml", b"ms-word.document.macroEnabled.main+xml")
    return blob


def _entities(name: str, blob: bytes) -> bytes:
    if name == "word/document.xml":
        head = b'<?xml version="1.0"?>\n<!DOCTYPE w [<!ENTITY a "aaaaaaaaaa"><!ENTITY b "&a;&a;&a;&a;&a;">]>\n'
        return head + blob[blob.index(b"<w:document") :]
    return blob


CASES: dict[str, tuple[Callable[[bytes], bytes], str]] = {
    "geen-docx": (lambda _: b"Dit is gewoon tekst, geen Word-bestand.\n", "geen Word-bestand"),
    "beschadigd": (lambda data: data[: len(data) // 2], "geen Word-bestand"),
    "versleuteld": (lambda _: b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + bytes(4096), "wachtwoord"),
    "macro": (lambda data: _rezip(data, _macro), "macro"),
    "zip-bom": (lambda data: _rezip(data, lambda n, b: b, {"word/media/bom.xml": bytes(20_000_000)}), "zip-bom"),
    "entiteiten": (lambda data: _rezip(data, _entities), "DOCTYPE"),
    "kapot-onderdeel": (lambda data: _rezip(data, lambda n, b: b[:200] if n == "word/document.xml" else b),
                        "beschadigd"),
}  # fmt: skip


@pytest.mark.parametrize("case", list(CASES))
def test_bad_files_are_refused_in_dutch_and_nothing_is_written(
    setup: tuple[Path, bytes], tmp_path: Path, cli: Invoke, case: str
) -> None:
    folder, data = setup
    make, message = CASES[case]
    bad = tmp_path / f"{case}.docx"
    bad.write_bytes(make(data))
    before = {p: p.read_bytes() for p in folder.rglob("*.yaml")}
    result = cli("import", str(bad), "--dossier", str(folder), "--schrijf")
    assert result.exit_code == 1, result.output
    assert message in result.output
    assert "Traceback" not in result.output and "interne fout" not in result.output
    assert {p: p.read_bytes() for p in folder.rglob("*.yaml")} == before


def test_a_file_over_the_size_limit(setup: tuple[Path, bytes], tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    _, data = setup
    path = tmp_path / "groot.docx"
    path.write_bytes(data)
    monkeypatch.setattr(package, "MAX_FILE", len(data) - 1)
    with pytest.raises(package.ImportError_, match="hooguit"):
        package.open_docx(path)


def test_a_missing_file(tmp_path: Path, cli: Invoke) -> None:
    result = cli("import", str(tmp_path / "er-niet.docx"))
    assert result.exit_code == 1
    assert "kan het bestand niet lezen" in result.output

"""Tests that each kill a deliberate breakage ("hand mutation") that once left the whole suite green.

One test (or a pair) per promise, named for it; each was checked by breaking the code by hand and watching
the test fail (see the report of issue 13):

- atomic writes: a plain write instead of temp file + rename → ``test_write_atomic_replaces_the_old_file_only_
  when_the_new_one_is_whole``, ``test_write_atomic_keeps_the_old_file_when_writing_fails_halfway``;
- the temp file kept after a failure → ``test_write_atomic_removes_its_temp_file_when_writing_fails_halfway``,
  ``test_write_atomic_removes_its_temp_file_when_the_rename_fails``,
  ``test_write_atomic_removes_its_temp_file_on_an_interrupt``;
- the generator's own source left out of the manifest → ``test_editing_a_module_a_document_passes_through_
  rebuilds_it``;
- paragraph formatting not tracked in the redline → ``test_redline_tracks_a_paragraph_formatting_change``;
- placeholders not highlighted → ``test_placeholders_are_highlighted_in_docx_html_and_pdf``;
- no warning for an unfilled signatory → ``test_unfilled_signatory_is_a_warning_at_its_registry_line``;
- no warning for an unfilled meeting date → ``test_unfilled_meeting_dates_are_warnings_at_their_lines``;
- a duplicate Global Goal accepted → ``test_duplicate_global_goal_is_an_error_at_its_line``.
"""

from __future__ import annotations

import dataclasses
import errno
import io
import json
import os
import re
import shutil
import subprocess
from collections.abc import Callable
from pathlib import Path
from typing import Any

import docx
import pikepdf
import pytest
from docx.enum.text import WD_COLOR_INDEX
from lxml import etree

from generator import api
from generator.batch import manifest as manifest_module
from generator.batch.manifest import MANIFEST_NAME, InputHasher
from generator.core.output import TEMP_PREFIX, write_atomic
from generator.diffing import diff_documents
from generator.diffing.docx_tracked import render as render_redline
from generator.document.nodes import Document, Paragraph, SubHeading
from generator.errors import DataError, OutputError
from generator.writers import WriterOptions, get_writer
from tests.conftest import DOSSIER, GEMEENTEN, PROPOSALS, TEMPLATES, Invoke
from tests.ir_sample import sample_document

W = "http://schemas.openxmlformats.org/wordprocessingml/2006/main"
NS = {"w": W}


def _temp_files(folder: Path) -> list[Path]:
    return sorted(folder.glob(f"{TEMP_PREFIX}*"))


def _edit(path: Path, old: str, new: str) -> None:
    text = path.read_text(encoding="utf-8")
    assert text.count(old) == 1, old
    path.write_text(text.replace(old, new), encoding="utf-8")


def _line_of(path: Path, needle: str) -> int:
    lines = path.read_text(encoding="utf-8").splitlines()
    [number] = [n for n, line in enumerate(lines, start=1) if needle in line]
    return number


# --- atomic writes (generator/core/output.py) ----------------------------------------------------------------------

OLD = b"%PDF-1.7 the previous good file\n"
NEW = b"%PDF-1.7 " + b"the new file, much longer " * 4096 + b"\n"


def test_write_atomic_replaces_the_old_file_only_when_the_new_one_is_whole(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The moment the new file appears is one rename, from a temp file in the same folder (same file system,
    so the rename is atomic) that already holds every byte; until then a reader sees the old file."""
    target = tmp_path / "raadsvoorstel.pdf"
    target.write_bytes(OLD)
    renames: list[tuple[Path, Path]] = []
    real_replace = os.replace

    def spy(src: Any, dst: Any) -> None:
        source, destination = Path(src), Path(dst)
        renames.append((source, destination))
        assert destination == target
        assert source.parent == target.parent and source.name.startswith(TEMP_PREFIX)
        assert source.read_bytes() == NEW  # complete (and flushed) before it is renamed
        assert target.read_bytes() == OLD  # a reader still sees the old file
        real_replace(src, dst)

    monkeypatch.setattr(os, "replace", spy)
    write_atomic(target, NEW)
    assert renames, "write_atomic did not rename a temp file onto the target"
    assert target.read_bytes() == NEW
    assert oct(target.stat().st_mode & 0o777) == oct(0o644)
    assert _temp_files(tmp_path) == []


def _disk_full(fd: int) -> None:
    raise OSError(errno.ENOSPC, os.strerror(errno.ENOSPC))


def test_write_atomic_keeps_the_old_file_when_writing_fails_halfway(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """A disk that fills up while the new file is written (fsync fails): the old file is still there, whole."""
    target = tmp_path / "raadsvoorstel.pdf"
    target.write_bytes(OLD)
    monkeypatch.setattr(os, "fsync", _disk_full)
    with pytest.raises(OutputError, match=r"kon .*raadsvoorstel\.pdf niet schrijven"):
        write_atomic(target, NEW)
    assert target.read_bytes() == OLD


def test_write_atomic_removes_its_temp_file_when_writing_fails_halfway(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    target = tmp_path / "sub" / "raadsvoorstel.pdf"
    monkeypatch.setattr(os, "fsync", _disk_full)
    with pytest.raises(OutputError):
        write_atomic(target, NEW)
    assert target.parent.is_dir()  # the failure came after the temp file was made
    assert list(target.parent.iterdir()) == []


def test_write_atomic_removes_its_temp_file_when_the_rename_fails(tmp_path: Path) -> None:
    """A real failure, no patching: the target is a folder, so the final rename is refused by the OS."""
    target = tmp_path / "raadsvoorstel.pdf"
    target.mkdir()
    (target / "iets").write_text("x", encoding="utf-8")
    with pytest.raises(OutputError, match="niet schrijven"):
        write_atomic(target, NEW)
    assert _temp_files(tmp_path) == []
    assert (target / "iets").read_text(encoding="utf-8") == "x"


def test_write_atomic_removes_its_temp_file_on_an_interrupt(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """Ctrl-C in the middle of a write: no temp file left behind, the old file kept, the interrupt goes on."""
    target = tmp_path / "raadsvoorstel.pdf"
    target.write_bytes(OLD)

    def interrupted(fd: int) -> None:
        raise KeyboardInterrupt

    monkeypatch.setattr(os, "fsync", interrupted)
    with pytest.raises(KeyboardInterrupt):
        write_atomic(target, NEW)
    assert target.read_bytes() == OLD
    assert _temp_files(tmp_path) == []


# --- the manifest hashes the generator's own source (generator/batch/manifest.py) --------------------------------


def test_editing_a_module_a_document_passes_through_rebuilds_it(
    proposals: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """A fix in the builder must rebuild every document; an edit of the CLI or of another format's writer must
    not rebuild a whole council round. Measured on a private copy of the package's source."""
    source = tmp_path / "generator"
    shutil.copytree(manifest_module.GENERATOR_DIR, source, ignore=shutil.ignore_patterns("__pycache__"))
    monkeypatch.setattr(manifest_module, "GENERATOR_DIR", source)

    def identity(fmt: str) -> str:
        return InputHasher(proposals, TEMPLATES).generator(fmt)

    def append(rel: str) -> None:
        with (source / rel).open("a", encoding="utf-8") as handle:
            handle.write("\n# edited\n")

    before = {fmt: identity(fmt) for fmt in ("txt", "docx")}
    append("writers/docx/_blocks.py")
    assert identity("docx") != before["docx"]
    assert identity("txt") == before["txt"]
    append("cli.py")
    assert identity("txt") == before["txt"]

    out = tmp_path / "out"
    first = api.run_batch(proposals, out, ["txt"], jobs=1)
    assert (first.built, first.failed) == (2 * len(GEMEENTEN), 0)  # raadsvoorstel and raadsbesluit
    recorded = _manifest_inputs(out)
    assert {inputs["generator:txt"] for inputs in recorded} == {before["txt"]}

    append("document/build.py")  # every document passes through the builder
    changed = identity("txt")
    assert changed != before["txt"]
    second = api.run_batch(proposals, out, ["txt"], jobs=1)
    assert (second.built, second.skipped) == (2 * len(GEMEENTEN), 0)
    assert {inputs["generator:txt"] for inputs in _manifest_inputs(out)} == {changed}


def _manifest_inputs(out: Path) -> list[dict[str, str]]:
    data = json.loads((out / MANIFEST_NAME).read_text(encoding="utf-8"))
    return [entry["inputs"] for entry in data["outputs"].values()]


# --- the redline tracks paragraph formatting (generator/diffing/docx_tracked.py, _runs.py) ----------------------


def _paragraph_by_text(root: etree._Element, text: str) -> etree._Element:
    found = [p for p in root.iter(f"{{{W}}}p") if "".join(p.xpath(".//w:t/text()", namespaces=NS)) == text]
    assert len(found) == 1, text
    return found[0]


def _formatting(ppr: etree._Element | None) -> list[bytes]:
    """Paragraph formatting proper: ``w:pPr`` without the mark's run properties and revision data."""
    if ppr is None:
        return []
    skipped = {f"{{{W}}}{tag}" for tag in ("rPr", "sectPr", "pPrChange")}
    return [etree.tostring(c, method="c14n") for c in ppr if c.tag not in skipped]


def _document_xml(data: bytes) -> etree._Element:
    return etree.fromstring(docx.Document(io.BytesIO(data)).part.blob)


def test_redline_tracks_a_paragraph_formatting_change() -> None:
    """Same words, other paragraph formatting (a paragraph became a subheading and one the other way round):
    the redline keeps NEW's formatting and holds OLD's in ``w:pPrChange``, so "reject" restores it."""
    old = sample_document()
    first = old.sections[0]
    intro, heading = first.blocks[0], first.blocks[2]
    assert isinstance(intro, Paragraph) and isinstance(heading, SubHeading)
    swapped = (SubHeading(intro.inlines), first.blocks[1], Paragraph(heading.inlines), *first.blocks[3:])
    new = dataclasses.replace(old, sections=(dataclasses.replace(first, blocks=swapped), *old.sections[1:]))
    redline = _document_xml(render_redline(diff_documents(old, new)))
    plain_old, plain_new = (_document_xml(_docx(doc)) for doc in (old, new))

    for text in ("Onze gemeente staat voor drie grote uitdagingen:", "Opgave ‘Impuls sociale infrastructuur’"):
        merged = _paragraph_by_text(redline, text)
        assert not merged.xpath(".//w:ins | .//w:del", namespaces=NS), "only the formatting changed"
        changes = merged.xpath("w:pPr/w:pPrChange", namespaces=NS)
        assert len(changes) == 1, f"OLD's paragraph formatting is not tracked: {text}"
        change = changes[0]
        assert change.get(f"{{{W}}}author") and change.get(f"{{{W}}}date")
        was_ppr, now_ppr = (_paragraph_by_text(doc, text).find(f"{{{W}}}pPr") for doc in (plain_old, plain_new))
        assert _formatting(was_ppr) != _formatting(now_ppr)
        assert _formatting(merged.find(f"{{{W}}}pPr")) == _formatting(now_ppr)  # accept: NEW's formatting
        assert _formatting(change.find(f"{{{W}}}pPr")) == _formatting(was_ppr)  # reject: OLD's formatting
    untouched = _paragraph_by_text(redline, "De uitgangspunten vaststellen.")
    assert not untouched.xpath(".//w:pPrChange", namespaces=NS)


def _docx(document: Document) -> bytes:
    data = get_writer("docx")(document, WriterOptions(TEMPLATES))
    assert isinstance(data, bytes)
    return data


# --- placeholders are highlighted (generator/document/build.py and the writers) --------------------------------

PLACEHOLDER = "[INVULLEN: bedrag van de overgehevelde Wsw-middelen]"


@pytest.fixture(scope="module")
def soest() -> Document:
    """Soest's document from the example data: its overlay leaves amounts INVULLEN."""
    return api.documents(PROPOSALS / DOSSIER, ["soest"])["soest"]


def _marker_colour() -> tuple[float, float, float]:
    """The highlight colour of the HTML/PDF stylesheet (``--markeer``), as PDF fill colour components."""
    css = TEMPLATES.find("html/raadsvoorstel.css").read_text(encoding="utf-8")
    match = re.search(r"--markeer:\s*#([0-9a-fA-F]{6})", css)
    assert match, "the stylesheet has no --markeer colour"
    value = match.group(1)
    red, green, blue = (int(value[i : i + 2], 16) / 255 for i in (0, 2, 4))
    return (red, green, blue)


def test_placeholders_are_highlighted_in_docx_html_and_pdf(soest: Document, tmp_path: Path) -> None:
    """A fact the clerk still has to fill in is found at a glance: yellow in Word, ``<mark>`` in HTML, a marker
    background in the PDF — and nothing else is highlighted."""
    word = docx.Document(io.BytesIO(_docx(soest)))
    runs = [run for paragraph in word.paragraphs for run in paragraph.runs]
    highlighted = [run.text for run in runs if run.font.highlight_color == WD_COLOR_INDEX.YELLOW]
    assert PLACEHOLDER in highlighted
    assert all(text.startswith("[INVULLEN") and text.endswith("]") for text in highlighted), highlighted

    page = get_writer("html")(soest, WriterOptions(TEMPLATES))
    assert isinstance(page, str)
    marked = re.findall(r"<mark>(.*?)</mark>", page)
    assert PLACEHOLDER in marked
    assert all(text.startswith("[INVULLEN") for text in marked), marked

    pdf = tmp_path / "soest.pdf"
    data = get_writer("pdf")(soest, WriterOptions(TEMPLATES))
    assert isinstance(data, bytes)
    pdf.write_bytes(data)
    text = subprocess.run(["pdftotext", "-layout", str(pdf), "-"], capture_output=True, text=True, check=True)
    pages = text.stdout.split("\f")
    marker = _marker_colour()
    with pikepdf.open(pdf) as document:
        yellow = {n for n, p in enumerate(document.pages) if _fills_with(p, marker)}
    with_placeholder = {n for n, t in enumerate(pages) if "[INVULLEN: bedrag van de" in t}
    with_any = {n for n, t in enumerate(pages) if "[INVULLEN" in t}
    assert with_placeholder and with_placeholder <= yellow <= with_any


def _fills_with(page: Any, colour: tuple[float, float, float]) -> bool:
    """Whether the page paints a filled rectangle in ``colour`` (the highlight behind a placeholder)."""
    current: tuple[float, ...] = ()
    rectangle = False
    for instruction in pikepdf.parse_content_stream(page):
        if isinstance(instruction, pikepdf.ContentStreamInlineImage):
            continue
        name, operands = str(instruction.operator), instruction.operands
        if name in ("rg", "sc", "scn") and len(operands) == 3:
            current = tuple(float(x) for x in operands)
        elif name == "re":
            rectangle = True
        elif name in ("f", "f*") and rectangle:
            if current and all(abs(a - b) < 0.01 for a, b in zip(current, colour, strict=True)):
                return True
            rectangle = False
    return False


# --- warnings and errors with file:line (generator/resolve) -----------------------------------------------------


def _problems(cli: Invoke, proposals: Path) -> tuple[int, str]:
    result = cli("validate", proposals / DOSSIER)
    assert "Traceback" not in result.output
    return result.exit_code, result.output


def _leusden_strict(proposals: Path) -> Callable[[], object]:
    return lambda: api.documents(proposals / DOSSIER, ["leusden"], strict=True)


def _complete_leusden(proposals: Path) -> None:
    """What the example lacks only for Leusden's raadsbesluit (griffier, college date), filled in a private copy."""
    registry = proposals / "gemeenten.yaml"
    text = registry.read_text(encoding="utf-8")
    start = text.index("  leusden:")
    end = text.index("griffier:", start)
    line_end = text.index("\n", end)
    text = text[:end] + "griffier: {naam: E. Voorbeeld, titel: griffier}" + text[line_end:]
    registry.write_text(text, encoding="utf-8")
    overlay = proposals / DOSSIER / "gemeenten" / "leusden.yaml"
    overlay.write_text(overlay.read_text(encoding="utf-8") + "datum_college: 2025-03-11\n", encoding="utf-8")


def test_unfilled_signatory_is_a_warning_at_its_registry_line(proposals: Path, cli: Invoke) -> None:
    registry = proposals / "gemeenten.yaml"
    _complete_leusden(proposals)
    problems = [line for line in _problems(cli, proposals)[1].splitlines() if "waarschuwing" in line]
    problems = [line for line in problems if "B1: " not in line]  # the text's plain-language warnings aside
    assert not [line for line in problems if "Leusden" in line]  # Leusden's data is complete to begin with
    _leusden_strict(proposals)()
    _edit(registry, "burgemeester: {naam: G.J. Bouwmeester,", 'burgemeester: {naam: "INVULLEN: naam burgemeester",')
    line = _registry_line(registry, "leusden", "burgemeester")
    code, output = _problems(cli, proposals)
    assert code == 0, output  # a warning, not an error
    expected = (
        rf"gemeenten\.yaml:{line}:\d+: waarschuwing: veld 'gemeenten\.leusden\.burgemeester\.naam': "
        r"naam van de burgemeester van Leusden is nog niet ingevuld"
    )
    assert re.search(expected, output), output
    assert "gemeenten.leusden.secretaris.naam" not in output
    with pytest.raises(DataError, match="burgemeester van Leusden"):
        _leusden_strict(proposals)()


def _registry_line(registry: Path, slug: str, role: str) -> int:
    """The line of ``role``'s entry inside ``slug``'s block of the registry."""
    lines = registry.read_text(encoding="utf-8").splitlines()
    start = lines.index(f"  {slug}:")
    return next(n for n, line in enumerate(lines[start:], start=start + 1) if line.strip().startswith(f"{role}:"))


def test_unfilled_meeting_dates_are_warnings_at_their_lines(proposals: Path, cli: Invoke) -> None:
    overlay = proposals / DOSSIER / "gemeenten" / "leusden.yaml"
    with overlay.open("a", encoding="utf-8") as handle:
        handle.write('datum_college: INVULLEN\ndatum_raad: "INVULLEN: datum van de raadsvergadering"\n')
    code, output = _problems(cli, proposals)
    assert code == 0, output
    for field in ("datum_college", "datum_raad"):
        line = _line_of(overlay, f"{field}:")
        expected = rf"leusden\.yaml:{line}:\d+: waarschuwing: veld '{field}': nog niet ingevuld voor Leusden"
        assert re.search(expected, output), output
    with pytest.raises(DataError, match="datum_raad"):
        _leusden_strict(proposals)()


def test_duplicate_global_goal_is_an_error_at_its_line(proposals: Path, cli: Invoke) -> None:
    voorstel = proposals / DOSSIER / "voorstel.yaml"
    _edit(voorstel, "global_goals: [1, 8, 16]", "global_goals: [1, 8, 16, 8]")
    code, output = _problems(cli, proposals)
    assert code == 1, output
    line = _line_of(voorstel, "global_goals:")
    expected = rf"voorstel\.yaml:{line}:\d+: veld 'global_goals\[4\]': Global Goal 8 staat er twee keer in"
    assert re.search(expected, output), output
    with pytest.raises(DataError):
        api.documents(proposals / DOSSIER, ["leusden"])

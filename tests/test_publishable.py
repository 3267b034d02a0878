"""Publishable documents (issue 9), DOCX side: checked by a real OOXML checker and read back.

Documents are built once per session (``tests/conftest.py``): every example municipality, the redline DOCX
of ``raadsvoorstel diff``, and the test dossier ``tests/data/alle-bouwstenen`` that holds every construct the
model allows (lists starting at any number, nested lists, links, placeholders in every place, a logo, long
words, every Global Goal, sub-headings inside arguments).

``openxml-audit -f microsoft365`` validates each DOCX against the OOXML schemas and the rules Word applies
when it opens a file; it must report no error for any of them.
"""

from __future__ import annotations

import datetime as dt
import io
import itertools
import json
import shutil
import subprocess
import sys
import zipfile
from pathlib import Path
from typing import Any

import docx
import pytest
from lxml import etree

from tests.conftest import CONSTRUCTS, CONSTRUCTS_GEMEENTEN, DOSSIER, GEMEENTEN, ROOT

#: The fictional council round of the README: Eemdal adopted, Amerveld offered, Zandhoven in concept.
ROUND = ROOT / "voorbeelden" / "raadsronde" / "proposals" / "schuldhulp-eemland"

AUDIT = Path(sys.executable).with_name("openxml-audit")
W = "http://schemas.openxmlformats.org/wordprocessingml/2006/main"
NS = {
    "w": W,
    "wp": "http://schemas.openxmlformats.org/drawingml/2006/wordprocessingDrawing",
    "cp": "http://schemas.openxmlformats.org/package/2006/metadata/core-properties",
}


def audit(paths: list[Path], folder: Path) -> dict[str, dict[str, Any]]:
    """Run ``openxml-audit -f microsoft365`` over each of ``paths`` (copied into ``folder``): {name: result}.

    One process per file, not one ``-r`` run over the folder: openxml-audit caches the ids it found in another
    part (``semantic/constraints/cross_part.py``, ``_cache_key``) under ``id(context.package)``, and CPython
    reuses that id for the next file once the previous package is freed. A folder run then now and then checks
    a file's footnote references against the previous file's footnotes ("value '4' was not found in
    FootnotesPart" for a redline with four notes after a document with three), while the same file alone is
    clean every time.
    """
    folder.mkdir(parents=True, exist_ok=True)
    report = {}
    for path in paths:
        shutil.copy(path, folder / path.name)
        result = subprocess.run(
            [str(AUDIT), "-f", "microsoft365", "-m", "0", "-o", "json", str(folder / path.name)],
            capture_output=True,
            text=True,
            check=False,
            timeout=300,
        )
        for item in json.loads(result.stdout):
            report[Path(item["file"]).name] = item
    return report


@pytest.fixture(scope="module")
def example_docx(examples_built: Path) -> list[Path]:
    return [examples_built / slug / f"raadsvoorstel-{DOSSIER}-{slug}.docx" for slug in GEMEENTEN]


@pytest.fixture(scope="module")
def construct_docx(constructs_built: dict[str, dict[str, Path]]) -> list[Path]:
    return [constructs_built[slug]["docx"] for slug in CONSTRUCTS_GEMEENTEN]


@pytest.fixture(scope="module")
def besluit_docx(tmp_path_factory: Any) -> list[Path]:
    """The raadsbesluiten as DOCX: the test dossier's ontwerpbesluit (open date) and, from the example round,
    Eemdal's adopted besluit with its amendment."""
    from generator import api
    from generator.writers import WriterOptions, get_writer

    out = tmp_path_factory.mktemp("besluiten")
    round_dossier = ROOT / "voorbeelden" / "raadsronde" / "proposals" / "schuldhulp-eemland"
    paths = []
    for dossier, slug in ((CONSTRUCTS, "eemdal"), (round_dossier, "eemdal")):
        document = api.documents(dossier, [slug], kind="raadsbesluit")[slug]
        data = get_writer("docx")(document, WriterOptions(api.templates_for(dossier)))
        assert isinstance(data, bytes)
        paths.append(out / f"raadsbesluit-{dossier.name}-{slug}.docx")
        paths[-1].write_bytes(data)
    return paths


@pytest.fixture(scope="module")
def audit_report(
    example_docx: list[Path],
    construct_docx: list[Path],
    redlines_built: list[Path],
    besluit_docx: list[Path],
    tmp_path_factory: Any,
) -> dict[str, dict[str, Any]]:
    files = [*example_docx, *construct_docx, *redlines_built, *besluit_docx]
    report = audit(files, tmp_path_factory.mktemp("audit"))
    assert sorted(report) == sorted(p.name for p in files)  # every file was checked
    return report


# --- the checker ---------------------------------------------------------------------------------------------


def test_openxml_audit_passes_every_example_docx(audit_report: dict[str, Any], example_docx: list[Path]) -> None:
    for path in example_docx:
        item = audit_report[path.name]
        assert item["error_count"] == 0, (path.name, item["errors"])
        assert item["format"] == "microsoft365"


def test_openxml_audit_passes_the_redlines(audit_report: dict[str, Any], redlines_built: list[Path]) -> None:
    for path in redlines_built:
        item = audit_report[path.name]
        assert item["error_count"] == 0, (path.name, item["errors"])


def test_openxml_audit_passes_the_dossier_with_every_construct(
    audit_report: dict[str, Any], construct_docx: list[Path]
) -> None:
    for path in construct_docx:
        item = audit_report[path.name]
        assert item["error_count"] == 0, (path.name, item["errors"])


def test_openxml_audit_passes_the_besluiten_open_and_amended(
    audit_report: dict[str, Any], besluit_docx: list[Path]
) -> None:
    for path in besluit_docx:
        item = audit_report[path.name]
        assert item["error_count"] == 0, (path.name, item["errors"])


def test_openxml_audit_does_find_a_broken_file(example_docx: list[Path], tmp_path: Path) -> None:
    """The checker is live: a table property out of schema order (a mistake Word rejects) is an error."""
    broken = tmp_path / "kapot.docx"
    with zipfile.ZipFile(example_docx[0]) as src, zipfile.ZipFile(broken, "w") as dst:
        for info in src.infolist():
            data = src.read(info)
            if info.filename == "word/document.xml":
                root = etree.fromstring(data)
                tbl_pr = root.find(f".//{{{W}}}tblPr")
                tbl_pr.append(tbl_pr[0])  # w:tblStyle must come first; move it to the end
                data = etree.tostring(root, xml_declaration=True, encoding="UTF-8", standalone=True)
            dst.writestr(info, data)
    report = audit([broken], tmp_path / "audit")
    assert report["kapot.docx"]["error_count"] > 0


# --- Word opens it as a current document ----------------------------------------------------------------------


def _part(path: Path, name: str) -> Any:
    with zipfile.ZipFile(path) as archive:
        return etree.fromstring(archive.read(name))


def _all_docx(example_docx: list[Path], construct_docx: list[Path], redlines: list[Path]) -> list[Path]:
    return [*example_docx, *construct_docx, *redlines]


def test_no_compatibility_mode(
    example_docx: list[Path], construct_docx: list[Path], redlines_built: list[Path]
) -> None:
    for path in _all_docx(example_docx, construct_docx, redlines_built):
        settings = _part(path, "word/settings.xml")
        modes = settings.xpath("//w:compat/w:compatSetting[@w:name='compatibilityMode']/@w:val", namespaces=NS)
        assert modes == ["15"], path.name


def _heading_levels(path: Path) -> list[int]:
    """Outline levels (1 = Heading 1) of the body's paragraphs, in order, as Word's navigation pane sees them."""
    document = docx.Document(str(path))
    levels = []
    for paragraph in document.paragraphs:
        name = paragraph.style.name if paragraph.style is not None else ""
        if name.startswith("Heading "):
            levels.append(int(name.split()[1]))
    return levels


def test_heading_levels_never_skip(example_docx: list[Path], construct_docx: list[Path]) -> None:
    for path in [*example_docx, *construct_docx]:
        levels = _heading_levels(path)
        assert levels and levels[0] == 1, path.name
        for before, after in itertools.pairwise(levels):
            assert after <= before + 1, (path.name, before, after)
    # the test dossier really reaches level 3 (a sub-heading inside an argument)
    assert 3 in _heading_levels(construct_docx[0])


def test_every_image_has_alt_text(construct_docx: list[Path]) -> None:
    eemdal = construct_docx[0]
    with zipfile.ZipFile(eemdal) as archive:
        parts = [n for n in archive.namelist() if n.startswith("word/") and n.endswith(".xml")]
        descriptions = []
        for name in parts:
            root = etree.fromstring(archive.read(name))
            for doc_pr in root.iterfind(".//wp:docPr", NS):
                descriptions.append(doc_pr.get("descr"))
    assert descriptions == ["Logo gemeente Eemdal"]


def test_tables_are_layout_tables_without_header_rows(example_docx: list[Path], construct_docx: list[Path]) -> None:
    """Title block and signatures are layout tables: no row is a header, so none needs w:tblHeader. A data
    table (a Markdown table, in the test dossier) has its header row as the first row, w:tblHeader on that row
    only (repeated on every page, read as column headers) and says so in w:tblLook."""
    data_tables = 0
    for path in [*example_docx, *construct_docx]:
        root = _part(path, "word/document.xml")
        assert root.xpath("//w:tbl", namespaces=NS)
        for table in root.xpath("//w:tbl", namespaces=NS):
            rows = table.xpath("w:tr", namespaces=NS)
            headers = [bool(row.xpath("w:trPr/w:tblHeader", namespaces=NS)) for row in rows]
            first_row = table.xpath("w:tblPr/w:tblLook/@w:firstRow", namespaces=NS)
            if any(headers):
                data_tables += 1
                assert headers == [True] + [False] * (len(rows) - 1), path.name
                assert first_row == ["1"], path.name
            else:
                assert first_row == ["0"], path.name
    assert data_tables == len(construct_docx)  # the test dossier's one data table, in each municipality


def _core(path: Path) -> dict[str, str]:
    root = _part(path, "docProps/core.xml")
    return {etree.QName(child).localname: child.text or "" for child in root}


def test_core_properties_match_the_pdf(example_docx: list[Path], examples_built: Path) -> None:
    for slug, path in zip(GEMEENTEN, example_docx, strict=True):
        core = _core(path)
        pdf = examples_built / slug / f"raadsvoorstel-{DOSSIER}-{slug}.pdf"
        info = subprocess.run(["pdfinfo", str(pdf)], capture_output=True, text=True, check=True).stdout
        fields = dict(line.split(":", 1) for line in info.splitlines() if ":" in line)
        assert core["title"] == fields["Title"].strip(), slug
        assert core["creator"] == fields["Author"].strip() == f"Gemeente {slug.capitalize()}", slug
        # the examples have no meeting dates: no date is invented
        assert "created" not in core and "modified" not in core, slug
    assert len({_core(p)["title"] for p in example_docx}) == len(GEMEENTEN)  # a title per municipality


def test_core_dates_come_from_the_proposal(construct_docx: list[Path]) -> None:
    """The test dossier's college date is INVULLEN, its council date 2025-06-03: that date, nothing else."""
    for path in construct_docx:
        core = _core(path)
        assert core["created"] == core["modified"] == "2025-06-03T00:00:00Z", path.name
        assert "lastPrinted" not in core


# --- placeholders are visible, drafts are marked ----------------------------------------------------------------


def _highlighted(element: Any) -> list[str]:
    runs = etree.XPath(".//w:r[w:rPr/w:highlight]", namespaces=NS)(element)
    return ["".join(etree.XPath("./w:t/text()", namespaces=NS)(r)) for r in runs]


def test_placeholders_are_highlighted_in_title_block_and_signature(construct_docx: list[Path]) -> None:
    document = docx.Document(str(construct_docx[1]))  # Heuvelrug-Oost: every value still INVULLEN
    title_block, signature = document.tables[0], document.tables[-1]
    assert _highlighted(title_block._tbl) == [
        "[INVULLEN: aanvulling op het onderwerp]",
        "[INVULLEN]",  # datum collegevergadering
        "[INVULLEN: zaaknummer uit het zaaksysteem]",
        "[INVULLEN: wethouder]",
    ]
    assert _highlighted(signature._tbl) == ["[INVULLEN]", "[INVULLEN: naam burgemeester]"]
    rows = {row.cells[0].text: row.cells[1].text for row in title_block.rows}
    assert rows["Datum raadsvergadering"] == "3\u00a0juni\u00a02025"  # not highlighted; no-break spaces


def test_draft_says_concept_in_header_and_metadata(construct_docx: list[Path], example_docx: list[Path]) -> None:
    for path in construct_docx:
        document = docx.Document(str(path))
        header = "\n".join(p.text for p in document.sections[0].header.paragraphs)
        assert "CONCEPT" in header, path.name
        assert document.core_properties.content_status == "Concept"
    offered = docx.Document(io.BytesIO(_round_document("amerveld", "docx")))  # offered: everything filled in
    assert "CONCEPT" not in "\n".join(p.text for p in offered.sections[0].header.paragraphs)
    assert offered.core_properties.content_status == "Aangeboden"
    leusden = docx.Document(str(example_docx[GEMEENTEN.index("leusden")]))  # still in concept
    assert "CONCEPT" in "\n".join(p.text for p in leusden.sections[0].header.paragraphs)


def test_html_and_pdf_highlight_the_same_placeholders(constructs_built: dict[str, dict[str, Path]]) -> None:
    built = constructs_built["heuvelrug-oost"]
    html = built["html"].read_text(encoding="utf-8")
    root = etree.fromstring(html.encode(), etree.HTMLParser())
    title_marks = root.xpath("//table[@class='kenmerken']//mark/text()")
    assert title_marks == [
        "[INVULLEN: aanvulling op het onderwerp]",
        "[INVULLEN]",
        "[INVULLEN: zaaknummer uit het zaaksysteem]",
        "[INVULLEN: wethouder]",
    ]
    assert root.xpath("//p[@class='naam']/mark/text()") == ["[INVULLEN]", "[INVULLEN: naam burgemeester]"]
    assert "concept" in root.xpath("//body/@class")[0].split()
    text = subprocess.run(
        ["pdftotext", "-enc", "UTF-8", str(built["pdf"]), "-"], capture_output=True, text=True, check=True
    ).stdout
    pages = text.split("\f")[:-1]
    assert pages and all("CONCEPT" in page for page in pages)  # every page's running header says so


def _round_document(gemeente: str, fmt: str, kind: str = "raadsvoorstel") -> bytes:
    """A document of the fictional council round (voorbeelden/raadsronde), rendered by the writer."""
    from generator.api import documents, templates_for
    from generator.writers import WriterOptions, get_writer

    doc = documents(ROUND, [gemeente], kind=kind)[gemeente]
    data = get_writer(fmt)(doc, WriterOptions(templates_for(ROUND)))
    return data.encode("utf-8") if isinstance(data, str) else data


def test_finished_document_is_not_marked_concept(examples_built: Path, tmp_path: Path) -> None:
    for gemeente, kind in (("amerveld", "raadsvoorstel"), ("eemdal", "raadsbesluit")):  # offered, adopted
        pdf = tmp_path / f"{gemeente}.pdf"
        pdf.write_bytes(_round_document(gemeente, "pdf", kind))
        text = subprocess.run(["pdftotext", "-enc", "UTF-8", str(pdf), "-"], capture_output=True, text=True, check=True)
        assert "CONCEPT" not in text.stdout, gemeente
    soest = examples_built / "soest" / f"raadsvoorstel-{DOSSIER}-soest.pdf"
    text = subprocess.run(["pdftotext", "-enc", "UTF-8", str(soest), "-"], capture_output=True, text=True, check=True)
    assert "CONCEPT" in text.stdout  # Soest's signatories are still INVULLEN


# --- the IR: placeholders and the draft flag, decided once by the builder ---------------------------------------


def test_builder_marks_placeholders_in_fields_and_names_and_flags_drafts() -> None:
    from generator.api import documents
    from generator.document.nodes import Text
    from tests.conftest import CONSTRUCTS, PROPOSALS

    docs = documents(CONSTRUCTS)
    draft = docs["heuvelrug-oost"]
    fields = {f.label: f.value for f in draft.fields}
    assert fields["Datum collegevergadering"] == (Text("[INVULLEN]", highlight=True),)
    assert fields["Datum raadsvergadering"] == (Text("3\u00a0juni\u00a02025"),)
    assert [s.name for s in draft.signature.signatories] == [
        (Text("[INVULLEN]", highlight=True),),
        (Text("[INVULLEN: naam burgemeester]", highlight=True),),
    ]
    assert Text("[INVULLEN: aanvulling op het onderwerp]", highlight=True) in draft.subject_inlines
    assert draft.subject == "Elke bouwsteen voor Heuvelrug-Oost: [INVULLEN: aanvulling op het onderwerp]"
    assert draft.concept
    assert draft.date == dt.date(2025, 6, 3)  # the college date is INVULLEN: the council date, never invented
    examples = documents(PROPOSALS / DOSSIER)
    assert examples["leusden"].concept  # no placeholder in its voorstel, but its status is still concept
    assert examples["soest"].concept  # signatories still INVULLEN
    council_round = documents(ROUND)
    assert not council_round["amerveld"].concept  # offered, every name and value filled in
    assert council_round["zandhoven"].concept


# --- list numbers agree across formats ---------------------------------------------------------------------------


def test_lists_keep_their_start_and_nested_labels_in_every_format(constructs_built: dict[str, dict[str, Path]]) -> None:
    built = constructs_built["eemdal"]
    expected = ["3. Een lijst die bij drie begint", "a. en een geneste genummerde lijst", "b. tweede genest punt",
                "5. en een derde punt", "10. Een lijst die bij tien begint", "11. En doorloopt"]  # fmt: skip
    txt = built["txt"].read_text(encoding="utf-8")
    pdf = subprocess.run(
        ["pdftotext", "-enc", "UTF-8", "-layout", str(built["pdf"]), "-"], capture_output=True, text=True, check=True
    ).stdout  # -layout: by position (-raw follows paint order, where WeasyPrint draws list labels last)
    for label in expected:
        assert label in txt, label
        assert label in " ".join(pdf.split()), label
    numbering = _part(built["docx"], "word/numbering.xml")
    starts = numbering.xpath("//w:num/w:lvlOverride/w:startOverride/@w:val", namespaces=NS)
    assert "3" in starts and "10" in starts
    formats = [
        abstract.xpath("./w:lvl/w:numFmt/@w:val", namespaces=NS)[:3]
        for abstract in numbering.xpath("//w:abstractNum", namespaces=NS)
    ]
    assert ["decimal", "lowerLetter", "lowerRoman"] in formats


def test_libreoffice_pages_equal_our_pdf_for_the_dossier_with_every_construct(
    constructs_built: dict[str, dict[str, Path]], tmp_path: Path
) -> None:
    """With a logo (Eemdal) and without, long words, nested lists and all 17 goals: the same page count."""
    files = [str(constructs_built[slug]["docx"]) for slug in CONSTRUCTS_GEMEENTEN]
    result = subprocess.run(
        ["soffice", f"-env:UserInstallation=file://{tmp_path / 'profile'}", "--headless", "--convert-to", "pdf",
         "--outdir", str(tmp_path), *files],
        capture_output=True, text=True, check=False, timeout=300,
    )  # fmt: skip
    assert "Error:" not in result.stderr, result.stderr

    def pages(path: Path) -> int:
        info = subprocess.run(["pdfinfo", str(path)], capture_output=True, text=True, check=True).stdout
        return int(next(line.split()[1] for line in info.splitlines() if line.startswith("Pages:")))

    for slug in CONSTRUCTS_GEMEENTEN:
        theirs = pages(tmp_path / f"raadsvoorstel-{slug}.pdf")
        assert theirs == pages(constructs_built[slug]["pdf"]), slug

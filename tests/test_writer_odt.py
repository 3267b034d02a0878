"""The ODT writer: valid ODF, laid out by LibreOffice like the DOCX, with the same text, reproducible.

Built once per session: the example municipalities' documents and the test dossier with every construct.
"""

from __future__ import annotations

import io
import re
import shutil
import subprocess
import zipfile
from pathlib import Path

import pytest
from lxml import etree

from generator import api
from generator.writers import WriterOptions, get_writer
from tests.conftest import CONSTRUCTS, DOSSIER, PROPOSALS, ROOT, TEMPLATES

ROUND = ROOT / "voorbeelden" / "raadsronde" / "proposals" / "schuldhulp-eemland"

W = "{http://schemas.openxmlformats.org/wordprocessingml/2006/main}"
TEXT = "urn:oasis:names:tc:opendocument:xmlns:text:1.0"
T = f"{{{TEXT}}}"


#: The documents whose ODT and DOCX texts are compared paragraph by paragraph (the page count compares all).
COMPARED = ("-leusden", f"-{CONSTRUCTS.name}-eemdal", f"-{CONSTRUCTS.name}-heuvelrug-oost")


@pytest.fixture(scope="session")
def odt_built(tmp_path_factory: pytest.TempPathFactory) -> dict[str, tuple[Path, Path | None]]:
    """{name: (odt, docx or None)}: every document of the examples and of the test dossier with every construct
    as ODT and as DOCX (issue 26: both page counts equal our PDF's for every example document)."""
    out = tmp_path_factory.mktemp("odt")
    built: dict[str, tuple[Path, Path | None]] = {}
    for dossier in (PROPOSALS / DOSSIER, CONSTRUCTS, ROUND):
        options = WriterOptions(api.templates_for(dossier))
        loaded = api.loaded_dossier(dossier)
        for slug, found in loaded.sets.items():
            for document in (found.voorstel, found.besluit):
                name = f"{document.name}-{document.dossier}-{slug}"
                paths = []
                for fmt in ("odt", "docx"):
                    data = get_writer(fmt)(document, options)
                    assert isinstance(data, bytes)
                    path = out / fmt / f"{name}.{fmt}"
                    path.parent.mkdir(exist_ok=True)
                    path.write_bytes(data)
                    paths.append(path)
                built[name] = (paths[0], paths[1] if len(paths) > 1 else None)
    return built


def compared(built: dict[str, tuple[Path, Path | None]]) -> dict[str, tuple[Path, Path]]:
    return {name: (odt, docx) for name, (odt, docx) in built.items() if docx is not None and name.endswith(COMPARED)}


def test_openxml_audit_finds_no_odf_errors(odt_built: dict[str, tuple[Path, Path | None]]) -> None:
    folder = next(iter(odt_built.values()))[0].parent
    audit = shutil.which("openxml-audit", path=str(Path(__import__("sys").executable).parent))
    assert audit is not None
    for level in ("schema-core", "semantic-core"):  # the Relax NG schema of ODF 1.3, then its semantic rules
        result = subprocess.run(
            [audit, "--validator", "odf", "-f", "odf1.3", "--odf-level", level, "-m", "0", "-r", str(folder)],
            capture_output=True, text=True, check=False, timeout=300,
        )  # fmt: skip
        counts = re.findall(r"^Errors: (\d+)$", result.stdout, flags=re.MULTILINE)
        assert len(counts) == len(odt_built), result.stdout[-2000:]
        assert set(counts) == {"0"}, result.stdout[-4000:]


def test_openxml_audit_catches_a_broken_odt(odt_built: dict[str, tuple[Path, Path]], tmp_path: Path) -> None:
    """The check has teeth: an ODT with an attribute the ODF schema (Relax NG) does not know fails."""
    source = next(iter(odt_built.values()))[0]
    broken = tmp_path / "kapot.odt"
    with zipfile.ZipFile(source) as original, zipfile.ZipFile(broken, "w") as target:
        for info in original.infolist():
            data = original.read(info)
            if info.filename == "content.xml":
                data = data.replace(b"<text:h ", b'<text:h text:bestaatniet="x" ', 1)
            target.writestr(info, data)
    audit = shutil.which("openxml-audit", path=str(Path(__import__("sys").executable).parent))
    assert audit is not None
    result = subprocess.run([audit, "--validator", "odf", "-f", "odf1.3", "--odf-level", "schema-core", str(broken)],
                            capture_output=True, text=True, check=False, timeout=120)  # fmt: skip
    assert "Invalid attribute bestaatniet for element h" in result.stdout, result.stdout
    assert "Errors: 0" not in result.stdout


def _docx_paragraphs(path: Path) -> list[str]:
    with zipfile.ZipFile(path) as package:
        root = etree.fromstring(package.read("word/document.xml"))
    lines = []
    for p in root.iter(f"{W}p"):
        parts = []
        for node in p.iter(f"{W}t", f"{W}tab", f"{W}br"):
            parts.append(node.text or "" if node.tag == f"{W}t" else " ")
        lines.append("".join(parts))
    return [" ".join(line.split()) for line in lines if line.strip()]


def _odt_paragraphs(path: Path) -> list[str]:
    with zipfile.ZipFile(path) as package:
        root = etree.fromstring(package.read("content.xml"))
    lines = []
    for p in root.iter(f"{T}p", f"{T}h"):
        if any(a.tag == f"{T}note-body" for a in p.iterancestors()):
            continue  # a footnote's text: in word/footnotes.xml on the DOCX side
        lines.append("".join(_odt_text(p)))
    return [" ".join(line.split()) for line in lines if line.strip()]


def _odt_text(node: etree._Element) -> list[str]:
    out = [node.text or ""]
    for child in node:
        if child.tag in (f"{T}note", "{urn:oasis:names:tc:opendocument:xmlns:drawing:1.0}frame"):
            pass  # a footnote's text, or the logo's alt text: not text of the paragraph
        elif child.tag in (f"{T}tab", f"{T}line-break", f"{T}s"):
            out.append(" ")
        elif child.tag not in (f"{T}p", f"{T}h", f"{T}list"):
            out.extend(_odt_text(child))
        out.append(child.tail or "")
    return out


def test_the_odt_says_what_the_docx_says(odt_built: dict[str, tuple[Path, Path | None]]) -> None:
    """Read back, paragraph by paragraph (title block, sections, lists, tables, checklist, signature)."""
    pairs = compared(odt_built)
    assert len(pairs) == 6
    for name, (odt, docx) in pairs.items():
        assert _odt_paragraphs(odt) == _docx_paragraphs(docx), name


def test_headings_have_outline_levels_and_lists_restart(odt_built: dict[str, tuple[Path, Path | None]]) -> None:
    odt = odt_built[f"raadsvoorstel-{CONSTRUCTS.name}-eemdal"][0]
    with zipfile.ZipFile(odt) as package:
        root = etree.fromstring(package.read("content.xml"))
        meta = etree.fromstring(package.read("meta.xml"))
        assert package.infolist()[0].filename == "mimetype"
        assert package.infolist()[0].compress_type == zipfile.ZIP_STORED
    headings = [(h.get(f"{T}outline-level"), "".join(h.itertext())) for h in root.iter(f"{T}h")]
    assert ("1", "1. Aanleiding") in headings
    assert {level for level, _ in headings} == {"1", "2", "3"}
    top_lists = [x for x in root.iter(f"{T}list") if x.getparent().tag != f"{T}list-item"]
    assert top_lists and all(x.get(f"{T}continue-numbering") == "false" for x in top_lists)
    starts = [i.get(f"{T}start-value") for i in root.iter(f"{T}list-item") if i.get(f"{T}start-value")]
    assert "3" in starts and "10" in starts  # the test dossier's lists that begin at 3 and at 10
    with zipfile.ZipFile(odt) as package:  # the test dossier's Eemdal has a logo: in the sender line, with alt text
        styles = etree.fromstring(package.read("styles.xml"))
        assert "Pictures/logo.png" in package.namelist()
    draw = "{urn:oasis:names:tc:opendocument:xmlns:drawing:1.0}"
    assert styles.find(f".//{draw}frame") is None  # not in the running header (as the PDF)
    frame = next(root.iter(f"{T}p")).find(f"{draw}frame")
    assert frame is not None
    assert frame.findtext("{urn:oasis:names:tc:opendocument:xmlns:svg-compatible:1.0}desc") == "Logo gemeente Eemdal"
    dc = "{http://purl.org/dc/elements/1.1/}"
    assert meta.findtext(f".//{dc}language") == "nl-NL"
    assert (meta.findtext(f".//{dc}title") or "").startswith("CONCEPT — Raadsvoorstel Gemeente Eemdal: ")


def test_same_document_same_bytes(odt_built: dict[str, tuple[Path, Path | None]]) -> None:
    document = api.documents(CONSTRUCTS, ["eemdal"])["eemdal"]
    options = WriterOptions(api.templates_for(CONSTRUCTS))
    first = get_writer("odt")(document, options)
    assert first == get_writer("odt")(document, options)
    assert first == odt_built[f"raadsvoorstel-{CONSTRUCTS.name}-eemdal"][0].read_bytes()
    assert isinstance(first, bytes)
    with zipfile.ZipFile(io.BytesIO(first)) as package:
        assert {i.date_time for i in package.infolist()} == {(1980, 1, 1, 0, 0, 0)}


def _pages(folder: Path, files: list[Path]) -> dict[str, int]:
    subprocess.run(
        ["soffice", "--headless", "--convert-to", "pdf", "--outdir", str(folder), *map(str, files)],
        capture_output=True, check=True, timeout=300,
    )  # fmt: skip
    return {path.stem: _pdf_pages(folder / f"{path.stem}.pdf") for path in files}


def test_libreoffice_lays_out_the_odt_in_as_many_pages_as_our_pdf(
    odt_built: dict[str, tuple[Path, Path | None]], tmp_path: Path
) -> None:
    """Every example document and the test dossier: LibreOffice's page count of the ODT is our PDF's, exactly
    (the line height "at least" size × 1.5 in points, as the DOCX; a proportional 150% made 11 of 13 a page
    longer); and so is the DOCX's, for every one of them."""
    pdfs = {}
    for dossier in (PROPOSALS / DOSSIER, CONSTRUCTS, ROUND):
        options = WriterOptions(api.templates_for(dossier))
        for slug, found in api.loaded_dossier(dossier).sets.items():
            for document in (found.voorstel, found.besluit):
                name = f"{document.name}-{document.dossier}-{slug}"
                path = tmp_path / "pdf" / f"{name}.pdf"
                path.parent.mkdir(exist_ok=True)
                data = get_writer("pdf")(document, options)
                assert isinstance(data, bytes)
                path.write_bytes(data)
                pdfs[name] = _pdf_pages(path)
    odt = _pages(tmp_path / "odt", [o for o, _ in odt_built.values()])
    assert sorted(odt) == sorted(pdfs) and len(odt) == 24
    assert {name: odt[name] for name in odt} == pdfs
    docx = _pages(tmp_path / "docx", [d for _, d in odt_built.values() if d is not None])
    assert docx == pdfs


def _pdf_pages(path: Path) -> int:
    info = subprocess.run(["pdfinfo", str(path)], capture_output=True, text=True, check=True)
    match = re.search(r"^Pages:\s+(\d+)", info.stdout, flags=re.MULTILINE)
    assert match is not None
    return int(match.group(1))


def test_footnotes_are_real_notes_with_the_builders_numbers(tmp_path: Path) -> None:
    """A footnote in the text becomes a ``text:note`` (LibreOffice numbers and places it), its text in the note."""
    proposals = tmp_path / "proposals"
    shutil.copytree(ROUND.parent, proposals)
    base = proposals / ROUND.name / "voorstel.yaml"
    note = "\n  [^nibud]: Nibud, onderzoek betalingsachterstanden 2024.\nwettelijke_grondslag:"
    text = base.read_text(encoding="utf-8").replace("zoeken vaak pas hulp", "zoeken vaak pas hulp[^nibud]")
    text = text.replace("wettelijke_grondslag:", note, 1)
    base.write_text(text, encoding="utf-8")
    document = api.documents(proposals / ROUND.name, ["eemdal"])["eemdal"]
    data = get_writer("odt")(document, WriterOptions(TEMPLATES))
    assert isinstance(data, bytes)
    with zipfile.ZipFile(io.BytesIO(data)) as package:
        root = etree.fromstring(package.read("content.xml"))
    notes = root.findall(f".//{T}note")
    assert len(notes) == 1 and notes[0].get(f"{T}note-class") == "footnote"
    assert notes[0].findtext(f"{T}note-citation") == "1"
    body = notes[0].find(f"{T}note-body")
    assert body is not None and "".join(body.itertext()) == "Nibud, onderzoek betalingsachterstanden 2024."


def test_formatting_reads_back_from_the_odt(odt_built: dict[str, tuple[Path, Path | None]]) -> None:
    """Italic, bold, lists from 3, the data table (header row, local row in place, right-aligned amounts) and the
    signature (one column per signatory, names above titles), read from content.xml through the styles."""
    odt = odt_built[f"raadsvoorstel-{CONSTRUCTS.name}-eemdal"][0]
    with zipfile.ZipFile(odt) as package:
        root = etree.fromstring(package.read("content.xml"))
    style_ns, fo, table_ns = (
        "{urn:oasis:names:tc:opendocument:xmlns:style:1.0}",
        "{urn:oasis:names:tc:opendocument:xmlns:xsl-fo-compatible:1.0}",
        "{urn:oasis:names:tc:opendocument:xmlns:table:1.0}",
    )
    looks = {}
    for style in root.iter(f"{style_ns}style"):
        props = style.find(f"{style_ns}text-properties")
        if props is not None:
            looks[style.get(f"{style_ns}name")] = (props.get(f"{fo}font-weight"), props.get(f"{fo}font-style"))
    spans = {"".join(s.itertext()): looks.get(s.get(f"{T}style-name")) for s in root.iter(f"{T}span")}
    assert spans["vet"] == ("bold", None)
    assert spans["schuin"] == (None, "italic")
    assert spans["beide"] == ("bold", "italic")
    first_list = next(root.iter(f"{T}list"))
    items = first_list.findall(f"{T}list-item")
    assert items[0].get(f"{T}start-value") == "3"
    assert "".join(items[0].itertext()) == "Een lijst die bij drie begint;"
    assert items[1].find(f"{T}list") is not None  # the nested list sits inside its item

    def cells(row: etree._Element) -> list[str]:
        return ["".join(_odt_text(c.find(f"{T}p"))).strip() for c in row.iter(f"{table_ns}table-cell")]

    (data,) = [t for t in root.iter(f"{table_ns}table") if t.find(f"{table_ns}table-header-rows") is not None]
    header = data.find(f"{table_ns}table-header-rows")
    assert [cells(r) for r in header] == [["Jaar", "Omschrijving", "Bedrag"]]
    body = [cells(r) for r in data.findall(f"{table_ns}table-row")]
    assert [row[0] for row in body] == ["2025", "2025b", "2026"]  # Eemdal's local row right after its label
    amounts = [r.findall(f"{table_ns}table-cell")[2].find(f"{T}p").get(f"{T}style-name") for r in data.iter(
        f"{table_ns}table-row")]
    assert amounts == ["Table_20_Heading_right"] + ["Table_20_Contents_right"] * 3
    (signature,) = [t for t in root.iter(f"{table_ns}table") if t.get(f"{table_ns}name") == "Ondertekening"]
    rows = [cells(r) for r in signature.findall(f"{table_ns}table-row")]
    assert rows == [["C.D. Jansen", "A.B. de Vries"], ["gemeentesecretaris", "burgemeester"]]
    (column,) = signature.findall(f"{table_ns}table-column")
    assert column.get(f"{table_ns}number-columns-repeated") == "2"


TABLE = "urn:oasis:names:tc:opendocument:xmlns:table:1.0"
TB = f"{{{TABLE}}}"


def test_tables_are_numbered_with_a_header_row_and_aligned_cells() -> None:
    """Each data table is a ``table:table`` named Tabel1, Tabel2 … in reading order (LibreOffice's navigator shows
    the names), one column element for all its columns, the header row in ``table:table-header-rows`` (it repeats
    on every page), and a cell's paragraph style says its column's alignment (amounts right)."""
    from dataclasses import replace

    from generator.document.nodes import Section, Table, Text
    from tests.ir_sample import sample_document

    body = (((Text("Huur"),), (Text("€ 10"),)), ((Text("Licht"),), (Text("€ 2"),)))
    first = Table(((Text("Post"),), (Text("Bedrag"),)), body, ("left", "right"))
    second = Table(((Text("A"),), (Text("B"),), (Text("C"),)), (((Text("1"),), (Text("2"),), (Text("3"),)),),
                   ("center", "left", "right"))  # fmt: skip
    doc = replace(sample_document(), sections=(Section(1, "a", "A", (first,)), Section(2, "b", "B", (second,))))
    data = get_writer("odt")(doc, WriterOptions(TEMPLATES))
    assert isinstance(data, bytes)
    with zipfile.ZipFile(io.BytesIO(data)) as package:
        root = etree.fromstring(package.read("content.xml"))
    everything = root.findall(f".//{TB}table")
    tables = [t for t in everything if t.get(f"{TB}name") not in ("Titelblok", "Ondertekening")]
    assert len(everything) == 4  # the title block and the signature are tables too, with names of their own
    assert [t.get(f"{TB}name") for t in tables] == ["Tabel1", "Tabel2"]
    assert [t.get(f"{TB}style-name") for t in tables] == ["Tbl", "Tbl"]
    columns = [t.findall(f"{TB}table-column") for t in tables]
    assert [[c.get(f"{TB}number-columns-repeated") for c in cols] for cols in columns] == [["2"], ["3"]]

    def rows(parent: etree._Element) -> list[list[tuple[str | None, str]]]:
        found = []
        for row in parent.findall(f"{TB}table-row"):
            cells = row.findall(f"{TB}table-cell")
            assert all(c.get("{urn:oasis:names:tc:opendocument:xmlns:office:1.0}value-type") == "string" for c in cells)
            assert all(c.get(f"{TB}style-name") == "Cell" for c in cells)
            found.append([(c[0].get(f"{T}style-name"), "".join(c.itertext())) for c in cells])
        return found

    head = tables[0].find(f"{TB}table-header-rows")
    assert head is not None
    assert rows(head) == [[("Table_20_Heading", "Post"), ("Table_20_Heading_right", "Bedrag")]]
    assert rows(tables[0]) == [[("Table_20_Contents", "Huur"), ("Table_20_Contents_right", "€ 10")],
                               [("Table_20_Contents", "Licht"), ("Table_20_Contents_right", "€ 2")]]  # fmt: skip
    assert rows(tables[1]) == [[("Table_20_Contents_center", "1"), ("Table_20_Contents", "2"),
                                ("Table_20_Contents_right", "3")]]  # fmt: skip


def test_inlines_and_sub_headings_in_the_odt() -> None:
    """What the IR's inlines become in content.xml: a link is a ``text:a`` with its address and words, a line
    break a ``text:line-break`` inside the paragraph, a sub-heading an italic ``text:h`` one level below what it
    sits under (2 in a section, 3 in an argument) that keeps bold and highlight, and a note's text a paragraph in
    the Footnote style."""
    from dataclasses import replace

    from generator.document.nodes import Argument, Footnote, LineBreak, Link, Paragraph, Section, SubHeading, Text
    from tests.ir_sample import sample_document

    blocks = (
        Paragraph((Text("Zie "), Link("de site", "https://example.nl"), LineBreak(), Text("verder"),
                   Footnote(1, (Text("noot"),)))),
        SubHeading((Text("Kop "), Text("vet", bold=True), Text("open", highlight=True), Link("!", "https://a.nl"))),
        Argument("1.1", (Text("Argument"),), (SubHeading((Text("Onderkop"),)),)),
    )  # fmt: skip
    doc = replace(sample_document(), sections=(Section(1, "a", "A", blocks),))
    data = get_writer("odt")(doc, WriterOptions(TEMPLATES))
    assert isinstance(data, bytes)
    with zipfile.ZipFile(io.BytesIO(data)) as package:
        root = etree.fromstring(package.read("content.xml"))
    xlink = "{http://www.w3.org/1999/xlink}href"
    link, heading_link = root.findall(f".//{T}a")
    assert (heading_link.get(xlink), heading_link.getparent().tag) == ("https://a.nl", f"{T}h")
    assert (link.get(xlink), link.text) == ("https://example.nl", "de site")
    paragraph = link.getparent()
    assert paragraph is not None and paragraph.tag == f"{T}p"
    assert [child.tag for child in paragraph] == [f"{T}a", f"{T}line-break", f"{T}note"]
    assert "".join(paragraph.itertext()).startswith("Zie de siteverder")
    (note_text,) = paragraph.findall(f"{T}note/{T}note-body/{T}p")
    assert (note_text.get(f"{T}style-name"), note_text.text) == ("Footnote", "noot")
    assert paragraph.find(f"{T}note/{T}note-citation").text == "1"

    headings = {"".join(h.itertext()): h for h in root.findall(f".//{T}h")}
    sub = headings["Kop vetopen!"]
    assert (sub.get(f"{T}outline-level"), sub.get(f"{T}style-name")) == ("2", "Heading_20_2")
    assert [(s.get(f"{T}style-name"), s.text) for s in sub][:3] == [("T_i", "Kop "), ("T_bi", "vet"), ("T_ih", "open")]
    inner = headings["Onderkop"]
    assert (inner.get(f"{T}outline-level"), [s.get(f"{T}style-name") for s in inner]) == ("3", ["T_i"])
    argument = headings["1.1Argument"]  # "1.1", a tab, the heading's words
    assert argument.get(f"{T}outline-level") == "2" and argument.text == "1.1"
    assert [child.tag for child in argument] == [f"{T}tab"]

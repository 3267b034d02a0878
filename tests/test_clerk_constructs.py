"""What clerks write (issue 10): tables, lists that start at any number, footnotes — the same in every format.

One dossier that uses every construct is built once per module for one municipality as DOCX, PDF, HTML and
txt; each test reads one format back with a real reader (python-docx, pdftotext, lxml) and compares it with
what the clerk wrote.
"""

from __future__ import annotations

import os
import re
import shutil
import subprocess
import sys
import zipfile
from collections import Counter
from pathlib import Path

import docx
import pikepdf
import pytest
from docx.oxml.ns import qn
from lxml import etree
from lxml import html as lxml_html

from generator import api
from generator.diffing.compare import diff_documents
from generator.document.markdown import parse_blocks
from generator.document.nodes import Table, Text
from generator.errors import DataError
from tests.conftest import DOSSIER, PROPOSALS, ROOT

TABLE = """\
  | Jaar | Omschrijving          | Bedrag      |
  |------|-----------------------|-------------|
  | 2025 | Externe capaciteit    | € 43.000    |
  | 2026 | Implementatie fase 2  | 212.750,50  |
  | 2027 | Implementatie fase 3  | € 1.250.000 |
"""
LIST_FROM_3 = """\
  3. Derde stap van de opgave
  4. Vierde stap van de opgave
"""
NOTES = """\
  De bedragen komen uit de opstartbegroting[^begroting] en zijn exclusief btw[^btw].

  [^begroting]: Opstartbegroting 2025, vastgesteld door het **RWA**.
  [^btw]: Zie https://www.belastingdienst.nl/ voor de tarieven.
"""
EXTRA = "\n" + TABLE + "\n" + LIST_FROM_3 + "\n" + NOTES
ANCHOR = "  name tijdens de implementatiefase inzet.\n"
FIRST_ANCHOR = "  op het gebied van werk en participatie:\n"
FIRST_NOTE = "  op het gebied van werk en participatie[^rwa]:\n"
FIRST_NOTE_TEXT = "\n  [^rwa]: Arbeidsmarktregio Amersfoort.\n"
FIRST_NOTE_AFTER = "  3. De wet van school naar duurzaam werk voor jongeren.\n"
#: Every footnote of the document, numbered per document in reading order (§ 1 first, then § 15).
FOOTNOTES = [
    ("1", "Arbeidsmarktregio Amersfoort."),
    ("2", "Opstartbegroting 2025, vastgesteld door het RWA."),
    ("3", "Zie https://www.belastingdienst.nl/ voor de tarieven."),
]
CELLS = [
    ["Jaar", "Omschrijving", "Bedrag"],
    ["2025", "Externe capaciteit", "€ 43.000"],
    ["2026", "Implementatie fase 2", "212.750,50"],
    ["2027", "Implementatie fase 3", "€ 1.250.000"],
]
#: The same cells as DOCX and HTML hold them: "€" and its amount joined by a non-breaking space.
CELLS_NBSP = [[c.replace("€ ", "€\u00a0") for c in row] for row in CELLS]
GEMEENTE = "leusden"
NS = {"w": "http://schemas.openxmlformats.org/wordprocessingml/2006/main"}


def make_dossier(root: Path, extra: str = EXTRA) -> Path:
    """A copy of the example project whose shared 'Financieel advies' ends with ``extra``."""
    shutil.copytree(PROPOSALS, root / "proposals")
    shutil.copytree(ROOT / "templates", root / "templates")
    dossier = root / "proposals" / DOSSIER
    voorstel = dossier / "voorstel.yaml"
    text = voorstel.read_text(encoding="utf-8")
    assert ANCHOR in text and FIRST_ANCHOR in text and FIRST_NOTE_AFTER in text
    text = text.replace(ANCHOR, ANCHOR + extra, 1).replace(FIRST_ANCHOR, FIRST_NOTE, 1)
    text = text.replace(FIRST_NOTE_AFTER, FIRST_NOTE_AFTER + FIRST_NOTE_TEXT, 1)
    voorstel.write_text(text, encoding="utf-8")
    return dossier


@pytest.fixture(scope="module")
def built(tmp_path_factory: pytest.TempPathFactory) -> dict[str, Path]:
    root = tmp_path_factory.mktemp("clerks")
    dossier = make_dossier(root)
    paths = api.build(dossier, [GEMEENTE], ["docx", "pdf", "html", "txt"], out=root / "out")
    return {p.suffix.lstrip("."): p for p in paths if p.name.startswith("raadsvoorstel-")}


@pytest.fixture(scope="module")
def docx_pdf(built: dict[str, Path], tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The DOCX laid out by LibreOffice (list numbers from numbering.xml, footnotes at the page foot, as Word)."""
    if shutil.which("soffice") is None:
        pytest.fail("LibreOffice (soffice) is needed: make test installs it")
    work = tmp_path_factory.mktemp("lo")
    subprocess.run(
        ["soffice", f"-env:UserInstallation={(work / 'profile').as_uri()}", "--headless", "--norestore",
         "--convert-to", "pdf", "--outdir", str(work), str(built["docx"])],
        check=True, capture_output=True, timeout=120,
    )  # fmt: skip
    return work / built["docx"].with_suffix(".pdf").name


@pytest.fixture(scope="module")
def docx_as_text(docx_pdf: Path) -> str:
    return pdf_text(docx_pdf)


def structure_tags(path: Path) -> Counter[str]:
    """How often each structure type occurs in the PDF's tag tree (read with pikepdf)."""
    found: Counter[str] = Counter()

    def walk(node: object) -> None:
        if isinstance(node, pikepdf.Array):
            for child in node:
                walk(child)
        elif isinstance(node, pikepdf.Dictionary):
            if "/S" in node:
                found[str(node.S)] += 1
            if "/K" in node:
                walk(node.K)

    with pikepdf.open(path) as pdf:
        walk(pdf.Root.StructTreeRoot.K)
    return found


def pdf_text(path: Path, layout: bool = True) -> str:
    args = ["pdftotext", *(["-layout"] if layout else []), "-enc", "UTF-8", str(path), "-"]
    return subprocess.run(args, check=True, capture_output=True, text=True).stdout


# --- tables ----------------------------------------------------------------------------------------------


def test_table_is_one_ir_node_with_amounts_right_aligned() -> None:
    blocks, problems = parse_blocks(TABLE.replace("\n  ", "\n").strip())
    assert problems == []
    (table,) = blocks
    assert isinstance(table, Table)
    assert [[c[0].text for c in row if isinstance(c[0], Text)] for row in (table.header, *table.rows)] == CELLS
    assert table.align == ("left", "left", "right")


def test_docx_has_a_real_table_with_a_repeating_header_row(built: dict[str, Path]) -> None:
    document = docx.Document(str(built["docx"]))
    tables = [t for t in document.tables if t.style is not None and t.style.name == "Table Grid"]
    assert len(tables) == 1
    table = tables[0]
    assert [[c.text for c in row.cells] for row in table.rows] == CELLS_NBSP
    header_props = table.rows[0]._tr.trPr
    assert header_props is not None and header_props.find(qn("w:tblHeader")) is not None
    body_props = table.rows[1]._tr.trPr
    assert body_props is None or body_props.find(qn("w:tblHeader")) is None
    assert all(r.bold for r in table.rows[0].cells[0].paragraphs[0].runs)
    amount = table.rows[1].cells[2].paragraphs[0]
    assert amount.paragraph_format.alignment is not None and int(amount.paragraph_format.alignment) == 2  # RIGHT


def test_html_table_has_column_header_cells(built: dict[str, Path]) -> None:
    tree = lxml_html.fromstring(built["html"].read_bytes())
    (table,) = tree.xpath("//table[@class='tabel']")
    headers = table.xpath("./thead/tr/th")
    assert [h.text_content() for h in headers] == CELLS[0]
    assert all(h.get("scope") == "col" for h in headers)
    rows = [[td.text_content() for td in tr.xpath("./td")] for tr in table.xpath("./tbody/tr")]
    assert rows == CELLS_NBSP[1:]
    assert table.xpath("./tbody/tr[1]/td[3]/@class") == ["right"]


def test_pdf_shows_the_table_cells_in_rows_with_header_cells_tagged(built: dict[str, Path]) -> None:
    text = pdf_text(built["pdf"])
    for row in CELLS:
        assert re.search(r"\s+".join(re.escape(c) for c in row), text), row
    tags = structure_tags(built["pdf"])
    # two tables: the title block (row headers, no THead) and this one (a header row of 3 TH over 3 × 3 TD)
    assert tags["/Table"] == 2 and tags["/THead"] == 1 and tags["/TH"] >= 3 and tags["/TD"] >= 9


def test_txt_aligns_columns_and_right_aligns_amounts(built: dict[str, Path]) -> None:
    text = built["txt"].read_text(encoding="utf-8")
    lines = text.splitlines()
    start = next(i for i, line in enumerate(lines) if line.startswith("Jaar"))
    block = lines[start : start + 5]
    assert set(block[1]) <= {"-", " "}
    ends = {len(line) for line in block[2:]}
    assert len(ends) == 1, block  # right-aligned amounts end in one column
    assert block[2].endswith("€ 43.000") and block[4].endswith("€ 1.250.000")


@pytest.mark.parametrize(
    ("table", "line", "words"),
    [
        ("| a | b |\n| --- | --- |\n| 1 | 2 | 3 |\n", 3, "3 cellen, de kopregel 2"),
        ("| a | b |\n| --- | --- |\n| 1 |\n", 3, "1 cel, de kopregel 2"),
        ("Tekst\n\n| a | b |\n| - |\n| 1 | 2 |\n", 3, "scheidingsregel 1"),
        ("| a | b |\n| 1 | 2 |\n", 1, "geen scheidingsregel"),
    ],
)
def test_malformed_table_is_a_problem_at_its_line(table: str, line: int, words: str) -> None:
    _, problems = parse_blocks(table)
    assert [(p.line, words in p.message) for p in problems] == [(line, True)]


def test_malformed_table_in_data_is_an_error_with_file_and_line(tmp_path: Path) -> None:
    dossier = make_dossier(tmp_path, "\n  | a | b |\n  | --- | --- |\n  | 1 | 2 | 3 |\n")
    with pytest.raises(DataError) as info:
        api.documents(dossier, [GEMEENTE])
    text = str(info.value) + "".join(str(p) for p in getattr(info.value, "problems", ()))
    voorstel = (dossier / "voorstel.yaml").read_text(encoding="utf-8").splitlines()
    row = next(n for n, line in enumerate(voorstel, start=1) if line.strip() == "| 1 | 2 | 3 |")
    assert f"voorstel.yaml:{row}" in text


def test_diff_names_the_changed_table_cell(tmp_path: Path) -> None:
    old = make_dossier(tmp_path / "old")
    new = make_dossier(tmp_path / "new", EXTRA.replace("212.750,50 ", "212.750,75 "))
    diff = diff_documents(api.documents(old, [GEMEENTE])[GEMEENTE], api.documents(new, [GEMEENTE])[GEMEENTE])
    (part,) = diff.changed_parts
    assert [u.label for u in part.changes] == ["tabel 1 rij 2 (kolom 'Bedrag')"]
    segments = part.changes[0].segments
    old_text = "".join(seg.text for seg in segments if seg.op != "insert")
    new_text = "".join(seg.text for seg in segments if seg.op != "delete")
    assert "212.750,50" in old_text and "212.750,75" in new_text


# --- lists that start at any number ------------------------------------------------------------------------

LIST_NUMBERS = [("3", "Derde stap van de opgave"), ("4", "Vierde stap van de opgave")]


def numbered(text: str) -> list[tuple[str, str]]:
    return re.findall(r"^\s*(\d+)\.\s+(\w+ stap van de opgave)\s*$", text, flags=re.MULTILINE)


def test_list_from_3_counts_from_3_in_the_pdf(built: dict[str, Path]) -> None:
    assert numbered(pdf_text(built["pdf"])) == LIST_NUMBERS


def test_list_from_3_counts_from_3_in_txt_and_docx(built: dict[str, Path], docx_as_text: str) -> None:
    assert numbered(built["txt"].read_text(encoding="utf-8")) == LIST_NUMBERS
    assert numbered(docx_as_text) == LIST_NUMBERS


def test_list_from_3_in_html_for_browsers_and_weasyprint(built: dict[str, Path]) -> None:
    tree = lxml_html.fromstring(built["html"].read_bytes())
    (ol,) = tree.xpath("//ol[li[contains(., 'Derde stap')]]")
    assert ol.get("start") == "3"
    assert "counter-reset: list-item 2" in (ol.get("style") or "")


def test_docx_table_cells_as_libreoffice_lays_them_out(docx_as_text: str) -> None:
    for row in CELLS:
        assert re.search(r"\s+".join(re.escape(c) for c in row), docx_as_text), row


# --- footnotes ---------------------------------------------------------------------------------------------


def test_docx_has_real_footnotes_numbered_per_document(built: dict[str, Path]) -> None:
    with zipfile.ZipFile(built["docx"]) as package:
        notes = etree.fromstring(package.read("word/footnotes.xml"))
        body = etree.fromstring(package.read("word/document.xml"))
        rels = package.read("word/_rels/document.xml.rels").decode()
        styles = package.read("word/styles.xml").decode()
    assert "relationships/footnotes" in rels
    refs = body.xpath("//w:footnoteReference/@w:id", namespaces=NS)
    assert refs == ["1", "2", "3"]
    texts = {
        n.get(qn("w:id")): "".join(n.xpath(".//w:t/text()", namespaces=NS)).strip()
        for n in notes.xpath("w:footnote[not(@w:type)]", namespaces=NS)
    }
    assert sorted(texts.items()) == FOOTNOTES
    assert 'w:styleId="FootnoteText"' in styles and 'w:styleId="FootnoteReference"' in styles


def test_docx_footnotes_as_libreoffice_lays_them_out(docx_pdf: Path) -> None:
    pages = pdf_text(docx_pdf).split("\f")
    for (number, note), call in zip(FOOTNOTES, CALLS, strict=True):
        (page,) = [p for p in pages if call in p]
        lines = [line.strip() for line in page.splitlines() if line.strip()]
        where = lines.index(note)
        assert lines[where - 1] == number  # the raised note number, on its own line in pdftotext's layout
        assert where > len(lines) / 2, lines  # in the lower part of the page, not in the running text


#: The words just before each note's call, with the call's number as pdftotext reads the raised digit.
CALLS = ["werk en participatie1:", "opstartbegroting2", "btw3."]


def test_pdf_puts_each_note_at_the_foot_of_the_page_of_its_call(built: dict[str, Path]) -> None:
    pages = pdf_text(built["pdf"]).split("\f")
    for (number, note), call in zip(FOOTNOTES, CALLS, strict=True):
        (page,) = [p for p in pages if call in p]
        lines = [line.strip() for line in page.splitlines() if line.strip()]
        where = lines.index(f"{number}. {note}")
        # below the body text: only other notes and the page footer follow it
        assert all(re.match(r"(\d+\. |pagina \d+ van \d+)", line) for line in lines[where + 1 :]), lines[where:]
    assert "[^" not in "".join(pages)


def test_html_and_txt_carry_the_same_footnotes(built: dict[str, Path]) -> None:
    tree = lxml_html.fromstring(built["html"].read_bytes())
    spans = tree.xpath("//span[@class='voetnoot']")
    assert [(s.get("id"), s.text_content()) for s in spans] == [(f"voetnoot-{n}", t) for n, t in FOOTNOTES]
    text = built["txt"].read_text(encoding="utf-8")
    for number, note in FOOTNOTES:
        assert f"[{number}] {note}" in text
    assert "opstartbegroting[2]" in text


@pytest.mark.parametrize(
    ("source", "line", "words"),
    [
        ("Tekst[^a].\n", 1, "voetnoot [^a] heeft geen tekst"),
        ("Tekst.\n\n[^a]: Noot.\n", 3, "voetnoottekst [^a] wordt nergens gebruikt"),
        ("Een[^a] en\nnog eens[^a].\n\n[^a]: Noot.\n", 2, "tweede keer"),
    ],
)
def test_footnote_without_definition_or_reference_is_a_problem(source: str, line: int, words: str) -> None:
    _, problems = parse_blocks(source)
    assert [(p.line, words in p.message) for p in problems] == [(line, True)]


def test_footnote_without_definition_in_data_is_an_error_with_file_and_line(tmp_path: Path) -> None:
    dossier = make_dossier(tmp_path, "\n  Zie de nota[^nota].\n")
    with pytest.raises(DataError) as info:
        api.documents(dossier, [GEMEENTE])
    text = str(info.value) + "".join(str(p) for p in getattr(info.value, "problems", ()))
    voorstel = (dossier / "voorstel.yaml").read_text(encoding="utf-8").splitlines()
    row = next(n for n, line in enumerate(voorstel, start=1) if "Zie de nota[^nota]" in line)
    assert f"voorstel.yaml:{row}" in text and "[^nota]" in text


def test_diff_names_a_changed_footnote(tmp_path: Path) -> None:
    old = make_dossier(tmp_path / "old")
    new = make_dossier(tmp_path / "new", EXTRA.replace("door het **RWA**", "door het **AB van het RWA**"))
    diff = diff_documents(api.documents(old, [GEMEENTE])[GEMEENTE], api.documents(new, [GEMEENTE])[GEMEENTE])
    (part,) = diff.changed_parts
    assert [u.label for u in part.changes] == ["voetnoot 2"]


# --- deterministic output --------------------------------------------------------------------------------------


def test_tables_and_footnotes_give_the_same_bytes_in_another_process(built: dict[str, Path], tmp_path: Path) -> None:
    """DOCX (with footnotes.xml) and PDF (with a tagged table and footnotes) do not depend on hash order."""
    script = (
        "import sys\n"
        "from pathlib import Path\n"
        "from generator import api\n"
        "from tests.test_clerk_constructs import make_dossier\n"
        "root = Path(sys.argv[1])\n"
        "api.build(make_dossier(root), ['leusden'], ['docx', 'pdf'], out=root / 'out')\n"
    )
    env = {**os.environ, "PYTHONHASHSEED": "7"}
    env.pop("SOURCE_DATE_EPOCH", None)
    subprocess.run([sys.executable, "-c", script, str(tmp_path)], cwd=ROOT, env=env, check=True, timeout=120)
    for fmt in ("docx", "pdf"):
        again = tmp_path / "out" / DOSSIER / GEMEENTE / built[fmt].name
        assert again.read_bytes() == built[fmt].read_bytes(), fmt

"""DOCX writer: the hand-built IR sample in, python-docx and the raw XML to read it back (pandoc's way).

The LibreOffice tests convert the result to PDF, so the file is also checked by a second, independent
reader; they are skipped only when ``soffice`` is not installed.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
import hashlib
import importlib.util
import io
import re
import shutil
import subprocess
import sys
import zipfile
from pathlib import Path
from typing import Any

import docx
import pytest
from docx.document import Document as DocxDocument
from docx.enum.text import WD_COLOR_INDEX
from docx.oxml.ns import qn
from docx.shared import Cm, Mm
from lxml import etree

from generator.document.nodes import (
    Argument,
    BulletList,
    Document,
    HouseStyle,
    NumberedList,
    Paragraph,
    Section,
    SubHeading,
    Text,
)
from generator.errors import RenderError
from generator.writers import WriterOptions, get_writer
from generator.writers.docx import _styles, reference_path, write
from generator.writers.docx._package import ZIP_DATE_TIME
from generator.writers.templatefiles import Templates
from tests.conftest import TEMPLATES, tiny_png
from tests.ir_sample import para, sample_document

ROOT = Path(__file__).resolve().parent.parent
WRITER_DIR = ROOT / "generator" / "writers" / "docx"
REFERENCE = TEMPLATES.find("docx/reference.docx")
W = "http://schemas.openxmlformats.org/wordprocessingml/2006/main"
NS = {"w": W}
REL_NS = "http://schemas.openxmlformats.org/officeDocument/2006/relationships"


# --- helpers -------------------------------------------------------------------------------------------


def render(doc: Document | None = None, templates: Path | None = None) -> bytes:
    found = Templates((templates,)) if templates is not None else TEMPLATES
    return write(doc or sample_document(), WriterOptions(templates=found))


def open_docx(data: bytes) -> DocxDocument:
    return docx.Document(io.BytesIO(data))


def parts_xml(data: bytes) -> dict[str, bytes]:
    with zipfile.ZipFile(io.BytesIO(data)) as archive:
        return {name: archive.read(name) for name in archive.namelist() if name.endswith((".xml", ".rels"))}


def body_paragraphs(document: DocxDocument) -> list[Any]:
    """Body paragraphs in order (not those inside tables)."""
    return list(document.paragraphs)


def styled(document: DocxDocument, style: str) -> list[str]:
    return [p.text for p in body_paragraphs(document) if p.style is not None and p.style.name == style]


def num_pr(paragraph: Any) -> tuple[int, int] | None:
    """(numId, ilvl) of a list paragraph, None for other paragraphs."""
    ppr = paragraph._p.pPr
    if ppr is None or ppr.numPr is None:
        return None
    return int(ppr.numPr.numId.val), int(ppr.numPr.ilvl.val)


def numbering_info(document: DocxDocument, num_id: int) -> dict[str, Any]:
    """abstract format per level and the start overrides of ``w:num`` ``num_id``."""
    numbering = document.part.numbering_part.element
    (num,) = numbering.xpath(f"w:num[@w:numId='{num_id}']")
    abstract_id = num.find(qn("w:abstractNumId")).get(qn("w:val"))
    (abstract,) = numbering.xpath(f"w:abstractNum[@w:abstractNumId='{abstract_id}']")
    formats = {
        int(lvl.get(qn("w:ilvl"))): lvl.find(qn("w:numFmt")).get(qn("w:val")) for lvl in abstract.findall(qn("w:lvl"))
    }
    overrides = {
        int(o.get(qn("w:ilvl"))): int(o.find(qn("w:startOverride")).get(qn("w:val")))
        for o in num.findall(qn("w:lvlOverride"))
    }
    return {"abstract": abstract_id, "formats": formats, "overrides": overrides}


def list_groups(document: DocxDocument) -> list[tuple[int, list[str]]]:
    """Consecutive list paragraphs grouped by numId, in document order."""
    groups: list[tuple[int, list[str]]] = []
    for paragraph in body_paragraphs(document):
        info = num_pr(paragraph)
        if info is None:
            continue
        num_id, _ = info
        if groups and groups[-1][0] == num_id:
            groups[-1][1].append(paragraph.text)
        else:
            groups.append((num_id, [paragraph.text]))
    return groups


def templates_copy(tmp_path: Path) -> Path:
    """A private templates folder holding only the reference document."""
    target = tmp_path / "templates"
    (target / "docx").mkdir(parents=True)
    shutil.copy(REFERENCE, target / "docx" / "reference.docx")
    return target


@pytest.fixture(scope="module")
def sample_bytes() -> bytes:
    return render()


@pytest.fixture(scope="module")
def document(sample_bytes: bytes) -> DocxDocument:
    return open_docx(sample_bytes)


# --- structure -----------------------------------------------------------------------------------------


def test_registry_returns_this_writer() -> None:
    assert get_writer("docx") is write


def test_sender_then_title(document: DocxDocument) -> None:
    """As the PDF's title block: "Gemeente Leusden" over a rule, then the kind as Title."""
    sender, title = body_paragraphs(document)[:2]
    assert (sender.text, sender.style.name) == ("Gemeente Leusden", "Sender")
    assert (title.text, title.style.name) == ("Raadsvoorstel", "Title")


def test_title_block_lists_subject_and_fields(document: DocxDocument) -> None:
    table = document.tables[0]
    rows = [[cell.text for cell in row.cells] for row in table.rows]
    assert rows == [
        ["Onderwerp", "Uitgangspunten impuls sociale infrastructuur"],
        ["Datum raadsvergadering", "3 juni 2025"],
    ]
    assert _borders(table) == {edge: "nil" for edge in ("top", "left", "bottom", "right", "insideH", "insideV")}


def test_section_headings_are_heading_1_in_order(document: DocxDocument) -> None:
    expected = [section.heading for section in sample_document().sections]
    assert styled(document, "Heading 1") == expected
    assert expected[0] == "1. Aanleiding"


def test_sub_heading_and_arguments_are_heading_2(document: DocxDocument) -> None:
    """Directly below the sections' Heading 1: the outline never skips a level (issue 9)."""
    assert styled(document, "Heading 2") == [
        "Opgave ‘Impuls sociale infrastructuur’",
        "1.1\tEr is draagvlak.",
        "1.2\tDe inwoner staat centraal.",
        "2.1\tHet impulsbudget biedt dekking.",
    ]
    assert styled(document, "Heading 3") == []


def test_sub_heading_inside_an_argument_is_heading_3() -> None:
    doc = sample_document()
    argument = Argument("1.1", (Text("Kop"),), (SubHeading((Text("Onder het argument"),)), para("Tekst.")))
    after = Section(7, "x", "Daarna", (SubHeading((Text("Weer in een sectie"),)),))
    doc = dataclasses.replace(doc, sections=(Section(6, "argumenten", "Argumenten", (argument,)), after))
    document = open_docx(render(doc))
    levels = [(p.style.name, p.text) for p in body_paragraphs(document) if p.style.name.startswith("Heading")]
    assert levels == [
        ("Heading 1", "6. Argumenten"),
        ("Heading 2", "1.1\tKop"),
        ("Heading 3", "Onder het argument"),
        ("Heading 1", "7. Daarna"),
        ("Heading 2", "Weer in een sectie"),
    ]
    # Sub-headings are italic, as in the PDF; the argument's own heading stays upright.
    headings = [p for p in body_paragraphs(document) if p.style.name.startswith("Heading")]
    italic = {p.text: [r.italic for r in p.runs] for p in headings}
    assert italic["Onder het argument"] == [True] and italic["Weer in een sectie"] == [True]
    assert italic["1.1\tKop"] == [None, None]


def test_argument_headings_are_followed_by_their_body(document: DocxDocument) -> None:
    texts = [p.text for p in body_paragraphs(document)]
    first = texts.index("1.1\tEr is draagvlak.")
    assert texts[first + 1] == "Concreet gaat het om de regio."
    heading = body_paragraphs(document)[first]
    assert heading.style.font.bold is True  # bold comes from the style, not from runs


def test_not_applicable_renders_its_text(document: DocxDocument) -> None:
    texts = [p.text for p in body_paragraphs(document)]
    assert texts[texts.index("4. Deadline") + 1] == "Nvt"


def test_checklist_lines(document: DocxDocument) -> None:
    assert styled(document, "Checklist") == [
        "■ Goal 01 Einde aan armoede",
        "☐ Goal 02 Einde aan honger",
        "■ Goal 08 Inclusieve economische groei",
    ]


def test_signature_block(document: DocxDocument) -> None:
    texts = [p.text for p in body_paragraphs(document)]
    assert texts[-2:] == [
        "Met vriendelijke groet,",
        "Het college van burgemeester en wethouders van Leusden,",
    ]
    table = document.tables[-1]
    assert len(table.columns) == 2
    assert [[c.text for c in row.cells] for row in table.rows] == [
        ["R.B. van den Brink", "G.J. Bouwmeester"],
        ["directeur-secretaris", "burgemeester"],
    ]
    assert set(_borders(table).values()) == {"nil"}
    assert table.style is not None and table.style.name == _styles.BORDERLESS_TABLE
    # the signature table is the last thing in the body: nothing after the names but the section settings
    body = document.element.body
    assert body[-1].tag == qn("w:sectPr") and body[-2] is table._tbl


def _borders(table: Any) -> dict[str, str]:
    borders = table._tbl.tblPr.find(qn("w:tblBorders"))
    assert borders is not None, "table has no explicit borders"
    return {etree.QName(edge).localname: edge.get(qn("w:val")) for edge in borders}


# --- lists ---------------------------------------------------------------------------------------------


def test_numbered_lists_use_real_numbering_and_restart(document: DocxDocument) -> None:
    groups = list_groups(document)
    texts = [items for _, items in groups]
    assert texts == [
        [
            "De impuls sociale infrastructuur; en",
            "De hervorming van de arbeidsmarktinfrastructuur;",
            "De wet van school naar duurzaam werk voor jongeren.",
        ],
        ["De uitgangspunten vaststellen.", "De opgave bekostigen met de impulsgelden."],
        ["RWA/Amfors.", "De Cliëntenraad Wsw."],
        ["Memo ‘Uitgangspunten’.", "Inventarisatie."],
    ]
    num_ids = [num_id for num_id, _ in groups]
    assert len(set(num_ids)) == 4, "every list needs its own w:num"
    numbered = [numbering_info(document, num_ids[i]) for i in (0, 1, 3)]
    assert len({info["abstract"] for info in numbered}) == 1, "numbered lists share one abstractNum"
    for info in numbered:
        assert info["formats"][0] == "decimal"
        assert info["overrides"] == {0: 1}
    bullets = numbering_info(document, num_ids[2])
    assert bullets["formats"][0] == "bullet"
    assert bullets["abstract"] != numbered[0]["abstract"]
    # the number is not typed into the text
    assert not any(re.match(r"\s*\d+[.)]", text) for items in texts for text in items)


def test_list_items_are_list_paragraphs_at_level_0(document: DocxDocument) -> None:
    items = [p for p in body_paragraphs(document) if num_pr(p) is not None]
    assert items
    assert {p.style.name for p in items} == {"List Paragraph"}
    assert {num_pr(p)[1] for p in items} == {0}  # type: ignore[index]


def test_nested_lists_go_one_level_deeper_and_keep_their_start() -> None:
    nested = NumberedList(
        (
            (
                Paragraph((Text("Eerste punt"),)),
                Paragraph((Text("Toelichting bij het eerste punt"),)),
                BulletList(((Paragraph((Text("Sub a"),)),), (Paragraph((Text("Sub b"),)),))),
                NumberedList(((Paragraph((Text("Genummerd sub"),)),),), start=3),
            ),
            (Paragraph((Text("Tweede punt"),)),),
        )
    )
    doc = dataclasses.replace(sample_document(), sections=(Section(1, "aanleiding", "Aanleiding", (nested,)),))
    document = open_docx(render(doc))
    by_text = {p.text: p for p in body_paragraphs(document)}
    outer_id, outer_level = num_pr(by_text["Eerste punt"])  # type: ignore[misc]
    assert outer_level == 0
    assert num_pr(by_text["Tweede punt"]) == (outer_id, 0)
    # a second paragraph of an item: no number, indented to the item's text
    assert num_pr(by_text["Toelichting bij het eerste punt"]) is None
    assert by_text["Toelichting bij het eerste punt"].paragraph_format.left_indent > 0
    bullet_id, bullet_level = num_pr(by_text["Sub a"])  # type: ignore[misc]
    assert bullet_level == 1 and bullet_id != outer_id
    assert numbering_info(document, bullet_id)["formats"][1] == "bullet"
    sub_id, sub_level = num_pr(by_text["Genummerd sub"])  # type: ignore[misc]
    assert sub_level == 1 and sub_id not in (outer_id, bullet_id)
    assert numbering_info(document, sub_id)["overrides"] == {1: 3}


# --- inlines -------------------------------------------------------------------------------------------


def test_inline_formatting(document: DocxDocument) -> None:
    runs = {run.text: run for p in body_paragraphs(document) for run in p.runs}
    assert runs["vet"].bold is True
    assert runs["schuin"].italic is True
    assert runs["Dit is "].bold is None and runs["Dit is "].italic is None
    assert runs["[INVULLEN: bedrag]"].font.highlight_color == WD_COLOR_INDEX.YELLOW
    paragraph = next(p for p in body_paragraphs(document) if p.text.startswith("Dit is vet"))
    assert paragraph._p.xpath(".//w:br")
    assert paragraph.text.endswith('Tweede regel met <tekens> & "aanhalingstekens".')


def test_hyperlink_points_at_the_https_url(document: DocxDocument) -> None:
    links = document.element.body.xpath(".//w:hyperlink")
    assert len(links) == 1
    link = links[0]
    assert "".join(link.xpath(".//w:t/text()")) == "link"
    rel = document.part.rels[link.get(f"{{{REL_NS}}}id")]
    assert rel.is_external
    assert rel.target_ref == "https://www.leusden.nl/"
    assert link.xpath("./w:r/w:rPr/w:rStyle/@w:val") == ["Hyperlink"]


# --- header, footer, page ------------------------------------------------------------------------------


def test_header_names_municipality_and_subject(document: DocxDocument) -> None:
    header = document.sections[0].header
    text = "\n".join(p.text for p in header.paragraphs)
    assert "Gemeente Leusden" in text
    assert "Uitgangspunten impuls sociale infrastructuur" in text


def test_footer_has_page_fields(document: DocxDocument) -> None:
    footer = document.sections[0].footer
    element = footer._element
    assert [c.get(qn("w:fldCharType")) for c in element.iter(qn("w:fldChar"))] == [
        "begin",
        "separate",
        "end",
        "begin",
        "separate",
        "end",
    ]
    instructions = [i.text.split()[0] for i in element.iter(qn("w:instrText"))]
    assert instructions == ["PAGE", "NUMPAGES"]
    assert footer.paragraphs[0].text == "pagina 1 van 1"  # cached results until Word recalculates


def test_page_is_a4_with_the_pdf_margins(document: DocxDocument) -> None:
    section = document.sections[0]
    expected = {
        "page_width": Cm(21),
        "page_height": Cm(29.7),
        "top_margin": Cm(2.7),
        "right_margin": Cm(2.0),
        "bottom_margin": Cm(2.4),
        "left_margin": Cm(2.5),
    }
    for name, length in expected.items():
        actual = getattr(section, name)
        assert actual is not None and abs(actual - length) < Cm(0.05), name


def test_logo_from_templates_goes_in_the_sender_line_and_page_1_has_no_running_header(tmp_path: Path) -> None:
    """As in the PDF: the logo at the left of "Gemeente Leusden" on page 1 (huisstijl.toml's logo height), no
    running header on page 1 (w:titlePg, an empty first-page header), the header from page 2 without a logo,
    and "pagina X van Y" on every page."""
    templates = templates_copy(tmp_path)
    logo = templates / "gemeenten" / "leusden" / "logo.png"
    logo.parent.mkdir(parents=True)
    logo.write_bytes(tiny_png())
    doc = dataclasses.replace(sample_document(), house=HouseStyle(color="#00626F", logo="gemeenten/leusden/logo.png"))
    data = render(doc, templates)
    document = open_docx(data)
    sender = document.paragraphs[0]
    blips = sender._element.xpath(".//a:blip")
    assert len(blips) == 1
    image = document.part.rels[blips[0].get(f"{{{REL_NS}}}embed")].target_part
    assert image.content_type == "image/png"
    assert image.blob == tiny_png()
    assert sender.text.strip() == "Gemeente Leusden"
    extent = int(sender._element.xpath(".//wp:extent/@cy")[0])
    assert extent == Mm(14)  # [layout] logo_height_mm, the PDF's .logo height
    section = document.sections[0]
    assert section.different_first_page_header_footer
    assert [p.text for p in section.first_page_header.paragraphs] == [""]
    assert section.header._element.xpath(".//a:blip") == []
    assert "Gemeente Leusden" in "\n".join(p.text for p in section.header.paragraphs)
    for footer in (section.footer, section.first_page_footer):
        assert footer._element.xpath(".//w:instrText[contains(., 'PAGE')]"), "page numbers on every page"
    assert render(doc, templates) == data  # images keep the output reproducible too


def test_missing_logo_is_an_error_naming_the_file_as_in_html_and_pdf(tmp_path: Path) -> None:
    """One behaviour for a missing template file in every format: the same data never gives a DOCX but no PDF."""
    doc = dataclasses.replace(sample_document(), house=HouseStyle(logo="gemeenten/leusden/logo.png"))
    with pytest.raises(RenderError, match=r"'gemeenten/leusden/logo\.png' niet gevonden") as docx_error:
        render(doc, templates_copy(tmp_path))
    html = get_writer("html")
    with pytest.raises(RenderError) as html_error:
        html(doc, WriterOptions(templates=Templates.for_project(tmp_path / "zonder-sjablonen")))
    assert str(html_error.value).split(" (gezocht")[0] == str(docx_error.value).split(" (gezocht")[0]


def test_logo_outside_templates_is_refused(tmp_path: Path) -> None:
    (tmp_path / "secret.png").write_bytes(tiny_png())
    doc = dataclasses.replace(sample_document(), house=HouseStyle(logo="../secret.png"))
    with pytest.raises(RenderError, match="buiten de sjablonen"):
        render(doc, templates_copy(tmp_path))


# --- metadata, styles, fonts ---------------------------------------------------------------------------


def test_core_properties(document: DocxDocument) -> None:
    props = document.core_properties
    assert props.title == "Raadsvoorstel Gemeente Leusden: Uitgangspunten impuls sociale infrastructuur"
    assert props.subject == "Uitgangspunten impuls sociale infrastructuur"
    assert props.author == "Gemeente Leusden"
    assert props.last_modified_by == "Gemeente Leusden"
    assert props.keywords == "raadsvoorstel, Leusden"
    assert props.language == "nl-NL"
    midnight = dt.datetime(2025, 5, 13, tzinfo=dt.UTC)
    assert props.created == midnight
    assert props.modified == midnight
    assert props.last_printed is None  # never printed: no invented date
    assert props.revision == 1
    assert props.comments == ""  # nothing left over from the template ("generated by python-docx")
    assert props.content_status == ""  # no placeholders: not a draft


def test_without_date_no_date_is_invented() -> None:
    doc = dataclasses.replace(sample_document(), date=None)
    data = render(doc)
    props = open_docx(data).core_properties
    assert props.created is None and props.modified is None and props.last_printed is None
    core = parts_xml(data)["docProps/core.xml"]
    assert b"dcterms:created" not in core and b"2000-01-01" not in core


def test_styles_are_dutch_and_arial(document: DocxDocument) -> None:
    styles = document.styles.element
    rpr = styles.find(f"{qn('w:docDefaults')}/{qn('w:rPrDefault')}/{qn('w:rPr')}")
    normal_rpr = document.styles["Normal"].element.rPr
    for element in (rpr, normal_rpr):
        assert element.find(qn("w:lang")).get(qn("w:val")) == "nl-NL"
        fonts = element.find(qn("w:rFonts"))
        assert {slot: fonts.get(qn(f"w:{slot}")) for slot in ("ascii", "hAnsi", "cs", "eastAsia")} == dict.fromkeys(
            ("ascii", "hAnsi", "cs", "eastAsia"), "Arial"
        )
    # no style may fall back to a theme font: theme attributes win over the named font in Word
    assert not styles.xpath(".//w:rFonts[@w:asciiTheme or @w:hAnsiTheme]")


def test_sender_section_headings_and_links_use_the_house_colour(document: DocxDocument) -> None:
    """As in the PDF: the sender line (and its rule), section headings and links; the rest in text colour."""
    for name in ("Sender", "Heading 1", "Hyperlink"):
        assert str(document.styles[name].font.color.rgb) == "00626F", name
        assert document.styles[name].font.color.theme_color is None
    rule = document.styles["Sender"].element.pPr.find(f"{qn('w:pBdr')}/{qn('w:bottom')}")
    assert rule is not None and rule.get(qn("w:color")) == "00626F"
    for name in ("Title", "Heading 2", "Heading 3"):
        assert str(document.styles[name].font.color.rgb) == "1A1A1A", name


def test_heading_styles_feed_the_navigation_pane() -> None:
    reference = docx.Document(str(REFERENCE))
    for level, name in enumerate(("Heading 1", "Heading 2", "Heading 3")):
        outline = reference.styles[name].element.pPr.find(qn("w:outlineLvl"))
        assert outline is not None and outline.get(qn("w:val")) == str(level)


def test_invalid_house_colour_is_a_render_error() -> None:
    with pytest.raises(RenderError, match="huiskleur"):
        render(dataclasses.replace(sample_document(), house=HouseStyle(color="teal")))


def test_every_style_the_writer_uses_exists_in_reference(sample_bytes: bytes) -> None:
    reference = docx.Document(str(REFERENCE))
    by_id = {style.style_id: style.name for style in reference.styles}
    names = set(by_id.values())
    assert names >= _styles.USED_STYLES, _styles.USED_STYLES - names
    # read back: every style id referenced anywhere in the output (body, tables, header, footer)
    used_ids: set[str] = set()
    for name, xml in parts_xml(sample_bytes).items():
        if name.startswith("word/") and not name.startswith(("word/styles", "word/numbering")):
            root = etree.fromstring(xml)
            used_ids.update(root.xpath("//w:pStyle/@w:val | //w:rStyle/@w:val | //w:tblStyle/@w:val", namespaces=NS))
    assert used_ids, "expected styles in the output"
    assert used_ids <= set(by_id), used_ids - set(by_id)
    # and the constant set is complete: the output uses no style the writer forgot to declare
    assert {by_id[i] for i in used_ids} <= _styles.USED_STYLES | {"Normal"}


def test_writer_code_names_styles_only_through_the_styles_module() -> None:
    """A literal ``style="…"`` elsewhere would escape the reference.docx check above."""
    offenders = [
        f"{path.name}:{number}"
        for path in WRITER_DIR.glob("*.py")
        if path.name != "_styles.py"
        for number, line in enumerate(path.read_text().splitlines(), 1)
        if re.search(r"""style\s*=\s*["']|styles\[\s*["']""", line)
    ]
    assert offenders == []


def test_reference_without_a_style_is_refused(tmp_path: Path) -> None:
    templates = templates_copy(tmp_path)
    broken = docx.Document(str(reference_path(WriterOptions(templates=Templates((templates,))))))
    checklist = broken.styles[_styles.CHECKLIST].element
    checklist.getparent().remove(checklist)
    broken.save(str(templates / "docx" / "reference.docx"))
    with pytest.raises(RenderError, match="Checklist"):
        render(templates=templates)


def test_missing_reference_is_a_render_error(tmp_path: Path) -> None:
    with pytest.raises(RenderError, match=r"'docx/reference\.docx' niet gevonden"):
        render(templates=tmp_path)


def test_reference_docx_is_what_the_script_makes() -> None:
    """The committed binary matches tools/make_reference_docx.py (compared entry by entry, uncompressed,
    so a different zlib build does not matter)."""
    spec = importlib.util.spec_from_file_location("make_reference_docx", ROOT / "tools" / "make_reference_docx.py")
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    built = module.build_reference()

    def entries(data: bytes) -> list[tuple[str, bytes]]:
        with zipfile.ZipFile(io.BytesIO(data)) as archive:
            return [(info.filename, archive.read(info)) for info in archive.infolist()]

    assert entries(built) == entries(REFERENCE.read_bytes()), "run tools/make_reference_docx.py and commit"


# --- reproducibility -----------------------------------------------------------------------------------

_DIGEST_SCRIPT = """
import hashlib, sys
from generator.writers import WriterOptions
from generator.writers.docx import write
from tests.ir_sample import para, sample_document
sys.stdout.write(hashlib.sha256(write(sample_document(), WriterOptions())).hexdigest())
"""


def test_same_bytes_across_processes(sample_bytes: bytes) -> None:
    digests = set()
    for seed in ("1", "2"):
        result = subprocess.run(
            [sys.executable, "-c", _DIGEST_SCRIPT],
            cwd=ROOT,
            env={"PYTHONHASHSEED": seed, "PATH": "/usr/bin:/bin", "TZ": f"Etc/GMT+{seed}"},
            capture_output=True,
            text=True,
            check=True,
        )
        digests.add(result.stdout)
    assert len(digests) == 1
    assert digests == {hashlib.sha256(sample_bytes).hexdigest()}


def test_zip_entries_carry_no_time_or_random_ids(sample_bytes: bytes) -> None:
    with zipfile.ZipFile(io.BytesIO(sample_bytes)) as archive:
        infos = archive.infolist()
    assert infos[0].filename == "[Content_Types].xml"
    assert {info.date_time for info in infos} == {ZIP_DATE_TIME}
    assert {info.compress_type for info in infos} == {zipfile.ZIP_DEFLATED}
    for name, xml in parts_xml(sample_bytes).items():
        assert b"rsid" not in xml, name
    app = parts_xml(sample_bytes)["docProps/app.xml"]
    assert app == parts_xml(REFERENCE.read_bytes())["docProps/app.xml"]


# --- LibreOffice ---------------------------------------------------------------------------------------

needs_soffice = pytest.mark.skipif(shutil.which("soffice") is None, reason="LibreOffice (soffice) not installed")


def convert_to_pdf(docx_path: Path, tmp_path: Path) -> Path:
    """Convert with a private LibreOffice profile; soffice exits 0 even on failure, so check the result."""
    outdir = tmp_path / "pdf"
    profile = (tmp_path / "lo-profile").as_uri()
    result = subprocess.run(
        [
            "soffice",
            f"-env:UserInstallation={profile}",
            "--headless",
            "--convert-to",
            "pdf",
            "--outdir",
            str(outdir),
            str(docx_path),
        ],
        capture_output=True,
        text=True,
        timeout=240,
    )
    assert "Error:" not in result.stderr, result.stderr
    pdf = outdir / (docx_path.stem + ".pdf")
    assert pdf.is_file() and pdf.stat().st_size > 0, result.stderr
    return pdf


@needs_soffice
def test_libreoffice_renders_the_docx(tmp_path: Path, sample_bytes: bytes) -> None:
    source = tmp_path / "raadsvoorstel.docx"
    source.write_bytes(sample_bytes)
    pdf = convert_to_pdf(source, tmp_path)
    text = subprocess.run(["pdftotext", "-layout", str(pdf), "-"], capture_output=True, text=True, check=True).stdout
    for expected in (
        "Raadsvoorstel",
        "Onderwerp",
        "1. Aanleiding",
        "6. Argumenten",
        "Er is draagvlak.",
        "■ Goal 01 Einde aan armoede",
        "Nvt",
        "G.J. Bouwmeester",
        "directeur-secretaris",
        "Gemeente Leusden",
    ):
        assert expected in text, expected
    assert re.search(r"pagina 1 van \d", text)
    # LibreOffice applied the numbering from numbering.xml, and the bijlagen restart at 1
    assert re.search(r"1\.\s+De uitgangspunten vaststellen\.", text)
    assert re.search(r"1\.\s+Memo ‘Uitgangspunten’\.", text)
    assert re.search(r"2\.\s+Inventarisatie\.", text)


@pytest.mark.parametrize(
    "text",
    ["gewone tekst", " spaties aan de randen ", "kolom\tkolom", "regel\nregel", "a\r\nb\tc", "€ 54.400 — ‘citaat’"],
)
def test_run_text_is_the_same_xml_as_python_docx_makes(text: str) -> None:
    """The fast path for run text must give exactly python-docx's XML (w:t, xml:space, w:tab, w:br)."""
    ours = docx.Document().add_paragraph()
    _styles.add_run(ours, text)
    theirs = docx.Document().add_paragraph()
    theirs.add_run(text)
    assert etree.tostring(ours._p) == etree.tostring(theirs._p)
    assert ours.text == theirs.text

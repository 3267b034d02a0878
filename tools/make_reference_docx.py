"""Build ``templates/docx/reference.docx``: python-docx's default template with the house typography.

Why a script instead of a hand-edited file: the reference document is binary, so a reviewer cannot see
what changed in it. Every style decision is written down here, and running the script again gives the
same bytes (a test checks that the committed file matches). Usage::

    .venv/bin/python tools/make_reference_docx.py            # rewrites templates/docx/reference.docx
    .venv/bin/python tools/make_reference_docx.py -o out.docx

The writer adds the per-municipality touches (house colour, language) on top of this document.
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path
from typing import Any

import docx
from docx.document import Document as DocxDocument
from docx.enum.style import WD_STYLE_TYPE
from docx.enum.text import WD_TAB_ALIGNMENT
from docx.opc.constants import RELATIONSHIP_TYPE as RT
from docx.oxml import OxmlElement
from docx.oxml.ns import qn
from docx.shared import Pt, RGBColor, Twips
from lxml import etree

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from generator.writers.docx import _styles  # noqa: E402
from generator.writers.docx._package import to_bytes  # noqa: E402
from generator.writers.housestyle import SharedStyle, load  # noqa: E402

OUTPUT = ROOT / "generator" / "templates" / "docx" / "reference.docx"
SOURCE = ROOT / "generator" / "templates" / "huisstijl.toml"  # page, fonts, sizes, spacing, colours (also the CSS)

STYLE: SharedStyle = load(SOURCE)
FONT = STYLE.font_word
if FONT != _styles.FONT:  # the writer names the font for symbol-free runs too; they must agree
    raise SystemExit(f"huisstijl.toml names {FONT!r}, the DOCX writer {_styles.FONT!r}")
LANGUAGE = "nl-NL"


def _rgb(name: str) -> RGBColor:
    return RGBColor.from_string(STYLE.colours[name].removeprefix("#"))


def _mm(value: float) -> Twips:
    """Millimetres as whole twips (what Word stores), so the test can compare them exactly."""
    return Twips(round(value / 25.4 * 1440))


def _line(points: float) -> int:
    """A line distance in twips for ``w:spacing/@w:line`` with lineRule "atLeast"."""
    return round(points * 20)


DEFAULT_COLOUR = _rgb("house")  # HouseStyle's default; the writer sets each municipality's
TEXT_COLOUR = _rgb("text")
GREY = _rgb("muted")
CONCEPT_COLOUR = _rgb("concept")
BODY_SIZE = Pt(STYLE.body_pt)
PAGE_WIDTH, PAGE_HEIGHT = _mm(STYLE.width_mm), _mm(STYLE.height_mm)
TEXT_WIDTH = Twips(PAGE_WIDTH.twips - _mm(STYLE.margin_left_mm).twips - _mm(STYLE.margin_right_mm).twips)
# Word 2013 and later: a document in this mode opens as a current document, not in compatibility mode.
COMPATIBILITY_MODE = "15"
WORD_URI = "http://schemas.microsoft.com/office/word"
COMPAT_SETTINGS = (
    ("compatibilityMode", COMPATIBILITY_MODE),
    ("overrideTableStyleFontSizeAndJustification", "1"),
    ("enableOpenTypeFeatures", "1"),
    ("doNotFlipMirrorIndents", "1"),
    ("differentiateMultirowTableHeaders", "1"),
)

STYLES_WITH_EFFECTS = "http://schemas.microsoft.com/office/2007/relationships/stylesWithEffects"
APP_XML = (
    b"<?xml version='1.0' encoding='UTF-8' standalone='yes'?>\n"
    b'<Properties xmlns="http://schemas.openxmlformats.org/officeDocument/2006/extended-properties" '
    b'xmlns:vt="http://schemas.openxmlformats.org/officeDocument/2006/docPropsVTypes">'
    b"<Application>raadsvoorstel</Application><DocSecurity>0</DocSecurity></Properties>"
)
DRAWINGML = "http://schemas.openxmlformats.org/drawingml/2006/main"


def build_reference() -> bytes:
    """The reference document as bytes (deterministic)."""
    document = docx.Document()
    _document_defaults(document)
    _fonts_without_theme(document)
    _paragraph_styles(document)
    _added_styles(document)
    _only_used_table_styles(document)
    _page_setup(document)
    _settings(document)
    _package(document)
    _remove_rsids(document)
    return to_bytes(document)


def _document_defaults(document: DocxDocument) -> None:
    """Font, size, line distance and paragraph spacing from huisstijl.toml, Dutch: what every style inherits.

    The line distance is "at least" size × line-height points: the same line box as CSS ``line-height``
    (Word's "multiple" would scale the font's own, taller, line height instead)."""
    defaults = document.styles.element.find(qn("w:docDefaults"))
    rpr = defaults.find(f"{qn('w:rPrDefault')}/{qn('w:rPr')}")
    _set_arial(rpr.find(qn("w:rFonts")))
    for tag in ("w:sz", "w:szCs"):
        rpr.find(qn(tag)).set(qn("w:val"), str(round(STYLE.body_pt * 2)))
    rpr.find(qn("w:lang")).set(qn("w:val"), LANGUAGE)
    spacing = defaults.find(f"{qn('w:pPrDefault')}/{qn('w:pPr')}/{qn('w:spacing')}")
    spacing.set(qn("w:after"), str(round(STYLE.paragraph_after_pt * 20)))
    spacing.set(qn("w:line"), str(_line(STYLE.body_line_pt)))
    spacing.set(qn("w:lineRule"), "atLeast")

    normal = document.styles[_styles.NORMAL]
    normal.font.name = FONT
    normal.font.size = BODY_SIZE
    normal.font.color.rgb = TEXT_COLOUR
    _set_arial(normal.element.get_or_add_rPr().find(qn("w:rFonts")))
    lang = OxmlElement("w:lang", {qn("w:val"): LANGUAGE})
    normal.element.get_or_add_rPr().append(lang)


def _set_arial(rfonts: Any) -> None:
    """Name Arial in all four script slots and drop theme-font references (they win over named fonts)."""
    for attribute in list(rfonts.attrib):
        del rfonts.attrib[attribute]
    for slot in ("w:ascii", "w:hAnsi", "w:cs", "w:eastAsia"):
        rfonts.set(qn(slot), FONT)


def _fonts_without_theme(document: DocxDocument) -> None:
    """Every style that pointed at the theme's Cambria/Calibri now names Arial."""
    for rfonts in document.styles.element.iter(qn("w:rFonts")):
        if any("theme" in name.lower() for name in rfonts.attrib):
            _set_arial(rfonts)


def _paragraph_styles(document: DocxDocument) -> None:
    """Title and headings bold, sizes from huisstijl.toml; headings stay with the text they head.

    Spacing mirrors the CSS: a section ends 6 mm (17 pt) above the next heading, an argument heading has
    3 mm (8.5 pt) above it and 1 mm below. Word and LibreOffice keep the larger of one paragraph's space
    after and the next one's space before, as CSS collapses margins (measured in LibreOffice: the distance
    between two "Nvt" sections is the same as in the PDF), so the CSS gaps are taken as they are.
    """
    headings = {
        _styles.TITLE: (STYLE.title_pt, 0.0, 14.0, TEXT_COLOUR),
        _styles.HEADING_1: (STYLE.section_pt, 17.0, 5.7, DEFAULT_COLOUR),
        _styles.HEADING_2: (STYLE.subheading_pt, 8.5, 2.8, TEXT_COLOUR),
        _styles.HEADING_3: (STYLE.subheading_pt, 8.5, 2.8, TEXT_COLOUR),
    }
    for name, (size, before, space_after, colour) in headings.items():
        style = document.styles[name]
        _set_size(style, Pt(size))
        style.font.bold = True
        style.font.italic = name == _styles.HEADING_3
        style.font.color.rgb = colour
        fmt = style.paragraph_format
        fmt.space_before, fmt.space_after = Pt(before), Pt(space_after)
        fmt.keep_with_next = True
        _line_at_least(style, size * (1.15 if name == _styles.TITLE else STYLE.heading_line_height))
    title = document.styles[_styles.TITLE].element
    for tag in ("w:pPr/w:pBdr", "w:rPr/w:spacing", "w:rPr/w:kern"):
        parent_tag, child_tag = tag.split("/")
        parent = title.find(qn(parent_tag))
        child = parent.find(qn(child_tag)) if parent is not None else None
        if child is not None:
            parent.remove(child)

    for name in (_styles.HEADER, _styles.FOOTER):
        style = document.styles[name]
        _set_size(style, Pt(STYLE.small_pt))
        style.font.color.rgb = GREY
        _line_auto(style)  # a logo in the header must not be clipped to a text line
        tabs = style.paragraph_format.tab_stops
        tabs.clear_all()
        tabs.add_tab_stop(TEXT_WIDTH, WD_TAB_ALIGNMENT.RIGHT)

    # The numbering definition indents list items, per level; the style's own indent would fight it.
    listed = document.styles[_styles.LIST_PARAGRAPH].element.pPr
    listed.remove(listed.find(qn("w:ind")))


def _line_at_least(style: Any, points: float) -> None:
    spacing = style.element.get_or_add_pPr().get_or_add_spacing()
    spacing.set(qn("w:line"), str(_line(points)))
    spacing.set(qn("w:lineRule"), "atLeast")


def _line_auto(style: Any) -> None:
    spacing = style.element.get_or_add_pPr().get_or_add_spacing()
    spacing.set(qn("w:line"), "240")
    spacing.set(qn("w:lineRule"), "auto")


def _set_size(style: Any, size: Pt) -> None:
    """Font size for Latin and complex scripts alike (python-docx's ``font.size`` sets only ``w:sz``)."""
    style.font.size = size
    rpr = style.element.get_or_add_rPr()
    rpr.find(qn("w:sz")).addnext(OxmlElement("w:szCs", {qn("w:val"): str(int(size.pt * 2))}))
    for extra in rpr.findall(qn("w:szCs"))[1:]:
        rpr.remove(extra)


def _added_styles(document: DocxDocument) -> None:
    """Styles python-docx's template lacks: Hyperlink, Checklist, Borderless Table."""
    styles = document.styles
    link = styles.add_style(_styles.HYPERLINK, WD_STYLE_TYPE.CHARACTER, builtin=True)
    link.base_style = styles["Default Paragraph Font"]
    link.font.underline = True
    link.font.color.rgb = DEFAULT_COLOUR
    link.priority = 99
    link.unhide_when_used = True

    label = styles.add_style(_styles.FIELD_LABEL, WD_STYLE_TYPE.CHARACTER)
    label.base_style = styles["Default Paragraph Font"]
    label.font.color.rgb = GREY
    label.priority = 99

    subject = styles.add_style(_styles.SUBJECT, WD_STYLE_TYPE.CHARACTER)
    subject.base_style = styles["Default Paragraph Font"]
    subject.font.bold = True
    _set_size(subject, Pt(STYLE.subject_pt))
    subject.priority = 99

    concept = styles.add_style(_styles.CONCEPT_MARK, WD_STYLE_TYPE.CHARACTER)
    concept.base_style = styles["Default Paragraph Font"]
    concept.font.bold = True
    concept.font.color.rgb = CONCEPT_COLOUR
    concept.priority = 99

    sender = styles.add_style(_styles.SENDER, WD_STYLE_TYPE.PARAGRAPH)
    sender.base_style = styles[_styles.NORMAL]
    _set_size(sender, Pt(STYLE.sender_pt))
    sender.font.bold = True
    sender.font.color.rgb = DEFAULT_COLOUR
    sender.paragraph_format.space_after = Pt(25.5)  # 9 mm to the title, as in the PDF
    sender.paragraph_format.keep_with_next = True
    _line_at_least(sender, STYLE.sender_pt * 1.2)
    border = OxmlElement("w:pBdr")
    border.append(
        OxmlElement(
            "w:bottom",
            {qn("w:val"): "single", qn("w:sz"): "20", qn("w:space"): "8", qn("w:color"): STYLE.colours["house"][1:]},
        )
    )
    sender_ppr = sender.element.get_or_add_pPr()
    sender_ppr.insert_element_before(border, "w:shd", "w:tabs", "w:suppressAutoHyphens", "w:spacing", "w:ind", "w:jc")
    sender.quick_style = True

    checklist = styles.add_style(_styles.CHECKLIST, WD_STYLE_TYPE.PARAGRAPH)
    checklist.base_style = styles[_styles.NORMAL]
    checklist.paragraph_format.space_after = Pt(3.4)  # 1.2 mm, as the PDF's checklist
    checklist.quick_style = True

    table = styles.add_style(_styles.BORDERLESS_TABLE, WD_STYLE_TYPE.TABLE)
    table.base_style = styles["Normal Table"]
    tbl_pr = OxmlElement("w:tblPr")
    borders = OxmlElement("w:tblBorders")
    for edge in ("top", "left", "bottom", "right", "insideH", "insideV"):
        borders.append(OxmlElement(f"w:{edge}", {qn("w:val"): "nil"}))
    tbl_pr.append(borders)
    margins = OxmlElement("w:tblCellMar")
    for edge, width in (("top", 0), ("left", 0), ("bottom", 0), ("right", 113)):
        margins.append(OxmlElement(f"w:{edge}", {qn("w:w"): str(width), qn("w:type"): "dxa"}))
    tbl_pr.append(margins)
    table.element.append(tbl_pr)


def _only_used_table_styles(document: DocxDocument) -> None:
    """Keep the table styles the writer uses, the default one and what those are based on; drop the rest.

    python-docx's template defines 101 table styles (Light Shading, Medium Grid, …): 336 of the 344 KB of its
    styles.xml, which every DOCX the writer makes carried, parsed, wrote out and compressed again (0.22 → 0.125
    s for the 14 example DOCX). Word keeps them as built-in styles (the latent styles stay) and defines one
    in the document when a clerk picks it, so nothing is lost.
    """
    element = document.styles.element
    tables = {s.get(qn("w:styleId")): s for s in element.iterchildren(qn("w:style")) if s.get(qn("w:type")) == "table"}
    wanted = [
        style_id
        for style_id, style in tables.items()
        if style.find(qn("w:name")).get(qn("w:val")) in _styles.TABLE_STYLES or style.get(qn("w:default")) == "1"
    ]
    kept: set[str] = set()
    while wanted:
        style_id = wanted.pop()
        if style_id in kept or style_id not in tables:
            continue
        kept.add(style_id)
        based_on = tables[style_id].find(qn("w:basedOn"))
        if based_on is not None:
            wanted.append(based_on.get(qn("w:val")))
    for style_id, style in tables.items():
        if style_id not in kept:
            element.remove(style)


def _page_setup(document: DocxDocument) -> None:
    """Page size, margins and header/footer distances from huisstijl.toml (the PDF's @page)."""
    section = document.sections[0]
    section.page_width, section.page_height = PAGE_WIDTH, PAGE_HEIGHT
    section.top_margin, section.right_margin = _mm(STYLE.margin_top_mm), _mm(STYLE.margin_right_mm)
    section.bottom_margin, section.left_margin = _mm(STYLE.margin_bottom_mm), _mm(STYLE.margin_left_mm)
    section.header_distance, section.footer_distance = _mm(STYLE.header_mm), _mm(STYLE.footer_mm)


def _settings(document: DocxDocument) -> None:
    """Word 2013+ layout (no compatibility mode), Dutch theme language and number separators; no "already
    spell-checked" flag, so Word checks the generated text."""
    settings = document.settings.element
    for tag in ("w:proofState", "w:rsids"):
        element = settings.find(qn(tag))
        if element is not None:
            settings.remove(element)
    settings.find(qn("w:themeFontLang")).set(qn("w:val"), LANGUAGE)
    settings.find(qn("w:decimalSymbol")).set(qn("w:val"), ",")
    settings.find(qn("w:listSeparator")).set(qn("w:val"), ";")
    compat = settings.find(qn("w:compat"))
    for child in list(compat):
        compat.remove(child)
    for name, value in COMPAT_SETTINGS:
        compat.append(OxmlElement("w:compatSetting", {qn("w:name"): name, qn("w:uri"): WORD_URI, qn("w:val"): value}))


def _package(document: DocxDocument) -> None:
    """Neutral metadata without dates (the writer sets the proposal's own), no thumbnail of an empty page,
    no Word 2010 style copy, Arial in the theme."""
    props = document.core_properties
    for name in ("title", "subject", "author", "keywords", "comments", "last_modified_by", "category"):
        setattr(props, name, "")
    props.revision = 1
    props.language = LANGUAGE
    for child in list(props._element):
        if child.tag.rsplit("}", 1)[-1] in ("created", "modified", "lastPrinted"):
            props._element.remove(child)

    package = document.part.package
    for r_id, rel in list(package.rels.items()):
        if rel.reltype == RT.THUMBNAIL:
            del package.rels[r_id]
    for r_id, rel in list(document.part.rels.items()):
        if rel.reltype == STYLES_WITH_EFFECTS:
            document.part.drop_rel(r_id)
    for part in package.iter_parts():
        if part.partname == "/docProps/app.xml":
            part._blob = APP_XML
        elif part.partname == "/word/theme/theme1.xml":
            theme = etree.fromstring(part.blob)
            for latin in theme.iter(f"{{{DRAWINGML}}}latin"):
                if latin.getparent().tag in (f"{{{DRAWINGML}}}majorFont", f"{{{DRAWINGML}}}minorFont"):
                    latin.set("typeface", FONT)
            part._blob = etree.tostring(theme, xml_declaration=True, encoding="UTF-8", standalone=True)


def _remove_rsids(document: DocxDocument) -> None:
    """Revision-save ids are Word's editing history; a template has none."""
    for root in (document.styles.element, document.element):
        for rsid in list(root.iter(qn("w:rsid"))):
            rsid.getparent().remove(rsid)
        for element in root.iter():
            for attribute in [a for a in element.attrib if a.startswith(qn("w:rsid"))]:
                del element.attrib[attribute]


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("-o", "--output", type=Path, default=OUTPUT, help="target file")
    args = parser.parse_args(argv)
    args.output.parent.mkdir(parents=True, exist_ok=True)
    args.output.write_bytes(build_reference())
    print(f"wrote {args.output}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())

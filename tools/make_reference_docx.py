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
import datetime as dt
import io
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
from generator.writers.docx._package import normalize_zip  # noqa: E402

OUTPUT = ROOT / "generator" / "templates" / "docx" / "reference.docx"

FONT = _styles.FONT
LANGUAGE = "nl-NL"
DEFAULT_COLOUR = RGBColor(0x1F, 0x4E, 0x79)  # HouseStyle's default; the writer sets each municipality's
GREY = RGBColor(0x59, 0x59, 0x59)
BODY_SIZE = Pt(10)
LINE_SPACING = 276  # 240ths of a line: 1.15
PAGE_WIDTH, PAGE_HEIGHT = Twips(11906), Twips(16838)  # A4
MARGIN = Twips(1417)  # 2.5 cm
HEADER_DISTANCE = Twips(709)  # 1.25 cm
TEXT_WIDTH = Twips(11906 - 2 * 1417)
FIXED_DATE = dt.datetime(2000, 1, 1, tzinfo=dt.UTC)

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
    _page_setup(document)
    _settings(document)
    _package(document)
    _remove_rsids(document)
    buffer = io.BytesIO()
    document.save(buffer)
    return normalize_zip(buffer.getvalue())


def _document_defaults(document: DocxDocument) -> None:
    """Arial 10 pt, Dutch, 1.15 line spacing, 6 pt after each paragraph: the base every style inherits."""
    defaults = document.styles.element.find(qn("w:docDefaults"))
    rpr = defaults.find(f"{qn('w:rPrDefault')}/{qn('w:rPr')}")
    _set_arial(rpr.find(qn("w:rFonts")))
    for tag in ("w:sz", "w:szCs"):
        rpr.find(qn(tag)).set(qn("w:val"), str(int(BODY_SIZE.pt * 2)))
    rpr.find(qn("w:lang")).set(qn("w:val"), LANGUAGE)
    spacing = defaults.find(f"{qn('w:pPrDefault')}/{qn('w:pPr')}/{qn('w:spacing')}")
    spacing.set(qn("w:after"), "120")
    spacing.set(qn("w:line"), str(LINE_SPACING))
    spacing.set(qn("w:lineRule"), "auto")

    normal = document.styles[_styles.NORMAL]
    normal.font.name = FONT
    normal.font.size = BODY_SIZE
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
    """Title and headings bold in the house colour; calm sizes; headings stay with the text they head."""
    headings = {
        _styles.TITLE: (Pt(20), Pt(0), Pt(12)),
        _styles.HEADING_1: (Pt(13), Pt(18), Pt(6)),
        _styles.HEADING_2: (Pt(11), Pt(12), Pt(3)),
        _styles.HEADING_3: (Pt(10), Pt(12), Pt(3)),
    }
    for name, (size, before, after) in headings.items():
        style = document.styles[name]
        _set_size(style, size)
        style.font.bold = True
        style.font.italic = False
        style.font.color.rgb = DEFAULT_COLOUR
        fmt = style.paragraph_format
        fmt.space_before, fmt.space_after = before, after
        fmt.keep_with_next = True
        fmt.line_spacing = 1.0
    title = document.styles[_styles.TITLE].element
    for tag in ("w:pPr/w:pBdr", "w:rPr/w:spacing", "w:rPr/w:kern"):
        parent_tag, child_tag = tag.split("/")
        parent = title.find(qn(parent_tag))
        child = parent.find(qn(child_tag)) if parent is not None else None
        if child is not None:
            parent.remove(child)

    for name in (_styles.HEADER, _styles.FOOTER):
        style = document.styles[name]
        _set_size(style, Pt(8))
        style.font.color.rgb = GREY
        tabs = style.paragraph_format.tab_stops
        tabs.clear_all()
        tabs.add_tab_stop(TEXT_WIDTH, WD_TAB_ALIGNMENT.RIGHT)

    # The numbering definition indents list items, per level; the style's own indent would fight it.
    listed = document.styles[_styles.LIST_PARAGRAPH].element.pPr
    listed.remove(listed.find(qn("w:ind")))


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

    checklist = styles.add_style(_styles.CHECKLIST, WD_STYLE_TYPE.PARAGRAPH)
    checklist.base_style = styles[_styles.NORMAL]
    checklist.paragraph_format.space_after = Pt(2)
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


def _page_setup(document: DocxDocument) -> None:
    """A4 portrait, 2.5 cm margins all round, header and footer 1.25 cm from the edge."""
    section = document.sections[0]
    section.page_width, section.page_height = PAGE_WIDTH, PAGE_HEIGHT
    section.left_margin = section.right_margin = MARGIN
    section.top_margin = section.bottom_margin = MARGIN
    section.header_distance = section.footer_distance = HEADER_DISTANCE


def _settings(document: DocxDocument) -> None:
    """Dutch theme language; no "already spell-checked" flag, so Word checks the generated text."""
    settings = document.settings.element
    for tag in ("w:proofState", "w:rsids"):
        element = settings.find(qn(tag))
        if element is not None:
            settings.remove(element)
    settings.find(qn("w:themeFontLang")).set(qn("w:val"), LANGUAGE)


def _package(document: DocxDocument) -> None:
    """Neutral metadata, no thumbnail of an empty page, no Word 2010 style copy, Arial in the theme."""
    props = document.core_properties
    for name in ("title", "subject", "author", "keywords", "comments", "last_modified_by", "category"):
        setattr(props, name, "")
    props.created = props.modified = FIXED_DATE
    props.revision = 1
    props.language = LANGUAGE

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

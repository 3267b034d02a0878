"""Style names the DOCX writer uses, and the house-style touches applied per document.

Why one module of names: python-docx does not always complain when a document lacks a style; a missing
"Heading 1" would quietly turn into body text and the navigation pane would be empty. Every name the writer
uses is listed in ``USED_STYLES`` so a test can check each one against ``templates/docx/reference.docx``.
The look of each style (font, size, spacing) lives in that reference document, made by
``tools/make_reference_docx.py``; only what varies per municipality (the house colour) is set here.
"""

from __future__ import annotations

from typing import Any
from weakref import WeakKeyDictionary

from docx.document import Document as DocxDocument
from docx.enum.style import WD_STYLE_TYPE
from docx.oxml import OxmlElement
from docx.oxml.ns import qn
from docx.shared import RGBColor
from docx.styles import BabelFish
from docx.styles.style import StyleFactory
from docx.text.paragraph import Paragraph as DocxParagraph
from docx.text.run import Run

from generator.errors import RenderError

TITLE = "Title"
SENDER = "Sender"  # "Gemeente Leusden" above the title, over a rule in the house colour (as in the PDF)
HEADING_1 = "Heading 1"  # section headings: "1. Aanleiding"
HEADING_2 = "Heading 2"  # sub-headings inside a section's text, and argument headings: "1.1 Er is draagvlak …"
HEADING_3 = "Heading 3"  # sub-headings inside an argument's text (one level below the argument, no skips)
NORMAL = "Normal"
LIST_PARAGRAPH = "List Paragraph"  # numbered and bulleted items (numbering comes from numPr, not the style)
CHECKLIST = "Checklist"  # one Global Goal per line
HEADER = "Header"
FOOTER = "Footer"
STRONG = "Strong"  # the municipality's name in the running header
FIELD_LABEL = "Field Label"  # labels in the title block ("Onderwerp", "Datum raadsvergadering"), muted as in the PDF
SUBJECT = "Subject"  # the subject in the title block: bold, a size up (huisstijl.toml subject_pt)
CONCEPT_MARK = "Concept Mark"  # "CONCEPT" in the header of a document that still holds placeholders
HYPERLINK = "Hyperlink"
BORDERLESS_TABLE = "Borderless Table"  # title block and signatures
TABLE_GRID = "Table Grid"  # data tables in a section's text (Markdown pipe tables)

PARAGRAPH_STYLES = frozenset(
    {TITLE, SENDER, HEADING_1, HEADING_2, HEADING_3, NORMAL, LIST_PARAGRAPH, CHECKLIST, HEADER, FOOTER}
)
CHARACTER_STYLES = frozenset({STRONG, HYPERLINK, CONCEPT_MARK, FIELD_LABEL, SUBJECT})
TABLE_STYLES = frozenset({BORDERLESS_TABLE, TABLE_GRID})
USED_STYLES = PARAGRAPH_STYLES | CHARACTER_STYLES | TABLE_STYLES

# Styles drawn in the house colour of the municipality (as the PDF: sender line, section headings, links).
HOUSE_COLOURED = (SENDER, HEADING_1, HYPERLINK)

FONT = "Arial"  # metric-compatible with Liberation Sans, the font of the PDF writer

_KIND = {
    **dict.fromkeys(PARAGRAPH_STYLES, WD_STYLE_TYPE.PARAGRAPH),
    **dict.fromkeys(CHARACTER_STYLES, WD_STYLE_TYPE.CHARACTER),
    **dict.fromkeys(TABLE_STYLES, WD_STYLE_TYPE.TABLE),
}


def _style_elements(document: DocxDocument) -> dict[str, Any]:
    """The document's ``w:style`` elements by their name in styles.xml, the first of each name."""
    found: dict[str, Any] = {}
    for element in document.styles.element.iterchildren(qn("w:style")):
        name = element.name_val
        if name is not None:
            found.setdefault(name, element)
    return found


def _style(document: DocxDocument, elements: dict[str, Any], name: str) -> Any:  # as styles[name]
    """``document.styles[name]`` from ``elements`` (one pass over the styles instead of a search per name);
    a name it lacks goes to python-docx, which also tries it as a style id or raises KeyError."""
    element = elements.get(BabelFish.ui2internal(name))
    return StyleFactory(element) if element is not None else document.styles[name]


def check_styles(document: DocxDocument) -> None:
    """Fail loudly when the reference document lacks a style the writer relies on (or has the wrong kind)."""
    missing = []
    elements = _style_elements(document)
    for name in sorted(USED_STYLES):
        try:
            style = _style(document, elements, name)
        except KeyError:
            missing.append(name)
            continue
        if style.type != _KIND[name]:
            missing.append(f"{name} (verkeerd soort stijl)")
    if missing:
        raise RenderError("reference.docx mist stijlen: " + ", ".join(missing))


def parse_colour(colour: str) -> RGBColor:
    """``"#00626F"`` → RGBColor; a malformed colour is a render error, not a crash deep inside lxml."""
    value = colour.removeprefix("#")
    try:
        return RGBColor.from_string(value.upper())
    except ValueError as exc:
        raise RenderError(f"ongeldige huiskleur {colour!r}: verwacht #RRGGBB") from exc


def apply_house_style(document: DocxDocument, colour: str, language: str) -> None:
    """Colour the headings and links in the municipality's colour and set the spelling language.

    Done on the styles, not on each run, so a clerk who adds a heading in Word gets the same colour.
    """
    rgb = parse_colour(colour)
    elements = _style_elements(document)
    for name in HOUSE_COLOURED:
        _style(document, elements, name).font.color.rgb = rgb
    for border in _style(document, elements, SENDER).element.iter(qn("w:bottom")):
        border.set(qn("w:color"), str(rgb))
    _set_default_language(document, elements, language)


def _set_default_language(document: DocxDocument, elements: dict[str, Any], language: str) -> None:
    """Put ``w:lang`` in docDefaults and Normal so Word spell-checks the whole text in ``language``."""
    styles_el = document.styles.element
    defaults = styles_el.find(qn("w:docDefaults"))
    if defaults is None:
        raise RenderError("reference.docx heeft geen w:docDefaults")
    rpr = defaults.find(f"{qn('w:rPrDefault')}/{qn('w:rPr')}")
    normal_rpr = _style(document, elements, NORMAL).element.get_or_add_rPr()
    for target in (rpr, normal_rpr):
        if target is None:
            continue
        lang = target.find(qn("w:lang"))
        if lang is None:
            lang = OxmlElement("w:lang")
            target.append(lang)
        lang.set(qn("w:val"), language)


# --- fast style assignment -------------------------------------------------------------------------------
# python-docx resolves a style name on every assignment by scanning all styles for the default one; that was
# two thirds of the writer's time. The ids are resolved once per document package instead.
_IDS: WeakKeyDictionary[Any, dict[str, str | None]] = WeakKeyDictionary()
_DEFAULTED_KINDS = (WD_STYLE_TYPE.PARAGRAPH, WD_STYLE_TYPE.CHARACTER, WD_STYLE_TYPE.TABLE)


def _style_ids(part: Any) -> dict[str, str | None]:
    """Style name → style id (None for the default style of its kind, as python-docx writes it)."""
    package = part.package
    ids = _IDS.get(package)
    if ids is None:
        # The w:style elements read directly, as python-docx's style objects read them (a style without a
        # w:type is a paragraph style): making a style object per style cost more than the reading.
        elements = list(package.main_document_part.styles.element.iterchildren(qn("w:style")))
        default_of_kind = {}  # as python-docx's styles.default(kind), in one pass: the last default in order
        for element in elements:
            kind = element.type or WD_STYLE_TYPE.PARAGRAPH
            if kind in _DEFAULTED_KINDS and element.default:
                default_of_kind[kind] = element.styleId
        defaults = set(default_of_kind.values())
        ids = {}
        for element in elements:
            name = element.name_val
            if name is not None:  # a style without a name cannot be asked for by name
                ids[BabelFish.internal2ui(name)] = None if element.styleId in defaults else element.styleId
        _IDS[package] = ids
    return ids


def style_id(paragraph: DocxParagraph, name: str) -> str | None:
    """The id of style ``name`` in the paragraph's document (None for a default style)."""
    return _style_ids(paragraph.part)[name]


def set_table_style(table: Any, name: str) -> None:
    """``table.style = document.styles[name]`` without python-docx's two searches of the styles."""
    table._tbl.tblStyle_val = _style_ids(table.part)[name]


def set_paragraph_style(paragraph: DocxParagraph, name: str) -> DocxParagraph:
    paragraph._p.style = _style_ids(paragraph.part)[name]
    return paragraph


def add_paragraph(container: Any, name: str, text: str = "") -> DocxParagraph:
    """``container.add_paragraph(text, style=name)`` without python-docx's per-call style scan."""
    paragraph: DocxParagraph = container.add_paragraph()
    if text:
        add_run(paragraph, text)
    return set_paragraph_style(paragraph, name)


# python-docx sets a run's text one character at a time (so that tabs and line breaks become w:tab and w:br),
# about a sixth of the writer's time; text without them goes into one w:t directly, with the same XML.
_SPECIAL_CHARACTERS = frozenset("\t\r\n")


def add_run(paragraph: DocxParagraph, text: str = "", name: str | None = None) -> Run:
    """``paragraph.add_run(text, style=name)`` without python-docx's per-call style scan and per-character loop."""
    run = paragraph.add_run()
    if text:
        if _SPECIAL_CHARACTERS.isdisjoint(text):
            run._r.add_t(text)
        else:
            run.text = text
    if name is not None:
        run._r.style = _style_ids(paragraph.part)[name]
    return run

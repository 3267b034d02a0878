"""ODT writer: ``write(Document, WriterOptions) -> bytes``, the same IR as an OpenDocument text (ODF 1.3).

Why ODF beside DOCX: it is on Forum Standaardisatie's "pas toe of leg uit" list for editable documents and
OOXML is not. Why lxml and not a library such as odfdo: the document is small and fixed in shape, lxml is
already a dependency (python-docx), and writing the XML ourselves gives full control over what makes bytes
reproducible (element order, no generated ids or timestamps, a fixed ZIP); odfdo would add a dependency that
starts from its own template with its own metadata and dates, which we would have to strip again.

Real structure for a clerk who keeps working in LibreOffice: ``text:h`` with outline levels (the navigator
lists the sections), named paragraph styles, lists as ``text:list`` that restart per list (with a start
number when the data says so), real footnotes (``text:note``), tables with a repeating header row, page
number fields in the footer. Sizes, fonts, page and colours come from ``huisstijl.toml`` (the same source as
the DOCX reference document and the PDF's CSS); the house colour per municipality from the document.
"""

from __future__ import annotations

import io
import zipfile

from lxml import etree

from generator.document import visit
from generator.document.nodes import (
    CHECKED_MARK,
    UNCHECKED_MARK,
    Argument,
    Block,
    BulletList,
    Checklist,
    Document,
    Footnote,
    Inline,
    LineBreak,
    Link,
    NotApplicable,
    NumberedList,
    Paragraph,
    Section,
    SubHeading,
    Table,
    Text,
)
from generator.writers import WriterOptions, housestyle
from generator.writers.housefile import house_style
from generator.writers.images import check_logo
from generator.writers.templatefiles import Templates

__all__ = ["MIMETYPE", "write"]

MIMETYPE = "application/vnd.oasis.opendocument.text"

NS = {
    "office": "urn:oasis:names:tc:opendocument:xmlns:office:1.0",
    "style": "urn:oasis:names:tc:opendocument:xmlns:style:1.0",
    "text": "urn:oasis:names:tc:opendocument:xmlns:text:1.0",
    "table": "urn:oasis:names:tc:opendocument:xmlns:table:1.0",
    "fo": "urn:oasis:names:tc:opendocument:xmlns:xsl-fo-compatible:1.0",
    "svg": "urn:oasis:names:tc:opendocument:xmlns:svg-compatible:1.0",
    "xlink": "http://www.w3.org/1999/xlink",
    "dc": "http://purl.org/dc/elements/1.1/",
    "meta": "urn:oasis:names:tc:opendocument:xmlns:meta:1.0",
    "manifest": "urn:oasis:names:tc:opendocument:xmlns:manifest:1.0",
    "draw": "urn:oasis:names:tc:opendocument:xmlns:drawing:1.0",
}
VERSION = "1.3"
CONCEPT = "CONCEPT"

#: Character styles for the combinations of bold, italic and highlight a run can have.
_SPAN = {
    (True, False, False): "T_b",
    (False, True, False): "T_i",
    (True, True, False): "T_bi",
    (False, False, True): "T_h",
    (True, False, True): "T_bh",
    (False, True, True): "T_ih",
    (True, True, True): "T_bih",
}


def _q(name: str) -> str:
    prefix, local = name.split(":")
    return f"{{{NS[prefix]}}}{local}"


def _el(
    parent: etree._Element | None, name: str, attrs: dict[str, str] | None = None, text: str | None = None
) -> etree._Element:
    element = etree.Element(_q(name), nsmap=NS) if parent is None else etree.SubElement(parent, _q(name))
    for key, value in (attrs or {}).items():
        element.set(_q(key), value)
    if text is not None:
        element.text = text
    return element


def _pt(value: float) -> str:
    return f"{value:g}pt"


def _mm(value: float) -> str:
    return f"{value:g}mm"


# --- styles.xml ----------------------------------------------------------------------------------------------


Logo = tuple[str, str, bytes, float]  # (name in the package, media type, bytes, width in mm)


def _logo(doc: Document, templates: Templates, height_mm: float) -> Logo | None:
    """The house-style logo as a package part, or None; an unusable logo is the same error as in DOCX and PDF."""
    if not doc.house.logo:
        return None
    from PIL import Image

    check_logo(doc, templates)
    path = templates.find(doc.house.logo)
    with Image.open(path) as image:
        width, height = image.size
        kind = image.format
    ext, media = ("png", "image/png") if kind == "PNG" else ("jpg", "image/jpeg")
    return f"Pictures/logo.{ext}", media, path.read_bytes(), height_mm * width / height


def _styles_xml(doc: Document, house: housestyle.SharedStyle) -> bytes:
    root = _el(None, "office:document-styles", {"office:version": VERSION})
    fonts = _el(root, "office:font-face-decls")
    _el(fonts, "style:font-face", {"style:name": house.font_word, "svg:font-family": house.font_word})
    styles = _el(root, "office:styles")
    text_colour = house.colours["text"]
    default = _el(styles, "style:default-style", {"style:family": "paragraph"})
    _el(
        default,
        "style:paragraph-properties",
        # "at least" size × line height in points, as the DOCX: LibreOffice's proportional 150% is 1.5 times the
        # font's own line (1.15 em for Liberation Sans), not CSS's 1.5 em, and made every ODT a page longer.
        {
            "style:line-height-at-least": _pt(round(house.body_line_pt, 2)),
            "fo:margin-bottom": _pt(house.paragraph_after_pt),
        },
    )
    _el(
        default,
        "style:text-properties",
        {
            "style:font-name": house.font_word,
            "fo:font-size": _pt(house.body_pt),
            "fo:color": text_colour,
            "fo:language": doc.language.split("-")[0],
            "fo:country": doc.language.split("-")[-1],
        },
    )

    def paragraph(name: str, display: str, size: float | None = None, *, bold: bool = False, colour: str | None = None,
                  parent: str = "Standard", level: int | None = None, italic: bool = False, before: float | None = None,
                  margin_left: str | None = None, align: str | None = None, keep: bool = False) -> None:  # fmt: skip
        attrs = {"style:name": name, "style:display-name": display, "style:family": "paragraph"}
        if name != "Standard":
            attrs["style:parent-style-name"] = parent
        if level is not None:
            attrs["style:default-outline-level"] = str(level)
            attrs["style:class"] = "text"
        style = _el(styles, "style:style", attrs)
        props: dict[str, str] = {}
        if before is not None:
            props["fo:margin-top"] = _pt(before)
        if margin_left is not None:
            props["fo:margin-left"] = margin_left
        if align is not None:
            props["fo:text-align"] = align
        if keep:
            props["fo:keep-with-next"] = "always"
        if level is not None:
            props["style:line-height-at-least"] = _pt(round((size or house.body_pt) * house.heading_line_height, 2))
        if props:
            _el(style, "style:paragraph-properties", props)
        text: dict[str, str] = {}
        if size is not None:
            text["fo:font-size"] = _pt(size)
        if bold:
            text["fo:font-weight"] = "bold"
        if italic:
            text["fo:font-style"] = "italic"
        if colour is not None:
            text["fo:color"] = colour
        if text:
            _el(style, "style:text-properties", text)

    house_colour = doc.house.color
    paragraph("Standard", "Standard")
    paragraph("Sender", "Afzender", house.sender_pt, colour=house_colour, bold=True, keep=True)
    sender = styles[-1]  # the letterhead: a rule in the house colour under the name, as in the PDF and the DOCX
    sender_props = {
        "style:line-height-at-least": _pt(round(house.sender_pt * 1.2, 2)),
        "fo:margin-bottom": "9mm",
        "fo:padding-bottom": "3mm",
        "fo:border-bottom": f"2.5pt solid {house_colour}",
    }
    sender_paragraph = sender.find(_q("style:paragraph-properties"))
    assert sender_paragraph is not None  # made by paragraph(keep=True)
    for key, value in sender_props.items():
        sender_paragraph.set(_q(key), value)
    tabs = _el(sender_paragraph, "style:tab-stops")  # "CONCEPT" at the right margin of the sender line
    text_width = house.width_mm - house.margin_left_mm - house.margin_right_mm
    _el(tabs, "style:tab-stop", {"style:position": _mm(text_width), "style:type": "right"})
    paragraph("Title", "Title", house.title_pt, bold=True, colour=house_colour)
    paragraph("Heading_20_1", "Heading 1", house.section_pt, bold=True, colour=house_colour, level=1,
              before=house.section_pt, keep=True)  # fmt: skip
    paragraph("Heading_20_2", "Heading 2", house.subheading_pt, bold=True, level=2, keep=True)
    paragraph("Heading_20_3", "Heading 3", house.subheading_pt, bold=True, level=3, keep=True)
    paragraph("List_20_Paragraph", "List Paragraph")
    paragraph("Table_20_Contents", "Table Contents")
    # Text in a cell has no space under it (the cell's padding gives the room), as a td in the PDF.
    _el(styles[-1], "style:paragraph-properties", {"fo:margin-bottom": "0mm"})
    paragraph("Table_20_Heading", "Table Heading", bold=True, parent="Table_20_Contents")
    paragraph("Field_20_Label", "Field Label", colour=house.colours["muted"], parent="Table_20_Contents")
    paragraph("Subject", "Subject", house.subject_pt, bold=True, parent="Table_20_Contents")
    paragraph("Footnote", "Footnote", house.small_pt)
    paragraph("Header", "Header", house.small_pt, colour=house.colours["muted"])
    header_style = styles[-1]  # name left, subject right: a right tab stop at the right margin
    properties = {"fo:line-height": "100%", "fo:margin-bottom": "0mm"}
    tabs = _el(_el(header_style, "style:paragraph-properties", properties), "style:tab-stops")
    _el(tabs, "style:tab-stop", {"style:position": _mm(text_width), "style:type": "right"})
    header_style.insert(0, header_style[-1])  # paragraph properties before text properties (schema order)
    paragraph("Footer", "Footer", house.small_pt, colour=house.colours["muted"], align="end")
    paragraph("Checklist", "Checklist")
    # the outline: headings carry their number as text ("1. Aanleiding"), so the outline adds none
    outline = _el(styles, "text:outline-style", {"style:name": "Outline"})
    for level in range(1, 11):
        _el(outline, "text:outline-level-style", {"text:level": str(level), "style:num-format": ""})
    _list_style(styles, "Numbering_20_123", ordered=True)
    _list_style(styles, "List_20_Bullet", ordered=False)
    _el(
        styles,
        "text:notes-configuration",
        {"text:note-class": "footnote", "style:num-format": "1", "text:start-value": "0",
         "text:footnotes-position": "page", "text:start-numbering-at": "document"},
    )  # fmt: skip

    automatic = _el(root, "office:automatic-styles")
    layout = _el(automatic, "style:page-layout", {"style:name": "pm1"})
    _el(
        layout,
        "style:page-layout-properties",
        {
            "fo:page-width": _mm(house.width_mm),
            "fo:page-height": _mm(house.height_mm),
            "style:print-orientation": "portrait",
            "fo:margin-top": _mm(house.header_mm),
            "fo:margin-bottom": _mm(house.footer_mm),
            "fo:margin-left": _mm(house.margin_left_mm),
            "fo:margin-right": _mm(house.margin_right_mm),
        },
    )
    for part, room in (("style:header-style", house.margin_top_mm - house.header_mm),
                       ("style:footer-style", house.margin_bottom_mm - house.footer_mm)):  # fmt: skip
        # ODF counts the header inside the page margin, Word outside the body: fix its height (and the
        # footer's) so the body starts and ends where the DOCX's does, with or without a logo.
        holder = _el(layout, part)
        spacing = "fo:margin-bottom" if part == "style:header-style" else "fo:margin-top"
        _el(holder, "style:header-footer-properties", {"svg:height": _mm(room - 2), spacing: "2mm"})
    concept = _el(automatic, "style:style", {"style:name": "T_concept", "style:family": "text"})
    _el(concept, "style:text-properties", {"fo:color": house.colours["concept"], "fo:font-weight": "bold"})
    strong = _el(automatic, "style:style", {"style:name": "T_strong", "style:family": "text"})
    _el(strong, "style:text-properties", {"fo:font-weight": "bold"})

    masters = _el(root, "office:master-styles")
    # Page 1 has no running header (its title block names municipality and subject, as in the PDF and the DOCX);
    # the first paragraph asks for this page style, which hands over to "Standard" for the pages after it.
    first_attrs = {"style:name": "First_20_Page", "style:display-name": "First Page",
                   "style:page-layout-name": "pm1", "style:next-style-name": "Standard"}  # fmt: skip
    first = _el(masters, "style:master-page", first_attrs)
    _el(first, "style:header")
    _page_numbers(_el(first, "style:footer"))
    master = _el(masters, "style:master-page", {"style:name": "Standard", "style:page-layout-name": "pm1"})
    header = _el(_el(master, "style:header"), "text:p", {"text:style-name": "Header"})
    _el(header, "text:span", {"text:style-name": "T_strong"}, doc.author)
    if doc.concept:
        _el(header, "text:span", {"text:style-name": "T_concept"}, f" \N{EM DASH} {CONCEPT}")
    _el(header, "text:tab")
    header[-1].tail = doc.running_subject
    _page_numbers(_el(master, "style:footer"))
    return _serialize(root)


def _page_numbers(footer: etree._Element) -> None:
    line = _el(footer, "text:p", {"text:style-name": "Footer"}, "pagina ")
    _el(line, "text:page-number", {"text:select-page": "current"}, "1").tail = " van "
    _el(line, "text:page-count", {}, "1")


def _list_style(parent: etree._Element, name: str, *, ordered: bool) -> None:
    style = _el(parent, "text:list-style", {"style:name": name})
    for level in range(1, 11):
        indent = 0.635 * level
        attrs = {"text:level": str(level)}
        if ordered:
            kind = "text:list-level-style-number"
            attrs.update({"style:num-format": "1" if level % 2 else "a", "style:num-suffix": "."})
        else:
            kind = "text:list-level-style-bullet"
            attrs["text:bullet-char"] = "•" if level % 2 else "–"
        item = _el(style, kind, attrs)
        props = _el(item, "style:list-level-properties", {"text:list-level-position-and-space-mode": "label-alignment"})
        _el(
            props,
            "style:list-level-label-alignment",
            {"text:label-followed-by": "listtab", "fo:text-indent": "-0.635cm", "fo:margin-left": f"{indent:.3f}cm",
             "text:list-tab-stop-position": f"{indent:.3f}cm"},
        )  # fmt: skip


# --- content.xml ---------------------------------------------------------------------------------------------


class _Body:
    """Appends the IR's blocks to ``office:text`` in reading order."""

    def __init__(self, text: etree._Element) -> None:
        self.text = text
        self.subheading = 2
        self.tables = 0

    def inlines(self, parent: etree._Element, inlines: tuple[Inline, ...]) -> None:
        _Spans(self, parent).visit_all(inlines)

    def paragraph(self, parent: etree._Element, inlines: tuple[Inline, ...], style: str = "Standard") -> etree._Element:
        p = _el(parent, "text:p", {"text:style-name": style})
        self.inlines(p, inlines)
        return p

    def heading(self, parent: etree._Element, level: int, inlines: tuple[Inline, ...]) -> etree._Element:
        h = _el(parent, "text:h", {"text:style-name": f"Heading_20_{level}", "text:outline-level": str(level)})
        self.inlines(h, inlines)
        return h

    def section(self, section: Section) -> None:
        self.heading(self.text, 1, (Text(section.heading),))
        _Into(self, self.text).visit_all(section.blocks)

    def list(self, parent: etree._Element, items: tuple[tuple[Block, ...], ...], style: str, start: int) -> None:
        """A list that restarts (``text:continue-numbering`` false), from ``start`` when the data says so."""
        if parent.tag == _q("text:list-item"):
            holder = _el(parent, "text:list")  # nested: the level follows from the nesting
        else:
            holder = _el(parent, "text:list", {"text:style-name": style, "text:continue-numbering": "false"})
        for index, item in enumerate(items):
            attrs = {"text:start-value": str(start)} if index == 0 and start != 1 else {}
            entry = _el(holder, "text:list-item", attrs)
            lead, rest = visit.item_lead(item)
            self.paragraph(entry, lead or (), "List_20_Paragraph")  # an item that starts otherwise: an empty line
            _Into(self, entry, style).visit_all(rest)

    def table(self, parent: etree._Element, block: Table) -> None:
        columns = len(block.header)
        self.tables += 1  # the data tables, 1, 2 … (the title block and the signature have names of their own)
        table = _el(parent, "table:table", {"table:name": f"Tabel{self.tables}", "table:style-name": "Tbl"})
        _el(table, "table:table-column", {"table:number-columns-repeated": str(columns)})
        head = _el(table, "table:table-header-rows")
        self.row(head, block.header, block.align, "Table_20_Heading")
        for row in block.rows:
            self.row(table, row, block.align, "Table_20_Contents")

    def row(
        self, parent: etree._Element, cells: tuple[tuple[Inline, ...], ...], align: tuple[str, ...], style: str
    ) -> None:
        row = _el(parent, "table:table-row")
        for cell, where in zip(cells, align, strict=False):
            holder = _el(row, "table:table-cell", {"office:value-type": "string", "table:style-name": "Cell"})
            name = style if where == "left" else f"{style}_{where}"
            self.paragraph(holder, cell, name)


class _Into(visit.BlockVisitor[None]):
    """Blocks appended to ``parent``; inside a list item (``item_style``: the list's style) a paragraph is a
    list paragraph and a nested list keeps the style of the list it is in."""

    def __init__(self, body: _Body, parent: etree._Element, item_style: str | None = None) -> None:
        self.body = body
        self.parent = parent
        self.item_style = item_style

    def paragraph(self, block: Paragraph) -> None:
        self.body.paragraph(self.parent, block.inlines, "List_20_Paragraph" if self.item_style else "Standard")

    def subheading(self, block: SubHeading) -> None:
        inlines = tuple(Text(i.text, i.bold, True, i.highlight) if isinstance(i, Text) else i for i in block.inlines)
        self.body.heading(self.parent, self.body.subheading, inlines)

    def numbered_list(self, block: NumberedList) -> None:
        self.body.list(self.parent, block.items, self.item_style or "Numbering_20_123", block.start)

    def bullet_list(self, block: BulletList) -> None:
        self.body.list(self.parent, block.items, self.item_style or "List_20_Bullet", 1)

    def argument(self, block: Argument) -> None:
        h = self.body.heading(self.parent, 2, ())
        _append_text(h, block.label)
        _el(h, "text:tab")
        self.body.inlines(h, block.heading)
        self.body.subheading = 3
        try:
            self.visit_all(block.body)
        finally:
            self.body.subheading = 2

    def checklist(self, block: Checklist) -> None:
        for item in block.items:
            mark = CHECKED_MARK if item.checked else UNCHECKED_MARK
            _el(self.parent, "text:p", {"text:style-name": "Checklist"}, f"{mark} {item.label} {item.text}")

    def not_applicable(self, block: NotApplicable) -> None:
        _el(self.parent, "text:p", {"text:style-name": "Standard"}, block.text)

    def table(self, block: Table) -> None:
        self.body.table(self.parent, block)


class _Spans(visit.InlineVisitor[None]):
    """Inlines appended to ``parent``: formatted text as a span of an automatic style, notes as ``text:note``."""

    def __init__(self, body: _Body, parent: etree._Element) -> None:
        self.body = body
        self.parent = parent

    def text(self, inline: Text) -> None:
        key = (inline.bold, inline.italic, inline.highlight)
        if key in _SPAN:
            _el(self.parent, "text:span", {"text:style-name": _SPAN[key]}, inline.text)
        else:
            _append_text(self.parent, inline.text)

    def link(self, inline: Link) -> None:
        _el(self.parent, "text:a", {"xlink:type": "simple", "xlink:href": inline.href}, inline.text)

    def line_break(self, inline: LineBreak) -> None:
        _el(self.parent, "text:line-break")

    def footnote(self, inline: Footnote) -> None:
        note = _el(self.parent, "text:note", {"text:id": f"ftn{inline.number}", "text:note-class": "footnote"})
        _el(note, "text:note-citation", {}, str(inline.number))
        body = _el(_el(note, "text:note-body"), "text:p", {"text:style-name": "Footnote"})
        self.body.inlines(body, inline.inlines)


def _append_text(parent: etree._Element, text: str) -> None:
    """Add ``text`` after whatever ``parent`` holds last (lxml keeps text between elements in ``tail``)."""
    if len(parent):
        parent[-1].tail = (parent[-1].tail or "") + text
    else:
        parent.text = (parent.text or "") + text


def _content_xml(doc: Document, house: housestyle.SharedStyle, logo: Logo | None = None) -> bytes:
    root = _el(None, "office:document-content", {"office:version": VERSION})
    _el(root, "office:font-face-decls")
    automatic = _el(root, "office:automatic-styles")
    for (bold, italic, highlight), name in _SPAN.items():
        style = _el(automatic, "style:style", {"style:name": name, "style:family": "text"})
        props = {}
        if bold:
            props["fo:font-weight"] = "bold"
        if italic:
            props["fo:font-style"] = "italic"
        if highlight:
            props["fo:background-color"] = house.colours["highlight"]
        _el(style, "style:text-properties", props)
    for base in ("Table_20_Contents", "Table_20_Heading"):
        for where, value in (("right", "end"), ("center", "center")):
            style = _el(automatic, "style:style", {"style:name": f"{base}_{where}", "style:family": "paragraph",
                                                   "style:parent-style-name": base})  # fmt: skip
            _el(style, "style:paragraph-properties", {"fo:text-align": value})
    width = house.width_mm - house.margin_left_mm - house.margin_right_mm
    for name, border in (("Tbl", True), ("Layout", False)):
        style = _el(automatic, "style:style", {"style:name": name, "style:family": "table"})
        _el(style, "style:table-properties", {"style:width": _mm(width), "table:align": "margins"})
        cell = _el(automatic, "style:style", {"style:name": "Cell" if border else "LayoutCell",
                                              "style:family": "table-cell"})  # fmt: skip
        line = f"0.5pt solid {house.colours['line']}" if border else "none"
        # the PDF's cells: a data cell 0.8 mm × 2 mm, a title-block cell only 1.5 mm under its text
        padding = {"fo:padding": "0.8mm", "fo:padding-left": "2mm", "fo:padding-right": "2mm"} if border else {
            "fo:padding": "0mm", "fo:padding-bottom": "1.5mm"}  # fmt: skip
        _el(cell, "style:table-cell-properties", {"fo:border": line, **padding})
    label = _el(automatic, "style:style", {"style:name": "LabelColumn", "style:family": "table-column"})
    _el(label, "style:table-column-properties", {"style:column-width": _mm(house.label_column_mm)})
    value = _el(automatic, "style:style", {"style:name": "ValueColumn", "style:family": "table-column"})
    _el(value, "style:table-column-properties", {"style:column-width": _mm(width - house.label_column_mm)})
    closing = _el(automatic, "style:style", {"style:name": "Closing", "style:family": "paragraph",
                                             "style:parent-style-name": "Standard"})  # fmt: skip
    _el(closing, "style:paragraph-properties",
        {"fo:margin-top": _mm(house.closing_space_mm), "fo:keep-with-next": "always"})  # fmt: skip
    college = _el(automatic, "style:style", {"style:name": "College", "style:family": "paragraph",
                                             "style:parent-style-name": "Standard"})  # fmt: skip
    _el(college, "style:paragraph-properties",
        {"fo:margin-bottom": _mm(house.signature_space_mm), "fo:keep-with-next": "always"})  # fmt: skip
    # The signature never splits: its rows stay whole and together (as the DOCX's cantSplit, the PDF's
    # break-inside: avoid), so a name is never on one page and its title on the next.
    signing = _el(automatic, "style:style", {"style:name": "Signing", "style:family": "table"})
    _el(signing, "style:table-properties",
        {"style:width": _mm(width), "table:align": "margins", "style:may-break-between-rows": "false"})  # fmt: skip
    whole = _el(automatic, "style:style", {"style:name": "WholeRow", "style:family": "table-row"})
    _el(whole, "style:table-row-properties", {"fo:keep-together": "always"})
    concept = _el(automatic, "style:style", {"style:name": "T_concept", "style:family": "text"})
    _el(concept, "style:text-properties", {"fo:color": house.colours["concept"], "fo:font-weight": "bold"})
    first_page = _el(automatic, "style:style", {"style:name": "SenderFirst", "style:family": "paragraph",
                                                "style:parent-style-name": "Sender",
                                                "style:master-page-name": "First_20_Page"})  # fmt: skip
    _el(first_page, "style:paragraph-properties", {"style:page-number": "auto"})

    text = _el(_el(root, "office:body"), "office:text")
    body = _Body(text)
    sender = _el(text, "text:p", {"text:style-name": "SenderFirst"})
    if logo is not None:  # at the left of the name, as in the PDF (the running header has none)
        frame = _el(
            sender,
            "draw:frame",
            {"draw:name": "Logo", "text:anchor-type": "as-char", "svg:width": _mm(round(logo[3], 2)),
             "svg:height": _mm(house.logo_height_mm), "style:rel-height": "scale", "style:rel-width": "scale"},
        )  # fmt: skip
        _el(frame, "draw:image", {"xlink:href": logo[0], "xlink:type": "simple", "xlink:show": "embed",
                                  "xlink:actuate": "onLoad"})  # fmt: skip
        _el(frame, "svg:title", {}, doc.logo_alt)
        _el(frame, "svg:desc", {}, doc.logo_alt)
        frame.tail = " "
    if len(sender):
        sender[-1].tail = (sender[-1].tail or "") + doc.author
    else:
        sender.text = doc.author
    if doc.concept:  # said in the text, not only in the running header of the later pages
        _el(sender, "text:tab")
        _el(sender, "text:span", {"text:style-name": "T_concept"}, CONCEPT)
    _el(text, "text:p", {"text:style-name": "Title"}, doc.kind)
    rows = [("Onderwerp", doc.subject_display), *((f.label, f.value) for f in doc.fields)]
    table = _el(text, "table:table", {"table:name": "Titelblok", "table:style-name": "Layout"})
    _el(table, "table:table-column", {"table:style-name": "LabelColumn"})
    _el(table, "table:table-column", {"table:style-name": "ValueColumn"})
    for label_text, inlines in rows:
        row = _el(table, "table:table-row")
        cell = _el(row, "table:table-cell", {"office:value-type": "string", "table:style-name": "LayoutCell"})
        _el(cell, "text:p", {"text:style-name": "Field_20_Label"}, label_text)
        cell = _el(row, "table:table-cell", {"office:value-type": "string", "table:style-name": "LayoutCell"})
        body.paragraph(cell, inlines, "Subject" if label_text == "Onderwerp" else "Table_20_Contents")
    for section in doc.sections:
        body.section(section)
    signature = doc.signature
    _el(text, "text:p", {"text:style-name": "Closing"}, signature.closing)
    _el(text, "text:p", {"text:style-name": "College"}, signature.college)
    if signature.signatories:
        table = _el(text, "table:table", {"table:name": "Ondertekening", "table:style-name": "Signing"})
        _el(table, "table:table-column", {"table:number-columns-repeated": str(len(signature.signatories))})
        for part in ("name", "title"):
            row = _el(table, "table:table-row", {"table:style-name": "WholeRow"})
            for signatory in signature.signatories:
                cell = _el(row, "table:table-cell", {"office:value-type": "string", "table:style-name": "LayoutCell"})
                if part == "name":
                    body.paragraph(cell, signatory.name, "Table_20_Contents")
                else:
                    _el(cell, "text:p", {"text:style-name": "Table_20_Contents"}, signatory.title)
    return _serialize(root)


# --- meta.xml, manifest, package -----------------------------------------------------------------------------


def _meta_xml(doc: Document) -> bytes:
    root = _el(None, "office:document-meta", {"office:version": VERSION})
    meta = _el(root, "office:meta")
    _el(meta, "meta:generator", {}, "raadsvoorstel")
    _el(meta, "dc:title", {}, doc.title)
    _el(meta, "dc:subject", {}, doc.subject)
    _el(meta, "dc:creator", {}, doc.author)
    _el(meta, "meta:initial-creator", {}, doc.author)
    if doc.date is not None:
        stamp = f"{doc.date.isoformat()}T00:00:00"
        _el(meta, "meta:creation-date", {}, stamp)
        _el(meta, "dc:date", {}, stamp)
    _el(meta, "dc:language", {}, doc.language)
    for keyword in doc.keywords:
        _el(meta, "meta:keyword", {}, keyword)
    return _serialize(root)


def _manifest_xml(logo: Logo | None = None) -> bytes:
    root = _el(None, "manifest:manifest", {"manifest:version": VERSION})
    package = {"manifest:full-path": "/", "manifest:version": VERSION, "manifest:media-type": MIMETYPE}
    _el(root, "manifest:file-entry", package)
    for name in ("content.xml", "styles.xml", "meta.xml"):
        _el(root, "manifest:file-entry", {"manifest:full-path": name, "manifest:media-type": "text/xml"})
    if logo is not None:
        _el(root, "manifest:file-entry", {"manifest:full-path": logo[0], "manifest:media-type": logo[1]})
    return _serialize(root)


def _serialize(root: etree._Element) -> bytes:
    data: bytes = etree.tostring(root, xml_declaration=True, encoding="UTF-8")
    return data


def _zip(entries: list[tuple[str, bytes]]) -> bytes:
    """The package: ``mimetype`` first and stored, then the parts, all with one fixed timestamp."""
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as package:
        for name, data in entries:
            info = zipfile.ZipInfo(name, date_time=(1980, 1, 1, 0, 0, 0))
            info.compress_type = zipfile.ZIP_STORED if name == "mimetype" else zipfile.ZIP_DEFLATED
            info.external_attr = 0o644 << 16
            info.create_system = 3
            package.writestr(info, data)
    return buffer.getvalue()


def write(doc: Document, options: WriterOptions) -> bytes:
    """Render ``doc`` as an ODT file; the same ``doc`` and logo always give the same bytes."""
    house = house_style(options.templates)  # page, fonts, sizes, measures; the colour comes with the document
    logo = _logo(doc, options.templates, house.logo_height_mm)
    return _zip(
        [
            ("mimetype", MIMETYPE.encode("ascii")),
            ("content.xml", _content_xml(doc, house, logo)),
            ("styles.xml", _styles_xml(doc, house)),
            ("meta.xml", _meta_xml(doc)),
            *(((logo[0], logo[2]),) if logo is not None else ()),
            ("META-INF/manifest.xml", _manifest_xml(logo)),
        ]
    )

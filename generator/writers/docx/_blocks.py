"""IR blocks → paragraphs in the document body.

Everything here appends to the body in reading order; lists are flat paragraphs with ``w:numPr`` (Word has
no list container), nested lists go one ``w:ilvl`` deeper, and the extra paragraphs of a list item are
indented to line up with the item's text.
"""

from __future__ import annotations

from docx.document import Document as DocxDocument
from docx.oxml import OxmlElement
from docx.oxml.ns import qn
from docx.shared import Pt, Twips
from docx.text.paragraph import Paragraph as DocxParagraph
from docx.text.run import Run

from generator.document import origins, visit
from generator.document.nodes import (
    CHECKED_MARK,
    UNCHECKED_MARK,
    Argument,
    Block,
    BulletList,
    Checklist,
    NotApplicable,
    NumberedList,
    Paragraph,
    Section,
    SubHeading,
    Table,
)
from generator.writers.docx import _styles
from generator.writers.docx._datatable import add_table
from generator.writers.docx._inlines import add_inlines
from generator.writers.docx._markers import Markers
from generator.writers.docx._numbering import ListNumbering, level_indent, set_list_level

# Arial has ■ but not ☐; naming one symbol font for both keeps the two boxes the same size in Word.
SYMBOL_FONT = "Segoe UI Symbol"
ARGUMENT_INDENT = 567  # twips (1 cm): room for "1.1" before the argument heading's text


class BlockWriter(visit.BlockVisitor[None]):
    """Renders sections and their blocks into one python-docx document.

    ``_level`` is the list level the blocks being written belong to (None outside lists): a paragraph inside a
    list item is indented to the item's text, a list inside one goes a level deeper.
    """

    def __init__(self, document: DocxDocument, markers: Markers | None = None) -> None:
        self._document = document
        self._markers = markers or Markers(document.element.body)
        self._numbering = ListNumbering(document)
        self._level: int | None = None
        # Heading style of a sub-heading ("### …" in the text): one level below what it sits under, so the
        # outline never skips a level (section = Heading 1, argument = Heading 2, its sub-heading Heading 3).
        self._subheading = _styles.HEADING_2

    def section(self, section: Section, space_before: Pt | None = None) -> None:
        """Section heading ("1. Aanleiding", number included as text, as in the reference) and its blocks;
        ``space_before`` overrides the style's (the first section keeps its distance from the title block)."""
        heading = _styles.add_paragraph(self._document, _styles.HEADING_1, section.heading)
        if space_before is not None:
            heading.paragraph_format.space_before = space_before
        self._markers.mark(heading._p, heading._p, (section.key,), "sectie")
        self.blocks(section.blocks, fields=True)

    def blocks(self, blocks: tuple[Block, ...], level: int | None = None, *, fields: bool = False) -> None:
        """Render ``blocks`` at list level ``level``. With ``fields`` (a section's or an argument's own blocks),
        each run of blocks from one data field is marked with that field's key path."""
        outer, self._level = self._level, level
        group: tuple[tuple[str | int, ...], int, str] | None = None  # path, start and role of the open run
        try:
            for index, block in enumerate(blocks):
                wanted = _run_of(block) if fields else None
                if fields and (group is None or wanted is None or (wanted[0], wanted[1]) != (group[0], group[2])):
                    if group is not None:
                        self._markers.mark_since(group[1], group[0], group[2])
                    group = None if wanted is None else (wanted[0], self._markers.position(), wanted[1])
                following = blocks[index + 1] if index + 1 < len(blocks) else None
                if isinstance(block, Paragraph) and _introduces(following):
                    # "… de volgende stakeholders:" must not stay behind at the bottom of a page.
                    self._paragraph(block).paragraph_format.keep_with_next = True
                else:
                    self.visit(block)
            if group is not None:
                self._markers.mark_since(group[1], group[0], group[2])
        finally:
            self._level = outer

    def paragraph(self, block: Paragraph) -> None:
        self._paragraph(block)

    def _paragraph(self, block: Paragraph) -> DocxParagraph:
        if self._level is None:
            paragraph = _styles.add_paragraph(self._document, _styles.NORMAL)
        else:  # a second paragraph inside a list item: no number, aligned with the item text
            paragraph = _styles.add_paragraph(self._document, _styles.LIST_PARAGRAPH)
            paragraph.paragraph_format.left_indent = Twips(level_indent(self._level))
        add_inlines(paragraph, block.inlines)
        return paragraph

    def subheading(self, block: SubHeading) -> None:
        heading = _styles.add_paragraph(self._document, self._subheading)
        add_inlines(heading, block.inlines)
        for run in heading.runs:  # italic, as the PDF's sub-headings; argument headings stay upright
            run.italic = True

    def numbered_list(self, block: NumberedList) -> None:
        self._list(block.items, ordered=True, start=block.start)

    def bullet_list(self, block: BulletList) -> None:
        self._list(block.items, ordered=False, start=1)

    def not_applicable(self, block: NotApplicable) -> None:
        _styles.add_paragraph(self._document, _styles.NORMAL, block.text)

    def table(self, block: Table) -> None:
        add_table(self._document, block)

    def _list(self, items: tuple[tuple[Block, ...], ...], *, ordered: bool, start: int) -> None:
        level = 0 if self._level is None else self._level + 1
        num_id = self._numbering.new_list(ordered=ordered, level=level, start=start)
        for item in items:
            source = item[0].source if item else None
            begin = self._markers.position()
            paragraph = _styles.add_paragraph(self._document, _styles.LIST_PARAGRAPH)
            set_list_level(paragraph, num_id, level)
            lead, rest = visit.item_lead(item)
            if lead is not None:  # the item's first paragraph carries the number
                add_inlines(paragraph, lead)
            self.blocks(rest, level)
            if source is not None and level == 0:  # an entry of a list field (beslispunten.0, bijlagen.2)
                self._markers.mark_since(begin, source.path, "item")

    def argument(self, block: Argument) -> None:
        """Argument as "1.1<tab>heading" in Heading 2 (directly below the section's Heading 1); wrapped lines
        hang aligned with the text."""
        heading = _styles.add_paragraph(self._document, _styles.HEADING_2)
        _hanging(heading, ARGUMENT_INDENT)
        _styles.add_run(heading, f"{block.label}\t")
        add_inlines(heading, block.heading)
        if block.source is not None:
            self._markers.mark(heading._p, heading._p, (*block.source.path, "kop"), "kop")
        self._subheading = _styles.HEADING_3
        try:
            self.blocks(block.body, fields=True)
        finally:
            self._subheading = _styles.HEADING_2

    def checklist(self, block: Checklist) -> None:
        for item in block.items:
            paragraph = _styles.add_paragraph(self._document, _styles.CHECKLIST)
            box = _styles.add_run(paragraph, CHECKED_MARK if item.checked else UNCHECKED_MARK)
            _set_run_font(box, SYMBOL_FONT)
            _styles.add_run(paragraph, f" {item.label} {item.text}")


def _introduces(following: Block | None) -> bool:
    """Whether a paragraph before ``following`` introduces it (a list, checklist or table)."""
    return isinstance(following, NumberedList | BulletList | Checklist | Table)


def _run_of(block: Block) -> tuple[tuple[str | int, ...], str] | None:
    """The mark a block of a section belongs under: its text field ("tekst"), "opmaak" for what the layout
    added (a merged section's sub-heading: no field, but the field before it must end there), or None for an
    argument or list field (their parts carry their own marks)."""
    if block.source is None:
        return (), "opmaak"
    return (block.source.path, "tekst") if origins.role(block) == "tekst" else None


def _hanging(paragraph: DocxParagraph, width: int) -> None:
    """Hanging indent of ``width`` twips with a tab stop where the text starts."""
    fmt = paragraph.paragraph_format
    fmt.left_indent = Twips(width)
    fmt.first_line_indent = Twips(-width)
    fmt.tab_stops.add_tab_stop(Twips(width))


def _set_run_font(run: Run, font: str) -> None:
    """Name ``font`` for every script slot of the run (python-docx's ``font.name`` sets only two)."""
    rpr = run._r.get_or_add_rPr()
    rfonts = rpr.find(qn("w:rFonts"))
    if rfonts is None:
        rfonts = OxmlElement("w:rFonts")
        rpr.insert(0, rfonts)
    for slot in ("w:ascii", "w:hAnsi", "w:cs", "w:eastAsia"):
        rfonts.set(qn(slot), font)

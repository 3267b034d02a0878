"""Borderless layout tables (title block, signatures) with fixed column widths.

Why direct ``w:tblBorders`` as well as the "Borderless Table" style: the style tells a clerk in Word what
the table is for, and the explicit ``nil`` borders keep every viewer (LibreOffice, Word Online, mobile
apps that ignore table styles) from drawing grid lines around a signature.
"""

from __future__ import annotations

from collections.abc import Sequence

from docx.document import Document as DocxDocument
from docx.enum.table import WD_TABLE_ALIGNMENT
from docx.oxml import OxmlElement
from docx.oxml.ns import qn
from docx.oxml.xmlchemy import BaseOxmlElement
from docx.shared import Emu, Twips
from docx.table import Table

from generator.writers.docx import _styles

BORDER_EDGES = ("top", "left", "bottom", "right", "insideH", "insideV")
# Elements that precede w:tblBorders inside w:tblPr (CT_TblPr is a sequence; Word rejects a wrong order).
_BEFORE_BORDERS = (
    "w:tblStyle", "w:tblpPr", "w:tblOverlap", "w:bidiVisual", "w:tblStyleRowBandSize",
    "w:tblStyleColBandSize", "w:tblW", "w:jc", "w:tblCellSpacing", "w:tblInd",
)  # fmt: skip


def text_width(document: DocxDocument) -> int:
    """Width (twips) between the margins of the first section: what a full-width table may use."""
    section = document.sections[0]
    page, left, right = section.page_width, section.left_margin, section.right_margin
    if page is None or left is None or right is None:
        return 9071  # A4 minus 2 × 2.5 cm
    return int(Emu(page - left - right).twips)


def borderless_table(document: DocxDocument, rows: int, widths: Sequence[int]) -> Table:
    """A table of ``rows`` × ``len(widths)`` cells, column widths in twips, no borders, text flush left."""
    table: Table = document.add_table(rows=rows, cols=len(widths))
    _styles.set_table_style(table, _styles.BORDERLESS_TABLE)
    table.alignment = WD_TABLE_ALIGNMENT.LEFT
    table.autofit = False
    tbl_pr = table._tbl.tblPr
    tbl_w = tbl_pr.find(qn("w:tblW"))
    tbl_w.set(qn("w:type"), "dxa")
    tbl_w.set(qn("w:w"), str(sum(widths)))
    borders = OxmlElement("w:tblBorders")
    for edge in BORDER_EDGES:
        borders.append(OxmlElement(f"w:{edge}", {qn("w:val"): "nil"}))
    _insert_in_order(tbl_pr, borders, after=_BEFORE_BORDERS)
    # A layout table has no header row or column: say so, so Word (and its accessibility checker) does not
    # treat the first row as column headers. Legacy bit mask: 0x0200 noHBand | 0x0400 noVBand.
    look = tbl_pr.find(qn("w:tblLook"))
    if look is not None:
        for flag in ("firstRow", "lastRow", "firstColumn", "lastColumn"):
            look.set(qn(f"w:{flag}"), "0")
        look.set(qn("w:noHBand"), "1")
        look.set(qn("w:noVBand"), "1")
        look.set(qn("w:val"), "0600")
    for column, width in zip(table.columns, widths, strict=True):
        column.width = Twips(width)
        for cell in column.cells:
            cell.width = Twips(width)
    return table


def _insert_in_order(parent: BaseOxmlElement, child: BaseOxmlElement, after: tuple[str, ...]) -> None:
    """Insert ``child`` after the last existing sibling named in ``after`` (OOXML sequences are ordered)."""
    last = None
    for tag in after:
        found = parent.find(qn(tag))
        if found is not None:
            last = found
    if last is None:
        parent.insert(0, child)
    else:
        last.addnext(child)

"""IR ``Table`` → a real Word table: grid lines, a header row that repeats on every page, aligned cells.

Why ``w:tblHeader`` and ``w:cantSplit``: a table of amounts per year that runs over a page break must show its
column names again, and a row must not be cut in half; Word, LibreOffice and screen readers all understand
these row properties (a header row also tells assistive technology which cells are column headers).

Column widths come from the content, as in the PDF (``table.tabel`` has no width: CSS's automatic table layout):
each column gets room for its longest cell (an estimate from the number of characters), the table is only as
wide as that and at most the text width; a narrow column never drops below its longest word. Word and
LibreOffice start from these ``w:gridCol`` widths instead of an equal split of the page width.
"""

from __future__ import annotations

from docx.document import Document as DocxDocument
from docx.enum.table import WD_TABLE_ALIGNMENT
from docx.enum.text import WD_ALIGN_PARAGRAPH
from docx.oxml import OxmlElement
from docx.oxml.ns import qn
from docx.shared import Twips
from docx.table import _Cell

from generator.document.nodes import Cell, Table
from generator.document.plaintext import inline_text
from generator.writers.docx import _styles
from generator.writers.docx._inlines import add_inlines
from generator.writers.docx._tables import text_width

#: An average character of the body font (Arial 10.5 pt, about 0.55 em) and a cell's left + right margin, twips.
CHARACTER = 116
CELL_MARGINS = 216

_ALIGN = {"left": WD_ALIGN_PARAGRAPH.LEFT, "right": WD_ALIGN_PARAGRAPH.RIGHT, "center": WD_ALIGN_PARAGRAPH.CENTER}


def add_table(document: DocxDocument, table: Table) -> None:
    """Append ``table`` to the body, full text width, header row first."""
    columns = len(table.align)
    docx_table = document.add_table(rows=1 + len(table.rows), cols=columns)
    _styles.set_table_style(docx_table, _styles.TABLE_GRID)
    docx_table.alignment = WD_TABLE_ALIGNMENT.LEFT
    widths = column_widths(table, text_width(document))
    tbl_w = docx_table._tbl.tblPr.find(qn("w:tblW"))
    tbl_w.set(qn("w:type"), "dxa")
    tbl_w.set(qn("w:w"), str(sum(widths)))
    for column, width in zip(docx_table._tbl.tblGrid.gridCol_lst, widths, strict=True):
        column.w = Twips(width)
    for r, cells in enumerate((table.header, *table.rows)):
        row = docx_table.rows[r]
        tr_pr = row._tr.get_or_add_trPr()
        tr_pr.append(OxmlElement("w:cantSplit"))
        if r == 0:
            tr_pr.append(OxmlElement("w:tblHeader"))
        for c in range(columns):
            content: Cell = cells[c] if c < len(cells) else ()
            row.cells[c].width = Twips(widths[c])
            _fill(row.cells[c], content, table.align[c], header=r == 0)


def column_widths(table: Table, available: int) -> list[int]:
    """Twips per column: room for the longest cell, scaled down to ``available`` but not below the longest word."""
    cells = [table.header, *table.rows]
    texts = [[inline_text(row[c]) if c < len(row) else "" for row in cells] for c in range(len(table.align))]
    # one character of slack: bold header text and wide letters (W, m) run wider than the average
    wanted = [(max(len(text) for text in column) + 1) * CHARACTER + CELL_MARGINS for column in texts]
    least = [(max((len(word) for text in column for word in text.split()), default=1) + 1) * CHARACTER + CELL_MARGINS
             for column in texts]  # fmt: skip
    if sum(wanted) <= available:
        return wanted
    spare = available - sum(least)
    if spare <= 0:
        return least
    extra = [w - m for w, m in zip(wanted, least, strict=True)]
    return [m + spare * e // max(sum(extra), 1) for m, e in zip(least, extra, strict=True)]


def _fill(cell: _Cell, content: Cell, align: str, *, header: bool) -> None:
    paragraph = _styles.set_paragraph_style(cell.paragraphs[0], _styles.NORMAL)
    fmt = paragraph.paragraph_format
    fmt.alignment = _ALIGN[align]
    fmt.space_after = 0
    if header:
        fmt.keep_with_next = True
    add_inlines(paragraph, content)
    if header:
        for run in paragraph.runs:
            run.bold = True

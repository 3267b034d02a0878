"""IR ``Table`` → a real Word table: grid lines, a header row that repeats on every page, aligned cells.

Why ``w:tblHeader`` and ``w:cantSplit``: a table of amounts per year that runs over a page break must show its
column names again, and a row must not be cut in half; Word, LibreOffice and screen readers all understand
these row properties (a header row also tells assistive technology which cells are column headers).
"""

from __future__ import annotations

from docx.document import Document as DocxDocument
from docx.enum.table import WD_TABLE_ALIGNMENT
from docx.enum.text import WD_ALIGN_PARAGRAPH
from docx.oxml import OxmlElement
from docx.oxml.ns import qn
from docx.table import _Cell

from generator.document.nodes import Cell, Table
from generator.writers.docx import _styles
from generator.writers.docx._inlines import add_inlines

_ALIGN = {"left": WD_ALIGN_PARAGRAPH.LEFT, "right": WD_ALIGN_PARAGRAPH.RIGHT, "center": WD_ALIGN_PARAGRAPH.CENTER}


def add_table(document: DocxDocument, table: Table) -> None:
    """Append ``table`` to the body, full text width, header row first."""
    columns = len(table.align)
    docx_table = document.add_table(rows=1 + len(table.rows), cols=columns)
    _styles.set_table_style(docx_table, _styles.TABLE_GRID)
    docx_table.alignment = WD_TABLE_ALIGNMENT.LEFT
    tbl_w = docx_table._tbl.tblPr.find(qn("w:tblW"))
    tbl_w.set(qn("w:type"), "pct")
    tbl_w.set(qn("w:w"), "5000")  # 100 % of the text width, the columns share it as Word sees fit
    for r, cells in enumerate((table.header, *table.rows)):
        row = docx_table.rows[r]
        tr_pr = row._tr.get_or_add_trPr()
        tr_pr.append(OxmlElement("w:cantSplit"))
        if r == 0:
            tr_pr.append(OxmlElement("w:tblHeader"))
        for c in range(columns):
            content: Cell = cells[c] if c < len(cells) else ()
            _fill(row.cells[c], content, table.align[c], header=r == 0)


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

"""The title block at the top and the signature block at the end of the proposal."""

from __future__ import annotations

from docx.document import Document as DocxDocument
from docx.enum.text import WD_TAB_ALIGNMENT
from docx.oxml import OxmlElement
from docx.oxml.ns import qn
from docx.shared import Mm, Pt, Twips
from docx.table import _Cell
from docx.text.paragraph import Paragraph as DocxParagraph

from generator.document.nodes import Document, Inline, SignatureBlock, Text
from generator.writers.docx import _styles
from generator.writers.docx._inlines import add_inlines
from generator.writers.docx._markers import Markers
from generator.writers.docx._page import CONCEPT, add_logo
from generator.writers.docx._tables import borderless_table, text_width
from generator.writers.housestyle import SharedStyle
from generator.writers.templatefiles import Templates

SUBJECT_LABEL = "Onderwerp"


def _twips(mm: float) -> int:
    return int(Mm(mm).twips)


def title_block(
    document: DocxDocument, doc: Document, house: SharedStyle, templates: Templates, markers: Markers | None = None
) -> None:
    """The sender line (logo, "Gemeente Leusden", for a draft "CONCEPT" at the right margin), the kind
    ("Raadsvoorstel") as Title, then label/value rows: Onderwerp first, then each MetaField. The same order,
    words and measures (``huisstijl.toml`` [layout]) as the PDF's title block."""
    sender = _styles.add_paragraph(document, _styles.SENDER)
    add_logo(sender, doc, templates, house.logo_height_mm)
    _styles.add_run(sender, doc.author)
    if doc.concept:  # in the text, where a screen reader reads it: the running header starts on page 2
        sender.paragraph_format.tab_stops.add_tab_stop(Twips(text_width(document)), WD_TAB_ALIGNMENT.RIGHT)
        _styles.add_run(sender, f"\t{CONCEPT}", _styles.CONCEPT_MARK)
    _styles.add_paragraph(document, _styles.TITLE, doc.kind)
    rows = [(SUBJECT_LABEL, doc.subject_display), *((f.label, f.value) for f in doc.fields)]
    paths = [("onderwerp",), *(f.source.path if f.source else None for f in doc.fields)]
    width = text_width(document)
    label_width = _twips(house.label_column_mm)
    table = borderless_table(document, len(rows), (label_width, width - label_width))
    for row, (label, value), path in zip(table.rows, rows, paths, strict=True):
        label_cell, value_cell = row.cells
        _cell_text(label_cell, (Text(label),), style=_styles.FIELD_LABEL)
        paragraph = _cell_text(value_cell, value, style=_styles.SUBJECT if label == SUBJECT_LABEL else None)
        if markers is not None and path is not None:
            markers.mark(paragraph._p, paragraph._p, path, "veld")


def signature_block(
    document: DocxDocument, signature: SignatureBlock, house: SharedStyle, markers: Markers | None = None
) -> None:
    """Closing line, college line, then names (row 1) above titles (row 2), side by side.

    The order of ``signatories`` is kept: the builder puts the secretaris first (left) and the
    burgemeester second (right), as in the reference proposal.
    """
    closing = _styles.add_paragraph(document, _styles.NORMAL, signature.closing)
    closing.paragraph_format.space_before = Mm(house.closing_space_mm)
    closing.paragraph_format.keep_with_next = True
    if markers is not None:  # where the text ends: nothing from here on belongs to the last section
        markers.mark(closing._p, closing._p, ("ondertekening",), "ondertekening")
    college = _styles.add_paragraph(document, _styles.NORMAL, signature.college)
    college.paragraph_format.keep_with_next = True
    college.paragraph_format.space_after = Mm(house.signature_space_mm)  # room for the handwritten signatures
    if not signature.signatories:
        return
    count = len(signature.signatories)
    column = text_width(document) // count
    table = borderless_table(document, 2, [column] * count)
    names, titles = table.rows
    for row in (names, titles):  # a row never splits over two pages (the PDF: break-inside: avoid)
        row._tr.get_or_add_trPr().append(OxmlElement("w:cantSplit"))
    cells = zip(signature.signatories, names.cells, titles.cells, strict=True)
    for signatory, name_cell, title_cell in cells:
        name = _cell_text(name_cell, signatory.name)
        name.paragraph_format.space_after = Pt(0)
        name.paragraph_format.keep_with_next = True  # never a name on one page and its title on the next
        _cell_text(title_cell, (Text(signatory.title),))


def _cell_text(cell: _Cell, inlines: tuple[Inline, ...], style: str | None = None) -> DocxParagraph:
    """Put ``inlines`` in the cell's (single, empty) paragraph; ``style`` is a character style for its runs.

    Inlines, not a string: a name or date that is still a placeholder is highlighted here as in the text.
    """
    paragraph: DocxParagraph = cell.paragraphs[0]  # in the default paragraph style, Normal
    add_inlines(paragraph, inlines)
    if style is not None:
        style_id = _styles.style_id(paragraph, style)
        for run in paragraph._p.findall(qn("w:r")):  # not the runs inside a link: they keep "Hyperlink"
            run.style = style_id
    return paragraph

"""IR inlines → runs: bold, italic, placeholder highlight, hyperlinks, line breaks and footnote marks."""

from __future__ import annotations

from docx.enum.text import WD_COLOR_INDEX
from docx.opc.constants import RELATIONSHIP_TYPE as RT
from docx.oxml import OxmlElement
from docx.oxml.ns import qn
from docx.text.paragraph import Paragraph as DocxParagraph
from docx.text.run import Run

from generator.document.nodes import Footnote, Inline, LineBreak, Link, Text
from generator.document.visit import InlineVisitor
from generator.writers.docx import _footnotes, _styles


def add_inlines(paragraph: DocxParagraph, inlines: tuple[Inline, ...]) -> None:
    """Append ``inlines`` to ``paragraph``, keeping formatting as run properties a clerk can change."""
    _Runs(paragraph).visit_all(inlines)


class _Runs(InlineVisitor[None]):
    def __init__(self, paragraph: DocxParagraph) -> None:
        self.paragraph = paragraph

    def text(self, inline: Text) -> None:
        _add_text(self.paragraph, inline)

    def link(self, inline: Link) -> None:
        add_hyperlink(self.paragraph, inline.text, inline.href)

    def line_break(self, inline: LineBreak) -> None:
        self.paragraph.add_run().add_break()

    def footnote(self, inline: Footnote) -> None:
        _footnotes.add_reference(self.paragraph, inline, add_inlines)


def _add_text(paragraph: DocxParagraph, text: Text) -> Run:
    run = _styles.add_run(paragraph, text.text)
    # Only set what is on: an explicit "bold off" would override a bold paragraph style (headings).
    if text.bold:
        run.bold = True
    if text.italic:
        run.italic = True
    if text.highlight:
        # A placeholder the clerk still has to fill in: yellow, like a marker pen, easy to find in Word.
        run.font.highlight_color = WD_COLOR_INDEX.YELLOW
    return run


def add_hyperlink(paragraph: DocxParagraph, text: str, href: str) -> None:
    """A clickable ``w:hyperlink`` backed by an external relationship (python-docx has no API for this)."""
    r_id = paragraph.part.relate_to(href, RT.HYPERLINK, is_external=True)
    hyperlink = OxmlElement("w:hyperlink", {qn("r:id"): r_id})
    # Build the run through python-docx so text escaping and the rStyle element stay its business.
    run = _styles.add_run(paragraph, text, _styles.HYPERLINK)
    hyperlink.append(run._r)  # moves the run from the paragraph into the hyperlink
    paragraph._p.append(hyperlink)

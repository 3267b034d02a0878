"""Word fields (PAGE, NUMPAGES) as real ``w:fldChar``/``w:instrText`` runs.

Why complex fields rather than ``w:fldSimple``: both are valid, but the begin/separate/end form is what Word
itself writes, and LibreOffice and Word both update it when the page count changes. The placeholder result
("1") is what a reader sees before the application recalculates.
"""

from __future__ import annotations

from docx.oxml import OxmlElement
from docx.oxml.ns import qn
from docx.text.paragraph import Paragraph as DocxParagraph


def add_field(paragraph: DocxParagraph, instruction: str, placeholder: str = "1") -> None:
    """Append field ``instruction`` (e.g. ``"PAGE"``) with ``placeholder`` as its cached result."""
    _fld_char(paragraph, "begin")
    run = paragraph.add_run()
    instr = OxmlElement("w:instrText")
    instr.set(qn("xml:space"), "preserve")
    instr.text = f" {instruction} \\* MERGEFORMAT "
    run._r.append(instr)
    _fld_char(paragraph, "separate")
    paragraph.add_run(placeholder)
    _fld_char(paragraph, "end")


def _fld_char(paragraph: DocxParagraph, kind: str) -> None:
    run = paragraph.add_run()
    run._r.append(OxmlElement("w:fldChar", {qn("w:fldCharType"): kind}))

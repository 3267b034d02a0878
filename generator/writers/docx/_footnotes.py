"""IR ``Footnote`` → a real Word footnote: a ``w:footnoteReference`` in the text, the note in footnotes.xml.

Why real footnotes and not superscript numbers with a list at the end: Word then keeps the numbering when a
clerk adds or moves a note, places each note at the foot of its page, and screen readers announce them.
python-docx has no footnote API, so the part is created through its OPC layer (a plain ``XmlPart`` related
to the main document part), with the separator notes Word expects at ids -1 and 0.

The styles "footnote text" and "footnote reference" are Word built-ins; a reference.docx without them gets
them here (only when a document has footnotes), so a house style can still define its own.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from docx.document import Document as DocxDocument
from docx.enum.style import WD_STYLE_TYPE
from docx.opc.constants import CONTENT_TYPE as CT
from docx.opc.constants import RELATIONSHIP_TYPE as RT
from docx.opc.packuri import PackURI
from docx.opc.part import Part, XmlPart
from docx.oxml import OxmlElement, parse_xml
from docx.oxml.ns import nsdecls, qn
from docx.shared import Pt
from docx.text.paragraph import Paragraph as DocxParagraph

from generator.document.nodes import Footnote, Inline
from generator.writers.docx import _styles

FOOTNOTE_TEXT = "footnote text"  # python-docx shows Word's built-in names in lower case
FOOTNOTE_REFERENCE = "footnote reference"
_PARTNAME = "/word/footnotes.xml"
_SKELETON = (
    f"<w:footnotes {nsdecls('w', 'r')}>"
    '<w:footnote w:type="separator" w:id="-1"><w:p><w:pPr><w:spacing w:after="0" w:line="240" w:lineRule="auto"/>'
    "</w:pPr><w:r><w:separator/></w:r></w:p></w:footnote>"
    '<w:footnote w:type="continuationSeparator" w:id="0"><w:p><w:pPr><w:spacing w:after="0" w:line="240" '
    'w:lineRule="auto"/></w:pPr><w:r><w:continuationSeparator/></w:r></w:p></w:footnote>'
    "</w:footnotes>"
)

AddInlines = Callable[[DocxParagraph, tuple[Inline, ...]], None]


def ensure_styles(document: DocxDocument) -> None:
    """Add the two footnote styles when the reference document lacks them (call before any text is added)."""
    styles = document.styles
    names = {s.name for s in styles}
    if FOOTNOTE_TEXT not in names:
        text = styles.add_style(FOOTNOTE_TEXT, WD_STYLE_TYPE.PARAGRAPH, builtin=True)
        text.element.styleId = "FootnoteText"  # Word's own id, so Word treats it as its built-in style
        text.base_style = styles[_styles.NORMAL]
        text.font.size = Pt(8.5)
        fmt = text.paragraph_format
        fmt.space_before = Pt(0)
        fmt.space_after = Pt(0)
        fmt.line_spacing = 1.0
    if FOOTNOTE_REFERENCE not in names:
        reference = styles.add_style(FOOTNOTE_REFERENCE, WD_STYLE_TYPE.CHARACTER, builtin=True)
        reference.element.styleId = "FootnoteReference"
        reference.font.superscript = True


class _Story:
    """The parent python-docx wants for a paragraph: something with the part the paragraph lives in."""

    def __init__(self, part: Part) -> None:
        self.part = part


def add_reference(paragraph: DocxParagraph, note: Footnote, add_inlines: AddInlines) -> None:
    """Put the note's mark at the end of ``paragraph`` and its text into footnotes.xml (id = note number)."""
    run = _styles.add_run(paragraph, "", FOOTNOTE_REFERENCE)
    run._r.append(OxmlElement("w:footnoteReference", {qn("w:id"): str(note.number)}))
    part = _footnotes_part(paragraph.part)
    footnote = OxmlElement("w:footnote", {qn("w:id"): str(note.number)})
    part.element.append(footnote)
    p = OxmlElement("w:p")
    footnote.append(p)
    body = DocxParagraph(p, _Story(part))  # type: ignore[arg-type]  # any part with relationships will do
    _styles.set_paragraph_style(body, FOOTNOTE_TEXT)
    mark = _styles.add_run(body, "", FOOTNOTE_REFERENCE)
    mark._r.append(OxmlElement("w:footnoteRef"))
    _styles.add_run(body, " ")
    add_inlines(body, note.inlines)


def _footnotes_part(document_part: Any) -> XmlPart:
    """The document's footnotes part, created (with Word's separators) on first use."""
    for rel in document_part.rels.values():
        if rel.reltype == RT.FOOTNOTES and not rel.is_external:
            part: XmlPart = rel.target_part
            return part
    part = XmlPart(PackURI(_PARTNAME), CT.WML_FOOTNOTES, parse_xml(_SKELETON), document_part.package)
    document_part.relate_to(part, RT.FOOTNOTES)
    return part

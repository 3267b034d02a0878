"""Running header (municipality, subject) from page 2 on, and the footer ("pagina X van Y") on every page.

Page 1 has no running header, as in the PDF: its title block names the municipality (with the logo and, for
a draft, "CONCEPT") and the subject. Word's "different first page" (``w:titlePg``) gives page 1 an empty
header and the same footer.
"""

from __future__ import annotations

from pathlib import Path

from docx.document import Document as DocxDocument
from docx.enum.text import WD_ALIGN_PARAGRAPH
from docx.shared import Mm
from docx.text.paragraph import Paragraph as DocxParagraph

from generator.document.nodes import Document
from generator.errors import RenderError
from generator.writers.docx import _styles
from generator.writers.docx._fields import add_field
from generator.writers.templatefiles import Templates

CONCEPT = "CONCEPT"  # the draft mark, also the contentStatus of the core properties


def header_and_footer(document: DocxDocument, doc: Document) -> None:
    """Fill the headers and footers of every section (the writer makes one section)."""
    for section in document.sections:
        section.different_first_page_header_footer = True
        header = section.header
        header.is_linked_to_previous = False
        first = header.paragraphs[0]
        _styles.set_paragraph_style(first, _styles.HEADER)
        # The Header style has a right-aligned tab stop at the right margin: name left, subject right.
        _styles.add_run(first, doc.author, _styles.STRONG)
        if doc.concept:  # a draft says so on every page, as the PDF's running header does
            _styles.add_run(first, f" \N{EM DASH} {CONCEPT}", _styles.CONCEPT_MARK)
        _styles.add_run(first, f"\t{doc.running_subject}")
        first_page = section.first_page_header
        first_page.is_linked_to_previous = False
        _styles.set_paragraph_style(first_page.paragraphs[0], _styles.HEADER)
        for footer in (section.footer, section.first_page_footer):
            footer.is_linked_to_previous = False
            _page_numbers(footer.paragraphs[0])


def _page_numbers(line: DocxParagraph) -> None:
    _styles.set_paragraph_style(line, _styles.FOOTER)
    line.alignment = WD_ALIGN_PARAGRAPH.RIGHT
    _styles.add_run(line, "pagina ")
    add_field(line, "PAGE")
    _styles.add_run(line, " van ")
    add_field(line, "NUMPAGES")


def add_logo(paragraph: DocxParagraph, doc: Document, templates: Templates, height_mm: float) -> None:
    """The house-style logo at the start of ``paragraph`` (the sender line on page 1), with its alt text."""
    logo = logo_path(doc, templates)
    if logo is None:
        return
    try:
        picture = paragraph.add_run().add_picture(str(logo), height=Mm(height_mm))
    except Exception as exc:  # python-docx's image errors often carry no message at all
        problem = f"logo '{doc.house.logo}' is geen bruikbare png of jpg ({type(exc).__name__})"
        raise RenderError(problem) from exc
    # Alt text (wp:docPr/@descr): what a screen reader says for the logo, as the HTML's alt.
    picture._inline.docPr.set("descr", doc.logo_alt)
    _styles.add_run(paragraph, " ")


def logo_path(doc: Document, templates: Templates) -> Path | None:
    """The house-style logo as a template file, or None when there is none.

    The same rule and the same outcome as the HTML and PDF writers: a logo outside the templates is refused
    and a missing logo is an error naming the file (the same data must not give a DOCX but no PDF).
    """
    if not doc.house.logo:
        return None
    return templates.find(doc.house.logo)

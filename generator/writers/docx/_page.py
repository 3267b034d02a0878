"""Running header (logo, municipality, subject) and footer ("pagina X van Y")."""

from __future__ import annotations

from pathlib import Path

from docx.document import Document as DocxDocument
from docx.enum.text import WD_ALIGN_PARAGRAPH
from docx.shared import Cm

from generator.document.nodes import Document
from generator.errors import RenderError
from generator.writers.docx import _styles
from generator.writers.docx._fields import add_field
from generator.writers.templatefiles import Templates

LOGO_HEIGHT = Cm(1.5)


def header_and_footer(document: DocxDocument, doc: Document, templates: Templates) -> None:
    """Fill the header and footer of every section (the writer makes one section)."""
    for section in document.sections:
        header = section.header
        header.is_linked_to_previous = False
        first = header.paragraphs[0]
        _styles.set_paragraph_style(first, _styles.HEADER)
        logo = logo_path(doc, templates)
        if logo is not None:
            try:
                first.add_run().add_picture(str(logo), height=LOGO_HEIGHT)
            except Exception as exc:  # python-docx's image errors often carry no message at all
                problem = f"logo '{doc.house.logo}' is geen bruikbare png of jpg ({type(exc).__name__})"
                raise RenderError(problem) from exc
            first = _styles.add_paragraph(header, _styles.HEADER)
        # The Header style has a right-aligned tab stop at the right margin: name left, subject right.
        _styles.add_run(first, f"Gemeente {doc.municipality}", _styles.STRONG)
        _styles.add_run(first, f"\t{doc.subject}")

        footer = section.footer
        footer.is_linked_to_previous = False
        line = footer.paragraphs[0]
        _styles.set_paragraph_style(line, _styles.FOOTER)
        line.alignment = WD_ALIGN_PARAGRAPH.RIGHT
        _styles.add_run(line, "pagina ")
        add_field(line, "PAGE")
        _styles.add_run(line, " van ")
        add_field(line, "NUMPAGES")


def logo_path(doc: Document, templates: Templates) -> Path | None:
    """The house-style logo as a template file, or None when there is none.

    The same rule and the same outcome as the HTML and PDF writers: a logo outside the templates is refused
    and a missing logo is an error naming the file (the same data must not give a DOCX but no PDF).
    """
    if not doc.house.logo:
        return None
    return templates.find(doc.house.logo)

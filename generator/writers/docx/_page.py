"""Running header (logo, municipality, subject) and footer ("pagina X van Y")."""

from __future__ import annotations

from pathlib import Path

from docx.document import Document as DocxDocument
from docx.enum.text import WD_ALIGN_PARAGRAPH
from docx.shared import Mm

from generator.document.nodes import Document
from generator.errors import RenderError
from generator.writers.docx import _styles
from generator.writers.docx._fields import add_field
from generator.writers.templatefiles import Templates

LOGO_HEIGHT = Mm(8)  # header distance (15 mm) + 8 mm stays inside the 27 mm top margin
CONCEPT = "CONCEPT"  # the draft mark, also the contentStatus of the core properties


def header_and_footer(document: DocxDocument, doc: Document, templates: Templates) -> None:
    """Fill the header and footer of every section (the writer makes one section)."""
    for section in document.sections:
        header = section.header
        header.is_linked_to_previous = False
        first = header.paragraphs[0]
        _styles.set_paragraph_style(first, _styles.HEADER)
        logo = logo_path(doc, templates)
        if logo is not None:
            # On the line of the name, small enough that the header ends above the top margin: a logo must not
            # push the text down (the PDF's body starts at the same place on every page, with or without one).
            try:
                picture = first.add_run().add_picture(str(logo), height=LOGO_HEIGHT)
            except Exception as exc:  # python-docx's image errors often carry no message at all
                problem = f"logo '{doc.house.logo}' is geen bruikbare png of jpg ({type(exc).__name__})"
                raise RenderError(problem) from exc
            # Alt text (wp:docPr/@descr): what a screen reader says for the logo, as the HTML's alt.
            picture._inline.docPr.set("descr", doc.logo_alt)
            _styles.add_run(first, " ")
        # The Header style has a right-aligned tab stop at the right margin: name left, subject right.
        _styles.add_run(first, doc.author, _styles.STRONG)
        if doc.concept:  # a draft says so on every page, as the PDF's running header does
            _styles.add_run(first, f" \N{EM DASH} {CONCEPT}", _styles.CONCEPT_MARK)
        _styles.add_run(first, f"\t{doc.running_subject}")

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

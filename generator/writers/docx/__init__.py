"""DOCX writer: ``write(Document, WriterOptions) -> bytes``.

A clerk keeps working in the result, so everything is real Word structure rather than look-alike
formatting: heading styles (navigation pane), list numbering from ``numbering.xml``, hyperlinks with
relationships, PAGE/NUMPAGES fields. Styles, page size and margins come from
``<templates>/docx/reference.docx`` (pandoc's reference-doc idea, made by ``tools/make_reference_docx.py``);
only the house colour, the language and the content are added here.

Modules, one job each:

- ``_styles``      names of the styles used (checked against reference.docx), house colour, language
- ``_numbering``   abstract list definitions and one restartable ``w:num`` per list
- ``_inlines``     runs: bold, italic, highlight, hyperlinks, line breaks
- ``_blocks``      sections, paragraphs, lists, arguments, the Global Goals checklist
- ``_tables``      borderless layout tables
- ``_datatable``   data tables from the text: grid, repeating header row, aligned cells
- ``_footnotes``   real Word footnotes (footnotes.xml) and their two styles
- ``_frontmatter`` title block and signature block
- ``_page``        header (logo, municipality, subject) and footer (pagina X van Y)
- ``_fields``      PAGE/NUMPAGES complex fields
- ``_package``     core properties and the reproducible ZIP container
- ``_markers``     bookmarks around every field and the custom XML part that names them (for the import)
"""

from __future__ import annotations

from pathlib import Path

import docx
from docx.document import Document as DocxDocument
from docx.opc.exceptions import PackageNotFoundError
from docx.shared import Pt

from generator.document.footnotes import collect as collect_footnotes
from generator.document.nodes import Document
from generator.errors import RenderError
from generator.writers import WriterOptions
from generator.writers.docx import _footnotes, _styles
from generator.writers.docx._blocks import BlockWriter
from generator.writers.docx._frontmatter import signature_block, title_block
from generator.writers.docx._markers import Markers
from generator.writers.docx._package import set_core_properties, to_bytes
from generator.writers.docx._page import header_and_footer
from generator.writers.housefile import house_style

__all__ = ["reference_path", "write"]

TITLE_BLOCK_GAP = Pt(30)  # between the title block and the first section, as the PDF's rule and margin


def reference_path(options: WriterOptions) -> Path:
    """Where the writer takes its styles from: ``docx/reference.docx`` in the templates (error if none)."""
    return options.templates.find("docx/reference.docx")


def write(doc: Document, options: WriterOptions) -> bytes:
    """Render ``doc`` as a DOCX file; the same ``doc`` and templates always give the same bytes."""
    document = load_reference(reference_path(options))
    try:
        _styles.apply_house_style(document, doc.house.color, doc.language)
        if any(collect_footnotes(s.blocks) for s in doc.sections):
            _footnotes.ensure_styles(document)
        house = house_style(options.templates)
        markers = Markers(document.element.body)
        title_block(document, doc, house, options.templates, markers)
        blocks = BlockWriter(document, markers)
        for index, section in enumerate(doc.sections):
            blocks.section(section, TITLE_BLOCK_GAP if index == 0 else None)
        signature_block(document, doc.signature, house, markers)
        header_and_footer(document, doc)
        set_core_properties(document, doc)
        markers.add_part(document, doc)
        return to_bytes(document)
    except RenderError:
        raise
    except (KeyError, ValueError, OSError) as exc:
        raise RenderError(f"DOCX maken mislukt voor {doc.title!r}: {exc}") from exc


def load_reference(path: Path) -> DocxDocument:
    """Open the reference document, check its styles and empty its body (keeping the page setup)."""
    if not path.is_file():
        raise RenderError(f"sjabloon ontbreekt: {path}")
    try:
        document = docx.Document(str(path))
    except (PackageNotFoundError, KeyError, ValueError) as exc:
        raise RenderError(f"sjabloon is geen geldig DOCX-bestand: {path}") from exc
    _styles.check_styles(document)
    document.element.body.clear_content()  # a designer's sample text must not end up in a proposal
    return document

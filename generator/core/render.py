"""One document in one format, in memory (the preview, the batch workers, publication).

Kept free of loading and validation, so a batch worker that imports it loads only the writers.
"""

from __future__ import annotations

from generator.document.nodes import Document
from generator.errors import UsageError
from generator.writers import FORMATS, WriterOptions, clear_template_caches, get_writer
from generator.writers.templatefiles import Templates

__all__ = ["clear_template_caches", "load_writer", "render"]


def load_writer(fmt: str) -> None:
    """Import the writer of ``fmt`` now (a batch worker does, before its first document)."""
    if fmt not in FORMATS:
        raise UsageError(f"onbekend formaat: {fmt}; kies uit {', '.join(FORMATS)}")
    get_writer(fmt)


def render(document: Document, fmt: str, templates: Templates | None = None) -> str | bytes:
    """One document in one format, in memory (the preview's view and its PDF and DOCX buttons)."""
    if fmt not in FORMATS:
        raise UsageError(f"onbekend formaat: {fmt}; kies uit {', '.join(FORMATS)}")
    return get_writer(fmt)(document, WriterOptions(templates or Templates()))

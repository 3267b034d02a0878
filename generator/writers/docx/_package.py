"""Core properties and a byte-for-byte reproducible ZIP container.

Why: a batch run that rewrites only changed files, golden tests, and reviewers comparing two builds all
need the same Document to give the same bytes. python-docx stamps every ZIP entry with the current time,
so the archive is rewritten with a fixed timestamp, fixed attributes and fixed compression, keeping the
entry order python-docx chose ([Content_Types].xml first, as Office expects). Dates inside the document
come from the data, never from the clock.
"""

from __future__ import annotations

import datetime as dt
import io
import zipfile

from docx.document import Document as DocxDocument

from generator.document.nodes import Document

ZIP_DATE_TIME = (1980, 1, 1, 0, 0, 0)  # the earliest time a ZIP entry can carry
CONCEPT_STATUS = "Concept"  # contentStatus of a document that still holds placeholders


def document_datetime(doc: Document) -> dt.datetime | None:
    """Midnight UTC of the document date, or None when the data gives none (never an invented date)."""
    if doc.date is None:
        return None
    return dt.datetime.combine(doc.date, dt.time(0, 0), tzinfo=dt.UTC)


def set_core_properties(document: DocxDocument, doc: Document) -> None:
    """Title, subject, author and keywords for file browsers and search, as the PDF's metadata says them.

    Created and modified are the proposal's date; without one they are left out rather than invented. A
    draft (``doc.concept``) carries contentStatus "Concept". Empty properties are removed, so nothing is
    left over from the reference document.
    """
    props = document.core_properties
    props.title = doc.title
    props.subject = doc.subject
    props.author = doc.author
    props.last_modified_by = doc.author
    props.keywords = ", ".join(doc.keywords)
    props.language = doc.language
    props.category = doc.kind
    props.content_status = CONCEPT_STATUS if doc.concept else doc.status.capitalize()
    props.revision = 1
    when = document_datetime(doc)
    if when is not None:
        props.created = when
        props.modified = when
    element = props._element
    for child in list(element):
        local = child.tag.rsplit("}", 1)[-1]
        if not (child.text or "").strip() or (when is None and local in ("created", "modified", "lastPrinted")):
            element.remove(child)


def to_bytes(document: DocxDocument) -> bytes:
    """Save ``document`` and return the normalised archive."""
    buffer = io.BytesIO()
    document.save(buffer)
    return normalize_zip(buffer.getvalue())


def normalize_zip(data: bytes) -> bytes:
    """Rewrite a ZIP archive with fixed metadata per entry, keeping entry order and contents."""
    out = io.BytesIO()
    with zipfile.ZipFile(io.BytesIO(data)) as src, zipfile.ZipFile(out, "w") as dst:
        for info in src.infolist():
            entry = zipfile.ZipInfo(info.filename, date_time=ZIP_DATE_TIME)
            entry.compress_type = zipfile.ZIP_DEFLATED
            entry.create_system = 0  # otherwise 0 on Windows, 3 elsewhere
            entry.external_attr = 0
            dst.writestr(entry, src.read(info), compresslevel=6)
    return out.getvalue()

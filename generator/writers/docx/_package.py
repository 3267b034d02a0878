"""Core properties and a byte-for-byte reproducible ZIP container.

Why: a batch run that rewrites only changed files, golden tests, and reviewers comparing two builds all
need the same Document to give the same bytes. python-docx stamps every ZIP entry with the current time,
so the archive is written here instead, with a fixed timestamp, fixed attributes and fixed compression, from
the entries python-docx's own package writer hands out, in its order ([Content_Types].xml first, as Office
expects). Written once: saving with python-docx and rewriting its archive compressed every part twice (a
tenth of a DOCX's time). Dates inside the document come from the data, never from the clock.
"""

from __future__ import annotations

import datetime as dt
import io
import zipfile
from typing import Any

from docx.document import Document as DocxDocument
from docx.opc.packuri import PackURI
from docx.opc.pkgwriter import PackageWriter

from generator.document.nodes import Document, shorten

ZIP_DATE_TIME = (1980, 1, 1, 0, 0, 0)  # the earliest time a ZIP entry can carry
#: Characters a DOCX core property (title, subject, keywords) holds.
CORE_CHARS = 255
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
    # The data's limits keep these within the 255 characters a core property holds; shortening them here
    # too means a subject lengthened by a variable's value cannot make Word's file fail.
    props.title = shorten(doc.title, CORE_CHARS)
    props.subject = shorten(doc.subject, CORE_CHARS)
    props.author = doc.author
    props.last_modified_by = doc.author
    props.keywords = shorten(", ".join(doc.keywords), CORE_CHARS)
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
    """The document's package as a reproducible archive: what ``document.save`` writes, with fixed metadata."""
    package = document.part.package
    parts = package.parts  # a walk of the relationship graph: once, where python-docx's save walks it twice
    for part in parts:  # as python-docx's OpcPackage.save
        part.before_marshal()
    entries = _Entries()
    writer: Any = PackageWriter  # its steps, each given our stand-in for its ZIP writer
    writer._write_content_types_stream(entries, parts)
    writer._write_pkg_rels(entries, package.rels)
    writer._write_parts(entries, parts)
    return _archive(entries.written)


class _Entries:
    """Stands in for python-docx's ZIP writer: keeps each entry the package writer writes, in order."""

    def __init__(self) -> None:
        self.written: list[tuple[str, bytes]] = []

    def write(self, uri: PackURI, blob: bytes) -> None:
        self.written.append((uri.membername, blob))


def _archive(entries: list[tuple[str, bytes]]) -> bytes:
    """A ZIP archive of ``entries`` with fixed metadata per entry, in the order given."""
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w") as archive:
        for name, blob in entries:
            entry = zipfile.ZipInfo(name, date_time=ZIP_DATE_TIME)
            entry.compress_type = zipfile.ZIP_DEFLATED
            entry.create_system = 0  # otherwise 0 on Windows, 3 elsewhere
            entry.external_attr = 0
            archive.writestr(entry, blob, compresslevel=6)
    return out.getvalue()

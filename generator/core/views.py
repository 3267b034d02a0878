"""Views of one municipality's document for reviewers and scripts: its canonical text and its metadata record."""

from __future__ import annotations

from pathlib import Path

from generator.core.load import documents
from generator.errors import RenderError, UsageError
from generator.writers import WriterOptions, get_writer


def dump(dossier: Path, gemeente: str, kind: str = "raadsvoorstel") -> str:
    """The canonical plain text of one municipality's document (reviewers, golden tests)."""
    document = documents(dossier, [gemeente], kind=kind)[gemeente]
    text = get_writer("txt")(document, WriterOptions())
    if not isinstance(text, str):  # pragma: no cover - the txt writer returns text by contract
        raise RenderError("de tekstweergave gaf geen tekst terug")
    return text


METADATA_FORMATS = ("xml", "json")


def metadata(dossier: Path, gemeente: str, kind: str = "raadsvoorstel", fmt: str = "xml") -> str:
    """The DiWoo metadata record of one municipality's document, as XML or as JSON (see ``writers.diwoo``).

    Raises :class:`DataError` when the data has problems or the record lacks a date it needs.
    """
    import json

    from generator.writers.diwoo import record
    from generator.writers.diwoo_xml import to_xml

    if fmt not in METADATA_FORMATS:
        raise UsageError(f"onbekend formaat: {fmt}; kies uit {', '.join(METADATA_FORMATS)}")
    from generator.writers.diwoo_valid import problems

    found = record(documents(dossier, [gemeente], kind=kind)[gemeente])
    xml = to_xml(found)
    invalid = problems(xml)
    if invalid:  # the JSON view says the same facts: neither is given out when the record is invalid
        raise RenderError(f"het DiWoo-record van {gemeente} is ongeldig volgens het XSD: {'; '.join(invalid[:3])}")
    if fmt == "json":
        return json.dumps(found.to_json(), indent=2, ensure_ascii=False) + "\n"
    return xml.decode("utf-8")


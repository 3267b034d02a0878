"""A DiWoo record as XML (``diwoo:Document`` with a ``diwoo:DiWoo`` block, DiWoo metadata schema 0.9.8).

Written with lxml, element by element, so the result is well-formed whatever the text holds, and with a
fixed order, indentation and no dates from the clock: the same record gives the same bytes. The facts the
schema has no element for (status, zaaknummer, agendapunt, meeting date) go into ``extraMetadata``, which
DiWoo provides for this. ``tests/test_diwoo.py`` validates every record against the official XSD.
"""

from __future__ import annotations

from lxml import etree

from generator.writers.diwoo import CATEGORY, LANGUAGE, Record, moment

__all__ = ["EXTRA_NAMESPACE", "NAMESPACE", "to_xml"]

NAMESPACE = "https://standaarden.overheid.nl/diwoo/metadata/"
#: The namespace of our own extra facts (DiWoo's ``extraMetadata``); a URN, as no web address is ours to claim.
EXTRA_NAMESPACE = "urn:x-raadsvoorstel:metadata:1"


def _tag(name: str) -> str:
    return f"{{{NAMESPACE}}}{name}"


def _add(parent: etree._Element, name: str, text: str | None = None, resource: str | None = None) -> etree._Element:
    element = etree.SubElement(parent, _tag(name))
    if resource is not None:
        element.set("resource", resource)
    if text is not None:
        element.text = text
    return element


def to_xml(record: Record) -> bytes:
    """The record as a DiWoo XML document (UTF-8, with declaration)."""
    root = etree.Element(_tag("Document"), nsmap={"diwoo": NAMESPACE})
    diwoo = _add(root, "DiWoo")
    ids = _add(diwoo, "identifiers")
    for value in record.identifiers:
        _add(ids, "identifier", value)
    _add(diwoo, "publisher", record.publisher[1], record.publisher[0])
    _add(diwoo, "verantwoordelijke", record.publisher[1], record.publisher[0])
    titles = _add(diwoo, "titelcollectie")
    _add(titles, "officieleTitel", record.title)
    _add(_add(diwoo, "omschrijvingen"), "omschrijving", record.description)
    classes = _add(diwoo, "classificatiecollectie")
    _add(_add(classes, "informatiecategorieen"), "informatiecategorie", CATEGORY[1], CATEGORY[0])
    _add(_add(classes, "documentsoorten"), "documentsoort", record.document_type[1], record.document_type[0])
    if record.keywords:
        words = _add(classes, "trefwoorden")
        for word in record.keywords:
            _add(words, "trefwoord", word)
    if record.created is not None:
        _add(diwoo, "creatiedatum", record.created.isoformat())
    _add(diwoo, "language", LANGUAGE[1], LANGUAGE[0])
    _add(diwoo, "format", record.file_format[1], record.file_format[0])
    _add(diwoo, "aggregatiekenmerk", record.aggregate)
    _add(diwoo, "isPartOf", record.part_of[1], record.part_of[0])
    actions = _add(diwoo, "documenthandelingen")
    for action in record.actions:
        item = _add(actions, "documenthandeling")
        _add(item, "soortHandeling", action.kind[1], action.kind[0])
        _add(item, "atTime", moment(action.date))
        _add(item, "wasAssociatedWith", record.publisher[1], record.publisher[0])
    if record.relations:
        relations = _add(diwoo, "documentrelaties")
        for relation in record.relations:
            item = _add(relations, "documentrelatie")
            _add(item, "role", relation.role[1], relation.role[0])
            _add(item, "relation", relation.label, relation.resource)
    _extra(root, record)
    etree.indent(root, space="  ")
    data: bytes = etree.tostring(root, xml_declaration=True, encoding="UTF-8")
    return data + b"\n"


def _extra(root: etree._Element, record: Record) -> None:
    """The council facts DiWoo has no element for, as key/value pairs in our own namespace."""
    facts = {
        "status": record.status,
        "zaaknummer": record.zaaknummer,
        "agendapunt": record.agendapunt,
        "datum_raad": record.meeting_date.isoformat() if record.meeting_date is not None else None,
        "gewijzigd": record.revised.isoformat() if record.revised is not None else None,
    }
    extra = _add(root, "extraMetadata")
    _add(extra, "namespace", EXTRA_NAMESPACE)
    _add(extra, "prefix", "raadsvoorstel")
    fields = _add(extra, "extraMetadatavelden")
    for key, value in facts.items():
        if value:
            field = _add(fields, "extraMetadataveld")
            _add(field, "key", key)
            _add(_add(field, "values"), "value", value)
    if record.amendments:
        field = _add(fields, "extraMetadataveld")
        _add(field, "key", "amendementen")
        values = _add(field, "values")
        for line in record.amendments:
            _add(values, "value", line)

"""Markers for the way back: bookmarks around every field, and a custom XML part that names them.

Why: a clerk edits the DOCX in Word or LibreOffice and the import must find the field each paragraph came
from (DESIGN §7). Every section heading, text field, list item, argument heading and title-block field is
wrapped in a hidden bookmark (``_rv<n>``: Word hides names that start with "_"). The marks never overlap or
nest (LibreOffice renames bookmarks that start at the same place): a section or an argument is found by its
heading's mark. A custom XML part (``customXml/item<n>.xml``) maps each bookmark to its key path and role,
and names the dossier, the municipality, the document kind and the exact data files (git object ids) the
document was built from. The import reads from a bookmark's start to the next one's start, so a paragraph
added after a field's last one still belongs to that field.
"""

from __future__ import annotations

import hashlib
import json
import uuid
from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import Any

from docx.document import Document as DocxDocument
from docx.opc.constants import RELATIONSHIP_TYPE as RT
from docx.opc.packuri import PackURI
from docx.opc.part import Part
from docx.oxml import OxmlElement
from docx.oxml.ns import qn
from lxml import etree

from generator.document.nodes import Document

__all__ = ["NAMESPACE", "PREFIX", "PROPERTY", "Markers", "source_hash"]

NAMESPACE = "urn:raadsvoorstel:bron:1"
PREFIX = "_rv"  # bookmark names: "_rv1", "_rv2", …
_ITEM = "/customXml/item%d.xml"  # the reference document may hold items already (Word's bibliography)
_PROPS = "/customXml/itemProps%d.xml"
_PROPS_TYPE = "application/vnd.openxmlformats-officedocument.customXmlProperties+xml"
_DATASTORE = "http://schemas.openxmlformats.org/officeDocument/2006/customXml"
_BLOCK_TAGS = (qn("w:p"), qn("w:tbl"))
#: Bookmark ids start here, apart from the footnote ids (1, 2, …) a reader may count in the same XPath.
FIRST_ID = 10_000


def source_hash(built_from: Sequence[tuple[str, str]]) -> str:
    """One SHA-256 over the names and object ids of the data files: equal when the sources are equal."""
    text = "\n".join(f"{name}\t{blob}" for name, blob in built_from)
    return hashlib.sha256(text.encode("utf-8")).hexdigest()


@dataclass
class Markers:
    """Adds bookmarks to one document body and remembers them for the custom XML part."""

    body: Any
    records: list[tuple[str, tuple[str | int, ...], str]] = field(default_factory=list)

    def position(self) -> int:
        """How many block elements (paragraphs, tables) the body holds now: a mark's start."""
        return sum(1 for child in self.body if child.tag in _BLOCK_TAGS)

    def mark_since(self, start: int, path: tuple[str | int, ...], role: str) -> None:
        """Mark the block elements added since :meth:`position` returned ``start``."""
        blocks = [child for child in self.body if child.tag in _BLOCK_TAGS][start:]
        if blocks:
            self.mark(blocks[0], blocks[-1], path, role)

    def mark(self, first: Any, last: Any, path: tuple[str | int, ...], role: str) -> None:
        """A bookmark from the start of element ``first`` to the end of element ``last``."""
        number = len(self.records) + 1
        name = f"{PREFIX}{number}"
        ident = str(FIRST_ID + number)
        start = OxmlElement("w:bookmarkStart", {qn("w:id"): ident, qn("w:name"): name})
        end = OxmlElement("w:bookmarkEnd", {qn("w:id"): ident})
        if first.tag == qn("w:p"):
            ppr = first.find(qn("w:pPr"))
            first.insert(0 if ppr is None else 1, start)
        else:
            first.addprevious(start)
        if last.tag == qn("w:p"):
            last.append(end)
        else:
            last.addnext(end)
        self.records.append((name, path, role))

    def add_part(self, document: DocxDocument, doc: Document) -> None:
        """The custom XML part naming the document and every bookmark (deterministic: no clock, no random)."""
        root = etree.Element(f"{{{NAMESPACE}}}raadsvoorstel", nsmap={None: NAMESPACE})
        root.set("dossier", doc.dossier)
        root.set("gemeente", doc.municipality_slug)
        root.set("soort", doc.name)
        root.set("bron", source_hash(doc.built_from))
        for name, blob in doc.built_from:
            etree.SubElement(root, f"{{{NAMESPACE}}}bestand", naam=name, object=blob)
        for name, path, role in self.records:
            pad = json.dumps(list(path), ensure_ascii=False)
            etree.SubElement(root, f"{{{NAMESPACE}}}markering", naam=name, pad=pad, rol=role)
        blob = etree.tostring(root, xml_declaration=True, encoding="UTF-8", standalone=True)
        package = document.part.package
        _add_property(package, blob)
        item = Part(package.next_partname(_ITEM), "application/xml", blob, package)
        document.part.relate_to(item, RT.CUSTOM_XML)
        guid = uuid.uuid5(uuid.NAMESPACE_URL, f"{NAMESPACE}:{doc.dossier}:{doc.municipality_slug}:{doc.name}")
        number = item.partname.idx
        props = Part(PackURI(_PROPS % number), _PROPS_TYPE, _props(guid), package)
        item.relate_to(props, RT.CUSTOM_XML_PROPS)


_CUSTOM_PROPERTIES = "/docProps/custom.xml"
_CUSTOM_TYPE = "application/vnd.openxmlformats-officedocument.custom-properties+xml"
PROPERTY = "raadsvoorstel-bron"


def _add_property(package: Any, blob: bytes) -> None:
    """The same description as a custom document property: LibreOffice keeps those when a clerk saves the
    document as ODT (it drops custom XML parts there), so an ODT made from our DOCX still reads back."""
    if any(p.partname == _CUSTOM_PROPERTIES for p in package.iter_parts()):
        return  # a reference document with properties of its own: the custom XML part alone does the work
    value = blob.decode("utf-8").replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")
    xml = (
        '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n<Properties '
        'xmlns="http://schemas.openxmlformats.org/officeDocument/2006/custom-properties" '
        'xmlns:vt="http://schemas.openxmlformats.org/officeDocument/2006/docPropsVTypes">'
        f'<property fmtid="{{D5CDD505-2E9C-101B-9397-08002B2CF9AE}}" pid="2" name="{PROPERTY}">'
        f"<vt:lpwstr>{value}</vt:lpwstr></property></Properties>"
    )
    part = Part(PackURI(_CUSTOM_PROPERTIES), _CUSTOM_TYPE, xml.encode("utf-8"), package)
    package.relate_to(part, RT.CUSTOM_PROPERTIES)


def _props(guid: uuid.UUID) -> bytes:
    return (
        '<?xml version="1.0" encoding="UTF-8" standalone="no"?>\n'
        f'<ds:datastoreItem ds:itemID="{{{str(guid).upper()}}}" xmlns:ds="{_DATASTORE}">'
        f'<ds:schemaRefs><ds:schemaRef ds:uri="{NAMESPACE}"/></ds:schemaRefs></ds:datastoreItem>'
    ).encode()

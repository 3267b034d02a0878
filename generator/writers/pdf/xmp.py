"""The PDF's XMP metadata: PDF/A-2a and PDF/UA-1 claimed together, with the extension schema PDF/A needs.

Why our own packet: WeasyPrint 70 writes the identification of one standard only (``pdfaid`` *or*
``pdfuaid``), and PDF/A allows a property outside its predefined schemas (``pdfuaid:part`` is one) only
when the packet describes it in a ``pdfaExtension:schemas`` block. The packet is written once, from the
same metadata WeasyPrint put into the document information dictionary, so the two always agree (PDF/A
checks that ``dc:title`` equals ``/Title``, ``dc:creator`` ``/Author`` and so on).

No field depends on the clock or on chance (no ``xmpMM:DocumentID`` UUID): same document, same bytes.

The publication facts (the document's DiWoo record: identifier, TOOI publisher, dates, document type and
category, related parts) go into Dublin Core properties, which XMP and PDF/A predefine, so they need no
extension schema and a PDF that travels alone still says what it is and who published it.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any
from xml.sax.saxutils import escape

__all__ = ["PDFA_CONFORMANCE", "PDFA_PART", "PDFUA_PART", "PublicationXmp", "xmp_packet"]

PDFA_PART = 2
PDFA_CONFORMANCE = "A"
PDFUA_PART = 1

_NAMESPACES = {
    "rdf": "http://www.w3.org/1999/02/22-rdf-syntax-ns#",
    "dc": "http://purl.org/dc/elements/1.1/",
    "pdf": "http://ns.adobe.com/pdf/1.3/",
    "xmp": "http://ns.adobe.com/xap/1.0/",
    "pdfaid": "http://www.aiim.org/pdfa/ns/id/",
    "pdfuaid": "http://www.aiim.org/pdfua/ns/id/",
    "pdfaExtension": "http://www.aiim.org/pdfa/ns/extension/",
    "pdfaSchema": "http://www.aiim.org/pdfa/ns/schema#",
    "pdfaProperty": "http://www.aiim.org/pdfa/ns/property#",
}

# The description of the pdfuaid schema that PDF/A-2 (ISO 19005-2, 6.6.2.3) requires for its property.
_PDFUA_EXTENSION = """  <pdfaExtension:schemas>
   <rdf:Bag>
    <rdf:li rdf:parseType="Resource">
     <pdfaSchema:schema>PDF/UA Universal Accessibility Schema</pdfaSchema:schema>
     <pdfaSchema:namespaceURI>http://www.aiim.org/pdfua/ns/id/</pdfaSchema:namespaceURI>
     <pdfaSchema:prefix>pdfuaid</pdfaSchema:prefix>
     <pdfaSchema:property>
      <rdf:Seq>
       <rdf:li rdf:parseType="Resource">
        <pdfaProperty:name>part</pdfaProperty:name>
        <pdfaProperty:valueType>Integer</pdfaProperty:valueType>
        <pdfaProperty:category>internal</pdfaProperty:category>
        <pdfaProperty:description>Indicates, which part of ISO 14289 standard is followed</pdfaProperty:description>
       </rdf:li>
      </rdf:Seq>
     </pdfaSchema:property>
    </rdf:li>
   </rdf:Bag>
  </pdfaExtension:schemas>
"""


@dataclass(frozen=True, slots=True)
class PublicationXmp:
    """The DiWoo facts as Dublin Core values (``dc:identifier``, ``dc:publisher`` …), all plain strings."""

    identifier: str
    publisher: str  # TOOI URI of the municipality
    dates: tuple[str, ...]  # ISO dates: creation, then each document action
    types: tuple[str, ...]  # TOOI URIs: document type and information category
    relations: tuple[str, ...]  # identifiers of the other parts of the proposal
    language: str = "nl-NL"
    description: str | None = None  # instead of the page's description: an amended besluit names its amendments

    def properties(self) -> str:
        return (
            _text("dc:identifier", self.identifier)
            + _bag("dc:publisher", [self.publisher])
            + _seq("dc:date", list(self.dates))
            + _bag("dc:type", list(self.types))
            + _bag("dc:relation", list(self.relations))
            + _bag("dc:language", [self.language])
        )


def _text(tag: str, value: str | None) -> str:
    return f"  <{tag}>{escape(value)}</{tag}>\n" if value else ""


def _alt(tag: str, value: str | None) -> str:
    if not value:
        return ""
    return f'  <{tag}><rdf:Alt><rdf:li xml:lang="x-default">{escape(value)}</rdf:li></rdf:Alt></{tag}>\n'


def _seq(tag: str, values: list[str]) -> str:
    if not values:
        return ""
    items = "".join(f"<rdf:li>{escape(v)}</rdf:li>" for v in values)
    return f"  <{tag}><rdf:Seq>{items}</rdf:Seq></{tag}>\n"


def _bag(tag: str, values: list[str]) -> str:
    if not values:
        return ""
    items = "".join(f"<rdf:li>{escape(v)}</rdf:li>" for v in values)
    return f"  <{tag}><rdf:Bag>{items}</rdf:Bag></{tag}>\n"


def xmp_packet(metadata: Any, producer: str, publication: PublicationXmp | None = None) -> bytes:
    """The XMP packet for WeasyPrint's ``DocumentMetadata`` (title, authors, description, keywords, dates),
    with the publication facts when the document has them."""
    declarations = "".join(f' xmlns:{prefix}="{uri}"' for prefix, uri in _NAMESPACES.items() if prefix != "rdf")
    body = (
        f"  <pdfaid:part>{PDFA_PART}</pdfaid:part>\n"
        f"  <pdfaid:conformance>{PDFA_CONFORMANCE}</pdfaid:conformance>\n"
        f"  <pdfuaid:part>{PDFUA_PART}</pdfuaid:part>\n"
        + _alt("dc:title", metadata.title)
        + _seq("dc:creator", list(metadata.authors))
        + _alt("dc:description", (publication.description if publication else None) or metadata.description)
        + _text("pdf:Keywords", ", ".join(metadata.keywords) if metadata.keywords else None)
        + _text("pdf:Producer", producer)
        + _text("xmp:CreatorTool", metadata.generator)
        + _text("xmp:CreateDate", metadata.created)
        + _text("xmp:ModifyDate", metadata.modified)
        + (publication.properties() if publication is not None else "")
        + _PDFUA_EXTENSION
    )
    packet = (
        '<?xpacket begin="\ufeff" id="W5M0MpCehiHzreSzNTczkc9d"?>\n'
        '<x:xmpmeta xmlns:x="adobe:ns:meta/">\n'
        f' <rdf:RDF xmlns:rdf="{_NAMESPACES["rdf"]}">\n'
        f' <rdf:Description rdf:about=""{declarations}>\n'
        f"{body}"
        " </rdf:Description>\n"
        " </rdf:RDF>\n"
        "</x:xmpmeta>\n"
        '<?xpacket end="r"?>'
    )
    return packet.encode("utf-8")

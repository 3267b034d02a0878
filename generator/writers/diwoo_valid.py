"""Whether a DiWoo record is valid: against the official 0.9.8 XSD, and whether a CBS code can make one.

Why in the product and not only in the tests: a delivery folder goes to the Woo index unattended; a record the
index refuses is found weeks later, by someone else. So every record is validated before it is written
(``publish``), and ``validate`` already refuses a CBS code the TOOI list does not hold, since the record's
publisher would be invalid. The XSDs ship in ``generator/data/diwoo-0.9.8/`` (see its README); the MDTO
schema the XSD imports from the web is only needed for records of the other branch, so it resolves to an
empty stub and validation never touches the network. The schema is compiled once per process, on first use.
"""

from __future__ import annotations

import functools
from importlib import resources
from typing import Any

from lxml import etree

from generator.writers.tooi import municipalities  # re-exported: the CBS codes a record may name

__all__ = ["municipalities", "problems"]

_DATA = resources.files("generator") / "data"
_MDTO_STUB = (
    '<xs:schema xmlns:xs="http://www.w3.org/2001/XMLSchema" targetNamespace="https://www.nationaalarchief.nl/mdto">'
    '<xs:element name="MDTO"/></xs:schema>'
)


class _Offline(etree.Resolver):  # type: ignore[misc]  # lxml-stubs: Resolver is untyped
    """The XSD's lists from the package; the MDTO import as an empty stub; nothing from the network."""

    def resolve(self, url: str | None, pubid: str | None, context: Any) -> Any:
        if url is not None and "nationaalarchief.nl" in url:
            return self.resolve_string(_MDTO_STUB, context)
        return None


@functools.cache
def _schema() -> etree.XMLSchema:
    folder = _DATA / "diwoo-0.9.8"
    with resources.as_file(folder) as path:
        parser = etree.XMLParser(no_network=True)
        parser.resolvers.add(_Offline())
        return etree.XMLSchema(etree.parse(str(path / "diwoo-metadata.xsd"), parser))


def problems(data: bytes) -> list[str]:
    """Why the record ``data`` does not validate against the DiWoo 0.9.8 XSD (empty: it does), in short lines."""
    schema = _schema()
    if schema.validate(etree.fromstring(data)):
        return []
    found = []
    for error in schema.error_log:
        message = error.message.replace("{https://standaarden.overheid.nl/diwoo/metadata/}", "diwoo:")
        found.append(f"regel {error.line}: {message}")
    return found

"""DiWoo metadata: every record validates against the official 0.9.8 XSD and says what its document says.

The example round (``voorbeelden/raadsronde``) has fictional CBS codes (GM999x) that no TOOI list holds, so
the records that must validate are made from a copy with real codes; one test shows the XSD rejects the
fictional publisher, so the validation has teeth.
"""

from __future__ import annotations

import json
import re
import shutil
from pathlib import Path
from typing import Any

import pikepdf
import pytest
from lxml import etree

from generator import api
from generator.errors import DataError
from generator.sources.layout import KINDS
from generator.writers import WriterOptions, get_writer
from generator.writers.diwoo import record
from generator.writers.diwoo_xml import to_xml
from tests.conftest import ROOT, Invoke

XSD = ROOT / "tests" / "data" / "diwoo-0.9.8" / "diwoo-metadata.xsd"
ROUND = ROOT / "voorbeelden" / "raadsronde" / "proposals"
DOSSIER = "schuldhulp-eemland"
#: Real CBS codes for the fictional municipalities (Leusden, Amersfoort, Bunschoten): in the TOOI list.
REAL_CODES = {"GM9991": "GM0327", "GM9993": "GM0307", "GM9994": "GM0313"}
_MDTO_STUB = (
    '<xs:schema xmlns:xs="http://www.w3.org/2001/XMLSchema" targetNamespace="https://www.nationaalarchief.nl/mdto">'
    '<xs:element name="MDTO"/></xs:schema>'
)


class _OfflineMdto(etree.Resolver):  # type: ignore[misc]  # lxml-stubs: Resolver is untyped
    """The XSD imports MDTO from the web for a branch we do not use: an empty stub keeps validation offline."""

    def resolve(self, url: str | None, pubid: str | None, context: Any) -> Any:
        if url is not None and "nationaalarchief.nl" in url:
            return self.resolve_string(_MDTO_STUB, context)
        return None


@pytest.fixture(scope="module")
def schema() -> etree.XMLSchema:
    parser = etree.XMLParser(no_network=True)
    parser.resolvers.add(_OfflineMdto())
    return etree.XMLSchema(etree.parse(str(XSD), parser))


def real_round(target: Path) -> Path:
    """A copy of the example round whose municipalities carry real CBS codes; returns its dossier."""
    shutil.copytree(ROUND, target)
    registry = target / "gemeenten.yaml"
    text = registry.read_text(encoding="utf-8")
    for fictional, real in REAL_CODES.items():
        text = text.replace(fictional, real)
    assert "fictief: true\n" in text
    text = text.replace("fictief: true\n", "")  # real codes: a region whose records are written and checked
    registry.write_text(text, encoding="utf-8")
    return target / DOSSIER


@pytest.fixture(scope="module")
def round_dossier(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return real_round(tmp_path_factory.mktemp("ronde") / "proposals")


def _valid(schema: etree.XMLSchema, data: bytes) -> etree._Element:
    root = etree.fromstring(data)
    assert schema.validate(root), schema.error_log
    return root


NS = {"diwoo": "https://standaarden.overheid.nl/diwoo/metadata/"}


@pytest.mark.parametrize(("gemeente", "kind"), [(g, k) for g in ("eemdal", "amerveld") for k in KINDS])
def test_every_record_validates_and_carries_its_documents_facts(
    schema: etree.XMLSchema, round_dossier: Path, gemeente: str, kind: str
) -> None:
    document = api.documents(round_dossier, [gemeente], kind=kind)[gemeente]
    root = _valid(schema, to_xml(record(document)))
    code = {"eemdal": "gm0327", "amerveld": "gm0307"}[gemeente]
    assert root.findtext(".//diwoo:officieleTitel", namespaces=NS) == document.title
    publisher = root.find(".//diwoo:publisher", NS)
    assert publisher is not None
    assert publisher.get("resource") == f"https://identifier.overheid.nl/tooi/id/gemeente/{code}"
    assert publisher.text == f"Gemeente {document.municipality}"
    category = root.find(".//diwoo:informatiecategorie", NS)
    assert category is not None and category.text == "vergaderstukken decentrale overheden"
    ids = root.findall(".//diwoo:identifier", NS)
    assert ids[0].text == f"{code}/{DOSSIER}/{kind}"
    # the parts point at each other: voorstel → besluit (attachment), besluit → voorstel
    other = "raadsbesluit" if kind == "raadsvoorstel" else "raadsvoorstel"
    relations = [r.get("resource") for r in root.findall(".//diwoo:relation", NS)]
    assert f"{code}/{DOSSIER}/{other}" in relations
    assert root.findtext(".//diwoo:aggregatiekenmerk", namespaces=NS) == f"{code}/{DOSSIER}"


def test_the_actions_follow_the_status(round_dossier: Path) -> None:
    """Eemdal adopted: the besluit is adopted and signed at the meeting; Amerveld's is still the college's draft."""
    eemdal = record(api.documents(round_dossier, ["eemdal"], kind="raadsbesluit")["eemdal"])
    assert [(a.kind[1], a.date.isoformat()) for a in eemdal.actions] == [
        ("vaststelling", "2026-03-05"),
        ("ondertekening", "2026-03-05"),
    ]
    assert eemdal.title.startswith("Raadsbesluit ")
    amerveld = record(api.documents(round_dossier, ["amerveld"], kind="raadsbesluit")["amerveld"])
    assert [(a.kind[1], a.date.isoformat()) for a in amerveld.actions] == [("vaststelling", "2026-01-20")]
    assert amerveld.title.startswith("Ontwerpbesluit ")
    assert amerveld.zaaknummer == "AMV/2026/0042" and amerveld.agendapunt == "5"


def test_the_xsd_rejects_a_publisher_outside_the_tooi_list(schema: etree.XMLSchema) -> None:
    """The example's fictional GM9991 is no TOOI organisation: the schema says so, and only that."""
    document = api.documents(ROUND / DOSSIER, ["eemdal"])["eemdal"]
    root = etree.fromstring(to_xml(record(document)))
    assert not schema.validate(root)
    errors = [e.message for e in schema.error_log]
    assert errors and all("gm9991" in m for m in errors), errors


def test_attachments_with_a_file_are_parts_of_the_voorstel_and_the_besluit_is_not(
    schema: etree.XMLSchema, tmp_path: Path
) -> None:
    """Only a bijlage that goes along as a file is linked (a title only is no document of its own), and the
    besluit is referred to, not listed as a bijlage of the voorstel."""
    dossier = real_round(tmp_path / "proposals")
    base = dossier / "voorstel.yaml"
    base.write_text(
        base.read_text(encoding="utf-8").replace(
            "bijlagen: nvt",
            "bijlagen:\n  - Verslag\n  - titel: Convenant vroegsignalering\n    bestand: convenant.pdf\n",
        ),
        encoding="utf-8",
    )
    (dossier / "bijlagen").mkdir()
    (dossier / "bijlagen" / "convenant.pdf").write_bytes(b"%PDF-1.7\n")
    found = record(api.documents(dossier, ["eemdal"])["eemdal"])
    _valid(schema, to_xml(found))
    assert [(r.role[1], r.resource, r.label) for r in found.relations] == [
        ("verwijst naar", f"gm0327/{DOSSIER}/raadsbesluit", "Raadsbesluit"),
        ("heeft bijlage", f"gm0327/{DOSSIER}/bijlage-2", "Convenant vroegsignalering"),
    ]


def test_a_record_without_any_date_is_refused_in_dutch(round_dossier: Path) -> None:
    document = api.documents(round_dossier, ["zandhoven"])["zandhoven"]
    with pytest.raises(DataError, match="zonder datum_college heeft het metadatarecord geen datum"):
        record(document)


def test_the_command_gives_xml_and_the_same_facts_as_json(
    schema: etree.XMLSchema, round_dossier: Path, cli: Invoke
) -> None:
    xml = cli("metadata", round_dossier, "--gemeente", "eemdal", "--document", "raadsbesluit")
    assert xml.exit_code == 0, xml.output
    root = _valid(schema, xml.output.encode("utf-8"))
    as_json = cli("metadata", round_dossier, "-g", "eemdal", "-d", "raadsbesluit", "--format", "json")
    assert as_json.exit_code == 0, as_json.output
    data = json.loads(as_json.output)
    assert data["officieleTitel"] == root.findtext(".//diwoo:officieleTitel", namespaces=NS)
    assert data["publisher"]["resource"] == "https://identifier.overheid.nl/tooi/id/gemeente/gm0327"
    assert [a["atTime"] for a in data["documenthandelingen"]] == [
        t.text for t in root.findall(".//diwoo:atTime", NS)
    ]
    assert data["datum_raad"] == "2026-03-05" and data["status"] == "vastgesteld"
    refused = cli("metadata", round_dossier, "-g", "zandhoven")
    assert refused.exit_code == 1 and "vul datum_college in" in refused.output


def _xmp(pdf_bytes: bytes, tmp_path: Path) -> str:
    path = tmp_path / "doc.pdf"
    path.write_bytes(pdf_bytes)
    with pikepdf.open(path) as pdf:
        return bytes(pdf.Root.Metadata.read_bytes()).decode("utf-8")


def test_a_changed_date_reaches_the_record_and_the_xmp(tmp_path: Path) -> None:
    """Move Eemdal's council meeting: the record and the PDF's XMP both carry the new date, not the old one."""
    dossier = real_round(tmp_path / "proposals")
    overlay = dossier / "gemeenten" / "eemdal.yaml"
    overlay.write_text(
        overlay.read_text(encoding="utf-8").replace("datum_raad: 2026-03-05", "datum_raad: 2026-04-16"),
        encoding="utf-8",
    )
    document = api.documents(dossier, ["eemdal"], kind="raadsbesluit")["eemdal"]
    xml = to_xml(record(document)).decode("utf-8")
    assert "<diwoo:atTime>2026-04-16T00:00:00</diwoo:atTime>" in xml and "2026-03-05" not in xml
    pdf = get_writer("pdf")(document, WriterOptions(api.templates_for(dossier)))
    assert isinstance(pdf, bytes)
    xmp = _xmp(pdf, tmp_path)
    assert re.search(r"<dc:date><rdf:Seq>.*<rdf:li>2026-04-16</rdf:li>.*</rdf:Seq></dc:date>", xmp), xmp
    assert "2026-03-05" not in xmp
    assert f"<dc:identifier>gm0327/{DOSSIER}/raadsbesluit</dc:identifier>" in xmp
    assert "<rdf:li>https://identifier.overheid.nl/tooi/id/gemeente/gm0327</rdf:li>" in xmp
    assert "<rdf:li>https://identifier.overheid.nl/tooi/def/thes/kern/c_db4862c3</rdf:li>" in xmp


def test_the_front_door_refuses_an_unknown_metadata_format(round_dossier: Path) -> None:
    from generator.errors import UsageError

    with pytest.raises(UsageError, match="onbekend formaat: yaml; kies uit xml, json"):
        api.metadata(round_dossier, "eemdal", fmt="yaml")

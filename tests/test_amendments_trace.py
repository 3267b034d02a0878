"""Amendments leave a trace: the amended besluit says so and lists them; its metadata carries them; a besluit
whose amendments strike every beslispunt is refused at the amendment's line."""

from __future__ import annotations

import json
import re
from pathlib import Path

import docx
import pikepdf
import pytest
from lxml import etree

from generator import api
from generator.errors import Severity
from generator.writers import WriterOptions, get_writer
from generator.writers.diwoo import record
from generator.writers.diwoo_xml import to_xml
from tests.conftest import Invoke
from tests.test_diwoo import NS, real_round
from tests.test_diwoo import schema as schema  # the XSD fixture, offline

AMENDMENTS = """\
  - nummer: A2
    titel: Vooraf een startbijeenkomst
    actie: toevoegen
    beslispunt: 0
    tekst: Een startbijeenkomst met de partners organiseren.
  - nummer: A3
    actie: schrappen
    beslispunt: 2
"""


@pytest.fixture
def dossier(tmp_path: Path) -> Path:
    """The example round (real CBS codes) where Eemdal's council adopted three amendments."""
    found = real_round(tmp_path / "proposals")
    overlay = found / "gemeenten" / "eemdal.yaml"
    overlay.write_text(overlay.read_text(encoding="utf-8") + AMENDMENTS, encoding="utf-8")
    return found


def _txt(dossier: Path, slug: str) -> str:
    document = api.documents(dossier, [slug], kind="raadsbesluit")[slug]
    text = get_writer("txt")(document, WriterOptions())
    assert isinstance(text, str)
    return text


EXPECTED = [
    "Amendement A1 Inwoners in de evaluatie: wijzigt beslispunt 3",
    "Amendement A2 Vooraf een startbijeenkomst: voegt vooraan een beslispunt toe",
    "Amendement A3: schrapt beslispunt 2",
]


def test_the_amended_besluit_says_so_and_lists_the_amendments_after_the_beslispunten(dossier: Path) -> None:
    text = _txt(dossier, "eemdal")
    assert text.startswith("Raadsbesluit (geamendeerd)\n")
    decisions = text.split("besluit:\n\n", 1)[1]
    numbered, rest = decisions.split("\n\nAangenomen amendementen:\n\n", 1)
    assert numbered.splitlines() == [
        "1. Een startbijeenkomst met de partners organiseren.",
        "2. De regionale aanpak vroegsignalering schulden vaststellen.",
        "3. Het college opdracht geven de aanpak in 2027 te evalueren, samen met ervaringsdeskundigen.",
    ]
    listed = rest.split("\n\nAldus besloten", 1)[0].splitlines()
    assert listed == [f"• {line}" for line in EXPECTED]


def test_an_adopted_besluit_without_amendments_stays_the_plain_raadsbesluit(dossier: Path) -> None:
    overlay = dossier / "gemeenten" / "eemdal.yaml"
    overlay.write_text(overlay.read_text(encoding="utf-8").split("amendementen:")[0], encoding="utf-8")
    text = _txt(dossier, "eemdal")
    assert text.startswith("Raadsbesluit\n") and "amendement" not in text.lower()
    document = api.documents(dossier, ["eemdal"], kind="raadsbesluit")["eemdal"]
    assert record(document).amendments == () and "geamendeerd" not in document.keywords


def test_the_offered_ontwerpbesluit_never_mentions_amendments(dossier: Path) -> None:
    assert "amendement" not in _txt(dossier, "amerveld").lower()


def test_the_diwoo_record_carries_the_amendments(dossier: Path, schema: etree.XMLSchema, cli: Invoke) -> None:
    document = api.documents(dossier, ["eemdal"], kind="raadsbesluit")["eemdal"]
    found = record(document)
    assert found.amendments == tuple(EXPECTED)
    assert found.title.startswith("Raadsbesluit (geamendeerd) Gemeente Eemdal")
    assert "geamendeerd" in found.keywords and "raadsbesluit" in found.keywords
    root = etree.fromstring(to_xml(found))
    assert schema.validate(root), schema.error_log
    field = next(
        f
        for f in root.iterfind(".//diwoo:extraMetadataveld", NS)
        if f.findtext("diwoo:key", namespaces=NS) == "amendementen"
    )
    assert [v.text for v in field.iterfind(".//diwoo:value", NS)] == EXPECTED
    assert "Aangenomen amendementen: " + "; ".join(EXPECTED) in (
        root.findtext(".//diwoo:omschrijving", namespaces=NS) or ""
    )
    as_json = json.loads(
        cli("metadata", dossier, "-g", "eemdal", "--document", "raadsbesluit", "--format", "json").output
    )
    assert as_json["amendementen"] == EXPECTED
    voorstel = record(api.documents(dossier, ["eemdal"])["eemdal"])
    assert voorstel.amendments == ()  # the voorstel stays as it was offered


def test_the_pdf_xmp_and_the_docx_carry_the_amendments(dossier: Path, tmp_path: Path) -> None:
    document = api.documents(dossier, ["eemdal"], kind="raadsbesluit")["eemdal"]
    pdf = get_writer("pdf")(document, WriterOptions(api.templates_for(dossier)))
    assert isinstance(pdf, bytes)
    (tmp_path / "b.pdf").write_bytes(pdf)
    with pikepdf.open(tmp_path / "b.pdf") as opened:
        xmp = bytes(opened.Root.Metadata.read_bytes()).decode("utf-8")
    description = re.search(r"<dc:description>.*?<rdf:li[^>]*>(.*?)</rdf:li>", xmp, re.S)
    assert description is not None and "Amendement A3: schrapt beslispunt 2" in description.group(1)
    assert re.search(r"<pdf:Keywords>[^<]*geamendeerd", xmp), xmp
    data = get_writer("docx")(document, WriterOptions(api.templates_for(dossier)))
    assert isinstance(data, bytes)
    (tmp_path / "b.docx").write_bytes(data)
    props = docx.Document(str(tmp_path / "b.docx")).core_properties
    assert props.title.startswith("Raadsbesluit (geamendeerd)") and "geamendeerd" in props.keywords


def test_amendments_that_leave_no_beslispunt_are_refused_at_the_amendment(dossier: Path) -> None:
    overlay = dossier / "gemeenten" / "eemdal.yaml"
    text = overlay.read_text(encoding="utf-8").split("amendementen:")[0]
    strikes = "".join(f"  - {{nummer: S{n}, actie: schrappen, beslispunt: {n}}}\n" for n in (1, 2, 3))
    overlay.write_text(text + "amendementen:\n" + strikes, encoding="utf-8")
    line = next(n for n, t in enumerate(overlay.read_text(encoding="utf-8").splitlines(), 1) if "S3" in t)
    errors = [str(p) for p in api.validate([dossier]).problems if p.severity is Severity.ERROR]
    assert any(f"eemdal.yaml:{line}:" in e and "geen beslispunt over" in e for e in errors), errors
    # one addition keeps a besluit: then it is valid
    overlay.write_text(
        overlay.read_text(encoding="utf-8")
        + "  - {nummer: T1, actie: toevoegen, beslispunt: 3, tekst: Iets anders.}\n",
        encoding="utf-8",
    )
    assert api.validate([dossier]).errors == ()

"""DiWoo records are valid or not written (issue 25, class 4).

Every record ``publish`` writes is validated against the XSD first (the product's copy in
``generator/data/diwoo-0.9.8/``); these tests check the written records again against the test data's copy,
so a product that skipped its own check would still be caught. A CBS code the TOOI list does not hold is a
located error at ``validate``; the fictional example region is marked ``fictief`` and publishes no records.
"""

from __future__ import annotations

import dataclasses
import json
from pathlib import Path

import pytest
from lxml import etree

from generator import api
from generator.publish import PublishError, _record_part
from generator.writers.diwoo import record
from generator.writers.diwoo_valid import municipalities
from tests.conftest import ROOT, Invoke
from tests.test_diwoo import DOSSIER, ROUND, real_round
from tests.test_diwoo import schema as schema  # the XSD of the test data, offline

DEMO_ROUND = ROUND  # the fictional region of `make demo`


def test_the_shipped_lists_are_the_official_ones() -> None:
    """The package's XSDs are the test data's (the official 0.9.8 files), and the code list is made from them."""
    from tools import tooi_gemeenten

    for name in ("diwoo-metadata.xsd", "diwoo-metadata-lijsten.xsd"):
        shipped = ROOT / "generator" / "data" / "diwoo-0.9.8" / name
        assert shipped.read_bytes() == (ROOT / "tests" / "data" / "diwoo-0.9.8" / name).read_bytes()
    assert tooi_gemeenten.TARGET.read_text(encoding="utf-8") == tooi_gemeenten.text()
    known = municipalities()
    assert known["GM0327"] == "Leusden" and "GM9991" not in known
    region = (ROOT / "proposals" / "gemeenten.yaml").read_text(encoding="utf-8")
    codes = [line.split(":")[1].strip() for line in region.splitlines() if "cbs_code:" in line]
    assert len(codes) == 7 and all(code in known for code in codes)  # the real region's codes are all there


def test_an_unknown_cbs_code_is_a_located_error_at_validate(tmp_path: Path, cli: Invoke) -> None:
    dossier = real_round(tmp_path / "proposals")
    registry = dossier.parent / "gemeenten.yaml"
    registry.write_text(registry.read_text(encoding="utf-8").replace("GM0327", "GM9999"), encoding="utf-8")
    line = registry.read_text(encoding="utf-8").split("\n").index("    cbs_code: GM9999") + 1
    result = cli("validate", dossier)
    assert result.exit_code == 1
    assert f"gemeenten.yaml:{line}:" in result.output and "gemeenten.eemdal.cbs_code" in result.output
    assert "GM9999 is geen gemeente in de TOOI-lijst die DiWoo gebruikt" in result.output
    published = cli("publish", dossier, "--gemeente", "eemdal", "--out", tmp_path / "uit")
    assert published.exit_code == 1 and not (tmp_path / "uit").exists()


def test_a_record_that_fails_the_xsd_is_refused_with_the_reason(tmp_path: Path) -> None:
    dossier = real_round(tmp_path / "proposals")
    facts = record(api.documents(dossier, ["eemdal"])["eemdal"])
    assert _record_part(facts, "goed.diwoo.xml", "goed.pdf").data.startswith(b"<?xml")
    broken = dataclasses.replace(facts, document_type=("https://example.org/soort", "verzonnen"))
    with pytest.raises(PublishError, match=r"het DiWoo-record fout\.diwoo\.xml is ongeldig volgens het XSD: regel"):
        _record_part(broken, "fout.diwoo.xml", "fout.pdf")


def test_the_metadata_command_refuses_an_invalid_record(cli: Invoke) -> None:
    result = cli("metadata", ROUND / DOSSIER, "--gemeente", "eemdal")
    assert result.exit_code == 1
    assert "het DiWoo-record van eemdal is ongeldig volgens het XSD" in result.output and "gm9991" in result.output


def test_the_fictional_region_says_so_and_publishes_no_records(tmp_path: Path, cli: Invoke) -> None:
    checked = cli("validate", ROUND / DOSSIER)
    assert checked.exit_code == 0, checked.output
    assert "let op: schuldhulp-eemland: fictieve voorbeeldregio" in checked.output
    result = cli("publish", ROUND / DOSSIER, "--gemeente", "eemdal", "--out", tmp_path)
    assert result.exit_code == 0, result.output
    folder = tmp_path / f"{DOSSIER}-eemdal"
    assert not list(folder.glob("*.diwoo.xml"))
    index = json.loads((folder / "index.json").read_text(encoding="utf-8"))
    assert index["diwoo"].startswith("geen: fictieve voorbeeldregio")
    assert {entry["soort"] for entry in index["bestanden"]} == {"raadsvoorstel", "raadsbesluit"}


def _records(out: Path) -> list[Path]:
    return sorted(out.rglob("*.diwoo.xml"))


def test_every_record_of_every_delivery_folder_validates(
    tmp_path: Path, cli: Invoke, schema: etree.XMLSchema
) -> None:
    """The demo's publishing batch (``make demo``), and the same round with real codes and an attachment:
    every delivery folder's every record validates, and each folder holds a record for each document."""
    demo = cli("batch", DEMO_ROUND, "--out", tmp_path / "demo", "-f", "txt", "--publiceer")
    assert demo.exit_code == 0, demo.output
    real = real_round(tmp_path / "echt" / "proposals")
    base = real / "voorstel.yaml"
    base.write_text(
        base.read_text(encoding="utf-8").replace(
            "bijlagen: nvt", "bijlagen:\n  - titel: Convenant\n    bestand: convenant.odt\n"
        ),
        encoding="utf-8",
    )
    (real / "bijlagen").mkdir()
    (real / "bijlagen" / "convenant.odt").write_bytes(b"PK\x03\x04 stand-in")
    done = cli("batch", real.parent, "--out", tmp_path / "echt" / "uit", "-f", "txt", "--publiceer")
    assert done.exit_code == 0, done.output
    folders = sorted(p.parent for p in tmp_path.rglob("index.json"))
    assert len(folders) == 4  # eemdal and amerveld, fictional and real
    records = _records(tmp_path)
    assert len(records) == 2 * 3  # voorstel, besluit and the attachment of both real councils
    for path in records:
        assert schema.validate(etree.parse(str(path))), (path, schema.error_log)
    odt = [p for p in records if p.name.startswith("bijlage-1")]
    assert all(b"file-type/ODT" in p.read_bytes() for p in odt) and odt

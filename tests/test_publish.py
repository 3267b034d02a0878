"""``raadsvoorstel publish``: one council's delivery folder, complete and checked, or nothing at all."""

from __future__ import annotations

import hashlib
import json
import os
import re
import shutil
from pathlib import Path

import pikepdf
import pytest
from lxml import etree

from tests.conftest import Invoke
from tests.test_diwoo import DOSSIER, NS, real_round
from tests.test_diwoo import schema as schema  # the DiWoo XSD fixture, shared

ATTACHMENT = b"%PDF-1.7\n% a stand-in for the convenant the clerk puts in bijlagen/\n"
FOLDER = f"{DOSSIER}-eemdal"


def with_attachments(dossier: Path, entries: str) -> Path:
    """Give the dossier's voorstel.yaml these ``bijlagen`` (YAML list items, indented by two)."""
    base = dossier / "voorstel.yaml"
    text = base.read_text(encoding="utf-8")
    assert "bijlagen: nvt" in text
    base.write_text(text.replace("bijlagen: nvt", "bijlagen:\n" + entries), encoding="utf-8")
    return dossier


ENTRIES = (
    "  - Verslag van de regionale werkgroep\n"  # a title only: stays a title, no file
    "  - titel: Convenant vroegsignalering\n"
    "    bestand: convenant.pdf\n"
)


@pytest.fixture(scope="module")
def delivered(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """Eemdal's delivery (adopted, one attachment with a file), written once by the CLI."""
    from click.testing import CliRunner

    from generator.cli import main

    root = tmp_path_factory.mktemp("levering")
    dossier = with_attachments(real_round(root / "proposals"), ENTRIES)
    (dossier / "bijlagen").mkdir()
    (dossier / "bijlagen" / "convenant.pdf").write_bytes(ATTACHMENT)
    result = CliRunner().invoke(main, ["publish", str(dossier), "--gemeente", "eemdal", "--out", str(root / "uit")])
    assert result.exit_code == 0, result.output
    return root / "uit" / FOLDER


def test_the_folder_holds_the_pdfs_the_attachment_the_records_and_the_index(delivered: Path) -> None:
    assert sorted(p.name for p in delivered.iterdir()) == sorted(
        [
            f"raadsvoorstel-{FOLDER}.pdf",
            f"raadsvoorstel-{FOLDER}.diwoo.xml",
            f"raadsbesluit-{FOLDER}.pdf",
            f"raadsbesluit-{FOLDER}.diwoo.xml",
            f"bijlage-2-{FOLDER}.pdf",  # numbered as in the voorstel's list: the first has no file
            f"bijlage-2-{FOLDER}.diwoo.xml",  # every delivered file has its own record
            "index.json",
        ]
    )
    assert (delivered / f"bijlage-2-{FOLDER}.pdf").read_bytes() == ATTACHMENT
    for kind in ("raadsvoorstel", "raadsbesluit"):
        with pikepdf.open(delivered / f"{kind}-{FOLDER}.pdf") as pdf:
            assert len(pdf.pages) >= 1


def test_the_index_lists_every_file_with_its_hash_and_the_meeting_facts(delivered: Path) -> None:
    index = json.loads((delivered / "index.json").read_text(encoding="utf-8"))
    assert (index["datum_raad"], index["agendapunt"], index["zaaknummer"]) == ("2026-03-05", "7", "Z-2026-0117")
    assert index["status"] == "vastgesteld"
    assert index["publisher"] == "https://identifier.overheid.nl/tooi/id/gemeente/gm0327"
    listed = {entry["bestand"]: entry for entry in index["bestanden"]}
    assert set(listed) == {p.name for p in delivered.iterdir()} - {"index.json"}
    for name, entry in listed.items():
        assert entry["sha256"] == hashlib.sha256((delivered / name).read_bytes()).hexdigest(), name
    assert listed[f"raadsbesluit-{FOLDER}.pdf"]["documentsoort"] == "besluit"
    assert listed[f"raadsvoorstel-{FOLDER}.pdf"]["titel"].startswith("Raadsvoorstel Gemeente Eemdal: ")
    attachment = listed[f"bijlage-2-{FOLDER}.pdf"]
    assert (attachment["titel"], attachment["kenmerk"]) == ("Convenant vroegsignalering", f"gm0327/{DOSSIER}/bijlage-2")


def test_the_records_validate_and_name_the_attachment(delivered: Path, schema: etree.XMLSchema) -> None:
    for kind in ("raadsvoorstel", "raadsbesluit", "bijlage-2"):
        root = etree.parse(str(delivered / f"{kind}-{FOLDER}.diwoo.xml"))
        assert schema.validate(root), schema.error_log
    voorstel = (delivered / f"raadsvoorstel-{FOLDER}.diwoo.xml").read_text(encoding="utf-8")
    assert f'resource="gm0327/{DOSSIER}/bijlage-2">Convenant vroegsignalering<' in voorstel
    attachment = (delivered / f"bijlage-2-{FOLDER}.diwoo.xml").read_text(encoding="utf-8")
    assert ">Convenant vroegsignalering</diwoo:officieleTitel>" in attachment
    assert f'resource="gm0327/{DOSSIER}/raadsvoorstel">Raadsvoorstel<' in attachment


def test_every_record_links_only_to_files_the_folder_holds(delivered: Path) -> None:
    """Each identifier a record points at is the kenmerk of a file in the folder (index.json says which)."""
    index = json.loads((delivered / "index.json").read_text(encoding="utf-8"))
    held = {entry["kenmerk"] for entry in index["bestanden"] if "kenmerk" in entry}
    described = {entry["beschrijft"] for entry in index["bestanden"] if entry["soort"] == "metadata"}
    assert described == {entry["bestand"] for entry in index["bestanden"] if entry["soort"] != "metadata"}
    for path in delivered.glob("*.diwoo.xml"):
        root = etree.parse(str(path))
        linked = root.xpath("//diwoo:documentrelatie/diwoo:relation/@resource", namespaces=NS)
        assert linked and set(linked) <= held, (path.name, linked, held)


def test_big_attachments_are_copied_in_blocks(tmp_path: Path, cli: Invoke) -> None:
    """A 30 MB attachment is copied whole, and its hash is the file's, while the publishing process's peak
    memory grows by far less than the file (it is read in 1 MB blocks)."""
    import subprocess
    import sys

    dossier = with_attachments(real_round(tmp_path / "proposals"), "  - titel: Groot\n    bestand: groot.pdf\n")
    (dossier / "bijlagen").mkdir()
    big = dossier / "bijlagen" / "groot.pdf"
    with big.open("wb") as handle:
        for i in range(30):
            handle.write(bytes([i]) * (1024 * 1024))
    out = tmp_path / "uit"
    code = (
        "import resource, sys\n"
        "from pathlib import Path\n"
        "from generator import api\n"
        "api.publish(Path(sys.argv[1]), 'eemdal', Path(sys.argv[2]))\n"
        "print(resource.getrusage(resource.RUSAGE_SELF).ru_maxrss)\n"
    )
    empty = dossier.parent / "leeg"
    shutil.copytree(dossier, empty)
    (empty / "bijlagen" / "groot.pdf").write_bytes(b"%PDF-1.7\n")
    peaks = []
    for source, target in ((empty, tmp_path / "klein"), (dossier, out)):
        done = subprocess.run([sys.executable, "-c", code, str(source), str(target)], capture_output=True, text=True)
        assert done.returncode == 0, done.stderr
        peaks.append(int(done.stdout.split()[-1]))  # kB
    copied = out / f"{DOSSIER}-eemdal" / f"bijlage-1-{DOSSIER}-eemdal.pdf"
    assert copied.read_bytes() == big.read_bytes()
    assert peaks[1] - peaks[0] < 15 * 1024, peaks  # a 30 MB file read whole would add at least 30 MB


def _publish(cli: Invoke, dossier: Path, out: Path, gemeente: str = "eemdal") -> tuple[int, str]:
    result = cli("publish", dossier, "--gemeente", gemeente, "--out", out)
    return result.exit_code, result.output


def test_a_concept_is_refused_and_nothing_is_written(tmp_path: Path, cli: Invoke) -> None:
    dossier = real_round(tmp_path / "proposals")
    code, output = _publish(cli, dossier, tmp_path / "uit", "zandhoven")
    assert code == 1
    assert "Zandhoven heeft status 'concept': een concept wordt niet gepubliceerd" in output
    assert not (tmp_path / "uit").exists()


def test_a_missing_attachment_is_refused_and_nothing_is_written(tmp_path: Path, cli: Invoke) -> None:
    dossier = with_attachments(real_round(tmp_path / "proposals"), ENTRIES)
    code, output = _publish(cli, dossier, tmp_path / "uit")
    assert code == 1
    assert "bijlage 2 ('Convenant vroegsignalering'): het bestand" in output and "ontbreekt" in output
    assert not (tmp_path / "uit").exists()


@pytest.mark.parametrize(
    ("name", "reason"),
    [
        ("../voorstel.yaml", "'../voorstel.yaml' ligt buiten de map bijlagen/ van het dossier"),
        ("../../gemeenten.yaml", "'../../gemeenten.yaml' ligt buiten de map bijlagen/ van het dossier"),
        ("/etc/passwd", "'/etc/passwd' ligt buiten de map bijlagen/ van het dossier"),
        ("link.pdf", "bijlagen/link.pdf is een koppeling (symbolische link)"),
    ],
)
def test_an_attachment_outside_the_dossier_is_refused(tmp_path: Path, cli: Invoke, name: str, reason: str) -> None:
    """Refused as a data error at the line of its ``bestand`` (``validate`` finds it too), nothing written."""
    dossier = with_attachments(real_round(tmp_path / "proposals"), f"  - titel: Geheim\n    bestand: {name}\n")
    (dossier / "bijlagen").mkdir()
    secret = tmp_path / "geheim.pdf"
    secret.write_bytes(b"%PDF-1.7\n")
    os.symlink(secret, dossier / "bijlagen" / "link.pdf")  # a link in bijlagen/ that points outside
    code, output = _publish(cli, dossier, tmp_path / "uit")
    assert code == 1
    line = dossier.joinpath("voorstel.yaml").read_text(encoding="utf-8").split("\n").index(f"    bestand: {name}") + 1
    assert f"voorstel.yaml:{line}:" in output and "bijlagen.0.bestand" in output and reason in output, output
    assert not (tmp_path / "uit").exists()
    assert cli("validate", dossier).exit_code == 1


def test_a_linked_attachments_folder_publishes_nothing(tmp_path: Path, cli: Invoke) -> None:
    """The issue's leak: ``bijlagen`` a link to a system folder published that folder's files with exit 0."""
    dossier = with_attachments(real_round(tmp_path / "proposals"), "  - titel: Wachtwoorden\n    bestand: passwd\n")
    os.symlink("/etc", dossier / "bijlagen")
    code, output = _publish(cli, dossier, tmp_path / "uit")
    assert code == 1
    assert "bijlagen is een koppeling (symbolische link)" in output
    assert not (tmp_path / "uit").exists()


def test_a_changed_date_reaches_the_index_the_record_and_the_xmp(tmp_path: Path, cli: Invoke) -> None:
    """Move Eemdal's meeting, publish again over the old delivery: every place carries the new date."""
    dossier = real_round(tmp_path / "proposals")
    out = tmp_path / "uit"
    assert _publish(cli, dossier, out)[0] == 0
    (out / FOLDER / "oud.txt").write_text("van een vorige levering", encoding="utf-8")
    overlay = dossier / "gemeenten" / "eemdal.yaml"
    overlay.write_text(
        overlay.read_text(encoding="utf-8").replace("datum_raad: 2026-03-05", "datum_raad: 2026-04-16"),
        encoding="utf-8",
    )
    code, output = _publish(cli, dossier, out)
    assert code == 0, output
    folder = out / FOLDER
    assert not (folder / "oud.txt").exists()  # the delivery is replaced whole
    assert [p.name for p in out.iterdir()] == [FOLDER]  # no staging folders left behind
    assert json.loads((folder / "index.json").read_text(encoding="utf-8"))["datum_raad"] == "2026-04-16"
    record = (folder / f"raadsbesluit-{FOLDER}.diwoo.xml").read_text(encoding="utf-8")
    assert "<diwoo:atTime>2026-04-16T00:00:00</diwoo:atTime>" in record and "2026-03-05" not in record
    with pikepdf.open(folder / f"raadsbesluit-{FOLDER}.pdf") as pdf:
        xmp = bytes(pdf.Root.Metadata.read_bytes()).decode("utf-8")
    assert re.search(r"<dc:date><rdf:Seq>.*<rdf:li>2026-04-16</rdf:li>", xmp) and "2026-03-05" not in xmp


def test_the_same_data_gives_the_same_delivery(delivered: Path, tmp_path: Path, cli: Invoke) -> None:
    """Byte for byte: an information system that imports a delivery twice sees no change."""
    dossier = with_attachments(real_round(tmp_path / "proposals"), ENTRIES)
    (dossier / "bijlagen").mkdir()
    (dossier / "bijlagen" / "convenant.pdf").write_bytes(ATTACHMENT)
    assert _publish(cli, dossier, tmp_path / "uit")[0] == 0
    again = tmp_path / "uit" / FOLDER
    assert {p.name: p.read_bytes() for p in again.iterdir()} == {p.name: p.read_bytes() for p in delivered.iterdir()}


def test_batch_publishes_every_council_that_may_and_reports_the_rest(tmp_path: Path, cli: Invoke) -> None:
    """Eemdal (adopted) is published; Amerveld's attachment is missing: refused, exit 1; Zandhoven (concept) skipped."""
    dossier = real_round(tmp_path / "proposals")
    overlay = dossier / "gemeenten" / "amerveld.yaml"
    overlay.write_text(
        overlay.read_text(encoding="utf-8") + "bijlagen:\n  - titel: Begroting\n    bestand: begroting.pdf\n",
        encoding="utf-8",
    )
    out = tmp_path / "uit"
    result = cli("batch", dossier.parent, "--out", out, "-f", "txt", "--publiceer")
    assert result.exit_code == 1, result.output
    assert f"gepubliceerd: {out / 'publicatie' / FOLDER}" in result.output
    assert f"niet gepubliceerd: {DOSSIER}/zandhoven (status concept)" in result.output
    assert f"publicatie geweigerd: {DOSSIER}/amerveld: bijlage 1 ('Begroting'): het bestand" in result.output
    assert sorted(p.name for p in (out / "publicatie").iterdir()) == [FOLDER]  # nothing of Amerveld, no leftovers
    assert (out / DOSSIER / "amerveld" / f"raadsvoorstel-{DOSSIER}-amerveld.txt").is_file()  # the batch itself ran

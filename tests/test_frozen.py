"""Adopted means frozen: offered and adopted documents are archived in the dossier, reproduced byte for byte,
every edit that would change them is reported at its line, and a deliberate change goes through ``herzie``."""

from __future__ import annotations

import hashlib
import json
import re
import shutil
from pathlib import Path

import pytest

from generator import api
from generator.core.archive import archive_dir
from generator.writers.diwoo import record
from tests.conftest import DOSSIER, PROPOSALS, Invoke

KEEP = ("leusden", "soest", "baarn")
OLD = "  - De uitgangspunten voor het sociaal ontwikkelbedrijf in de arbeidsmarktregio Amersfoort vaststellen."
NEW = "  - De uitgangspunten voor het sociaal ontwikkelbedrijf in de regio Amersfoort vaststellen."
FORMATS = ("-f", "pdf", "-f", "docx", "-f", "txt")

LEUSDEN = """\
status: vastgesteld
historie:
  - {status: concept, datum: 2025-01-10}
  - {status: aangeboden, datum: 2025-02-11}
  - {status: vastgesteld, datum: 2025-03-20}
datum_college: 2025-02-11
datum_raad: 2025-03-20
zaaknummer: Z-2025-001
agendapunt: "7"
portefeuillehouder: wethouder A. Jansen
amendementen:
  - nummer: A1
    titel: Jaarlijkse terugkoppeling
    actie: toevoegen
    beslispunt: 2
    tekst: Het college vragen de raad jaarlijks te informeren over de besteding.
"""
SOEST = """\
waarden:
  overheveling_via: najaarsnota 2024
  bedrag_overgeheveld: 61200
status: aangeboden
historie:
  - {status: concept, datum: 2025-01-10}
  - {status: aangeboden, datum: 2025-02-18}
datum_college: 2025-02-18
datum_raad: 2025-03-27
zaaknummer: S-2025-77
agendapunt: "9"
portefeuillehouder: wethouder B. de Boer
"""


@pytest.fixture
def proposals(tmp_path: Path) -> Path:
    """The example dossier for Leusden (adopted, with an amendment), Soest (offered) and Baarn (concept)."""
    root = tmp_path / "proposals"
    shutil.copytree(PROPOSALS, root)
    dossier = root / DOSSIER
    voorstel = dossier / "voorstel.yaml"
    text = voorstel.read_text(encoding="utf-8")
    text = re.sub(r"^gemeenten: \[.*\]$", f"gemeenten: [{', '.join(KEEP)}]", text, count=1, flags=re.M)
    voorstel.write_text(text, encoding="utf-8")
    for overlay in (dossier / "gemeenten").glob("*.yaml"):
        if overlay.stem not in KEEP:
            overlay.unlink()
    leusden = dossier / "gemeenten" / "leusden.yaml"
    leusden.write_text(leusden.read_text(encoding="utf-8") + LEUSDEN, encoding="utf-8")
    (dossier / "gemeenten" / "soest.yaml").write_text(SOEST, encoding="utf-8")
    registry = root / "gemeenten.yaml"
    names = {"griffier": "C. Griffioen", "burgemeester": "D. Burger", "gemeentesecretaris": "E. Secretaris"}
    text = registry.read_text(encoding="utf-8")
    for role, name in names.items():
        text = text.replace(f'"INVULLEN: naam {role}"', f'"{name}"')
    registry.write_text(text, encoding="utf-8")
    assert api.validate([dossier]).errors == ()
    return root


def _files(out: Path, slug: str) -> dict[str, bytes]:
    return {p.name: p.read_bytes() for p in sorted((out / DOSSIER / slug).iterdir())}


def _change_beslispunt_1(proposals: Path) -> int:
    voorstel = proposals / DOSSIER / "voorstel.yaml"
    text = voorstel.read_text(encoding="utf-8")
    assert OLD in text
    voorstel.write_text(text.replace(OLD, NEW), encoding="utf-8")
    return next(n for n, t in enumerate(text.splitlines(), 1) if t == OLD)


def test_adopted_and_offered_documents_stay_frozen_and_herzie_records_a_change(
    proposals: Path, tmp_path: Path, cli: Invoke
) -> None:
    out = tmp_path / "out"
    dossier = proposals / DOSSIER
    first = cli("batch", proposals, "--out", out, "--jobs", "1", *FORMATS)
    assert first.exit_code == 0, first.output
    # the status froze Leusden's and Soest's documents into the dossier; Baarn (concept) has no archive
    for slug in ("leusden", "soest"):
        register = json.loads((archive_dir(dossier, slug) / "register.json").read_text(encoding="utf-8"))
        assert sorted(register["documenten"]) == ["raadsbesluit", "raadsvoorstel"]
        for kind, entry in register["documenten"].items():
            for fmt, file in entry["bestanden"].items():
                data = (archive_dir(dossier, slug) / file["naam"]).read_bytes()
                assert hashlib.sha256(data).hexdigest() == file["sha256"]
                assert data == (out / DOSSIER / slug / f"{kind}-{DOSSIER}-{slug}.{fmt}").read_bytes()
    leusden = json.loads((archive_dir(dossier, "leusden") / "register.json").read_text(encoding="utf-8"))
    assert (leusden["documenten"]["raadsbesluit"]["status"], leusden["documenten"]["raadsbesluit"]["datum"]) == (
        "vastgesteld",
        "2025-03-20",
    )
    assert (leusden["documenten"]["raadsvoorstel"]["status"], leusden["documenten"]["raadsvoorstel"]["datum"]) == (
        "aangeboden",
        "2025-02-11",
    )
    assert not archive_dir(dossier, "baarn").exists()
    frozen = {slug: _files(out, slug) for slug in ("leusden", "soest")}
    baarn_before = _files(out, "baarn")

    line = _change_beslispunt_1(proposals)

    # validate: exit 1, naming Leusden and Soest, the section and the line
    checked = cli("validate", dossier)
    assert checked.exit_code == 1, checked.output
    errors = [e for e in checked.output.splitlines() if "deze wijziging verandert" in e]
    assert len(errors) == 2, checked.output
    for name, state in (("Leusden", "vastgesteld op 20 maart 2025"), ("Soest", "aangeboden op 18 februari 2025")):
        error = next(e for e in errors if f"van {name}," in e)
        assert f"voorstel.yaml:{line}:" in error and "veld 'beslispunten.0'" in error
        assert "het raadsvoorstel (onderdeel '5. Voorstel', punt 1)" in error and state in error
        assert "het raadsbesluit (onderdeel 'besluit:', punt 1)" in error
    assert "raadsvoorstel herzie" in next(e for e in errors if "Soest" in e)
    assert not any("Baarn" in e for e in errors)

    # batch: both municipalities' documents byte for byte as they were, said once; Baarn follows the change
    second = cli("batch", proposals, "--out", out, "--jobs", "1", *FORMATS)
    assert second.exit_code == 0, second.output
    assert second.output.count("bevroren document(en)") == 1
    assert "12 bevroren document(en)" in second.output
    assert {slug: _files(out, slug) for slug in ("leusden", "soest")} == frozen
    baarn_after = _files(out, "baarn")
    assert baarn_after != baarn_before
    assert NEW.strip("- ") in baarn_after[f"raadsvoorstel-{DOSSIER}-baarn.txt"].decode("utf-8")

    # build (one dossier) reproduces them too
    built = api.build_report(dossier, ["leusden", "soest"], ["pdf", "docx", "txt"], tmp_path / "build")
    assert not built.paths and len(built.reproduced) == 12
    assert _files(tmp_path / "build", "leusden") == frozen["leusden"]

    # herzie for Soest: recorded in the overlay and the archive, the rebuilt documents say "Gewijzigd"
    revised = cli("herzie", dossier, "-g", "soest", "--reden", "Beslispunt 1 noemt de regio", "--datum", "2025-03-01")
    assert revised.exit_code == 0, revised.output
    overlay = (dossier / "gemeenten" / "soest.yaml").read_text(encoding="utf-8")
    assert overlay.startswith(SOEST)  # the clerk's lines untouched; the revision appended
    assert overlay[len(SOEST) :] == "herzieningen:\n  - datum: 2025-03-01\n    reden: Beslispunt 1 noemt de regio\n"
    soest = json.loads((archive_dir(dossier, "soest") / "register.json").read_text(encoding="utf-8"))
    revisions = soest["herzieningen"]
    assert [(r["document"], r["datum"], r["reden"]) for r in revisions] == [
        ("raadsvoorstel", "2025-03-01", "Beslispunt 1 noemt de regio"),
        ("raadsbesluit", "2025-03-01", "Beslispunt 1 noemt de regio"),
    ]
    old_text = frozen["soest"][f"raadsvoorstel-{DOSSIER}-soest.txt"]
    voorstel_revision = revisions[0]
    assert voorstel_revision["oud"] == hashlib.sha256(old_text).hexdigest() != voorstel_revision["nieuw"]

    rechecked = cli("validate", dossier)
    assert rechecked.exit_code == 1  # Leusden's adopted documents still refuse the change
    assert "van Leusden," in rechecked.output and "van Soest," not in rechecked.output

    third = cli("batch", proposals, "--out", out, "--jobs", "1", *FORMATS)
    assert third.exit_code == 0, third.output
    text = (out / DOSSIER / "soest" / f"raadsvoorstel-{DOSSIER}-soest.txt").read_text(encoding="utf-8")
    assert text.startswith("Gewijzigd raadsvoorstel\n")
    assert "Gewijzigd: 1 maart 2025: Beslispunt 1 noemt de regio" in text and NEW.strip("- ") in text
    assert hashlib.sha256(text.encode("utf-8")).hexdigest() == voorstel_revision["nieuw"]
    assert _files(out, "leusden") == frozen["leusden"]
    soest_record = record(api.documents(dossier, ["soest"])["soest"])
    assert (
        soest_record.title.startswith("Gewijzigd raadsvoorstel Gemeente Soest") and "gewijzigd" in soest_record.keywords
    )
    status = cli("status", proposals)
    assert "gewijzigd 1 maart 2025 (Beslispunt 1 noemt de regio)" in status.output

    # an adopted besluit is never revised
    refused = cli("herzie", dossier, "-g", "leusden", "--reden", "toch anders")
    assert refused.exit_code != 0 and "vastgesteld" in refused.output
    assert "herzieningen" not in (dossier / "gemeenten" / "leusden.yaml").read_text(encoding="utf-8")


def test_a_change_in_the_registry_or_the_overlay_is_reported_at_its_own_line(
    proposals: Path, tmp_path: Path, cli: Invoke
) -> None:
    dossier = proposals / DOSSIER
    assert cli("build", dossier, "-g", "leusden", "-g", "soest", "-f", "txt", "--out", tmp_path / "out").exit_code == 0
    registry = proposals / "gemeenten.yaml"
    text = registry.read_text(encoding="utf-8")
    leusden = text.index("  leusden:")
    registry.write_text(text[:leusden] + text[leusden:].replace("C. Griffioen", "C. Griffioen-Jansen", 1))
    start = next(n for n, t in enumerate(text.splitlines(), 1) if t == "  leusden:")
    griffier = next(n for n, t in enumerate(text.splitlines(), 1) if n > start and "griffier:" in t)
    overlay = dossier / "gemeenten" / "soest.yaml"
    overlay.write_text(
        overlay.read_text(encoding="utf-8").replace("bedrag_overgeheveld: 61200", "bedrag_overgeheveld: 62100")
    )
    amount = next(n for n, t in enumerate(SOEST.splitlines(), 1) if "bedrag_overgeheveld" in t)
    checked = cli("validate", dossier)
    assert checked.exit_code == 1
    assert re.search(
        rf"gemeenten\.yaml:{griffier}: veld 'gemeenten\.leusden\.griffier\.naam': "
        r".*onderdeel 'Ondertekening'.* van Leusden",
        checked.output,
    ), checked.output
    assert re.search(
        rf"soest\.yaml:{amount}: veld 'waarden\.bedrag_overgeheveld': deze wijziging verandert .* van Soest",
        checked.output,
    ), checked.output


def test_herzie_without_a_change_or_for_a_concept_is_refused(proposals: Path, tmp_path: Path, cli: Invoke) -> None:
    dossier = proposals / DOSSIER
    assert cli("build", dossier, "-f", "txt", "--out", tmp_path / "out").exit_code == 0
    same = cli("herzie", dossier, "-g", "soest", "--reden", "niets")
    assert same.exit_code != 0 and "gelijk aan de aangeboden versie" in same.output
    concept = cli("herzie", dossier, "-g", "baarn", "--reden", "iets")
    assert concept.exit_code != 0 and "status 'concept'" in concept.output
    assert "herzieningen" not in (dossier / "gemeenten" / "soest.yaml").read_text(encoding="utf-8")


def test_a_damaged_archive_file_is_a_clear_error(proposals: Path, tmp_path: Path, cli: Invoke) -> None:
    dossier = proposals / DOSSIER
    assert cli("build", dossier, "-g", "soest", "-f", "txt", "--out", tmp_path / "out").exit_code == 0
    (archive_dir(dossier, "soest") / "raadsvoorstel.txt").write_text("iets anders\n", encoding="utf-8")
    result = cli("build", dossier, "-g", "soest", "-f", "txt", "--out", tmp_path / "out")
    assert result.exit_code == 1 and "raadsvoorstel.txt" in result.output and "herstel het uit git" in result.output


def test_the_council_adopting_replaces_the_frozen_ontwerp_and_keeps_the_voorstel(
    proposals: Path, tmp_path: Path, cli: Invoke
) -> None:
    dossier = proposals / DOSSIER
    assert cli("build", dossier, "-g", "soest", "-f", "txt", "--out", tmp_path / "out").exit_code == 0
    register = archive_dir(dossier, "soest") / "register.json"
    offered = json.loads(register.read_text(encoding="utf-8"))["documenten"]
    assert offered["raadsbesluit"]["status"] == "aangeboden"
    overlay = dossier / "gemeenten" / "soest.yaml"
    text = overlay.read_text(encoding="utf-8").replace("\nstatus: aangeboden\n", "\nstatus: vastgesteld\n")
    overlay.write_text(
        text.replace("datum: 2025-02-18}\n", "datum: 2025-02-18}\n  - {status: vastgesteld, datum: 2025-03-27}\n")
    )
    assert api.validate([dossier]).errors == ()  # the step from ontwerp to besluit is the council's, not an edit
    assert cli("build", dossier, "-g", "soest", "-f", "txt", "--out", tmp_path / "out").exit_code == 0
    adopted = json.loads(register.read_text(encoding="utf-8"))["documenten"]
    assert (adopted["raadsbesluit"]["status"], adopted["raadsbesluit"]["datum"]) == ("vastgesteld", "2025-03-27")
    assert adopted["raadsvoorstel"] == offered["raadsvoorstel"]  # the voorstel stays as the council read it
    besluit = (archive_dir(dossier, "soest") / "raadsbesluit.txt").read_text(encoding="utf-8")
    assert besluit.startswith("Raadsbesluit\n") and "27 maart 2025" in besluit


def test_a_format_never_archived_is_not_made_from_changed_text(proposals: Path, tmp_path: Path, cli: Invoke) -> None:
    dossier = proposals / DOSSIER
    out = tmp_path / "out"
    assert cli("build", dossier, "-g", "soest", "-f", "txt", "--out", out).exit_code == 0
    unchanged = cli("build", dossier, "-g", "soest", "-f", "html", "--out", out)  # same words: added to the archive
    assert unchanged.exit_code == 0, unchanged.output
    register = json.loads((archive_dir(dossier, "soest") / "register.json").read_text(encoding="utf-8"))
    assert "html" in register["documenten"]["raadsvoorstel"]["bestanden"]
    _change_beslispunt_1(proposals)
    result = cli("build", dossier, "-g", "soest", "-f", "html", "-f", "odt", "--out", out)
    assert result.exit_code == 1
    assert "niet geschreven" in result.output and f"raadsvoorstel-{DOSSIER}-soest.odt" in result.output
    assert not (out / DOSSIER / "soest" / f"raadsvoorstel-{DOSSIER}-soest.odt").exists()
    html = (out / DOSSIER / "soest" / f"raadsvoorstel-{DOSSIER}-soest.html").read_bytes()
    assert html == (archive_dir(dossier, "soest") / "raadsvoorstel.html").read_bytes()


def test_a_delivery_never_carries_changed_frozen_words(proposals: Path, tmp_path: Path, cli: Invoke) -> None:
    dossier = proposals / DOSSIER
    out = tmp_path / "publicatie"
    assert cli("build", dossier, "-f", "txt", "--out", tmp_path / "out").exit_code == 0
    _change_beslispunt_1(proposals)
    for slug in ("leusden", "soest"):
        refused = cli("publish", dossier, "-g", slug, "--out", out)
        assert refused.exit_code == 1 and "wijken af van wat de raad kreeg of vaststelde" in refused.output
    assert not out.exists() or list(out.iterdir()) == []
    assert cli("herzie", dossier, "-g", "soest", "--reden", "Regio bij naam", "--datum", "2025-03-01").exit_code == 0
    rows = {r.gemeente: r for r in api.publish_round(proposals, out)}
    assert rows["soest"].folder is not None and rows["leusden"].folder is None
    assert "wijken af" in (rows["leusden"].error or "")
    index = json.loads((out / f"{DOSSIER}-soest" / "index.json").read_text(encoding="utf-8"))
    assert index["status"] == "aangeboden"
    assert any(f["titel"].startswith("Gewijzigd raadsvoorstel") for f in index["bestanden"])

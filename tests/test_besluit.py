"""From proposal to decision: the raadsbesluit, the status per municipality, amendments and the round overview."""

from __future__ import annotations

import json
import re
import shutil
from pathlib import Path

import pytest

from generator import api
from generator.document.besluit import OPEN_DATE
from generator.document.nodes import Document, NumberedList, Section
from generator.errors import DataError, Severity
from generator.writers import WriterOptions, get_writer
from tests.conftest import DOSSIER, GEMEENTEN, PROPOSALS, ROOT, Invoke

ROUND = ROOT / "voorbeelden" / "raadsronde" / "proposals"
SCHULDHULP = ROUND / "schuldhulp-eemland"


@pytest.fixture
def council_round(tmp_path: Path) -> Path:
    """A writable copy of the fictional round; returns its dossier folder."""
    shutil.copytree(ROUND, tmp_path / "proposals")
    return tmp_path / "proposals" / "schuldhulp-eemland"


def _section(doc: Document, key: str) -> Section:
    return next(s for s in doc.sections if s.key == key)


def _decisions(doc: Document, key: str) -> NumberedList:
    return next(b for b in _section(doc, key).blocks if isinstance(b, NumberedList))


def _txt(doc: Document) -> str:
    text = get_writer("txt")(doc, WriterOptions())
    assert isinstance(text, str)
    return text


def _append(path: Path, text: str) -> None:
    path.write_text(path.read_text(encoding="utf-8") + text, encoding="utf-8")


# --- the document ---------------------------------------------------------------------------------------------


@pytest.mark.parametrize("slug", GEMEENTEN)
def test_the_besluit_carries_the_beslispunten_of_the_voorstel_word_for_word(slug: str) -> None:
    voorstel = api.documents(PROPOSALS / DOSSIER, [slug])[slug]
    besluit = api.documents(PROPOSALS / DOSSIER, [slug], kind="raadsbesluit")[slug]
    assert _decisions(besluit, "besluit").items == _decisions(voorstel, "beslispunten").items
    numbered = re.findall(r"^\d+\. .*$", _txt(besluit), flags=re.M)
    in_voorstel = _txt(voorstel).split("5. Voorstel\n\n", 1)[1].split("\n\n6. ", 1)[0].splitlines()
    assert numbered == in_voorstel


def test_an_ontwerpbesluit_has_the_standard_form_and_an_open_date_line() -> None:
    besluit = api.documents(PROPOSALS / DOSSIER, ["leusden"], kind="raadsbesluit")["leusden"]
    text = _txt(besluit)
    assert besluit.kind == "Ontwerpbesluit" and besluit.name == "raadsbesluit" and besluit.concept
    for line in (
        "De raad van de gemeente Leusden;",
        "gelezen het voorstel van burgemeester en wethouders van [INVULLEN: datum collegebesluit];",
        "gelet op de Wet sociale werkvoorziening en de Participatiewet;",
        "besluit:",
        f"Aldus besloten in de openbare vergadering van {OPEN_DATE}.",
        "De raad van de gemeente Leusden,",
    ):
        assert line in text.splitlines(), line
    names = [s.title for s in besluit.signature.signatories]
    assert names == ["griffier", "voorzitter"]
    chair = "".join(i.text for i in besluit.signature.signatories[1].name if hasattr(i, "text"))
    assert chair == "G.J. Bouwmeester"  # no voorzitter in the registry: the burgemeester chairs the council


def test_an_adopted_besluit_is_the_raadsbesluit_with_its_date_and_amendment() -> None:
    docs = api.loaded_dossier(SCHULDHULP).sets
    eemdal = docs["eemdal"]
    assert eemdal.besluit.kind == "Raadsbesluit (geamendeerd)" and not eemdal.besluit.concept
    assert eemdal.ontwerpbesluit.kind == "Ontwerpbesluit"
    text = _txt(eemdal.besluit)
    assert "Aldus besloten in de openbare vergadering van 5 maart 2026." in text
    assert "gelezen het voorstel van burgemeester en wethouders van 13 januari 2026, Z-2026-0117;" in text
    assert "3. Het college opdracht geven de aanpak in 2027 te evalueren, samen met ervaringsdeskundigen." in text
    assert "ervaringsdeskundigen" not in _txt(eemdal.ontwerpbesluit)
    # the amendment is Eemdal's alone: the voorstel stays as offered, Amerveld's besluit is untouched
    assert _decisions(eemdal.voorstel, "beslispunten").items == _decisions(eemdal.ontwerpbesluit, "besluit").items
    assert "ervaringsdeskundigen" not in _txt(docs["amerveld"].besluit)
    assert docs["amerveld"].besluit == docs["amerveld"].ontwerpbesluit


@pytest.mark.parametrize(
    ("amendment", "expected"),
    [
        (
            "actie: toevoegen\n    beslispunt: 0\n    tekst: Eerst dit.",
            ["Eerst dit.", "De regionale", "Voor de", "Het college"],
        ),
        (
            "actie: toevoegen\n    beslispunt: 2\n    tekst: Daarna dit.",
            ["De regionale", "Voor de", "Daarna dit.", "Het college"],
        ),
        ("actie: schrappen\n    beslispunt: 2", ["De regionale", "Het college"]),
        ("actie: wijzigen\n    beslispunt: 1\n    tekst: Anders.", ["Anders.", "Voor de", "Het college"]),
    ],
    ids=["toevoegen-vooraan", "toevoegen-na-2", "schrappen", "wijzigen"],
)
def test_amendments_add_change_or_strike_beslispunten(council_round: Path, amendment: str, expected: list[str]) -> None:
    overlay = council_round / "gemeenten" / "eemdal.yaml"
    text = overlay.read_text(encoding="utf-8").split("amendementen:")[0]
    overlay.write_text(text + f"amendementen:\n  - nummer: A9\n    {amendment}\n", encoding="utf-8")
    besluit = api.documents(council_round, ["eemdal"], kind="raadsbesluit")["eemdal"]
    lines = re.findall(r"^\d+\. (.*)$", _txt(besluit), flags=re.M)
    assert len(lines) == len(expected)
    assert all(line.startswith(start) for line, start in zip(lines, expected, strict=True)), lines


# --- what the status allows -----------------------------------------------------------------------------------


def _problems(dossier: Path) -> list[str]:
    return [str(p) for p in api.validate([dossier]).problems if p.severity is Severity.ERROR]


def test_offered_with_a_placeholder_is_refused_with_file_and_line(council_round: Path) -> None:
    overlay = council_round / "gemeenten" / "amerveld.yaml"
    overlay.write_text(
        overlay.read_text(encoding="utf-8").replace("zaaknummer: AMV/2026/0042", 'zaaknummer: "INVULLEN"'),
        encoding="utf-8",
    )
    errors = _problems(council_round)
    assert any(
        re.match(r".*gemeenten/amerveld\.yaml:\d+:\d+: veld 'zaaknummer': .*status 'aangeboden' van Amerveld", e)
        for e in errors
    ), errors
    with pytest.raises(DataError):
        api.documents(council_round, ["amerveld"])


def test_a_registry_placeholder_blocks_an_offered_besluit(council_round: Path) -> None:
    registry = council_round.parent / "gemeenten.yaml"
    registry.write_text(
        registry.read_text(encoding="utf-8").replace("K.L. Mulder", '"INVULLEN: naam griffier"'), encoding="utf-8"
    )
    errors = _problems(council_round)
    assert any("gemeenten.yaml" in e and "griffier" in e and "aangeboden" in e for e in errors), errors


def test_adopted_without_a_meeting_date_is_refused(council_round: Path) -> None:
    overlay = council_round / "gemeenten" / "eemdal.yaml"
    overlay.write_text(overlay.read_text(encoding="utf-8").replace("datum_raad: 2026-03-05\n", ""), encoding="utf-8")
    errors = _problems(council_round)
    assert any(re.match(r".*eemdal\.yaml:4:\d+: veld 'status': 'vastgesteld' vraagt .*datum_raad", e) for e in errors)


def test_an_amendment_on_a_missing_beslispunt_points_at_its_line(council_round: Path) -> None:
    overlay = council_round / "gemeenten" / "eemdal.yaml"
    overlay.write_text(overlay.read_text(encoding="utf-8").replace("beslispunt: 3", "beslispunt: 7"), encoding="utf-8")
    line = next(n for n, t in enumerate(overlay.read_text(encoding="utf-8").splitlines(), 1) if "beslispunt: 7" in t)
    errors = _problems(council_round)
    assert any(
        f"eemdal.yaml:{line}:" in e and "beslispunt 7 bestaat niet; het ontwerpbesluit heeft 3" in e for e in errors
    ), errors


def test_amendments_belong_to_an_adopted_besluit_in_an_overlay(council_round: Path) -> None:
    amendment = "amendementen:\n  - {nummer: A2, actie: schrappen, beslispunt: 1}\n"
    _append(council_round / "gemeenten" / "amerveld.yaml", amendment)
    _append(council_round / "voorstel.yaml", amendment)
    errors = _problems(council_round)
    assert any("amerveld.yaml" in e and "horen bij een vastgesteld besluit" in e for e in errors), errors
    assert any("voorstel.yaml" in e and "hoort bij de raad van één gemeente" in e for e in errors), errors


def test_the_registry_needs_a_cbs_code_of_the_right_form(council_round: Path) -> None:
    registry = council_round.parent / "gemeenten.yaml"
    registry.write_text(registry.read_text(encoding="utf-8").replace("GM9993", "9993"), encoding="utf-8")
    errors = _problems(council_round)
    assert any("gemeenten.amerveld.cbs_code" in e for e in errors), errors


def test_the_real_registry_has_the_cbs_codes_of_the_region() -> None:
    from generator.sources import load_yaml

    data, _ = load_yaml(PROPOSALS / "gemeenten.yaml")
    codes = {slug: entry["cbs_code"] for slug, entry in data["gemeenten"].items()}
    assert codes == {
        "amersfoort": "GM0307", "baarn": "GM0308", "bunschoten": "GM0313", "leusden": "GM0327",
        "nijkerk": "GM0267", "soest": "GM0342", "woudenberg": "GM0351",
    }  # fmt: skip


# --- metadata, files, overview --------------------------------------------------------------------------------


def test_the_status_is_in_every_documents_metadata() -> None:
    import io

    import docx

    sets = api.loaded_dossier(SCHULDHULP).sets
    for slug, status in (("eemdal", "vastgesteld"), ("amerveld", "aangeboden"), ("zandhoven", "concept")):
        for doc in (sets[slug].voorstel, sets[slug].besluit):
            assert f"status {status}" in doc.keywords and doc.status == status
            data = get_writer("docx")(doc, WriterOptions())
            assert isinstance(data, bytes)
            props = docx.Document(io.BytesIO(data)).core_properties
            assert props.content_status == ("Concept" if doc.concept else status.capitalize())
            assert f"status {status}" in props.keywords


def test_build_writes_voorstel_and_besluit_per_municipality(council_round: Path, tmp_path: Path, cli: Invoke) -> None:
    result = cli("build", council_round, "-f", "txt", "--out", tmp_path)  # a copy: building freezes into the dossier
    assert result.exit_code == 0, result.output
    for slug in ("eemdal", "amerveld", "zandhoven"):
        names = sorted(p.name for p in (tmp_path / "schuldhulp-eemland" / slug).iterdir())
        assert names == [f"raadsbesluit-schuldhulp-eemland-{slug}.txt", f"raadsvoorstel-schuldhulp-eemland-{slug}.txt"]
    adopted = (tmp_path / "schuldhulp-eemland" / "eemdal" / "raadsbesluit-schuldhulp-eemland-eemdal.txt").read_text()
    assert adopted.startswith("Raadsbesluit (geamendeerd)\n")


def test_status_overview_as_table_and_json(cli: Invoke) -> None:
    table = cli("status", ROUND)
    assert table.exit_code == 0, table.output
    lines = table.output.splitlines()
    assert lines[0].split() == ["dossier", "gemeente", "status", "raadsvergadering", "INVULLEN", "amendementen"]
    assert re.search(r"Eemdal\s+vastgesteld\s+5 maart 2026\s+0\s+A1 Inwoners in de evaluatie", table.output)
    assert re.search(r"Amerveld\s+aangeboden\s+12 maart 2026\s+0\s+-", table.output)
    assert re.search(r"Zandhoven\s+concept\s+-\s+[1-9]\d*\s+-", table.output)
    rows = json.loads(cli("status", ROUND, "--json").output)
    assert [(r["gemeente"], r["status"], r["amendementen"]) for r in rows] == [
        ("eemdal", "vastgesteld", ["A1 Inwoners in de evaluatie"]),
        ("amerveld", "aangeboden", []),
        ("zandhoven", "concept", []),
    ]
    assert rows[2]["invullen"] > 0 and rows[0]["invullen"] == 0


def test_validate_shows_the_status_per_municipality(cli: Invoke) -> None:
    result = cli("validate", SCHULDHULP)
    assert result.exit_code == 0
    assert "status schuldhulp-eemland: Eemdal vastgesteld · Amerveld aangeboden · Zandhoven concept" in result.output


# --- the diff shows exactly what a council changed -----------------------------------------------------------


def test_diff_of_ontwerp_and_adopted_besluit_shows_exactly_the_amendment(cli: Invoke) -> None:
    result = cli("diff", SCHULDHULP, "--ontwerp", "-g", "eemdal")
    assert result.exit_code == 1
    output = result.output.replace("\u00a0", " ")  # dates keep their non-breaking spaces in documents
    changed = [line for line in output.splitlines() if "[-" in line or "{+" in line]
    assert changed == [
        "  Soort: [-Ontwerpbesluit-]{+Raadsbesluit (geamendeerd)+}",
        "  beslispunt 3: Het college opdracht geven de aanpak in 2027 te evalueren"
        "{+, samen met ervaringsdeskundigen+}.",
        "  punt 1: {+Amendement A1 Inwoners in de evaluatie: wijzigt beslispunt 3+}",
        f"  slotformule: Aldus besloten in de openbare vergadering van [-{OPEN_DATE}-]{{+5 maart 2026+}}.",
    ]
    same = cli("diff", SCHULDHULP, "--ontwerp", "-g", "amerveld")  # offered, nothing adopted yet
    assert same.exit_code == 0


def test_the_tracked_changes_redline_resolves_to_adopted_and_ontwerp() -> None:
    from generator.diffing import docx_tracked
    from tests.test_diff_docx import assert_redline_resolves

    report = api.compare(str(SCHULDHULP), None, "eemdal", ontwerp=True)
    (diff,) = report.diffs
    assert_redline_resolves(diff, docx_tracked.render(diff))


def test_diff_across_councils_shows_who_adopted_something_else(cli: Invoke) -> None:
    result = cli("diff", SCHULDHULP, "--document", "raadsbesluit", "-g", "eemdal", "--tegen", "amerveld")
    assert result.exit_code == 1
    assert "{+, samen met ervaringsdeskundigen+}" in result.output


# --- which formats a municipality gets ----------------------------------------------------------------------------


def test_the_registry_asks_for_formats_per_municipality(council_round: Path, tmp_path: Path) -> None:
    """docx and pdf unless the registry's ``formaten`` says otherwise (e.g. ODT, the open standard); --format wins."""
    registry = council_round.parent / "gemeenten.yaml"
    registry.write_text(
        registry.read_text(encoding="utf-8").replace(
            "    cbs_code: GM9991\n", "    cbs_code: GM9991\n    formaten: [txt, odt]\n"
        ),
        encoding="utf-8",
    )

    def suffixes(out: Path, slug: str) -> set[str]:
        return {p.suffix for p in (out / "schuldhulp-eemland" / slug).iterdir()}

    built = tmp_path / "build"
    api.build(council_round, ["eemdal", "amerveld"], out=built)
    assert suffixes(built, "eemdal") == {".txt", ".odt"} and suffixes(built, "amerveld") == {".docx", ".pdf"}
    forced = tmp_path / "forced"
    api.build(council_round, ["eemdal"], ["html"], out=forced)
    assert suffixes(forced, "eemdal") == {".html"}
    batch = tmp_path / "batch"
    summary = api.run_batch(council_round.parent, batch, jobs=1)
    assert summary.ok
    assert suffixes(batch, "eemdal") == {".txt", ".odt"} and suffixes(batch, "zandhoven") == {".docx", ".pdf"}

"""Status with a history: only the allowed steps, each dated, in order; dates that are typing errors refused."""

from __future__ import annotations

import json
import re
import shutil
from pathlib import Path

import pytest

from generator import api
from generator.errors import Severity
from generator.model.proposal import NEXT_STATUS, STATUSES
from tests.conftest import ROOT, Invoke

ROUND = ROOT / "voorbeelden" / "raadsronde" / "proposals"

#: One allowed way from concept to each status (the steps after the first ``concept``).
ROUTE: dict[str, list[str]] = {
    "concept": [],
    "aangeboden": ["aangeboden"],
    "vastgesteld": ["aangeboden", "vastgesteld"],
    "verworpen": ["aangeboden", "verworpen"],
    "aangehouden": ["aangeboden", "aangehouden"],
    "ingetrokken": ["ingetrokken"],
}
FORBIDDEN = [(a, b) for a in STATUSES for b in STATUSES if b not in NEXT_STATUS[a]]


@pytest.fixture
def council_round(tmp_path: Path) -> Path:
    shutil.copytree(ROUND, tmp_path / "proposals")
    return tmp_path / "proposals" / "schuldhulp-eemland"


def _set_history(overlay: Path, status: str, steps: list[tuple[str, str]]) -> None:
    """Replace the overlay's status and historie by ``status`` and ``steps`` (status, ISO date)."""
    text = overlay.read_text(encoding="utf-8")
    text = re.sub(r"status: \w+\nhistorie:\n(  - .*\n)*", "", text)
    block = "".join(f"  - {{status: {s}, datum: {d}}}\n" for s, d in steps)
    overlay.write_text(text + f"status: {status}\nhistorie:\n{block}", encoding="utf-8")


def _errors(dossier: Path) -> list[str]:
    return [str(p) for p in api.validate([dossier]).problems if p.severity is Severity.ERROR]


def _line(path: Path, needle: str) -> int:
    return next(n for n, t in enumerate(path.read_text(encoding="utf-8").splitlines(), 1) if needle in t)


def test_the_example_round_keeps_its_history_and_validates(council_round: Path) -> None:
    assert _errors(council_round) == []


@pytest.mark.parametrize(("before", "after"), FORBIDDEN, ids=[f"{a}-{b}" for a, b in FORBIDDEN])
def test_every_forbidden_step_is_an_error_naming_the_allowed_steps(
    council_round: Path, before: str, after: str
) -> None:
    overlay = council_round / "gemeenten" / "amerveld.yaml"
    days = iter(f"2026-02-{d:02d}" for d in range(1, 28))
    steps = [("concept", next(days)), *((s, next(days)) for s in ROUTE[before]), (after, next(days))]
    _set_history(overlay, after, steps)
    line = len(overlay.read_text(encoding="utf-8").splitlines())  # the forbidden step is the last line
    allowed = NEXT_STATUS[before]
    expected = f"na '{before}' mag alleen: {', '.join(allowed)}" if allowed else f"'{before}' is een eindstatus"
    errors = _errors(council_round)
    assert any(
        f"amerveld.yaml:{line}:" in e and f"van '{before}' naar '{after}' mag niet" in e and expected in e
        for e in errors
    ), errors


@pytest.mark.parametrize("status", [s for s in STATUSES if s != "concept"])
def test_every_allowed_route_validates(council_round: Path, status: str) -> None:
    overlay = council_round / "gemeenten" / "amerveld.yaml"
    days = iter(f"2026-02-{d:02d}" for d in range(1, 28))
    _set_history(overlay, status, [("concept", next(days)), *((s, next(days)) for s in ROUTE[status])])
    assert _errors(council_round) == []


def test_a_held_over_proposal_can_be_offered_again_and_adopted(council_round: Path) -> None:
    overlay = council_round / "gemeenten" / "amerveld.yaml"
    steps = ["concept", "aangeboden", "aangehouden", "aangeboden", "vastgesteld"]
    _set_history(overlay, "vastgesteld", [(s, f"2026-02-{i + 1:02d}") for i, s in enumerate(steps)])
    assert _errors(council_round) == []


def test_a_status_beyond_concept_without_history_is_refused_at_the_status_line(council_round: Path) -> None:
    overlay = council_round / "gemeenten" / "eemdal.yaml"
    overlay.write_text(re.sub(r"historie:\n(  - .*\n)*", "", overlay.read_text(encoding="utf-8")), encoding="utf-8")
    errors = _errors(council_round)
    assert any(
        f"eemdal.yaml:{_line(overlay, 'status: vastgesteld')}:" in e and "vraagt de historie" in e for e in errors
    ), errors


def test_the_status_must_be_the_last_step(council_round: Path) -> None:
    overlay = council_round / "gemeenten" / "amerveld.yaml"
    overlay.write_text(
        overlay.read_text(encoding="utf-8").replace("status: aangeboden\n", "status: vastgesteld\n", 1),
        encoding="utf-8",
    )
    errors = _errors(council_round)
    assert any(
        "amerveld.yaml:4:" in e and "laatste stap in historie is 'aangeboden'" in e for e in errors
    ), errors


def test_steps_out_of_date_order_are_refused_at_the_later_step(council_round: Path) -> None:
    overlay = council_round / "gemeenten" / "amerveld.yaml"
    _set_history(overlay, "aangeboden", [("concept", "2026-02-10"), ("aangeboden", "2026-02-01")])
    errors = _errors(council_round)
    line = _line(overlay, "2026-02-01")
    assert any(f"amerveld.yaml:{line}:" in e and "vóór de stap ervoor" in e for e in errors), errors


def test_the_council_never_meets_before_the_college(council_round: Path) -> None:
    overlay = council_round / "gemeenten" / "amerveld.yaml"
    text = overlay.read_text(encoding="utf-8").replace("datum_raad: 2026-03-12", "datum_raad: 2026-01-02")
    overlay.write_text(text, encoding="utf-8")
    errors = _errors(council_round)
    line = _line(overlay, "datum_raad:")
    assert any(
        f"amerveld.yaml:{line}:" in e and "veld 'datum_raad'" in e and "vóór het collegebesluit" in e for e in errors
    ), errors


@pytest.mark.parametrize(("field", "value"), [("datum_raad", "2206-03-12"), ("datum_college", "1926-01-20")])
def test_a_date_outside_1990_2100_is_a_typing_error(council_round: Path, field: str, value: str) -> None:
    overlay = council_round / "gemeenten" / "amerveld.yaml"
    text = re.sub(rf"{field}: \S+", f"{field}: {value}", overlay.read_text(encoding="utf-8"))
    overlay.write_text(text, encoding="utf-8")
    errors = _errors(council_round)
    line = _line(overlay, f"{field}:")
    assert any(f"amerveld.yaml:{line}:" in e and "typefout in het jaar" in e for e in errors), errors


def test_status_shows_the_history(council_round: Path, cli: Invoke) -> None:
    result = cli("status", council_round.parent)
    assert result.exit_code == 0, result.output
    lines = result.output.splitlines()
    eemdal = next(i for i, t in enumerate(lines) if "Eemdal" in t)
    assert lines[eemdal + 1].strip() == (
        "historie: concept 6 januari 2026 → aangeboden 20 januari 2026 → vastgesteld 5 maart 2026"
    )
    rows = json.loads(cli("status", council_round.parent, "--json").output)
    amerveld = next(r for r in rows if r["gemeente"] == "amerveld")
    assert amerveld["historie"] == [
        {"status": "concept", "datum": "2026-01-06"},
        {"status": "aangeboden", "datum": "2026-01-27"},
    ]


def test_new_starts_every_history_as_a_concept(tmp_path: Path, cli: Invoke) -> None:
    shutil.copy(ROUND / "gemeenten.yaml", tmp_path / "gemeenten.yaml")
    result = cli("new", tmp_path / "nieuw-dossier", "-g", "eemdal")
    assert result.exit_code == 0, result.output
    overlay = (tmp_path / "nieuw-dossier" / "gemeenten" / "eemdal.yaml").read_text(encoding="utf-8")
    assert re.search(r"^status: concept\nhistorie:\n  - \{status: concept, datum: \d{4}-\d\d-\d\d\}$", overlay, re.M)
    report = api.validate([tmp_path / "nieuw-dossier"])
    assert report.errors == () and report.statuses[0].historie[0][0] == "concept"

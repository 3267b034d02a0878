"""Bad input through the CLI: exit code 1, ``file:line`` and the field in a Dutch message, no traceback.

Each case edits a private copy of the example dossier, the way a clerk would break it.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

import pytest

from tests.conftest import Invoke

VOORSTEL = "impuls-sociale-infrastructuur/voorstel.yaml"
SOEST = "impuls-sociale-infrastructuur/gemeenten/soest.yaml"
REGISTRY = "gemeenten.yaml"


def line_of(path: Path, needle: str) -> int:
    for number, line in enumerate(path.read_text(encoding="utf-8").splitlines(), start=1):
        if needle in line:
            return number
    raise AssertionError(f"{needle!r} not in {path}")


def replace(old: str, new: str) -> Callable[[str], str]:
    def edit(text: str) -> str:
        assert old in text, old
        return text.replace(old, new, 1)

    return edit


@dataclass(frozen=True)
class Case:
    name: str
    file: str
    edit: Callable[[str], str] | Callable[[bytes], bytes]
    needle: str  # a text on the line the message must point at (after the edit)
    expect: str  # a fragment of the Dutch message (and the field, where there is one)
    binary: bool = False


CASES = [
    Case(
        "duplicate key",
        VOORSTEL,
        replace("deadline: nvt\n", "deadline: nvt\ndeadline: morgen\n"),
        "deadline: morgen",
        "tweede keer",
    ),
    Case("anchor", VOORSTEL, replace("deadline: nvt", "deadline: &d nvt"), "deadline: &d", "ankers"),
    Case(
        "alias",
        VOORSTEL,
        replace("evaluatie: nvt", "evaluatie: &e nvt\nxevaluatie: *e"),
        "evaluatie: &e",
        "ankers",
    ),
    Case("explicit tag", VOORSTEL, replace("deadline: nvt", "deadline: !!str nvt"), "deadline: !!str", "tags"),
    Case(
        "python tag",
        VOORSTEL,
        replace("deadline: nvt", "deadline: !!python/object:os.system ls"),
        "deadline: !!python",
        "tags",
    ),
    Case("second document", SOEST, lambda t: t + "---\nwaarden: {}\n", "---", "document"),
    Case("tab", VOORSTEL, replace("deadline: nvt", "deadline:\tnvt"), "deadline:\tnvt", "tabs"),
    Case(
        "non-UTF-8",
        VOORSTEL,
        lambda b: b.replace(b"deadline: nvt", b"deadline: n\xe9vt"),
        "deadline: n",
        "UTF-8",
        binary=True,
    ),
    Case(
        "control character",
        VOORSTEL,
        replace("deadline: nvt", "deadline: n\x07vt"),
        "deadline: n",
        "teken",
    ),
    Case(
        "lone surrogate",
        VOORSTEL,
        replace("deadline: nvt", 'deadline: "n\\ud800vt"'),
        'deadline: "n',
        "teken",
    ),
    Case("U+FFFE", VOORSTEL, replace("deadline: nvt", "deadline: n\ufffevt"), "deadline: n", "teken"),
    Case("syntax error", VOORSTEL, replace("deadline: nvt", "deadline: nvt: nu"), "deadline: nvt: nu", "YAML"),
    Case(
        "unknown key with suggestion",
        VOORSTEL,
        replace("deadline: nvt", "dedline: nvt"),
        "dedline: nvt",
        "veld 'dedline': onbekend veld 'dedline'; bedoelde u 'deadline'?",
    ),
    Case(
        "unknown key in overlay",
        SOEST,
        lambda t: t + "aanleidingg: tekst\n",
        "aanleidingg",
        "bedoelde u 'aanleiding'?",
    ),
    Case(
        "wrong type",
        VOORSTEL,
        replace("global_goals: [1, 8, 16]", "global_goals: [1, acht, 16]"),
        "global_goals:",
        "veld 'global_goals[2]': verwacht een geheel getal",
    ),
    Case(
        "goal out of range",
        VOORSTEL,
        replace("global_goals: [1, 8, 16]", "global_goals: [1, 8, 18]"),
        "global_goals:",
        "veld 'global_goals[3]': mag hoogstens 17 zijn",
    ),
    Case(
        "bad date in overlay",
        SOEST,
        lambda t: t + "datum_raad: 2025-13-45\n",
        "datum_raad",
        "veld 'datum_raad': '2025-13-45' bestaat niet: maand 13 bestaat niet",
    ),
    Case(
        "bad amount in overlay",
        SOEST,
        replace(
            'bedrag_overgeheveld: "INVULLEN: bedrag van de overgehevelde Wsw-middelen"',
            "bedrag_overgeheveld: veel geld",
        ),
        "bedrag_overgeheveld",
        "veld 'waarden.bedrag_overgeheveld': 'veel geld' is geen bedrag",
    ),
    Case(
        "empty section",
        VOORSTEL,
        replace("deadline: nvt", "deadline:"),
        "deadline:",
        "veld 'deadline'",
    ),
    Case(
        "variable call",
        VOORSTEL,
        replace(
            "  dat inwoners een eerlijke kans krijgen op betaald werk.",
            "  dat {{ gemeente.naam.upper() }} werk.",
        ),
        "gemeente.naam.upper()",
        "veld 'beoogd_effect': alleen variabelen",
    ),
    Case(
        "variable loop",
        VOORSTEL,
        replace(
            "  dat inwoners een eerlijke kans krijgen op betaald werk.",
            "  {% for x in partners %}x{% endfor %}",
        ),
        "{% for",
        "veld 'beoogd_effect': alleen {{ variabele }}",
    ),
    Case(
        "variable underscore attribute",
        VOORSTEL,
        replace("  dat inwoners een eerlijke kans krijgen op betaald werk.", "  {{ gemeente.__class__ }}"),
        "__class__",
        "'_'",
    ),
    Case(
        "unknown variable with suggestion",
        VOORSTEL,
        replace("gemeenten {{ partners }}", "gemeenten {{ partner }}"),
        "{{ partner }}",
        "veld 'intergemeentelijke_samenwerking': onbekende variabele 'partner'; bedoelde u 'partners'?",
    ),
    Case(
        "link scheme",
        VOORSTEL,
        replace("  dat inwoners een eerlijke kans krijgen op betaald werk.", "  [zie](http://example.org/x)"),
        "[zie]",
        "alleen https:- en mailto:-links",
    ),
    Case(
        "image",
        VOORSTEL,
        replace(
            "  dat inwoners een eerlijke kans krijgen op betaald werk.",
            "  ![logo](https://example.org/x.png)",
        ),
        "![logo]",
        "afbeeldingen",
    ),
    Case(
        "argument for a missing beslispunt",
        VOORSTEL,
        replace("  - beslispunt: 2\n", "  - beslispunt: 3\n"),
        "beslispunt: 3",
        "veld 'argumenten[5].beslispunt': beslispunt 3 bestaat niet",
    ),
    Case(
        "no beslispunten",
        VOORSTEL,
        lambda t: re.sub(r"beslispunten:\n(  - .*\n|    .*\n)+", "beslispunten: []\n", t),
        "beslispunten: []",
        "veld 'beslispunten': te weinig",
    ),
    Case(
        "unknown municipality",
        VOORSTEL,
        replace("woudenberg, nijkerk]", "woudenburg, nijkerk]"),
        "gemeenten: [",
        "gemeente 'woudenburg' staat niet in gemeenten.yaml; bedoelde u 'woudenberg'?",
    ),
    Case(
        "bad slug in registry",
        REGISTRY,
        replace("  soest:\n", "  Soest!:\n"),
        "Soest!:",
        "geen geldige korte naam",
    ),
    Case(
        "dossier-only key in overlay",
        SOEST,
        lambda t: t + "gemeenten: [soest]\n",
        "gemeenten: [soest]",
        "geldt voor het hele dossier",
    ),
]


@pytest.mark.parametrize("case", CASES, ids=[c.name for c in CASES])
def test_bad_input_is_reported_with_file_line_and_field(case: Case, proposals: Path, cli: Invoke) -> None:
    path = proposals / case.file
    if case.binary:
        path.write_bytes(case.edit(path.read_bytes()))  # type: ignore[arg-type]
        needle_line = next(
            n for n, line in enumerate(path.read_bytes().splitlines(), 1) if case.needle.encode() in line
        )
    else:
        path.write_text(case.edit(path.read_text(encoding="utf-8")), encoding="utf-8")  # type: ignore[arg-type]
        needle_line = line_of(path, case.needle)
    result = cli("validate", proposals / "impuls-sociale-infrastructuur")
    assert result.exit_code == 1, result.output
    assert "Traceback" not in result.output
    shown = Path(case.file).name
    pattern = re.compile(rf"{re.escape(shown)}:{needle_line}\b[^\n]*{re.escape(case.expect)}")
    assert pattern.search(result.output), f"expected {shown}:{needle_line} … {case.expect!r} in:\n{result.output}"


def test_oversized_file(proposals: Path, cli: Invoke) -> None:
    path = proposals / SOEST
    path.write_text(path.read_text(encoding="utf-8") + "# " + "x" * 1_100_000 + "\n", encoding="utf-8")
    result = cli("validate", proposals / "impuls-sociale-infrastructuur")
    assert result.exit_code == 1
    assert re.search(r"soest\.yaml[^\n]*1 MB", result.output), result.output
    assert "Traceback" not in result.output


def test_overlay_for_non_participant(proposals: Path, cli: Invoke) -> None:
    folder = proposals / "impuls-sociale-infrastructuur" / "gemeenten"
    (folder / "utrecht.yaml").write_text("waarden: {}\n", encoding="utf-8")
    result = cli("validate", proposals / "impuls-sociale-infrastructuur")
    assert result.exit_code == 1
    assert "utrecht.yaml" in result.output and "geen deelnemende gemeente" in result.output


def test_bad_dossier_folder_name(proposals: Path, cli: Invoke) -> None:
    bad = proposals / "Impuls_Sociaal"
    (proposals / "impuls-sociale-infrastructuur").rename(bad)
    result = cli("validate", bad)
    assert result.exit_code == 1
    assert "Impuls_Sociaal" in result.output and "geen geldige korte naam" in result.output


def test_all_problems_of_a_run_are_reported_together(proposals: Path, cli: Invoke) -> None:
    path = proposals / VOORSTEL
    text = path.read_text(encoding="utf-8")
    text = text.replace("deadline: nvt", "dedline: nvt").replace("global_goals: [1, 8, 16]", "global_goals: [99]")
    path.write_text(text, encoding="utf-8")
    result = cli("validate", proposals / "impuls-sociale-infrastructuur")
    assert result.exit_code == 1
    assert "onbekend veld 'dedline'" in result.output
    assert "veld 'deadline': onderdeel 4. Deadline ('deadline') ontbreekt" in result.output
    assert "veld 'global_goals[1]'" in result.output


def test_placeholders_warn_and_strict_fails(cli: Invoke) -> None:
    from tests.conftest import PROPOSALS

    relaxed = cli("validate", PROPOSALS / "impuls-sociale-infrastructuur")
    assert relaxed.exit_code == 0
    assert "waarschuwing" in relaxed.output and "soest.yaml" in relaxed.output
    strict = cli("validate", PROPOSALS / "impuls-sociale-infrastructuur", "--strict")
    assert strict.exit_code == 1


def test_yaml_11_values_stay_text(proposals: Path, cli: Invoke) -> None:
    path = proposals / SOEST
    path.write_text(
        path.read_text(encoding="utf-8") + "zaaknummer: 0123\nagendapunt: 12:30\nportefeuillehouder: NO\n",
        encoding="utf-8",
    )
    result = cli("dump", proposals / "impuls-sociale-infrastructuur", "--gemeente", "soest")
    assert result.exit_code == 0, result.output
    assert "Zaaknummer: 0123" in result.output
    assert "Agendapunt: 12:30" in result.output
    assert "Portefeuillehouder: NO" in result.output


def test_unknown_gemeente_is_a_usage_error(cli: Invoke) -> None:
    from tests.conftest import PROPOSALS

    result = cli("dump", PROPOSALS / "impuls-sociale-infrastructuur", "--gemeente", "utrecht")
    assert result.exit_code == 2
    assert "utrecht" in result.output and "Traceback" not in result.output

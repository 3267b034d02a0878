"""Local text without copying (issue 10): an overlay adds, replaces or removes one labelled piece of a shared
section, and the rest of that section keeps following the shared text."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from generator import api
from generator.document.local import Change, apply
from generator.errors import DataError
from generator.writers.txt import write as txt
from tests.conftest import DOSSIER, PROPOSALS, ROOT

# Labels the shared text carries: a list item, a paragraph, a table row.
SHARED_EDITS = [
    ("  2. De hervorming van de arbeidsmarktinfrastructuur;\n",
     "  2. De hervorming van de arbeidsmarktinfrastructuur; [#hervorming]\n"),
    ("  met de daarvoor bestemde impulsgelden van de Rijksoverheid.\n",
     "  met de daarvoor bestemde impulsgelden van de Rijksoverheid. [#dekking]\n"
     "\n"
     "  | Fase | Bedrag |\n"
     "  |------|-------:|\n"
     "  | 1 | € 10.000 | [#fase1]\n"
     "  | 2 | € 20.000 | [#fase2]\n"),
]  # fmt: skip
LOCAL = """
lokaal:
  aanleiding:
    - na: dekking
      tekst: |
        In {{ gemeente.naam }} betaalt de gemeente de eerste fase zelf.
    - in_plaats_van: hervorming
      tekst: De hervorming van de arbeidsmarktinfrastructuur, met het Werkgeversservicepunt;
    - verwijder: fase1
    - voor: fase2
      tekst: "| 1b | € 5.000 |"
"""
LOCAL_PARAGRAPH = "In Amersfoort betaalt de gemeente de eerste fase zelf."
LOCAL_ITEM = "2. De hervorming van de arbeidsmarktinfrastructuur, met het Werkgeversservicepunt;"


def make(root: Path, overlay: str = LOCAL) -> Path:
    shutil.copytree(PROPOSALS, root / "proposals")
    shutil.copytree(ROOT / "templates", root / "templates")
    dossier = root / "proposals" / DOSSIER
    voorstel = dossier / "voorstel.yaml"
    text = voorstel.read_text(encoding="utf-8")
    for old, new in SHARED_EDITS:
        assert old in text
        text = text.replace(old, new, 1)
    voorstel.write_text(text, encoding="utf-8")
    with (dossier / "gemeenten" / "amersfoort.yaml").open("a", encoding="utf-8") as f:
        f.write(overlay)
    return dossier


def aanleiding(dossier: Path, slug: str) -> str:
    text = txt(api.documents(dossier, [slug])[slug])
    return text[text.index("1. Aanleiding") : text.index("2. Wettelijke grondslag")]


@pytest.fixture
def dossier(tmp_path: Path) -> Path:
    return make(tmp_path)


def test_overlay_changes_exactly_the_labelled_pieces(dossier: Path) -> None:
    amersfoort = aanleiding(dossier, "amersfoort")
    leusden = aanleiding(dossier, "leusden")
    assert "[#" not in amersfoort + leusden  # labels never reach a document
    # a paragraph after the labelled one, with variables filled in
    assert "impulsgelden van de Rijksoverheid.\n\n" + LOCAL_PARAGRAPH + "\n\n" in amersfoort
    # a list item replaced, the numbering around it intact
    assert "1. De impuls sociale" in amersfoort and LOCAL_ITEM in amersfoort
    assert "3. De wet van school naar duurzaam werk voor jongeren." in amersfoort
    # a table row removed and one inserted before another
    rows = [line.split() for line in amersfoort.splitlines() if line.strip().startswith(("1 ", "1b", "2 "))]
    assert [r[0] for r in rows] == ["1b", "2"]
    # the other municipality keeps the shared text
    assert LOCAL_PARAGRAPH not in leusden and "2. De hervorming van de arbeidsmarktinfrastructuur;" in leusden
    shared = amersfoort.replace(LOCAL_PARAGRAPH + "\n\n", "")
    assert shared.count("\n") == leusden.count("\n")  # nothing else moved


def test_a_change_to_the_shared_text_reaches_the_municipality_with_local_text(dossier: Path) -> None:
    voorstel = dossier / "voorstel.yaml"
    text = voorstel.read_text(encoding="utf-8")
    edited = text.replace("bestemde impulsgelden van de Rijksoverheid", "bestemde impulsgelden van het Rijk", 1)
    edited = edited.replace("3. De wet van school naar duurzaam werk", "3. De wet van school naar goed werk", 1)
    voorstel.write_text(edited, encoding="utf-8")
    amersfoort = aanleiding(dossier, "amersfoort")
    assert "bestemde impulsgelden van het Rijk." in amersfoort
    assert "3. De wet van school naar goed werk voor jongeren." in amersfoort
    assert LOCAL_PARAGRAPH in amersfoort and LOCAL_ITEM in amersfoort  # the local parts stay


def test_unknown_label_is_an_error_at_the_overlay_line(tmp_path: Path) -> None:
    dossier = make(tmp_path, "\nlokaal:\n  aanleiding:\n    - na: dekkingg\n      tekst: Lokaal.\n")
    with pytest.raises(DataError) as info:
        api.documents(dossier, ["amersfoort"])
    overlay = (dossier / "gemeenten" / "amersfoort.yaml").read_text(encoding="utf-8").splitlines()
    line = next(n for n, text in enumerate(overlay, start=1) if "na: dekkingg" in text)
    (problem,) = [p for p in info.value.problems if "dekkingg" in p.message]
    assert problem.location.file.endswith("gemeenten/amersfoort.yaml") and problem.location.line == line
    assert problem.field == "lokaal.aanleiding[1].na"
    assert "dekking" in problem.message  # the labels that do exist are named


@pytest.mark.parametrize(
    ("overlay", "words"),
    [
        ("\nlokaal:\n  aanleidingg:\n    - na: dekking\n      tekst: x\n", "bedoelde u 'aanleiding'"),
        ("\nlokaal:\n  aanleiding:\n    - na: dekking\n", "hoort een tekst"),
        ("\nlokaal:\n  aanleiding:\n    - na: dekking\n      voor: hervorming\n      tekst: x\n", "precies één"),
        ("\nlokaal:\n  deadline:\n    - na: dekking\n      tekst: x\n", "is nvt"),
    ],
)
def test_wrong_local_changes_are_errors_in_the_overlay(tmp_path: Path, overlay: str, words: str) -> None:
    dossier = make(tmp_path, overlay)
    with pytest.raises(DataError) as info:
        api.documents(dossier, ["amersfoort"])
    assert any(words in p.message and "amersfoort.yaml" in str(p.location) for p in info.value.problems), [
        str(p) for p in info.value.problems
    ]


def test_a_problem_in_local_text_points_at_the_overlay(tmp_path: Path) -> None:
    overlay = "\nlokaal:\n  aanleiding:\n    - na: dekking\n      tekst: |\n        Eerste regel.\n        Zie[^x].\n"
    dossier = make(tmp_path, overlay)
    with pytest.raises(DataError) as info:
        api.documents(dossier, ["amersfoort"])
    lines = (dossier / "gemeenten" / "amersfoort.yaml").read_text(encoding="utf-8").splitlines()
    line = next(n for n, text in enumerate(lines, start=1) if "Zie[^x]" in text)
    (problem,) = [p for p in info.value.problems if "[^x]" in p.message]
    assert problem.location.file.endswith("amersfoort.yaml") and problem.location.line == line
    assert problem.field == "lokaal.aanleiding[1].tekst"


def test_diff_tegen_shows_exactly_the_local_parts(dossier: Path) -> None:
    report = api.compare(str(dossier), None, "amersfoort", "leusden")
    (diff,) = report.diffs
    (part,) = [p for p in diff.changed_parts if p.anchor == "s-aanleiding"]
    # the local list item, the local paragraph, and the local table row (row 1 removed, 1b put in its place)
    assert part.summary() == (
        "§ 1 Aanleiding: punt 2 gewijzigd, alinea 8 toegevoegd, tabel 1 rij 1 (kolom 'Fase', kolom 'Bedrag') gewijzigd"
    )


def test_duplicate_label_in_shared_text_is_an_error() -> None:
    result = apply("Een. [#a]\n\nTwee. [#a]\n", [])
    assert result.problems and "twee keer" in result.problems[0][1]


def test_list_item_insert_keeps_marker_and_order() -> None:
    source = "1. een [#een]\n2. twee [#twee]\n"
    result = apply(source, [Change(0, "na", "een", "anderhalf"), Change(1, "voor", "een", "half")])
    assert result.text.splitlines() == ["1. half", "1. een", "1. anderhalf", "2. twee"]
    assert [o.change for o in result.origins[:3]] == [1, None, 0]

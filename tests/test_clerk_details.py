"""The smaller points of issue 10: typography, links, amounts and dates as clerks type them, messages that point
at the cause, Dutch all the way, and ``new`` that starts a real dossier."""

from __future__ import annotations

import shutil
from decimal import Decimal
from pathlib import Path

import docx
import pytest

from generator import api
from generator.document.markdown import parse_blocks
from generator.document.nodes import Link, Paragraph, Text
from generator.errors import DataError
from generator.model import amounts, dates
from tests.conftest import DOSSIER, PROPOSALS, ROOT, Invoke

NBSP = "\u00a0"
ANCHOR = "  name tijdens de implementatiefase inzet.\n"


def make(root: Path, extra: str = "", overlay: str = "", slug: str = "leusden") -> Path:
    shutil.copytree(PROPOSALS, root / "proposals")
    shutil.copytree(ROOT / "templates", root / "templates")
    dossier = root / "proposals" / DOSSIER
    voorstel = dossier / "voorstel.yaml"
    voorstel.write_text(voorstel.read_text(encoding="utf-8").replace(ANCHOR, ANCHOR + extra, 1), encoding="utf-8")
    if overlay:
        with (dossier / "gemeenten" / f"{slug}.yaml").open("a", encoding="utf-8") as f:
            f.write(overlay)
    return dossier


# --- non-breaking spaces ------------------------------------------------------------------------------------


def test_amounts_and_dates_never_split_over_two_lines(tmp_path: Path) -> None:
    dossier = make(tmp_path, "\n  Op 3 juni 2025 volgt nog € 12.500 extra.\n")
    paths = api.build(dossier, ["leusden"], ["docx", "html", "txt"], out=tmp_path / "out")
    by = {p.suffix: p for p in paths if p.name.startswith("raadsvoorstel-")}
    document = docx.Document(str(by[".docx"]))
    body = "\n".join(p.text for p in document.paragraphs)
    assert f"Op 3{NBSP}juni{NBSP}2025 volgt nog €{NBSP}12.500 extra." in body  # typed by the clerk
    assert f"€{NBSP}54.400" in body  # an amount from a variable
    html = by[".html"].read_text(encoding="utf-8")
    assert f"3{NBSP}juni{NBSP}2025" in html or "3&nbsp;juni&nbsp;2025" in html
    # the txt is unwrapped: plain spaces, so reviewers diff it with ordinary tools
    assert "Op 3 juni 2025 volgt nog € 12.500 extra." in by[".txt"].read_text(encoding="utf-8")


# --- bare URLs ------------------------------------------------------------------------------------------------


def test_bare_https_url_and_email_become_links_other_addresses_stay_text() -> None:
    blocks, problems = parse_blocks("Zie https://www.leusden.nl/raad, www.baarn.nl, http://x.nl of info@soest.nl.")
    assert problems == []
    (paragraph,) = blocks
    assert isinstance(paragraph, Paragraph)
    links = [(i.text, i.href) for i in paragraph.inlines if isinstance(i, Link)]
    assert links == [
        ("https://www.leusden.nl/raad", "https://www.leusden.nl/raad"),
        ("info@soest.nl", "mailto:info@soest.nl"),
    ]
    text = "".join(i.text for i in paragraph.inlines if isinstance(i, Text))
    assert "www.baarn.nl" in text and "http://x.nl" in text


# --- amounts and dates as clerks type them ------------------------------------------------------------------


@pytest.mark.parametrize(
    ("typed", "value"),
    [
        ("54400", "54400"),
        ("54400.50", "54400.50"),
        ("212.750,50", "212750.50"),
        ("€ 1.250.000", "1250000"),
        ("€ 54.400", "54400"),
        ("1.250,-", "1250"),
        ("€\u00a01.250,50", "1250.50"),
    ],
)
def test_amounts_as_clerks_type_them(typed: str, value: str) -> None:
    assert amounts.parse(typed) == Decimal(value)


def test_ambiguous_amount_is_refused_with_both_readings() -> None:
    with pytest.raises(ValueError, match=r"dubbelzinnig: bedoelt u 1250 of 1,250\?"):
        amounts.parse("1.250")


def test_amount_in_an_overlay_in_dutch_notation_reaches_the_document(tmp_path: Path) -> None:
    dossier = make(tmp_path, overlay="")
    overlay = dossier / "gemeenten" / "leusden.yaml"
    text = overlay.read_text(encoding="utf-8").replace(
        "bedrag_overgeheveld: 54400", 'bedrag_overgeheveld: "€ 212.750,50"'
    )
    overlay.write_text(text, encoding="utf-8")
    assert api.dump(dossier, "leusden").count("€ 212.750,50") == 1


def test_impossible_date_says_it_does_not_exist() -> None:
    assert dates.why_not("2025-02-30") == "'2025-02-30' bestaat niet: februari 2025 heeft 28 dagen"
    assert "maand 13 bestaat niet" in dates.why_not("2025-13-01")
    assert dates.why_not("30-02-2025").startswith("verwacht een datum als JJJJ-MM-DD")


def test_impossible_date_in_the_data_is_reported_as_such(tmp_path: Path) -> None:
    dossier = make(tmp_path, overlay="datum_raad: 2025-02-30\n")
    with pytest.raises(DataError) as info:
        api.documents(dossier, ["leusden"])
    messages = [p.message for p in info.value.problems]
    assert "'2025-02-30' bestaat niet: februari 2025 heeft 28 dagen" in messages, messages


# --- Dutch all the way ----------------------------------------------------------------------------------------


def test_click_usage_error_and_help_texts_are_dutch(cli: Invoke) -> None:
    missing = cli("build")
    assert missing.exit_code == 2
    assert "Gebruik: " in missing.output and " build [OPTIES] DOSSIER" in missing.output
    assert "Fout: Argument ontbreekt 'DOSSIER'." in missing.output
    assert " build --help' voor hulp." in missing.output
    typo = cli("buil")
    assert "Fout: Onbekende opdracht 'buil'. Bedoelde u 'build'?" in typo.output
    helptext = cli("--help").output
    assert "Toon deze hulp en stop." in helptext and "Opdrachten:" in helptext and "Opties:" in helptext
    for english in ("Usage:", "Error:", "Show this message and exit.", "Options:", "Commands:", "[OPTIONS]"):
        assert english not in missing.output + typo.output + helptext


# --- new starts a real dossier ------------------------------------------------------------------------------------


def test_new_writes_overlays_for_the_chosen_municipalities_with_every_title_block_field(
    proposals: Path, cli: Invoke, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.chdir(proposals.parent)
    result = cli("new", "proposals/jeugdhulp-2026", "-g", "leusden", "-g", "soest")
    assert result.exit_code == 0, result.output
    folder = proposals / "jeugdhulp-2026"
    assert sorted(p.name for p in (folder / "gemeenten").iterdir()) == ["leusden.yaml", "soest.yaml"]
    assert "gemeenten: [leusden, soest]" in (folder / "voorstel.yaml").read_text(encoding="utf-8")
    overlay = (folder / "gemeenten" / "leusden.yaml").read_text(encoding="utf-8")
    for key in ("datum_college", "datum_raad", "agendapunt", "zaaknummer", "portefeuillehouder"):
        assert f'\n{key}: "INVULLEN: ' in overlay
    # the hint printed (and written in the files) works as printed: only placeholders, no errors
    hint = result.output.strip().splitlines()[-1]
    command = hint.split("controleer met: ")[1].split()
    assert command[:2] == ["raadsvoorstel", "validate"]
    assert f"raadsvoorstel validate {command[2]}" in overlay
    check = cli(*command[1:])
    assert "0 fout(en)" in check.output, check.output
    report = api.validate([folder])
    assert report.errors == () and any(p.field == "datum_raad" for p in report.warnings)


def test_new_refuses_a_municipality_that_is_not_in_the_registry(proposals: Path, cli: Invoke) -> None:
    result = cli("new", proposals / "jeugdhulp-2026", "-g", "leusdne")
    assert result.exit_code == 2
    assert "gemeente 'leusdne' staat niet in gemeenten.yaml; bedoelde u 'leusden'?" in result.output
    assert not (proposals / "jeugdhulp-2026").exists()


# --- messages that point at the cause ------------------------------------------------------------------------


def problems_of(dossier: Path) -> list[str]:
    return [str(p) for p in api.validate([dossier]).problems]


def edit(path: Path, old: str, new: str) -> None:
    text = path.read_text(encoding="utf-8")
    assert old in text
    path.write_text(text.replace(old, new, 1), encoding="utf-8")


def test_unclosed_quote_is_reported_where_the_quote_opens(tmp_path: Path) -> None:
    dossier = make(tmp_path)
    voorstel = dossier / "voorstel.yaml"
    edit(voorstel, "onderwerp: Uitgangspunten", 'onderwerp: "Uitgangspunten')
    edit(voorstel, "  Onze gemeente staat", '  Onze "gemeente" staat')  # the next quote, 14 lines further
    with pytest.raises(DataError) as info:
        api.documents(dossier)
    (problem,) = info.value.problems
    assert problem.location.line == line_of(voorstel, 'onderwerp: "Uitgangspunten')
    assert "aanhalingsteken wordt niet afgesloten" in problem.message
    closing = line_of(voorstel, 'Onze "gemeente"')
    assert f"loopt nu door tot regel {closing}" in problem.message


def line_of(path: Path, needle: str) -> int:
    return next(n for n, line in enumerate(path.read_text(encoding="utf-8").splitlines(), start=1) if needle in line)


def test_missing_section_points_at_the_file_and_the_section_before_it(tmp_path: Path) -> None:
    dossier = make(tmp_path)
    voorstel = dossier / "voorstel.yaml"
    edit(voorstel, "deadline: nvt\n", "")
    found = problems_of(dossier)
    line = line_of(voorstel, "beoogd_effect:")
    assert found == [
        f"{voorstel}:{line}: veld 'deadline': onderdeel 4. Deadline ('deadline') ontbreekt; voeg 'deadline:' toe "
        f"na 'beoogd_effect' (regel {line}), of schrijf 'deadline: nvt'"
    ]


def test_capitalised_municipality_gives_one_error_each_and_no_advice_to_rename_correct_files(tmp_path: Path) -> None:
    dossier = make(tmp_path)
    edit(dossier / "voorstel.yaml", "gemeenten: [amersfoort, bunschoten,", "gemeenten: [Amersfoort, Bunschoten,")
    found = problems_of(dossier)
    assert len(found) == 2, found
    assert "schrijf 'amersfoort': korte namen zijn in kleine letters" in found[0]
    assert not any("hernoem" in p for p in found)

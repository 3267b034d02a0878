"""The B1 check (generator/language): its parts on hand-made Dutch, its place in a dossier (file:line, local
text, variables, the CLI), and an evaluation on real municipal sentence pairs (tests/data/amsterdam-complex-simple).
"""

from __future__ import annotations

import csv
import re
from pathlib import Path

import pytest

from generator import api
from generator.errors import Severity
from generator.language import officialese, passive
from generator.language.check import REGULAR, SUMMARY, analyse, score_message
from generator.language.readability import Counts, flesch_douma
from generator.language.sentences import split
from generator.language.words import syllables, words
from tests.conftest import DOSSIER, Invoke

PAIRS = Path(__file__).parent / "data" / "amsterdam-complex-simple" / "complex-simple-even-documents.csv"


# --- sentences -------------------------------------------------------------------------------------------------


def test_dutch_abbreviations_and_amounts_do_not_end_a_sentence() -> None:
    text = (
        "De kosten bedragen o.a. € 54.400 voor bijv. de bibliotheek. Zie art. 3 van de wet. "
        "Dit kost o.a. Leusden geld. Het college besluit i.o.m. Soest. Wethouder J. de Vries tekent. "
        "Het gaat om 1.2 miljoen. Vraag: wat nu?"
    )
    found = split(text)
    assert [s.text for s in found] == [
        "De kosten bedragen o.a. € 54.400 voor bijv. de bibliotheek.",
        "Zie art. 3 van de wet.",
        "Dit kost o.a. Leusden geld.",
        "Het college besluit i.o.m. Soest.",
        "Wethouder J. de Vries tekent.",
        "Het gaat om 1.2 miljoen.",
        "Vraag: wat nu?",
    ]
    for sentence in found:  # offsets point at the sentence in the text, so lines can be found from them
        assert text[sentence.start : sentence.start + len(sentence.text)] == sentence.text


def test_a_text_without_end_mark_is_one_sentence() -> None:
    assert [s.text for s in split("  De uitgangspunten vaststellen  ")] == ["De uitgangspunten vaststellen"]
    assert split("   ") == []


# --- words, syllables, score -----------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("word", "count"),
    [("gemeente", 3), ("raad", 1), ("samenwerking", 4), ("intergemeentelijke", 7), ("auto's", 2), ("zorg-en", 2)],
)
def test_syllables_from_hyphenation(word: str, count: int) -> None:
    assert syllables(word) == count


def test_numbers_and_signs_are_not_words() -> None:
    assert words("Het kost € 54.400, dat is 12% van het budget (auto's).") == [
        "Het", "kost", "dat", "is", "van", "het", "budget", "auto's",
    ]  # fmt: skip


def test_flesch_douma_formula() -> None:
    # 2 sentences, 20 words, 30 syllables: 206.835 - 0.93 * 10 - 77 * 1.5 = 82.035
    assert flesch_douma(Counts(2, 20, 30)) == pytest.approx(82.035)
    assert flesch_douma(Counts(0, 0, 0)) is None
    easy = analyse("De raad besluit. Het geld gaat naar de wijk. Wij doen mee.").score
    hard = analyse(
        "De intergemeentelijke samenwerkingsovereenkomst inzake de arbeidsmarktinfrastructuur wordt geëvalueerd."
    ).score
    assert easy is not None and hard is not None and easy > 80 > 0 > hard


def test_a_low_score_warns_only_for_a_section_of_some_sentences() -> None:
    low = Counts(3, 30, 75)
    assert score_message(low, REGULAR) is not None and "Flesch-Douma" in (score_message(low, REGULAR) or "")
    assert score_message(Counts(2, 20, 50), REGULAR) is None  # two sentences: too few to judge
    plain = Counts(3, 30, 45)  # score 72
    assert score_message(plain, REGULAR) is None and score_message(plain, SUMMARY) is None
    middle = Counts(3, 45, 80)  # score about 55: fine for running text, too hard for the summary
    assert score_message(middle, REGULAR) is None and score_message(middle, SUMMARY) is not None


# --- passive and officialese -----------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("sentence", "expected"),
    [
        ("Het plan wordt door de raad vastgesteld.", "wordt … vastgesteld"),
        ("Dat het budget wordt verdeeld over de gemeenten.", "wordt verdeeld"),
        ("Er is besloten om te stoppen.", "is besloten"),
        ("Het voorstel is door de raad aangenomen.", "is … aangenomen"),
        ("De kosten werden in 2024 betaald.", "werden … betaald"),
        ("De kosten zijn gestegen.", None),  # active perfect with "zijn"
        ("Leusden wordt groter.", None),  # "worden" as a linking verb
        ("De gevolgen zijn groot.", None),
        ("Het gebied is mooi.", None),
        ("De raad stelt het plan vast.", None),
    ],
)
def test_passive(sentence: str, expected: str | None) -> None:
    assert passive.find(words(sentence)) == expected


def test_officialese_word_list() -> None:
    entries = officialese.load_list()
    assert len(entries) >= 40 and all(alternative.strip() for alternative in entries.values())
    for phrase, alternative in {"teneinde": "om", "inzake": "over", "middels": "met", "dienen te": "moeten"}.items():
        assert entries[phrase] == alternative


def test_officialese_matches_whole_phrases_in_any_case_across_lines() -> None:
    hits = officialese.find("Teneinde dit te doen, ten behoeve\nvan de inwoners, maar niet tenein of middelsom.")
    assert [(h.found, h.alternative) for h in hits] == [("Teneinde", "om"), ("ten behoeve\nvan", "voor")]


def test_analyse_names_the_line_of_each_finding() -> None:
    source = (
        "## Kop met middels\n"  # headings are no sentences: not checked
        "\n"
        "Dit is kort. De kosten worden\n"
        "middels een bijdrage van alle zeven gemeenten in de regio samen betaald, zodat de\n"
        "inwoners van de regio er zo snel mogelijk iets van merken.\n"
        "\n"
        "- teneinde **een** punt\n"
    )
    report = analyse(source)
    assert report.counts.sentences == 3 and report.long_sentences == 1
    by_kind = {(f.line, f.message.split(":")[1].strip().split(" (")[0].split(" '")[0]) for f in report.findings}
    assert by_kind == {(3, "lange zin"), (3, "lijdende vorm"), (4, "ambtelijk woord"), (7, "ambtelijk woord")}
    assert all(f.sentence in f.message or "…" in f.message for f in report.findings)


# --- in a dossier ----------------------------------------------------------------------------------------------


def _line_of(path: Path, needle: str) -> int:
    return next(n for n, line in enumerate(path.read_text(encoding="utf-8").splitlines(), 1) if needle in line)


def test_leesbaarheid_reports_per_section_at_file_and_line(proposals: Path, cli: Invoke) -> None:
    voorstel = proposals / DOSSIER / "voorstel.yaml"
    text = voorstel.read_text(encoding="utf-8")
    text = text.replace(
        "deadline: nvt\n",
        "deadline: |\n  Dit is kort. [#kort]\n\n  Teneinde {{ gemeente.naam }} te steunen\n"
        "  wordt middels dit plan geld verdeeld.\n",
    )
    voorstel.write_text(text, encoding="utf-8")
    leusden = proposals / DOSSIER / "gemeenten" / "leusden.yaml"
    leusden.write_text(
        leusden.read_text(encoding="utf-8")
        + "lokaal:\n  deadline:\n    - na: kort\n      tekst: |\n        Wij werken inzake de wijk samen.\n",
        encoding="utf-8",
    )
    result = cli("leesbaarheid", proposals / DOSSIER, "--gemeente", "leusden")
    assert result.exit_code == 0, result.output
    out = result.output
    assert "leesbaarheid voor Leusden" in out
    assert re.search(r"^Deadline \(deadline\): score \d+, 3 zinnen, 0 lange zinnen, 4 bevindingen$", out, re.M), out
    start = _line_of(voorstel, "Teneinde")
    shown = "“Teneinde Leusden te steunen wordt middels dit plan geld verdeeld.”"  # the variable filled in
    assert f"voorstel.yaml:{start}: waarschuwing: veld 'deadline': B1: ambtelijk woord 'Teneinde'" in out
    assert f"voorstel.yaml:{start + 1}: waarschuwing: veld 'deadline': B1: ambtelijk woord 'middels'" in out
    assert f"voorstel.yaml:{start}: waarschuwing: veld 'deadline': B1: lijdende vorm ('wordt … verdeeld')" in out
    assert out.count(shown) == 3
    local = _line_of(leusden, "inzake")  # the local paragraph: found in the overlay, not in voorstel.yaml
    assert f"leusden.yaml:{local}: waarschuwing: veld 'lokaal.deadline[1].tekst': B1: ambtelijk woord 'inzake'" in out
    assert re.search(r"^Aanleiding \(aanleiding\): score \d+, \d+ zinnen", out, re.M)
    assert "(evaluatie)" not in out  # a section that does not apply (nvt) has no text to check

    soest = cli("leesbaarheid", proposals / DOSSIER, "-g", "soest")  # no local change there
    assert "inzake" not in soest.output and "Teneinde Soest te steunen" in soest.output


def test_validate_shows_b1_warnings_that_never_fail(proposals: Path, cli: Invoke) -> None:
    voorstel = proposals / DOSSIER / "voorstel.yaml"
    voorstel.write_text(
        voorstel.read_text(encoding="utf-8").replace("deadline: nvt\n", "deadline: Teneinde dit te doen.\n"),
        encoding="utf-8",
    )
    result = cli("validate", proposals / DOSSIER)
    assert result.exit_code == 0, result.output
    line = _line_of(voorstel, "Teneinde")
    assert result.output.count(f"voorstel.yaml:{line}:11: waarschuwing: veld 'deadline': B1: ambtelijk woord") == 1
    report = api.validate([proposals / DOSSIER], language=True, strict=True)
    assert report.language and all(p.severity is Severity.WARNING for p in report.language)
    assert not any("ambtelijk" in p.message or "Flesch" in p.message for p in report.problems)  # no summary yet
    assert not api.validate([proposals / DOSSIER]).language  # only when asked: status does not pay for it


def test_leesbaarheid_of_a_broken_dossier_is_a_located_error(proposals: Path, cli: Invoke) -> None:
    voorstel = proposals / DOSSIER / "voorstel.yaml"
    voorstel.write_text(voorstel.read_text(encoding="utf-8").replace("deadline: nvt", "dedline: nvt"), "utf-8")
    result = cli("leesbaarheid", proposals / DOSSIER)
    assert result.exit_code == 1 and "onbekend veld 'dedline'" in result.output
    assert "Traceback" not in result.output


# --- evaluation on real data -----------------------------------------------------------------------------------


def _pairs() -> list[tuple[str, str]]:
    with PAIRS.open(encoding="utf-8", newline="") as handle:
        rows = [(row["Complex"].strip(), row["Simple"].strip()) for row in csv.DictReader(handle)]
    return [(complex_, simple) for complex_, simple in rows if complex_ != simple]


def test_simple_side_scores_easier_for_a_clear_majority_of_pairs() -> None:
    """The figures in the README (section "Leesbaarheid (taalniveau B1)"): of the 662 pairs whose two sides
    differ, the simple side has the higher Flesch-Douma score in 403 (60.9 %) and the lower in 203; the check's
    verdict (fewer findings, else the higher score) rates it easier in 457 (69.0 %) and harder in 158."""
    pairs = _pairs()
    assert len(pairs) == 662
    reports = [(analyse(complex_), analyse(simple)) for complex_, simple in pairs]
    by_score = sum((s.score or 0) > (c.score or 0) for c, s in reports)
    harder_by_score = sum((s.score or 0) < (c.score or 0) for c, s in reports)
    by_verdict = sum(s.difficulty < c.difficulty for c, s in reports)
    harder_by_verdict = sum(s.difficulty > c.difficulty for c, s in reports)
    assert by_score / len(pairs) > 0.57 and by_score > 1.8 * harder_by_score
    assert by_verdict / len(pairs) > 0.64 and by_verdict > 2.5 * harder_by_verdict


def test_flags_known_officialese_in_real_sentences() -> None:
    pairs = _pairs()
    complex_hits = [h.found.lower() for c, _ in pairs for h in officialese.find(c)]
    simple_hits = [h.found.lower() for _, s in pairs for h in officialese.find(s)]
    assert len(complex_hits) >= 25 and len(simple_hits) * 5 < len(complex_hits)  # the editors took them out
    for phrase in ("middels", "ten tijde van", "vigerende", "met betrekking tot", "ten behoeve van"):
        sentence = next(c for c, _ in pairs if phrase in c.lower())
        assert any("ambtelijk woord '" in f.message and phrase in f.message.lower() for f in analyse(sentence).findings)


def test_strict_makes_errors_of_the_summary_only(proposals: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """The summary for residents is held to the B1 level and, strict, its findings are errors; the reference form
    has no summary section, so the test names "deadline" the summary for the length of the test."""
    from generator.language import proposal as language

    voorstel = proposals / DOSSIER / "voorstel.yaml"
    sentence = "Teneinde dit te doen wordt er door de gemeente een plan gemaakt voor alle wijken van de stad."
    voorstel.write_text(
        voorstel.read_text(encoding="utf-8").replace("deadline: nvt\n", f"deadline: {sentence}\n"), "utf-8"
    )
    monkeypatch.setattr(language, "SUMMARY_KEYS", frozenset({"deadline"}))
    report = api.validate([proposals / DOSSIER], language=True, strict=True)
    summary = [p for p in report.problems if p.field == "deadline"]
    assert {p.severity for p in summary} == {Severity.ERROR}
    assert any("meer dan 15" in p.message for p in summary)  # 17 words: long for the summary, not for the rest
    assert not any(p.field == "aanleiding" for p in report.problems)  # other sections stay warnings
    assert any(p.field == "aanleiding" for p in report.language)
    relaxed = api.validate([proposals / DOSSIER], language=True)
    assert not any(p.field == "deadline" for p in relaxed.problems)
    assert any(p.field == "deadline" and p.severity is Severity.WARNING for p in relaxed.language)


def test_the_summary_for_residents_is_held_to_b1_and_strict_fails_only_there(tmp_path: Path, cli: Invoke) -> None:
    import shutil

    from tests.conftest import ROOT

    shutil.copytree(ROOT / "voorbeelden" / "raadsronde", tmp_path / "regio")
    dossier = tmp_path / "regio" / "proposals" / "schuldhulp-eemland"
    overlay = dossier / "gemeenten" / "eemdal.yaml"
    added = "Teneinde schulden te voorkomen wordt er samengewerkt."
    text = overlay.read_text(encoding="utf-8")
    overlay.write_text(text.replace("  Eemdal wil inwoners", f"  {added} Eemdal wil inwoners"), encoding="utf-8")
    relaxed = cli("leesbaarheid", dossier, "-g", "eemdal")
    assert relaxed.exit_code == 0
    assert re.search(r"^Samenvatting voor de inwoner \(samenvatting\): score \d+, 4 zinnen", relaxed.output, re.M)
    line = _line_of(overlay, "Teneinde")
    assert f"eemdal.yaml:{line}: waarschuwing: veld 'samenvatting': B1: ambtelijk woord 'Teneinde'" in relaxed.output
    strict = cli("leesbaarheid", dossier, "-g", "eemdal", "--strict")
    assert strict.exit_code == 1
    assert f"eemdal.yaml:{line}: veld 'samenvatting': B1: lijdende vorm" in strict.output  # an error now
    assert "waarschuwing: veld 'aanleiding': B1:" in strict.output  # the other sections stay warnings

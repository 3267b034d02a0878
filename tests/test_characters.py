"""Nothing invisible on paper (issue 15, class 6): long words wrap, every character has a font, no bidi tricks.

The PDF is built once per module from a copy of the example with a long URL, a 5,000-character word and
Greek, Cyrillic and symbols; pdftotext's word boxes then show whether anything runs off the page.
"""

from __future__ import annotations

import re
import shutil
import subprocess
import unicodedata
from pathlib import Path

import pytest
from fontTools.ttLib import TTFont

from generator.sources.characters import COVERED, is_covered
from tests.conftest import DOSSIER, PROPOSALS, ROOT, Invoke
from tests.test_cli_validate import line_of

URL = "https://www.example.nl/" + "pad/" * 48
WORD = "Woord" + "x" * 5000
SCRIPTS = "Grieks αβγ ΩΣ, Cyrillisch Жизнь щука, symbolen ✓ ☐ → ≤ € ½ ™"
TEXT_FONTS = ("Liberation Sans", "DejaVu Sans")  # the stylesheet's font stack (raadsvoorstel.css)


def _font_file(family: str) -> str:
    found = subprocess.run(["fc-match", "-f", "%{file}", family], capture_output=True, text=True, check=True)
    return found.stdout.strip()


def test_every_character_the_table_allows_is_drawn_by_an_installed_text_font() -> None:
    covered: set[int] = set()
    for family in TEXT_FONTS:
        path = _font_file(family)
        assert Path(path).name.startswith(family.split()[0]), f"{family} is not installed (see DEBS in the Makefile)"
        covered |= set(TTFont(path).getBestCmap())
    missing = [f"U+{c:04X}" for start, end in COVERED for c in range(start, end + 1) if c not in covered]
    assert missing == []


@pytest.mark.parametrize(
    ("text", "expect"),
    [
        ("Feest 😀", "U+1F600"),
        ("Samenwerking 中文", "U+4E2D"),
        ("normaal \u202eomgekeerd\u202c", "richtingsteken (bidi) (U+202E)"),
        ("zero\u200bwidth", "zonder breedte (U+200B)"),
        ("eigen \ue000 teken", "eigen gebruik"),
    ],
    ids=["emoji", "cjk", "bidi-override", "zero-width", "private-use"],
)
def test_validate_refuses_characters_no_font_draws_with_file_line_and_column(
    dossier: Path, cli: Invoke, text: str, expect: str
) -> None:
    voorstel = dossier / "voorstel.yaml"
    voorstel.write_text(
        voorstel.read_text(encoding="utf-8").replace("aanleiding: |\n", f"aanleiding: |\n  {text}.\n\n", 1),
        encoding="utf-8",
    )
    result = cli("validate", dossier)
    assert result.exit_code == 1
    line = line_of(voorstel, text[:5])
    column = 3 + next(i for i, c in enumerate(text) if not is_covered(c))
    assert f"voorstel.yaml:{line}:{column}: " in result.output
    assert expect in result.output
    assert "\u202e" not in result.output and "\u200b" not in result.output


def test_escapes_in_double_quotes_are_checked_too(dossier: Path, cli: Invoke) -> None:
    voorstel = dossier / "voorstel.yaml"
    voorstel.write_text(
        voorstel.read_text(encoding="utf-8").replace("deadline: nvt", 'deadline: "morgen \\U0001F600"'),
        encoding="utf-8",
    )
    result = cli("validate", dossier)
    assert result.exit_code == 1
    assert f"voorstel.yaml:{line_of(voorstel, 'deadline:')}" in result.output and "U+1F600" in result.output


def test_comments_may_hold_any_character(dossier: Path, cli: Invoke) -> None:
    voorstel = dossier / "voorstel.yaml"
    voorstel.write_text("# Notitie 😀 中文\n" + voorstel.read_text(encoding="utf-8"), encoding="utf-8")
    assert cli("validate", dossier).exit_code == 0


def test_dutch_text_with_greek_cyrillic_and_symbols_is_accepted() -> None:
    assert all(is_covered(c) for c in SCRIPTS + "‘’“”–—…•·×÷°§©®ëïéèçñøåæœß")
    assert not any(unicodedata.category(chr(c)) == "Cn" for start, end in COVERED for c in range(start, end + 1))


@pytest.fixture(scope="module")
def wide_pdf(tmp_path_factory: pytest.TempPathFactory) -> Path:
    base = tmp_path_factory.mktemp("breed")
    proposals = base / "proposals"
    shutil.copytree(PROPOSALS, proposals)
    shutil.copytree(ROOT / "templates", base / "templates")
    voorstel = proposals / DOSSIER / "voorstel.yaml"
    extra = f"Zie [{URL}]({URL}) en {URL} en {WORD} einde. {SCRIPTS}.\n\n"
    voorstel.write_text(
        voorstel.read_text(encoding="utf-8").replace("aanleiding: |\n", f"aanleiding: |\n  {extra}", 1),
        encoding="utf-8",
    )
    from generator import api

    (pdf, _besluit) = api.build(proposals / DOSSIER, ["leusden"], ["pdf"], base / "out")
    return pdf


def test_long_words_and_urls_wrap_inside_the_page(wide_pdf: Path) -> None:
    """A 215-character URL ran off the right edge; a 20,000-character word showed 100 characters."""
    boxes = subprocess.run(["pdftotext", "-bbox", str(wide_pdf), "-"], capture_output=True, text=True, check=True)
    pages = re.findall(r'<page width="([\d.]+)" height="[\d.]+">(.*?)</page>', boxes.stdout, re.S)
    assert pages
    for width, body in pages:
        right_edges = [float(x) for x in re.findall(r'xMax="([\d.]+)"', body)]
        assert max(right_edges, default=0.0) <= float(width) - 20  # inside the page, not just the paper
    text = subprocess.run(["pdftotext", str(wide_pdf), "-"], capture_output=True, text=True, check=True).stdout
    assert text.count("x") >= 5000  # the whole word is on the pages, broken over lines (and pages)


def test_greek_cyrillic_and_symbols_are_drawn(wide_pdf: Path) -> None:
    text = subprocess.run(["pdftotext", str(wide_pdf), "-"], capture_output=True, text=True, check=True).stdout
    for word in ("αβγ", "Жизнь", "✓", "☐", "→", "≤", "½"):
        assert word in text
    fonts = subprocess.run(["pdffonts", str(wide_pdf)], capture_output=True, text=True, check=True).stdout
    assert "DejaVu-Sans" in fonts  # the fallback drew what Liberation Sans lacks

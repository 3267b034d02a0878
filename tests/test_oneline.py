"""One-line fields at their limits stay on the page, in every paged format (issue 25, class 3).

Every one-line field of Leusden's documents is filled with the longest value ``validate`` accepts, of wide,
long Dutch words (``bench.limits.longest_lines``; the bench times the same renders). The PDF is ours; the DOCX
and ODT are laid out by LibreOffice. ``pdftotext -bbox`` gives every word's box: none may lie outside its
page. The running header shows the subject shortened with an ellipsis, on one line.
"""

from __future__ import annotations

import re
import subprocess
from pathlib import Path

import pytest

from bench.limits import longest_lines
from generator import api
from generator.document.nodes import RUNNING_SUBJECT_CHARS, shorten
from generator.model.values import SUBJECT_CHARS

WORD = re.compile(r'<word xMin="([-\d.]+)" yMin="([-\d.]+)" xMax="([-\d.]+)" yMax="([-\d.]+)">([^<]*)</word>')
PAGE = re.compile(r'<page width="([\d.]+)" height="([\d.]+)">(.*?)</page>', re.S)


@pytest.fixture(scope="module")
def rendered(tmp_path_factory: pytest.TempPathFactory) -> dict[str, Path]:
    """Leusden's voorstel and besluit as PDF, and as DOCX and ODT converted to PDF by LibreOffice."""
    work = tmp_path_factory.mktemp("lang")
    dossier = longest_lines(work)
    report = api.validate([dossier])
    assert report.ok(), report.errors[:3]
    written = api.build(dossier, ["leusden"], ["pdf", "docx", "odt"], work / "uit")
    office = [p for p in written if p.suffix != ".pdf"]
    done = subprocess.run(
        ["soffice", f"-env:UserInstallation={(work / 'profiel').as_uri()}", "--headless", "--norestore",
         "--convert-to", "pdf", "--outdir", str(work / "lo"), *map(str, office)],
        capture_output=True, text=True, check=False, timeout=600,
    )  # fmt: skip
    assert done.returncode == 0, done.stderr
    found = {f"{p.stem.split('-')[0]}.pdf": p for p in written if p.suffix == ".pdf"}
    for path in office:
        found[f"{path.stem.split('-')[0]}{path.suffix}"] = work / "lo" / f"{path.stem}.pdf"
    assert len(found) == 6, found
    return found


def _words(pdf: Path) -> list[tuple[int, float, float, tuple[float, float, float, float], str]]:
    """(page, width, height, box, text) of every word."""
    xml = subprocess.run(["pdftotext", "-bbox", str(pdf), "-"], capture_output=True, text=True, check=True).stdout
    found = []
    for number, page in enumerate(PAGE.finditer(xml), start=1):
        width, height = float(page[1]), float(page[2])
        for word in WORD.finditer(page[3]):
            box = (float(word[1]), float(word[2]), float(word[3]), float(word[4]))
            found.append((number, width, height, box, word[5]))
    return found


@pytest.mark.parametrize("name", ["raadsvoorstel.pdf", "raadsbesluit.pdf", "raadsvoorstel.docx",
                                  "raadsbesluit.docx", "raadsvoorstel.odt", "raadsbesluit.odt"])  # fmt: skip
def test_no_glyph_of_the_longest_values_lies_outside_the_page(rendered: dict[str, Path], name: str) -> None:
    words = _words(rendered[name])
    assert len(words) > 100  # the document is there, with its text
    outside = [
        (page, text, box)
        for page, width, height, box, text in words
        if box[0] < 0 or box[1] < 0 or box[2] > width or box[3] > height
    ]
    assert not outside, outside[:5]


@pytest.mark.parametrize("name", ["raadsvoorstel.pdf", "raadsvoorstel.docx", "raadsvoorstel.odt"])
def test_the_running_header_shortens_the_subject_to_one_line(rendered: dict[str, Path], name: str) -> None:
    """Page 2's header holds the subject cut at a word with "…", within the header line (above the body)."""
    words = [w for w in _words(rendered[name]) if w[0] == 2]
    ending = [w for w in words if w[4].endswith("\N{HORIZONTAL ELLIPSIS}")]
    assert ending, [w[4] for w in words[:20]]
    header_bottom = ending[0][3][3]
    assert header_bottom < 100  # in the top margin (pt from the top of the page)
    text_above = " ".join(w[4] for w in words if w[3][3] <= header_bottom + 1)
    assert "Ondersteuningsovereenkomst\N{HORIZONTAL ELLIPSIS}" in text_above, text_above
    assert "Werkgelegenheidsmiddelen" not in text_above  # the rest of the subject is not in the header
    subject_lines = {round(w[3][1]) for w in words if w[3][3] <= header_bottom + 1 and w[3][0] > w[1] / 2}
    assert len(subject_lines) == 1, subject_lines  # the subject (right half) is one line


def test_shorten_cuts_at_a_word_and_keeps_short_text() -> None:
    assert shorten("Kort onderwerp", RUNNING_SUBJECT_CHARS) == "Kort onderwerp"
    long = "Uitgangspunten impuls sociale infrastructuur en toekomst sociaal ontwikkelbedrijf"
    cut = shorten(long, RUNNING_SUBJECT_CHARS)
    assert cut == "Uitgangspunten impuls sociale infrastructuur en toekomst\N{HORIZONTAL ELLIPSIS}"
    assert len(shorten("x" * SUBJECT_CHARS, RUNNING_SUBJECT_CHARS)) == RUNNING_SUBJECT_CHARS

"""``python -m bench.limits``: the cost of the largest dossier ``validate`` accepts, and of a huge word diff.

Why: the limits in ``generator.sources.limits`` promise that no accepted input takes minutes or gigabytes. This
measures that promise on this machine: a dossier that fills every limit at once (the most beslispunten and
argumenten, section texts and paragraphs at their maximum length, under the 1 MB file limit) is validated
(all 7 municipalities) and built (one municipality, DOCX and PDF), each in a child process of its own so its
peak memory is its own; a list of 40,000 beslispunten (the input that took 113 s and 2.4 GB before the limits)
is refused; and the word-level diff of a 400 KB paragraph with every third word changed is timed.
Results go to ``bench/results/limits.txt``.
"""

from __future__ import annotations

import os
import subprocess
import sys
import tempfile
import time
from pathlib import Path

from bench import workspace
from generator.model.values import AGENDA_CHARS, CODE_CHARS, LINE_CHARS, MUNICIPALITY_CHARS, NAME_CHARS, SUBJECT_CHARS
from generator.sources._text import MAX_BYTES
from generator.sources.limits import MAX_ITEMS, MAX_PARAGRAPH, MAX_TEXT

RESULTS = workspace.ROOT / "bench" / "results"
#: The hostile list of issue 15 (the test corpus uses a shorter one: refusing it is tested, its cost measured here).
HOSTILE_ITEMS = 40_000
#: Text sections of the example filled up to the text limit, in this order, while the 1 MB file limit allows.
TEXT_FIELDS = ("aanleiding", "risicos", "vervolg", "financieel_advies", "beoogd_effect")
SENTENCE = (
    "De gemeente werkt met de regiogemeenten aan een sterke sociale infrastructuur, zodat inwoners met een "
    "afstand tot de arbeidsmarkt passend werk vinden en houden. "
)


def _paragraphs(characters: int) -> list[str]:
    """About ``characters`` characters of prose in paragraphs just under the paragraph limit."""
    paragraph = (SENTENCE * (MAX_PARAGRAPH // len(SENTENCE)))[: MAX_PARAGRAPH - 200].strip()
    count = max(1, characters // (len(paragraph) + 2))
    return [paragraph] * count


def _replace_field(text: str, field: str, value_lines: list[str]) -> str:
    """``text`` with the top-level ``field`` (and its indented continuation) replaced."""
    lines = text.split("\n")
    start = next(i for i, line in enumerate(lines) if line.startswith(f"{field}:"))
    end = start + 1
    while end < len(lines) and (lines[end].startswith(" ") or not lines[end]):
        end += 1
    lines[start:end] = [*value_lines, ""]
    return "\n".join(lines)


def _block(field: str, paragraphs: list[str]) -> list[str]:
    body: list[str] = []
    for paragraph in paragraphs:
        body += ["  " + paragraph, ""]
    return [f"{field}: |", *body[:-1]]


def largest_dossier(target: Path) -> Path:
    """The example dossier with every limit filled as far as the 1 MB file limit allows; returns its folder."""
    proposals = workspace.example_proposals(target)
    dossier = proposals / workspace.EXAMPLE
    path = dossier / "voorstel.yaml"
    text = path.read_text(encoding="utf-8")
    sentence = SENTENCE.strip()
    text = _replace_field(
        text, "beslispunten", ["beslispunten:", *(f"  - Beslispunt {n} – {sentence}" for n in range(MAX_ITEMS))]
    )
    arguments = ["argumenten:"]
    for n in range(MAX_ITEMS):
        arguments += [f"  - beslispunt: {n % MAX_ITEMS + 1}", f"    kop: Argument {n}", f"    tekst: {sentence * 6}"]
    text = _replace_field(text, "argumenten", arguments)
    for field in TEXT_FIELDS:
        budget = MAX_BYTES - len(text.encode("utf-8")) - 5_000
        if budget < MAX_PARAGRAPH:
            break
        text = _replace_field(text, field, _block(field, _paragraphs(min(MAX_TEXT - 1_000, budget))))
    path.write_text(text, encoding="utf-8")
    return dossier


#: Wide, long Dutch words: the worst realistic case for a line that must stay on the page.
WIDE_WORDS = "Wmo-Maatschappelijke Ondersteuningsovereenkomst Werkgelegenheidsmiddelen Woningbouwprogramma "


def longest(limit: int) -> str:
    """A value of exactly ``limit`` characters of wide words (no space at either end)."""
    value = (WIDE_WORDS * (limit // len(WIDE_WORDS) + 1))[:limit]
    return value[:-1] + "W" if value.endswith(" ") else value


def _set_line(text: str, key: str, value: str, indent: str = "") -> str:
    """``text`` with the first line ``<indent><key>: …`` given ``value`` (quoted: a name may hold a colon)."""
    lines = text.split("\n")
    start = next(i for i, line in enumerate(lines) if line.startswith(f"{indent}{key}:"))
    lines[start] = f'{indent}{key}: "{value}"'
    return "\n".join(lines)


def longest_lines(target: Path, gemeente: str = "leusden") -> Path:
    """The example dossier with every one-line field of ``gemeente``'s documents at the longest value
    ``validate`` accepts (the limits of ``generator.model.values``); returns its folder."""
    proposals = workspace.example_proposals(target)
    dossier = proposals / workspace.EXAMPLE
    base = dossier / "voorstel.yaml"
    text = _set_line(base.read_text(encoding="utf-8"), "onderwerp", longest(SUBJECT_CHARS))
    text = _set_line(text, "kop", longest(LINE_CHARS), "    ")
    text = _set_line(text, "slotformule", longest(LINE_CHARS), "  ")
    for key, item in (("gelet_op", "  - "), ("bijlagen", "  - "), ("stakeholders", "    - ")):
        lines = text.split("\n")
        start = next(i for i, line in enumerate(lines) if line.lstrip().startswith(f"{key}:"))
        lines[start + 1] = f'{item}"{longest(LINE_CHARS)}"'
        text = "\n".join(lines)
    base.write_text(text, encoding="utf-8")
    overlay = dossier / "gemeenten" / f"{gemeente}.yaml"
    overlay.write_text(
        overlay.read_text(encoding="utf-8")
        + f'zaaknummer: "{longest(CODE_CHARS)}"\nagendapunt: "{longest(AGENDA_CHARS)}"\n'
        f'portefeuillehouder: "{longest(NAME_CHARS)}"\n',
        encoding="utf-8",
    )
    registry = proposals / "gemeenten.yaml"
    lines = registry.read_text(encoding="utf-8").split("\n")
    start = lines.index(f"  {gemeente}:")
    lines[start + 1] = f'    naam: "{longest(MUNICIPALITY_CHARS)}"'
    person = f'{{naam: "{longest(NAME_CHARS)}", titel: "{longest(NAME_CHARS)}"}}'
    for offset in range(2, 8):
        for role in ("burgemeester", "secretaris", "griffier"):
            if lines[start + offset].startswith(f"    {role}:"):
                lines[start + offset] = f"    {role}: {person}"
    registry.write_text("\n".join(lines), encoding="utf-8")
    return dossier


def _child(code: str, cwd: Path) -> tuple[float, float, str]:
    """Run ``code`` in a fresh Python: (seconds, peak resident memory in MB, output)."""
    started = time.perf_counter()
    process = subprocess.Popen(
        [sys.executable, "-c", code], cwd=cwd, stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True
    )
    assert process.stdout is not None
    output = process.stdout.read()
    _, status, usage = os.wait4(process.pid, 0)
    seconds = time.perf_counter() - started
    if os.waitstatus_to_exitcode(status) != 0:
        raise RuntimeError(f"child failed:\n{output}")
    return seconds, usage.ru_maxrss / 1024, output


def run() -> list[str]:
    lines = []
    with tempfile.TemporaryDirectory(prefix="raadsvoorstel-limits-") as temp:
        dossier = largest_dossier(Path(temp))
        size = (dossier / "voorstel.yaml").stat().st_size
        validate = (
            "from pathlib import Path\nfrom generator import api\n"
            f"report = api.validate([Path({str(dossier)!r})])\nassert report.ok(), report.errors[:3]\n"
        )
        seconds, peak, _ = _child(validate, Path(temp))
        lines.append(f"grootste toegestane dossier: voorstel.yaml {size / 1e6:.2f} MB, {MAX_ITEMS} beslispunten "
                     f"en argumenten, teksten tot {MAX_TEXT} tekens in alinea's tot {MAX_PARAGRAPH}")  # fmt: skip
        lines.append(f"  validate (7 gemeenten):      {seconds:6.1f} s, piekgeheugen {peak:6.0f} MB")
        build = (
            "from pathlib import Path\nfrom generator import api\n"
            f"api.build(Path({str(dossier)!r}), ['leusden'], ['docx', 'pdf'], Path({temp!r}) / 'out')\n"
        )
        seconds, peak, _ = _child(build, Path(temp))
        pages = _pages(Path(temp) / "out")
        lines.append(f"  build leusden docx+pdf:      {seconds:6.1f} s, piekgeheugen {peak:6.0f} MB, {pages} pagina's")
        hostile = workspace.example_proposals(Path(temp) / "vijandig") / workspace.EXAMPLE
        path = hostile / "voorstel.yaml"
        items = "".join(f"  - Beslispunt {n}.\n" for n in range(HOSTILE_ITEMS))
        path.write_text(path.read_text(encoding="utf-8").replace("beslispunten:\n", "beslispunten:\n" + items, 1))
        refuse = (
            "from pathlib import Path\nfrom generator import api\n"
            f"report = api.validate([Path({str(hostile)!r})])\n"
            f"assert any('hooguit {MAX_ITEMS}' in p.message for p in report.errors), report.errors[:3]\n"
        )
        seconds, peak, _ = _child(refuse, Path(temp))
        lines.append(f"  {HOSTILE_ITEMS} beslispunten geweigerd: {seconds:6.1f} s, piekgeheugen {peak:6.0f} MB")
        lines.extend(_longest_lines_rendered(Path(temp)))
    diff = (
        "import time\nfrom bench.limits import paragraph_pair\nfrom generator.diffing._words import diff_words\n"
        "old, new = paragraph_pair(400_000)\nstarted = time.perf_counter()\nsegments = diff_words(old, new)\n"
        "print(f'{time.perf_counter() - started:.2f} {len(old)} {len(segments)}')\n"
    )
    _, peak, output = _child(diff, workspace.ROOT)
    seconds_text, length, segments = output.split()
    lines.append(
        f"woordverschil van één alinea van {int(length) / 1000:.0f} KB, elk derde woord anders: "
        f"{float(seconds_text):.2f} s ({segments} stukken), piekgeheugen {peak:.0f} MB"
    )
    return lines


def _longest_lines_rendered(temp: Path) -> list[str]:
    """Every one-line field at its limit (``longest_lines``): each format of Leusden's voorstel, timed."""
    dossier = longest_lines(temp / "regels")
    render = (
        "import time\nfrom pathlib import Path\nfrom generator import api\n"
        f"docs = api.loaded_dossier(Path({str(dossier)!r}), ['leusden']).sets['leusden']\n"
        "for fmt in ('pdf', 'docx', 'odt', 'html', 'txt'):\n"
        "    started = time.perf_counter()\n"
        "    for doc in (docs.voorstel, docs.besluit):\n"
        "        api.render(doc, fmt)\n"
        "    print(fmt, f'{time.perf_counter() - started:.3f}')\n"
    )
    seconds, peak, output = _child(render, temp)
    timed = ", ".join(f"{fmt} {value} s" for fmt, value in (line.split() for line in output.splitlines()))
    return [
        "elk eenregelig veld op zijn grens (onderwerp 160 tekens, namen 100, gemeentenaam 40, zaaknummer 40, "
        "agendapunt 20, koppen en titels 300):",
        f"  voorstel + besluit per formaat: {timed}; samen {seconds:.1f} s, piekgeheugen {peak:.0f} MB",
    ]


def paragraph_pair(characters: int) -> tuple[str, str]:
    """One paragraph of real proposal words, and a copy with every third word changed."""
    words = (workspace.ROOT / "proposals" / workspace.EXAMPLE / "voorstel.yaml").read_text(encoding="utf-8").split()
    chosen: list[str] = []
    size = 0
    while size < characters:
        word = words[len(chosen) % len(words)]
        chosen.append(word)
        size += len(word) + 1
    return " ".join(chosen), " ".join(w + "x" if i % 3 == 0 else w for i, w in enumerate(chosen))


def _pages(out: Path) -> str:
    pdfs = sorted(out.rglob("*.pdf"))
    if not pdfs:
        return "?"
    info = subprocess.run(["pdfinfo", str(pdfs[0])], capture_output=True, text=True, check=False).stdout
    return next((line.split()[-1] for line in info.splitlines() if line.startswith("Pages:")), "?")


def main() -> None:
    lines = run()
    text = "\n".join(lines)
    print(text)
    RESULTS.mkdir(parents=True, exist_ok=True)
    (RESULTS / "limits.txt").write_text(text + "\n", encoding="utf-8")


if __name__ == "__main__":
    main()

"""``python -m bench.editor`` (part of ``make bench``): how quickly ``raadsvoorstel edit`` shows a field's change,
and what "every municipality as PDF" costs in the editor's warm process beside LibreOffice.

Measured against the real thing: the editor started as a clerk starts it (a subprocess) in a copy of the example
project, and Debian's chromium (through Playwright) showing the page, as in ``tests/test_editor_browser.py``.

- **field → document**: a new sentence typed into the text of section 1 (Aanleiding); the clock starts when the
  clerk leaves the field (which saves it through ``generator.editing``) and stops when the sentence is in the
  live document beside the form; median of 20 (target ≤ 0.3 s);
- **all PDFs**: ``/download/alle-pdf.zip`` (the raadsvoorstel of every municipality as PDF, rendered in the
  editor's warm process) right after a change: wall time and the server's processor time (``/proc``), median of
  3; beside it LibreOffice (``soffice --headless --convert-to pdf``, warm profile) converting the DOCX files of
  the same state, fetched from the same server: wall time and processor time, median of 3.

The figures are printed and saved in ``bench/results/editor.txt`` and ``editor.json``.
"""

from __future__ import annotations

import argparse
import io
import json
import os
import re
import statistics
import subprocess
import sys
import tempfile
import threading
import time
import zipfile
from pathlib import Path
from typing import Any

from bench import measure
from bench.workspace import EXAMPLE, ROOT, example_proposals

RESULTS = ROOT / "bench" / "results"
CHROMIUM = "/usr/bin/chromium"
CHROMIUM_ARGS = [
    "--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking", "--disable-component-update",
    "--disable-sync", "--no-first-run",
]  # fmt: skip
TARGET = 0.3
FIELD = '[data-bestand="voorstel.yaml"][name="aanleiding"]:not([data-nvt])'
#: Whether the live document (the preview page framed beside the form, and its document frame) shows a text.
_SHOWS = (
    "m => { const p = document.getElementById('voorbeeld').contentDocument;"
    " const d = p && p.getElementById('document') && p.getElementById('document').contentDocument;"
    " return !!d && !!d.body && d.body.textContent.includes(m); }"
)


def _start(project: Path) -> tuple[subprocess.Popen[str], str]:
    process = subprocess.Popen(
        [sys.executable, "-m", "generator", "edit", f"proposals/{EXAMPLE}", "--poort", "0", "-g", "leusden"],
        cwd=project, stdout=subprocess.PIPE, stderr=subprocess.DEVNULL, text=True,
        env={**os.environ, "PYTHONPATH": str(ROOT)},
    )  # fmt: skip
    line: list[str] = []
    reader = threading.Thread(target=lambda: line.append(process.stdout.readline()), daemon=True)  # type: ignore[union-attr]
    reader.start()
    reader.join(30)
    match = re.search(r"http://\S+/", line[0] if line else "")
    if match is None:
        process.kill()
        raise SystemExit("de editor startte niet")
    return process, match.group(0)


def _cpu_seconds(pid: int) -> float:
    """Processor seconds (user + system) the process has used so far."""
    fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
    return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")


def _wait_for(page: Any, text: str, timeout: float = 10.0) -> None:
    deadline = time.perf_counter() + timeout
    while not page.evaluate(_SHOWS, text):
        if time.perf_counter() > deadline:
            raise TimeoutError(f"het document toonde '{text}' niet binnen {timeout} s")
        time.sleep(0.005)


def _settle(page: Any, timeout: float = 15.0) -> None:
    """Wait until the page has the findings of the last change (it asks for them a moment after the document):
    a clerk does not change the next field within a second, so one measurement does not overlap the previous
    change's validation."""
    deadline = time.perf_counter() + timeout
    while page.evaluate("() => document.body.dataset.meldingen") != "klaar":
        if time.perf_counter() > deadline:
            raise TimeoutError("de meldingen kwamen niet")
        time.sleep(0.02)


def run(changes: int, repeats: int) -> dict[str, Any]:
    from playwright.sync_api import sync_playwright

    with tempfile.TemporaryDirectory(prefix="bench-editor-") as tmp:
        project = Path(tmp)
        example_proposals(project)
        process, url = _start(project)
        counter = 0
        try:
            with sync_playwright() as p:
                browser = p.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
                page = browser.new_page(viewport={"width": 1400, "height": 900})
                page.goto(url)
                _wait_for(page, "Onze gemeente")
                field = page.locator(FIELD)
                original = field.input_value()

                def change() -> float:
                    nonlocal counter
                    counter += 1
                    marker = f"Meting {counter} van de editor."
                    field.fill(f"{marker} {original}")
                    started = time.perf_counter()
                    field.press("Tab")  # leaving the field saves it
                    _wait_for(page, marker)
                    took = time.perf_counter() - started
                    _settle(page)
                    return took

                for _ in range(3):  # warm: first renders, first imports
                    change()
                field_times = [change() for _ in range(changes)]

                pdf_wall, pdf_cpu, docx = [], [], {}
                for _ in range(repeats):
                    change()
                    cpu = _cpu_seconds(process.pid)
                    started = time.perf_counter()
                    response = page.request.get(url.rstrip("/") + "/download/alle-pdf.zip", timeout=120_000)
                    pdf_wall.append(time.perf_counter() - started)
                    pdf_cpu.append(_cpu_seconds(process.pid) - cpu)
                    assert response.ok
                    with zipfile.ZipFile(io.BytesIO(response.body())) as archive:
                        count = len(archive.namelist())
                members = re.findall(r'<option value="([a-z0-9-]+)">', page.content())
                for slug in dict.fromkeys(members):
                    got = page.request.get(url.rstrip("/") + f"/download/voorstel/{slug}.docx")
                    if got.ok:
                        docx[slug] = got.body()
                browser.close()
        finally:
            process.send_signal(2)
            process.wait(10)
        result: dict[str, Any] = {
            "field_to_document_s": {"median": statistics.median(field_times), "max": max(field_times),
                                    "n": len(field_times)},
            "all_pdf_warm": {"documents": count, "wall_s": statistics.median(pdf_wall),
                             "cpu_s": statistics.median(pdf_cpu), "n": repeats},
        }  # fmt: skip
        if measure.soffice() is not None and docx:
            folder = project / "docx"
            folder.mkdir()
            files = []
            for slug, data in docx.items():
                target = folder / f"raadsvoorstel-{slug}.docx"
                target.write_bytes(data)
                files.append(target)
            profile = project / "lo-profiel"
            measure.soffice_convert(files, project / "lo", profile)  # a fresh profile: not counted
            runs = [measure.soffice_convert(files, project / "lo", profile) for _ in range(repeats)]
            result["libreoffice"] = {
                "version": measure.soffice_version(), "documents": len(files),
                "wall_s": statistics.median(r[0] for r in runs), "cpu_s": statistics.median(r[1] for r in runs),
            }  # fmt: skip
    return result


def report(result: dict[str, Any]) -> str:
    field, pdf = result["field_to_document_s"], result["all_pdf_warm"]
    good = "gehaald" if field["median"] <= TARGET else "NIET gehaald"
    lines = [
        "raadsvoorstel edit — voorbeeld leusden, Debian chromium via Playwright",
        f"veld verlaten (opslaan) → document bijgewerkt: mediaan {field['median']:.3f} s, max {field['max']:.3f} s "
        f"over {field['n']} keer (doel ≤ {TARGET} s: {good})",
        f"alle gemeenten als PDF in het warme proces ({pdf['documents']} raadsvoorstellen): {pdf['wall_s']:.2f} s, "
        f"processortijd {pdf['cpu_s']:.2f} s (mediaan van {pdf['n']})",
    ]
    lo = result.get("libreoffice")
    if lo is not None:
        lines.append(
            f"LibreOffice ({lo['version']}) dezelfde {lo['documents']} DOCX → PDF: {lo['wall_s']:.2f} s, "
            f"processortijd {lo['cpu_s']:.2f} s (warm profiel, mediaan)"
        )
    else:
        lines.append("LibreOffice: niet geïnstalleerd, overgeslagen")
    return "\n".join(lines) + "\n"


def main() -> None:
    parser = argparse.ArgumentParser(prog="python -m bench.editor", description=__doc__.splitlines()[0])
    parser.add_argument("--wijzigingen", type=int, default=20, help="metingen veld → document (standaard 20)")
    parser.add_argument("--herhalingen", type=int, default=3, help="herhalingen van alle PDF's (standaard 3)")
    args = parser.parse_args()
    if not Path(CHROMIUM).exists():
        raise SystemExit("chromium ontbreekt: apt-get install chromium (of make debs als root)")
    result = run(args.wijzigingen, args.herhalingen)
    text = report(result)
    print(text, end="")
    RESULTS.mkdir(parents=True, exist_ok=True)
    (RESULTS / "editor.txt").write_text(text, encoding="utf-8")
    (RESULTS / "editor.json").write_text(json.dumps(result, indent=2) + "\n", encoding="utf-8")


if __name__ == "__main__":
    main()

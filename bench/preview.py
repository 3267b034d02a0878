"""``python -m bench.preview`` (part of ``make bench``): how quickly ``raadsvoorstel preview`` follows a save.

Measured against the real thing: the server started as a clerk starts it (a subprocess) in a copy of the
example project, and Debian's chromium (through Playwright) showing the page, as in ``tests/test_preview.py``.

- **save → page**: from writing ``voorstel.yaml`` (a new file renamed over the old one, as editors save) until
  the new sentence is in the document frame of the open page; median of 20 saves (target ≤ 0.3 s);
- **PDF button**: the PDF of the same state, fetched as the button does, right after a save (target ≤ 1 s);
- **memory**: the server's resident memory (VmRSS) over 200 saves, each followed until the page shows it
  (target: flat — it must not grow with the number of saves).

The figures are printed and saved in ``bench/results/preview.txt`` and ``preview.json``.
"""

from __future__ import annotations

import argparse
import json
import os
import re
import statistics
import subprocess
import sys
import tempfile
import threading
import time
from pathlib import Path
from typing import Any

from bench.workspace import EXAMPLE, ROOT, example_proposals

RESULTS = ROOT / "bench" / "results"
CHROMIUM = "/usr/bin/chromium"
CHROMIUM_ARGS = [
    "--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking", "--disable-component-update",
    "--disable-sync", "--no-first-run",
]  # fmt: skip
ANCHOR = "  Onze gemeente staat"
TARGET_PAGE = 0.3
TARGET_PDF = 1.0


def _start(project: Path) -> tuple[subprocess.Popen[str], str]:
    process = subprocess.Popen(
        [sys.executable, "-m", "generator", "preview", f"proposals/{EXAMPLE}", "--poort", "0", "-g", "leusden"],
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
        raise SystemExit("de voorbeeldweergave startte niet")
    return process, match.group(0)


def _rss_mib(pid: int) -> float:
    for line in Path(f"/proc/{pid}/status").read_text().splitlines():
        if line.startswith("VmRSS:"):
            return int(line.split()[1]) / 1024
    raise RuntimeError("VmRSS niet gevonden")


def _save(path: Path, text: str) -> None:
    temporary = path.with_name(f".{path.name}.tmp")
    temporary.write_text(text, encoding="utf-8")
    temporary.replace(path)


#: Whether the document frame of the page shows a text. Evaluated through the browser's debugging protocol: the
#: page's Content-Security-Policy (no eval) rules out Playwright's in-page polling of a function.
_SHOWS = "m => (document.getElementById('document').contentDocument?.body?.textContent || '').includes(m)"


def _wait_for(page: Any, text: str, timeout: float = 10.0) -> None:
    """Poll every 5 ms until the document frame shows ``text`` (the resolution of the figures)."""
    deadline = time.perf_counter() + timeout
    while not page.evaluate(_SHOWS, text):
        if time.perf_counter() > deadline:
            raise TimeoutError(f"de pagina toonde '{text}' niet binnen {timeout} s")
        time.sleep(0.005)


def measure(saves: int, memory_saves: int, pdf_saves: int) -> dict[str, Any]:
    from playwright.sync_api import sync_playwright

    with tempfile.TemporaryDirectory(prefix="bench-preview-") as tmp:
        project = Path(tmp)
        example_proposals(project)  # with the project's templates/ beside it
        voorstel = project / "proposals" / EXAMPLE / "voorstel.yaml"
        original = voorstel.read_text(encoding="utf-8")
        process, url = _start(project)
        at_start = _rss_mib(process.pid)
        counter = 0

        def save_and_wait(page: Any) -> float:
            nonlocal counter
            counter += 1
            marker = f"Meting {counter} van de voorbeeldweergave."
            text = original.replace(ANCHOR, f"  {marker} {ANCHOR.strip()}", 1)
            started = time.perf_counter()
            _save(voorstel, text)
            _wait_for(page, marker)
            return time.perf_counter() - started

        try:
            with sync_playwright() as p:
                browser = p.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
                page = browser.new_page()
                page.goto(url)
                _wait_for(page, "Onze gemeente")
                for _ in range(3):  # warm: first renders, first imports
                    save_and_wait(page)
                page_times = [save_and_wait(page) for _ in range(saves)]

                pdf_url = url.rstrip("/") + "/download/voorstel/leusden.pdf"
                first_pdf_started = time.perf_counter()
                first = page.request.get(pdf_url)
                first_pdf = time.perf_counter() - first_pdf_started
                assert first.ok and first.body().startswith(b"%PDF")
                pdf_times = []
                for _ in range(pdf_saves):
                    save_and_wait(page)
                    started = time.perf_counter()
                    response = page.request.get(pdf_url)
                    pdf_times.append(time.perf_counter() - started)
                    assert response.ok and response.body().startswith(b"%PDF")

                memory = [(0, _rss_mib(process.pid))]
                for number in range(1, memory_saves + 1):
                    save_and_wait(page)
                    if number % 20 == 0:
                        memory.append((number, _rss_mib(process.pid)))
                browser.close()
        finally:
            process.send_signal(2)
            process.wait(10)
    settled = [mib for number, mib in memory if number >= 100] or [memory[-1][1]]
    pdf = {"first": first_pdf, "median": statistics.median(pdf_times), "max": max(pdf_times), "n": len(pdf_times)}
    rss = {
        "at_start": at_start,
        "after_saves": memory,
        "growth_second_half": max(settled) - min(settled),
        "growth_total": memory[-1][1] - memory[0][1],
    }
    view = {"median": statistics.median(page_times), "max": max(page_times), "n": len(page_times)}
    return {"save_to_page_s": view, "pdf_s": pdf, "rss_mib": rss}


def report(result: dict[str, Any]) -> str:
    page, pdf, rss = result["save_to_page_s"], result["pdf_s"], result["rss_mib"]

    def ok(good: bool) -> str:
        return "gehaald" if good else "NIET gehaald"

    lines = [
        "raadsvoorstel preview — voorbeeld leusden, Debian chromium via Playwright",
        f"opslaan → pagina bijgewerkt: mediaan {page['median']:.3f} s, max {page['max']:.3f} s over {page['n']} keer "
        f"(doel ≤ {TARGET_PAGE} s: {ok(page['median'] <= TARGET_PAGE)})",
        f"PDF-knop: eerste {pdf['first']:.3f} s, na een wijziging mediaan {pdf['median']:.3f} s, "
        f"max {pdf['max']:.3f} s over {pdf['n']} keer (doel ≤ {TARGET_PDF} s: {ok(pdf['median'] <= TARGET_PDF)})",
        f"geheugen van de server (VmRSS, MiB): bij de start {rss['at_start']:.1f}; warm, na N keer opslaan: "
        + ", ".join(f"{n}: {mib:.1f}" for n, mib in rss["after_saves"]),
        f"groei tussen 100 en {rss['after_saves'][-1][0]} keer opslaan: {rss['growth_second_half']:.1f} MiB",
    ]
    return "\n".join(lines) + "\n"


def main() -> None:
    parser = argparse.ArgumentParser(prog="python -m bench.preview", description=__doc__.splitlines()[0])
    parser.add_argument("--opslagen", type=int, default=20, help="metingen opslaan → pagina (standaard 20)")
    parser.add_argument("--geheugen", type=int, default=200, help="opslagen voor de geheugenmeting (standaard 200)")
    parser.add_argument("--pdf", type=int, default=5, help="metingen van de PDF-knop (standaard 5)")
    args = parser.parse_args()
    if not Path(CHROMIUM).exists():
        raise SystemExit("chromium ontbreekt: apt-get install chromium (of make debs als root)")
    result = measure(args.opslagen, args.geheugen, args.pdf)
    text = report(result)
    print(text, end="")
    RESULTS.mkdir(parents=True, exist_ok=True)
    (RESULTS / "preview.txt").write_text(text, encoding="utf-8")
    (RESULTS / "preview.json").write_text(json.dumps(result, indent=2) + "\n", encoding="utf-8")


if __name__ == "__main__":
    main()

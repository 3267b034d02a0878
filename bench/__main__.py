"""``python -m bench`` (``make bench``): time batch runs against LibreOffice and check the issue's targets.

Measured side by side in one run, on this machine:

- the example dossier (7 municipalities × DOCX + PDF) built cold with 1 worker and with one per core;
- a no-op rerun (nothing changed);
- per-document time, CPU and peak worker memory (from a driver process that reports each document);
- a synthetic round of many dossiers (50 by default, 10 with ``--quick``) and its no-op rerun;
- LibreOffice converting the same DOCX files to PDF (``soffice --headless --convert-to pdf``), once with a
  fresh profile and then warm;
- warm builds (``bench.warm``): a batch of the example's 14 PDFs and a single ``build`` handed to a running
  ``raadsvoorstel server`` (processor time of client and server), and the server's memory over many builds.

The figures are printed and saved in ``bench/results/latest.txt`` and ``latest.json``.
"""

from __future__ import annotations

import argparse
import json
import os
import platform
import sys
import tempfile
import time
from importlib import metadata
from pathlib import Path
from typing import Any

from bench import measure, pdf_repair, profiling, report, workspace
from bench import warm as warm_builds_bench
from generator.batch.schedule import RECYCLE_AFTER

RESULTS = workspace.ROOT / "bench" / "results"


def main() -> None:
    parser = argparse.ArgumentParser(prog="python -m bench", description=__doc__.splitlines()[0])
    parser.add_argument("--quick", action="store_true", help="kleinere ronde (10 dossiers), 1 herhaling")
    parser.add_argument("--dossiers", type=int, help="aantal dossiers in de synthetische ronde (standaard 50)")
    parser.add_argument("--herhalingen", type=int, help="herhalingen van de kleine metingen (standaard 3)")
    parser.add_argument("--jobs", type=int, default=os.cpu_count() or 1, help="werkprocessen (standaard: kernen)")
    parser.add_argument("--zonder-libreoffice", action="store_true", help="sla LibreOffice over")
    parser.add_argument("--profiel", action="store_true", help="toon ook waar de tijd per document heen gaat")
    parser.add_argument("--warme-builds", type=int, help="builds na elkaar op de warme server (standaard 500)")
    args = parser.parse_args()
    dossiers = args.dossiers or (10 if args.quick else 50)
    repeats = args.herhalingen or (1 if args.quick else 3)
    builds = args.warme_builds if args.warme_builds is not None else (100 if args.quick else 500)
    layer = speed_layer()
    print(layer, flush=True)  # before the figures: a lever that stepped aside explains slower ones
    with tempfile.TemporaryDirectory(prefix="raadsvoorstel-bench-") as temp:
        results = run(Path(temp), dossiers, repeats, args.jobs, with_soffice=not args.zonder_libreoffice,
                      warm_builds=builds)  # fmt: skip
    text = layer + "\n" + report.render(results)
    print(text)
    RESULTS.mkdir(parents=True, exist_ok=True)
    (RESULTS / "latest.txt").write_text(text + "\n", encoding="utf-8")
    (RESULTS / "latest.json").write_text(json.dumps(results, indent=2, sort_keys=True) + "\n", encoding="utf-8")
    if args.profiel:
        for profile in profiling.write_profiles(RESULTS):
            print("\n" + profile)


def speed_layer() -> str:
    """Which levers of the PDF speed layer are on with these libraries (every measured process has the same),
    or which stepped aside and why (``pdf_speed.describe``)."""
    from generator.writers.pdf import speed as pdf_speed

    return pdf_speed.describe()


def run(
    temp: Path, dossiers: int, repeats: int, jobs: int, *, with_soffice: bool, warm_builds: int = 500
) -> dict[str, Any]:
    load_before = os.getloadavg()[0]
    example = workspace.example_proposals(temp / "voorbeeld")
    progress = _Progress()
    progress("voorbeeld, koud, 1 proces")
    cold_1 = [measure.cli_batch(example, temp / "uit-1", 1) for _ in range(repeats)]
    progress(f"voorbeeld, koud, {jobs} processen")
    cold_n = [measure.cli_batch(example, temp / "uit-n", jobs) for _ in range(repeats)]
    progress(f"voorbeeld, alleen pdf, koud, {jobs} processen")
    pdf_only = [measure.cli_batch(example, temp / "uit-pdf", jobs, formats=["pdf"]) for _ in range(repeats)]
    progress("voorbeeld, alleen pdf, koud, 1 proces, processortijd van alle processen")
    pdf_cpu_1 = [measure.cli_batch_cpu(example, temp / "uit-pdf-1", 1, formats=["pdf"]) for _ in range(repeats)]
    progress("voorbeeld, één gemeente, build -f pdf, koud")
    build_pdf = [
        measure.cli_build_cpu(example / workspace.EXAMPLE, "leusden", "pdf", temp / "uit-build") for _ in range(repeats)
    ]
    progress("voorbeeld, no-op")
    noop = [measure.cli_batch(example, temp / "uit-n", jobs, cold=False) for _ in range(repeats)]
    progress(f"warm: batch 14×pdf, build -g leusden -f pdf, daarna {warm_builds} builds na elkaar")
    warm_figures = warm_builds_bench.measure_warm(example, temp / "uit-warm", max(repeats, 3), warm_builds)
    progress("voorbeeld, per document")
    example_driver = measure.driver_batch(example, temp / "uit-driver", jobs)
    progress(f"ronde van {dossiers} dossiers")
    round_proposals = workspace.synthetic_round(temp / "ronde", dossiers)
    round_driver = measure.driver_batch(round_proposals, temp / "uit-ronde", jobs)
    progress("ronde, no-op")
    round_noop = measure.cli_batch(round_proposals, temp / "uit-ronde", jobs, cold=False)
    results: dict[str, Any] = {
        "machine": {
            "cpus": os.cpu_count(),
            "jobs": jobs,
            "python": platform.python_version(),
            "python_executable": sys.executable,
            "python_base": sys.base_prefix,
            "weasyprint": metadata.version("weasyprint"),
            "libreoffice": measure.soffice_version() if with_soffice else "overgeslagen",
            "recycle_after": RECYCLE_AFTER,
            "load_before": load_before,
        },
        "example": {
            "documents": example_driver["built"],
            "cold_1": cold_1,
            "cold_1_median": measure.median(cold_1),
            "cold_n": cold_n,
            "cold_n_median": measure.median(cold_n),
            "pdf_only": pdf_only,
            "pdf_only_median": measure.median(pdf_only),
            "pdf_only_1_all_processes": pdf_cpu_1,
            "pdf_only_1_cpu_median": measure.median([cpu for _, cpu in pdf_cpu_1]),
            "pdf_only_1_seconds_median": measure.median([seconds for seconds, _ in pdf_cpu_1]),
            "pdfs": len(list((temp / "uit-pdf-1").rglob("*.pdf"))),
            "build_pdf": build_pdf,
            "build_pdf_seconds_median": measure.median([seconds for seconds, _ in build_pdf]),
            "build_pdf_cpu_median": measure.median([cpu for _, cpu in build_pdf]),
            "noop": noop,
            "noop_median": measure.median(noop),
            "driver": example_driver,
        },
        "warm": warm_figures,
        "round": {
            "dossiers": dossiers,
            "documents": round_driver["built"],
            "driver": round_driver,
            "noop": round_noop,
        },
    }
    if with_soffice and measure.soffice() is not None:
        profile = temp / "lo-profiel"
        example_docx = workspace.docx_files(temp / "uit-n")
        progress("LibreOffice, voorbeeld, vers profiel")
        fresh, _ = measure.soffice_convert(example_docx, temp / "lo-voorbeeld", profile)
        progress("LibreOffice, voorbeeld, warm profiel")
        warm_runs = [measure.soffice_convert(example_docx, temp / "lo-voorbeeld", profile) for _ in range(repeats)]
        warm = [seconds for seconds, _ in warm_runs]
        every_docx = sorted((temp / "uit-n").rglob("*.docx"))  # raadsvoorstel and raadsbesluit: the batch's PDFs
        progress(f"LibreOffice, voorbeeld, alle {len(every_docx)} docx in één aanroep, warm profiel")
        every_runs = [measure.soffice_convert(every_docx, temp / "lo-alle", profile) for _ in range(repeats)]
        round_docx = workspace.docx_files(temp / "uit-ronde")
        progress(f"LibreOffice, ronde ({len(round_docx)} docx)")
        lo_round, lo_round_cpu = measure.soffice_convert(round_docx, temp / "lo-ronde", profile)
        results["libreoffice"] = {
            "example_fresh": fresh,
            "example_warm": warm,
            "example_warm_median": measure.median(warm),
            "example_warm_cpu": [cpu for _, cpu in warm_runs],
            "every_files": len(every_docx),
            "every_seconds_median": measure.median([seconds for seconds, _ in every_runs]),
            "every_cpu_median": measure.median([cpu for _, cpu in every_runs]),
            "round": lo_round,
            "round_cpu": lo_round_cpu,
            "round_files": len(round_docx),
            "portion": measure.LO_PORTION,
        }
    progress("PDF/UA-reparatie, 7 pdf's in dit proces")
    results["pdf_repair"] = pdf_repair.measure(repeats)
    progress.done()
    results["machine"]["load_after"] = os.getloadavg()[0]
    return results


class _Progress:
    """One line per step on stderr, so a long run shows where it is (stdout keeps only the results)."""

    def __init__(self) -> None:
        self.started = time.perf_counter()

    def __call__(self, step: str) -> None:
        print(f"[{time.perf_counter() - self.started:6.1f} s] {step} …", file=sys.stderr, flush=True)

    def done(self) -> None:
        self("klaar")


if __name__ == "__main__":
    main()

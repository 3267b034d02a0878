"""Timing the three things the benchmark compares: the CLI, the batch driver, and LibreOffice.

Every measurement starts a fresh process and times it from the outside (wall clock), the way a user waits
for it; LibreOffice gets the same treatment, with its own temporary profile so that the user's settings
neither help nor hurt it.
"""

from __future__ import annotations

import json
import resource
import shutil
import statistics
import subprocess
import sys
import time
from collections.abc import Sequence
from pathlib import Path
from typing import Any

from bench.workspace import ROOT

#: Files per ``soffice`` call (see ``soffice_convert``).
LO_PORTION = 100


def _batch_command() -> list[str]:
    """The installed ``raadsvoorstel`` script (what users run), or ``python -m generator`` without one."""
    script = Path(sys.executable).with_name("raadsvoorstel")
    return [str(script)] if script.is_file() else [sys.executable, "-m", "generator"]


def _run(command: Sequence[str]) -> tuple[float, subprocess.CompletedProcess[str]]:
    started = time.perf_counter()
    process = subprocess.run(command, cwd=ROOT, capture_output=True, text=True, check=False)
    seconds = time.perf_counter() - started
    if process.returncode != 0:
        raise RuntimeError(f"{' '.join(command)} gaf {process.returncode}:\n{process.stdout}\n{process.stderr}")
    return seconds, process


def cli_batch(proposals: Path, out: Path, jobs: int, *, cold: bool = True, formats: Sequence[str] = ()) -> float:
    """Seconds for ``raadsvoorstel batch``; ``cold`` starts from an empty output folder."""
    if cold:
        shutil.rmtree(out, ignore_errors=True)
    options = [option for fmt in formats for option in ("--format", fmt)]
    command = [*_batch_command(), "batch", str(proposals), "--out", str(out), "--jobs", str(jobs), *options]
    seconds, _ = _run(command)
    return seconds


def cli_batch_cpu(proposals: Path, out: Path, jobs: int, *, formats: Sequence[str] = ()) -> tuple[float, float]:
    """Seconds and processor seconds of a cold ``raadsvoorstel batch``, every process of it counted.

    The workers are children of the forkserver, which outlives the CLI by a moment, so ``/usr/bin/time`` (and
    the CLI's own rusage) misses them. This process becomes a *child subreaper*: whatever the run leaves
    behind is handed to it and reaped here, and each process's processor time reaches ``RUSAGE_CHILDREN``.
    """
    options = [option for fmt in formats for option in ("--format", fmt)]
    return _all_processes(
        [*_batch_command(), "batch", str(proposals), "--out", str(out), "--jobs", str(jobs), *options], out
    )


def cli_build_cpu(dossier: Path, gemeente: str, fmt: str, out: Path) -> tuple[float, float]:
    """Seconds and processor seconds of a cold ``raadsvoorstel build DOSSIER -g GEMEENTE -f FMT``, as a clerk
    builds one municipality's document."""
    return _all_processes([*_batch_command(), "build", str(dossier), "-g", gemeente, "-f", fmt, "--out", str(out)], out)


def _all_processes(command: Sequence[str], out: Path) -> tuple[float, float]:
    """Seconds and processor seconds of ``command`` run from an empty ``out``, every process of it counted."""
    _become_subreaper()
    shutil.rmtree(out, ignore_errors=True)
    cpu_before = _children_cpu()
    started = time.perf_counter()
    _run(command)
    _reap_orphans()
    return time.perf_counter() - started, _children_cpu() - cpu_before


def _become_subreaper() -> None:
    """PR_SET_CHILD_SUBREAPER (Linux): orphaned descendants of this process become its children."""
    import ctypes

    libc = ctypes.CDLL(None, use_errno=True)
    if libc.prctl(36, 1, 0, 0, 0) != 0:  # 36 = PR_SET_CHILD_SUBREAPER
        raise OSError(ctypes.get_errno(), "prctl(PR_SET_CHILD_SUBREAPER)")


def _reap_orphans() -> None:
    """Wait for every process the run left behind (the forkserver and its last workers)."""
    import os

    while True:
        try:
            os.wait()
        except ChildProcessError:
            return


def driver_batch(proposals: Path, out: Path, jobs: int) -> dict[str, Any]:
    """A cold batch in a fresh process, with per-document seconds, CPU and worker memory."""
    shutil.rmtree(out, ignore_errors=True)
    _, process = _run([sys.executable, "-m", "bench.driver", str(proposals), str(out), str(jobs)])
    report: dict[str, Any] = json.loads(process.stdout)
    return report


def soffice() -> str | None:
    return shutil.which("soffice") or shutil.which("libreoffice")


def soffice_version() -> str:
    binary = soffice()
    if binary is None:
        return "niet geïnstalleerd"
    process = subprocess.run([binary, "--version"], capture_output=True, text=True, check=False)
    return " ".join(process.stdout.split()[:2]) or "onbekend"


def soffice_convert(files: Sequence[Path], outdir: Path, profile: Path) -> tuple[float, float]:
    """Seconds and processor seconds for ``soffice --headless --convert-to pdf`` of ``files``, in as few
    processes as it allows.

    LibreOffice 7.4 stops without an error after about 250 files in one call (it converted 247 of 350 here,
    exit code 0), so files go in portions of ``LO_PORTION``, one after the other with the same profile; a
    portion that still comes up short is retried for the missing files, and that time counts too.
    """
    binary = soffice()
    assert binary is not None
    shutil.rmtree(outdir, ignore_errors=True)
    outdir.mkdir(parents=True)
    base = [binary, f"-env:UserInstallation={profile.resolve().as_uri()}", "--headless", "--convert-to", "pdf"]
    total = 0.0
    cpu_before = _children_cpu()
    for start in range(0, len(files), LO_PORTION):
        portion = list(files[start : start + LO_PORTION])
        for _attempt in range(2):
            missing = [f for f in portion if not (outdir / f"{f.stem}.pdf").is_file()]
            if not missing:
                break
            seconds, _ = _run([*base, "--outdir", str(outdir), *map(str, missing)])
            total += seconds
    made = len(list(outdir.glob("*.pdf")))
    if made != len(files):
        raise RuntimeError(f"LibreOffice maakte {made} van {len(files)} PDF's")
    return total, _children_cpu() - cpu_before


def _children_cpu() -> float:
    """Processor seconds of all finished child processes so far (soffice and the soffice.bin it starts)."""
    usage = resource.getrusage(resource.RUSAGE_CHILDREN)
    return usage.ru_utime + usage.ru_stime


def median(values: Sequence[float]) -> float:
    return statistics.median(values)

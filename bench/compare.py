"""``python -m bench.compare REV``: this checkout against an earlier revision, measured in turns.

Why: on a shared machine the same measurement drifts by ±10% from one minute to the next, so two
``make bench`` runs minutes apart cannot show a change of a few percent. Here the two versions (and
LibreOffice, the yardstick) take turns, ``--herhalingen`` rounds of each, and the medians are compared:

- processor time of every process of a cold one-worker PDF batch of the example (as ``make bench``);
- wall time of a cold example batch, DOCX and PDF, two workers;
- LibreOffice converting the same 14 DOCX in one call (processor time and wall time).

The earlier revision is checked out with ``git worktree`` into a temporary folder and run with this
checkout's Python (``PYTHONPATH`` points at the worktree), so only the code differs.
"""

from __future__ import annotations

import argparse
import os
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

from bench import measure, workspace


def _batch(root: Path, proposals: Path, out: Path, jobs: int, formats: list[str]) -> tuple[float, float]:
    """Seconds and processor seconds (every process) of a cold batch with the code under ``root``."""
    shutil.rmtree(out, ignore_errors=True)
    options = [option for fmt in formats for option in ("--format", fmt)]
    env = {**os.environ, "PYTHONPATH": str(root)}
    command = [sys.executable, "-m", "generator", "batch", str(proposals), "--out", str(out), "--jobs", str(jobs)]
    before = measure._children_cpu()
    started = time.perf_counter()
    subprocess.run([*command, *options], cwd=root, env=env, check=True, capture_output=True)
    measure._reap_orphans()
    return time.perf_counter() - started, measure._children_cpu() - before


def main() -> None:
    parser = argparse.ArgumentParser(prog="python -m bench.compare", description=__doc__.splitlines()[0])
    parser.add_argument("revisie", help="de eerdere revisie (bijvoorbeeld een commit of HEAD~3)")
    parser.add_argument("--herhalingen", type=int, default=5, help="rondes per versie (standaard 5)")
    args = parser.parse_args()
    measure._become_subreaper()
    with tempfile.TemporaryDirectory(prefix="raadsvoorstel-vergelijk-") as temp:
        base = Path(temp)
        with workspace.earlier_checkout(args.revisie, base / "eerder") as earlier:
            results = _rounds(base, {"eerder": earlier, "nu": workspace.ROOT}, args.herhalingen)
    print(f"{args.revisie} tegen deze checkout, {args.herhalingen} rondes om beurten, load {os.getloadavg()[0]:.1f}")
    for name, values in results.items():
        shown = " ".join(f"{v:.2f}" for v in values)
        print(f"{name:52} mediaan {statistics.median(values):6.3f}   ({shown})")


def _rounds(base: Path, versions: dict[str, Path], repeats: int) -> dict[str, list[float]]:
    proposals = workspace.example_proposals(base / "voorbeeld")
    results: dict[str, list[float]] = {}

    def add(name: str, value: float) -> None:
        results.setdefault(name, []).append(value)

    for label, root in versions.items():  # warm-up: bytecode compiled, files cached, LibreOffice's profile made
        _batch(root, proposals, base / f"alles-{label}", 2, ["docx", "pdf"])
    docx = sorted((base / "alles-nu").rglob("*.docx"))
    if measure.soffice() is not None:
        measure.soffice_convert(docx, base / "lo", base / "lo-profiel")
    for _ in range(repeats):
        for label, root in versions.items():
            _, cpu = _batch(root, proposals, base / f"pdf-{label}", 1, ["pdf"])
            add(f"{label}: processortijd, koud, 14 pdf, 1 werkproces (s)", cpu)
            seconds, _ = _batch(root, proposals, base / f"alles-{label}", 2, ["docx", "pdf"])
            add(f"{label}: wandtijd, koud, 14 docx + 14 pdf, 2 werkprocessen (s)", seconds)
        if measure.soffice() is not None:
            seconds, cpu = measure.soffice_convert(docx, base / "lo", base / "lo-profiel")
            add("LibreOffice: processortijd, 14 docx in één aanroep (s)", cpu)
            add("LibreOffice: wandtijd, 14 docx in één aanroep (s)", seconds)
    return results


if __name__ == "__main__":
    main()

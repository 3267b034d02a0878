"""Warm builds for ``make bench``: ``build`` and ``batch`` handed to a running ``raadsvoorstel server``.

Measured with the server as a child of this process, so its processor time is read from ``/proc`` before and
after each command (it keeps running) and the client's from ``RUSAGE_CHILDREN``; the two together are what a
warm command costs the machine. Then many builds in a row, with the server's resident memory at the start and
the end (it must stay flat over a long day).

``python -m bench.warm [--builds N]`` runs this part alone on a copy of the example; ``--om-beurten`` measures
cold, warm and LibreOffice in turns, round after round, for figures that compare on a busy machine.
"""

from __future__ import annotations

import argparse
import os
import shutil
import signal
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

from bench import measure, workspace

GEMEENTEN = ("amersfoort", "baarn", "bunschoten", "leusden", "nijkerk", "soest", "woudenberg")


class Server:
    """``raadsvoorstel server PROJECT`` until :meth:`stop`; ready once it printed its line (warmed up)."""

    def __init__(self, project: Path) -> None:
        self.process = subprocess.Popen(
            [*measure._batch_command(), "server", str(project)], stdout=subprocess.PIPE, text=True, cwd=project
        )
        assert self.process.stdout is not None
        line = self.process.stdout.readline()
        if not line.startswith("warme server:"):
            self.stop()
            raise RuntimeError(f"de warme server startte niet: {line!r}")

    def cpu(self) -> float:
        """Processor seconds the server used so far (user + system, from /proc)."""
        fields = Path(f"/proc/{self.process.pid}/stat").read_text().rsplit(")", 1)[1].split()
        return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")

    def rss_mib(self) -> float:
        for line in Path(f"/proc/{self.process.pid}/status").read_text().splitlines():
            if line.startswith("VmRSS:"):
                return int(line.split()[1]) / 1024
        return 0.0

    def stop(self) -> None:
        if self.process.poll() is None:
            self.process.send_signal(signal.SIGTERM)
            self.process.wait(timeout=60)


def _timed(server: Server, command: list[str], cwd: Path) -> tuple[float, float]:
    """Seconds, and processor seconds of client and server together, of one warm command."""
    client_before, server_before = measure._children_cpu(), server.cpu()
    started = time.perf_counter()
    process = subprocess.run(command, cwd=cwd, capture_output=True, text=True, check=False)
    seconds = time.perf_counter() - started
    if process.returncode != 0 or not process.stderr.startswith("bouwpad: warm"):
        raise RuntimeError(f"{' '.join(command)} liep niet warm: {process.returncode}\n{process.stderr}")
    return seconds, measure._children_cpu() - client_before + server.cpu() - server_before


def measure_warm(proposals: Path, out: Path, repeats: int, builds: int) -> dict[str, Any]:
    """Warm batch (14 PDFs), warm single build, and the server's memory over ``builds`` builds."""
    project = proposals.resolve().parent
    script = measure._batch_command()
    server = Server(project)
    try:
        batch: list[tuple[float, float]] = []
        for _ in range(repeats + 1):  # the first warms the dossier's line memory: not counted
            shutil.rmtree(out, ignore_errors=True)
            batch.append(
                _timed(server, [*script, "batch", str(proposals), "--out", str(out), "-j", "1", "-f", "pdf", "-v"],
                       project)
            )  # fmt: skip
        dossier = str(proposals / workspace.EXAMPLE)
        build = [
            _timed(server, [*script, "build", dossier, "-g", "leusden", "-f", "pdf", "--out", str(out), "-v"], project)
            for _ in range(max(repeats, 5))
        ]
        rss_start = server.rss_mib()
        started = time.perf_counter()
        for number in range(builds):
            gemeente = GEMEENTEN[number % len(GEMEENTEN)]
            _timed(server, [*script, "build", dossier, "-g", gemeente, "-f", "pdf", "--out", str(out), "-v"], project)
        long_day = time.perf_counter() - started
        rss_end = server.rss_mib()
    finally:
        server.stop()
    return {
        "batch_pdf_first": batch[0],  # the dossier's line memory still empty in this server
        "batch_pdf": batch[1:],
        "batch_pdf_seconds_median": measure.median([s for s, _ in batch[1:]]),
        "batch_pdf_cpu_median": measure.median([c for _, c in batch[1:]]),
        "build_pdf": build,
        "build_pdf_seconds_median": measure.median([s for s, _ in build]),
        "build_pdf_cpu_median": measure.median([c for _, c in build]),
        "builds": builds,
        "builds_seconds": long_day,
        "rss_start_mib": rss_start,
        "rss_end_mib": rss_end,
    }


def rounds(proposals: Path, temp: Path, repeats: int) -> dict[str, list[float]]:
    """Cold batch, warm batch, cold and warm ``build`` and LibreOffice in turns, ``repeats`` rounds (the machine
    drifts by ±10% from minute to minute, so figures minutes apart do not compare; see ``bench.compare``)."""
    measure._become_subreaper()
    project = proposals.resolve().parent
    script = measure._batch_command()
    dossier = str(proposals / workspace.EXAMPLE)
    found: dict[str, list[float]] = {}

    def add(name: str, value: float) -> None:
        found.setdefault(name, []).append(value)

    measure.cli_batch(proposals, temp / "docx", 2, formats=["docx"])
    docx = sorted((temp / "docx").rglob("*.docx"))  # raadsvoorstel and raadsbesluit: the 14 the batch makes
    if measure.soffice() is not None:
        measure.soffice_convert(docx, temp / "lo", temp / "lo-profiel")  # the profile is made once
    batch = [*script, "batch", str(proposals), "--out", str(temp / "uit"), "-j", "1", "-f", "pdf", "-v"]
    build = [*script, "build", dossier, "-g", "leusden", "-f", "pdf", "--out", str(temp / "uit"), "-v"]
    server = Server(project)
    try:
        shutil.rmtree(temp / "uit", ignore_errors=True)
        _timed(server, batch, project)  # the dossier's line memory, as after the first batch of a day
        for _ in range(repeats):
            shutil.rmtree(temp / "uit", ignore_errors=True)
            add("warm: processortijd batch 14 pdf, client + server (s)", _timed(server, batch, project)[1])
            seconds, cpu = _timed(server, build, project)
            add("warm: wandtijd build -g leusden -f pdf (s)", seconds)
            add("warm: processortijd build, client + server (s)", cpu)
            cold = [*script, "batch", str(proposals), "--out", str(temp / "koud"), "-j", "1", "-f", "pdf", "--koud"]
            _, cpu = measure._all_processes(cold, temp / "koud")
            add("koud: processortijd batch 14 pdf, 1 werkproces, alle processen (s)", cpu)
            seconds, cpu = measure._all_processes([*build[:-1], "--koud"], temp / "koud-build")
            add("koud: wandtijd build -g leusden -f pdf (s)", seconds)
            if measure.soffice() is not None:
                seconds, cpu = measure.soffice_convert(docx, temp / "lo", temp / "lo-profiel")
                add(f"LibreOffice: processortijd, {len(docx)} docx in één aanroep (s)", cpu)
                add(f"LibreOffice: wandtijd, {len(docx)} docx in één aanroep (s)", seconds)
    finally:
        server.stop()
    return found


def main() -> None:
    parser = argparse.ArgumentParser(prog="python -m bench.warm", description=__doc__.splitlines()[0])
    parser.add_argument("--builds", type=int, default=500, help="builds na elkaar voor het geheugen (standaard 500)")
    parser.add_argument("--herhalingen", type=int, default=5, help="herhalingen per meting (standaard 5)")
    parser.add_argument("--om-beurten", action="store_true", help="koud, warm en LibreOffice om beurten")
    args = parser.parse_args()
    with tempfile.TemporaryDirectory(prefix="raadsvoorstel-warm-") as temp:
        proposals = workspace.example_proposals(Path(temp) / "voorbeeld")
        load = os.getloadavg()[0]
        if args.om_beurten:
            results = rounds(proposals, Path(temp), args.herhalingen)
            print(f"{args.herhalingen} rondes om beurten, load {load:.1f} → {os.getloadavg()[0]:.1f}")
            for name, values in results.items():
                shown = " ".join(f"{v:.2f}" for v in values)
                print(f"{name:66} mediaan {statistics.median(values):6.3f}   ({shown})")
            return
        found = measure_warm(proposals, Path(temp) / "uit", args.herhalingen, args.builds)
    found["load_before"], found["load_after"] = load, os.getloadavg()[0]
    for key, value in found.items():
        print(f"{key:28} {value}", file=sys.stdout)


if __name__ == "__main__":
    main()

"""``python -m bench.writers [REVISIE]``: what each writer costs per document, warm, in one process.

Why apart from ``make bench``: a change inside one writer (the DOCX writer's marks, the IR's visitor) moves a
warm document by fractions of a millisecond, far below what a whole batch on a shared machine can show. Here
each format renders the example's seven raadsvoorstellen over and over in one process (the documents built
once, two warm-up rounds first) and the processor time per document is printed: txt, html, odt, docx, pdf.
With ``REVISIE`` the earlier version (``git worktree``, this checkout's Python) and this checkout take turns,
``--herhalingen`` times each, and the medians are compared.
"""

from __future__ import annotations

import argparse
import contextlib
import json
import os
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

FORMATS = ("txt", "html", "odt", "docx", "pdf")
DOSSIER = Path("proposals") / "impuls-sociale-infrastructuur"


def _measure(rounds: int) -> dict[str, float]:
    """Milliseconds of processor time per document and format (median of ``rounds``), in this process."""
    from generator.core.load import documents
    from generator.core.render import load_writer, render

    docs = list(documents(DOSSIER).values())
    out: dict[str, float] = {}
    for fmt in FORMATS:
        load_writer(fmt)
        for _ in range(2):
            for doc in docs:
                render(doc, fmt)
        per_doc = []
        for _ in range(max(1, rounds // 5) if fmt == "pdf" else rounds):
            started = time.process_time()
            for doc in docs:
                render(doc, fmt)
            per_doc.append((time.process_time() - started) / len(docs) * 1000)
        out[fmt] = statistics.median(per_doc)
    return out


def _run(root: Path, rounds: int) -> dict[str, float]:
    """:func:`_measure` in a fresh process with the code under ``root``."""
    env = {**os.environ, "PYTHONPATH": str(root)}
    command = [sys.executable, str(Path(__file__).resolve()), "--meet", str(rounds)]
    done = subprocess.run(command, cwd=root, env=env, check=True, capture_output=True, text=True)
    result: dict[str, float] = json.loads(done.stdout.strip().splitlines()[-1])
    return result


def main() -> None:
    parser = argparse.ArgumentParser(prog="python -m bench.writers", description=__doc__.splitlines()[0])
    parser.add_argument("revisie", nargs="?", help="een eerdere revisie om mee te vergelijken (bijvoorbeeld HEAD~1)")
    parser.add_argument("--herhalingen", type=int, default=3, help="rondes per versie (standaard 3)")
    parser.add_argument("--rondes", type=int, default=15, help="metingen per formaat in één proces (standaard 15)")
    parser.add_argument("--meet", type=int, help=argparse.SUPPRESS)  # the measuring child process
    args = parser.parse_args()
    if args.meet is not None:
        print(json.dumps(_measure(args.meet)))
        return
    from bench import workspace

    results: dict[str, dict[str, list[float]]] = {}
    with tempfile.TemporaryDirectory(prefix="raadsvoorstel-schrijvers-") as temp, contextlib.ExitStack() as stack:
        versions = {"nu": workspace.ROOT}
        if args.revisie:
            earlier = stack.enter_context(workspace.earlier_checkout(args.revisie, Path(temp) / "eerder"))
            versions = {"eerder": earlier, **versions}
        for _ in range(args.herhalingen):
            for label, root in versions.items():
                for fmt, value in _run(root, args.rondes).items():
                    results.setdefault(fmt, {}).setdefault(label, []).append(value)
    print(f"processortijd per document, warm (ms), mediaan van {args.herhalingen}, load {os.getloadavg()[0]:.1f}")
    for fmt, by_version in results.items():
        shown = "   ".join(f"{label} {statistics.median(values):8.2f}" for label, values in by_version.items())
        print(f"{fmt:5} {shown}")


if __name__ == "__main__":
    main()

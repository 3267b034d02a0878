"""One batch in a fresh process, reported as JSON: ``python -m bench.driver PROPOSALS OUT JOBS [FORMAT…]``.

Why a separate process: a batch's start-up (imports, the forkserver loading WeasyPrint) is part of what a
user waits for, and it happens once per process; measuring in the benchmark's own process would hide it.
The CLI prints no per-document figures, so this driver calls the same ``run_batch`` and prints them.
"""

from __future__ import annotations

import json
import resource
import sys
import time

T0 = time.perf_counter()

from pathlib import Path  # noqa: E402  (the clock starts before the imports on purpose)


def main(argv: list[str]) -> None:
    # Imported here, not above: each worker process imports this module again (as multiprocessing's
    # ``__mp_main__``), and only ``run_batch`` needs planning, progress and the manifest.
    from generator.batch import run_batch

    proposals, out, jobs, *formats = argv
    summary = run_batch(Path(proposals), Path(out), tuple(formats) or ("docx", "pdf"), jobs=int(jobs))
    documents = [
        {
            "format": job.fmt,
            "seconds": result.seconds,
            "cpu_seconds": result.cpu_seconds,
            "max_rss_kib": result.max_rss_kib,
            "pid": result.pid,
        }
        for job, result in summary.results
    ]
    report = {
        "seconds": time.perf_counter() - T0,
        "parent_cpu_seconds": _own_cpu(),
        "built": summary.built,
        "skipped": summary.skipped,
        "failed": summary.failed,
        "documents": documents,
    }
    json.dump(report, sys.stdout)


def _own_cpu() -> float:
    """Processor time of this process alone (planning, validation, scheduling), not of its workers."""
    usage = resource.getrusage(resource.RUSAGE_SELF)
    return usage.ru_utime + usage.ru_stime


if __name__ == "__main__":
    main(sys.argv[1:])

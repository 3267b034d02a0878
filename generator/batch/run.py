"""``run_batch``: lock, clean up, plan, then validate and render what is out of date (see the package docs)."""

from __future__ import annotations

import contextlib
import os
import signal
import time
from collections.abc import Sequence
from pathlib import Path

from generator.batch import interrupts
from generator.batch.lifeline import RunGuard
from generator.batch.lock import OutputLock
from generator.batch.manifest import InputHasher, Manifest
from generator.batch.plan import Job, make_plan, registry_formats
from generator.batch.progress import NullReporter, Reporter
from generator.batch.schedule import RENDER_HERE, RENDER_HERE_MAX, InlinePools, Pools, Scheduler, Summary
from generator.batch.startup import resume_collection
from generator.batch.worker import Failed
from generator.core.output import TEMP_PREFIX
from generator.errors import OutputError, UsageError, os_message
from generator.writers import DEFAULT_FORMATS, FORMATS
from generator.writers.templatefiles import Templates

__all__ = ["DEFAULT_FORMATS", "Job", "Summary", "remove_temp_files", "run_batch"]

def run_batch(
    proposals: Path,
    out: Path,
    formats: Sequence[str] | None = None,
    jobs: int | None = None,
    force: bool = False,
    templates: Templates | None = None,
    reporter: Reporter | None = None,
) -> Summary:
    """Build every out-of-date output of every dossier below ``proposals`` into ``out``.

    Returns the summary; a run stopped by Ctrl-C or SIGTERM returns with ``interrupted_by`` set after saving
    what was finished. Raises :class:`OutputError` when another batch holds the output folder. Without
    ``templates``, the project's ``templates/`` beside ``proposals`` overrides the package's defaults. Without
    ``formats``, each municipality gets what the registry's ``formaten`` asks for, else docx and pdf.
    """
    templates = templates or Templates.for_project(proposals.resolve().parent)
    started = time.perf_counter()
    report = reporter or NullReporter()
    per_gemeente = registry_formats(proposals) if not formats and proposals.is_dir() else {}
    chosen: tuple[str, ...] | dict[str, tuple[str, ...]] = (
        tuple(dict.fromkeys(formats)) if formats else {**per_gemeente}
    )
    wanted = tuple(dict.fromkeys(formats)) if formats else tuple(
        dict.fromkeys([*DEFAULT_FORMATS, *(f for fs in per_gemeente.values() for f in fs)])
    )  # every format any municipality gets: the workers load these writers
    unknown = [f for f in wanted if f not in FORMATS]
    if unknown:
        raise UsageError(f"onbekend formaat: {', '.join(unknown)}; kies uit {', '.join(FORMATS)}")
    if not proposals.is_dir():
        raise UsageError(f"map {proposals} bestaat niet")
    summary = Summary(workers=max(1, jobs or os.cpu_count() or 1))
    try:
        out.mkdir(parents=True, exist_ok=True)
    except OSError as exc:
        raise OutputError(f"kan de uitvoermap niet aanmaken: {os_message(exc)}") from exc
    with OutputLock(out) as lock, interrupts.recording():
        summary.cleaned = remove_temp_files(out)
        manifest = Manifest.load(out)
        report.prepared(summary.cleaned, manifest.damaged)
        pools = Pools(summary.workers, wanted)
        here = RENDER_HERE.get()  # a warm server: workers only for a big plan, decided once the plan is made
        hasher = InputHasher(proposals, templates)
        plan = make_plan(
            proposals, out.resolve(), chosen, hasher, manifest, force, on_work=(lambda: None) if here else pools.start
        )
        summary.skipped = plan.skipped
        total = sum(len(j) for j in plan.todo.values()) + len(plan.refused)
        report.start(total, plan.skipped, len(plan.todo), summary.workers if total else 0)
        for job, message in plan.refused:
            summary.failed += 1
            report.failed(job, Failed(message))
        try:
            interrupts.check()  # a Ctrl-C while starting, validating or planning: stop as during the run
            if plan.todo:
                guard = RunGuard(str(lock.path), lock.token)
                if here and total <= RENDER_HERE_MAX:
                    pools = InlinePools(wanted)
                Scheduler(plan, templates, pools, summary, manifest, report, out, guard).run()
            interrupts.check()
        except KeyboardInterrupt:
            summary.interrupted_by = interrupts.requested() or signal.SIGINT
            interrupts.reset()
        finally:
            resume_collection()  # a run that validated nothing (see batch.startup.pause_collection)
            manifest.prune(out)
            manifest.save(out)
            summary.seconds = time.perf_counter() - started
            report.stop()
    report.summary(summary)
    return summary


def remove_temp_files(out: Path) -> int:
    """Delete the temporary files that an interrupted atomic write can leave below ``out``."""
    removed = 0
    for folder, _dirs, files in os.walk(out):
        for name in files:
            if name.startswith(TEMP_PREFIX):
                with contextlib.suppress(FileNotFoundError):
                    (Path(folder) / name).unlink()
                    removed += 1
    return removed

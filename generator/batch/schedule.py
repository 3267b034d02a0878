"""Running a plan: validate dossier after dossier here, render in worker processes, record what was written.

Worker processes come from a *forkserver* that imports the writers once (``import weasyprint`` alone costs
about half a second to a second), so starting or replacing a worker costs a fork, not an import. The
forkserver is started as soon as the plan finds work, so its imports overlap with planning and validation.

Workers are recycled by replacing the pool every ``RECYCLE_AFTER`` documents per worker (a long-lived
WeasyPrint process keeps growing slowly with every document); the old pool finishes its last few documents
while the new one starts, so no core waits. ``ProcessPoolExecutor(max_tasks_per_child=…)`` is not used: on
Python 3.11–3.13 it can hang once a worker retires (CPython gh-115634).
"""

from __future__ import annotations

import multiprocessing
from collections import deque
from concurrent.futures import FIRST_COMPLETED, Future, ProcessPoolExecutor, wait
from concurrent.futures.process import BrokenProcessPool
from dataclasses import dataclass, field
from multiprocessing import forkserver
from pathlib import Path
from typing import Any

from generator.batch.lifeline import RunGuard, mark_batch
from generator.batch.manifest import Entry, Manifest
from generator.batch.plan import Job, Plan
from generator.batch.progress import Reporter
from generator.batch.worker import Failed, Rendered, init_worker, preload_modules, render
from generator.document.nodes import Document
from generator.errors import DataError, GeneratorError, Problem
from generator.sources.dossier import find_dossier
from generator.writers.templatefiles import Templates

#: Documents per worker before its pool is replaced: rarely enough that warming a new worker's caches costs
#: little, often enough that a worker stays far below the 200 MB budget (``make bench`` reports the peak).
RECYCLE_AFTER = 250
#: Documents handed to the pool per worker at a time (one rendering, one waiting).
IN_FLIGHT = 2


@dataclass
class Summary:
    """What a run did; ``results`` holds each written file's cost (for ``bench``)."""

    built: int = 0
    skipped: int = 0
    failed: int = 0
    warnings: int = 0
    cleaned: int = 0
    workers: int = 0
    seconds: float = 0.0
    interrupted_by: int | None = None  # the signal that stopped the run
    failed_dossiers: list[str] = field(default_factory=list)
    results: list[tuple[Job, Rendered]] = field(default_factory=list)
    #: Per "dossier/gemeente" validated in this run: the places that still say INVULLEN, with file and line.
    placeholders: dict[str, tuple[Problem, ...]] = field(default_factory=dict)

    @property
    def ok(self) -> bool:
        return not self.failed and not self.failed_dossiers and self.interrupted_by is None


class Scheduler:
    """Validate dossier after dossier in this process while worker processes render what is ready.

    At most ``IN_FLIGHT`` × workers documents are handed to the pool at a time: enough that no worker waits
    while this process validates the next dossier, few enough that a pool is replaced when its quota of
    documents has really been rendered (not merely queued) and that Ctrl-C drops the rest at once.
    """

    def __init__(
        self,
        plan: Plan,
        templates: Templates,
        pools: Pools,
        summary: Summary,
        manifest: Manifest,
        report: Reporter,
        out: Path,
        guard: RunGuard | None = None,
    ) -> None:
        self.plan = plan
        self.guard = guard
        self.templates = templates
        self.summary = summary
        self.manifest = manifest
        self.report = report
        self.out = out
        self.pools = pools
        self.limit = IN_FLIGHT * pools.workers
        self.ready: deque[tuple[Job, Document]] = deque()
        self.pending: dict[Future[Rendered | Failed], Job] = {}

    def run(self) -> None:
        try:
            for folder, jobs in self.plan.todo.items():
                documents = self._validate(folder, jobs)
                if documents is not None:
                    for job in jobs:
                        self._ready(job, documents)
                self._pump(block=False)
            while self.ready or self.pending:
                self._pump(block=True)
        except KeyboardInterrupt:
            self.ready.clear()
            self.pools.close(cancel=True)  # running documents finish (they are short), queued ones are dropped
            self._pump(block=False)
            raise
        finally:
            self.pools.close(cancel=True)

    def _validate(self, folder: Path, jobs: list[Job]) -> dict[tuple[str, str], Document] | None:
        from generator import api  # imported only when there is work: a no-op run never loads the models

        """The dossier's documents for these jobs, or None after reporting why the dossier fails."""
        gemeenten = sorted({j.gemeente for j in jobs})
        message = None
        problems: tuple[Problem, ...] = ()
        try:
            tree, slug = find_dossier(folder)
            loaded, problems = api.load(tree, slug, gemeenten)  # logos: per document, in the worker
            report = api.Report(problems)
            self.summary.warnings += len(report.warnings)
            for gemeente, found in loaded.placeholders.items():
                self.summary.placeholders[f"{folder.name}/{gemeente}"] = found
            if report.ok():
                kinds = {j.kind for j in jobs}
                return {(kind, slug): doc for kind in kinds for slug, doc in loaded.of_kind(kind).items()}
            problems = report.errors
        except GeneratorError as exc:
            problems = exc.problems if isinstance(exc, DataError) else ()
            message = None if problems else str(exc)
        except Exception as exc:  # a bug in validation must not stop the other dossiers
            message = f"interne fout: {type(exc).__name__}: {exc}"
        self.summary.failed += len(jobs)
        self.summary.failed_dossiers.append(folder.name)
        self.report.dossier_failed(folder.name, problems, message, len(jobs))
        return None

    def _ready(self, job: Job, documents: dict[tuple[str, str], Document]) -> None:
        document = documents.get((job.kind, job.gemeente))
        if document is None:
            self._failed(job, Failed(f"geen document voor {job.gemeente} (zie de meldingen hierboven)"))
        elif document.dossier != job.dossier or document.municipality_slug != job.gemeente:
            self._failed(job, Failed(f"document hoort bij {document.dossier}/{document.municipality_slug}"))
        else:
            self.ready.append((job, document))

    def _pump(self, block: bool) -> None:
        """Take in finished documents (with ``block``, wait for at least one), then top the pool up."""
        if self.pending:
            done, _ = wait(self.pending, timeout=None if block else 0, return_when=FIRST_COMPLETED)
            for future in done:
                self._take(self.pending.pop(future), future)
        while self.ready and len(self.pending) < self.limit:
            job, document = self.ready.popleft()
            future = self.pools.submit(render, document, job.fmt, str(job.target), self.templates, self.guard)
            self.pending[future] = job

    def _take(self, job: Job, future: Future[Rendered | Failed]) -> None:
        if future.cancelled():
            return
        try:
            result = future.result()
        except BrokenProcessPool:
            self.pools.broken()
            result = Failed("het werkproces stopte onverwacht (te weinig geheugen of een crash)")
        except Exception as exc:  # e.g. a document that cannot be pickled
            result = Failed(f"interne fout: {type(exc).__name__}: {exc}")
        if isinstance(result, Rendered):
            self._built(job, result)
        else:
            self._failed(job, result)

    def _built(self, job: Job, result: Rendered) -> None:
        entry = Entry(
            job.dossier, job.gemeente, job.fmt, job.inputs, result.sha256, result.size, job.input_sha256, job.kind
        )
        self.manifest.record(self.out, job.key, entry)  # in the journal at once: a crash loses no finished file
        self.summary.built += 1
        self.summary.results.append((job, result))
        self.report.done(job, result)

    def _failed(self, job: Job, failure: Failed) -> None:
        self.summary.failed += 1
        self.report.failed(job, failure)


class Pools:
    """Worker pools forked from one forkserver; the current pool is replaced every ``RECYCLE_AFTER`` × workers."""

    def __init__(self, workers: int, formats: tuple[str, ...]) -> None:
        self.workers = workers
        self.context = multiprocessing.get_context("forkserver")
        self.context.set_forkserver_preload(preload_modules(formats))
        self.formats = formats
        self.current: ProcessPoolExecutor | None = None
        self.retired: list[ProcessPoolExecutor] = []
        self.submitted = 0
        self.started = False

    def start(self) -> None:
        """Start the forkserver now, so its imports overlap with planning and validation in this process."""
        if not self.started:
            mark_batch()
            forkserver.ensure_running()
            self.started = True

    def submit(self, fn: Any, *args: Any) -> Future[Any]:
        if self.current is None or self.submitted >= self.workers * RECYCLE_AFTER:
            self._replace()
        assert self.current is not None
        try:
            future = self.current.submit(fn, *args)
        except BrokenProcessPool:
            self._replace()
            assert self.current is not None
            future = self.current.submit(fn, *args)
        self.submitted += 1
        return future

    def broken(self) -> None:
        """A worker died: the next document goes to a fresh pool."""
        self.submitted = self.workers * RECYCLE_AFTER

    def _replace(self) -> None:
        if self.current is not None:
            self.current.shutdown(wait=False)  # it finishes its queue; its workers then exit
            self.retired.append(self.current)
        self.current = ProcessPoolExecutor(
            self.workers, mp_context=self.context, initializer=init_worker, initargs=(self.formats,)
        )
        self.submitted = 0

    def close(self, cancel: bool) -> None:
        pools = [*self.retired, *([self.current] if self.current is not None else [])]
        self.retired, self.current = [], None
        for pool in pools:
            pool.shutdown(wait=True, cancel_futures=cancel)

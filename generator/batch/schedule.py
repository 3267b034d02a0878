"""Running a plan: validate dossier after dossier here, render in worker processes, record what was written.

Worker processes come from a *forkserver* that imports the writers once (``import weasyprint`` alone costs
about half a second to a second), so starting or replacing a worker costs a fork, not an import. The
forkserver is started as soon as the plan finds work, so its imports overlap with planning and validation.

Each worker is a *lane*: a pool of one process, so the scheduler decides which worker gets which document.
It keeps a worker on one dossier (``choose_dossier``): the PDF writer remembers WeasyPrint's line breaks
across the documents of a dossier (``writers/pdf/speed.py``), and a worker that moves to another dossier
forgets them. Two workers share a dossier only when no other dossier is waiting, so no core idles.

A lane is recycled by replacing its pool every ``RECYCLE_AFTER`` documents (a long-lived WeasyPrint process
keeps growing slowly with every document); the old pool finishes its last documents while the new one
starts. ``ProcessPoolExecutor(max_tasks_per_child=…)`` is not used: on Python 3.11–3.13 it can hang once a
worker retires (CPython gh-115634).
"""

from __future__ import annotations

import multiprocessing
from collections import deque
from collections.abc import Mapping, Sequence
from concurrent.futures import FIRST_COMPLETED, Future, ProcessPoolExecutor, wait
from concurrent.futures.process import BrokenProcessPool
from contextvars import ContextVar
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from generator.batch import interrupts
from generator.batch.lifeline import RunGuard
from generator.batch.manifest import Entry, Manifest
from generator.batch.plan import Job, Plan
from generator.batch.progress import Reporter
from generator.batch.startup import resume_collection, start_forkserver
from generator.batch.worker import Failed, Rendered, init_worker, render
from generator.document.nodes import Document
from generator.errors import DataError, GeneratorError, Problem
from generator.sources.dossier import find_dossier
from generator.writers.templatefiles import Templates

#: Documents per worker before its pool is replaced: rarely enough that warming a new worker's caches costs
#: little, often enough that a worker stays far below the 200 MB budget (``make bench`` reports the peak).
RECYCLE_AFTER = 250
#: Documents handed to a worker at a time (one rendering, one waiting).
IN_FLIGHT = 2


def choose_dossier(lane: int, current: Sequence[str | None], waiting: Mapping[str, int]) -> str | None:
    """The dossier whose next document worker ``lane`` takes, or None when no document is waiting.

    ``current[i]`` is the dossier worker ``i`` took its last document from (its line memory), ``waiting`` the
    documents ready per dossier, in plan order. In this order: its own dossier, when no other worker is on it;
    the first dossier no worker is on; its own dossier, shared; the dossier with the most documents waiting
    (a worker helps another rather than idle, and then builds that dossier's memory a second time).
    """
    ready = [dossier for dossier, count in waiting.items() if count > 0]
    if not ready:
        return None
    mine = current[lane]
    others = {dossier for i, dossier in enumerate(current) if i != lane and dossier is not None}
    if mine in ready and mine not in others:
        return mine
    free = [dossier for dossier in ready if dossier not in others]
    if free:
        return free[0]
    if mine in ready:
        return mine
    return max(ready, key=lambda dossier: waiting[dossier])


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
    reproduced: int = 0  # frozen documents (aangeboden, vastgesteld) copied byte for byte from the dossier's archive
    failed_dossiers: list[str] = field(default_factory=list)
    results: list[tuple[Job, Rendered]] = field(default_factory=list)
    #: Per "dossier/gemeente" validated in this run: the places that still say INVULLEN, with file and line.
    placeholders: dict[str, tuple[Problem, ...]] = field(default_factory=dict)

    @property
    def ok(self) -> bool:
        return not self.failed and not self.failed_dossiers and self.interrupted_by is None


class Scheduler:
    """Validate dossier after dossier in this process while worker processes render what is ready.

    At most ``IN_FLIGHT`` documents are handed to each worker at a time: enough that no worker waits while this
    process validates the next dossier, few enough that a worker is replaced when its quota of documents has
    really been rendered (not merely queued), that Ctrl-C drops the rest at once, and that the choice of
    worker for a document is made when the worker is nearly free.
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
        self.ready: dict[str, deque[tuple[Job, Document]]] = {}  # per dossier, in plan order
        self.pending: dict[Future[Rendered | Failed], tuple[Job, int]] = {}  # → the job and its worker
        self.frozen = FrozenRound()  # documents an offered or adopted status froze (the dossier's archive)

    def run(self) -> None:
        try:
            for folder, jobs in self.plan.todo.items():
                interrupts.check()
                documents = self._validate(folder, jobs)
                if documents is not None:
                    for job in jobs:
                        self._ready(job, documents)
                self._pump(block=False)
            while self._waiting() or self.pending:
                interrupts.check()  # a recorded Ctrl-C or SIGTERM stops the run here (see batch.interrupts)
                self._pump(block=True)
        except KeyboardInterrupt:
            self.ready.clear()
            self.pools.close(cancel=True)  # running documents finish (they are short), queued ones are dropped
            self._pump(block=False)
            raise
        finally:
            self.pools.close(cancel=True)

    def _validate(self, folder: Path, jobs: list[Job]) -> dict[tuple[str, str], Document] | None:
        from generator.core import load as core  # only when there is work: a no-op run never loads the models
        from generator.core.report import Report

        """The dossier's documents for these jobs, or None after reporting why the dossier fails."""
        gemeenten = sorted({j.gemeente for j in jobs})
        message = None
        problems: tuple[Problem, ...] = ()
        try:
            tree, slug = find_dossier(folder)
            try:
                loaded, problems = core.load(tree, slug, gemeenten)  # logos: per document, in the worker
            finally:
                resume_collection()  # the models and checks are imported: start-up is over
            report = Report(problems)
            self.summary.warnings += len(report.warnings)
            for gemeente, found in loaded.placeholders.items():
                self.summary.placeholders[f"{folder.name}/{gemeente}"] = found
            self.frozen.add(folder, loaded.sets)
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
        elif (archived := self._archived(job)) is not None:
            if archived:
                self._reproduce(job, archived)
        else:
            self.ready.setdefault(job.dossier, deque()).append((job, document))

    def _archived(self, job: Job) -> bytes | None:
        """The archived bytes of a frozen document; b"" after reporting a damaged archive; None: render it."""
        try:
            return self.frozen.archived(job)
        except GeneratorError as exc:
            self._failed(job, Failed(str(exc)))
            return b""

    def _reproduce(self, job: Job, data: bytes) -> None:
        """A frozen document: its archived bytes, written here (no worker renders it again)."""
        import hashlib

        from generator.core.output import write_atomic

        try:
            write_atomic(job.target, data)
        except GeneratorError as exc:
            self._failed(job, Failed(str(exc)))
            return
        digest = hashlib.sha256(data).hexdigest()
        entry = Entry(job.dossier, job.gemeente, job.fmt, job.inputs, digest, len(data), job.input_sha256, job.kind)
        self.manifest.record(self.out, job.key, entry)
        self.summary.reproduced += 1

    def _waiting(self) -> dict[str, int]:
        return {dossier: len(queue) for dossier, queue in self.ready.items() if queue}

    def _pump(self, block: bool) -> None:
        """Take in finished documents (with ``block``, wait for one, at most ``interrupts.POLL_SECONDS`` so a
        stop request is seen), then top the workers up: the emptiest first, each with a document of the dossier
        ``choose_dossier`` picks for it."""
        if self.pending:
            timeout = interrupts.POLL_SECONDS if block else 0
            done, _ = wait(self.pending, timeout=timeout, return_when=FIRST_COMPLETED)
            for future in done:
                job, lane = self.pending.pop(future)
                self._take(job, lane, future)
        lanes = self.pools.lanes
        while True:
            handed = [0] * len(lanes)  # per worker: documents handed out and not yet taken back
            for _job, lane in self.pending.values():
                handed[lane] += 1
            free = [i for i in range(len(lanes)) if handed[i] < IN_FLIGHT]
            waiting = self._waiting()
            if not free or not waiting:
                return
            index = min(free, key=lambda i: handed[i])
            dossier = choose_dossier(index, [lane.dossier for lane in lanes], waiting)
            assert dossier is not None
            job, document = self.ready[dossier].popleft()
            future = self.pools.submit(index, render, document, job.fmt, str(job.target), self.templates, self.guard)
            lanes[index].dossier = dossier  # after submit: a recycled worker starts with an empty memory
            self.pending[future] = (job, index)

    def _take(self, job: Job, lane: int, future: Future[Rendered | Failed]) -> None:
        if future.cancelled():
            return
        try:
            result = future.result()
        except BrokenProcessPool:
            self.pools.broken(lane)
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
        try:
            self.frozen.built(job)
        except (GeneratorError, OSError) as exc:  # the file is written; only its place in the archive failed
            self.report.failed(job, Failed(f"niet bevroren in het archief van het dossier: {exc}"))
        self.summary.built += 1
        self.summary.results.append((job, result))
        self.report.done(job, result)

    def _failed(self, job: Job, failure: Failed) -> None:
        self.summary.failed += 1
        self.report.failed(job, failure)


class FrozenRound:
    """The frozen documents of a round: looked up only for municipalities past concept (a cold round of concepts
    pays one status comparison per document), their archives opened once per municipality."""

    def __init__(self) -> None:
        self.sets: dict[tuple[str, str], tuple[Path, Any]] = {}  # (dossier, gemeente) → (folder, DocumentSet)
        self.archives: dict[tuple[str, str], Any] = {}

    def add(self, folder: Path, sets: Mapping[str, Any]) -> None:
        past_concept = {slug: found for slug, found in sets.items() if found.status != "concept"}
        if not past_concept:
            return  # a concept is never frozen: no need to import the archive (4 ms in a cold batch)
        from generator.core.archive import FREEZING

        for slug, found in past_concept.items():
            if found.status in FREEZING:
                self.sets[(folder.name, slug)] = (folder, found)

    def _archive(self, job: Job) -> tuple[Any, Any] | None:
        known = self.sets.get((job.dossier, job.gemeente))
        if known is None:
            return None
        folder, found = known
        if (job.dossier, job.gemeente) not in self.archives:
            from generator.core.archive import Archive

            self.archives[(job.dossier, job.gemeente)] = Archive.open(folder, job.gemeente)
        return self.archives[(job.dossier, job.gemeente)], found

    def archived(self, job: Job) -> bytes | None:
        """The archived bytes of a frozen document in the job's format; None: render it."""
        known = self._archive(job)
        if known is None:
            return None
        archive, found = known
        if archive.frozen(job.kind, found.status) is None:
            return None
        from generator.core.frozen import frozen_changed
        from generator.errors import OutputError

        if frozen_changed(archive, found.status, job.kind, job.fmt, found.get(job.kind)):
            raise OutputError(
                f"niet geschreven: bevroren {job.kind} van {job.gemeente}: {job.fmt} staat niet in het archief en de "
                "tekst is veranderd (zie raadsvoorstel validate)"
            )
        data: bytes | None = archive.file_bytes(job.kind, job.fmt)
        return data

    def built(self, job: Job) -> None:
        """After a worker wrote a document that its status freezes: record it in the archive."""
        known = self._archive(job)
        if known is None:
            return
        from generator.core.frozen import record_frozen

        archive, found = known
        record_frozen(archive, found, job.kind, found.get(job.kind), {job.fmt: job.target.read_bytes()})


@dataclass
class Lane:
    """One worker: its pool of one process, how many documents that pool took, and the dossier it works through."""

    pool: ProcessPoolExecutor | None = None
    submitted: int = 0  # documents handed to the current pool (it is replaced after RECYCLE_AFTER)
    dossier: str | None = None  # the dossier of its last document: the one whose line memory it holds


class Pools:
    """One single-process pool per worker (a lane), all forked from one forkserver; each is replaced after
    ``RECYCLE_AFTER`` documents."""

    def __init__(self, workers: int, formats: tuple[str, ...]) -> None:
        self.workers = workers
        self.context = multiprocessing.get_context("forkserver")
        self.formats = formats
        self.lanes = [Lane() for _ in range(workers)]
        self.retired: list[ProcessPoolExecutor] = []
        self.started = False

    def start(self) -> None:
        """Start the forkserver now, so its imports overlap with planning and validation in this process (a cold
        run's may be running already: ``startup.start_early``)."""
        if not self.started:
            start_forkserver(self.formats)
            self.started = True

    def submit(self, lane: int, fn: Any, *args: Any) -> Future[Any]:
        """Hand ``fn(*args)`` to worker ``lane``."""
        chosen = self.lanes[lane]
        if chosen.pool is None or chosen.submitted >= RECYCLE_AFTER:
            self._replace(chosen)
        assert chosen.pool is not None
        try:
            future = chosen.pool.submit(fn, *args)
        except BrokenProcessPool:
            self._replace(chosen)
            assert chosen.pool is not None
            future = chosen.pool.submit(fn, *args)
        chosen.submitted += 1
        return future

    def broken(self, lane: int) -> None:
        """Worker ``lane`` died: its next document goes to a fresh process (with an empty line memory)."""
        self.lanes[lane].submitted = RECYCLE_AFTER
        self.lanes[lane].dossier = None

    def _replace(self, lane: Lane) -> None:
        if lane.pool is not None:
            lane.pool.shutdown(wait=False)  # it finishes its queue; its worker then exits
            self.retired.append(lane.pool)
        lane.pool = ProcessPoolExecutor(1, mp_context=self.context, initializer=init_worker, initargs=(self.formats,))
        lane.submitted = 0
        lane.dossier = None  # a new process remembers nothing

    def close(self, cancel: bool) -> None:
        pools = [*self.retired, *(lane.pool for lane in self.lanes if lane.pool is not None)]
        self.retired = []
        for lane in self.lanes:
            lane.pool = None
        for pool in pools:
            pool.shutdown(wait=True, cancel_futures=cancel)


#: Set by a warm server (``generator.warm.server``) while it runs a request: a small plan is rendered in that
#: process, whose writers, fonts and line memories are warm, instead of in freshly forked workers.
RENDER_HERE: ContextVar[bool] = ContextVar("raadsvoorstel_render_here", default=False)
#: Documents up to which a warm batch renders in its own process; a bigger round goes to worker processes,
#: which use every core.
RENDER_HERE_MAX = 64


class InlinePools(Pools):
    """One "worker" that is this process: a document is rendered when it is handed over (a warm server's batch).

    The scheduler works unchanged: it hands out a document, and finds its result ready when it next looks.
    """

    def __init__(self, formats: tuple[str, ...]) -> None:
        super().__init__(1, formats)

    def start(self) -> None: ...

    def submit(self, lane: int, fn: Any, *args: Any) -> Future[Any]:
        future: Future[Any] = Future()
        try:
            future.set_result(fn(*args))
        except Exception as exc:  # render returns failures as values; anything else is reported like a worker's
            future.set_exception(exc)
        self.lanes[lane].submitted += 1
        return future

    def close(self, cancel: bool) -> None: ...

"""The worker-process half of a batch: render one document to one file, and keep the expensive set-up warm.

Why a module of its own: it is what the worker processes run, and it imports writers only by name (through
the registry), so the main process, which only plans, validates and schedules, never pays for
``import weasyprint``.

Workers are forked from a *forkserver* that has imported the writers once (see ``startup.preload_modules``), so a new
or recycled worker starts with WeasyPrint, python-docx and the templates machinery already in memory, and
caches (fonts, parsed stylesheets, the Jinja environment) are then filled by its first document and kept for
the rest of its life. A worker writes its file itself (atomically) and sends back only hashes and timings,
so documents never travel back through a pipe.
"""

from __future__ import annotations

import contextlib
import gc
import hashlib
import multiprocessing
import os
import resource
import signal
import sys
import time
import traceback
from dataclasses import dataclass
from multiprocessing import spawn
from pathlib import Path

from generator.batch.lifeline import RunGuard, die_with_parent, in_forkserver
from generator.batch.startup import MAIN_PATH_ENV
from generator.core.output import write_atomic
from generator.core.render import load_writer
from generator.core.render import render as render_document
from generator.document.nodes import Document
from generator.errors import GeneratorError
from generator.writers import FORMATS
from generator.writers.images import check_logo
from generator.writers.templatefiles import Templates


def _import_main() -> None:
    """Run at import: in the forkserver, import the batch's main script as multiprocessing will in each worker
    (as ``__mp_main__``, so its ``if __name__ == "__main__"`` block does not run); a worker then finds it done.
    The path comes from ``startup.mark_main``."""
    path = os.environ.get(MAIN_PATH_ENV)
    if not path or not in_forkserver() or getattr(sys.modules["__main__"], "__file__", None) == path:
        return
    # As CPython's forkserver and workers do: a script that starts processes while it is being imported (no
    # ``if __name__ == "__main__"``) gets multiprocessing's "bootstrapping phase" error instead of a batch.
    current = multiprocessing.current_process()
    current._inheriting = True  # type: ignore[attr-defined]
    try:
        with contextlib.suppress(Exception):  # each worker imports it again and reports what goes wrong there
            spawn.import_main_path(path)
    finally:
        del current._inheriting  # type: ignore[attr-defined]


def _prepare_writers() -> None:
    """Run at import: in the forkserver, have each writer it imported before this module do now what it would
    do in every worker's first document (its ``prepare``: the PDF writer checks the fingerprints of its speed
    levers and puts them in, 8 ms), so the workers inherit the result."""
    if not in_forkserver():
        return
    for spec in FORMATS.values():
        prepare = getattr(sys.modules.get(spec.module), "prepare", None)
        if callable(prepare):
            prepare()


def init_worker(formats: tuple[str, ...]) -> None:
    """Worker start-up: load the writers now (a no-op when the forkserver preloaded them) and leave Ctrl-C alone.

    Ctrl-C in a terminal reaches the whole process group. Workers ignore it, so none is interrupted in the
    middle of a document and none prints a traceback; each finishes its current file (written atomically) and
    the main process, which does handle Ctrl-C, hands out no new ones. A worker dies with its parent (see
    ``lifeline``): a batch killed with ``kill -9`` leaves no worker behind.
    """
    die_with_parent()
    signal.signal(signal.SIGINT, signal.SIG_IGN)
    for fmt in formats:
        load_writer(fmt)
    # Garbage collection by hand: Python's automatic collector ran dozens of times per PDF, its full passes also
    # walking everything the forkserver imported. Now those imports are frozen (never walked again, and their
    # memory pages stay shared with the forkserver) and ``render`` collects after each document (see
    # ``collect``); a worker also stays smaller. What it saved is measured in docs/performance.md.
    gc.freeze()
    gc.disable()


@dataclass(frozen=True, slots=True)
class Rendered:
    """A file written: its hash and size for the manifest, and what it cost (for progress and ``bench``)."""

    sha256: str
    size: int
    seconds: float
    cpu_seconds: float
    max_rss_kib: int
    pid: int


@dataclass(frozen=True, slots=True)
class Failed:
    """A document that could not be rendered or written; ``message`` is Dutch and meant for the user."""

    message: str
    detail: str = ""


def render(
    document: Document, fmt: str, target: str, templates: Templates, guard: RunGuard | None = None
) -> Rendered | Failed:
    """Render ``document`` as ``fmt`` and write it atomically to ``target``; never raises for a bad document.

    With ``guard``, the file is renamed into place only while the batch that sent the job still holds the
    output folder (see ``lifeline.RunGuard``).

    Errors come back as values: an exception with constructor arguments of its own (like ``DataError``) does
    not survive pickling back to the main process, and one bad document must not stop the others.
    """
    started = time.perf_counter()
    cpu = _cpu()
    try:
        if fmt != "txt":
            check_logo(document, templates)
        data = render_document(document, fmt, templates)
        payload = data.encode("utf-8") if isinstance(data, str) else data
        write_atomic(Path(target), payload, guard.still_ours if guard is not None else None)
    except GeneratorError as exc:
        return Failed(str(exc))
    except Exception as exc:  # a writer bug must cost one document, not the round
        return Failed(f"interne fout: {type(exc).__name__}: {exc}", traceback.format_exc())
    finally:
        collect()
    usage = resource.getrusage(resource.RUSAGE_SELF)
    return Rendered(
        hashlib.sha256(payload).hexdigest(),
        len(payload),
        time.perf_counter() - started,
        _cpu() - cpu,
        usage.ru_maxrss,
        os.getpid(),
    )


#: After this many documents a worker collects every generation; after the others only the youngest.
FULL_COLLECTION_EVERY = 10
_since_full: list[int] = [0]


def collect() -> None:
    """Free the reference cycles of the document just written (automatic collection is off, see ``init_worker``).

    Nothing was promoted while the document rendered (no automatic collection ran), so all its objects are in
    the youngest generation, and collecting that one finds its cycles without walking everything older: the
    caches, the fonts, the dossier's line memory, which grow over a worker's life. In a round of 10 dossiers
    (280 documents, two workers) collecting cost 0.60 s with a full collection after every document and 0.44 s
    this way (docs/performance.md). Older objects that became garbage (a cache entry dropped, the line memory
    emptied for the next dossier) wait for the full collection that comes every ``FULL_COLLECTION_EVERY``
    documents.
    """
    _since_full[0] += 1
    if _since_full[0] >= FULL_COLLECTION_EVERY:
        _since_full[0] = 0
        gc.collect()
    else:
        gc.collect(0)


def _cpu() -> float:
    usage = resource.getrusage(resource.RUSAGE_SELF)
    return usage.ru_utime + usage.ru_stime


_prepare_writers()
_import_main()

"""Starting a batch's forkserver: what it preloads, which main script it imports, and how early it starts.

Why a module of its own, free of heavy imports: a cold batch waits for its forkserver, which imports the
writers (WeasyPrint: a fifth of a second of processor time) before it forks the first worker. Started when
the plan finds work, it became ready only after the CLI was imported and the plan was made; meanwhile the
batch process itself imports the CLI, the models and validates. The program's entry point
(``generator.entry``) therefore asks :func:`start_early` first thing, before the CLI is imported: for a
``batch`` whose outputs are all to be built (no manifest in the output folder yet, or ``--force``), the
forkserver starts right away and imports in parallel with the CLI. Its preload list is then a guess from the
command line (``--format``, else docx and pdf); a worker imports any other writer it needs itself.
"""

from __future__ import annotations

import gc
import os
from collections.abc import Sequence
from dataclasses import dataclass
from multiprocessing import forkserver, get_context, spawn
from pathlib import Path

from generator.batch import interrupts
from generator.batch.lifeline import mark_batch
from generator.sources.layout import JOURNAL_FILE, MANIFEST_FILE
from generator.writers import DEFAULT_FORMATS, FORMATS

#: The path of the batch's main script, handed to the forkserver through the environment (see ``mark_main``).
MAIN_PATH_ENV = "RAADSVOORSTEL_BATCH_MAIN"

#: ``batch`` options that take a value (the short forms too), and those that are flags.
_VALUE_OPTIONS = {"--out": "out", "-o": "out", "--format": "format", "-f": "format", "--jobs": "", "-j": "",
                  "--sjablonen": ""}  # fmt: skip
_FLAGS = {"--force", "--verbose", "-v", "--publiceer", "--koud"}


def preload_modules(formats: Sequence[str]) -> list[str]:
    """What the forkserver imports once, before it forks any worker (the writers are the slow part).

    The lifeline comes first: importing it arms the forkserver to die with the batch (see ``lifeline``).
    ``concurrent.futures.process`` is what a worker of a process pool runs. The worker module comes last:
    importing it there also imports the batch's main module (see ``mark_main``) and has the writers imported
    before it prepare what each worker would otherwise do in its first document (see ``worker``).
    """
    writers = [FORMATS[fmt].module for fmt in formats]
    return ["generator.batch.lifeline", "concurrent.futures.process", *writers, "generator.batch.worker"]


_collection_paused: list[bool] = []  # True while a batch's start-up runs without automatic garbage collection


def pause_collection() -> None:
    """For a batch's start-up (``generator.entry``): no automatic garbage collection while the CLI, the models
    and the checks are imported and the first dossier is validated. Those imports make hundreds of thousands
    of objects, and the collector walked them again and again while they were being made: 30 ms of processor
    time before the first document could start. :func:`resume_collection` ends the pause."""
    if gc.isenabled():
        gc.disable()
        _collection_paused.append(True)


def resume_collection() -> None:
    """The start-up is over (the first dossier is validated, or the run ends): what it made is frozen (no later
    collection walks it again; memory is still freed as it is let go) and collection is automatic again. Does
    nothing without a pause (a caller's own process running ``run_batch``)."""
    if _collection_paused:
        _collection_paused.clear()
        gc.freeze()
        gc.enable()


def mark_main() -> None:
    """In the batch process, before the forkserver starts: tell it which main script its workers will import.

    multiprocessing imports the parent's main module into every child (a function defined there could be sent
    to it). The forkserver is meant to do this once for all its workers when ``"__main__"`` is in its preload
    list, but CPython 3.11 looks for a ``main_path`` that ``spawn.get_preparation_data`` never gives (it gives
    ``init_main_from_path``), so each worker imported the script again after the fork, on its way to its first
    document. A main module run as ``-m package`` is imported by name, and a ``….__main__`` by nobody: nothing
    to hand over then. (``worker`` does the import, in the forkserver.)
    """
    path = spawn.get_preparation_data("raadsvoorstel").get("init_main_from_path")
    if path:
        os.environ[MAIN_PATH_ENV] = path
    else:
        os.environ.pop(MAIN_PATH_ENV, None)


def start_forkserver(formats: Sequence[str]) -> None:
    """Start the forkserver (if it is not running yet) with the writers of ``formats`` preloaded."""
    get_context("forkserver").set_forkserver_preload(preload_modules(formats))
    mark_batch()
    mark_main()
    with interrupts.blocked_while():  # the forkserver starts with SIGINT blocked: the batch decides
        forkserver.ensure_running()


@dataclass(frozen=True)
class BatchLine:
    """What the early start needs of a ``batch`` command line."""

    proposals: Path = Path("proposals")
    out: Path = Path("output")
    force: bool = False
    formats: tuple[str, ...] = DEFAULT_FORMATS


def batch_arguments(argv: Sequence[str]) -> BatchLine | None:
    """What a ``batch`` command line (the arguments after the program's name) asks, or None when it is no batch
    or holds anything this reading is not sure of (click reads it properly later; a line read wrongly here
    would only start the forkserver too early or not early)."""
    if not argv or argv[0] != "batch":
        return None
    out, force, formats, positional = BatchLine.out, False, list[str](), list[str]()
    tokens = iter(argv[1:])
    for token in tokens:
        name, has_value, value = token.partition("=") if token.startswith("--") else (token, "", "")
        if not token.startswith("-"):
            positional.append(token)
        elif name in _FLAGS and not has_value:
            force = force or name == "--force"
        elif name in _VALUE_OPTIONS:
            value = value if has_value else next(tokens, "")
            if not value:
                return None
            if _VALUE_OPTIONS[name] == "out":
                out = Path(value)
            elif _VALUE_OPTIONS[name] == "format":
                formats.append(value)
        else:
            return None  # --help, an abbreviation, combined short options, a new option: leave it to click
    if len(positional) > 1 or not all(fmt in FORMATS for fmt in formats):
        return None
    proposals = Path(positional[0]) if positional else BatchLine.proposals
    return BatchLine(proposals, out, force, tuple(dict.fromkeys(formats)) or DEFAULT_FORMATS)


def start_early(argv: Sequence[str]) -> bool:
    """Start the forkserver now when ``argv`` is a batch that builds every output (a cold run or ``--force``):
    the plan would start it anyway, only later. Whether it did (for tests)."""
    line = batch_arguments(argv)
    if line is None or not line.proposals.is_dir():
        return False  # no batch, or click will say what is wrong
    if not line.force and any((line.out / name).exists() for name in (MANIFEST_FILE, JOURNAL_FILE)):
        return False  # perhaps nothing to do: the plan decides, and starts the forkserver if there is work
    start_forkserver(line.formats)
    return True

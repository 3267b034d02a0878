"""The ``raadsvoorstel`` program's entry point (console script and ``python -m generator``).

Why a module of its own, importing nothing at the top: a ``build`` or ``batch`` first asks the project's warm
server (``generator.warm.client``, stdlib only): when it answers, the command runs there and this process
imports nothing else. Otherwise a cold batch's forkserver is started from here, before the CLI, its click and
its models are imported, so the forkserver imports the writers while this process imports the CLI
(``batch.startup.start_early``). And the forkserver imports the program's main script for its workers
(multiprocessing wants it in every child): with this module as the script's only import, that costs nothing,
where the CLI cost it a twentieth of a second.
"""

from __future__ import annotations

import contextlib
import os
import sys


def run() -> None:
    """Hand a build or batch to a warm server; else start a cold batch's forkserver, then run the CLI."""
    argv = sys.argv[1:]
    if argv and argv[0] in ("build", "batch"):
        from generator.warm.client import attempt

        outcome = attempt(argv)  # the warm client handles Ctrl-C itself, as the cold path does
        if isinstance(outcome, int):
            _exit(outcome)
        if "--verbose" in argv or "-v" in argv:
            print(f"bouwpad: koud ({outcome})", file=sys.stderr, flush=True)
    from generator.batch import startup

    if argv[:1] == ["batch"]:  # Ctrl-C from here on stops the cold batch at its first safe point
        from generator.batch import interrupts

        interrupts.install()
        startup.pause_collection()  # until the first dossier is validated (see startup.resume_collection)
    startup.start_early(argv)
    from generator.cli import run as run_cli

    run_cli()


def _exit(code: int) -> None:
    """End a warm command: its output is written, nothing else to clean up (see ``cli.run`` for why quickly)."""
    import atexit

    run_handlers = getattr(atexit, "_run_exitfuncs", None)
    if run_handlers is not None:
        run_handlers()
    for stream in (sys.stdout, sys.stderr):
        with contextlib.suppress(OSError, ValueError):  # a closed pipe (| head): nothing left to say
            stream.flush()
    os._exit(code)

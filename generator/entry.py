"""The ``raadsvoorstel`` program's entry point (console script and ``python -m generator``).

Why a module of its own, importing nothing at the top: a cold batch's forkserver is started from here, before
the CLI, its click and its models are imported, so the forkserver imports the writers while this process
imports the CLI (``batch.startup.start_early``). And the forkserver imports the program's main script for its
workers (multiprocessing wants it in every child): with this module as the script's only import, that costs
nothing, where the CLI cost it a twentieth of a second.
"""

from __future__ import annotations

import sys


def run() -> None:
    """Start a cold batch's forkserver, then run the CLI (``generator.cli.run``)."""
    if sys.argv[1:2] == ["batch"]:  # Ctrl-C from the first line on stops the batch at its first safe point
        from generator.batch import interrupts

        interrupts.install()
    from generator.batch.startup import start_early

    start_early(sys.argv[1:])
    from generator.cli import run as run_cli

    run_cli()

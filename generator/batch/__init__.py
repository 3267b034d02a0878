"""A whole council round: every dossier × participating municipality × format, in parallel, incrementally.

How a run goes, and why:

1. **Lock** the output folder (:mod:`generator.batch.lock`), so two batches never write the same files.
2. **Clean up** temporary files a killed run left behind (``output.TEMP_PREFIX``): every real output is
   written atomically, so a crash leaves whole old files plus, at most, such temp files.
3. **Plan** (:mod:`.plan`): hash each output's inputs (:mod:`generator.batch.manifest`); an output whose inputs are
   unchanged and whose file still has the recorded hash is skipped. A run where nothing changed never
   validates, imports a writer or starts a process.
4. **Validate** each dossier that has work, once, in this process (``core.load``); a dossier with data errors
   fails alone with its ``file:line`` problems while the others go on (:mod:`.schedule`).
5. **Render** in worker processes (:mod:`.worker`); each document's failure is reported and isolated, and its
   previous good file stays.
6. **Record** every written file in the manifest (saved atomically every few seconds and at the end), so an
   interrupted run loses at most a few seconds of work, and Ctrl-C or SIGTERM stops in an orderly way.

Progress goes to a :class:`~.progress.NullReporter` subclass: a bar on a terminal, plain lines in logs.
"""

from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from generator.batch.plan import Job
    from generator.batch.run import DEFAULT_FORMATS, remove_temp_files, run_batch
    from generator.batch.schedule import Summary

__all__ = ["DEFAULT_FORMATS", "Job", "Summary", "remove_temp_files", "run_batch"]

_HOMES = {
    "DEFAULT_FORMATS": "generator.batch.run",
    "remove_temp_files": "generator.batch.run",
    "run_batch": "generator.batch.run",
    "Job": "generator.batch.plan",
    "Summary": "generator.batch.schedule",
}


def __getattr__(name: str) -> Any:
    """Import on first use: the forkserver imports ``generator.batch.worker``, which runs this file first,
    and must not pay for planning, progress bars and the manifest it never uses."""
    if name not in _HOMES:
        raise AttributeError(f"module 'generator.batch' has no attribute {name!r}")
    import importlib

    return getattr(importlib.import_module(_HOMES[name]), name)

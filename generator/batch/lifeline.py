"""Worker processes die with the batch that started them, and never write for a batch that is gone.

Why: after ``kill -9`` of a batch, its workers used to live on (blocked on a queue nobody reads) and, worse,
finish the document in hand later and rename it over the file that a newer batch had just built under the
lock. Two fences stop that:

- *dying with the parent*: on Linux the forkserver asks the kernel for SIGKILL when the batch goes, and each
  worker for SIGKILL when the forkserver goes (``prctl(PR_SET_PDEATHSIG)``). CPython's own "alive" pipe does
  not end the forkserver: every worker inherits the pipe's write end, so forkserver and workers kept each
  other alive. Elsewhere, and as a second line, a thread in each worker watches its parent and the batch.
  The forkserver is armed when it imports this module (first in its preload list, see
  ``worker.preload_modules``) and recognises itself by the batch's PID in the environment (:func:`mark_batch`).
- *writing only for the lock holder*: the batch writes a random run token into the lock file; a worker checks
  that the token is still there right before it renames a finished document into the output folder
  (:class:`RunGuard`), so a worker that outlived its batch cannot overwrite a newer batch's file.
"""

from __future__ import annotations

import ctypes
import gc
import os
import signal
import sys
import threading
import time
from dataclasses import dataclass
from pathlib import Path

#: ``PR_SET_PDEATHSIG`` from <linux/prctl.h>.
_PR_SET_PDEATHSIG = 1
#: Seconds between two looks at the parent's PID (the fallback where the kernel cannot signal).
WATCH_SECONDS = 0.5
#: The batch's PID, inherited by the forkserver through the environment.
BATCH_PID_ENV = "RAADSVOORSTEL_BATCH_PID"


def mark_batch() -> None:
    """In the batch process, before the forkserver starts: tell it whose child it is."""
    os.environ[BATCH_PID_ENV] = str(os.getpid())


def _batch_pid() -> int | None:
    value = os.environ.get(BATCH_PID_ENV, "")
    return int(value) if value.isdigit() else None


def in_forkserver() -> bool:
    """Whether this process is a marked batch's forkserver (its direct child, importing its preload list)."""
    batch = _batch_pid()
    return batch is not None and batch == os.getppid()


def _arm_forkserver() -> None:
    """Run at import: in the forkserver (a direct child of a marked batch), die with the batch, and import the
    rest of the preload list without automatic garbage collection.

    A forkserver whose batch was killed before it got here (it was still starting: a busy machine makes that
    likely) is no longer the batch's child and would live on until its imports were done; it ends at once.

    Why no collector: the forkserver only imports (WeasyPrint and the writers: hundreds of modules, whose
    objects the collector walked again and again while they were being made, 25 ms of processor time in every
    cold batch) and then forks. Its workers inherit the setting, freeze what it imported and collect by hand
    after each document (``worker.init_worker``, ``worker.collect``), as they did before.
    """
    batch = _batch_pid()
    if batch is not None and batch != os.getpid() and os.getppid() != batch and not _alive(batch):
        os._exit(1)  # a process of a batch that is gone: nothing it could do is wanted any more
    if not in_forkserver():
        return  # the batch itself, a worker (forked after the import), or any other program
    if sys.platform.startswith("linux"):
        _ask_kernel(signal.SIGKILL)
    if os.getppid() != batch:
        os._exit(1)
    gc.disable()


def _alive(pid: int) -> bool:
    """Whether process ``pid`` still exists (a zombie counts as gone)."""
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:  # pragma: no cover - someone else's process by now
        return True
    try:
        with open(f"/proc/{pid}/stat", encoding="ascii") as handle:
            return handle.read().rsplit(")", 1)[1].split()[0] != "Z"
    except (OSError, IndexError):  # no /proc here: os.kill said it exists
        return True


def die_with_parent() -> None:
    """End this worker as soon as its parent (the forkserver) or the batch ends; call first thing in it."""
    parent = os.getppid()
    if sys.platform.startswith("linux"):
        _ask_kernel(signal.SIGKILL)
    if os.getppid() != parent:  # the parent went before the kernel was asked
        os._exit(1)
    threading.Thread(target=_watch, args=(parent, _batch_pid()), name="raadsvoorstel-lifeline", daemon=True).start()


def _ask_kernel(sig: int) -> None:
    try:
        # The process's own symbols, libc's among them: ctypes.util.find_library("c") would run ldconfig in a
        # subprocess, in the forkserver and again in every worker, on the way to the first document.
        libc = ctypes.CDLL(None, use_errno=True)
        libc.prctl(_PR_SET_PDEATHSIG, sig, 0, 0, 0)
    except (OSError, AttributeError):  # no prctl here: the watch thread still works
        pass


def _watch(parent: int, batch: int | None) -> None:
    while os.getppid() == parent and (batch is None or _alive(batch)):
        time.sleep(WATCH_SECONDS)
    os._exit(1)


@dataclass(frozen=True, slots=True)
class RunGuard:
    """The lock file and the run token of the batch a worker serves; picklable, so it travels with a job."""

    lock_file: str
    token: str

    def still_ours(self) -> bool:
        """True while the lock file still names this run (no newer batch has taken the folder)."""
        try:
            text = Path(self.lock_file).read_text(encoding="utf-8", errors="replace")
        except OSError:
            return False
        return f"\nrun {self.token}\n" in f"\n{text}"


_arm_forkserver()

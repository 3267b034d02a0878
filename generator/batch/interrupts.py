"""Ctrl-C and SIGTERM stop a batch at its next safe point, from the program's first line to the end of the run.

Why not the usual KeyboardInterrupt from the signal handler: Python raises it at whatever bytecode runs when
the signal arrives. Raised inside a finalizer or a callback it is printed and dropped ("Exception ignored"),
and the run went on to build every document and exit 0; raised while the program was still starting (importing
the CLI, validating, planning) it took another path than during the run. On a busy machine either is a matter
of luck. So during a batch the handler only records the signal, and the batch asks at fixed points
(:func:`check`): between dossiers, after each finished document, and at least every :data:`POLL_SECONDS` while
it waits for workers. ``generator.entry`` installs the recorder first thing for a ``batch`` command line, so a
Ctrl-C during start-up is seen at the first such point, exactly as one during the run.

The forkserver is started with SIGINT blocked (:func:`blocked_while`): Ctrl-C in a terminal reaches the whole
process group, and a forkserver still importing its writers would otherwise die of it with a traceback; the
batch decides what happens, and its workers ignore SIGINT (``worker.init_worker``).
"""

from __future__ import annotations

import contextlib
import signal
import threading
from collections.abc import Iterator
from types import FrameType
from typing import Any

__all__ = ["POLL_SECONDS", "blocked_while", "check", "install", "recording", "requested", "reset", "wait"]

#: Longest wait between two looks at a recorded signal while the batch waits for its workers.
POLL_SECONDS = 0.2

_STOP = threading.Event()
_SIGNALS: list[int] = []  # the first signal received
_HANDLED: tuple[int, ...] = (signal.SIGINT, signal.SIGTERM)


def _record(signum: int, _frame: FrameType | None) -> None:
    if not _SIGNALS:
        _SIGNALS.append(signum)
    _STOP.set()


def install() -> bool:
    """Record SIGINT and SIGTERM from now on instead of raising; False when not in the main thread (then
    signals are left alone)."""
    try:
        for sig in _HANDLED:
            signal.signal(sig, _record)
    except ValueError:
        return False
    return True


def requested() -> int | None:
    """The signal that asked the batch to stop, or None."""
    return _SIGNALS[0] if _SIGNALS else None


def check() -> None:
    """Raise KeyboardInterrupt here when a stop was asked for (a safe point of the batch)."""
    if _STOP.is_set():
        raise KeyboardInterrupt


def wait(seconds: float) -> bool:
    """Wait up to ``seconds`` for a stop request; True when one came."""
    return _STOP.wait(seconds)


def reset() -> None:
    """Forget a recorded signal (a caller that runs several batches in one process, such as the tests)."""
    _SIGNALS.clear()
    _STOP.clear()


@contextlib.contextmanager
def recording() -> Iterator[bool]:
    """Record SIGINT and SIGTERM for the length of a run; afterwards the handlers are what they were, except
    that the start-up recorder of ``generator.entry`` gives way to the defaults (Ctrl-C raises again)."""
    previous: dict[int, Any] = {sig: signal.getsignal(sig) for sig in _HANDLED}
    if not install():
        yield False
        return
    try:
        yield True
    finally:
        defaults: dict[int, Any] = {signal.SIGINT: signal.default_int_handler, signal.SIGTERM: signal.SIG_DFL}
        for sig, handler in previous.items():
            signal.signal(sig, defaults[sig] if handler is _record else handler)


@contextlib.contextmanager
def blocked_while() -> Iterator[None]:
    """Block SIGINT in this thread while a child is started, so the child starts with it blocked; a SIGINT
    that arrives meanwhile stays pending and is delivered here afterwards (nothing is lost)."""
    if not hasattr(signal, "pthread_sigmask"):  # pragma: no cover - not on Linux
        yield
        return
    old = signal.pthread_sigmask(signal.SIG_BLOCK, {signal.SIGINT})
    try:
        yield
    finally:
        signal.pthread_sigmask(signal.SIG_SETMASK, old)

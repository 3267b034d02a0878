"""One batch per output folder: an advisory ``flock`` on ``<out>/.raadsvoorstel.lock``.

Why ``flock`` and not "create the file, delete it at the end": the kernel drops the lock when the process
dies, however it dies (Ctrl-C, ``kill -9``, a power cut), so a crashed run never leaves a stale lock that a
clerk has to delete by hand. The file stays; what matters is whether someone holds the lock on it.

The holder writes its PID and start time into the file so that a refused run can say *who* holds it. The file
is truncated only after the lock is ours, so a refused run never wipes the holder's details. The descriptor is
not inherited by child processes (Python opens files non-inheritable), so worker processes never keep the lock
alive after the batch itself has gone.

The file also holds a random *run token*: a worker renames a finished document into the folder only while the
token it was given is still the one in the file (see ``lifeline.RunGuard``), so a worker that outlived a
killed batch cannot overwrite what a newer batch wrote.
"""

from __future__ import annotations

import datetime as dt
import errno
import fcntl
import os
import secrets
from pathlib import Path
from types import TracebackType

from generator.errors import OutputError, display_path, os_message

LOCK_NAME = ".raadsvoorstel.lock"


class OutputLock:
    """Exclusive, non-blocking lock on an output folder; use as a context manager."""

    def __init__(self, out: Path) -> None:
        self.path = out / LOCK_NAME
        self._fd: int | None = None
        self.token = ""

    def acquire(self) -> None:
        """Take the lock or raise :class:`OutputError` naming the process that holds it."""
        try:
            self.path.parent.mkdir(parents=True, exist_ok=True)
            # O_NOFOLLOW: a lock "file" that links elsewhere would otherwise be truncated and overwritten there
            fd = os.open(self.path, os.O_RDWR | os.O_CREAT | os.O_NOFOLLOW, 0o644)
        except OSError as exc:
            if exc.errno == errno.ELOOP:
                raise OutputError(
                    f"het slot {display_path(self.path)} is een koppeling naar een ander bestand; verwijder het"
                ) from exc
            raise OutputError(
                f"kan de uitvoermap {display_path(self.path.parent)} niet gebruiken: {os_message(exc)}; "
                "kies met --out een map waarin u mag schrijven"
            ) from exc
        try:
            fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except BlockingIOError:
            holder = _read_holder(fd)
            os.close(fd)
            raise OutputError(
                f"de uitvoermap {display_path(self.path.parent)} is in gebruik door een andere batch ({holder}); "
                "wacht tot die klaar is of stop dat proces"
            ) from None
        except BaseException:
            os.close(fd)
            raise
        started = dt.datetime.now().astimezone().isoformat(timespec="seconds")
        token = secrets.token_hex(16)
        try:
            os.ftruncate(fd, 0)
            os.pwrite(fd, f"pid {os.getpid()}\ngestart {started}\nrun {token}\n".encode(), 0)
        except OSError as exc:  # a full disk: without the token, workers could not prove whom they serve
            os.close(fd)
            raise OutputError(
                f"kon het slot {display_path(self.path)} niet schrijven: {os_message(exc)}"
            ) from exc
        self._fd = fd
        self.token = token

    def release(self) -> None:
        """Drop the lock (closing the descriptor releases it); the file itself stays."""
        if self._fd is not None:
            os.close(self._fd)
            self._fd = None

    def __enter__(self) -> OutputLock:
        self.acquire()
        return self

    def __exit__(
        self, exc_type: type[BaseException] | None, exc: BaseException | None, tb: TracebackType | None
    ) -> None:
        self.release()


def _read_holder(fd: int) -> str:
    """``proces 1234, gestart 2025-06-03T10:00:00+02:00`` from the lock file, as far as it says."""
    try:
        text = os.pread(fd, 4096, 0).decode("utf-8", "replace")
    except OSError:
        text = ""
    fields = dict(line.split(" ", 1) for line in text.splitlines() if " " in line)
    pid = fields.get("pid", "").strip()
    started = fields.get("gestart", "").strip()
    if not pid:
        return "proces onbekend"
    return f"proces {pid}, gestart {started}" if started else f"proces {pid}"

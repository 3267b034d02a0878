"""The files a dossier publishes as bijlagen: found without following a link, bounded, read in fixed memory.

Why a module of its own: an attachment is the one place where the data names a file on disk that leaves the
machine (``raadsvoorstel publish`` copies it into a delivery folder for the council information system and
the Woo index). A name must therefore never reach a file outside the dossier's ``bijlagen/`` folder, however
it is written: ``..``, an absolute path, a ``bijlagen/`` that is itself a symbolic link, a link anywhere on the
way, a device or a FIFO (reading either would hang or leak), or a folder. The dossier folder is resolved once;
below it every step is opened with ``O_NOFOLLOW`` relative to the folder before it, so a link swapped in after
the check is still refused. ``validate`` runs the same checks (see ``api.load``), so a problem is reported with
the file and line of its ``bestand`` before anything is published.

Sizes are bounded per file and per delivery (the README's "Grenzen" table states both), and a file is hashed
and copied in blocks of :data:`BLOCK` bytes, so a large attachment never sits in memory whole.
"""

from __future__ import annotations

import errno
import hashlib
import os
import stat
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path, PurePosixPath
from typing import BinaryIO

from generator.writers.diwoo import FILE_FORMATS

__all__ = [
    "BLOCK",
    "FOLDER",
    "MAX_DELIVERY",
    "MAX_FILE",
    "AttachmentError",
    "Checked",
    "Issue",
    "check",
    "copy",
    "digest",
]

#: The folder of a dossier that holds the files of its bijlagen.
FOLDER = "bijlagen"
#: Bytes in one attachment file (a scanned report of a few hundred pages stays well below).
MAX_FILE = 50 * 1024 * 1024
#: Bytes of all attachments of one delivery together.
MAX_DELIVERY = 200 * 1024 * 1024
#: Bytes read at a time when hashing or copying a file.
BLOCK = 1024 * 1024


class AttachmentError(Exception):
    """A file that changed or vanished between its check and its copy (the message is Dutch)."""


@dataclass(frozen=True, slots=True)
class Checked:
    """An attachment file that passed every check: where it is below ``bijlagen/`` and what it was then."""

    index: int  # position in the data's ``bijlagen`` list (0-based)
    title: str
    name: str  # as the data writes it
    parts: tuple[str, ...]  # its path below bijlagen/, one step at a time
    size: int
    device: int
    inode: int

    @property
    def suffix(self) -> str:
        """The file's extension in lower case (``.pdf``), or ''."""
        return PurePosixPath(self.parts[-1]).suffix.lower()


@dataclass(frozen=True, slots=True)
class Issue:
    """Why one attachment cannot be published; ``missing`` when only the file is not there (yet)."""

    index: int
    message: str
    missing: bool = False


def _size(count: int) -> str:
    """A byte count as a Dutch reader writes it (``50 MB``, ``1,5 MB``, ``12 kB``)."""
    if count >= 1024 * 1024:
        value = f"{count / (1024 * 1024):.1f}".replace(".", ",").removesuffix(",0")
        return f"{value} MB"
    if count >= 1024:
        return f"{count // 1024} kB"
    return f"{count} bytes"


def _parts(name: str) -> tuple[str, ...] | None:
    """The steps of a name below ``bijlagen/``, or None for a name that could leave it or hide where it goes."""
    if not name or name.startswith(("/", "\\", "~")) or "\\" in name or "\x00" in name:
        return None
    if len(name) > 1 and name[1] == ":":  # a Windows drive: C:convenant.pdf
        return None
    parts = tuple(name.split("/"))
    if any(p in ("", ".", "..") for p in parts):
        return None
    return parts


def _kind(mode: int) -> str | None:
    """What a file that is not a plain file is, in Dutch; None for a plain file."""
    if stat.S_ISREG(mode):
        return None
    if stat.S_ISDIR(mode):
        return "een map"
    if stat.S_ISLNK(mode):
        return "een koppeling (symbolische link)"
    if stat.S_ISFIFO(mode):
        return "een pijp (FIFO)"
    if stat.S_ISCHR(mode) or stat.S_ISBLK(mode):
        return "een apparaat"
    if stat.S_ISSOCK(mode):
        return "een socket"
    return "geen gewoon bestand"


_DIR_FLAGS = os.O_RDONLY | os.O_DIRECTORY | os.O_NOFOLLOW | os.O_CLOEXEC
_FILE_FLAGS = os.O_RDONLY | os.O_NOFOLLOW | os.O_NONBLOCK | os.O_CLOEXEC


class _Refused(Exception):
    def __init__(self, message: str, missing: bool = False) -> None:
        super().__init__(message)
        self.message, self.missing = message, missing


def _open(dossier: Path, parts: tuple[str, ...], shown: str) -> tuple[int, os.stat_result]:
    """A read descriptor of ``bijlagen/<parts>`` below the resolved ``dossier``, opened step by step without
    following a link; the file is checked to be a plain file before it is opened (a FIFO or device is never
    opened). Raises :class:`_Refused` with the Dutch reason."""
    steps = (FOLDER, *parts)
    try:
        fd = os.open(dossier, os.O_RDONLY | os.O_DIRECTORY | os.O_CLOEXEC)
    except OSError as exc:
        raise _Refused(f"de dossiermap is niet te lezen ({exc.strerror})") from exc
    try:
        for depth, step in enumerate(steps):
            here = "/".join(steps[: depth + 1])
            try:
                info = os.lstat(step, dir_fd=fd)
            except FileNotFoundError as exc:
                raise _Refused(f"het bestand {shown} ontbreekt", missing=True) from exc
            except OSError as exc:
                raise _Refused(f"{here} is niet te lezen ({exc.strerror})") from exc
            last = depth == len(steps) - 1
            kind = _kind(info.st_mode)
            if stat.S_ISLNK(info.st_mode):
                raise _Refused(
                    f"{here} is een koppeling (symbolische link); een bijlage wordt nooit via een koppeling "
                    f"gelezen: zet het bestand zelf in de map {FOLDER}/ van het dossier"
                )
            if not last and not stat.S_ISDIR(info.st_mode):
                raise _Refused(f"{here} is geen map")
            if last and kind is not None:
                raise _Refused(f"{here} is {kind}, geen gewoon bestand; noem een bestand in de map {FOLDER}/")
            try:
                step_fd = os.open(step, _FILE_FLAGS if last else _DIR_FLAGS, dir_fd=fd)
            except OSError as exc:
                if exc.errno in (errno.ELOOP, errno.ENOTDIR):
                    raise _Refused(f"{here} veranderde tijdens het lezen in een koppeling") from exc
                raise _Refused(f"{here} is niet te lezen ({exc.strerror})") from exc
            os.close(fd)
            fd = step_fd
        info = os.fstat(fd)
        if not stat.S_ISREG(info.st_mode):  # pragma: no cover - swapped between lstat and open
            raise _Refused(f"{shown} is geen gewoon bestand")
        opened, fd = fd, -1
        return opened, info
    finally:
        if fd >= 0:
            os.close(fd)


def check(dossier: Path, attachments: Sequence[tuple[str, str | None]]) -> tuple[list[Checked], list[Issue]]:
    """Check every attachment that names a file: its name, every step below ``dossier/bijlagen/``, its kind, its
    size, that no two name the same file (also when they differ only in capitals) and the delivery's total.

    ``dossier`` is resolved here; what lies above it may be a link (a proposals folder in a linked home).
    """
    root = dossier.resolve()
    checked: list[Checked] = []
    issues: list[Issue] = []
    seen: dict[str, int] = {}
    total = 0
    for index, (title, name) in enumerate(attachments):
        if name is None:
            continue
        parts = _parts(name)
        if parts is None:
            issues.append(
                Issue(
                    index,
                    f"'{name}' ligt buiten de map {FOLDER}/ van het dossier; zet het bestand in de map {FOLDER}/ "
                    "en noem het daar bij zijn naam (zonder '..', '/' vooraan of '\\')",
                )
            )
            continue
        key = "/".join(parts).casefold()
        if key in seen:
            issues.append(
                Issue(
                    index,
                    f"'{name}' is hetzelfde bestand als bijlage {seen[key] + 1} (hoofdletters tellen niet): "
                    "een bestand gaat één keer mee",
                )
            )
            continue
        seen[key] = index
        shown = f"{FOLDER}/{'/'.join(parts)}"
        try:
            fd, info = _open(root, parts, shown)
        except _Refused as refused:
            issues.append(Issue(index, refused.message, refused.missing))
            continue
        os.close(fd)
        if PurePosixPath(parts[-1]).suffix.lower() not in FILE_FORMATS:
            kinds = ", ".join(sorted(k.lstrip(".") for k in FILE_FORMATS))
            issues.append(
                Issue(index, f"'{name}' is geen soort bestand dat gepubliceerd wordt; kies uit: {kinds}")
            )
            continue
        if info.st_size == 0:
            issues.append(Issue(index, f"{shown} is leeg (0 bytes); een lege bijlage wordt niet gepubliceerd"))
            continue
        if info.st_size > MAX_FILE:
            count = f"{info.st_size:_}".replace("_", ".")
            issues.append(Issue(index, f"{shown} is {count} bytes; een bijlage is hooguit {_size(MAX_FILE)}"))
            continue
        total += info.st_size
        if total > MAX_DELIVERY:
            issues.append(
                Issue(
                    index,
                    f"met {shown} zijn de bijlagen samen {_size(total)}; "
                    f"één publicatie is hooguit {_size(MAX_DELIVERY)}",
                )
            )
            continue
        checked.append(Checked(index, title, name, parts, info.st_size, info.st_dev, info.st_ino))
    return checked, issues


def _reopen(dossier: Path, found: Checked) -> BinaryIO:
    """The checked file again, refused when it is no longer the same file of the same size."""
    shown = f"{FOLDER}/{'/'.join(found.parts)}"
    try:
        fd, info = _open(dossier.resolve(), found.parts, shown)
    except _Refused as refused:
        raise AttachmentError(refused.message) from None
    if (info.st_dev, info.st_ino, info.st_size) != (found.device, found.inode, found.size):
        os.close(fd)
        raise AttachmentError(f"{shown} veranderde tijdens het publiceren; probeer het opnieuw")
    return os.fdopen(fd, "rb")


def digest(dossier: Path, found: Checked) -> str:
    """The SHA-256 of a checked file, read in blocks of :data:`BLOCK` bytes."""
    sha = hashlib.sha256()
    with _reopen(dossier, found) as source:
        while block := source.read(BLOCK):
            sha.update(block)
    return sha.hexdigest()


def copy(dossier: Path, found: Checked, target: Path, sha256: str) -> None:
    """Copy a checked file to ``target`` in blocks, refusing it when its content is no longer ``sha256``."""
    sha = hashlib.sha256()
    with _reopen(dossier, found) as source, target.open("xb") as out:
        while block := source.read(BLOCK):
            sha.update(block)
            out.write(block)
    if sha.hexdigest() != sha256:
        raise AttachmentError(
            f"{FOLDER}/{'/'.join(found.parts)} veranderde tijdens het publiceren; probeer het opnieuw"
        )

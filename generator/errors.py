"""Errors and problems.

Exception tree::

    GeneratorError            anything the CLI turns into a Dutch message and exit code 1
    ├── DataError             invalid data files: carries every Problem found in one run
    ├── RenderError           a writer could not render a document (wraps the library's exception)
    │   └── TemplateError     a template or house-style file that cannot be read as it should (file:line)
    ├── OutputError           a path outside --out, a failed atomic write, a held lock
    └── UsageError            a wrong combination of arguments (exit code 2)

A ``Problem`` is one finding with its location. Every stage reports what it finds to one ``Problems``
collector (docutils' reporter): report everything, then stop — validation raises one ``DataError`` with all of
them, so a clerk sees every problem of a run at once, not just the first.
"""

from __future__ import annotations

import errno
import re
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from enum import StrEnum
from pathlib import Path


class Severity(StrEnum):
    ERROR = "fout"
    WARNING = "waarschuwing"


@dataclass(frozen=True, slots=True, order=True)
class Location:
    """A place in a data file; line and column are 1-based (0 means unknown)."""

    file: str
    line: int = 0
    column: int = 0

    def __str__(self) -> str:
        if not self.line:
            return self.file
        if not self.column:
            return f"{self.file}:{self.line}"
        return f"{self.file}:{self.line}:{self.column}"


@dataclass(frozen=True, slots=True)
class Problem:
    """One finding: where, which field (dotted path, may be empty), what to change, how bad."""

    location: Location
    field: str
    message: str
    severity: Severity = Severity.ERROR

    def __str__(self) -> str:
        veld = f"veld '{self.field}': " if self.field else ""
        prefix = "waarschuwing: " if self.severity is Severity.WARNING else ""
        return f"{self.location}: {prefix}{veld}{self.message}"


class Problems:
    """The collector every stage reports to; a stage asks it whether its own part failed.

    Why an object and not a list: "did anything go wrong since I started?" is a question of the collector
    (:meth:`mark` and :meth:`failed_since`), not arithmetic each caller does on a shared list.
    """

    def __init__(self, found: Iterable[Problem] = ()) -> None:
        self._found: list[Problem] = list(found)
        self._errors = sum(p.severity is Severity.ERROR for p in self._found)

    def append(self, problem: Problem) -> None:
        self._found.append(problem)
        self._errors += problem.severity is Severity.ERROR

    def extend(self, problems: Iterable[Problem]) -> None:
        for problem in problems:
            self.append(problem)

    def error(self, location: Location, field: str, message: str) -> None:
        self.append(Problem(location, field, message, Severity.ERROR))

    def warning(self, location: Location, field: str, message: str) -> None:
        self.append(Problem(location, field, message, Severity.WARNING))

    def escalate(self, since: int, reason: str) -> None:
        """Turn the warnings reported after position ``since`` (``len(problems)`` then) into errors.

        Used when a status forbids what is normally only a warning: a proposal offered to the council may not
        hold a placeholder any more.
        """
        for index in range(since, len(self._found)):
            problem = self._found[index]
            if problem.severity is Severity.WARNING:
                self._found[index] = Problem(problem.location, problem.field, f"{problem.message} ({reason})")
                self._errors += 1

    def mark(self) -> int:
        """A point to compare with later (see :meth:`failed_since`)."""
        return self._errors

    def failed_since(self, mark: int) -> bool:
        """Whether an error was reported after :meth:`mark` returned ``mark``."""
        return self._errors > mark

    @property
    def has_errors(self) -> bool:
        return self._errors > 0

    def __iter__(self) -> Iterator[Problem]:
        return iter(self._found)

    def __len__(self) -> int:
        return len(self._found)


@dataclass(frozen=True, slots=True)
class LineProblem:
    """A problem inside one text value, at a 1-based line of that text; the caller maps it to the file."""

    line: int
    message: str


class GeneratorError(Exception):
    """Base of every error the CLI reports as a message instead of a traceback."""

    exit_code = 1


class DataError(GeneratorError):
    """One or more problems in the data files."""

    def __init__(self, problems: Iterable[Problem]) -> None:
        self.problems = tuple(problems)
        super().__init__("\n".join(str(p) for p in self.problems))


class RenderError(GeneratorError):
    """A writer failed on a document."""


class TemplateError(RenderError):
    """A template, stylesheet or house-style file is malformed: the message names the file (and line)."""


class OutputError(GeneratorError):
    """Writing output failed or was refused."""


class UsageError(GeneratorError):
    """Arguments that do not fit together."""

    exit_code = 2


def display_path(path: Path) -> str:
    """A path as the user should see it: relative to the working directory when below it, printable.

    File names come from the user's disk and may hold control characters or terminal escape sequences
    (clearing the screen, setting the window title); :func:`safe_text` shows those as escapes instead.
    """
    try:
        shown = str(path.resolve().relative_to(Path.cwd().resolve()))
    except (ValueError, OSError, RuntimeError):
        shown = str(path)
    return safe_text(shown)


_UNSAFE = re.compile(r"[\x00-\x08\x0b-\x1f\x7f-\x9f\u061c\u200b-\u200f\u202a-\u202e\u2066-\u2069\ufeff]")


def safe_text(text: str) -> str:
    """``text`` with control characters, terminal escapes and bidi controls shown as ``\\x1b``-style escapes.

    Why: anything printed to a terminal can steer it (ESC sequences) or reorder what the reader sees (bidi
    overrides); names and messages that quote the user's data pass through here first. Tabs and newlines
    stay, as messages use them for layout.
    """
    return _UNSAFE.sub(_escape, text)


def _escape(match: re.Match[str]) -> str:
    code = ord(match.group())
    return f"\\x{code:02x}" if code < 0x100 else f"\\u{code:04x}"


def os_message(exc: OSError) -> str:
    """A Dutch sentence for an error of the machine (full disk, no permission), naming the file."""
    reason = os_reason(exc)
    name = str(exc.filename) if exc.filename is not None else ""
    return f"{name}: {reason}" if name else reason


def os_reason(exc: OSError) -> str:
    """Why the machine refused, in Dutch where the reason is a common one (else the system's own words)."""
    reasons = {
        errno.ENOSPC: "de schijf is vol",
        errno.EDQUOT: "de schijfruimte (quotum) is op",
        errno.EACCES: "geen toestemming",
        errno.EPERM: "geen toestemming",
        errno.EROFS: "het bestandssysteem is alleen-lezen",
        errno.ENOTDIR: "een deel van het pad is een bestand, geen map",
        errno.EISDIR: "dat is een map",
        errno.ENOENT: "bestaat niet",
        errno.EEXIST: "bestaat al",
        errno.ELOOP: "te veel symbolische koppelingen",
        errno.ENAMETOOLONG: "de naam is te lang",
        errno.EINVAL: "dit bestand kan niet beschreven worden (geen gewoon bestand?)",
    }
    return reasons.get(exc.errno or 0, exc.strerror or type(exc).__name__)

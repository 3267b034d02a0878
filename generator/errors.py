"""Errors and problems.

Exception tree::

    GeneratorError            anything the CLI turns into a Dutch message and exit code 1
    ├── DataError             invalid data files: carries every Problem found in one run
    ├── RenderError           a writer could not render a document (wraps the library's exception)
    ├── OutputError           a path outside --out, a failed atomic write, a held lock
    └── UsageError            a wrong combination of arguments (exit code 2)

A ``Problem`` is one finding with its location; validation gathers them all and raises one ``DataError``
so a clerk sees every problem of a run at once (docutils' way), not just the first.
"""

from __future__ import annotations

from collections.abc import Iterable
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


class OutputError(GeneratorError):
    """Writing output failed or was refused."""


class UsageError(GeneratorError):
    """Arguments that do not fit together."""

    exit_code = 2


def display_path(path: Path) -> str:
    """A path as the user should see it: relative to the working directory when below it."""
    try:
        return str(path.resolve().relative_to(Path.cwd().resolve()))
    except ValueError:
        return str(path)

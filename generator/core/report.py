"""The outcome of checking dossiers: every problem, and where each municipality stands."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass

from generator.errors import Problem, Severity


@dataclass(frozen=True)
class StatusRow:
    """Where one municipality stands with one dossier (``raadsvoorstel status``, ``validate``)."""

    dossier: str
    gemeente: str
    naam: str
    status: str  # concept, aangeboden, vastgesteld; "ongeldig" when its data has errors
    datum_raad: str | None = None
    invullen: int = 0  # placeholders still visible in its documents
    amendementen: tuple[str, ...] = ()

    def to_json(self) -> dict[str, object]:
        return {
            "dossier": self.dossier,
            "gemeente": self.gemeente,
            "naam": self.naam,
            "status": self.status,
            "datum_raad": self.datum_raad,
            "invullen": self.invullen,
            "amendementen": list(self.amendementen),
        }


@dataclass(frozen=True)
class Report:
    """The outcome of validating one or more dossiers."""

    problems: tuple[Problem, ...]
    statuses: tuple[StatusRow, ...] = ()
    notes: tuple[str, ...] = ()  # what a reader should know that is no problem (a fictional region)
    language: tuple[Problem, ...] = ()  # B1 findings (warnings): never counted by ok(), not even strict

    @property
    def errors(self) -> tuple[Problem, ...]:
        return tuple(p for p in self.problems if p.severity is Severity.ERROR)

    @property
    def warnings(self) -> tuple[Problem, ...]:
        return tuple(p for p in self.problems if p.severity is Severity.WARNING)

    def ok(self, strict: bool = False) -> bool:
        return not self.errors and not (strict and self.warnings)


def unique(problems: Iterable[Problem]) -> tuple[Problem, ...]:
    """Each problem once (shared text is checked once per municipality), in file/line order."""
    return tuple(
        sorted(
            set(problems),
            key=lambda p: (p.location.file, p.location.line, p.location.column, p.field, p.message),
        )
    )


"""The outcome of checking dossiers: every problem, and where each municipality stands."""

from __future__ import annotations

import datetime as dt
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
    invullen: int = 0  # places still to fill in (INVULLEN): the number build and batch print too
    amendementen: tuple[str, ...] = ()
    historie: tuple[tuple[str, dt.date], ...] = ()  # (status, date) per step, oldest first
    herzieningen: tuple[tuple[dt.date, str], ...] = ()  # (date, reason) per revision of the offered proposal

    def history_text(self) -> str:
        """The steps as the griffie reads them: "concept 6 januari 2026 → aangeboden 20 januari 2026"."""
        from generator.model import dutch

        steps = [f"{status} {dutch.date(day)}" for status, day in self.historie]
        steps += [f"gewijzigd {dutch.date(day)} ({reason})" for day, reason in self.herzieningen]
        return " → ".join(steps).replace("\u00a0", " ")

    def to_json(self) -> dict[str, object]:
        return {
            "dossier": self.dossier,
            "gemeente": self.gemeente,
            "naam": self.naam,
            "status": self.status,
            "datum_raad": self.datum_raad,
            "invullen": self.invullen,
            "amendementen": list(self.amendementen),
            "historie": [{"status": status, "datum": day.isoformat()} for status, day in self.historie],
            "herzieningen": [{"datum": day.isoformat(), "reden": reason} for day, reason in self.herzieningen],
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


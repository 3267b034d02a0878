"""The B1 check of one municipality's proposal (``raadsvoorstel leesbaarheid``), see :mod:`generator.language`."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING

from generator.core.load import load
from generator.core.report import Report
from generator.errors import DataError, UsageError

if TYPE_CHECKING:
    from generator.language.proposal import SectionReport


@dataclass(frozen=True)
class Readability:
    """The B1 check of one municipality's proposal: its name and the report of each section with running text."""

    gemeente: str
    naam: str
    sections: list[SectionReport]


def readability(dossier: Path, gemeente: str | None = None, strict: bool = False) -> Readability:
    """The B1 check of one municipality's proposal (default: the dossier's first municipality); raises DataError
    when the dossier has errors."""
    from generator.language.proposal import check
    from generator.sources.dossier import find_dossier

    tree, slug = find_dossier(dossier)
    loaded, problems = load(tree, slug, [gemeente] if gemeente else [])
    report = Report(problems)
    if report.errors:
        raise DataError(report.errors)
    name = gemeente or next(iter(loaded.proposals), None)
    if name is None or name not in loaded.proposals:
        raise UsageError(f"dossier '{slug}' heeft geen deelnemende gemeenten")
    proposal = loaded.proposals[name]
    return Readability(name, proposal.gemeente.naam, check(proposal, strict))

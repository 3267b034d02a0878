"""Every problem of one or more dossiers, and where each municipality stands (``raadsvoorstel validate``)."""

from __future__ import annotations

from collections.abc import Sequence
from pathlib import Path

from generator.core.frozen import frozen_problems
from generator.core.load import LoadedDossier, load, participants, templates_for
from generator.core.report import Report, StatusRow, unique
from generator.errors import Problem, Severity


def validate(dossiers: Sequence[Path], language: bool = False, strict: bool = False) -> Report:
    """Every problem of every dossier (errors and warnings), and where each municipality stands.

    With ``language`` the B1 check runs too: its findings are warnings in ``Report.language`` that never fail;
    with ``strict`` as well, those of the summary for residents are errors (in ``problems``)."""
    from generator.sources.dossier import find_dossier

    found: list[Problem] = []
    plain: list[Problem] = []
    rows: list[StatusRow] = []
    notes: list[str] = []
    for path in dossiers:
        tree, slug = find_dossier(path)
        loaded, problems = load(tree, slug, templates=templates_for(path))
        found.extend(problems)
        found.extend(frozen_problems(path, loaded))  # edits that would change an offered or adopted document
        if language:
            for problem in _language_problems(loaded, strict):
                (found if problem.severity is Severity.ERROR else plain).append(problem)
        if loaded.register is not None and loaded.register.fictief:
            notes.append(
                f"{slug}: fictieve voorbeeldregio ('fictief: true' in gemeenten.yaml): de CBS-codes bestaan niet, "
                "dus publish levert PDF's en bijlagen zonder DiWoo-metadata"
            )
        entries = loaded.register.gemeenten.items() if loaded.register is not None else ()
        names = {s: g.naam for s, g in entries if g is not None}  # a broken registry entry is None
        for gemeente in participants(loaded.files):
            docs = loaded.sets.get(gemeente)
            if docs is None:
                rows.append(StatusRow(slug, gemeente, names.get(gemeente, gemeente), "ongeldig"))
                continue
            # the same count build and batch print: each place in the data still to fill in (INVULLEN)
            count = len(loaded.placeholders.get(gemeente, ()))
            rows.append(
                StatusRow(
                    slug,
                    gemeente,
                    docs.voorstel.municipality,
                    docs.status,
                    docs.meeting,
                    count,
                    docs.amendments,
                    docs.history,
                    docs.revisions,
                )
            )
    return Report(unique(found), tuple(rows), tuple(dict.fromkeys(notes)), unique(plain))


def _language_problems(loaded: LoadedDossier, strict: bool) -> list[Problem]:
    """The B1 findings of every municipality's proposal (shared text is found once per municipality; the
    caller's ``unique`` keeps one)."""
    from generator.language.proposal import problems

    return [p for proposal in loaded.proposals.values() for p in problems(proposal, strict)]


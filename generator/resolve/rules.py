"""Cross-field rules the models cannot state on their own, and the warnings for facts not yet filled in."""

from __future__ import annotations

from generator.errors import Location, Problem, Problems, Severity
from generator.model.messages import Path, dotted, suggest
from generator.model.proposal import Gemeente, Register, Voorstel
from generator.model.values import Placeholder
from generator.resolve.merge import DOSSIER_ONLY
from generator.resolve.provenance import Provenance
from generator.sources.dossier import DossierFiles

__all__ = ["check_rules", "check_signatories", "check_unfilled"]

#: Title-block facts that warn while they are still placeholders.
TITLE_FACTS = ("datum_college", "datum_raad", "zaaknummer", "portefeuillehouder", "agendapunt")


def check_rules(voorstel: Voorstel, register: Register, prov: Provenance, problems: Problems) -> None:
    """Cross-field rules the models cannot state on their own."""
    if prov.overlay is not None:
        for key in DOSSIER_ONLY:
            if key in prov.overlay.data:
                problems.append(
                    Problem(
                        prov.overlay.source.key((key,)) or Location(prov.overlay.name),
                        key,
                        f"'{key}' geldt voor het hele dossier; zet het in voorstel.yaml, niet per gemeente",
                    )
                )
    seen: set[str] = set()
    for i, slug in enumerate(voorstel.gemeenten):
        path: Path = ("gemeenten", i)
        if slug not in register.gemeenten:
            hint = suggest(slug, register.gemeenten)
            tip = f"bedoelde u '{hint}'?" if hint else "voeg de gemeente toe aan gemeenten.yaml"
            problems.append(
                Problem(prov.locate(path), dotted(path), f"gemeente '{slug}' staat niet in gemeenten.yaml; {tip}")
            )
        if slug in seen:
            problems.append(Problem(prov.locate(path), dotted(path), f"gemeente '{slug}' staat er twee keer in"))
        seen.add(slug)
    count = len(voorstel.beslispunten)
    for i, argument in enumerate(voorstel.argumenten or ()):
        if argument.beslispunt > count:
            path = ("argumenten", i, "beslispunt")
            problems.append(
                Problem(
                    prov.locate(path),
                    dotted(path),
                    f"beslispunt {argument.beslispunt} bestaat niet; het voorstel heeft {count} beslispunt(en)",
                )
            )
    goals_seen: set[int] = set()
    for i, goal in enumerate(voorstel.global_goals):
        if goal in goals_seen:
            path = ("global_goals", i)
            problems.append(Problem(prov.locate(path), dotted(path), f"Global Goal {goal} staat er twee keer in"))
        goals_seen.add(goal)


def check_signatories(files: DossierFiles, slug: str, gemeente: Gemeente, problems: Problems) -> None:
    """Warn for signatories still marked INVULLEN in the registry (only those this document uses)."""
    assert files.registry is not None
    prov = Provenance(files.registry)
    for role in ("secretaris", "burgemeester"):
        if isinstance(getattr(gemeente, role).naam, Placeholder):
            path: Path = ("gemeenten", slug, role, "naam")
            problems.append(
                Problem(
                    prov.locate(path),
                    dotted(path),
                    f"naam van de {role} van {gemeente.naam} is nog niet ingevuld",
                    Severity.WARNING,
                )
            )


def check_unfilled(voorstel: Voorstel, gemeente: Gemeente, prov: Provenance, problems: Problems) -> None:
    """Warn for title-block facts still marked INVULLEN."""
    for field in TITLE_FACTS:
        if isinstance(getattr(voorstel, field), Placeholder):
            problems.append(
                Problem(prov.locate((field,)), field, f"nog niet ingevuld voor {gemeente.naam}", Severity.WARNING)
            )

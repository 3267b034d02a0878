"""Cross-field rules the models cannot state on their own, and the warnings for facts not yet filled in."""

from __future__ import annotations

import datetime as dt

from generator.errors import Location, Problem, Problems, Severity
from generator.model.messages import Path, dotted, suggest
from generator.model.proposal import NEXT_STATUS, Gemeente, Register, Voorstel
from generator.model.values import Placeholder
from generator.resolve.merge import DOSSIER_ONLY
from generator.resolve.provenance import Provenance
from generator.sources.dossier import DossierFiles

__all__ = [
    "check_amendments",
    "check_dates",
    "check_history",
    "check_rules",
    "check_signatories",
    "check_status",
    "check_unfilled",
]

#: Keys that belong to one municipality's council and may only be set in its overlay.
OVERLAY_ONLY = ("amendementen", "historie", "herzieningen")

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
    for key in OVERLAY_ONLY:
        if key in prov.base.data:
            problems.error(
                prov.base.source.key((key,)) or Location(prov.base.name),
                key,
                f"'{key}' hoort bij de raad van één gemeente; zet ze in gemeenten/<gemeente>.yaml",
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
    roles = ["secretaris", "burgemeester", "griffier"] + (["voorzitter"] if gemeente.voorzitter is not None else [])
    for role in roles:
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
    """Warn for title-block facts and legal bases still marked INVULLEN, and for facts the besluit needs."""
    for field in TITLE_FACTS:
        if isinstance(getattr(voorstel, field), Placeholder):
            problems.append(
                Problem(prov.locate((field,)), field, f"nog niet ingevuld voor {gemeente.naam}", Severity.WARNING)
            )
    for i, basis in enumerate(voorstel.gelet_op):
        if isinstance(basis, Placeholder):
            path: Path = ("gelet_op", i)
            problems.warning(prov.locate(path), dotted(path), f"grondslag nog niet ingevuld voor {gemeente.naam}")
    if voorstel.datum_college is None:  # missing: point at the first line of the municipality's own file
        where = prov.overlay or prov.base
        first = next(iter(where.data), None) if isinstance(where.data, dict) else None
        problems.warning(
            (where.source.key((first,)) if first is not None else None) or Location(where.name),
            "datum_college",
            f"het raadsbesluit van {gemeente.naam} noemt de datum van het collegevoorstel: vul datum_college in",
        )


def check_status(voorstel: Voorstel, gemeente: Gemeente, prov: Provenance, problems: Problems) -> None:
    """An adopted besluit needs its meeting date; amendments exist only once a council has adopted."""
    if voorstel.status == "vastgesteld":
        if voorstel.datum_raad is None or isinstance(voorstel.datum_raad, Placeholder):
            problems.error(
                prov.locate(("status",)),
                "status",
                f"'vastgesteld' vraagt de datum van de raadsvergadering: vul datum_raad in voor {gemeente.naam}",
            )
    elif voorstel.amendementen:
        problems.error(
            prov.locate(("amendementen",)),
            "amendementen",
            f"amendementen horen bij een vastgesteld besluit; zet status: vastgesteld voor {gemeente.naam} "
            "(met datum_raad) of haal de amendementen weg",
        )


def check_amendments(voorstel: Voorstel, prov: Provenance, problems: Problems) -> None:
    """Each amendment names a beslispunt of the ontwerpbesluit, and carries text exactly when it needs it."""
    count = len(voorstel.beslispunten)
    struck: set[int] = set()
    for i, amendment in enumerate(voorstel.amendementen):
        path: Path = ("amendementen", i)
        name = f"amendement {amendment.nummer}"
        lowest = 0 if amendment.actie == "toevoegen" else 1
        if not lowest <= amendment.beslispunt <= count:
            where = "0 (vooraan) tot en met" if lowest == 0 else "1 tot en met"
            problems.error(
                prov.locate((*path, "beslispunt")),
                dotted((*path, "beslispunt")),
                f"{name}: beslispunt {amendment.beslispunt} bestaat niet; het ontwerpbesluit heeft {count} "
                f"beslispunt(en), kies {where} {count}",
            )
        needs_text = amendment.actie != "schrappen"
        if needs_text and not amendment.tekst:
            problems.error(prov.locate(path), dotted(path), f"{name}: '{amendment.actie}' vraagt een 'tekst'")
        if not needs_text and amendment.tekst:
            problems.error(
                prov.locate((*path, "tekst")), dotted((*path, "tekst")), f"{name}: schrappen neemt geen 'tekst'"
            )
        if amendment.actie != "toevoegen":
            if amendment.beslispunt in struck:
                problems.error(
                    prov.locate((*path, "beslispunt")),
                    dotted((*path, "beslispunt")),
                    f"{name}: beslispunt {amendment.beslispunt} is al geschrapt door een eerder amendement",
                )
            if amendment.actie == "schrappen":
                struck.add(amendment.beslispunt)
    added = sum(1 for a in voorstel.amendementen if a.actie == "toevoegen")
    left = count - len({n for n in struck if 1 <= n <= count}) + added
    if voorstel.amendementen and left == 0:
        last = max(i for i, a in enumerate(voorstel.amendementen) if a.actie == "schrappen")
        path = ("amendementen", last)
        problems.error(
            prov.locate(path),
            dotted(path),
            f"amendement {voorstel.amendementen[last].nummer}: na de amendementen blijft er geen beslispunt over; "
            "een besluit zonder beslispunten bestaat niet (een verworpen voorstel krijgt status: verworpen)",
        )


#: Dates outside these years are typing errors (2206 for 2026), not real meetings.
FIRST_YEAR, LAST_YEAR = 1990, 2100


def _next_steps(status: str) -> str:
    """The allowed next steps of ``status``, in Dutch."""
    steps = NEXT_STATUS[status]
    if not steps:
        return f"'{status}' is een eindstatus; daarna volgt geen stap meer"
    return f"na '{status}' mag alleen: {', '.join(steps)}"


def check_history(voorstel: Voorstel, gemeente: Gemeente, prov: Provenance, problems: Problems) -> None:
    """The status moves only along the allowed steps, each dated, and ``status`` is the last step.

    A proposal that is no longer a concept must say how it got there: without ``historie`` a jump from concept
    straight to vastgesteld could not be told from a proper round.
    """
    steps = voorstel.historie
    if not steps:
        if voorstel.status != "concept":
            problems.error(
                prov.locate(("status",)),
                "status",
                f"status '{voorstel.status}' van {gemeente.naam} vraagt de historie met de datum van elke stap; "
                f"schrijf eronder 'historie:' met bv. '- {{status: aangeboden, datum: JJJJ-MM-DD}}'",
            )
        return
    previous, since = "concept", None
    for i, step in enumerate(steps):
        path: Path = ("historie", i)
        if not (i == 0 and step.status == "concept") and step.status not in NEXT_STATUS[previous]:
            problems.error(
                prov.locate((*path, "status")),
                dotted((*path, "status")),
                f"van '{previous}' naar '{step.status}' mag niet; {_next_steps(previous)}",
            )
        if since is not None and step.datum < since:
            problems.error(
                prov.locate((*path, "datum")),
                dotted((*path, "datum")),
                f"stap '{step.status}' ({step.datum.isoformat()}) ligt vóór de stap ervoor ({since.isoformat()}); "
                "de historie staat in volgorde, oudste eerst",
            )
        previous, since = step.status, step.datum
    if previous != voorstel.status:
        where = ("status",) if "status" in (prov.overlay.data if prov.overlay is not None else {}) else ("historie",)
        problems.error(
            prov.locate(where),
            "status",
            f"status is '{voorstel.status}' maar de laatste stap in historie is '{previous}'; "
            f"voeg de stap naar '{voorstel.status}' met haar datum toe aan historie",
        )


def check_dates(voorstel: Voorstel, prov: Provenance, problems: Problems) -> None:
    """Dates within 1990–2100 (anything else is a typing error), and no council meeting before the college."""
    dated: list[tuple[Path, dt.date]] = [
        ((field,), value)
        for field in ("datum_college", "datum_raad")
        if isinstance(value := getattr(voorstel, field), dt.date)
    ]
    dated += [(("historie", i, "datum"), step.datum) for i, step in enumerate(voorstel.historie)]
    for path, value in dated:
        if not FIRST_YEAR <= value.year <= LAST_YEAR:
            problems.error(
                prov.locate(path),
                dotted(path),
                f"{value.isoformat()} ligt niet tussen {FIRST_YEAR} en {LAST_YEAR}; een typefout in het jaar?",
            )
    college, raad = voorstel.datum_college, voorstel.datum_raad
    if isinstance(college, dt.date) and isinstance(raad, dt.date) and raad < college:
        problems.error(
            prov.locate(("datum_raad",)),
            "datum_raad",
            f"de raad vergadert ({raad.isoformat()}) vóór het collegebesluit ({college.isoformat()}); "
            "controleer datum_raad en datum_college",
        )

"""The values a text may use: each declared variable typed and written Dutch style, and the variable context.

A value the overlay does not give (or gives as ``INVULLEN``) becomes a placeholder and a warning, never a
silent gap; a value of the wrong kind is an error at its line.
"""

from __future__ import annotations

from typing import Any

from generator.errors import Location, Problem, Problems, Severity
from generator.model import amounts, dates, dutch
from generator.model.messages import Path, dotted, suggest
from generator.model.proposal import Gemeente, Register, Voorstel
from generator.model.values import Placeholder, parse_placeholder
from generator.resolve.provenance import Provenance

__all__ = ["context_for", "values_for"]


def _typed_value(soort: str, raw: str) -> Any:
    if soort in ("bedrag", "getal"):
        return amounts.parse(raw, soort)  # "54400", "212.750,50", "€ 1.250.000"; ambiguous ones refused
    if soort == "datum":
        return dates.parse(raw)
    return raw


def _format_value(soort: str, value: Any) -> str:
    if isinstance(value, Placeholder):
        return str(value)
    if soort == "bedrag":
        return dutch.amount(value)
    if soort == "getal":
        return dutch.number(value)
    if soort == "datum":
        return dutch.date(value)
    return str(value).strip()


def values_for(voorstel: Voorstel, gemeente: Gemeente, prov: Provenance, problems: Problems) -> dict[str, str]:
    """Each declared variable formatted Dutch style, a placeholder where the overlay gives none."""
    out: dict[str, str] = {}
    for name in voorstel.waarden:
        if name not in voorstel.variabelen:
            hint = suggest(name, voorstel.variabelen)
            tip = f"bedoelde u '{hint}'?" if hint else "declareer haar onder 'variabelen' in voorstel.yaml"
            problems.append(Problem(prov.locate(("waarden", name)), f"waarden.{name}", f"onbekende waarde; {tip}"))
    for name, decl in voorstel.variabelen.items():
        raw = voorstel.waarden.get(name)
        path: Path = ("waarden", name)
        value: Any
        if raw is None or isinstance(parse_placeholder(raw), Placeholder):
            value = Placeholder(decl.omschrijving)
            where = prov.locate(path) if raw is not None else Location((prov.overlay or prov.base).name)
            problems.append(
                Problem(
                    where,
                    dotted(path),
                    f"waarde '{name}' ({decl.omschrijving}) is voor {gemeente.naam} nog niet ingevuld",
                    Severity.WARNING,
                )
            )
        else:
            try:
                value = _typed_value(decl.soort, raw)
            except ValueError as exc:
                problems.append(Problem(prov.locate(path), dotted(path), str(exc)))
                value = Placeholder(decl.omschrijving)
        out[name] = _format_value(decl.soort, value)
    return out


def context_for(voorstel: Voorstel, slug: str, register: Register, values: dict[str, str]) -> dict[str, Any]:
    """The names a text may use: ``gemeente``, ``partners``, ``deelnemers``, ``waarden``, ``onderwerp``."""
    gemeente = register.gemeenten[slug]
    found = [register.gemeenten.get(s) for s in voorstel.gemeenten]
    names = [g.naam for g in found if g is not None]
    return {
        "gemeente": {"naam": gemeente.naam, "slug": slug},
        "partners": dutch.enumeration([n for n in names if n != gemeente.naam]),
        "deelnemers": dutch.enumeration(names),
        "waarden": values,
        "onderwerp": voorstel.onderwerp,
    }

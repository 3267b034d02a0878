"""voorstel.yaml + a municipality's overlay + the registry → one validated ``Proposal``.

Merge rules (stated once, here and in the README):

* mappings merge deeply: an overlay key replaces or adds just that key;
* lists are replaced whole (an overlay's ``bijlagen`` is the complete list);
* scalars are replaced;
* ``gemeenten`` and ``variabelen`` belong to the dossier and may not be set in an overlay.

Every value remembers the file and line it came from (``Provenance``), so a problem in a merged value
points at the file that wrote it.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterator
from dataclasses import dataclass
from decimal import Decimal, InvalidOperation
from typing import Any

from pydantic import BaseModel, ValidationError

from generator import dutch
from generator.errors import Location, Problem, Problems, Severity
from generator.model.messages import Path, dotted, problems_from, suggest
from generator.model.proposal import Gemeente, Register, Voorstel
from generator.model.values import Placeholder, parse_placeholder
from generator.sources.dossier import DossierFiles, Loaded

DOSSIER_ONLY = ("gemeenten", "variabelen")


def merge(base: Any, overlay: Any) -> Any:
    """Deep-merge ``overlay`` over ``base``: mappings merge, everything else is replaced."""
    if isinstance(base, dict) and isinstance(overlay, dict):
        out = dict(base)
        for key, value in overlay.items():
            out[key] = merge(base[key], value) if key in base else value
        return out
    return overlay


@dataclass(frozen=True)
class Provenance:
    """Where each value of a merged proposal was written: the overlay wins where it has the path."""

    base: Loaded
    overlay: Loaded | None = None

    def _layers(self) -> Iterator[Loaded]:
        if self.overlay is not None:
            yield self.overlay
        yield self.base

    def locate(self, path: Path) -> Location:
        for depth in range(len(path), 0, -1):
            prefix = path[:depth]
            for layer in self._layers():
                loc = layer.source.value(prefix) or layer.source.key(prefix)
                if loc is not None:
                    return loc
        return Location(self.base.name)

    def locate_key(self, path: Path) -> Location:
        """Where the key of ``path`` is written (for problems with the key itself, such as a bad slug)."""
        for layer in self._layers():
            loc = layer.source.key(path)
            if loc is not None:
                return loc
        return self.locate(path)

    def origin(self, path: Path) -> Loaded:
        """The file a value came from (for "overschreven in gemeenten/soest.yaml:14")."""
        if self.overlay is not None and (self.overlay.source.value(path) or self.overlay.source.key(path)):
            return self.overlay
        return self.base

    def text_line(self, path: Path, line_in_text: int) -> Location:
        """The file line of line ``line_in_text`` (1-based) inside the text value at ``path``."""
        layer = self.origin(path)
        info = layer.source.scalar(path)
        if info is None:
            return self.locate(path)
        if info.block:
            return Location(layer.name, info.content_line + line_in_text - 1)
        return Location(layer.name, info.location.line + line_in_text - 1, info.location.column)


@dataclass(frozen=True)
class Proposal:
    """One municipality's proposal: validated data, the variable context and where everything came from."""

    dossier: str
    slug: str
    gemeente: Gemeente
    voorstel: Voorstel
    context: dict[str, Any]
    provenance: Provenance


def validate_model(model: type[BaseModel], data: dict[str, Any], prov: Provenance, problems: Problems) -> Any:
    """The validated model, or None with every validation problem appended."""
    try:
        return model.model_validate(data)
    except ValidationError as exc:
        problems.extend(problems_from(exc, data, model, prov.locate, prov.locate_key))
        return None


def load_register(files: DossierFiles, problems: Problems) -> Register | None:
    if files.registry is None:
        return None
    prov = Provenance(files.registry)
    register: Register | None = validate_model(Register, files.registry.data, prov, problems)
    return register


def partial_register(files: DossierFiles) -> Register | None:
    """The register's valid municipalities after :func:`load_register` failed (its problems are reported).

    Why: one wrong colour in gemeenten.yaml used to hide every problem of the dossier itself, so a clerk fixed
    one file only to meet the next batch of problems. Broken entries are kept as ``None``: they count as
    known (no "staat niet in gemeenten.yaml" for them) and their proposals are checked against the models
    only, without the texts that need the municipality's details.
    """
    data = files.registry.data if files.registry is not None else None
    raw = data.get("gemeenten") if isinstance(data, dict) else None
    if not isinstance(raw, dict):
        return None
    entries: dict[str, Gemeente | None] = {}
    for key, value in raw.items():
        try:
            entries[str(key)] = Gemeente.model_validate(value)
        except ValidationError:
            entries[str(key)] = None
    return Register.model_construct(gemeenten=entries)


def _check_signatories(files: DossierFiles, slug: str, gemeente: Gemeente, problems: Problems) -> None:
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


def _typed_value(soort: str, raw: str) -> Any:
    if soort in ("bedrag", "getal"):
        try:
            value = Decimal(raw.strip())
        except InvalidOperation:
            raise ValueError(
                f"'{raw}' is geen {soort}; schrijf bijvoorbeeld 54400 of 54400.50 (punt als decimaalteken)"
            ) from None
        if not value.is_finite():
            raise ValueError(f"'{raw}' is geen {soort}")
        return value
    if soort == "datum":
        try:
            return dt.date.fromisoformat(raw.strip())
        except ValueError:
            raise ValueError(f"'{raw}' is geen datum; schrijf JJJJ-MM-DD, bijvoorbeeld 2025-03-12") from None
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


def _values(voorstel: Voorstel, gemeente: Gemeente, prov: Provenance, problems: Problems) -> dict[str, str]:
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


def resolve(files: DossierFiles, register: Register, slug: str, problems: Problems) -> Proposal | None:
    """Merge, validate and check one municipality's proposal; problems are appended, None on errors."""
    if files.base is None:
        return None
    overlay = files.overlays.get(slug)
    prov = Provenance(files.base, overlay)
    data = merge(files.base.data, overlay.data) if overlay is not None else files.base.data
    mark = problems.mark()
    voorstel: Voorstel | None = validate_model(Voorstel, data, prov, problems)
    if voorstel is None:
        return None
    check_rules(voorstel, register, prov, problems)
    gemeente = register.gemeenten.get(slug)
    if gemeente is None:  # not in the register, or its entry is broken (see partial_register)
        return None
    values = _values(voorstel, gemeente, prov, problems)
    _check_signatories(files, slug, gemeente, problems)
    for field in ("datum_college", "datum_raad", "zaaknummer", "portefeuillehouder", "agendapunt"):
        if isinstance(getattr(voorstel, field), Placeholder):
            problems.append(
                Problem(prov.locate((field,)), field, f"nog niet ingevuld voor {gemeente.naam}", Severity.WARNING)
            )
    if problems.failed_since(mark):
        return None
    context = context_for(voorstel, slug, register, values)
    return Proposal(files.slug, slug, gemeente, voorstel, context, prov)

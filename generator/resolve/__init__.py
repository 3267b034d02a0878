"""voorstel.yaml + a municipality's overlay + the registry → one validated ``Proposal``.

One job per module:

- ``merge``       the overlay merge rules (stated once, here and in the README)
- ``provenance``  where each merged value was written (file:line for every problem)
- ``values``      the declared variables typed and written Dutch style; the variable context of the texts
- ``rules``       cross-field rules and warnings for facts still to be filled in

This module ties them together: validate the merged data against the model, check the rules, build the
context. Every problem goes to the run's :class:`~generator.errors.Problems` collector.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from pydantic import BaseModel, ValidationError

from generator.errors import Location, Problem, Problems
from generator.model.messages import problems_from
from generator.model.proposal import Gemeente, Register, Voorstel
from generator.model.sections import BY_KEY, SECTIONS
from generator.resolve.contrast import check_contrast
from generator.resolve.merge import DOSSIER_ONLY, merge
from generator.resolve.provenance import Provenance
from generator.resolve.rules import (
    check_amendments,
    check_dates,
    check_history,
    check_rules,
    check_signatories,
    check_status,
    check_unfilled,
)
from generator.resolve.values import context_for, values_for
from generator.sources.dossier import DossierFiles

__all__ = ["DOSSIER_ONLY", "Proposal", "Provenance", "context_for", "load_register", "merge", "resolve"]


@dataclass(frozen=True)
class Proposal:
    """One municipality's proposal: validated data, the variable context and where everything came from."""

    dossier: str
    slug: str
    gemeente: Gemeente
    voorstel: Voorstel
    context: dict[str, Any]
    provenance: Provenance
    registry: Provenance | None = None  # where the registry (gemeenten.yaml) wrote the names and titles


def validate_model(model: type[BaseModel], data: dict[str, Any], prov: Provenance, problems: Problems) -> Any:
    """The validated model, or None with every validation problem appended."""
    try:
        return model.model_validate(data)
    except ValidationError as exc:
        found = problems_from(exc, data, model, prov.locate, prov.locate_key)
        problems.extend(_missing_section(p, data, prov) for p in found)
        return None


def _missing_section(problem: Problem, data: dict[str, Any], prov: Provenance) -> Problem:
    """A missing section has no line of its own: point at the section before it, and say where it goes."""
    spec = BY_KEY.get(problem.field)
    if spec is None or problem.location.line or problem.field in data:
        return problem
    keys = [s.key for s in SECTIONS]
    before = [k for k in keys[: keys.index(spec.key)] if k in data]
    after = [k for k in keys[keys.index(spec.key) + 1 :] if k in data]
    neighbour, where = (before[-1], "na") if before else (after[0], "voor") if after else (None, "")
    what = f"onderdeel {spec.number}. {spec.title} ('{spec.key}') ontbreekt"
    if neighbour is None:
        return Problem(problem.location, problem.field, f"{what}; voeg '{spec.key}:' toe, of '{spec.key}: nvt'")
    location = prov.base.source.key((neighbour,)) or problem.location
    return Problem(
        Location(prov.base.name, location.line),
        problem.field,
        f"{what}; voeg '{spec.key}:' toe {where} '{neighbour}' (regel {location.line}), of schrijf '{spec.key}: nvt'",
    )


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
    values = values_for(voorstel, gemeente, prov, problems)
    check_signatories(files, slug, gemeente, problems)
    check_contrast(files, slug, gemeente, problems)
    check_unfilled(voorstel, gemeente, prov, problems)
    check_status(voorstel, gemeente, prov, problems)
    check_amendments(voorstel, prov, problems)
    check_history(voorstel, gemeente, prov, problems)
    check_dates(voorstel, prov, problems)
    if problems.failed_since(mark):
        return None
    context = context_for(voorstel, slug, register, values)
    registry = Provenance(files.registry) if files.registry is not None else None
    return Proposal(files.slug, slug, gemeente, voorstel, context, prov, registry)

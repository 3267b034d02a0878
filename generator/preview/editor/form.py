"""The editor's form, built from the model: the section table for order, titles and kinds, the models' JSON
Schema for the help text, and the dossier's files for the values. Nothing here is written per field.

:func:`context` gathers what the page template (``assets/bewerken.html``) needs; :func:`render` turns
it into HTML with Jinja (autoescaped: every value from the data is escaped).
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from decimal import Decimal
from functools import cache
from typing import Any

import jinja2

from generator.errors import GeneratorError
from generator.model.sdg import GOALS, goal_label
from generator.model.sections import SECTIONS, Kind, SectionSpec, is_nvt
from generator.preview.editor.files import REGISTRY, DossierFiles
from generator.sources.layout import PROPOSAL_FILE

__all__ = ["Control", "context", "control_id", "display_value", "render"]

#: The title-block facts per municipality, in the order of the title block, with their widget.
TITLE_FACTS = (
    ("datum_college", "Datum college", "datum"),
    ("datum_raad", "Datum raad", "datum"),
    ("zaaknummer", "Zaaknummer", "regel"),
    ("agendapunt", "Agendapunt", "regel"),
    ("portefeuillehouder", "Portefeuillehouder", "regel"),
)
ROLES = (("burgemeester", "Burgemeester"), ("secretaris", "Secretaris"), ("griffier", "Griffier"),
         ("voorzitter", "Voorzitter van de raad"))  # fmt: skip
KINDS_OF_VALUE = (("bedrag", "bedrag"), ("datum", "datum"), ("getal", "getal"), ("tekst", "tekst"))
STATUSES = (("concept", "concept"), ("aangeboden", "aangeboden"), ("vastgesteld", "vastgesteld"))
ACTIONS = (("wijzigen", "wijzigen"), ("toevoegen", "toevoegen"), ("schrappen", "schrappen"))


def control_id(bestand: str, name: str) -> str:
    """A unique, valid HTML id for the control of ``name`` in ``bestand``."""
    return "v-" + re.sub(r"[^A-Za-z0-9_-]", "_", f"{bestand}--{name}")


@cache
def _schema(kind: str) -> dict[str, Any]:
    from generator.model.schema import schema

    return schema(kind)


def _description(kind: str, *path: str) -> str:
    """The schema's description at ``path`` (properties, following $ref), or ""."""
    root = _schema(kind)
    node: dict[str, Any] = root
    for step in path:
        node = _resolve(root, node)
        node = node.get("properties", {}).get(step) or node.get("additionalProperties") or {}
    node = _resolve(root, node)
    return str(node.get("description", ""))


def _resolve(root: dict[str, Any], node: dict[str, Any]) -> dict[str, Any]:
    for _ in range(5):
        ref = node.get("$ref")
        if ref is None:
            options = [o for o in node.get("anyOf", []) if o.get("type") != "null"]
            if "description" not in node and len(options) == 1:
                node = options[0]
                continue
            return node
        described = {k: v for k, v in node.items() if k != "$ref"}
        node = {**root["$defs"][ref.rsplit("/", 1)[1]], **described}
    return node


def display_value(value: object, soort: str = "tekst") -> tuple[str, str]:
    """(the value as the control holds it, how the document shows it: "€ 54.400" for an amount)."""
    from generator.model import amounts, dutch

    if value is None:
        return "", ""
    text = str(value)
    if soort in ("bedrag", "getal"):
        try:
            number: Decimal = amounts.parse(text, soort)
        except ValueError:
            return text, ""
        return text, (dutch.amount(number) if soort == "bedrag" else dutch.number(number)).replace("\u00a0", " ")
    return text, ""


@dataclass(slots=True)
class Control:
    """One form control: where its value lives (``bestand``, ``name``), its label and help, and its widget."""

    bestand: str
    name: str
    label: str
    value: str = ""
    help: str = ""
    widget: str = "regel"  # regel, tekst, datum, bedrag, getal, keuze
    options: tuple[tuple[str, str], ...] = ()
    shown: str = ""
    placeholder: str = ""

    @property
    def id(self) -> str:
        return control_id(self.bestand, self.name)


@dataclass(slots=True)
class Section:
    spec: SectionSpec
    help: str
    nvt: bool
    text: Control | None = None
    items: list[Any] = field(default_factory=list)
    extra: dict[str, Any] = field(default_factory=dict)


def _text(data: dict[str, Any], key: str, label: str, help_text: str, widget: str = "tekst") -> Control:
    value = data.get(key)
    shown = "" if value is None or is_nvt(value) else str(value)
    return Control(PROPOSAL_FILE, key, label, shown, help_text, widget)


def _section(spec: SectionSpec, data: dict[str, Any]) -> Section:
    help_text = _description("voorstel", spec.key)
    value = data.get(spec.key)
    section = Section(spec, help_text, is_nvt(value))
    label = f"{spec.number}. {spec.title}"
    if spec.kind is Kind.TEXT:
        section.text = _text(data, spec.key, label, help_text)
    elif spec.kind is Kind.DECISIONS:
        items = value if isinstance(value, list) else []
        section.items = [
            Control(PROPOSAL_FILE, f"beslispunten.{i}", f"Beslispunt {i + 1}", str(item or ""), "", "tekst")
            for i, item in enumerate(items)
        ]
    elif spec.kind is Kind.ARGUMENTS:
        items = value if isinstance(value, list) else []
        count = max(1, len(data.get("beslispunten") or []) if isinstance(data.get("beslispunten"), list) else 1)
        groups: dict[int, list[dict[str, Any]]] = {n: [] for n in range(1, count + 1)}
        for i, item in enumerate(items):
            item = item if isinstance(item, dict) else {}
            try:
                number = int(str(item.get("beslispunt", 1)))
            except ValueError:
                number = 1
            groups.setdefault(number, []).append({
                "index": i,
                "beslispunt": Control(PROPOSAL_FILE, f"argumenten.{i}.beslispunt", "Bij beslispunt", str(number),
                                      _description("voorstel", "argumenten"), "keuze",
                                      tuple((str(n), str(n)) for n in range(1, max(count, number) + 1))),
                "kop": Control(PROPOSAL_FILE, f"argumenten.{i}.kop", "Kop", str(item.get("kop") or ""),
                               "Korte kop van het argument, één zin."),
                "tekst": Control(PROPOSAL_FILE, f"argumenten.{i}.tekst", "Toelichting", str(item.get("tekst") or ""),
                                 "Toelichting (Markdown).", "tekst"),
            })  # fmt: skip
        section.extra["groups"] = sorted(groups.items())
        section.extra["count"] = len(items)
    elif spec.kind is Kind.GOALS:
        chosen = {str(n) for n in value} if isinstance(value, list) else set()
        section.items = [
            {"number": n, "label": f"{goal_label(n)}: {title}", "checked": str(n) in chosen, "id": f"goal-{n}"}
            for n, title in enumerate(GOALS, 1)
        ]
    elif spec.kind is Kind.PARTICIPATION:
        part = value if isinstance(value, dict) else {}
        section.text = Control(PROPOSAL_FILE, "burgerparticipatie.tekst", f"{label}: tekst",
                               str(part.get("tekst") or ""), help_text, "tekst")  # fmt: skip
        people = part.get("stakeholders") if isinstance(part.get("stakeholders"), list) else []
        section.items = [
            Control(PROPOSAL_FILE, f"burgerparticipatie.stakeholders.{i}", f"Stakeholder {i + 1}", str(item or ""))
            for i, item in enumerate(people or [])
        ]
    elif spec.kind is Kind.ATTACHMENTS:
        items = value if isinstance(value, list) else []
        for i, item in enumerate(items):
            if isinstance(item, dict):
                section.items.append({
                    "titel": Control(PROPOSAL_FILE, f"bijlagen.{i}.titel", f"Bijlage {i + 1}: titel",
                                     str(item.get("titel") or "")),
                    "bestand": str(item.get("bestand") or ""),
                })  # fmt: skip
            else:
                section.items.append({"titel": Control(PROPOSAL_FILE, f"bijlagen.{i}", f"Bijlage {i + 1}: titel",
                                                       str(item or "")), "bestand": ""})  # fmt: skip
    return section


def context(files: DossierFiles, slug: str, gemeente: str, token: str) -> dict[str, Any]:
    """Everything the page shows, read from the files now; ``versions`` are what the page sends back."""
    base, base_version = files.read(PROPOSAL_FILE)
    data: dict[str, Any] = base if isinstance(base, dict) else {}
    registry, registry_version = files.read(REGISTRY)
    found = registry.get("gemeenten") if isinstance(registry, dict) else None
    regions: dict[str, Any] = found if isinstance(found, dict) else {}
    participants = [g for g in data.get("gemeenten") or [] if isinstance(g, str)]
    versions = {PROPOSAL_FILE: base_version, REGISTRY: registry_version}
    variables = data.get("variabelen") if isinstance(data.get("variabelen"), dict) else {}
    variables = {k: v for k, v in (variables or {}).items() if isinstance(v, dict)}
    rows = []
    for member in participants:
        bestand = files.overlay(member)
        try:
            overlay, version = files.read(bestand)
        except GeneratorError:  # a name the patterns refuse: shown without a row
            continue
        versions[bestand] = version
        local: dict[str, Any] = overlay if isinstance(overlay, dict) else {}
        values = local.get("waarden") if isinstance(local.get("waarden"), dict) else {}
        entry = regions.get(member) if isinstance(regions.get(member), dict) else {}
        name = str((entry or {}).get("naam") or member)
        cells = []
        for var, spec in variables.items():
            soort = str(spec.get("soort") or "tekst")
            value, shown = display_value((values or {}).get(var), soort)
            widget = {"bedrag": "bedrag", "datum": "datum", "getal": "getal"}.get(soort, "regel")
            cells.append(Control(bestand, f"waarden.{var}", f"{var} voor {name}", value,
                                 str(spec.get("omschrijving") or ""), widget, shown=shown))  # fmt: skip
        facts = []
        for key, label, widget in TITLE_FACTS:
            raw = local.get(key)
            value = "" if raw is None else str(raw)
            facts.append(Control(bestand, key, f"{label} voor {name}", value, _description("overlay", key) or label,
                                 widget))  # fmt: skip
        status = Control(bestand, "status", f"Status voor {name}", str(local.get("status") or "concept"),
                         _description("overlay", "status"), "keuze", STATUSES)  # fmt: skip
        officials = []
        for role, label in ROLES:
            person = (entry or {}).get(role)
            naam = str(person.get("naam") or "") if isinstance(person, dict) else ""
            officials.append(Control(REGISTRY, f"gemeenten.{member}.{role}.naam", f"{label} van {name}", naam,
                                     _description("gemeenten", "gemeenten", "burgemeester", "naam")))  # fmt: skip
        amendments = []
        for i, item in enumerate(local.get("amendementen") or []):
            item = item if isinstance(item, dict) else {}
            amendments.append({
                "nummer": Control(bestand, f"amendementen.{i}.nummer", f"Amendement {i + 1} van {name}: nummer",
                                  str(item.get("nummer") or "")),
                "titel": Control(bestand, f"amendementen.{i}.titel", f"Amendement {i + 1} van {name}: titel",
                                 str(item.get("titel") or "")),
                "actie": Control(bestand, f"amendementen.{i}.actie", f"Amendement {i + 1} van {name}: actie",
                                 str(item.get("actie") or "wijzigen"), "", "keuze", ACTIONS),
                "beslispunt": Control(bestand, f"amendementen.{i}.beslispunt",
                                      f"Amendement {i + 1} van {name}: beslispunt", str(item.get("beslispunt") or ""),
                                      _description("overlay", "amendementen"), "getal"),
                "tekst": Control(bestand, f"amendementen.{i}.tekst", f"Amendement {i + 1} van {name}: nieuwe tekst",
                                 str(item.get("tekst") or ""), "", "tekst"),
            })  # fmt: skip
        lokaal = local.get("lokaal") if isinstance(local.get("lokaal"), dict) else {}
        rows.append({
            "slug": member, "naam": name, "bestand": bestand, "waarden": cells, "kop": facts, "status": status,
            "functionarissen": officials, "amendementen": amendments, "lokaal": lokaal or {},
        })  # fmt: skip
    sections = [_section(spec, data) for spec in SECTIONS]
    onderwerp = Control(PROPOSAL_FILE, "onderwerp", "Onderwerp", str(data.get("onderwerp") or ""),
                        _description("voorstel", "onderwerp"))  # fmt: skip
    gelet_op = [Control(PROPOSAL_FILE, f"gelet_op.{i}", f"Gelet op {i + 1}", str(item or ""))
                for i, item in enumerate(data.get("gelet_op") or [])]  # fmt: skip
    return {
        "slug": slug,
        "gemeente": gemeente if gemeente in participants else (participants[0] if participants else ""),
        "token": token,
        "onderwerp": onderwerp,
        "gelet_op": gelet_op,
        "gelet_op_help": _description("voorstel", "gelet_op"),
        "deelnemers": _members(regions, participants),
        "variabelen": variables,
        "soorten": KINDS_OF_VALUE,
        "gemeenten": rows,
        "secties": sections,
        "versies": versions,
        "variabelen_help": _description("voorstel", "variabelen"),
        "lokaal_help": _description("overlay", "lokaal"),
    }


def _members(regions: dict[str, Any], participants: list[str]) -> list[dict[str, Any]]:
    """Every municipality of the registry (and any participant it lacks), with whether it takes part."""
    members = []
    for slug in dict.fromkeys([*regions, *participants]):
        entry = regions.get(slug)
        name = str(entry.get("naam") or slug) if isinstance(entry, dict) else slug
        members.append({"slug": slug, "naam": name, "gekozen": slug in participants})
    return members


@cache
def _environment() -> jinja2.Environment:
    return jinja2.Environment(
        loader=jinja2.PackageLoader("generator.preview.editor", "assets"),
        autoescape=True,
        undefined=jinja2.StrictUndefined,
        trim_blocks=True,
        lstrip_blocks=True,
    )


def render(ctx: dict[str, Any]) -> str:
    return _environment().get_template("bewerken.html").render(ctx)

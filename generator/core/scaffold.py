"""``raadsvoorstel new``: a new dossier with every section and a one-line Dutch hint for each, and for every
participating municipality an overlay with the title-block fields still to fill in.

In an empty folder (no ``gemeenten.yaml`` beside the dossier) it also writes the registry, starting from the
package's example region (``examples/gemeenten.yaml``); a municipality the example does not know gets an entry
import datetime as dt
to fill in. Every file it writes links its JSON Schema by a relative path to files that exist: a ``schema/``
folder in or beside the proposals folder when it holds all schemas, otherwise ``schema/`` written inside the
proposals folder (dossier discovery looks for ``*/voorstel.yaml``, so that folder is never taken for a dossier).
"""

from __future__ import annotations

import datetime as dt
import json
import os
import re
from collections.abc import Sequence
from pathlib import Path
from typing import Any

from generator.errors import DataError, OutputError, UsageError, display_path, os_message
from generator.model.schema import SCHEMAS
from generator.model.sections import SECTIONS, Kind
from generator.sources.layout import REGISTRY_FILE
from generator.sources.slugs import SLUG_RE

EXAMPLE_REGISTRY = Path(__file__).parent.parent / "examples" / "gemeenten.yaml"
SCHEMA_FOLDER = "schema"

HEADER = """\
# yaml-language-server: $schema={schema}
#
# Nieuw raadsvoorstel. Vervang elke INVULLEN door de tekst, of door nvt als een onderdeel niet van
# toepassing is. Tekstvelden zijn Markdown; variabelen: {{{{ gemeente.naam }}}}, {{{{ partners }}}},
# {{{{ deelnemers }}}}, {{{{ waarden.<naam> }}}}. Controleer met: raadsvoorstel validate {folder}
# Wat per gemeente verschilt (vergaderdata, zaaknummer, bedragen, een eigen alinea) staat in gemeenten/<gemeente>.yaml.

# De versie van het dataformaat (raadsvoorstel bijwerken brengt een ouder dossier naar de huidige).
formaat: 1

onderwerp: "INVULLEN: onderwerp van het raadsvoorstel"

# De deelnemende gemeenten (korte namen uit gemeenten.yaml), in de volgorde waarin de tekst ze noemt.
gemeenten: [{gemeenten}]

# Waarden die per gemeente verschillen; vul ze per gemeente in onder 'waarden:' in gemeenten/<gemeente>.yaml.
variabelen: {{}}

# De wettelijke grondslagen van het raadsbesluit ("gelet op …").
gelet_op:
  - "INVULLEN: wettelijke grondslag, bijvoorbeeld artikel 108 van de Gemeentewet"

# Waar het voorstel per gemeente staat: concept, aangeboden (aan de raad) of vastgesteld (met datum_raad).
# Zet het per gemeente in gemeenten/<gemeente>.yaml, met daar ook de aangenomen amendementen.
status: concept
"""

BODY: dict[Kind, str] = {
    Kind.TEXT: '{key}: "INVULLEN: {hint}"\n',
    Kind.DECISIONS: '{key}:\n  - "INVULLEN: eerste beslispunt"\n',
    Kind.ARGUMENTS: (
        '{key}:\n  - beslispunt: 1\n    kop: "INVULLEN: kop van het argument"\n    tekst: "INVULLEN: toelichting"\n'
    ),
    Kind.GOALS: "{key}: []\n",
    Kind.PARTICIPATION: '{key}:\n  tekst: "INVULLEN: {hint}"\n  stakeholders: []\n',
    Kind.ATTACHMENTS: "{key}: nvt\n",
}


OVERLAY = """\
# yaml-language-server: $schema={schema}
#
# {naam}: wat voor deze gemeente anders is dan de gedeelde tekst in ../voorstel.yaml.
# Vervang elke INVULLEN; een datum schrijft u als JJJJ-MM-DD. Controleer met: raadsvoorstel validate {folder}

formaat: 1

# Waar het voorstel in deze gemeente staat, met de datum van elke stap (oudste eerst): concept → aangeboden →
# vastgesteld, verworpen of aangehouden; of ingetrokken. Voeg bij elke nieuwe status een stap toe.
status: concept
historie:
  - {{status: concept, datum: {today}}}

# De kop van het raadsvoorstel
datum_college: "INVULLEN: datum van het collegebesluit (JJJJ-MM-DD)"
datum_raad: "INVULLEN: datum van de raadsvergadering (JJJJ-MM-DD)"
agendapunt: "INVULLEN: nummer van het agendapunt"
zaaknummer: "INVULLEN: zaaknummer uit het zaaksysteem"
portefeuillehouder: "INVULLEN: naam van de portefeuillehouder"

# De waarden van de variabelen uit voorstel.yaml, bijvoorbeeld:
# waarden:
#   bedrag: 54400

# Eén eigen alinea bij een gedeelde tekst (zie README, "Eén alinea lokaal"), bijvoorbeeld:
# lokaal:
#   aanleiding:
#     - na: label-in-de-gedeelde-tekst
#       tekst: |
#         De lokale alinea.
"""


REGISTRY_HEADER = """\
# yaml-language-server: $schema={schema}
#
# De gemeenten van de regio: naam, CBS-gemeentecode, ondertekenaars en huisstijl. 'raadsvoorstel new' schreef
# dit bestand uit het voorbeeld van het pakket (de arbeidsmarktregio Amersfoort). Controleer elke gemeente,
# vul elke INVULLEN in (de CBS-gemeentecode, bv. GM0327 voor Leusden, staat bij het CBS) en verzin geen namen.
# Het raadsvoorstel ondertekenen secretaris en burgemeester (Gemeentewet art. 59a), het raadsbesluit griffier en
# voorzitter (art. 32a). Controleer met: raadsvoorstel validate {folder}
gemeenten:
"""

NEW_MUNICIPALITY: dict[str, Any] = {
    "cbs_code": "INVULLEN: CBS-gemeentecode, bv. GM0327",
    "burgemeester": {"naam": "INVULLEN: naam burgemeester", "titel": "burgemeester"},
    "secretaris": {"naam": "INVULLEN: naam gemeentesecretaris", "titel": "gemeentesecretaris"},
    "griffier": {"naam": "INVULLEN: naam griffier", "titel": "griffier"},
}

_PLAIN = re.compile(r"[A-Za-z][A-Za-z0-9 ._-]*")
_YAML_WORDS = frozenset({"yes", "no", "on", "off", "true", "false", "null", "y", "n"})


def overlay_text(
    slug: str,
    folder: str,
    schema: str = f"../../../{SCHEMA_FOLDER}/overlay.schema.json",
    today: dt.date | None = None,
) -> str:
    """The overlay of a new dossier for ``slug``; its history starts as a concept on ``today``."""
    return OVERLAY.format(naam=slug, folder=folder, schema=schema, today=(today or dt.date.today()).isoformat())


def example_registry() -> dict[str, dict[str, Any]]:
    """The municipalities of the package's example region, as plain data in file order."""
    from generator.sources import load_yaml

    data, _ = load_yaml(EXAMPLE_REGISTRY, display_name="voorbeeld gemeenten.yaml")
    return {str(slug): dict(entry) for slug, entry in data["gemeenten"].items()}


def _scalar(value: Any) -> str:
    text = str(value)
    plain = _PLAIN.fullmatch(text) and text.lower() not in _YAML_WORDS and not text.endswith(" ")
    return text if plain else json.dumps(text, ensure_ascii=False)


def _flow(value: Any) -> str:
    if isinstance(value, dict):
        return "{" + ", ".join(f"{key}: {_flow(item)}" for key, item in value.items()) + "}"
    if isinstance(value, list):
        return "[" + ", ".join(_flow(item) for item in value) + "]"
    return _scalar(value)


def registry_text(gemeenten: list[str], folder: str, schema: str) -> str:
    """A registry for ``gemeenten`` (default: the whole example region): the example's entry where it has one,
    otherwise one with the name guessed from the slug (marked to check) and the rest to fill in."""
    example = example_registry()
    parts = [REGISTRY_HEADER.format(schema=schema, folder=folder)]
    for slug in gemeenten or list(example):
        entry = example.get(slug)
        if entry is None:
            name = slug.replace("-", " ").capitalize()
            parts.append(f"  {slug}:\n    naam: {_scalar(name)}  # controleer de schrijfwijze\n")
            entry = NEW_MUNICIPALITY
        else:
            parts.append(f"  {slug}:\n")
        parts.extend(f"    {key}: {_flow(value)}\n" for key, value in entry.items())
    return "".join(parts)


def schema_folder(proposals: Path) -> Path:
    """Where the data files' schema links point: a ``schema/`` folder in or beside the proposals folder that
    holds every schema (this repository keeps one beside ``proposals/``), otherwise ``proposals/schema``."""
    for candidate in (proposals / SCHEMA_FOLDER, proposals.parent / SCHEMA_FOLDER):
        if all((candidate / f"{kind}.schema.json").is_file() for kind in SCHEMAS):
            return candidate
    return proposals / SCHEMA_FOLDER


def schema_link(data_file: Path, schemas: Path, kind: str) -> str:
    """The relative link from ``data_file`` to its schema, as yaml-language-server reads it (``/`` always)."""
    target = schemas.absolute() / f"{kind}.schema.json"
    return Path(os.path.relpath(target, data_file.parent.absolute())).as_posix()


def write_schemas(schemas: Path) -> list[Path]:
    """Write each schema that is missing or out of date in ``schemas``; returns the files written."""
    from generator.model.schema import schema_text

    written = []
    schemas.mkdir(parents=True, exist_ok=True)
    for kind in SCHEMAS:
        target = schemas / f"{kind}.schema.json"
        text = schema_text(kind)
        if not target.is_file() or target.read_text(encoding="utf-8") != text:
            target.write_text(text, encoding="utf-8")
            written.append(target)
    return written


def scaffold_text(
    folder_name: str, gemeenten: list[str], schema: str = f"../../{SCHEMA_FOLDER}/voorstel.schema.json"
) -> str:
    parts = [HEADER.format(folder=folder_name, gemeenten=", ".join(gemeenten), schema=schema)]
    for spec in SECTIONS:
        parts.append(f"\n# {spec.number}. {spec.title} — {spec.hint}\n")
        parts.append(BODY[spec.kind].format(key=spec.key, hint=spec.hint.rstrip(".").replace('"', "'")))
    return "".join(parts)


def create(folder: Path, gemeenten: list[str], shown: str | None = None, registry: bool = False) -> list[Path]:
    """Write ``folder/voorstel.yaml`` and ``gemeenten/<slug>.yaml`` per municipality; never overwrites.

    ``shown`` is the folder as the clerk typed it, used in the hint commands so they work as printed.
    ``registry``: also write the proposals folder's ``gemeenten.yaml`` (it is missing), and with it the
    municipalities it lists when ``gemeenten`` is empty. The schemas the links point at are written when missing.
    """
    proposals = folder.parent
    schemas = schema_folder(proposals)
    shown = shown or folder.name
    folder.mkdir(parents=True, exist_ok=False)
    (folder / "gemeenten").mkdir()
    written = write_schemas(schemas)
    if registry:
        target = proposals / "gemeenten.yaml"
        target.write_text(registry_text(gemeenten, shown, schema_link(target, schemas, "gemeenten")), encoding="utf-8")
        written.append(target)
        gemeenten = gemeenten or list(example_registry())
    target = folder / "voorstel.yaml"
    target.write_text(scaffold_text(shown, gemeenten, schema_link(target, schemas, "voorstel")), encoding="utf-8")
    written.append(target)
    for slug in gemeenten:
        overlay = folder / "gemeenten" / f"{slug}.yaml"
        overlay.write_text(overlay_text(slug, shown, schema_link(overlay, schemas, "overlay")), encoding="utf-8")
        written.append(overlay)
    return written


def new_dossier(folder: Path, gemeenten: Sequence[str] = (), shown: str | None = None) -> tuple[list[Path], bool]:
    """Scaffold a dossier for ``gemeenten`` (default: the whole registry); returns the files written and
    whether the registry beside it existed (if not, ``new`` wrote one from the package's example, see
    :mod:`generator.core.scaffold`). ``shown`` is the folder as typed, for the hints in the files."""

    from generator.model.messages import suggest  # pydantic: only when a dossier is made, not for every command

    if not SLUG_RE.fullmatch(folder.name):
        raise UsageError(f"'{folder.name}' is geen geldige dossiernaam: gebruik kleine letters, cijfers en streepjes")
    if folder.exists() or folder.is_symlink():  # a dangling link "does not exist", but mkdir fails on it
        raise UsageError(f"{display_path(folder)} bestaat al; kies een andere naam")
    registry = folder.parent / REGISTRY_FILE
    known = registry_slugs(registry)
    for slug in gemeenten:
        if not SLUG_RE.fullmatch(slug):
            raise UsageError(f"'{slug}' is geen korte naam van een gemeente: gebruik kleine letters, zoals 'leusden'")
        if registry.is_file() and slug not in known:
            hint = suggest(slug, known)
            tip = f"bedoelde u '{hint}'?" if hint else f"kies uit: {', '.join(known) or '-'}"
            raise UsageError(f"gemeente '{slug}' staat niet in {REGISTRY_FILE}; {tip}")
    chosen = list(dict.fromkeys(gemeenten)) or known
    has_registry = registry.is_file()
    try:
        return create(folder, chosen, shown, registry=not has_registry), has_registry
    except OSError as exc:  # below a file, a read-only folder, a full disk
        raise OutputError(f"kon dossier {display_path(folder)} niet aanmaken: {os_message(exc)}") from exc


def registry_slugs(registry: Path) -> list[str]:
    """The municipalities of a registry, or none when it is missing or unreadable (``new`` still works)."""
    if not registry.is_file():
        return []
    from generator.sources import load_yaml  # the YAML loader only when a registry is there

    try:
        data, _ = load_yaml(registry)
    except DataError:
        return []
    gemeenten = data.get("gemeenten") if isinstance(data, dict) else None
    return [str(k) for k in gemeenten] if isinstance(gemeenten, dict) else []


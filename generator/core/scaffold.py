"""``raadsvoorstel new``: a new dossier with every section and a one-line Dutch hint for each, and for every
participating municipality an overlay with the title-block fields still to fill in."""

from __future__ import annotations

from collections.abc import Sequence
from pathlib import Path

from generator.errors import DataError, OutputError, UsageError, display_path, os_message
from generator.model.sections import SECTIONS, Kind
from generator.sources.layout import REGISTRY_FILE
from generator.sources.slugs import SLUG_RE

HEADER = """\
# yaml-language-server: $schema=../../schema/voorstel.schema.json
#
# Nieuw raadsvoorstel. Vervang elke INVULLEN door de tekst, of door nvt als een onderdeel niet van
# toepassing is. Tekstvelden zijn Markdown; variabelen: {{{{ gemeente.naam }}}}, {{{{ partners }}}},
# {{{{ deelnemers }}}}, {{{{ waarden.<naam> }}}}. Controleer met: raadsvoorstel validate {folder}
# Wat per gemeente verschilt (vergaderdata, zaaknummer, bedragen, een eigen alinea) staat in gemeenten/<gemeente>.yaml.

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
# yaml-language-server: $schema=../../../schema/overlay.schema.json
#
# {naam}: wat voor deze gemeente anders is dan de gedeelde tekst in ../voorstel.yaml.
# Vervang elke INVULLEN; een datum schrijft u als JJJJ-MM-DD. Controleer met: raadsvoorstel validate {folder}

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


def overlay_text(slug: str, folder: str) -> str:
    return OVERLAY.format(naam=slug, folder=folder)


def scaffold_text(folder_name: str, gemeenten: list[str]) -> str:
    parts = [HEADER.format(folder=folder_name, gemeenten=", ".join(gemeenten))]
    for spec in SECTIONS:
        parts.append(f"\n# {spec.number}. {spec.title} — {spec.hint}\n")
        parts.append(BODY[spec.kind].format(key=spec.key, hint=spec.hint.rstrip(".").replace('"', "'")))
    return "".join(parts)


def create(folder: Path, gemeenten: list[str], shown: str | None = None) -> list[Path]:
    """Write ``folder/voorstel.yaml`` and ``gemeenten/<slug>.yaml`` per municipality; never overwrites.

    ``shown`` is the folder as the clerk typed it, used in the hint commands so they work as printed.
    """
    folder.mkdir(parents=True, exist_ok=False)
    (folder / "gemeenten").mkdir()
    target = folder / "voorstel.yaml"
    target.write_text(scaffold_text(shown or folder.name, gemeenten), encoding="utf-8")
    written = [target]
    for slug in gemeenten:
        overlay = folder / "gemeenten" / f"{slug}.yaml"
        overlay.write_text(overlay_text(slug, shown or folder.name), encoding="utf-8")
        written.append(overlay)
    return written


def new_dossier(folder: Path, gemeenten: Sequence[str] = (), shown: str | None = None) -> tuple[list[Path], bool]:
    """Scaffold a dossier for ``gemeenten`` (default: the whole registry); returns the files written and
    whether the registry beside it exists. ``shown`` is the folder as typed, for the hints in the files."""

    from generator.model.messages import suggest  # pydantic: only when a dossier is made, not for every command

    if not SLUG_RE.fullmatch(folder.name):
        raise UsageError(f"'{folder.name}' is geen geldige dossiernaam: gebruik kleine letters, cijfers en streepjes")
    if folder.exists() or folder.is_symlink():  # a dangling link "does not exist", but mkdir fails on it
        raise UsageError(f"{display_path(folder)} bestaat al; kies een andere naam")
    registry = folder.parent / REGISTRY_FILE
    known = _registry_slugs(registry)
    for slug in gemeenten:
        if not SLUG_RE.fullmatch(slug):
            raise UsageError(f"'{slug}' is geen korte naam van een gemeente: gebruik kleine letters, zoals 'leusden'")
        if registry.is_file() and slug not in known:
            hint = suggest(slug, known)
            tip = f"bedoelde u '{hint}'?" if hint else f"kies uit: {', '.join(known) or '-'}"
            raise UsageError(f"gemeente '{slug}' staat niet in {REGISTRY_FILE}; {tip}")
    chosen = list(dict.fromkeys(gemeenten)) or known
    try:
        return create(folder, chosen, shown), registry.is_file()
    except OSError as exc:  # below a file, a read-only folder, a full disk
        raise OutputError(f"kon dossier {display_path(folder)} niet aanmaken: {os_message(exc)}") from exc


def _registry_slugs(registry: Path) -> list[str]:
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


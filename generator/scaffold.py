"""``raadsvoorstel new``: a new dossier with every section and a one-line Dutch hint for each."""

from __future__ import annotations

from pathlib import Path

from generator.model.sections import SECTIONS, Kind

HEADER = """\
# yaml-language-server: $schema=../../schema/voorstel.schema.json
#
# Nieuw raadsvoorstel. Vervang elke INVULLEN door de tekst, of door nvt als een onderdeel niet van
# toepassing is. Tekstvelden zijn Markdown; variabelen: {{{{ gemeente.naam }}}}, {{{{ partners }}}},
# {{{{ deelnemers }}}}, {{{{ waarden.<naam> }}}}. Controleer met: raadsvoorstel validate {folder}

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


def scaffold_text(folder_name: str, gemeenten: list[str]) -> str:
    parts = [HEADER.format(folder=folder_name, gemeenten=", ".join(gemeenten))]
    for spec in SECTIONS:
        parts.append(f"\n# {spec.number}. {spec.title} — {spec.hint}\n")
        parts.append(BODY[spec.kind].format(key=spec.key, hint=spec.hint.rstrip(".").replace('"', "'")))
    return "".join(parts)


def create(folder: Path, gemeenten: list[str]) -> Path:
    """Write ``folder/voorstel.yaml`` and an empty ``gemeenten/``; never overwrites."""
    folder.mkdir(parents=True, exist_ok=False)
    (folder / "gemeenten").mkdir()
    target = folder / "voorstel.yaml"
    target.write_text(scaffold_text(folder.name, gemeenten), encoding="utf-8")
    return target

"""The 21 sections of a raadsvoorstel: one ordered table, the single source of truth for numbering.

The order and titles follow the reference proposal (Leusden, "Uitgangspunten impuls sociale infrastructuur
en toekomst sociaal ontwikkelbedrijf"). ``key`` is the YAML key a clerk writes.
"""

from __future__ import annotations

from dataclasses import dataclass
from enum import StrEnum


class Kind(StrEnum):
    """What a section holds; decides its model type and how the builder renders it."""

    TEXT = "tekst"  # Markdown text, or "nvt"
    DECISIONS = "beslispunten"  # numbered beslispunten
    ARGUMENTS = "argumenten"  # arguments grouped per beslispunt
    GOALS = "global_goals"  # the Global Goals checklist
    PARTICIPATION = "burgerparticipatie"  # text plus stakeholders
    ATTACHMENTS = "bijlagen"  # numbered titles


@dataclass(frozen=True, slots=True)
class SectionSpec:
    number: int
    key: str
    title: str
    kind: Kind
    hint: str  # one line of Dutch guidance, used by `raadsvoorstel new` and the JSON Schema


SECTIONS: tuple[SectionSpec, ...] = (
    SectionSpec(1, "aanleiding", "Aanleiding", Kind.TEXT, "Waarom ligt dit voorstel er? Schets de context."),
    SectionSpec(2, "wettelijke_grondslag", "Wettelijke grondslag", Kind.TEXT, "Welke wet of regeling geldt?"),
    SectionSpec(3, "beoogd_effect", "Beoogd effect/ bestuurlijk kader", Kind.TEXT, "Wat wil het college bereiken?"),
    SectionSpec(4, "deadline", "Deadline", Kind.TEXT, "Is er een uiterste datum? Anders: nvt."),
    SectionSpec(5, "beslispunten", "Voorstel", Kind.DECISIONS, "De beslispunten, elk als één zin."),
    SectionSpec(6, "argumenten", "Argumenten", Kind.ARGUMENTS, "Per beslispunt de argumenten: kop en toelichting."),
    SectionSpec(7, "alternatieve_scenarios", "Alternatieve scenario’s", Kind.TEXT, "Welke alternatieven zijn er?"),
    SectionSpec(8, "risicos", "Risico’s", Kind.TEXT, "Welke risico's en kanttekeningen zijn er?"),
    SectionSpec(9, "vervolg", "Vervolg", Kind.TEXT, "Wat gebeurt er na het besluit?"),
    SectionSpec(10, "evaluatie", "Evaluatie", Kind.TEXT, "Hoe en wanneer wordt geëvalueerd?"),
    SectionSpec(11, "inkoopadvies", "Inkoopadvies", Kind.TEXT, "Advies van inkoop, of nvt."),
    SectionSpec(12, "advies_hr", "Advies van HR", Kind.TEXT, "Advies van HR, of nvt."),
    SectionSpec(13, "advies_ict", "Advies ICT", Kind.TEXT, "Advies van ICT, of nvt."),
    SectionSpec(14, "juridisch_advies", "Juridisch advies", Kind.TEXT, "Juridisch advies, of nvt."),
    SectionSpec(
        15,
        "financieel_advies",
        "Financieel advies (kosten en dekking)",
        Kind.TEXT,
        "Kosten en dekking; bedragen per gemeente via waarden.",
    ),
    SectionSpec(16, "advies_communicatie", "Advies communicatie", Kind.TEXT, "Communicatieadvies, of nvt."),
    SectionSpec(
        17,
        "intergemeentelijke_samenwerking",
        "Intergemeentelijke samenwerking",
        Kind.TEXT,
        "Met welke gemeenten wordt samengewerkt? Gebruik {{ partners }}.",
    ),
    SectionSpec(18, "global_goals", "Global Goals", Kind.GOALS, "Nummers (1-17) van de Global Goals die gelden."),
    SectionSpec(19, "klimaatadaptatie", "Klimaatadaptatie", Kind.TEXT, "Gevolgen voor klimaatadaptatie, of nvt."),
    SectionSpec(
        20,
        "burgerparticipatie",
        "Burgerparticipatie",
        Kind.PARTICIPATION,
        "Hoe zijn inwoners betrokken (tekst) en welke stakeholders?",
    ),
    SectionSpec(21, "bijlagen", "Bijlagen", Kind.ATTACHMENTS, "De titels van de bijlagen, in volgorde."),
)

BY_KEY: dict[str, SectionSpec] = {s.key: s for s in SECTIONS}

# Values that mean "this section does not apply"; rendered as "Nvt".
NVT_WORDS = frozenset({"nvt", "n.v.t.", "n.v.t"})


def is_nvt(value: object) -> bool:
    return isinstance(value, str) and value.strip().lower() in NVT_WORDS

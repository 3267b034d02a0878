"""Pydantic models of the data files (frozen, ``extra='forbid'``).

``Voorstel`` is the shape of a *merged* proposal: the dossier's ``voorstel.yaml`` with one municipality's
overlay merged over it (see ``resolve.py``). Cross-field rules that need the registry or several fields at
once live in ``model/rules.py`` so each can name the exact field it is about.
"""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from typing import Annotated, Any, Literal

from pydantic import BaseModel, BeforeValidator, ConfigDict, Field

from generator.model.sections import is_nvt
from generator.model.values import Fillable, Line, MarkdownText, Slug


class Strict(BaseModel):
    """Base of every data model: immutable, unknown keys are errors."""

    model_config = ConfigDict(frozen=True, extra="forbid", str_strip_whitespace=False)


def _nvt_or_value(value: Any) -> Any:
    """'nvt' → None (the section does not apply); an empty value is an error, not a silent gap."""
    if value is None:
        raise ValueError("dit onderdeel is leeg; vul het in, of schrijf 'nvt' als het niet van toepassing is")
    if is_nvt(value):
        return None
    return value


class Argument(Strict):
    """One argument of section 6, supporting beslispunt ``beslispunt`` (1-based)."""

    beslispunt: int = Field(ge=1, description="Nummer van het beslispunt dat dit argument onderbouwt.")
    kop: Line = Field(description="Korte kop van het argument, één zin.")
    tekst: MarkdownText = Field(description="Toelichting (Markdown).")


class Burgerparticipatie(Strict):
    tekst: MarkdownText = Field(description="Hoe inwoners en organisaties betrokken zijn (Markdown).")
    stakeholders: list[Line] = Field(default_factory=list, description="De betrokken partijen, één per regel.")


class Ondertekening(Strict):
    slotformule: Line = Field(default="Met vriendelijke groet,", description="De slotformule boven de handtekeningen.")


class Variabele(Strict):
    """A per-municipality value the shared text uses as ``{{ waarden.naam }}``."""

    soort: Literal["bedrag", "datum", "tekst", "getal"] = Field(description="Het soort waarde.")
    omschrijving: Line = Field(description="Wat de waarde is; verschijnt als hint bij INVULLEN.")


NvtOr = BeforeValidator(_nvt_or_value)


class Voorstel(Strict):
    """A whole council proposal for one municipality (after merging the overlay)."""

    # --- metadata ---
    onderwerp: Line = Field(description="Het onderwerp van het raadsvoorstel.")
    gemeenten: list[Slug] = Field(
        min_length=1, description="De deelnemende gemeenten, in de volgorde waarin de tekst ze noemt."
    )
    datum_college: Fillable[dt.date] | None = Field(default=None, description="Datum collegebesluit (JJJJ-MM-DD).")
    datum_raad: Fillable[dt.date] | None = Field(default=None, description="Datum raadsvergadering (JJJJ-MM-DD).")
    zaaknummer: Fillable[Line] | None = None
    portefeuillehouder: Fillable[Line] | None = None
    agendapunt: Fillable[Line] | None = None
    variabelen: dict[str, Variabele] = Field(
        default_factory=dict, description="Waarden die per gemeente verschillen, met hun soort."
    )
    waarden: dict[str, str | None] = Field(
        default_factory=dict, description="De waarden van deze gemeente (in gemeenten/<gemeente>.yaml)."
    )

    # --- the 21 sections (see model/sections.py) ---
    aanleiding: MarkdownText
    wettelijke_grondslag: MarkdownText
    beoogd_effect: MarkdownText
    deadline: MarkdownText
    beslispunten: list[MarkdownText] = Field(min_length=1, description="De beslispunten van het voorstel.")
    argumenten: Annotated[list[Argument] | None, NvtOr] = Field(description="Argumenten per beslispunt, of nvt.")
    alternatieve_scenarios: MarkdownText
    risicos: MarkdownText
    vervolg: MarkdownText
    evaluatie: MarkdownText
    inkoopadvies: MarkdownText
    advies_hr: MarkdownText
    advies_ict: MarkdownText
    juridisch_advies: MarkdownText
    financieel_advies: MarkdownText
    advies_communicatie: MarkdownText
    intergemeentelijke_samenwerking: MarkdownText
    global_goals: list[Annotated[int, Field(ge=1, le=17)]] = Field(
        description="Nummers van de Global Goals (1-17) waaraan het voorstel bijdraagt; [] als geen."
    )
    klimaatadaptatie: MarkdownText
    burgerparticipatie: Annotated[Burgerparticipatie | None, NvtOr]
    bijlagen: Annotated[list[Line] | None, NvtOr] = Field(description="Titels van de bijlagen, of nvt.")
    ondertekening: Ondertekening = Field(default_factory=Ondertekening)


class Functionaris(Strict):
    naam: Fillable[Line] = Field(description="Naam zoals onder de handtekening, of INVULLEN.")
    titel: Line = Field(description="Functietitel onder de naam, bv. 'burgemeester'.")


def _no_svg(value: Any) -> Any:
    """Word cannot show SVG on its own (it needs a PNG beside it), so the logo is a PNG or JPEG."""
    if isinstance(value, str) and value.lower().endswith(".svg"):
        raise ValueError("een svg-logo kan Word niet tonen; lever het logo als png of jpg")
    return value


class Huisstijl(Strict):
    kleur: Annotated[str, Field(pattern=r"^#[0-9A-Fa-f]{6}$")] = Field(
        default="#1F4E79", description="Huiskleur als #RRGGBB."
    )
    logo: (
        Annotated[str, BeforeValidator(_no_svg), Field(pattern=r"^[A-Za-z0-9][A-Za-z0-9._-]*\.(png|jpg|jpeg)$")] | None
    ) = Field(default=None, description="Bestandsnaam van het logo in templates/gemeenten/<gemeente>/ (png of jpg).")


class Gemeente(Strict):
    naam: Line
    burgemeester: Functionaris
    secretaris: Functionaris
    griffier: Functionaris | None = None
    huisstijl: Huisstijl = Field(default_factory=Huisstijl)


class Register(Strict):
    """``proposals/gemeenten.yaml``: the municipalities of the region."""

    gemeenten: dict[Slug, Gemeente] = Field(min_length=1)


AMOUNT_TYPES: dict[str, type] = {"bedrag": Decimal, "getal": Decimal, "datum": dt.date, "tekst": str}

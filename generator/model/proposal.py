"""Pydantic models of the data files (frozen, ``extra='forbid'``).

``Voorstel`` is the shape of a *merged* proposal: the dossier's ``voorstel.yaml`` with one municipality's
overlay merged over it (see ``resolve.py``). Cross-field rules that need the registry or several fields at
once live in ``model/rules.py`` so each can name the exact field it is about.
"""

from __future__ import annotations

import datetime as dt
from typing import Annotated, Any, Literal

from pydantic import BaseModel, BeforeValidator, ConfigDict, Field, WithJsonSchema, model_validator

from generator.model.sections import is_nvt
from generator.model.values import AgendaItem, Code, Fillable, Line, MarkdownText, MunicipalityName, Name, Slug, Subject


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

#: Where a proposal stands in one municipality: written by the college (concept), offered to the council
#: (aangeboden: nothing may be left to fill in), adopted by the council (vastgesteld: the besluit is final),
#: rejected (verworpen), held over to a later meeting (aangehouden) or withdrawn by the college (ingetrokken).
Status = Literal["concept", "aangeboden", "vastgesteld", "verworpen", "aangehouden", "ingetrokken"]
STATUSES: tuple[str, ...] = ("concept", "aangeboden", "vastgesteld", "verworpen", "aangehouden", "ingetrokken")

#: The steps a status may take (``historie``). A proposal the council held over (aangehouden) comes back to a
#: later meeting, so it may be offered again; the council's decisions and a withdrawal are final.
NEXT_STATUS: dict[str, tuple[str, ...]] = {
    "concept": ("aangeboden", "ingetrokken"),
    "aangeboden": ("vastgesteld", "verworpen", "aangehouden", "ingetrokken"),
    "aangehouden": ("aangeboden",),
    "vastgesteld": (),
    "verworpen": (),
    "ingetrokken": (),
}


class Herziening(Strict):
    """A deliberate change of an offered proposal (``raadsvoorstel herzie``): the documents say "Gewijzigd"."""

    datum: dt.date = Field(description="De datum van de wijziging (JJJJ-MM-DD).")
    reden: Line = Field(description="Waarom het aangeboden voorstel is gewijzigd, in één zin.")


class Stap(Strict):
    """One step in a municipality's ``historie``: the status it reached and the date it did."""

    status: Status = Field(description="De status die op deze datum begon.")
    datum: dt.date = Field(description="De datum van deze stap (JJJJ-MM-DD).")


class Amendement(Strict):
    """An amendment one council adopted: what it does to the beslispunten of that council's besluit.

    ``beslispunt`` counts as in the ontwerpbesluit (the numbers the council voted on): the beslispunt to change
    or strike, or the one after which the new text goes (0: before the first).
    """

    nummer: Code = Field(description="Nummer of korte naam van het amendement, bv. 'A1'.")
    titel: Line | None = Field(default=None, description="Titel van het amendement.")
    actie: Literal["wijzigen", "toevoegen", "schrappen"] = Field(
        description="wijzigen: nieuwe tekst voor een beslispunt; toevoegen: een beslispunt erbij; schrappen: weg."
    )
    beslispunt: int = Field(
        ge=0, description="Het beslispunt (nummering van het ontwerpbesluit); bij toevoegen: na welk (0 = vooraan)."
    )
    tekst: MarkdownText | None = Field(default=None, description="De nieuwe tekst (bij wijzigen en toevoegen).")


# The loader hands every value over as text; an editor reads ``54400`` as a number, and that is how the README
# writes amounts, so the schema allows both (the variable's ``soort`` decides what the text must say).
WaardeTekst = Annotated[str | None, WithJsonSchema({"type": ["string", "number", "null"]})]


class LokaleWijziging(Strict):
    """One local change to a shared text: before, after or instead of a labelled place, or removing it.

    Exactly one of ``na``, ``voor``, ``in_plaats_van`` and ``verwijder`` names the label (``[#naam]`` in the
    shared text); ``tekst`` is the local text, and is not given with ``verwijder``.
    """

    na: Line | None = Field(default=None, description="Label in de gedeelde tekst waarna de tekst komt.")
    voor: Line | None = Field(default=None, description="Label in de gedeelde tekst waarvoor de tekst komt.")
    in_plaats_van: Line | None = Field(
        default=None, description="Label van de alinea, het punt of de rij die vervangen wordt."
    )
    verwijder: Line | None = Field(default=None, description="Label van de alinea, het punt of de rij die wegvalt.")
    tekst: MarkdownText | None = Field(default=None, description="De lokale tekst (Markdown).")

    @model_validator(mode="after")
    def _one_place(self) -> LokaleWijziging:
        given = [k for k in ("na", "voor", "in_plaats_van", "verwijder") if getattr(self, k) is not None]
        if len(given) != 1:
            raise ValueError("schrijf precies één van na, voor, in_plaats_van of verwijder, met het label als waarde")
        if given[0] == "verwijder" and self.tekst is not None:
            raise ValueError("bij verwijder hoort geen tekst")
        if given[0] != "verwijder" and self.tekst is None:
            raise ValueError(f"bij {given[0]} hoort een tekst: schrijf 'tekst: |' met de lokale tekst eronder")
        return self

    @property
    def action(self) -> tuple[str, str]:
        """(action, label), e.g. ("na", "opstartbegroting")."""
        for key in ("na", "voor", "in_plaats_van", "verwijder"):
            value = getattr(self, key)
            if value is not None:
                return key, value
        raise AssertionError("validated: one place is given")


class Voorstel(Strict):
    """A whole council proposal for one municipality (after merging the overlay)."""

    # --- metadata ---
    formaat: int | None = Field(
        default=None, ge=1, le=1, description="Versie van het dataformaat (1); raadsvoorstel new schrijft het."
    )
    onderwerp: Subject = Field(description="Het onderwerp van het raadsvoorstel.")
    gemeenten: list[Slug] = Field(
        min_length=1, description="De deelnemende gemeenten, in de volgorde waarin de tekst ze noemt."
    )
    datum_college: Fillable[dt.date] | None = Field(default=None, description="Datum collegebesluit (JJJJ-MM-DD).")
    datum_raad: Fillable[dt.date] | None = Field(default=None, description="Datum raadsvergadering (JJJJ-MM-DD).")
    zaaknummer: Fillable[Code] | None = None
    portefeuillehouder: Fillable[Name] | None = None
    agendapunt: Fillable[AgendaItem] | None = None
    status: Status = Field(
        default="concept",
        description="concept (mag nog INVULLEN bevatten), aangeboden (aan de raad: niets meer in te vullen), "
        "vastgesteld (door de raad; vraagt datum_raad), verworpen, aangehouden of ingetrokken.",
    )
    historie: list[Stap] = Field(
        default_factory=list,
        description="De stappen van de status met hun datum, oudste eerst; de laatste is de huidige status "
        "(in gemeenten/<gemeente>.yaml). Nodig zodra de status niet meer concept is.",
    )
    herzieningen: list[Herziening] = Field(
        default_factory=list,
        description="Wijzigingen van het aangeboden voorstel, oudste eerst (geschreven door raadsvoorstel herzie; "
        "in gemeenten/<gemeente>.yaml).",
    )
    gelet_op: list[Fillable[Line]] = Field(
        min_length=1,
        description="De wettelijke grondslagen van het raadsbesluit ('gelet op …'), "
        "bv. 'artikel 108 van de Gemeentewet'.",
    )
    amendementen: list[Amendement] = Field(
        default_factory=list,
        description="Door deze raad aangenomen amendementen (alleen in gemeenten/<gemeente>.yaml).",
    )
    variabelen: dict[str, Variabele] = Field(
        default_factory=dict, description="Waarden die per gemeente verschillen, met hun soort."
    )
    waarden: dict[str, WaardeTekst] = Field(
        default_factory=dict, description="De waarden van deze gemeente (in gemeenten/<gemeente>.yaml)."
    )

    samenvatting: MarkdownText | None = Field(
        default=None,
        description="Samenvatting voor de inwoner in eenvoudige taal (taalniveau B1); alleen getoond als het "
        "opmaakprofiel van de gemeente een onderdeel met lokaal = \"samenvatting\" heeft.",
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
    bijlagen: Annotated[list[Line | Bijlage] | None, NvtOr] = Field(
        description="Titels van de bijlagen (of per bijlage titel en bestand in bijlagen/), of nvt."
    )
    ondertekening: Ondertekening = Field(default_factory=Ondertekening)
    lokaal: dict[str, list[LokaleWijziging]] = Field(
        default_factory=dict,
        description="Per tekstonderdeel de lokale wijzigingen van deze gemeente (in gemeenten/<gemeente>.yaml).",
    )


class Bijlage(Strict):
    """An attachment published with its file (``raadsvoorstel publish``); a plain title stays a title only."""

    titel: Line = Field(description="De titel van de bijlage, zoals het voorstel hem noemt.")
    bestand: Line = Field(
        description="Bestandsnaam in de map bijlagen/ van het dossier, bv. 'convenant.pdf'; gaat mee in de publicatie."
    )


class Functionaris(Strict):
    naam: Fillable[Name] = Field(description="Naam zoals onder de handtekening, of INVULLEN.")
    titel: Name = Field(description="Functietitel onder de naam, bv. 'burgemeester'.")


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
    naam: MunicipalityName
    cbs_code: Annotated[str, Field(pattern=r"^GM[0-9]{4}$")] = Field(
        description="Gemeentecode van het CBS, bv. GM0327 (Leusden); ook de basis van de TOOI-code."
    )
    burgemeester: Functionaris
    secretaris: Functionaris
    griffier: Functionaris = Field(description="Ondertekent het raadsbesluit met de voorzitter (Gemeentewet art. 32a).")
    voorzitter: Functionaris | None = Field(
        default=None, description="Voorzitter van de raad; zonder deze sleutel de burgemeester."
    )
    huisstijl: Huisstijl = Field(default_factory=Huisstijl)
    formaten: list[Literal["docx", "pdf", "odt", "html", "txt"]] | None = Field(
        default=None,
        min_length=1,
        description="Wat build en batch zonder --format voor deze gemeente maken; standaard docx en pdf, "
        "bv. [docx, pdf, odt] voor een open formaat erbij.",
    )

    @property
    def chair(self) -> Functionaris:
        """Who chairs the council: the data's voorzitter, otherwise the burgemeester (Gemeentewet art. 9)."""
        return self.voorzitter or Functionaris(naam=self.burgemeester.naam, titel="voorzitter")


class Register(Strict):
    """``proposals/gemeenten.yaml``: the municipalities of the region."""

    gemeenten: dict[Slug, Gemeente] = Field(min_length=1)
    fictief: bool = Field(
        default=False,
        description="true voor een verzonnen voorbeeldregio: de CBS-codes bestaan niet, dus publish levert geen "
        "DiWoo-metadata (een record met een verzonnen uitgever is ongeldig).",
    )


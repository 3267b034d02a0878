"""Proposal → the (ontwerp)raadsbesluit: the decision the council votes on, in its standard Dutch form.

    De raad van de gemeente Leusden;
    gelezen het voorstel van burgemeester en wethouders van 11 maart 2025, Z-2025-001;
    gelet op artikel 108 van de Gemeentewet;
    besluit:
    1. … (the beslispunten)
    Aldus besloten in de openbare vergadering van 3 juni 2025.
    De griffier,              De voorzitter,

Why a builder of its own beside the voorstel's: the besluit is a second document of the same proposal, built
from the same resolved data. The beslispunten are *the same IR blocks* as § 5 of the voorstel (the voorstel's
builder hands them over), so the two can never differ — until a council adopts an amendment, which changes
only that municipality's adopted besluit. Until the council has decided, the document is the
"Ontwerpbesluit" and the date line stays open.

An amended besluit says so, as councils do: it is the "Raadsbesluit (geamendeerd)", and after the beslispunten
a part "Aangenomen amendementen" names each amendment and what it changed (``amendment_lines``); the same
lines go into the publication facts (DiWoo record, XMP).
"""

from __future__ import annotations

import dataclasses
from collections.abc import Sequence

from generator.document.build import _field_value as field_value  # one rule for facts and placeholders
from generator.document.build import _highlight as highlight
from generator.document.build import _Texts as Texts
from generator.document.build import assemble
from generator.document.nodes import (
    OPEN_DATE,
    OPEN_DATE_SPOKEN,
    Block,
    BulletList,
    Document,
    MetaField,
    NumberedList,
    Paragraph,
    Section,
    Signatory,
    SignatureBlock,
    Text,
)
from generator.document.profile import REFERENCE, Profile
from generator.model import dutch
from generator.model.proposal import Amendement
from generator.model.values import Placeholder
from generator.resolve import Proposal

__all__ = [
    "AMENDED", "DRAFT", "FINAL", "NAME", "OPEN_DATE", "OPEN_DATE_SPOKEN",
    "amendment_lines", "build_besluit", "item_origins",
]  # fmt: skip

NAME = "raadsbesluit"
DRAFT = "Ontwerpbesluit"
FINAL = "Raadsbesluit"
AMENDED = "Raadsbesluit (geamendeerd)"

Item = tuple[Block, ...]


def build_besluit(
    proposal: Proposal, beslispunten: Sequence[Item], texts: Texts, *, adopted: bool, profile: Profile = REFERENCE
) -> Document:
    """The besluit of ``proposal``: adopted (with the council's amendments) or as offered (the ontwerp).

    ``beslispunten`` are the rendered items of the voorstel's § 5, passed in, never rendered again; the standard
    phrases are the municipality's layout ``profile``'s (the reference wording unless it rewords them).
    """
    v = proposal.voorstel
    g = proposal.gemeente
    items = apply_amendments(beslispunten, v.amendementen, texts) if adopted else tuple(beslispunten)
    meeting = _date(v.datum_raad) if adopted else OPEN_DATE
    sections: tuple[Section, ...] = (
        Section(
            None,
            "aanhef",
            profile.phrase("aanhef", gemeente=g.naam),
            (
                _paragraph(profile.phrase("gelezen", voorstel=_read(v))),
                _paragraph(
                    profile.phrase("gelet_op", grondslagen=dutch.enumeration([str(basis) for basis in v.gelet_op]))
                ),
            ),
        ),
        Section(None, "besluit", profile.phrase("besluit"), (NumberedList(items),)),
    )
    amended = adopted and bool(v.amendementen)
    if amended:
        listed = tuple((_paragraph(line),) for line in amendment_lines(v.amendementen))
        sections += (Section(None, "amendementen", "Aangenomen amendementen:", (BulletList(listed),)),)
    fields = tuple(
        MetaField(label, value)
        for label, fact in (
            ("Datum raadsvergadering", v.datum_raad),
            ("Agendapunt", v.agendapunt),
            ("Zaaknummer", v.zaaknummer),
        )
        if (value := field_value(fact)) is not None
    )
    signature = SignatureBlock(
        closing=profile.phrase("slot", datum=meeting),
        college=f"De raad van de gemeente {g.naam},",
        signatories=tuple(
            Signatory(field_value(person.naam) or (), role)
            for person, role in ((g.griffier, "griffier"), (g.chair, "voorzitter"))
        ),
    )
    date = v.datum_raad if adopted and not isinstance(v.datum_raad, Placeholder) else None
    kind = AMENDED if amended else FINAL if adopted else DRAFT
    document = assemble(proposal, texts, kind, NAME, fields, sections, signature, date)
    if amended:  # the kind of file stays "raadsbesluit" in the keywords; being amended is a keyword of its own
        keywords = tuple("raadsbesluit" if k == AMENDED.lower() else k for k in document.keywords)
        document = dataclasses.replace(document, keywords=(*keywords, "geamendeerd"))
    return document


def amendment_lines(amendments: Sequence[Amendement]) -> tuple[str, ...]:
    """One line per adopted amendment: number, short title and what it changed in the ontwerpbesluit.

    "A1 Inwoners in de evaluatie: wijzigt beslispunt 3"; numbers are those of the ontwerpbesluit, as in the data.
    """
    lines = []
    for a in amendments:
        if a.actie == "wijzigen":
            change = f"wijzigt beslispunt {a.beslispunt}"
        elif a.actie == "schrappen":
            change = f"schrapt beslispunt {a.beslispunt}"
        elif a.beslispunt == 0:
            change = "voegt vooraan een beslispunt toe"
        else:
            change = f"voegt na beslispunt {a.beslispunt} een beslispunt toe"
        name = " ".join(filter(None, (f"Amendement {a.nummer}", a.titel)))
        lines.append(f"{name}: {change}")
    return tuple(lines)


def apply_amendments(items: Sequence[Item], amendments: Sequence[Amendement], texts: Texts) -> tuple[Item, ...]:
    """The beslispunten after the council's amendments, in the order of the ontwerpbesluit.

    Numbers refer to the ontwerpbesluit (what the council voted on), whatever an earlier amendment did: a
    change replaces that item, a strike removes it, an addition goes after it (0: before the first); several
    additions after the same item keep the order of the amendments.
    """
    slots: list[list[Item]] = [[] for _ in range(len(items) + 1)]  # slot n: additions after item n
    current: list[Item | None] = list(items)
    for index, amendment in enumerate(amendments):
        path = ("amendementen", index, "tekst")
        number = amendment.beslispunt
        if amendment.actie == "toevoegen" and 0 <= number <= len(items):
            slots[number].append(texts.blocks(amendment.tekst or "", path))
        elif amendment.actie == "wijzigen" and 1 <= number <= len(items):
            current[number - 1] = texts.blocks(amendment.tekst or "", path)
        elif amendment.actie == "schrappen" and 1 <= number <= len(items):
            current[number - 1] = None
    out: list[Item] = list(slots[0])
    for number, item in enumerate(current, start=1):
        if item is not None:
            out.append(item)
        out.extend(slots[number])
    return tuple(out)


def item_origins(count: int, amendments: Sequence[Amendement]) -> tuple[tuple[str | int, ...], ...]:
    """Where each beslispunt of the adopted besluit comes from in the data, in the order ``apply_amendments`` gives:
    ``("beslispunten", i)`` for a beslispunt of the ontwerp, ``("amendementen", j, "tekst")`` for an amendment's.
    """
    slots: list[list[tuple[str | int, ...]]] = [[] for _ in range(count + 1)]
    current: list[tuple[str | int, ...] | None] = [("beslispunten", i) for i in range(count)]
    for index, amendment in enumerate(amendments):
        number = amendment.beslispunt
        if amendment.actie == "toevoegen" and 0 <= number <= count:
            slots[number].append(("amendementen", index, "tekst"))
        elif amendment.actie == "wijzigen" and 1 <= number <= count:
            current[number - 1] = ("amendementen", index, "tekst")
        elif amendment.actie == "schrappen" and 1 <= number <= count:
            current[number - 1] = None
    out = list(slots[0])
    for number, origin in enumerate(current, start=1):
        if origin is not None:
            out.append(origin)
        out.extend(slots[number])
    return tuple(out)


def _read(v: object) -> str:
    """ "<datum_college>, <zaaknummer>" — placeholders stay visible as such."""
    datum = getattr(v, "datum_college", None)
    zaak = getattr(v, "zaaknummer", None)
    parts = [_date(datum) if datum is not None else str(Placeholder("datum collegebesluit"))]
    if zaak is not None:
        parts.append(str(zaak))
    return ", ".join(parts)


def _date(value: object) -> str:
    if isinstance(value, Placeholder) or value is None:
        return str(value or Placeholder("datum"))
    return dutch.date(value)  # type: ignore[arg-type]


def _paragraph(text: str) -> Paragraph:
    return Paragraph(highlight((Text(text),)))

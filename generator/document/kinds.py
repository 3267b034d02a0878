"""The documents of one municipality's proposal: the raadsvoorstel and the raadsbesluit, built together.

The voorstel is built first; the besluit takes its beslispunten from the voorstel's § 5 (the same IR blocks),
so "the beslispunten are written once" holds in the output too. Besides the besluit in its current state
(adopted, with amendments, once the council decided) the set keeps the ontwerpbesluit as it was offered, so
``diff`` can show exactly what a council changed.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
from dataclasses import dataclass
from itertools import chain

from generator.document import visit
from generator.document.besluit import amendment_lines, build_besluit
from generator.document.build import _Texts, build
from generator.document.nodes import Attachment, Document, NumberedList, Publication, Text
from generator.document.profile import REFERENCE, Profile
from generator.document.profile import apply as apply_profile
from generator.errors import Location, Problems
from generator.model import dutch
from generator.model.values import Placeholder
from generator.resolve import Proposal
from generator.sources.layout import KINDS

__all__ = ["KINDS", "DocumentSet", "build_documents", "placeholder_count", "publication"]


@dataclass(frozen=True, slots=True)
class DocumentSet:
    """One municipality's documents, with the facts the griffie's round overview shows."""

    voorstel: Document
    besluit: Document
    ontwerpbesluit: Document
    status: str = "concept"
    meeting: str | None = None  # datum_raad, written Dutch style ("3 juni 2025"), if known
    amendments: tuple[str, ...] = ()  # "A1 Monitoring" per adopted amendment
    history: tuple[tuple[str, dt.date], ...] = ()  # (status, date) per step of ``historie``, oldest first
    revisions: tuple[tuple[dt.date, str], ...] = ()  # (date, reason) per ``herzieningen`` entry (herzie)

    def get(self, kind: str) -> Document:
        """The document of file kind ``kind`` ("raadsvoorstel" or "raadsbesluit")."""
        if kind == "raadsvoorstel":
            return self.voorstel
        if kind == "raadsbesluit":
            return self.besluit
        raise KeyError(kind)


def build_documents(proposal: Proposal, problems: Problems, profile: Profile = REFERENCE) -> DocumentSet:
    """Both documents of ``proposal``; problems in texts go to ``problems`` (each text is checked once). The
    raadsvoorstel takes the form of the municipality's layout ``profile`` (see ``profile``)."""
    voorstel = build(proposal, problems)
    decisions = next(s for s in voorstel.sections if s.key == "beslispunten")
    items = next(b for b in decisions.blocks if isinstance(b, NumberedList)).items
    texts = _Texts(proposal, problems)
    local = {}
    for key in profile.local_keys:
        value = getattr(proposal.voorstel, key, None)
        if isinstance(value, str) and value.strip():
            local[key] = texts.blocks(value, (key,))
        else:  # shown as INVULLEN: a warning like every placeholder (an error once the proposal is offered)
            layer = proposal.provenance.overlay or proposal.provenance.base  # where this municipality writes it
            where = Location(layer.name, 1)
            naam = proposal.gemeente.naam
            message = f"'{key}' is voor {naam} nog niet ingevuld; het opmaakprofiel toont dit onderdeel"
            problems.warning(where, key, message)
    voorstel = apply_profile(voorstel, profile, local)
    adopted = proposal.voorstel.status == "vastgesteld"
    ontwerp = build_besluit(proposal, items, texts, adopted=False, profile=profile)
    besluit = build_besluit(proposal, items, texts, adopted=True, profile=profile) if adopted else ontwerp
    v = proposal.voorstel
    meeting = dutch.date(v.datum_raad).replace("\u00a0", " ") if isinstance(v.datum_raad, dt.date) else None
    amendments = tuple(" ".join(filter(None, (a.nummer, a.titel))) for a in v.amendementen)
    facts = publication(proposal)
    voorstel, besluit, ontwerp = (dataclasses.replace(d, publication=facts) for d in (voorstel, besluit, ontwerp))
    if adopted and v.amendementen:  # only the adopted besluit carries what the council changed
        amended = dataclasses.replace(facts, amendments=amendment_lines(v.amendementen))
        besluit = dataclasses.replace(besluit, publication=amended)
    history = tuple((step.status, step.datum) for step in v.historie)
    revisions = tuple((r.datum, r.reden) for r in v.herzieningen)
    return DocumentSet(voorstel, besluit, ontwerp, v.status, meeting, amendments, history, revisions)


def publication(proposal: Proposal) -> Publication:
    """The publication facts of ``proposal``'s documents; a fact that is still a placeholder is unknown (None)."""
    v = proposal.voorstel

    def known(value: object) -> str | None:
        return None if value is None or isinstance(value, Placeholder) else str(value)

    def day(value: object) -> dt.date | None:
        return value if isinstance(value, dt.date) else None

    return Publication(
        cbs_code=proposal.gemeente.cbs_code,
        zaaknummer=known(v.zaaknummer),
        agendapunt=known(v.agendapunt),
        college_date=day(v.datum_college),
        meeting_date=day(v.datum_raad),
        attachments=tuple(
            Attachment(item) if isinstance(item, str) else Attachment(item.titel, item.bestand)
            for item in v.bijlagen or ()
        ),
        revised=v.herzieningen[-1].datum if v.herzieningen else None,
    )


def placeholder_count(document: Document) -> int:
    """How many highlighted placeholders ([INVULLEN …]) a reader would still see in ``document``."""
    inlines = chain(
        document.subject_display,
        chain.from_iterable(f.value for f in document.fields),
        visit.inlines_in(b for s in document.sections for b in s.blocks),
        chain.from_iterable(s.name for s in document.signature.signatories),
    )
    return sum(1 for i in inlines if isinstance(i, Text) and i.highlight)

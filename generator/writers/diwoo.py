"""A document's DiWoo metadata record: what the Woo index (and a council information system) needs to know of it.

Why a record of our own between the IR and the XML: the same facts go into three places — the DiWoo XML next
to the PDF, its JSON view for scripts (``raadsvoorstel metadata --format json``) and the PDF's XMP — and they
must agree. :func:`record` decides them once from the Document (its text facts and its ``publication`` facts,
both made by the builder from the resolved data); the writers only spell them.

The values are TOOI (Thesauri en Ontologieën voor Overheidsinformatie) URIs from the value lists of DiWoo 0.9.8:
publisher from the CBS code, information category "vergaderstukken decentrale overheden" (Woo art. 3.3 lid 2
sub d), document type "voorstel"/"besluit"-like kinds, the document actions with their dates. The parts of
one proposal (voorstel, besluit, bijlagen) share an ``aggregatiekenmerk`` and point at each other.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from generator.document.nodes import Document, Publication
from generator.errors import DataError, Location, Problem

__all__ = [
    "CATEGORY",
    "FILE_FORMATS",
    "LANGUAGE",
    "PDF_FORMAT",
    "Action",
    "Record",
    "Relation",
    "attachment_record",
    "identifier",
    "moment",
    "record",
]

_KERN = "https://identifier.overheid.nl/tooi/def/thes/kern/"

#: Woo information category "vergaderstukken decentrale overheden".
CATEGORY = (_KERN + "c_db4862c3", "vergaderstukken decentrale overheden")
#: Document types (``ccw_plooi_documentsoorten``): the voorstel is a meeting document, the besluit a decision.
_TYPES = {
    "raadsvoorstel": (_KERN + "c_7f9dffa7", "vergaderstuk"),
    "raadsbesluit": (_KERN + "c_465163c9", "besluit"),
}
_ADOPTION = (_KERN + "c_641ecd76", "vaststelling")
_SIGNING = (_KERN + "c_e1ec050e", "ondertekening")
_HAS_ATTACHMENT = (_KERN + "c_05f4a5f3", "heeft bijlage")
_REFERS_TO = (_KERN + "c_75fac459", "verwijst naar")
LANGUAGE = ("http://publications.europa.eu/resource/authority/language/NLD", "Nederlands")
_FILE_TYPE = "http://publications.europa.eu/resource/authority/file-type/"
PDF_FORMAT = (_FILE_TYPE + "PDF", "PDF")
#: The kinds of attachment file a delivery takes, by extension, with their value in DiWoo's format list
#: (``ccw_plooi_filetypes``): a record of another kind would not validate, so such a file is refused.
FILE_FORMATS: dict[str, tuple[str, str]] = {
    f".{ext.lower()}": (_FILE_TYPE + ext, ext)
    for ext in ("PDF", "DOCX", "DOC", "ODT", "ODS", "ODP", "XLSX", "XLS", "PPTX", "PPT", "CSV", "TXT", "RTF")
}


@dataclass(frozen=True, slots=True)
class Action:
    """A document action (documenthandeling): what happened to the document, when, by whom."""

    kind: tuple[str, str]  # (TOOI URI, label)
    date: dt.date
    by: str  # who did it, as a label ("college van burgemeester en wethouders van Leusden")


@dataclass(frozen=True, slots=True)
class Relation:
    """A link to another part of the same proposal (``resource``: that part's identifier)."""

    role: tuple[str, str]
    resource: str
    label: str


@dataclass(frozen=True, slots=True)
class Record:
    """The DiWoo facts of one document, in the order the XML writes them."""

    identifiers: tuple[str, ...]
    publisher: tuple[str, str]  # (TOOI URI, "Gemeente Leusden")
    title: str
    description: str
    document_type: tuple[str, str]
    created: dt.date | None
    keywords: tuple[str, ...]
    aggregate: str  # aggregatiekenmerk: the same for every part of this municipality's proposal
    part_of: tuple[str, str]  # (identifier, label) of the proposal as a whole (the agenda item)
    actions: tuple[Action, ...]
    relations: tuple[Relation, ...]
    status: str
    zaaknummer: str | None
    agendapunt: str | None
    meeting_date: dt.date | None
    file_format: tuple[str, str] = PDF_FORMAT  # (EU file-type URI, label): PDF for voorstel and besluit
    amendments: tuple[str, ...] = ()  # an amended besluit: "Amendement A1 …: wijzigt beslispunt 3" each
    revised: dt.date | None = None  # an offered proposal changed on purpose (herzie): the date of the change

    def to_json(self) -> dict[str, object]:
        """A plain view of the same facts (``raadsvoorstel metadata --format json``)."""

        def day(value: dt.date | None) -> str | None:
            return value.isoformat() if value is not None else None

        return {
            "identifiers": list(self.identifiers),
            "publisher": {"resource": self.publisher[0], "label": self.publisher[1]},
            "officieleTitel": self.title,
            "omschrijving": self.description,
            "informatiecategorie": {"resource": CATEGORY[0], "label": CATEGORY[1]},
            "documentsoort": {"resource": self.document_type[0], "label": self.document_type[1]},
            "creatiedatum": day(self.created),
            "language": {"resource": LANGUAGE[0], "label": LANGUAGE[1]},
            "format": {"resource": self.file_format[0], "label": self.file_format[1]},
            "trefwoorden": list(self.keywords),
            "aggregatiekenmerk": self.aggregate,
            "isPartOf": {"resource": self.part_of[0], "label": self.part_of[1]},
            "documenthandelingen": [
                {"soortHandeling": {"resource": a.kind[0], "label": a.kind[1]}, "atTime": moment(a.date), "door": a.by}
                for a in self.actions
            ],
            "documentrelaties": [
                {"role": {"resource": r.role[0], "label": r.role[1]}, "resource": r.resource, "label": r.label}
                for r in self.relations
            ],
            "status": self.status,
            "zaaknummer": self.zaaknummer,
            "agendapunt": self.agendapunt,
            "datum_raad": day(self.meeting_date),
            "amendementen": list(self.amendments),
            "gewijzigd": day(self.revised),
        }


def moment(day: dt.date) -> str:
    """A date as the xs:dateTime DiWoo's document actions ask for (the start of that day, no time zone)."""
    return f"{day.isoformat()}T00:00:00"


def identifier(facts: Publication, dossier: str, part: str) -> str:
    """The stable identifier of one part of a municipality's proposal: ``gm0327/<dossier>/<part>``.

    Why not a UUID: the same data must give the same record (and PDF) every time, and a clerk can read it.
    """
    return f"{facts.cbs_code.lower()}/{dossier}/{part}"


def record(document: Document) -> Record:
    """The DiWoo record of ``document`` (a raadsvoorstel or raadsbesluit built by ``document.kinds``).

    Raises :class:`DataError` when a fact DiWoo requires is missing: a record needs at least one dated
    document action (the college's date for the voorstel, the council's for an adopted besluit).
    """
    facts = document.publication
    if facts is None:  # pragma: no cover - every document from document.kinds has them
        raise DataError(_problem(document, "de publicatiegegevens ontbreken"))
    publisher = (facts.publisher, document.author)
    aggregate = identifier(facts, document.dossier, "")[:-1]
    actions = _actions(document, facts)
    if not actions:
        field = "datum_college"  # an adopted besluit always has its datum_raad (the data model demands it)
        raise DataError(_problem(document, f"zonder {field} heeft het metadatarecord geen datum; vul {field} in"))
    ids = (identifier(facts, document.dossier, document.name), *((facts.zaaknummer,) if facts.zaaknummer else ()))
    return Record(
        identifiers=ids,
        publisher=publisher,
        title=document.title,
        description=_description(document, facts),
        document_type=_TYPES[document.name],
        created=document.date or actions[0].date,
        keywords=tuple(k for k in document.keywords if k != "CONCEPT"),
        aggregate=aggregate,
        part_of=(aggregate, _agenda_label(document, facts)),
        actions=actions,
        relations=_relations(document, facts),
        status=document.status,
        zaaknummer=facts.zaaknummer,
        agendapunt=facts.agendapunt,
        meeting_date=facts.meeting_date,
        amendments=facts.amendments,
        revised=facts.revised,
    )


def attachment_record(voorstel: Document, number: int, title: str, suffix: str) -> Record:
    """The DiWoo record of bijlage ``number`` (1-based, as the voorstel numbers it) delivered as a file.

    Why its own record: the Woo index takes in documents one by one, each with its metadata; a file without a
    record would be published without a publisher or a category. The bijlage is a meeting document of the
    same agenda item, offered with the voorstel (the voorstel's document action), and refers to the voorstel.
    """
    base = record(voorstel)
    facts = voorstel.publication
    assert facts is not None  # record() above refuses a document without them
    part = f"bijlage-{number}"
    return Record(
        identifiers=(identifier(facts, voorstel.dossier, part),),
        publisher=base.publisher,
        title=title,
        description=f"Bijlage {number} bij het raadsvoorstel van de gemeente {voorstel.municipality} over: "
        f"{voorstel.subject}",
        document_type=_TYPES["raadsvoorstel"],
        created=base.created,
        keywords=base.keywords,
        aggregate=base.aggregate,
        part_of=base.part_of,
        actions=base.actions,
        relations=(Relation(_REFERS_TO, identifier(facts, voorstel.dossier, "raadsvoorstel"), "Raadsvoorstel"),),
        status=base.status,
        zaaknummer=base.zaaknummer,
        agendapunt=base.agendapunt,
        meeting_date=base.meeting_date,
        file_format=FILE_FORMATS.get(suffix.lower(), PDF_FORMAT),
    )
def _description(document: Document, facts: Publication) -> str:
    """What the document is; an amended besluit also names the amendments the council adopted."""
    text = f"{document.kind} van de gemeente {document.municipality} over: {document.subject}"
    if facts.amendments:
        text += f". Aangenomen amendementen: {'; '.join(facts.amendments)}"
    return text


def _agenda_label(document: Document, facts: Publication) -> str:
    """The proposal as a whole, as the council's agenda names it."""
    return f"Agendapunt {facts.agendapunt}: {document.subject}" if facts.agendapunt else document.subject


def _actions(document: Document, facts: Publication) -> tuple[Action, ...]:
    """What happened to the document: the college adopted the voorstel (and the ontwerpbesluit) on its date;
    the council adopted the besluit at its meeting, where the griffier and the chair signed it."""
    college = f"college van burgemeester en wethouders van {document.municipality}"
    council = f"gemeenteraad van {document.municipality}"
    if document.name == "raadsbesluit" and document.status == "vastgesteld" and facts.meeting_date is not None:
        return (Action(_ADOPTION, facts.meeting_date, council), Action(_SIGNING, facts.meeting_date, council))
    if facts.college_date is not None:
        return (Action(_ADOPTION, facts.college_date, college),)
    return ()


def _relations(document: Document, facts: Publication) -> tuple[Relation, ...]:
    """The voorstel refers to its besluit (not an attachment of it: the council decides on the besluit) and has
    as attachments the bijlagen that are published with a file; a bijlage with a title only is part of the
    text, not a document of its own, so no record points at something a delivery does not hold. The besluit
    refers to the voorstel."""
    if document.name == "raadsbesluit":
        return (Relation(_REFERS_TO, identifier(facts, document.dossier, "raadsvoorstel"), "Raadsvoorstel"),)
    besluit = Relation(_REFERS_TO, identifier(facts, document.dossier, "raadsbesluit"), "Raadsbesluit")
    attachments = tuple(
        Relation(_HAS_ATTACHMENT, identifier(facts, document.dossier, f"bijlage-{n}"), attachment.title)
        for n, attachment in enumerate(facts.attachments, start=1)
        if attachment.file is not None
    )
    return (besluit, *attachments)


def _problem(document: Document, message: str) -> tuple[Problem, ...]:
    """The problem at the municipality's data file, where the missing fact belongs."""
    return (Problem(Location(f"{document.dossier}/gemeenten/{document.municipality_slug}.yaml"), "", message),)

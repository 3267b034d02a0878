"""The document IR: a small tree of frozen nodes that every writer renders.

Why a separate tree: the builder decides numbering, order and labels once, so the txt, html, pdf and docx
writers cannot disagree about which words a reader sees. Nodes carry no logic and know nothing of YAML,
pydantic or any output format (pandoc's idea).
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field

# --- where a node came from ---------------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class Source:
    """Where a node came from, as docutils nodes know it (DESIGN §7, "the way back is the same map").

    ``file`` is the data file as messages name it, ``path`` the key path inside the merged data (a local
    change's own path, ``lokaal.<sectie>.<n>.tekst``, for text a municipality wrote), ``line`` the file line
    where the node's text starts (0: unknown). ``variables`` lists the ``{{ … }}`` expressions whose values
    stand in the node's text, with those values, in reading order: the Word import writes an expression back
    where its value still stands. Nodes compare and hash without their source: two equal texts from different
    places are the same text to every writer and to the diff.
    """

    file: str
    path: tuple[str | int, ...]
    line: int = 0
    variables: tuple[tuple[str, str], ...] = ()

    @property
    def dotted(self) -> str:
        """The key path as messages write it: ``argumenten.2.tekst``."""
        return ".".join(str(part) for part in self.path)


# --- inlines -------------------------------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class Text:
    """A run of text. ``highlight`` marks a placeholder the clerk still has to fill in ("[INVULLEN …]")."""

    text: str
    bold: bool = False
    italic: bool = False
    highlight: bool = False


@dataclass(frozen=True, slots=True)
class Link:
    """A hyperlink; ``href`` is always ``https:`` or ``mailto:`` (checked when the text is parsed)."""

    text: str
    href: str


@dataclass(frozen=True, slots=True)
class LineBreak:
    """A hard line break inside a paragraph."""


@dataclass(frozen=True, slots=True)
class Footnote:
    """A footnote: the reference mark sits where this node is, ``inlines`` is the note's text.

    ``number`` counts per document (1, 2, 3 … in reading order), decided by the builder once, so every
    writer shows the same number; Word and WeasyPrint number their own marks the same way.
    """

    number: int
    inlines: tuple[Text | Link | LineBreak, ...]


Inline = Text | Link | LineBreak | Footnote

# --- blocks --------------------------------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class Paragraph:
    inlines: tuple[Inline, ...]
    source: Source | None = field(default=None, compare=False)


@dataclass(frozen=True, slots=True)
class SubHeading:
    """A heading inside a section's text (Markdown ``###``), below the section heading in rank."""

    inlines: tuple[Inline, ...]
    source: Source | None = field(default=None, compare=False)


@dataclass(frozen=True, slots=True)
class BulletList:
    items: tuple[tuple[Block, ...], ...]
    source: Source | None = field(default=None, compare=False)


@dataclass(frozen=True, slots=True)
class NumberedList:
    """A list numbered 1, 2, 3 … that restarts at ``start`` (beslispunten, bijlagen, lists in text)."""

    items: tuple[tuple[Block, ...], ...]
    start: int = 1
    source: Source | None = field(default=None, compare=False)


@dataclass(frozen=True, slots=True)
class Argument:
    """One argument of section 6: ``label`` is "1.1", "1.2", "2.1" (beslispunt.argument)."""

    label: str
    heading: tuple[Inline, ...]
    body: tuple[Block, ...]
    source: Source | None = field(default=None, compare=False)


#: The checklist's boxes, as in the reference proposal: U+25A0 BLACK SQUARE (chosen), U+2610 BALLOT BOX (not).
CHECKED_MARK = "■"
UNCHECKED_MARK = "☐"


@dataclass(frozen=True, slots=True)
class CheckItem:
    """One Global Goal line: ``label`` "Goal 08", ``text`` its Dutch title."""

    checked: bool
    label: str
    text: str


@dataclass(frozen=True, slots=True)
class Checklist:
    items: tuple[CheckItem, ...]
    source: Source | None = field(default=None, compare=False)


@dataclass(frozen=True, slots=True)
class NotApplicable:
    """A section that explicitly does not apply; rendered as the word "Nvt"."""

    text: str = "Nvt"
    source: Source | None = field(default=None, compare=False)


Cell = tuple[Inline, ...]

ALIGNMENTS = ("left", "right", "center")


@dataclass(frozen=True, slots=True)
class Table:
    """A data table (a Markdown pipe table): one header row that repeats on every page, then the body rows.

    ``align`` holds one of ``ALIGNMENTS`` per column: what the clerk wrote (``---:``), or "right" for a
    column of amounts, decided once by the parser so every writer aligns the same way.
    """

    header: tuple[Cell, ...]
    rows: tuple[tuple[Cell, ...], ...]
    align: tuple[str, ...]
    source: Source | None = field(default=None, compare=False)


Block = Paragraph | SubHeading | BulletList | NumberedList | Argument | Checklist | NotApplicable | Table

# --- document ------------------------------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class Section:
    """A section ("1. Aanleiding"); ``key`` is the stable data key ("aanleiding"). A besluit's parts ("besluit:")
    have no number."""

    number: int | None
    key: str
    title: str
    blocks: tuple[Block, ...]
    source: Source | None = field(default=None, compare=False)

    @property
    def heading(self) -> str:
        return f"{self.number}. {self.title}" if self.number is not None else self.title


@dataclass(frozen=True, slots=True)
class MetaField:
    """A row of the title block under the subject, e.g. ("Datum raadsvergadering", "3 juni 2025").

    ``value`` is inlines, not a string, so a date or name that is still a placeholder arrives highlighted
    (``Text(highlight=True)``) in every writer, as it does in the sections.
    """

    label: str
    value: tuple[Inline, ...]
    source: Source | None = field(default=None, compare=False)


@dataclass(frozen=True, slots=True)
class Signatory:
    """A name under the signature (inlines: it may still be a highlighted placeholder) and a job title."""

    name: tuple[Inline, ...]
    title: str
    source: Source | None = field(default=None, compare=False)


@dataclass(frozen=True, slots=True)
class SignatureBlock:
    """Closing formula, the college line, and the signatories side by side (secretaris, burgemeester)."""

    closing: str
    college: str
    signatories: tuple[Signatory, ...]


@dataclass(frozen=True, slots=True)
class HouseStyle:
    """A municipality's house style. ``logo`` is a path relative to ``templates/`` or None."""

    color: str = "#1F4E79"
    logo: str | None = None


@dataclass(frozen=True, slots=True)
class Attachment:
    """A bijlage: its title as the data writes it, and the file published with it (relative to the dossier's
    ``bijlagen/`` folder), if the data names one."""

    title: str
    file: str | None = None


@dataclass(frozen=True, slots=True)
class Publication:
    """The facts a publication needs besides the text (DiWoo record, PDF XMP, a delivery folder's index).

    Why in the IR: the metadata of a document must say the same as the document, so it is decided once by
    the builder from the resolved data, like everything a reader sees. Unknown facts (still a placeholder)
    are None.
    """

    cbs_code: str  # "GM0327"
    zaaknummer: str | None = None
    agendapunt: str | None = None
    college_date: dt.date | None = None  # datum_college: the college offered the proposal
    meeting_date: dt.date | None = None  # datum_raad: the council meeting
    attachments: tuple[Attachment, ...] = ()  # the bijlagen, in the data's order
    amendments: tuple[str, ...] = ()  # an adopted besluit's amendments, one line each (besluit.amendment_lines)
    revised: dt.date | None = None  # the last revision of an offered proposal (raadsvoorstel herzie)

    @property
    def publisher(self) -> str:
        """The municipality as a TOOI organisation URI (``…/tooi/id/gemeente/gm0327``)."""
        return f"https://identifier.overheid.nl/tooi/id/gemeente/{self.cbs_code.lower()}"


@dataclass(frozen=True, slots=True)
class Document:
    """One council proposal for one municipality, ready for any writer.

    ``date`` is the document date taken from the data (never ``now()``); writers use it for core
    properties and PDF metadata, or leave dates out when it is None.

    ``subject`` is plain text for metadata and running headers; ``subject_inlines`` is the same text for the
    title block, with placeholders highlighted (empty: the plain subject). ``concept`` is True while any
    placeholder is left anywhere in the document: writers mark such a document as a draft ("CONCEPT" in the
    header and the metadata), and the PDF writer never claims a final archival/accessibility status for it.

    ``name`` is the stable kind of file
    ("raadsvoorstel", "raadsbesluit": file names, identifiers), ``kind`` what the document calls itself
    ("Ontwerpbesluit" until the council adopts it); ``status`` is the municipality's (concept, aangeboden,
    vastgesteld), written in the metadata.
    """

    kind: str  # "Raadsvoorstel"
    subject: str
    municipality: str  # "Leusden"
    municipality_slug: str  # "leusden"
    dossier: str  # "impuls-sociale-infrastructuur"
    fields: tuple[MetaField, ...]
    sections: tuple[Section, ...]
    signature: SignatureBlock
    date: dt.date | None = None
    language: str = "nl-NL"
    house: HouseStyle = field(default_factory=HouseStyle)
    keywords: tuple[str, ...] = ()
    subject_inlines: tuple[Inline, ...] = ()
    concept: bool = False
    name: str = "raadsvoorstel"
    status: str = ""
    publication: Publication | None = None  # set by ``document.kinds``; None for a bare builder's output
    #: The data files the document was built from, as (name, git object id): the DOCX names them so an edited
    #: file can be read back against the version it came from (the Word import).
    built_from: tuple[tuple[str, str], ...] = field(default=(), compare=False)

    @property
    def author(self) -> str:
        """Who publishes the document ("Gemeente Leusden"): the author in DOCX and PDF metadata alike."""
        return f"Gemeente {self.municipality}"

    @property
    def title(self) -> str:
        """The document title used in metadata and window titles; it names the municipality, because the
        same proposal goes to several councils and their files must be told apart. A draft says so first
        ("CONCEPT — Raadsvoorstel …"): a screen reader announces the title when the file opens, and a
        window title cut short still shows it."""
        draft = "CONCEPT — " if self.concept else ""
        return f"{draft}{self.kind} {self.author}: {self.subject}"

    @property
    def running_subject(self) -> str:
        """The subject as the running header of every page shows it: one line, so a long one is shortened at a
        word with an ellipsis (the title block and the metadata keep it whole)."""
        return shorten(self.subject, RUNNING_SUBJECT_CHARS)

    @property
    def logo_alt(self) -> str:
        """The alternative text of the logo, in every format."""
        return f"Logo gemeente {self.municipality}"

    @property
    def subject_display(self) -> tuple[Inline, ...]:
        """The subject as the title block shows it."""
        return self.subject_inlines or (Text(self.subject),)


#: Characters of the subject in the running header (PDF, DOCX, ODT): with the municipality's name and the
#: CONCEPT mark beside it, one line of 8 pt across the page.
RUNNING_SUBJECT_CHARS = 60

#: The date line of a besluit the council has not yet adopted: filled in by hand after the vote. Here, beside
#: the nodes, and not in ``document.besluit`` (which re-exports it): a writer that says it aloud (the HTML's
#: aria-label, the PDF's /ActualText) must not import the builder, whose pydantic, Markdown, YAML and Babel
#: imports cost a batch worker 0.12 s on its first document.
OPEN_DATE = "……………………"
#: What a screen reader says for those dots (the PDF's /ActualText, the HTML's aria-label).
OPEN_DATE_SPOKEN = "datum nog in te vullen"


def shorten(text: str, limit: int) -> str:
    """``text`` in at most ``limit`` characters: cut at the last space in the final third if there is one,
    with an ellipsis ("…") in place of the rest."""
    if len(text) <= limit:
        return text
    cut = text[: limit - 1]
    space = cut.rfind(" ")
    if space >= (limit * 2) // 3:
        cut = cut[:space]
    return cut.rstrip(" ,;:.-\N{EN DASH}\N{EM DASH}") + "\N{HORIZONTAL ELLIPSIS}"

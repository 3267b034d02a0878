"""A raadsvoorstel written in a municipality's own Word template (no marks of ours) → a new dossier.

Headings are recognised by name through one table of Dutch synonyms (:data:`SYNONYMS`, together with the
section titles of the model), and by number when the name is unknown; the text under each becomes that
section's Markdown (tables kept), numbered beslispunten and argumenten become their lists, and a title-block
table or "Onderwerp: …" lines give the subject and the title-block fields. Text that maps to no section is
kept, with its position, in ``niet-geplaatst.yaml`` next to the data and reported; images are reported.
Sections the document lacks stay ``INVULLEN`` placeholders (the ``new`` scaffold), so ``validate`` guides the
clerk from there. Every file is written through :mod:`generator.editing`.
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from docx.oxml.ns import qn

from generator.core.scaffold import overlay_text, scaffold_text
from generator.document import visit
from generator.document.nodes import Block, BulletList, NumberedList, Paragraph, SubHeading, Text
from generator.editing import ABSENT, Edit, Set, apply_edits, edit_text
from generator.importing import texts
from generator.importing.reader import Reader, unwrap
from generator.model.sections import BY_KEY, SECTIONS, Kind

__all__ = ["SYNONYMS", "Foreign", "read_foreign", "write_foreign"]

#: Heading names (lower case, without accents, numbers and punctuation) → section key. The model's own titles
#: are added below; this is the one table of names other templates use.
SYNONYMS: dict[str, str] = {
    "inleiding": "aanleiding",
    "aanleiding": "aanleiding",
    "aanleiding en achtergrond": "aanleiding",
    "probleemstelling": "aanleiding",
    "achtergrond": "aanleiding",
    "juridisch kader": "wettelijke_grondslag",
    "wettelijk kader": "wettelijke_grondslag",
    "grondslag": "wettelijke_grondslag",
    "beoogd effect": "beoogd_effect",
    "beoogd resultaat": "beoogd_effect",
    "doel": "beoogd_effect",
    "doelstelling": "beoogd_effect",
    "bestuurlijk kader": "beoogd_effect",
    "deadline": "deadline",
    "voorstel": "beslispunten",
    "beslispunten": "beslispunten",
    "te nemen besluit": "beslispunten",
    "gevraagd besluit": "beslispunten",
    "besluit": "beslispunten",
    "argumenten": "argumenten",
    "argumentatie": "argumenten",
    "motivering": "argumenten",
    "alternatieven": "alternatieve_scenarios",
    "alternatieve scenarios": "alternatieve_scenarios",
    "risicos": "risicos",
    "kanttekeningen": "risicos",
    "kanttekeningen en risicos": "risicos",
    "risicos en kanttekeningen": "risicos",
    "vervolg": "vervolg",
    "uitvoering": "vervolg",
    "vervolgstappen": "vervolg",
    "planning": "vervolg",
    "evaluatie": "evaluatie",
    "inkoop": "inkoopadvies",
    "inkoopadvies": "inkoopadvies",
    "personeel": "advies_hr",
    "hr": "advies_hr",
    "ict": "advies_ict",
    "juridische aspecten": "juridisch_advies",
    "juridische consequenties": "juridisch_advies",
    "financien": "financieel_advies",
    "financiele consequenties": "financieel_advies",
    "financiele gevolgen": "financieel_advies",
    "financieel advies": "financieel_advies",
    "kosten baten en dekking": "financieel_advies",
    "communicatie": "advies_communicatie",
    "samenwerking": "intergemeentelijke_samenwerking",
    "regionale samenwerking": "intergemeentelijke_samenwerking",
    "duurzaamheid": "global_goals",
    "sustainable development goals": "global_goals",
    "klimaat": "klimaatadaptatie",
    "participatie": "burgerparticipatie",
    "inwonersparticipatie": "burgerparticipatie",
    "betrokkenheid": "burgerparticipatie",
    "bijlagen": "bijlagen",
    "bijlage": "bijlagen",
}
_NUMBER_RE = re.compile(r"^\s*(\d{1,2})(?:\.\d+)*\.?\s+")
_ARGUMENT_RE = re.compile(r"^\s*(\d{1,2})\.(\d{1,2})\.?\s+(.+)$", re.DOTALL)
_FIELD_LABELS = {
    "onderwerp": "onderwerp",
    "datum raadsvergadering": "datum_raad",
    "raadsvergadering": "datum_raad",
    "datum collegevergadering": "datum_college",
    "collegevergadering": "datum_college",
    "datum college": "datum_college",
    "agendapunt": "agendapunt",
    "zaaknummer": "zaaknummer",
    "registratienummer": "zaaknummer",
    "kenmerk": "zaaknummer",
    "portefeuillehouder": "portefeuillehouder",
    "wethouder": "portefeuillehouder",
}
_OVERLAY_FIELDS = ("datum_college", "datum_raad", "agendapunt", "zaaknummer", "portefeuillehouder")


def normalize(name: str) -> str:
    """A heading as the table knows it: no number, accents, punctuation or case."""
    name = _NUMBER_RE.sub("", name)
    name = unicodedata.normalize("NFKD", name).encode("ascii", "ignore").decode("ascii").lower()
    name = re.sub(r"[^a-z0-9 /]+", "", name).replace("/", " ")
    return re.sub(r"\s+", " ", name).strip()


def _table() -> dict[str, str]:
    table = {normalize(spec.title): spec.key for spec in SECTIONS}
    table.update(SYNONYMS)
    return table


@dataclass
class Foreign:
    """What a foreign document gives: section texts and lists, title-block fields, and what found no place."""

    sections: dict[str, Any] = field(default_factory=dict)  # key → Markdown text, or a list for list sections
    fields: dict[str, str] = field(default_factory=dict)
    unplaced: list[tuple[str, str]] = field(default_factory=list)  # (position, text)
    images: list[str] = field(default_factory=list)  # positions
    recognised: list[str] = field(default_factory=list)  # "§ 'Inleiding' → aanleiding"


def _plain(inlines: Any) -> str:
    return "".join(i.text for i in inlines if isinstance(i, Text)).strip()


def read_foreign(document: Any) -> Foreign:
    """Read a proposal in another template (see the module docstring)."""
    reader = Reader(document)
    names = _table()
    out = Foreign()
    current: str | None = None
    groups: dict[str, list[Any]] = {}
    position = 0
    level = 0  # the heading level of the sections recognised (Kop 1 in most templates)
    for element in _blocks(document.element.body):
        position += 1
        where = f"alinea {position}"
        if element.tag == qn("w:tbl"):
            if current is None and _title_block(reader, element, out):
                continue
            if current is None or current == _UNKNOWN:
                out.unplaced.append((where, texts.key([reader.table(element)])))
                continue
            groups.setdefault(current, []).append(element)
            continue
        if element.find(f".//{qn('w:drawing')}") is not None or element.find(f".//{qn('w:pict')}") is not None:
            out.images.append(where)
        inlines = reader.inlines(element)
        text = _plain(inlines)
        if not text:
            continue
        key = _heading_key(reader, element, text, names)
        if key is not None:
            current = key
            groups.setdefault(key, [])
            out.recognised.append(f"'{text}' → {key}")
            level = level or _level(reader, element)
            continue
        if current is not None and reader.is_heading(element) and _level(reader, element) <= level:
            current = _UNKNOWN  # a section of the document's own that we do not have: its text has no place
            out.unplaced.append((where, text))
            continue
        if current == _UNKNOWN:
            out.unplaced.append((where, texts.key([Paragraph(inlines)])))
            continue
        label, _, value = text.partition(":")
        if current is None and normalize(label) in _FIELD_LABELS and value.strip():
            out.fields[_FIELD_LABELS[normalize(label)]] = value.strip()
            continue
        if current is None:
            if reader.is_heading(element) or position <= 2:
                continue  # the document's own title ("Raadsvoorstel") and sender
            out.unplaced.append((where, text))
            continue
        groups[current].append(element)
    for key, elements in groups.items():
        _section(out, key, reader.blocks(elements))
    return out


_UNKNOWN = "?"


def _level(reader: Reader, element: Any) -> int:
    """A heading's level: 1 for Kop 1/Heading 1 (or outline level 0), 9 for anything unnumbered."""
    match = re.search(r"(\d)$", reader.style_name(element))
    if match:
        return int(match.group(1))
    outline = element.find(f"{qn('w:pPr')}/{qn('w:outlineLvl')}")
    return int(outline.get(qn("w:val"), "8")) + 1 if outline is not None else 9


def _blocks(body: Any) -> list[Any]:
    found: list[Any] = []
    for child in body:
        tag = child.tag
        if tag in (qn("w:p"), qn("w:tbl")):
            found.append(child)
        elif tag == qn("w:sdt"):
            content = child.find(qn("w:sdtContent"))
            if content is not None:
                found.extend(_blocks(content))
    return [unwrap(f) for f in found]


def _heading_key(reader: Reader, element: Any, text: str, names: dict[str, str]) -> str | None:
    """The section a paragraph heads, or None when it is no heading (by style, or a short bold line)."""
    styled = reader.is_heading(element) and reader.style_name(element) != "title"
    runs = [i for i in reader.inlines(element) if isinstance(i, Text) and i.text.strip()]
    bold_line = bool(runs) and all(r.bold for r in runs) and len(text.split()) <= 8
    if not (styled or bold_line):
        return None
    key = names.get(normalize(text))
    if key is None and styled:
        number = _NUMBER_RE.match(text)
        if number and 1 <= int(number.group(1)) <= len(SECTIONS) and not normalize(text):
            key = SECTIONS[int(number.group(1)) - 1].key  # a number alone: the standard order
    return key


def _title_block(reader: Reader, table: Any, out: Foreign) -> bool:
    """A label/value table before the first section: the subject and the title-block fields."""
    parsed = reader.table(table)
    rows = [parsed.header, *parsed.rows]
    found = False
    for row in rows:
        if len(row) >= 2 and normalize(_plain(row[0])) in _FIELD_LABELS:
            out.fields[_FIELD_LABELS[normalize(_plain(row[0]))]] = _plain(row[1])
            found = True
    return found


def _section(out: Foreign, key: str, blocks: tuple[Block, ...]) -> None:
    kind = BY_KEY[key].kind
    if not blocks:
        return
    if kind in (Kind.TEXT, Kind.PARTICIPATION):
        value = texts.key(blocks)
        out.sections[key] = value if key not in out.sections else out.sections[key] + "\n\n" + value
    elif kind in (Kind.DECISIONS, Kind.ATTACHMENTS):
        items, rest = _items(blocks)
        out.sections[key] = [*out.sections.get(key, []), *items]
        out.unplaced.extend((f"onderdeel {key}", texts.key([b])) for b in rest)
    elif kind is Kind.ARGUMENTS:
        out.sections[key] = [*out.sections.get(key, []), *_arguments(blocks)]
    else:  # the Global Goals: a checklist cannot be read from text
        out.unplaced.extend((f"onderdeel {key}", texts.key([b])) for b in blocks)


def _items(blocks: tuple[Block, ...]) -> tuple[list[str], list[Block]]:
    """The entries of a list section (each one line of Markdown), and the blocks that are no entry."""
    entries = _Entries()
    entries.visit_all(blocks)
    return entries.items, entries.rest


class _Entries(visit.BlockVisitor[None]):
    """Sorts a foreign list section's blocks: the items of its lists and its numbered or plain paragraphs are
    entries; an introduction ("De raad wordt voorgesteld:") and anything else is not."""

    def __init__(self) -> None:
        self.items: list[str] = []
        self.rest: list[Block] = []

    def _list(self, items: tuple[tuple[Block, ...], ...]) -> None:
        self.items.extend(texts.key(item) for item in items if item)

    def paragraph(self, block: Paragraph) -> None:
        line = _plain(block.inlines)
        if _NUMBER_RE.match(line):
            self.items.append(_NUMBER_RE.sub("", texts.key([block]), count=1))
        elif not self.items and line.endswith(":"):
            self.rest.append(block)
        else:
            self.items.append(texts.key([block]))

    def numbered_list(self, block: NumberedList) -> None:
        self._list(block.items)

    def bullet_list(self, block: BulletList) -> None:
        self._list(block.items)

    def _other(self, block: Block) -> None:
        self.rest.append(block)

    subheading = argument = checklist = not_applicable = table = _other


def _arguments(blocks: tuple[Block, ...]) -> list[dict[str, Any]]:
    """Arguments headed "1.1 kop" (a sub-heading or a bold line); the blocks after each are its text."""
    found: list[dict[str, Any]] = []
    body: list[Block] = []

    def close() -> None:
        if found:
            found[-1]["tekst"] = texts.key(body) if body else "INVULLEN: toelichting"
        elif body:
            found.append({"beslispunt": 1, "kop": "INVULLEN: kop van het argument", "tekst": texts.key(body)})
        body.clear()

    for block in blocks:
        line = _plain(block.inlines) if isinstance(block, Paragraph | SubHeading) else ""
        match = _ARGUMENT_RE.match(line)
        if match:
            close()
            found.append({"beslispunt": int(match.group(1)), "kop": match.group(3).strip()})
        else:
            body.append(block)
    close()
    return found


def _value(value: Any) -> Any:
    if isinstance(value, str):
        return value + "\n" if "\n" in value else value
    return value


def write_foreign(found: Foreign, folder: Path, gemeente: str, *, write: bool) -> list[str]:
    """The files of the new dossier ``folder`` for ``gemeente`` (written only with ``write``); returns what
    was written or would be, per file."""
    from generator.importing.ours import _dutch_date

    edits: list[Edit] = [Set((key,), _value(value)) for key, value in found.sections.items()]
    if "onderwerp" in found.fields:
        edits.append(Set(("onderwerp",), found.fields["onderwerp"]))
    overlay: list[Edit] = []
    for key in _OVERLAY_FIELDS:
        if key in found.fields:
            value = found.fields[key]
            if key.startswith("datum_"):
                parsed = _dutch_date(value)
                if parsed is None:
                    found.unplaced.append((f"titelblok {key}", value))
                    continue
                value = parsed.isoformat()
            overlay.append(Set((key,), value))
    header = scaffold_text(folder.name, [gemeente])
    files: list[tuple[Path, list[Edit], str]] = [
        (folder / "voorstel.yaml", edits, header),
        (folder / "gemeenten" / f"{gemeente}.yaml", overlay, overlay_text(gemeente, folder.name)),
    ]
    if found.unplaced:
        rows = [{"plaats": where, "tekst": _value(text)} for where, text in found.unplaced]
        note = "# Tekst uit het Word-document die bij geen onderdeel hoort: plaats hem zelf, en haal dit bestand weg.\n"
        files.append((folder / "niet-geplaatst.yaml", [Set(("niet_geplaatst",), rows)], note))
    shown: list[str] = []
    for path, file_edits, start in files:
        edit_text(start, file_edits)  # refuses before anything is written
        shown.append(f"{path}: {len(file_edits)} veld(en)")
    if write:
        (folder / "gemeenten").mkdir(parents=True, exist_ok=True)
        for path, file_edits, start in files:
            apply_edits(path, file_edits, expected=ABSENT, header=start)
    return shown

"""Comparing two built documents (the IR), section by section: ``diff_documents(old, new) -> DocumentDiff``.

Why the IR and not YAML or PDF: the IR holds exactly the words a council member reads, after overlays,
variables and numbering, and nothing of layout. Each section is cut into units a reviewer talks about
(paragraphs, beslispunten, bijlagen, arguments, ticked Global Goals, table rows, footnotes); units are aligned
with ``_align`` and edited ones get a word-level diff. The title block and the signature are compared field by field.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Sequence
from dataclasses import dataclass

from generator.diffing._align import align
from generator.diffing._words import Op, Segment, diff_words, similarity
from generator.diffing.model import Change, DocumentDiff, PartDiff, UnitDiff
from generator.document import footnotes, visit
from generator.document.nodes import (
    Argument,
    Block,
    BulletList,
    Checklist,
    Document,
    NotApplicable,
    NumberedList,
    Paragraph,
    Section,
    SubHeading,
    Table,
)
from generator.document.plaintext import block_lines, inline_text

# What a list item is called in a section; elsewhere it is a "punt" of an enumeration.
ITEM_WORDS = {
    "beslispunten": "beslispunt",
    "besluit": "beslispunt",  # the raadsbesluit's "besluit:" part
    "bijlagen": "bijlage",
    "burgerparticipatie": "stakeholder",
}
TITLE_BLOCK = "Kop"
SIGNATURE = "Ondertekening"


@dataclass(frozen=True, slots=True)
class _Unit:
    kind: str  # "alinea", "beslispunt", "Goal" …: only units of one kind are paired
    label: str
    text: str
    cells: tuple[tuple[str, str], ...] = ()  # a table row: (column name, cell text) per cell


def diff_documents(old: Document, new: Document, old_name: str = "OLD", new_name: str = "NEW") -> DocumentDiff:
    """Everything that differs between ``old`` and ``new``, in NEW's reading order."""
    parts = [_title_block(old, new), *_sections(old.sections, new.sections), _signature(old, new)]
    return DocumentDiff(old, new, old_name, new_name, tuple(parts))


# --- sections ------------------------------------------------------------------------------------------


def _sections(old: Sequence[Section], new: Sequence[Section]) -> list[PartDiff]:
    """Sections are matched on their stable key ("aanleiding"), whatever their number or title."""
    parts: list[PartDiff] = []
    for i, j in align([s.key for s in old], [s.key for s in new], lambda _i, _j: 0.0):
        if i is not None and j is not None:
            parts.append(_section(old[i], new[j]))
        elif j is not None:
            section = new[j]
            units = tuple(_whole(Change.ADDED, u) for u in _units(section))
            parts.append(PartDiff(f"s-{section.key}", section.number, section.title, Change.ADDED, units))
        elif i is not None:
            section = old[i]
            units = tuple(_whole(Change.REMOVED, u) for u in _units(section))
            parts.append(PartDiff(f"s-{section.key}", section.number, section.title, Change.REMOVED, units))
    return parts


def _section(old: Section, new: Section) -> PartDiff:
    units: list[UnitDiff] = []
    if old.heading != new.heading:  # renamed or renumbered by a layout profile
        units.append(UnitDiff(Change.CHANGED, "kop", diff_words(old.heading, new.heading)))
    compared = _compare_units(_units(old), _units(new))
    if any(isinstance(b, Checklist) for b in new.blocks):
        compared.sort(key=lambda u: u.label)  # "Goal 10 toegevoegd" before "Goal 16 verwijderd"
    units.extend(compared)
    return _part(f"s-{new.key}", new.number, new.title, units)


def _compare_units(old: Sequence[_Unit], new: Sequence[_Unit]) -> list[UnitDiff]:
    """Align two unit lists and describe each unit as kept, edited, added or removed."""

    def similar(i: int, j: int) -> float:
        return similarity(old[i].text, new[j].text) if old[i].kind == new[j].kind else 0.0

    out: list[UnitDiff] = []
    for i, j in align([(u.kind, u.text) for u in old], [(u.kind, u.text) for u in new], similar):
        if i is not None and j is not None:
            out.append(_edited(old[i], new[j], new[j].label))
        elif j is not None:
            out.append(_whole(Change.ADDED, new[j]))
        elif i is not None:
            out.append(_whole(Change.REMOVED, old[i]))
    return out


def _units(section: Section) -> list[_Unit]:
    """The units of one section in reading order, numbered per kind ("alinea 1", "alinea 2", "beslispunt 1")."""
    cutter = _Units(ITEM_WORDS.get(section.key, "punt"))
    cutter.visit_all(section.blocks)
    for note in footnotes.collect(section.blocks):
        cutter.add("voetnoot", inline_text(note.inlines), f"voetnoot {note.number}")
    return cutter.units


class _Units(visit.BlockVisitor[None]):
    """Cuts a section's blocks into units; ``word`` is what an item of a list is called in this section."""

    def __init__(self, word: str) -> None:
        self.word = word
        self.counts: Counter[str] = Counter()
        self.units: list[_Unit] = []

    def add(self, kind: str, text: str, label: str | None = None, cells: tuple[tuple[str, str], ...] = ()) -> None:
        self.counts[kind] += 1
        self.units.append(_Unit(kind, label or f"{kind} {self.counts[kind]}", text, cells))

    def _items(self, items: tuple[tuple[Block, ...], ...], start: int) -> None:
        for n, item in enumerate(items, start=start):
            self.add(self.word, "\n".join(plain(b) for b in item), f"{self.word} {n}")

    def paragraph(self, block: Paragraph) -> None:
        self.add("alinea", inline_text(block.inlines))

    def subheading(self, block: SubHeading) -> None:
        self.add("tussenkop", inline_text(block.inlines))

    def not_applicable(self, block: NotApplicable) -> None:
        self.add("tekst", block.text, "tekst")

    def numbered_list(self, block: NumberedList) -> None:
        self._items(block.items, block.start)

    def bullet_list(self, block: BulletList) -> None:
        self._items(block.items, 1)

    def argument(self, block: Argument) -> None:
        self.add("argument", plain(block), f"argument {block.label}")

    def checklist(self, block: Checklist) -> None:
        for check in block.items:
            if check.checked:  # a goal is "added" when ticked, "removed" when no longer ticked
                self.add("Goal", f"{check.label} {check.text}", check.label)

    def table(self, block: Table) -> None:
        self.counts["tabel"] += 1
        table = self.counts["tabel"]
        names = [inline_text(c) or f"kolom {n}" for n, c in enumerate(block.header, start=1)]
        self.add("tabelkop", " | ".join(names), f"tabel {table} kopregel", tuple(zip(names, names, strict=True)))
        for n, row in enumerate(block.rows, start=1):
            texts = [inline_text(c) for c in row]
            self.add("tabelrij", " | ".join(texts), f"tabel {table} rij {n}", tuple(zip(names, texts, strict=False)))


def plain(block: Block) -> str:
    """A block as plain text, lists with their labels, for word-level comparison: the txt writer's view."""
    return "\n".join(block_lines(block))


# --- title block and signature ---------------------------------------------------------------------------


def _title_block(old: Document, new: Document) -> PartDiff:
    """Kind, subject, each title-block field (matched by label) and the municipality."""

    def fields(doc: Document) -> dict[str, str]:
        return {
            "Soort": doc.kind,
            "Onderwerp": doc.subject,
            **{f.label: inline_text(f.value) for f in doc.fields},
            "Gemeente": doc.municipality,
        }

    return _part("kop", None, TITLE_BLOCK, _keyed(fields(old), fields(new)))


def _signature(old: Document, new: Document) -> PartDiff:
    """Closing line, college line and the signatories by position (secretaris first, then burgemeester)."""

    def fields(doc: Document) -> dict[str, str]:
        sig = doc.signature
        people = {
            f"ondertekenaar {n}": f"{inline_text(s.name)}, {s.title}" for n, s in enumerate(sig.signatories, start=1)
        }
        return {"slotformule": sig.closing, "collegeregel": sig.college, **people}

    return _part("ondertekening", None, SIGNATURE, _keyed(fields(old), fields(new)))


def _keyed(old: dict[str, str], new: dict[str, str]) -> list[UnitDiff]:
    """Fields matched by name, in NEW's order, fields only in OLD after them."""
    out: list[UnitDiff] = []
    for label in [*new, *(k for k in old if k not in new)]:
        if label in old and label in new:
            out.append(_edited(_Unit(label, label, old[label]), _Unit(label, label, new[label]), label))
        elif label in new:
            out.append(_whole(Change.ADDED, _Unit(label, label, new[label])))
        else:
            out.append(_whole(Change.REMOVED, _Unit(label, label, old[label])))
    return out


# --- helpers ---------------------------------------------------------------------------------------------


def _edited(old: _Unit, new: _Unit, label: str) -> UnitDiff:
    if old.text == new.text:
        return UnitDiff(Change.EQUAL, label, (Segment("equal", new.text),))
    if old.cells and new.cells:
        label += _changed_cells(old.cells, new.cells)
    return UnitDiff(Change.CHANGED, label, diff_words(old.text, new.text))


def _changed_cells(old: tuple[tuple[str, str], ...], new: tuple[tuple[str, str], ...]) -> str:
    """Which cells of a table row differ, compared cell by cell: " (kolom 'Bedrag')"."""
    width = max(len(old), len(new))
    changed = [
        (new[c] if c < len(new) else old[c])[0]
        for c in range(width)
        if c >= len(old) or c >= len(new) or old[c][1] != new[c][1]
    ]
    if not changed:
        return ""
    return " (" + ", ".join(f"kolom '{name}'" for name in changed) + ")"


def _whole(change: Change, unit: _Unit) -> UnitDiff:
    op: Op = "insert" if change is Change.ADDED else "delete"
    return UnitDiff(change, unit.label, (Segment(op, unit.text),) if unit.text else ())


def _part(anchor: str, number: int | None, title: str, units: Sequence[UnitDiff]) -> PartDiff:
    changed = any(u.change is not Change.EQUAL for u in units)
    return PartDiff(anchor, number, title, Change.CHANGED if changed else Change.EQUAL, tuple(units))

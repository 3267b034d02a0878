"""The result of comparing two documents, as the renderers (text, html, docx) and the exit code see it.

Why a model of its own: the three output formats must agree on what changed and how it is called ("§ 5
Voorstel: beslispunt 3 toegevoegd"). The comparison decides that once, here; renderers only lay it out.
"""

from __future__ import annotations

from dataclasses import dataclass
from enum import StrEnum

from generator.diffing._words import Segment
from generator.document.nodes import Document


class Change(StrEnum):
    EQUAL = "ongewijzigd"
    CHANGED = "gewijzigd"
    ADDED = "toegevoegd"
    REMOVED = "verwijderd"


@dataclass(frozen=True, slots=True)
class UnitDiff:
    """One comparable piece (a paragraph, a beslispunt, a Global Goal, a signatory) and its word changes.

    ``label`` names it for a reader ("alinea 2", "beslispunt 3", "Goal 05"), numbered as in NEW, or as in
    OLD for a removed piece. ``segments`` rebuild both texts: equal + delete is OLD, equal + insert is NEW.
    """

    change: Change
    label: str
    segments: tuple[Segment, ...]


@dataclass(frozen=True, slots=True)
class PartDiff:
    """A section ("§ 5 Voorstel"), or the title block ("Kop") or the signature ("Ondertekening").

    ``number`` is None for the title block and the signature; ``anchor`` is a stable id for links in HTML.
    ``change`` is ADDED or REMOVED when the whole section exists on one side only (a layout profile that
    omits it), otherwise CHANGED or EQUAL according to its units.
    """

    anchor: str
    number: int | None
    title: str
    change: Change
    units: tuple[UnitDiff, ...]

    @property
    def name(self) -> str:
        """"§ 5 Voorstel"; an unnumbered part by its title without the besluit's punctuation ("besluit")."""
        return f"§ {self.number} {self.title}" if self.number is not None else self.title.rstrip(":;")

    @property
    def changed(self) -> bool:
        return self.change is not Change.EQUAL

    @property
    def changes(self) -> tuple[UnitDiff, ...]:
        return tuple(u for u in self.units if u.change is not Change.EQUAL)

    def summary(self) -> str:
        """One line: "§ 1 Aanleiding: alinea 2 gewijzigd, alinea 4 verwijderd"."""
        if self.change in (Change.ADDED, Change.REMOVED):
            return f"{self.name}: onderdeel {self.change}"
        return f"{self.name}: " + ", ".join(f"{u.label} {u.change}" for u in self.changes)


@dataclass(frozen=True, slots=True)
class DocumentDiff:
    """Two documents of one municipality (or of two municipalities) and everything that differs.

    ``old_name`` and ``new_name`` say where each side came from, for headings ("HEAD~1:proposals/… (Leusden)").
    ``parts`` are in reading order: the title block, the sections, the signature.
    """

    old: Document
    new: Document
    old_name: str
    new_name: str
    parts: tuple[PartDiff, ...]

    @property
    def identical(self) -> bool:
        return not any(p.changed for p in self.parts)

    @property
    def changed_parts(self) -> tuple[PartDiff, ...]:
        return tuple(p for p in self.parts if p.changed)

    def signature(self) -> tuple[object, ...]:
        """What was changed and how, without which municipality it belongs to (see ``DiffReport.groups``)."""
        changed = tuple((p.summary(), p.changes) for p in self.changed_parts)
        return (changed, self.unchanged_line())

    def unchanged_line(self) -> str:
        """The unchanged parts in one line: "ongewijzigd: kop, § 2–4, 6–21" (empty when nothing is unchanged)."""
        items: list[str] = []
        numbers: list[int] = []
        for part in self.parts:
            if part.changed:
                continue
            if part.number is None:  # "kop", "ondertekening"; a besluit's part as written ("besluit")
                items.append(part.name if part.anchor.startswith("s-") else part.title.lower())
            else:
                if not numbers:
                    items.append("")  # where the section numbers go, in reading order
                numbers.append(part.number)
        if numbers:
            items[items.index("")] = "§ " + ", ".join(_ranges(numbers))
        return "ongewijzigd: " + ", ".join(items) if items else ""


def _ranges(numbers: list[int]) -> list[str]:
    """[2, 3, 4, 6] → ["2–4", "6"]."""
    out: list[str] = []
    start = previous = None
    for n in numbers:
        if start is not None and previous is not None and n == previous + 1:
            previous = n
            continue
        if start is not None:
            out.append(f"{start}–{previous}" if previous != start else str(start))
        start = previous = n
    if start is not None:
        out.append(f"{start}–{previous}" if previous != start else str(start))
    return out


@dataclass(frozen=True, slots=True)
class DiffReport:
    """What one ``raadsvoorstel diff`` run compared: one diff per municipality, and municipalities that take
    part on one side only (a participant added to or dropped from the dossier is a difference too)."""

    diffs: tuple[DocumentDiff, ...]
    only_old: tuple[str, ...] = ()
    only_new: tuple[str, ...] = ()

    @property
    def identical(self) -> bool:
        return not self.only_old and not self.only_new and all(d.identical for d in self.diffs)

    def groups(self) -> list[tuple[DocumentDiff, tuple[str, ...]]]:
        """Diffs with exactly the same changes together, as (the first one, the municipalities it stands for).

        Why: an edit of the shared regional text changes every municipality's document the same way; a reviewer
        reads it once, with the list of municipalities, instead of seven times.
        """
        grouped: dict[object, tuple[DocumentDiff, list[str]]] = {}
        for diff in self.diffs:
            entry = grouped.setdefault(diff.signature(), (diff, []))
            entry[1].append(diff.new.municipality)
        return [(diff, tuple(names)) for diff, names in grouped.values()]

    def participant_lines(self) -> list[str]:
        """ "gemeente Baarn doet alleen mee in OLD" lines, OLD first."""
        return [f"gemeente {g} doet alleen mee in de oude versie" for g in self.only_old] + [
            f"gemeente {g} doet alleen mee in de nieuwe versie" for g in self.only_new
        ]

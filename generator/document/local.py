"""Local text without copying: a municipality adds, replaces or removes one labelled piece of a shared text.

The shared text names a place with a label at the end of a line: ``[#opstartbegroting]`` on a paragraph,
a list item or a table row. An overlay says what happens there::

    lokaal:
      financieel_advies:
        - na: opstartbegroting          # or voor: / in_plaats_van: / verwijder:
          tekst: In Amersfoort komt daar € 10.000 bij.

Why at the level of the Markdown source, before variables and parsing: the result is one text that goes
through exactly the same checks and parser as any other, so a local paragraph can use variables, footnotes
and placeholders like the shared text. Every line of the result remembers where it was written (``origins``),
so a problem in a local paragraph still points at the overlay's line, one in the shared text at
voorstel.yaml's. Everything that has no label keeps following the shared text.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass
from functools import lru_cache

from markdown_it import MarkdownIt

# A label at the end of a line: "… tekst. [#opstartbegroting]"
LABEL_RE = re.compile(r"[ \t]*\[#([a-z0-9][a-z0-9_-]*)\][ \t]*$")
_MARKER_RE = re.compile(r"^(\s*)([-*+]|\d{1,9}[.)])(\s+)")
ACTIONS = ("na", "voor", "in_plaats_van", "verwijder")


@dataclass(frozen=True, slots=True)
class Change:
    """One local change: ``action`` (one of ``ACTIONS``) at ``label``, with ``text`` (None for verwijder).

    ``index`` is the change's position in the overlay's list, so problems can name ``lokaal.<key>.<index>``.
    """

    index: int
    action: str
    label: str
    text: str | None


@dataclass(frozen=True, slots=True)
class Origin:
    """Where one line of the combined text was written: the shared text (``change`` None) or a change's text."""

    change: int | None
    line: int  # 1-based line inside that text


@dataclass(frozen=True, slots=True)
class Place:
    kind: str  # "alinea", "punt", "tabelrij"
    start: int  # 0-based first line
    end: int  # 0-based line after the last
    marker: str = ""  # a list item's marker with its spacing ("- ", "3. ")


@dataclass(frozen=True, slots=True)
class Result:
    text: str
    origins: tuple[Origin, ...]
    problems: tuple[tuple[int | None, str], ...]  # (change index or None for the shared text, message)


def strip_labels(source: str) -> tuple[str, dict[str, int], list[str]]:
    """The text without labels, each label's 0-based line, and duplicate labels (an error in the shared text)."""
    lines = source.split("\n")
    labels: dict[str, int] = {}
    duplicates: list[str] = []
    for n, line in enumerate(lines):
        found = LABEL_RE.search(line)
        if found:
            if found.group(1) in labels:
                duplicates.append(found.group(1))
            labels.setdefault(found.group(1), n)
            lines[n] = line[: found.start()]
    return "\n".join(lines), labels, duplicates


@lru_cache(maxsize=1)
def _parser() -> MarkdownIt:
    return MarkdownIt("commonmark", {"html": False}).enable("table")


def _places(text: str, labels: dict[str, int]) -> dict[str, Place]:
    """What each label names: the innermost table row, list item or top-level block on its line."""
    tokens = _parser().parse(text)
    lines = text.split("\n")
    found: dict[str, Place] = {}
    for label, line in labels.items():
        best: Place | None = None
        for tok in tokens:
            if tok.nesting == 1 and tok.map and tok.map[0] <= line < tok.map[1]:
                start, end = tok.map
                if tok.type == "tr_open" and tok.level > 0:
                    best = Place("tabelrij", start, end)
                    break
                if tok.type == "list_item_open":
                    marker = _MARKER_RE.match(lines[start])
                    best = Place("punt", start, _trim(lines, start, end), marker.group(0).lstrip() if marker else "- ")
                elif tok.level == 0 and best is None:
                    best = Place("alinea", start, _trim(lines, start, end))
        if best is not None:
            found[label] = best
    return found


def _trim(lines: Sequence[str], start: int, end: int) -> int:
    """``end`` without trailing blank lines (markdown-it counts them to a loose list item)."""
    while end > start + 1 and not lines[end - 1].strip():
        end -= 1
    return end


def apply(source: str, changes: Sequence[Change]) -> Result:
    """The shared ``source`` with ``changes`` applied, labels removed, and where each line came from."""
    text, labels, duplicates = strip_labels(source)
    problems: list[tuple[int | None, str]] = [
        (None, f"het label [#{label}] staat twee keer in deze tekst; geef elke plaats een eigen naam")
        for label in duplicates
    ]
    lines = text.split("\n")
    origins = [Origin(None, n + 1) for n in range(len(lines))]
    places = _places(text, labels)
    # Apply from the bottom up so earlier places keep their line numbers; changes at one place keep their order.
    targeted: list[tuple[Place, Change]] = []
    for change in changes:
        place = places.get(change.label)
        if place is None:
            known = ", ".join(sorted(places)) or "geen; zet eerst een label als [#naam] achter een regel in de tekst"
            message = f"label '{change.label}' bestaat niet in de gedeelde tekst (labels: {known})"
            problems.append((change.index, message))
            continue
        targeted.append((place, change))
    def position(pc: tuple[Place, Change]) -> tuple[int, int]:
        place, change = pc
        return (-(place.end if change.action == "na" else place.start), -change.index)

    for place, change in sorted(targeted, key=position):
        new, new_origins = _replacement(place, change)
        start, end = place.start, place.end
        if change.action == "na":
            start = end
        elif change.action == "voor":
            end = start
        lines[start:end] = new
        origins[start:end] = new_origins
    return Result("\n".join(lines), tuple(origins), tuple(problems))


def _replacement(place: Place, change: Change) -> tuple[list[str], list[Origin]]:
    """The lines a change puts in, shaped like its place: blank-line separated blocks, list items, rows."""
    if change.action == "verwijder" or change.text is None:
        return [], []
    body = change.text.rstrip("\n").split("\n")
    origins = [Origin(change.index, n + 1) for n in range(len(body))]
    if place.kind == "punt":
        indent = " " * len(place.marker)
        body = [place.marker + body[0], *(indent + line if line.strip() else line for line in body[1:])]
    elif place.kind == "alinea":
        if change.action == "na":
            return ["", *body], [origins[0], *origins]
        if change.action == "voor":
            return [*body, ""], [*origins, origins[-1]]
    return body, origins

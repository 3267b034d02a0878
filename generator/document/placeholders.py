"""Placeholders in text: ``[INVULLEN: wat hier hoort]`` inside a sentence, found however it is capitalised.

Why one notation with brackets: a placeholder in the middle of a sentence needs a visible end, or nobody
(the highlighter included) knows which words still have to be replaced. The bracketed form is found in any
capitalisation (``[Invullen: …]``). Without brackets only what cannot be ordinary Dutch is taken for a
placeholder: ``INVULLEN`` in capitals, or ``Invullen:``/``invullen:`` with a colon ("een formulier invullen"
is a sentence, not a gap); those are reported with the advice to add the brackets.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from generator.model.values import PLACEHOLDER_WORD

_BARE_CAPITALS = re.compile(r"\b" + PLACEHOLDER_WORD + r"\b")
_BARE_COLON = re.compile(r"\binvullen\s*:", re.IGNORECASE)
_BRACKETED = re.compile(r"\[\s*" + PLACEHOLDER_WORD + r"\b[^\]\n]*\]", re.IGNORECASE)


@dataclass(frozen=True, slots=True)
class Spot:
    """One placeholder in a text: its 1-based line, what the clerk wrote, and whether it has brackets."""

    line: int
    text: str
    bracketed: bool

    def message(self) -> str:
        if self.bracketed:
            return f"nog in te vullen: {self.text}"
        return (
            f"nog in te vullen: '{self.text.strip()}' zonder haken; schrijf [INVULLEN: wat hier hoort], "
            "dan is te zien waar het eindigt"
        )


def spans(text: str) -> list[tuple[int, int]]:
    """Where the placeholders are in one line of text: bracketed anywhere, bare in capitals or with a colon."""
    if "nvullen" not in text.lower():  # the common case, decided without a regex
        return []
    found: list[tuple[int, int]] = [m.span() for m in _BRACKETED.finditer(text)]

    def free(start: int, end: int) -> bool:
        return all(end <= s or start >= e for s, e in found)

    bare = [m.span() for m in _BARE_CAPITALS.finditer(text)] + [m.span() for m in _BARE_COLON.finditer(text)]
    for start, end in sorted(bare):
        if free(start, end):
            found.append((start, end))
    return sorted(found)


def find(source: str) -> list[Spot]:
    """Every placeholder of a text, in order, with its line."""
    spots: list[Spot] = []
    for number, line in enumerate(source.split("\n"), start=1):
        for start, end in spans(line):
            piece = line[start:end]
            spots.append(Spot(number, piece, piece.startswith("[")))
    return spots

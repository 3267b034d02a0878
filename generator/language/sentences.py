"""Text → sentences, with their place in the text (character offsets), for Dutch.

Why sentencex with a small repair, and not a splitter of our own or another library: sentencex (Wikimedia's
rule-based segmenter, maintained, no model, no network) handles most of a council text correctly — decimals
("1.2 miljoen"), "art. 3", "bijv. de", "e.d.", "t.z.t." — and keeps every character, so the pieces joined
give the text back and offsets stay exact. It still cuts after a Dutch abbreviation that is followed by a
capital, a number or a currency sign ("o.a. Leusden", "o.a. € 54.400"), because it cannot tell that from the
end of a sentence; pysbd 0.3.4 cuts there too and after "dr." and "p.", syntok 1.4.4 (last release 2022)
after "dr." (all three tried on the examples of tests/test_language.py when this was chosen). So the segments
of sentencex are joined again where one ends in a known abbreviation (:data:`ABBREVIATIONS`) or a single
initial ("J."). That repair is the only rule we own.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from sentencex import segment

# Dutch abbreviations a council text uses that never end a sentence (lower case, with their dots).
ABBREVIATIONS = frozenset(
    {
        "o.a.", "bijv.", "bv.", "b.v.", "art.", "e.d.", "e.a.", "i.o.m.", "m.b.t.", "t.a.v.", "t.b.v.", "i.v.m.",
        "m.i.v.", "n.a.v.", "t.z.t.", "z.s.m.", "d.w.z.", "o.b.v.", "a.d.h.v.", "i.p.v.", "v.w.b.", "c.q.", "d.d.",
        "nr.", "no.", "blz.", "p.", "pag.", "dr.", "drs.", "mr.", "ir.", "ing.", "prof.", "mevr.", "dhr.", "mw.",
        "jl.", "j.l.", "vlg.", "vgl.", "zgn.", "resp.", "ca.", "incl.", "excl.", "max.", "min.", "gem.",
        "jan.", "feb.", "mrt.", "apr.", "jun.", "jul.", "aug.", "sep.", "sept.", "okt.", "nov.", "dec.",
    }
)

_LAST_WORD = re.compile(r"(\S+)\s*$")
_INITIAL = re.compile(r"^\(?[A-Z]\.$")


@dataclass(frozen=True, slots=True)
class Sentence:
    """One sentence: its text (without the white space around it) and where it starts in the text."""

    text: str
    start: int


def _ends_in_abbreviation(piece: str) -> bool:
    match = _LAST_WORD.search(piece)
    if match is None:
        return False
    word = match.group(1)
    return word.lower().lstrip("(") in ABBREVIATIONS or bool(_INITIAL.match(word))


def split(text: str) -> list[Sentence]:
    """The sentences of ``text`` (one paragraph or list item: line breaks in it are spaces to the reader)."""
    pieces: list[tuple[int, str]] = []  # (start, raw piece)
    at = 0
    for piece in segment("nl", text):
        if pieces and _ends_in_abbreviation(pieces[-1][1]):
            start, before = pieces[-1]
            pieces[-1] = (start, before + piece)
        else:
            pieces.append((at, piece))
        at += len(piece)
    out: list[Sentence] = []
    for start, raw in pieces:
        stripped = raw.strip()
        if stripped:
            out.append(Sentence(stripped, start + (len(raw) - len(raw.lstrip()))))
    return out

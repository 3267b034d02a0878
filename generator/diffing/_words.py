"""Word-level differences: tokens that keep their whitespace, and opcodes a reader can follow.

Why tokens that include the whitespace: joining the tokens of one side gives that side's text back exactly,
so a redline that accepts every insertion reads as NEW and one that rejects them reads as OLD, character for
character. Numbers and abbreviations ("€ 54.400", "RWA/Amfors", "t/m") stay one token, so a changed amount
shows as one word replaced rather than as digits shuffled around a full stop.

difflib's raw opcodes alternate equal spaces with changed words ("[-a-]{+x+} [-b-]{+y+}"); ``opcodes`` folds a
short stretch of only spaces and punctuation between two changes into the change, so the reader sees
"[-a b-]{+x y+}" and "[-G.J. Bouwmeester-]{+A.B. Nieuwenhuis+}".
"""

from __future__ import annotations

import re
from collections.abc import Hashable, Sequence
from dataclasses import dataclass
from difflib import SequenceMatcher
from typing import Literal

TOKEN_RE = re.compile(r"\s+|[\w€]+(?:[.,’'/-][\w€]+)*|[^\w\s]", re.UNICODE)
_WORDLIKE = re.compile(r"[\w€]")
MAX_FILLER = 3  # at most this many space/punctuation tokens between two changes are folded into them

Op = Literal["equal", "delete", "insert"]
Opcode = tuple[str, int, int, int, int]


@dataclass(frozen=True, slots=True)
class Segment:
    """A stretch of text that is the same in both versions, only in OLD (``delete``) or only in NEW (``insert``)."""

    op: Op
    text: str


def tokens(text: str) -> list[str]:
    """Words, single punctuation marks and whitespace runs; ``"".join(tokens(t)) == t``."""
    return TOKEN_RE.findall(text)


def is_filler(token: str) -> bool:
    """Whitespace or punctuation only: not worth showing as unchanged between two changed words."""
    return not _WORDLIKE.search(token)


def opcodes(old: Sequence[Hashable], new: Sequence[Hashable], filler: Sequence[bool] | None = None) -> list[Opcode]:
    """difflib opcodes on two token sequences, with short filler between changes folded into the change.

    ``filler[i]`` says whether ``old[i]`` is only spaces or punctuation (by default: ``is_filler`` of a
    ``str`` token). The result uses "equal" and "replace" / "delete" / "insert" like difflib, adjacent
    changes merged.
    """
    fill = list(filler) if filler is not None else [isinstance(t, str) and is_filler(t) for t in old]
    raw = SequenceMatcher(None, old, new, autojunk=False).get_opcodes()
    merged: list[Opcode] = []
    for index, (tag, i1, i2, j1, j2) in enumerate(raw):
        between_changes = 0 < index < len(raw) - 1
        if tag == "equal" and between_changes and i2 - i1 <= MAX_FILLER and all(fill[i1:i2]):
            tag = "replace"
        if tag != "equal" and merged and merged[-1][0] != "equal":
            _, p1, _, q1, _ = merged.pop()
            i1, j1 = p1, q1
            tag = "replace"
        if tag == "replace" and i1 == i2:
            tag = "insert"
        elif tag == "replace" and j1 == j2:
            tag = "delete"
        merged.append((tag, i1, i2, j1, j2))
    return merged


def diff_words(old: str, new: str) -> tuple[Segment, ...]:
    """Segments that rebuild ``old`` (equal + delete) and ``new`` (equal + insert), in reading order."""
    a, b = tokens(old), tokens(new)
    segments: list[Segment] = []
    for tag, i1, i2, j1, j2 in opcodes(a, b):
        if tag == "equal":
            segments.append(Segment("equal", "".join(b[j1:j2])))
            continue
        if i2 > i1:
            segments.append(Segment("delete", "".join(a[i1:i2])))
        if j2 > j1:
            segments.append(Segment("insert", "".join(b[j1:j2])))
    return tuple(segments)


def similarity(old: str, new: str) -> float:
    """How alike two texts are (0..1, on words), to decide whether a paragraph was edited or replaced."""
    a = [t for t in tokens(old) if t.strip()]
    b = [t for t in tokens(new) if t.strip()]
    if not a and not b:
        return 1.0
    matcher = SequenceMatcher(None, a, b, autojunk=False)
    if matcher.real_quick_ratio() < 0.3 or matcher.quick_ratio() < 0.3:
        return matcher.quick_ratio()
    return matcher.ratio()

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
import zlib
from collections.abc import Hashable, Sequence
from dataclasses import dataclass
from difflib import SequenceMatcher
from typing import Literal

TOKEN_RE = re.compile(r"\s+|[\w€]+(?:[.,’'/-][\w€]+)*|[^\w\s]", re.UNICODE)
_WORDLIKE = re.compile(r"[\w€]")
MAX_FILLER = 3  # at most this many space/punctuation tokens between two changes are folded into them
#: Tokens per side that are diffed exactly in one go. difflib is quadratic on prose (spaces are everywhere and
#: nothing is junked), so a 400 KB paragraph with every third word changed took 98 s; longer stretches are
#: matched coarsely first (difflib's own popular-token heuristic) and what differs is refined window by window.
MAX_EXACT = 1_000
#: Tokens a side in one window of a long changed stretch (see :func:`_raw_opcodes`).
WINDOW = 100
#: Tokens a run of equal pieces needs to anchor the alignment of a long text.
MIN_ANCHOR = 12
#: Pairs of words compared for :func:`similarity` before it settles for difflib's linear upper bound.
MAX_SIMILARITY_PAIRS = 1_000_000

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
    raw = _raw_opcodes(old, new)
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


def _raw_opcodes(old: Sequence[Hashable], new: Sequence[Hashable]) -> list[Opcode]:
    """difflib's opcodes: exact for texts of ordinary length, near-linear for very long ones.

    A long text is cut into short pieces at boundaries chosen by content (a word whose checksum ends in
    three zero bits ends a piece, as in rsync), so an insertion shifts no boundary elsewhere and equal
    pieces still match; difflib pairs the pieces, and what differs is refined word by word in windows of at
    most ``WINDOW`` tokens a side. Boundaries use crc32, not ``hash``: the same texts give the same diff.
    """
    if len(old) <= MAX_EXACT and len(new) <= MAX_EXACT:
        return list(SequenceMatcher(None, old, new, autojunk=False).get_opcodes())
    a_cuts, b_cuts = _cuts(old), _cuts(new)
    a_pieces = [tuple(old[a_cuts[k] : a_cuts[k + 1]]) for k in range(len(a_cuts) - 1)]
    b_pieces = [tuple(new[b_cuts[k] : b_cuts[k + 1]]) for k in range(len(b_cuts) - 1)]
    anchors = [
        (a_cuts[p1], a_cuts[p1 + size], b_cuts[q1], b_cuts[q1 + size])
        for p1, q1, size in SequenceMatcher(None, a_pieces, b_pieces, autojunk=True).get_matching_blocks()
        if size and a_cuts[p1 + size] - a_cuts[p1] >= MIN_ANCHOR  # a short common piece ("de ") anchors nothing
    ]
    found: list[Opcode] = []
    i, j = 0, 0
    for i1, i2, j1, j2 in anchors:
        if i1 > i or j1 > j:
            found.extend(_windows(old, new, i, i1, j, j1))
        found.append(("equal", i1, i2, j1, j2))
        i, j = i2, j2
    if i < len(old) or j < len(new):
        found.extend(_windows(old, new, i, len(old), j, len(new)))
    joined: list[Opcode] = []
    for code in found:  # neighbouring windows can end and start with "equal": one stretch for the reader
        if joined and joined[-1][0] == code[0] == "equal":
            tag, i1, _, j1, _ = joined.pop()
            code = (tag, i1, code[2], j1, code[4])
        joined.append(code)
    return joined


def _cuts(items: Sequence[Hashable]) -> list[int]:
    """Piece boundaries (0, …, len): after a word whose crc32 is divisible by 8, or after ``WINDOW`` tokens."""
    cuts = [0]
    for index, item in enumerate(items):
        text = str(item)
        if (zlib.crc32(text.encode("utf-8")) & 7 == 0 and _WORDLIKE.search(text)) or index + 1 - cuts[-1] >= WINDOW:
            cuts.append(index + 1)
    if cuts[-1] != len(items):
        cuts.append(len(items))
    return cuts


def _windows(
    old: Sequence[Hashable], new: Sequence[Hashable], i1: int, i2: int, j1: int, j2: int
) -> list[Opcode]:
    """A changed stretch refined word by word, in proportional windows of at most ``WINDOW`` tokens a side."""
    n, m = i2 - i1, j2 - j1
    steps = max(1, -(-max(n, m) // WINDOW))
    found: list[Opcode] = []
    for k in range(steps):
        a1, a2 = i1 + n * k // steps, i1 + n * (k + 1) // steps
        b1, b2 = j1 + m * k // steps, j1 + m * (k + 1) // steps
        matcher = SequenceMatcher(None, old[a1:a2], new[b1:b2], autojunk=False)
        for tag, x1, x2, y1, y2 in matcher.get_opcodes():
            found.append((tag, a1 + x1, a1 + x2, b1 + y1, b1 + y2))
    return found


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
    if matcher.real_quick_ratio() < 0.3 or matcher.quick_ratio() < 0.3 or len(a) * len(b) > MAX_SIMILARITY_PAIRS:
        return matcher.quick_ratio()  # an upper bound, linear; enough to tell edited from rewritten
    return matcher.ratio()

"""Word-level comparison of two texts: how much of A appears in B, in order (longest common subsequence)."""

from __future__ import annotations

import re
from difflib import SequenceMatcher

_WORD = re.compile(r"[\w€]+(?:[.,’'/-][\w€]+)*", re.UNICODE)


def words(text: str) -> list[str]:
    """Lower-cased words; punctuation, bullets and layout whitespace do not count."""
    return [w.lower() for w in _WORD.findall(text)]


def lcs_length(a: list[str], b: list[str]) -> int:
    """Length of the longest common subsequence (exact dynamic programming, O(len(a)·len(b)) bits)."""
    positions: dict[str, list[int]] = {}
    for j, w in enumerate(b):
        positions.setdefault(w, []).append(j)
    # Bit-parallel LCS (Allison-Dix / Hyyrö): rows as Python ints.
    masks: dict[str, int] = {}
    for w, js in positions.items():
        m = 0
        for j in js:
            m |= 1 << j
        masks[w] = m
    row = 0
    for w in a:
        x = masks.get(w, 0) | row
        row = x & ~(x - ((row << 1) | 1))
    return bin(row).count("1")


def in_order_share(reference: list[str], other: list[str]) -> float:
    """Share of ``reference``'s words found in ``other`` in the same order."""
    return lcs_length(reference, other) / len(reference) if reference else 1.0


def sequence_ratio(a: list[str], b: list[str]) -> float:
    return SequenceMatcher(None, a, b, autojunk=False).ratio()

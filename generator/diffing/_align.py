"""Aligning two sequences of paragraphs (or list items, table rows): which were kept, edited, added, removed.

difflib finds the runs of identical items; inside a stretch where the two sides differ, items are paired by
how alike they are (an order-preserving assignment that maximises total similarity), so an edited sentence
shows as one paragraph "gewijzigd" with its words marked, not as one paragraph removed and another added.
Pairs below ``threshold`` stay apart: a paragraph rewritten from scratch is honestly "verwijderd" + "toegevoegd".
"""

from __future__ import annotations

from collections.abc import Callable, Hashable, Sequence
from difflib import SequenceMatcher

Pair = tuple[int | None, int | None]
"""(index in OLD, index in NEW): both set = kept or edited; only OLD = removed; only NEW = added."""

THRESHOLD = 0.5
_MAX_BLOCK = 400 * 400  # beyond this many candidate pairs, pair by position instead (keeps time bounded)


def align(
    old: Sequence[Hashable],
    new: Sequence[Hashable],
    similar: Callable[[int, int], float],
    threshold: float = THRESHOLD,
) -> list[Pair]:
    """Pairs in reading order; within a changed stretch, removed items come before added ones.

    ``old`` and ``new`` are keys (equal keys mean identical items); ``similar(i, j)`` rates old[i] against
    new[j] from 0 to 1 and is only called inside changed stretches.
    """
    pairs: list[Pair] = []
    for tag, i1, i2, j1, j2 in SequenceMatcher(None, old, new, autojunk=False).get_opcodes():
        if tag == "equal":
            pairs.extend((i1 + k, j1 + k) for k in range(i2 - i1))
        else:
            pairs.extend(_pair_block(range(i1, i2), range(j1, j2), similar, threshold))
    return pairs


def _pair_block(olds: range, news: range, similar: Callable[[int, int], float], threshold: float) -> list[Pair]:
    """Order-preserving pairing of two stretches (dynamic programming, like an edit distance)."""
    n, m = len(olds), len(news)
    if n == 0 or m == 0:
        return [(i, None) for i in olds] + [(None, j) for j in news]
    if n * m > _MAX_BLOCK:
        scores = {(a, b): 1.0 for a, b in zip(range(n), range(m), strict=False)}
    else:
        scores = {}
        for a in range(n):
            for b in range(m):
                score = similar(olds[a], news[b])
                if score >= threshold:
                    scores[(a, b)] = score + 1e-6  # pairing beats leaving apart, even at score 0
    # best[a][b]: best total score for olds[a:] and news[b:]
    best = [[0.0] * (m + 1) for _ in range(n + 1)]
    for a in range(n - 1, -1, -1):
        for b in range(m - 1, -1, -1):
            skip = max(best[a + 1][b], best[a][b + 1])
            pair = scores.get((a, b))
            best[a][b] = max(skip, pair + best[a + 1][b + 1]) if pair is not None else skip
    out: list[Pair] = []
    removed: list[Pair] = []
    added: list[Pair] = []
    a = b = 0
    while a < n and b < m:
        pair = scores.get((a, b))
        if pair is not None and best[a][b] == pair + best[a + 1][b + 1]:
            out.extend(removed + added)
            removed, added = [], []
            out.append((olds[a], news[b]))
            a, b = a + 1, b + 1
        elif best[a][b] == best[a + 1][b]:
            removed.append((olds[a], None))
            a += 1
        else:
            added.append((None, news[b]))
            b += 1
    removed.extend((olds[k], None) for k in range(a, n))
    added.extend((None, news[k]) for k in range(b, m))
    return out + removed + added

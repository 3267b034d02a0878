"""Measure the B1 check on the Amsterdam sentence pairs: how often it rates the simple side easier.

    python -m tools.b1_pairs [CSV]

Prints the figures the README states (section "Leesbaarheid (taalniveau B1)"); tests/test_language.py asserts
thresholds a little below them.
"""

from __future__ import annotations

import csv
import sys
from pathlib import Path

from generator.language import officialese
from generator.language.check import analyse

DEFAULT = Path(__file__).resolve().parent.parent / "tests" / "data" / "amsterdam-complex-simple"


def pairs(path: Path) -> list[tuple[str, str]]:
    """The (complex, simple) pairs whose two sides differ."""
    with path.open(encoding="utf-8", newline="") as handle:
        rows = [(row["Complex"].strip(), row["Simple"].strip()) for row in csv.DictReader(handle)]
    return [(c, s) for c, s in rows if c != s]


def main(argv: list[str]) -> None:
    path = Path(argv[0]) if argv else DEFAULT / "complex-simple-even-documents.csv"
    found = pairs(path)
    reports = [(analyse(c), analyse(s)) for c, s in found]
    n = len(found)
    higher = sum((s.score or 0) > (c.score or 0) for c, s in reports)
    lower = sum((s.score or 0) < (c.score or 0) for c, s in reports)
    easier = sum(s.difficulty < c.difficulty for c, s in reports)
    harder = sum(s.difficulty > c.difficulty for c, s in reports)
    print(f"paren met verschil: {n}")
    print(f"score: eenvoudig hoger {higher} ({higher / n:.1%}), lager {lower}, gelijk {n - higher - lower}")
    print(f"oordeel: eenvoudig makkelijker {easier} ({easier / n:.1%}), moeilijker {harder}")
    complex_hits = sum(len(officialese.find(c)) for c, _ in found)
    simple_hits = sum(len(officialese.find(s)) for _, s in found)
    print(f"ambtelijke woorden: {complex_hits} oorspronkelijk, {simple_hits} herschreven")


if __name__ == "__main__":
    main(sys.argv[1:])

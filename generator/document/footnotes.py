"""Footnotes: the checks on ``[^label]`` notation and the numbering per document.

Why numbering here and not in the parser: every text field is parsed on its own, but a reader counts notes
through the whole document (1, 2, 3 … from the first section to the last, in the order of the layout).
The builder renumbers once, after the sections are in their final order, so Word, the PDF and the txt
show the same numbers.
"""

from __future__ import annotations

import dataclasses
import re
from collections.abc import Sequence
from typing import Any

from generator.document import visit
from generator.document.nodes import Block, Footnote, Inline, Section


def undefined_message(label: str) -> str:
    return (
        f"voetnoot [^{label}] heeft geen tekst; schrijf in dezelfde tekst, na een lege regel, "
        f"'[^{label}]: de tekst van de voetnoot'"
    )


def unused_message(label: str) -> str:
    return f"voetnoottekst [^{label}] wordt nergens gebruikt; zet [^{label}] in de zin waar de voetnoot hoort"


def repeated_message(label: str) -> str:
    return f"voetnoot [^{label}] staat hier voor de tweede keer; geef elke plaats een eigen voetnoot"


def unused_labels(env: dict[str, Any]) -> list[str]:
    """Labels of definitions that no reference uses (markdown-it marks them with id -1)."""
    refs: dict[str, int] = env.get("footnotes", {}).get("refs", {})
    return [key.removeprefix(":") for key, note in refs.items() if note == -1]


def definition_line(lines: Sequence[str], label: str) -> int:
    """The 1-based line of ``[^label]:`` in the text (1 when it cannot be found)."""
    pattern = re.compile(r"\s{0,3}\[\^" + re.escape(label) + r"\]:", re.IGNORECASE)
    return next((n for n, line in enumerate(lines, start=1) if pattern.match(line)), 1)


# --- numbering per document -----------------------------------------------------------------------------


def number_sections(sections: Sequence[Section]) -> tuple[Section, ...]:
    """The sections with their footnotes numbered 1, 2, 3 … in reading order."""
    counter = iter(range(1, 1_000_000))

    def number(inlines: tuple[Inline, ...]) -> tuple[Inline, ...]:
        if not any(isinstance(i, Footnote) for i in inlines):
            return inlines
        return tuple(Footnote(next(counter), i.inlines) if isinstance(i, Footnote) else i for i in inlines)

    # ``map_inlines`` keeps everything else of a block, the node's source included.
    return tuple(dataclasses.replace(s, blocks=tuple(visit.map_inlines(b, number) for b in s.blocks)) for s in sections)


def collect(blocks: Sequence[Block]) -> list[Footnote]:
    """Every footnote in ``blocks``, in reading order (for writers that list notes, and for the diff)."""
    return [i for i in visit.inlines_in(blocks) if isinstance(i, Footnote)]

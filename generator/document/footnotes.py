"""Footnotes: the checks on ``[^label]`` notation and the numbering per document.

Why numbering here and not in the parser: every text field is parsed on its own, but a reader counts notes
through the whole document (1, 2, 3 … from the first section to the last, in the order of the layout).
The builder renumbers once, after the sections are in their final order, so Word, the PDF and the txt
show the same numbers.
"""

from __future__ import annotations

import dataclasses
import re
from collections.abc import Iterator, Sequence
from typing import Any

from generator.document.nodes import (
    Argument,
    Block,
    BulletList,
    Footnote,
    Inline,
    NumberedList,
    Paragraph,
    Section,
    SubHeading,
    Table,
)


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
    return tuple(dataclasses.replace(s, blocks=tuple(_block(b, counter) for b in s.blocks)) for s in sections)


def _inlines(inlines: tuple[Inline, ...], counter: Iterator[int]) -> tuple[Inline, ...]:
    if not any(isinstance(i, Footnote) for i in inlines):
        return inlines
    return tuple(Footnote(next(counter), i.inlines) if isinstance(i, Footnote) else i for i in inlines)


def _items(items: tuple[tuple[Block, ...], ...], counter: Iterator[int]) -> tuple[tuple[Block, ...], ...]:
    return tuple(tuple(_block(b, counter) for b in item) for item in items)


def _block(block: Block, counter: Iterator[int]) -> Block:
    """``block`` with its notes numbered; ``replace`` keeps everything else, the node's source included."""
    replace = dataclasses.replace
    if isinstance(block, Paragraph | SubHeading):
        return replace(block, inlines=_inlines(block.inlines, counter))
    if isinstance(block, BulletList | NumberedList):
        return replace(block, items=_items(block.items, counter))
    if isinstance(block, Argument):
        heading = _inlines(block.heading, counter)
        return replace(block, heading=heading, body=tuple(_block(b, counter) for b in block.body))
    if isinstance(block, Table):
        header = tuple(_inlines(c, counter) for c in block.header)
        rows = tuple(tuple(_inlines(c, counter) for c in row) for row in block.rows)
        return replace(block, header=header, rows=rows)
    return block


def collect(blocks: Sequence[Block]) -> list[Footnote]:
    """Every footnote in ``blocks``, in reading order (for writers that list notes, and for the diff)."""
    found: list[Footnote] = []

    def inlines(items: tuple[Inline, ...]) -> None:
        found.extend(i for i in items if isinstance(i, Footnote))

    def walk(block: Block) -> None:
        if isinstance(block, Paragraph | SubHeading):
            inlines(block.inlines)
        elif isinstance(block, BulletList | NumberedList):
            for item in block.items:
                for child in item:
                    walk(child)
        elif isinstance(block, Argument):
            inlines(block.heading)
            for child in block.body:
                walk(child)
        elif isinstance(block, Table):
            for row in (block.header, *block.rows):
                for cell in row:
                    inlines(cell)

    for block in blocks:
        walk(block)
    return found

"""The plain-text view of the IR: the words a reader sees, in reading order, lists marked as printed.

One view for everything that flattens a document to text: the ``txt`` writer (``raadsvoorstel dump``, golden
tests) and the section-aware diff (which compares these words), so the two can never disagree about what a
list label or a table row says.
"""

from __future__ import annotations

import itertools
from collections.abc import Iterator

from generator.document import footnotes
from generator.document.nodes import (
    CHECKED_MARK,
    UNCHECKED_MARK,
    Argument,
    Block,
    BulletList,
    Checklist,
    Footnote,
    Inline,
    LineBreak,
    Link,
    NotApplicable,
    NumberedList,
    Paragraph,
    SubHeading,
    Table,
    Text,
)
from generator.document.visit import BlockVisitor, InlineVisitor

__all__ = ["NBSP", "block_lines", "footnote_lines", "inline_text", "number_label", "table_lines"]

NBSP = "\u00a0"
_JUSTIFY = {"left": str.ljust, "right": str.rjust, "center": str.center}


def inline_text(inlines: tuple[Inline, ...]) -> str:
    """The words of ``inlines`` as a reader sees them, spaces plain (the diff compares these)."""
    return "".join(_WORDS.visit_all(inlines)).replace(NBSP, " ")


class _Words(InlineVisitor[str]):
    """An inline as the txt shows it: a link with its address after it, a footnote as its mark "[1]"."""

    def text(self, inline: Text) -> str:
        return inline.text

    def link(self, inline: Link) -> str:
        address = inline.href.removeprefix("mailto:")
        return inline.text if inline.text == inline.href else f"{inline.text} ({address})"

    def line_break(self, inline: LineBreak) -> str:
        return "\n"

    def footnote(self, inline: Footnote) -> str:
        return f"[{inline.number}]"


_WORDS = _Words()


def footnote_lines(blocks: tuple[Block, ...]) -> list[str]:
    """The notes of a section, below it: "[1] text of the note" (a line break in a note becomes a space)."""
    return [f"[{n.number}] " + inline_text(n.inlines).replace("\n", " ") for n in footnotes.collect(blocks)]


def _roman(n: int) -> str:
    out = ""
    for value, letters in ((1000, "m"), (900, "cm"), (500, "d"), (400, "cd"), (100, "c"), (90, "xc"), (50, "l"),
                           (40, "xl"), (10, "x"), (9, "ix"), (5, "v"), (4, "iv"), (1, "i")):  # fmt: skip
        while n >= value:
            out, n = out + letters, n - value
    return out


def _letter(n: int) -> str:
    out = ""
    while n > 0:
        n, rest = divmod(n - 1, 26)
        out = chr(ord("a") + rest) + out
    return out


def number_label(n: int, depth: int) -> str:
    """The label of item ``n`` of a numbered list ``depth`` lists deep: 1., a., i., then 1. again (as DOCX)."""
    kind = depth % 3
    return f"{n}." if kind == 0 else f"{_letter(n)}." if kind == 1 else f"{_roman(n)}."


def block_lines(block: Block, indent: str = "", depth: int = 0) -> list[str]:
    """``block`` as lines of text, each starting with ``indent``; ``depth`` counts the numbered lists around it
    (their labels go 1., a., i.)."""
    return _Lines(indent, depth).visit(block)


class _Lines(BlockVisitor[list[str]]):
    def __init__(self, indent: str, depth: int) -> None:
        self.indent = indent
        self.depth = depth

    def _text(self, inlines: tuple[Inline, ...]) -> list[str]:
        return [self.indent + line for line in inline_text(inlines).split("\n")]

    def _list(self, items: tuple[tuple[Block, ...], ...], markers: Iterator[str]) -> list[str]:
        lines: list[str] = []
        for item, marker in zip(items, markers, strict=False):
            inner = _Lines(self.indent + " " * len(marker), self.depth + 1)
            item_lines = [line for b in item for line in inner.visit(b)]
            if item_lines:
                item_lines[0] = self.indent + marker + item_lines[0][len(self.indent) + len(marker) :]
            lines.extend(item_lines)
        return lines

    def paragraph(self, block: Paragraph) -> list[str]:
        return self._text(block.inlines)

    def subheading(self, block: SubHeading) -> list[str]:
        return self._text(block.inlines)

    def bullet_list(self, block: BulletList) -> list[str]:
        return self._list(block.items, itertools.repeat("• "))

    def numbered_list(self, block: NumberedList) -> list[str]:
        return self._list(block.items, (f"{number_label(n, self.depth)} " for n in itertools.count(block.start)))

    def argument(self, block: Argument) -> list[str]:
        heading = f"{self.indent}{block.label} {inline_text(block.heading)}"
        return [heading, *itertools.chain(*self.visit_all(block.body))]

    def checklist(self, block: Checklist) -> list[str]:
        return [f"{self.indent}{CHECKED_MARK if i.checked else UNCHECKED_MARK} {i.label} {i.text}" for i in block.items]

    def not_applicable(self, block: NotApplicable) -> list[str]:
        return [self.indent + block.text]

    def table(self, block: Table) -> list[str]:
        return [self.indent + line for line in table_lines(block)]


def table_lines(table: Table) -> list[str]:
    """The table as aligned columns: header, a rule of dashes, the rows; amounts right-aligned."""
    grid = [[inline_text(c).replace("\n", " ") for c in row] for row in (table.header, *table.rows)]
    widths = [max(len(row[c]) if c < len(row) else 0 for row in grid) for c in range(len(table.align))]

    def line(cells: list[str]) -> str:
        out = []
        for c, width in enumerate(widths):
            text = cells[c] if c < len(cells) else ""
            out.append(_JUSTIFY[table.align[c]](text, width))
        return "  ".join(out).rstrip()

    rule = "  ".join("-" * w for w in widths)
    return [line(grid[0]), rule, *(line(row) for row in grid[1:])]

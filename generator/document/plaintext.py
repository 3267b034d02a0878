"""The plain-text view of the IR: the words a reader sees, in reading order, lists marked as printed.

One view for everything that flattens a document to text: the ``txt`` writer (``raadsvoorstel dump``, golden
tests) and the section-aware diff (which compares these words), so the two can never disagree about what a
list label or a table row says.
"""

from __future__ import annotations

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

__all__ = ["NBSP", "block_lines", "footnote_lines", "inline_text", "number_label", "table_lines"]

NBSP = "\u00a0"
_JUSTIFY = {"left": str.ljust, "right": str.rjust, "center": str.center}


def inline_text(inlines: tuple[Inline, ...]) -> str:
    """The words of ``inlines`` as a reader sees them, spaces plain (the diff compares these)."""
    return _inline_text(inlines).replace(NBSP, " ")


def _inline_text(inlines: tuple[Inline, ...]) -> str:
    out: list[str] = []
    for item in inlines:
        if isinstance(item, Text):
            out.append(item.text)
        elif isinstance(item, Link):
            out.append(item.text if item.text == item.href else f"{item.text} ({item.href.removeprefix('mailto:')})")
        elif isinstance(item, LineBreak):
            out.append("\n")
        elif isinstance(item, Footnote):
            out.append(f"[{item.number}]")
    return "".join(out)


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
    if isinstance(block, Paragraph | SubHeading):
        return [indent + line for line in inline_text(block.inlines).split("\n")]
    if isinstance(block, NotApplicable):
        return [indent + block.text]
    if isinstance(block, NumberedList | BulletList):
        lines: list[str] = []
        for n, item in enumerate(block.items, start=block.start if isinstance(block, NumberedList) else 1):
            marker = f"{number_label(n, depth)} " if isinstance(block, NumberedList) else "• "
            item_lines = [line for b in item for line in block_lines(b, indent + " " * len(marker), depth + 1)]
            if item_lines:
                item_lines[0] = indent + marker + item_lines[0][len(indent) + len(marker) :]
            lines.extend(item_lines)
        return lines
    if isinstance(block, Argument):
        lines = [f"{indent}{block.label} {inline_text(block.heading)}"]
        for b in block.body:
            lines.extend(block_lines(b, indent, depth))
        return lines
    if isinstance(block, Checklist):
        return [f"{indent}{CHECKED_MARK if i.checked else UNCHECKED_MARK} {i.label} {i.text}" for i in block.items]
    if isinstance(block, Table):
        return [indent + line for line in table_lines(block)]
    raise AssertionError(block)


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

"""IR blocks → clerks' Markdown: the parser (:mod:`.markdown`) read backwards.

Why here and one of it: the Word import writes text a clerk edited in Word back into the YAML as Markdown, and
that Markdown must parse into exactly the blocks Word showed (``parse(serialize(x)) == x``, tested on every
example text). Only what the parser produces is written: paragraphs, ``###`` sub-headings, bullet and numbered
lists (with their start number), pipe tables with their alignment, footnotes (``[^n]`` with the definitions
after the text), bold, italic, hard breaks and links. Characters that would mean Markdown are escaped.
"""

from __future__ import annotations

import re
from collections.abc import Sequence

from generator.document.nodes import (
    Block,
    BulletList,
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

__all__ = ["serialize", "serialize_inlines", "serialize_parts"]

_ESCAPE_RE = re.compile(r"([\\`*_\[\]<])")
_LINE_START_RE = re.compile(r"^(\s*)([#>+\-=]|\d{1,9}[.)](?=\s|$))")
_ALIGN_RULE = {"left": ":---", "right": "---:", "center": ":---:"}


class _Notes:
    """The footnotes of one text: numbered 1, 2 … in the order their marks appear, defined after the text."""

    def __init__(self, first: int = 1) -> None:
        self.next = first
        self.definitions: list[str] = []

    def add(self, note: Footnote) -> str:
        label = str(self.next)
        self.next += 1
        text = _inlines(note.inlines, None, table=False)
        self.definitions.append(f"[^{label}]: {text}")
        return f"[^{label}]"


def serialize(blocks: Sequence[Block], first_note: int = 1) -> str:
    """``blocks`` as Markdown text (no trailing newline); footnotes are labelled from ``first_note`` on."""
    body, definitions = serialize_parts(blocks, first_note)
    return body + ("\n\n" + "\n".join(definitions) if definitions else "")


def serialize_parts(blocks: Sequence[Block], first_note: int = 1) -> tuple[str, list[str]]:
    """The text of ``blocks`` and, apart, the definitions of its footnotes (``[^n]: …``), one per note."""
    notes = _Notes(first_note)
    body = "\n\n".join(_block(b, notes) for b in blocks)
    return body, notes.definitions


def serialize_inlines(inlines: Sequence[Inline]) -> str:
    """One line of text (a heading, a title-block field) as Markdown; footnotes are left out."""
    return _inlines(tuple(i for i in inlines if not isinstance(i, Footnote)), None, table=False)


def _block(block: Block, notes: _Notes) -> str:
    if isinstance(block, Paragraph):
        return _guard_start(_inlines(block.inlines, notes, table=False))
    if isinstance(block, SubHeading):
        return "### " + _inlines(block.inlines, notes, table=False)
    if isinstance(block, BulletList):
        return _list([("-", item) for item in block.items], notes)
    if isinstance(block, NumberedList):
        return _list([(f"{block.start + n}.", item) for n, item in enumerate(block.items)], notes)
    if isinstance(block, Table):
        return _table(block, notes)
    if isinstance(block, NotApplicable):
        return block.text  # "Nvt": the data's "nvt" reads the same
    raise ValueError(f"geen tekst: {type(block).__name__}")  # arguments and checklists are fields, not text


def _list(items: list[tuple[str, tuple[Block, ...]]], notes: _Notes) -> str:
    loose = any(len(blocks) > 1 for _, blocks in items)
    out: list[str] = []
    for marker, blocks in items:
        pad = " " * (len(marker) + 1)
        text = "\n\n".join(_block(b, notes) for b in blocks) if blocks else ""
        lines = text.split("\n")
        first = f"{marker} {lines[0]}" if lines[0] else marker
        rest = [pad + line if line else "" for line in lines[1:]]
        out.append("\n".join([first, *rest]))
    return ("\n\n" if loose else "\n").join(out)


def _table(table: Table, notes: _Notes) -> str:
    def row(cells: Sequence[tuple[Inline, ...]]) -> str:
        return "| " + " | ".join(_inlines(cell, notes, table=True) or " " for cell in cells) + " |"

    rule = "| " + " | ".join(_ALIGN_RULE.get(a, "---") for a in table.align) + " |"
    return "\n".join([row(table.header), rule, *(row(r) for r in table.rows)])


def _guard_start(text: str) -> str:
    """A paragraph that would start like a heading, quote, list or rule gets its first mark escaped."""
    match = _LINE_START_RE.match(text)
    if match is None:
        return text
    lead, mark = match.groups()
    if mark[-1] in ".)":
        return f"{lead}{mark[:-1]}\\{mark[-1]}{text[match.end():]}"
    return f"{lead}\\{text[len(lead):]}"


def _escape(text: str, table: bool) -> str:
    text = _ESCAPE_RE.sub(r"\\\1", text)
    return text.replace("|", "\\|") if table else text


def _inlines(inlines: Sequence[Inline], notes: _Notes | None, *, table: bool) -> str:
    parts: list[str] = []
    runs = _normalize(inlines)
    for index, item in enumerate(runs):
        if isinstance(item, Text):
            parts.append(_emphasis(item, runs, index, parts, table))
        elif isinstance(item, Link):
            parts.append(_link(item, table))
        elif isinstance(item, LineBreak):
            parts.append("\\\n")
        elif isinstance(item, Footnote) and notes is not None:
            parts.append(notes.add(item))
    return "".join(parts)


def _normalize(inlines: Sequence[Inline]) -> list[Inline]:
    """Adjacent texts with the same formatting joined (a highlight is no formatting in Markdown)."""
    out: list[Inline] = []
    for item in inlines:
        if isinstance(item, Text):
            item = Text(item.text, item.bold, item.italic)
            prev = out[-1] if out else None
            if isinstance(prev, Text) and (prev.bold, prev.italic) == (item.bold, item.italic):
                out[-1] = Text(prev.text + item.text, prev.bold, prev.italic)
                continue
            if not item.text:
                continue
        out.append(item)
    return out


def _emphasis(item: Text, runs: list[Inline], index: int, parts: list[str], table: bool) -> str:
    """A run with its ``**``/``*`` marks; spaces at its edges stay outside the marks (CommonMark's flanking
    rule), and italic next to another mark is written ``_`` so the marks cannot run together."""
    text = _escape(item.text, table)
    if not (item.bold or item.italic) or not text.strip():
        return text
    core = text.strip(" ")
    lead = text[: len(text) - len(text.lstrip(" "))]
    trail = text[len(text.rstrip(" ")) :]
    before = (parts[-1][-1:] if parts else "") if not lead else " "
    after_item = runs[index + 1] if index + 1 < len(runs) else None
    touches = before == "*" or (
        not trail and isinstance(after_item, Text) and (after_item.bold or after_item.italic)
    )
    if item.bold and item.italic:
        marked = f"***{core}***" if not touches else f"**_{core}_**"
    elif item.bold:
        marked = f"**{core}**"
    else:
        marked = f"_{core}_" if touches else f"*{core}*"
    return f"{lead}{marked}{trail}"


def _link(link: Link, table: bool) -> str:
    text = _escape(link.text, table)
    if link.href == link.text and link.href.lower().startswith("https:"):
        return link.href  # a bare address: the parser links it again
    if link.href.lower() == f"mailto:{link.text}".lower() and "@" in link.text:
        return link.text
    href = link.href.replace(" ", "%20").replace("(", "%28").replace(")", "%29")
    return f"[{text}]({href})"

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

__all__ = ["serialize", "serialize_inlines", "serialize_parts"]

_ESCAPE_RE = re.compile(r"([\\`*_\[\]<])")
_LINE_START_RE = re.compile(r"^(\s*)([#>+\-=]|\d{1,9}[.)](?=\s|$))")
_ALIGN_RULE = {"left": ":---", "right": "---:", "center": ":---:"}


class _Notes:
    """The footnotes of one text: numbered 1, 2 … in the order their marks appear, defined after the text."""

    def __init__(self, first: int) -> None:
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
    writer = _Markdown(_Notes(first_note))
    return "\n\n".join(writer.visit_all(blocks)), writer.notes.definitions


def serialize_inlines(inlines: Sequence[Inline]) -> str:
    """One line of text (a heading, a title-block field) as Markdown; footnotes are left out."""
    return _inlines(tuple(i for i in inlines if not isinstance(i, Footnote)), None, table=False)


class _Markdown(BlockVisitor[str]):
    """A block as Markdown; its footnotes go to ``notes``. Arguments and checklists are fields of the data,
    never text, so they have no Markdown."""

    def __init__(self, notes: _Notes) -> None:
        self.notes = notes

    def paragraph(self, block: Paragraph) -> str:
        return _guard_start(_inlines(block.inlines, self.notes, table=False))

    def subheading(self, block: SubHeading) -> str:
        return "### " + _inlines(block.inlines, self.notes, table=False)

    def bullet_list(self, block: BulletList) -> str:
        return self._list([("-", item) for item in block.items])

    def numbered_list(self, block: NumberedList) -> str:
        return self._list([(f"{block.start + n}.", item) for n, item in enumerate(block.items)])

    def table(self, block: Table) -> str:
        def row(cells: Sequence[tuple[Inline, ...]]) -> str:
            return "| " + " | ".join(_inlines(cell, self.notes, table=True) or " " for cell in cells) + " |"

        rule = "| " + " | ".join(_ALIGN_RULE.get(a, "---") for a in block.align) + " |"
        return "\n".join([row(block.header), rule, *(row(r) for r in block.rows)])

    def not_applicable(self, block: NotApplicable) -> str:
        return block.text  # "Nvt": the data's "nvt" reads the same

    def argument(self, block: Argument) -> str:
        raise ValueError("geen tekst: Argument")

    def checklist(self, block: Checklist) -> str:
        raise ValueError("geen tekst: Checklist")

    def _list(self, items: list[tuple[str, tuple[Block, ...]]]) -> str:
        loose = any(len(blocks) > 1 for _, blocks in items)
        out: list[str] = []
        for marker, blocks in items:
            pad = " " * (len(marker) + 1)
            lines = "\n\n".join(self.visit_all(blocks)).split("\n")
            first = f"{marker} {lines[0]}" if lines[0] else marker
            rest = [pad + line if line else "" for line in lines[1:]]
            out.append("\n".join([first, *rest]))
        return ("\n\n" if loose else "\n").join(out)


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
    writer = _Runs(_normalize(inlines), notes, table)
    for item in writer.runs:
        if part := writer.visit(item):  # a footnote left out leaves no empty part behind (see ``_emphasis``)
            writer.parts.append(part)
        writer.index += 1
    return "".join(writer.parts)


class _Runs(InlineVisitor[str]):
    """The inlines of one line of Markdown, written in order: a run's emphasis marks depend on its neighbours
    (``runs`` around ``index``, ``parts`` written so far). Footnotes are written only where ``notes`` collects
    their definitions."""

    def __init__(self, runs: list[Inline], notes: _Notes | None, table: bool) -> None:
        self.runs = runs
        self.notes = notes
        self.table = table
        self.index = 0
        self.parts: list[str] = []

    def text(self, inline: Text) -> str:
        return _emphasis(inline, self.runs, self.index, self.parts, self.table)

    def link(self, inline: Link) -> str:
        return _link(inline, self.table)

    def line_break(self, inline: LineBreak) -> str:
        return "\\\n"

    def footnote(self, inline: Footnote) -> str:
        return self.notes.add(inline) if self.notes is not None else ""


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

"""IR blocks → clerks' Markdown: the parser (:mod:`.markdown`) read backwards.

Why here and one of it: the Word import writes text a clerk edited in Word back into the YAML as Markdown, and
that Markdown must parse into exactly the blocks Word showed (``parse(serialize(x)) == x``, tested on every
example text). Only what the parser produces is written: paragraphs, ``###`` sub-headings, bullet and numbered
lists (with their start number), pipe tables with their alignment, footnotes (``[^n]`` with the definitions
after the text), bold, italic, hard breaks and links. Characters that would mean Markdown are escaped.
"""

from __future__ import annotations

import itertools
import re
from collections.abc import Sequence

from generator.document.markdown import parse_blocks
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

__all__ = ["Unwritable", "serialize", "serialize_inlines", "serialize_parts"]

_ESCAPE_RE = re.compile(r"([\\`*_\[\]<])")
_LINE_START_RE = re.compile(r"^(\s*)([#>+\-=]|\d{1,9}[.)](?=\s|$))")
_ALIGN_RULE = {"left": ":---", "right": "---:", "center": ":---:"}


class Unwritable(ValueError):
    """Formatting CommonMark cannot say: the message (Dutch) names the words and what to change in Word. The
    import refuses the field rather than write Markdown that would read back as other text."""


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
    """One line of Markdown. Adjacent emphasised runs are written together (:func:`_stretch`): marks written
    run by run would touch ("**a****_b_**") and CommonMark would read them as text."""
    runs = _normalize(inlines)
    writer = _Runs(notes, table)
    parts: list[str] = []
    index = 0
    while index < len(runs):
        end = index
        while end < len(runs) and _emphasised(runs[end]):
            end += 1
        if end > index:
            after = runs[end] if end < len(runs) else None
            parts.append(_stretch([r for r in runs[index:end] if isinstance(r, Text)], parts, after, table))
            index = end
            continue
        if part := writer.visit(runs[index]):  # a footnote left out leaves no empty part behind
            parts.append(part)
        index += 1
    return "".join(parts)


class _Runs(InlineVisitor[str]):
    """An inline outside emphasis as Markdown. Footnotes are written only where ``notes`` collects their
    definitions."""

    def __init__(self, notes: _Notes | None, table: bool) -> None:
        self.notes = notes
        self.table = table

    def text(self, inline: Text) -> str:
        return _escape(inline.text, self.table)

    def link(self, inline: Link) -> str:
        return _link(inline, self.table)

    def line_break(self, inline: LineBreak) -> str:
        return "\\\n"

    def footnote(self, inline: Footnote) -> str:
        return self.notes.add(inline) if self.notes is not None else ""


def _emphasised(item: Inline) -> bool:
    return isinstance(item, Text) and (item.bold or item.italic)


def _normalize(inlines: Sequence[Inline]) -> list[Inline]:
    """Adjacent texts with the same formatting joined (a highlight is no formatting in Markdown, and neither is
    bold or italic on nothing but spaces)."""
    out: list[Inline] = []
    for item in inlines:
        if isinstance(item, Text):
            shown = bool(item.text.strip())
            item = Text(item.text, item.bold and shown, item.italic and shown)
            prev = out[-1] if out else None
            if isinstance(prev, Text) and (prev.bold, prev.italic) == (item.bold, item.italic):
                out[-1] = Text(prev.text + item.text, prev.bold, prev.italic)
                continue
            if not item.text:
                continue
        out.append(item)
    return out


def _stretch(runs: list[Text], parts: list[str], after: Inline | None, table: bool) -> str:
    """Adjacent emphasised runs (each formatted otherwise than the one before it) as Markdown.

    Runs that share bold, or share italic, become one span of that mark with the other mark nested inside
    ("**a *b***" for bold "a " and bold italic "b"), so fewer spans touch. Spans that do touch alternate between
    stars and underscores (``**x**_y_``): CommonMark reads touching marks of one character as one run. A span
    whose words start or end with a nested mark takes underscores itself (``__*a* b__``). Underscores never
    stand beside a letter or digit outside the span (they do not mark emphasis inside a word). Spaces at a
    span's edges stay outside its marks (CommonMark's flanking rule)."""
    spans: list[tuple[bool, str]] = []
    start = 0
    while start < len(runs):
        end = max(_shared(runs, start, "bold"), _shared(runs, start, "italic"))
        bold = all(r.bold for r in runs[start:end])
        spans.append((bold, "".join(_marked(r, "italic" if bold else "bold", table) for r in runs[start:end])))
        start = end
    before = parts[-1][-1:] if parts else ""
    prefix = "x" if before.isalnum() else " " if before.isspace() else ""
    suffix = "x" if _first_char(after, table).isalnum() else ""
    wanted = _shape([Text(prefix), *runs, Text(suffix)])
    for chars in _mark_choices(spans, prefix, suffix):
        marks = [char * (2 if bold else 1) for (bold, _), char in zip(spans, chars, strict=True)]
        written = "".join(_span(inner, mark) for (_, inner), mark in zip(spans, marks, strict=True))
        blocks, problems = parse_blocks(prefix + written + suffix)  # read back as the reader would
        read = blocks[0] if len(blocks) == 1 and not problems else None
        if isinstance(read, Paragraph) and _shape(read.inlines) == wanted:
            return written
    words = "".join(r.text for r in runs).strip()
    raise Unwritable(
        f"de opmaak van '{words}' kan Markdown niet weergeven (vet en cursief die elkaar midden in een woord "
        "afwisselen); maak in Word het hele woord vet of cursief, of zet er een spatie tussen, en importeer opnieuw"
    )


def _mark_choices(spans: list[tuple[bool, str]], prefix: str, suffix: str) -> list[list[str]]:
    """The mark characters (star or underscore) to try for spans side by side, most readable first: touching
    spans in different characters (``**x**_y_``), a span with a nested mark at one edge but not around all its
    words in underscores (``_a **b**_``), otherwise stars, and underscores on italic before bold. Underscores
    never stand against a letter (they do not mark emphasis inside a word)."""
    count = len(spans)
    blocked = ({0} if prefix == "x" and not spans[0][1].startswith(" ") else set()) | (
        {count - 1} if suffix == "x" and not spans[-1][1].endswith(" ") else set()
    )
    touching = [n for n in range(count - 1) if not spans[n][1].endswith(" ") and not spans[n + 1][1].startswith(" ")]
    partial = {n for n, (_, inner) in enumerate(spans) if _partly_nested(inner.strip(" "))}

    def score(chars: tuple[str, ...]) -> tuple[int, int, int, int]:
        return (
            sum(chars[n] == chars[n + 1] for n in touching),
            sum(chars[n] == "*" for n in partial),
            sum(char == "_" and bold for char, (bold, _) in zip(chars, spans, strict=True)),
            chars.count("_"),
        )

    if count > 6:  # a long run of alternating formatting: stars, or strictly alternating characters
        found = [tuple("*_"[(n + parity) % 2] for n in range(count)) for parity in (0, 1)]
        options = [("*",) * count, *found]
    else:
        options = list(itertools.product("*_", repeat=count))
    allowed = [o for o in options if not any(o[n] == "_" for n in blocked)]
    return [list(o) for o in sorted(allowed, key=score)]


def _partly_nested(words: str) -> bool:
    """Whether a span's words start or end with a nested mark glued to the words before or after it
    (``a**b**``: stars on stars in the middle of a word read badly; ``a *b*`` reads well)."""
    for side in (words, words[::-1]):  # the end, then the start (the marks read the same both ways)
        stars = len(side) - len(side.rstrip("*"))
        if not stars:
            continue
        opening = side[:-stars].rfind("*" * stars)
        if opening > 0 and side[opening - 1] != " ":
            return True
    return False


def _shape(inlines: Sequence[Inline]) -> tuple[str, list[tuple[str, bool, bool]]]:
    """What a reader sees of emphasised text: the words (edges trimmed, as a paragraph is), and bold and italic
    per letter (a space shows neither)."""
    texts = [i for i in inlines if isinstance(i, Text)]
    marks = [(ch, t.bold, t.italic) for t in texts for ch in t.text if not ch.isspace()]
    return "".join(t.text for t in texts).strip(), marks


def _shared(runs: list[Text], start: int, mark: str) -> int:
    """The end of the runs from ``start`` on that all have ``mark`` (``start`` itself when it has not)."""
    end = start
    while end < len(runs) and getattr(runs[end], mark):
        end += 1
    return end


def _marked(run: Text, mark: str, table: bool) -> str:
    """A run inside a span, with the span's other ``mark`` around its words when it has it."""
    text = _escape(run.text, table)
    return _span(text, "**" if mark == "bold" else "*") if getattr(run, mark) else text


def _span(text: str, mark: str) -> str:
    core = text.strip(" ")
    lead = text[: len(text) - len(text.lstrip(" "))]
    return f"{lead}{mark}{core}{mark}{text[len(lead) + len(core) :]}"


def _first_char(item: Inline | None, table: bool) -> str:
    """The first character written for ``item`` (what an italic span's closing mark touches)."""
    if isinstance(item, Text):
        return _escape(item.text, table)[:1]
    if isinstance(item, Link):
        return _link(item, table)[:1]
    return "\\" if isinstance(item, LineBreak) else "[" if isinstance(item, Footnote) else ""


def _link(link: Link, table: bool) -> str:
    text = _escape(link.text, table)
    if link.href == link.text and link.href.lower().startswith("https:"):
        return link.href  # a bare address: the parser links it again
    if link.href.lower() == f"mailto:{link.text}".lower() and "@" in link.text:
        return link.text
    href = link.href.replace(" ", "%20").replace("(", "%28").replace(")", "%29")
    return f"[{text}]({href})"

"""Clerks' Markdown → IR blocks and inlines (markdown-it-py, CommonMark, raw HTML off).

Only what a council proposal needs survives: paragraphs, sub-headings, bullet and numbered lists, pipe tables,
footnotes, bold, italic, hard breaks and ``https:``/``mailto:`` links (a bare https address or e-mail address
becomes a link too; a bare ``www.``/``http:`` address stays text). Images, other link schemes and raw HTML never become
anything a writer could fetch: they are reported as problems (or, for HTML, kept as literal text).
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass, field
from functools import lru_cache
from typing import Any

from markdown_it import MarkdownIt
from markdown_it.token import Token
from mdit_py_plugins.footnote import footnote_plugin

from generator.document import footnotes, tables
from generator.document.nodes import (
    Block,
    BulletList,
    Footnote,
    Inline,
    LineBreak,
    Link,
    NumberedList,
    Paragraph,
    SubHeading,
    Text,
)
from generator.errors import LineProblem
from generator.sources.limits import MAX_MARKDOWN_LEVEL, MAX_PARAGRAPH

ALLOWED_SCHEMES = ("https:", "mailto:")
_UNDEFINED_NOTE_RE = re.compile(r"\[\^([^\]\s]+)\]")  # a [^label] markdown-it left as text: no definition
NoteInline = Text | Link | LineBreak


@lru_cache(maxsize=2)
def _parser(linkify: bool = False) -> MarkdownIt:
    """The parser; with ``linkify`` bare addresses become links. linkify-it's test of every text run costs more
    than the rest of the parse, so it runs only on texts that hold an address that could become a link."""
    md = MarkdownIt("commonmark", {"html": False, "linkify": linkify, "typographer": False}).enable("table")
    if linkify:
        md.enable("linkify")
    md.use(footnote_plugin)
    return md


def _may_link(source: str) -> bool:
    """Whether a bare address that would become a link (https: or an e-mail address) can be in ``source``."""
    return "@" in source or "https:" in source.lower()


def parse_blocks(source: str) -> tuple[tuple[Block, ...], list[LineProblem]]:
    """Markdown text → blocks, plus what was refused (including text nested or running on too far)."""
    blocks, problems, _ = parse_blocks_at(source)
    return blocks, problems


def parse_blocks_at(source: str) -> tuple[tuple[Block, ...], list[LineProblem], tuple[int, ...]]:
    """:func:`parse_blocks`, plus the 1-based line of the text where each top-level block starts (the
    builder turns it into the block's file line, :class:`~generator.document.nodes.Source`)."""
    ctx = _Context([], source.split("\n"))
    env: dict[str, Any] = {}
    tokens = _parser(_may_link(source)).parse(source, env)
    if _over_limits(tokens, ctx.problems):
        return (), ctx.problems, ()
    _footnote_texts(tokens, ctx)
    blocks, _ = _blocks(tokens, 0, None, ctx)
    for label in footnotes.unused_labels(env):
        ctx.problems.append(LineProblem(footnotes.definition_line(ctx.lines, label), footnotes.unused_message(label)))
    ctx.problems.sort(key=lambda p: p.line)
    return tuple(blocks), ctx.problems, tuple(ctx.starts)


def _over_limits(tokens: Sequence[Token], problems: list[LineProblem]) -> bool:
    """Nesting the parser would cut off (it drops what lies beyond its own limit, silently), or a paragraph
    longer than a real text has: each reported at its line, and the text is not rendered."""
    found = False
    for token in tokens:
        if token.level > MAX_MARKDOWN_LEVEL and token.type.endswith("_open"):
            problems.append(
                LineProblem(
                    _line(token),
                    f"lijsten of citaten te diep genest (meer dan {MAX_MARKDOWN_LEVEL // 2} niveaus); maak het platter",
                )
            )
            return True
        if token.type == "inline" and len(token.content) > MAX_PARAGRAPH:
            problems.append(
                LineProblem(
                    _line(token), f"alinea van {len(token.content)} tekens; hooguit {MAX_PARAGRAPH}: splits haar op"
                )
            )
            found = True
    return found


def _line(token: Token) -> int:
    return (token.map[0] + 1) if token.map else 1


@dataclass
class _Context:
    """What one parse shares: the problems found, the source by line (table rows and footnote definitions are
    checked against what the clerk typed) and the footnote texts by markdown-it's footnote id."""

    problems: list[LineProblem]
    lines: Sequence[str]
    notes: dict[int, tuple[NoteInline, ...]] = field(default_factory=dict)
    used: set[int] = field(default_factory=set)
    starts: list[int] = field(default_factory=list)  # the line of each top-level block, in order


def _blocks(tokens: Sequence[Token], i: int, close: str | None, ctx: _Context) -> tuple[list[Block], int]:
    """Parse block tokens from ``i`` until the closing token type ``close``; returns (blocks, next index)."""
    problems, lines = ctx.problems, ctx.lines
    out: list[Block] = []
    begins = 1  # the line of the token being read
    while i < len(tokens):
        tok = tokens[i]
        if close is not None and tok.type == close:
            return out, i + 1
        if close is None:  # the blocks the previous token made start at its line
            ctx.starts.extend([begins] * (len(out) - len(ctx.starts)))
            begins = _line(tok)
        if tok.type == "paragraph_open":
            if tok.map and (why := tables.broken_table(lines[tok.map[0] : tok.map[1]])):
                problems.append(LineProblem(_line(tok), why))
            out.append(Paragraph(_inlines(tokens[i + 1], ctx)))
            i += 3
        elif tok.type == "table_open":
            table, i = tables.parse_table(tokens, i, lines, lambda t: _inlines(t, ctx), problems)
            out.append(table)
        elif tok.type == "heading_open":
            out.append(SubHeading(_inlines(tokens[i + 1], ctx)))
            i += 3
        elif tok.type in ("bullet_list_open", "ordered_list_open"):
            closing = tok.type.replace("_open", "_close")
            items: list[tuple[Block, ...]] = []
            i += 1
            while tokens[i].type != closing:
                item, i = _blocks(tokens, i + 1, "list_item_close", ctx)
                items.append(tuple(item))
            i += 1
            if tok.type == "bullet_list_open":
                out.append(BulletList(tuple(items)))
            else:
                start = int(tok.attrGet("start") or 1)
                out.append(NumberedList(tuple(items), start=start))
        elif tok.type in ("fence", "code_block"):
            text = tok.content.rstrip("\n")
            runs: list[Inline] = []
            for n, part in enumerate(text.split("\n")):
                if n:
                    runs.append(LineBreak())
                runs.append(Text(part))
            out.append(Paragraph(tuple(runs)))
            i += 1
        elif tok.type == "blockquote_open":
            inner, i = _blocks(tokens, i + 1, "blockquote_close", ctx)
            out.extend(inner)
        elif tok.type == "hr":
            problems.append(
                LineProblem(_line(tok), "een horizontale lijn (---) wordt niet ondersteund; verwijder haar")
            )
            i += 1
        elif tok.type == "footnote_block_open":  # the definitions: read up front by _footnote_texts
            while tokens[i].type != "footnote_block_close":
                i += 1
            i += 1
        elif tok.type == "html_block":  # unreachable with html off; kept as literal text for safety
            out.append(Paragraph((Text(tok.content.strip()),)))
            i += 1
        else:
            i += 1
    if close is None:
        ctx.starts.extend([begins] * (len(out) - len(ctx.starts)))
    return out, i


def _inlines(inline: Token, ctx: _Context) -> tuple[Inline, ...]:
    problems = ctx.problems
    out: list[Inline] = []
    bold = italic = False
    link_href: str | None = None
    link_text: list[str] = []
    line = _line(inline)
    for child in inline.children or []:
        kind = child.type
        if kind == "text" or kind == "code_inline" or kind == "html_inline":
            if kind == "text" and (label := _UNDEFINED_NOTE_RE.search(child.content)):
                problems.append(LineProblem(line, footnotes.undefined_message(label.group(1))))
            if link_href is not None:
                link_text.append(child.content)
            else:
                out.append(Text(child.content, bold=bold, italic=italic))
        elif kind == "softbreak":
            line += 1  # children carry no line map: count breaks to name the exact line
            (link_text.append(" ") if link_href is not None else out.append(Text(" ", bold=bold, italic=italic)))
        elif kind == "hardbreak":
            line += 1
            out.append(LineBreak())
        elif kind == "strong_open":
            bold = True
        elif kind == "strong_close":
            bold = False
        elif kind == "em_open":
            italic = True
        elif kind == "em_close":
            italic = False
        elif kind == "link_open":
            href = str(child.attrGet("href") or "")
            if child.markup == "linkify" and not href.lower().startswith(ALLOWED_SCHEMES):
                link_href = ""  # a bare www.… or http:// address stays text; only https: and mailto: become links
            elif not href.lower().startswith(ALLOWED_SCHEMES):
                problems.append(
                    LineProblem(line, f"link '{href}' is niet toegestaan; alleen https:- en mailto:-links mogen")
                )
                link_href = ""
            else:
                link_href = href
            link_text = []
        elif kind == "link_close":
            text = "".join(link_text)
            if link_href:
                out.append(Link(text, link_href))
            else:
                out.append(Text(text, bold=bold, italic=italic))
            link_href = None
        elif kind == "footnote_ref":
            out.append(_footnote(child, line, ctx))
        elif kind == "image":
            problems.append(LineProblem(line, "afbeeldingen in de tekst zijn niet toegestaan; neem ze op als bijlage"))
    return tuple(_merge(out))


def _merge(inlines: list[Inline]) -> list[Inline]:
    """Join adjacent Text runs with the same formatting, so writers and diffs see whole phrases."""
    merged: list[Inline] = []
    for item in inlines:
        prev = merged[-1] if merged else None
        if (
            isinstance(item, Text)
            and isinstance(prev, Text)
            and (prev.bold, prev.italic, prev.highlight) == (item.bold, item.italic, item.highlight)
        ):
            merged[-1] = Text(prev.text + item.text, prev.bold, prev.italic, prev.highlight)
        else:
            merged.append(item)
    return merged


def _footnote_texts(tokens: Sequence[Token], ctx: _Context) -> None:
    """Read every footnote definition (markdown-it puts them in one block at the end) before the text."""
    note: int | None = None
    for tok in tokens:
        if tok.type == "footnote_open":
            note = int(tok.meta["id"])
            ctx.notes[note] = ()
        elif tok.type == "footnote_close":
            note = None
        elif tok.type == "inline" and note is not None:
            runs = [i for i in _inlines(tok, ctx) if not isinstance(i, Footnote)]  # no notes inside notes
            if ctx.notes[note]:
                runs.insert(0, LineBreak())
            ctx.notes[note] += tuple(runs)


def _footnote(child: Token, line: int, ctx: _Context) -> Footnote:
    """A reference ``[^label]``; numbered 1, 2 … in this text, renumbered per document by the builder."""
    note = int(child.meta["id"])
    if note in ctx.used:
        label = child.meta.get("label") or ""
        ctx.problems.append(LineProblem(line, footnotes.repeated_message(label)))
    ctx.used.add(note)
    return Footnote(len(ctx.used), ctx.notes.get(note, ()))

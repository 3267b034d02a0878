"""Clerks' Markdown → IR blocks and inlines (markdown-it-py, CommonMark, raw HTML off).

Only what a council proposal needs survives: paragraphs, sub-headings, bullet and numbered lists, bold,
italic, hard breaks and ``https:``/``mailto:`` links. Images, other link schemes and raw HTML never become
anything a writer could fetch: they are reported as problems (or, for HTML, kept as literal text).
"""

from __future__ import annotations

from collections.abc import Sequence
from functools import lru_cache

from markdown_it import MarkdownIt
from markdown_it.token import Token

from generator.document.nodes import (
    Block,
    BulletList,
    Inline,
    LineBreak,
    Link,
    NumberedList,
    Paragraph,
    SubHeading,
    Text,
)
from generator.errors import LineProblem
from generator.limits import MAX_MARKDOWN_LEVEL, MAX_PARAGRAPH

ALLOWED_SCHEMES = ("https:", "mailto:")


@lru_cache(maxsize=1)
def _parser() -> MarkdownIt:
    md = MarkdownIt("commonmark", {"html": False, "linkify": False, "typographer": False})
    return md


def parse_blocks(source: str) -> tuple[tuple[Block, ...], list[LineProblem]]:
    """Markdown text → blocks, plus what was refused (including text nested or running on too far)."""
    problems: list[LineProblem] = []
    tokens = _parser().parse(source)
    if _over_limits(tokens, problems):
        return (), problems
    blocks, _ = _blocks(tokens, 0, None, problems)
    return tuple(blocks), problems


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


def parse_inlines(source: str) -> tuple[tuple[Inline, ...], list[LineProblem]]:
    """A one-line Markdown text (a heading, a list item) → inlines."""
    blocks, problems = parse_blocks(source)
    inlines: list[Inline] = []
    for block in blocks:
        if isinstance(block, Paragraph | SubHeading):
            if inlines:
                inlines.append(Text(" "))
            inlines.extend(block.inlines)
    return tuple(inlines), problems


def _line(token: Token) -> int:
    return (token.map[0] + 1) if token.map else 1


def _blocks(tokens: Sequence[Token], i: int, close: str | None, problems: list[LineProblem]) -> tuple[list[Block], int]:
    """Parse block tokens from ``i`` until the closing token type ``close``; returns (blocks, next index)."""
    out: list[Block] = []
    while i < len(tokens):
        tok = tokens[i]
        if close is not None and tok.type == close:
            return out, i + 1
        if tok.type == "paragraph_open":
            out.append(Paragraph(_inlines(tokens[i + 1], problems)))
            i += 3
        elif tok.type == "heading_open":
            out.append(SubHeading(_inlines(tokens[i + 1], problems)))
            i += 3
        elif tok.type in ("bullet_list_open", "ordered_list_open"):
            closing = tok.type.replace("_open", "_close")
            items: list[tuple[Block, ...]] = []
            i += 1
            while tokens[i].type != closing:
                item, i = _blocks(tokens, i + 1, "list_item_close", problems)
                items.append(tuple(item))
            i += 1
            if tok.type == "bullet_list_open":
                out.append(BulletList(tuple(items)))
            else:
                start = int(tok.attrGet("start") or 1)
                out.append(NumberedList(tuple(items), start=start))
        elif tok.type in ("fence", "code_block"):
            text = tok.content.rstrip("\n")
            lines: list[Inline] = []
            for n, part in enumerate(text.split("\n")):
                if n:
                    lines.append(LineBreak())
                lines.append(Text(part))
            out.append(Paragraph(tuple(lines)))
            i += 1
        elif tok.type == "blockquote_open":
            inner, i = _blocks(tokens, i + 1, "blockquote_close", problems)
            out.extend(inner)
        elif tok.type == "hr":
            problems.append(
                LineProblem(_line(tok), "een horizontale lijn (---) wordt niet ondersteund; verwijder haar")
            )
            i += 1
        elif tok.type == "html_block":  # unreachable with html off; kept as literal text for safety
            out.append(Paragraph((Text(tok.content.strip()),)))
            i += 1
        else:
            i += 1
    return out, i


def _inlines(inline: Token, problems: list[LineProblem]) -> tuple[Inline, ...]:
    out: list[Inline] = []
    bold = italic = False
    link_href: str | None = None
    link_text: list[str] = []
    line = _line(inline)
    for child in inline.children or []:
        kind = child.type
        if kind == "text" or kind == "code_inline" or kind == "html_inline":
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
            if not href.lower().startswith(ALLOWED_SCHEMES):
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

"""Markdown text → the running text a reader reads, piece by piece, each piece knowing its lines.

The check reads what the reader sees: the paragraphs and list items of a Markdown text, without the marks
(``**``, link addresses, footnote references) and with line breaks as spaces. Headings, tables and code are
left out: they are not sentences. Each :class:`Piece` maps an offset in its text back to the 1-based line of
the Markdown source, so a finding names the line where its sentence starts.
"""

from __future__ import annotations

from bisect import bisect_right
from dataclasses import dataclass
from functools import lru_cache

from markdown_it import MarkdownIt
from markdown_it.token import Token
from mdit_py_plugins.footnote import footnote_plugin


@dataclass(frozen=True, slots=True)
class Piece:
    """One paragraph or list item as running text; ``breaks`` are the offsets where a next source line starts."""

    text: str
    first_line: int
    breaks: tuple[int, ...] = ()

    def line(self, offset: int) -> int:
        """The 1-based source line of the character at ``offset``."""
        return self.first_line + bisect_right(self.breaks, offset)


@lru_cache(maxsize=1)
def _parser() -> MarkdownIt:
    # the same dialect as the document builder (generator/document/markdown.py): CommonMark, tables, footnotes
    return MarkdownIt("commonmark", {"html": False}).enable("table").use(footnote_plugin)


def pieces(source: str) -> list[Piece]:
    """The paragraphs and list items of Markdown ``source`` as running text, in order."""
    tokens = _parser().parse(source)
    out: list[Piece] = []
    for index, token in enumerate(tokens):
        if token.type != "paragraph_open" or index + 1 >= len(tokens):
            continue
        piece = _running_text(tokens[index + 1], (token.map[0] + 1) if token.map else 1)
        if piece.text.strip():
            out.append(piece)
    return out


def _running_text(inline: Token, first_line: int) -> Piece:
    parts: list[str] = []
    breaks: list[int] = []
    length = 0
    for child in inline.children or []:
        if child.type in ("text", "code_inline"):
            parts.append(child.content)
            length += len(child.content)
        elif child.type in ("softbreak", "hardbreak"):
            parts.append(" ")
            length += 1
            breaks.append(length)
    return Piece("".join(parts), first_line, tuple(breaks))

"""Markdown pipe tables → the IR ``Table``, and the checks that keep a broken table from shipping.

Why checks of our own: markdown-it quietly pads a short row, drops the extra cells of a long one, and turns a
table whose separator line is wrong into one paragraph full of pipes. A clerk would only see that in the
PDF; here each of those is a problem at the line of the text where it happens.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Sequence

from markdown_it.token import Token

from generator.document.nodes import Cell, Inline, Link, Table, Text
from generator.errors import LineProblem

# An amount or number as clerks type it: "€ 54.400", "212.750,50", "-1.000", "12,5%", "€ 1.000,-".
_AMOUNT_RE = re.compile(r"(€\s*)?[-−+]?\d[\d.\s\u00a0]*(,(\d+|-{1,2}))?\s*%?")
_YEAR_RE = re.compile(r"(19|20)\d\d")  # a column of years is a label, not an amount
_SEPARATOR_RE = re.compile(r"\|?\s*:?-+:?\s*(\|\s*:?-+:?\s*)*\|?")
_ALIGN = {"text-align:left": "left", "text-align:right": "right", "text-align:center": "center"}

InlineParser = Callable[[Token], tuple[Inline, ...]]


def split_row(line: str) -> list[str]:
    """The cells of one source line of a pipe table, the way GitHub reads it (``\\|`` is a literal pipe)."""
    text = line.strip()
    if text.startswith("|"):
        text = text[1:]
    if text.endswith("|") and not text.endswith("\\|"):
        text = text[:-1]
    return [cell.strip() for cell in re.split(r"(?<!\\)\|", text)]


def parse_table(
    tokens: Sequence[Token], i: int, lines: Sequence[str], inlines: InlineParser, problems: list[LineProblem]
) -> tuple[Table, int]:
    """Read the tokens from ``table_open`` at ``i``; returns the table and the index after ``table_close``."""
    header: list[Cell] = []
    rows: list[tuple[Cell, ...]] = []
    declared: list[str | None] = []
    row: list[Cell] = []
    in_head = False
    i += 1
    while tokens[i].type != "table_close":
        tok = tokens[i]
        if tok.type == "thead_open":
            in_head = True
        elif tok.type == "thead_close":
            in_head = False
        elif tok.type == "tr_open":
            row = []
            _check_row(tok, lines, len(declared) or None, problems)
        elif tok.type in ("th_open", "td_open"):
            if in_head:
                declared.append(_ALIGN.get(str(tok.attrGet("style") or "")))
            row.append(inlines(tokens[i + 1]))
            i += 2  # the inline token and the closing th/td
        elif tok.type == "tr_close":
            if in_head:
                header = row
            else:
                rows.append(tuple(row))
        i += 1
    align = tuple(_column_alignment(declared[c], [r[c] for r in rows]) for c in range(len(header)))
    return Table(tuple(header), tuple(rows), align), i + 1


def _check_row(tok: Token, lines: Sequence[str], columns: int | None, problems: list[LineProblem]) -> None:
    """A body row with more or fewer cells than the header row is an error at that row's line."""
    if columns is None or not tok.map or tok.map[0] >= len(lines):
        return
    count = len(split_row(lines[tok.map[0]]))
    if count != columns:
        problems.append(
            LineProblem(
                tok.map[0] + 1,
                f"deze tabelrij heeft {count} {'cel' if count == 1 else 'cellen'}, de kopregel {columns}; "
                "geef elke rij evenveel cellen "
                "(een lege cel schrijf je als | |)",
            )
        )


def _column_alignment(declared: str | None, cells: list[Cell]) -> str:
    """What the clerk wrote wins; otherwise a column whose cells are all amounts is aligned right."""
    if declared is not None:
        return declared
    texts = [_plain(cell).strip() for cell in cells]
    filled = [t for t in texts if t]
    if filled and all(_AMOUNT_RE.fullmatch(t) for t in filled) and not all(_YEAR_RE.fullmatch(t) for t in filled):
        return "right"
    return "left"


def _plain(cell: Cell) -> str:
    return "".join(i.text for i in cell if isinstance(i, Text | Link))


def broken_table(paragraph_lines: Sequence[str]) -> str | None:
    """Why a paragraph made of ``| … |`` lines did not become a table, or None when it does not look like one."""
    lines = [line for line in paragraph_lines if line.strip()]
    if len(lines) < 2 or not all(line.lstrip().startswith("|") for line in lines):
        return None
    if not _SEPARATOR_RE.fullmatch(lines[1].strip()):
        return (
            "deze regels lijken een tabel, maar de tweede regel is geen scheidingsregel; schrijf onder de kopregel "
            "een regel als | --- | ---: | (één streepjesgroep per kolom, ':' rechts voor rechts uitlijnen)"
        )
    head, sep = len(split_row(lines[0])), len(split_row(lines[1]))
    return (
        f"deze regels lijken een tabel, maar de kopregel heeft {head} kolommen en de scheidingsregel {sep}; "
        "geef beide evenveel"
    )

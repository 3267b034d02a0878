"""Pipe tables as clerks type them: the cells of a line, which columns are aligned right, and the located
problems of a broken table (``document.tables``). The numbers and words are pinned: the mutation run of issue
27 left 26 mutants of this module alive while the broader construct tests only saw that *a* table came out."""

from __future__ import annotations

import pytest

from generator.document import markdown
from generator.document.nodes import Table
from generator.document.tables import split_row


@pytest.mark.parametrize(
    ("line", "cells"),
    [
        ("| a | b |", ["a", "b"]),
        ("a | b", ["a", "b"]),
        ("  | a |b|  ", ["a", "b"]),
        ("| a \\| b | c |", ["a \\| b", "c"]),  # an escaped pipe is text inside the cell
        ("| a | b \\|", ["a", "b \\|"]),  # … also at the end of the line: no closing pipe to drop
        ("| | b |", ["", "b"]),
        ("|a|", ["a"]),
    ],
)
def test_split_row_reads_a_line_as_github_does(line: str, cells: list[str]) -> None:
    assert split_row(line) == cells


def _table(text: str) -> Table:
    blocks, problems = markdown.parse_blocks(text)
    assert problems == []
    (table,) = blocks
    assert isinstance(table, Table)
    return table


@pytest.mark.parametrize(
    ("column", "align"),
    [
        (["€ 54.400", "212.750,50", "-1.000", "12,5%", "€ 1.000,-", "€\u00a010"], "right"),  # amounts as typed
        (["€ 5", ""], "right"),  # an empty cell does not count
        (["2024", "2025"], "left"),  # a column of years is a label
        (["2024", "€ 5"], "right"),  # … unless something else in it is an amount
        (["Huur", "€ 5"], "left"),  # one word makes it text
        (["", ""], "left"),
        (["1.000 m2", "5"], "left"),
        (["€ *5*", "10"], "right"),  # an amount in two runs (part of it italic) is still one amount
    ],
)
def test_a_column_of_amounts_is_aligned_right(column: list[str], align: str) -> None:
    rows = "\n".join(f"| x | {cell} |" for cell in column)
    table = _table(f"| Post | Bedrag |\n| --- | --- |\n{rows}")
    assert table.align == ("left", align)


def test_what_the_clerk_wrote_wins_over_the_amount_rule() -> None:
    table = _table("| A | B | C | D |\n| :--- | :---: | ---: | --- |\n| € 5 | € 5 | tekst | € 5 |")
    assert table.align == ("left", "center", "right", "right")


def test_a_row_with_too_many_or_too_few_cells_is_named_at_its_line() -> None:
    text = "Tekst\n\n| Post | Bedrag |\n|---|---|\n| Huur | € 54.400 |\n| Licht | 212.750,50 | x |\n| Gas |"
    _blocks, problems = markdown.parse_blocks(text)
    advice = "; geef elke rij evenveel cellen (een lege cel schrijf je als | |)"
    assert [(p.line, p.message) for p in problems] == [
        (6, "deze tabelrij heeft 3 cellen, de kopregel 2" + advice),
        (7, "deze tabelrij heeft 1 cel, de kopregel 2" + advice),
    ]


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("| a | b |\n| --- | x |\n| 1 | 2 |", "de tweede regel is geen scheidingsregel"),
        ("| a | b |\n| --- | --- | --- |\n| 1 | 2 |", "de kopregel heeft 2 kolommen en de scheidingsregel 3"),
        ("Tekst\n\n| a | b |\n| a b |", "de tweede regel is geen scheidingsregel"),
    ],
)
def test_a_table_that_did_not_become_one_is_named(text: str, expected: str) -> None:
    blocks, problems = markdown.parse_blocks(text)
    assert not any(isinstance(b, Table) for b in blocks)
    (problem,) = problems
    assert expected in problem.message
    assert problem.line == text.split("\n").index(next(line for line in text.split("\n") if line.startswith("|"))) + 1


@pytest.mark.parametrize("text", ["| alleen één regel |", "| a | b |\ngewone tekst", "a | b\n| --- | --- |x"])
def test_pipes_in_running_text_are_no_table_problem(text: str) -> None:
    _blocks, problems = markdown.parse_blocks(text)
    assert problems == []


def test_two_tables_in_one_text_each_keep_their_own_rows() -> None:
    blocks, problems = markdown.parse_blocks(
        "Eerst:\n\n| A | B |\n| --- | --- |\n| een | € 2 |\n\nDan:\n\n| C |\n| :---: |\n| x |\n| y |\n\nKlaar."
    )
    assert problems == []
    first, second = (b for b in blocks if isinstance(b, Table))
    assert [len(first.header), len(first.rows), first.align] == [2, 1, ("left", "right")]
    assert [len(second.header), len(second.rows), second.align] == [1, 2, ("center",)]
    assert [b.inlines[0].text for b in blocks if not isinstance(b, Table)] == ["Eerst:", "Dan:", "Klaar."]  # type: ignore[union-attr]

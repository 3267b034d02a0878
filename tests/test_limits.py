"""Every input is bounded in time and memory (issue 15, class 4): limits reported with file:line, fast.

No timing is asserted here: ``python -m bench.limits`` (part of ``make bench``) measures them. The forty
thousand beslispunten of the issue are a case of the hostile corpus (``tests/hostile/bounds.yaml``).
"""

from __future__ import annotations

import time
from pathlib import Path

import pytest

from generator.diffing._words import diff_words, similarity
from generator.document.markdown import parse_blocks
from generator.sources.limits import MAX_PARAGRAPH, MAX_TEXT
from tests.conftest import Invoke
from tests.test_cli_validate import line_of


def _edit(path: Path, old: str, new: str) -> None:
    text = path.read_text(encoding="utf-8")
    assert old in text, old
    path.write_text(text.replace(old, new, 1), encoding="utf-8")


def _validate(cli: Invoke, dossier: Path) -> tuple[int, str, float]:
    started = time.perf_counter()
    result = cli("validate", dossier)
    return result.exit_code, result.output, time.perf_counter() - started


def test_a_text_field_longer_than_the_limit_is_refused(dossier: Path, cli: Invoke) -> None:
    long = "woord " * (MAX_TEXT // 6 + 10)
    _edit(dossier / "voorstel.yaml", "aanleiding: |\n", f"aanleiding: |\n  {long}\n")
    code, output, _ = _validate(cli, dossier)
    assert code == 1 and "veld 'aanleiding'" in output and f"hooguit {MAX_TEXT}" in output
    assert f"voorstel.yaml:{line_of(dossier / 'voorstel.yaml', 'aanleiding: |')}:" in output


def test_a_paragraph_longer_than_the_limit_is_refused_at_its_line(dossier: Path, cli: Invoke) -> None:
    long = "woord " * (MAX_PARAGRAPH // 6 + 10)
    _edit(dossier / "voorstel.yaml", "aanleiding: |\n", f"aanleiding: |\n  Eerste alinea.\n\n  {long}\n\n")
    code, output, _ = _validate(cli, dossier)
    assert code == 1 and f"hooguit {MAX_PARAGRAPH}" in output
    assert f"voorstel.yaml:{line_of(dossier / 'voorstel.yaml', 'aanleiding: |') + 3}" in output


def test_data_nested_too_deep_is_refused(dossier: Path, cli: Invoke) -> None:
    deep = "[" * 30 + "x" + "]" * 30
    _edit(dossier / "voorstel.yaml", "deadline: nvt", f"deadline: {deep}")
    code, output, _ = _validate(cli, dossier)
    assert code == 1 and "niveaus diep genest" in output
    assert "interne fout" not in output


@pytest.mark.parametrize(
    ("source", "line"),
    [
        ("".join("   " * i + f"- niveau {i}\n" for i in range(10)) + "\nVolgende alinea.\n", 7),
        (">" * 20 + " citaat\n\nVolgende alinea.\n", 1),
    ],
    ids=["lists-10-deep", "quotes-20-deep"],
)
def test_markdown_nested_deeper_than_the_parser_keeps_is_refused(source: str, line: int) -> None:
    """The parser silently dropped the tenth list level and the next paragraph; 20 '>' emptied the text."""
    blocks, problems = parse_blocks(source)
    assert blocks == ()  # refused, not rendered with a piece missing
    assert [p.line for p in problems] == [line]
    assert "te diep genest" in problems[0].message


def test_markdown_nested_within_the_limit_keeps_everything() -> None:
    source = "".join("   " * i + f"- niveau {i}\n" for i in range(6)) + "\nVolgende alinea.\n"
    blocks, problems = parse_blocks(source)
    assert problems == []
    assert len(blocks) == 2  # the list and the paragraph after it


def _prose(words: int, changed_every: int = 0) -> str:
    vocabulary = (Path(__file__).parent.parent / "proposals" / "impuls-sociale-infrastructuur" / "voorstel.yaml")
    pool = vocabulary.read_text(encoding="utf-8").split()
    return " ".join(
        (w + "x" if changed_every and i % changed_every == 0 else w)
        for i, w in enumerate(pool[i % len(pool)] for i in range(words))
    )


def test_word_diff_of_a_huge_paragraph_is_exact() -> None:
    """A 400 KB paragraph with every third word changed took 98 s (900 KB: over 15 minutes); `python -m
    bench.limits` times that one. Here a paragraph seven times the paragraph limit (far past the exact
    algorithm's 1,000 words) must still come out word by word and rebuild both texts exactly."""
    old, new = _prose(20_000), _prose(20_000, changed_every=3)
    assert len(old) > 7 * MAX_PARAGRAPH
    segments = diff_words(old, new)
    assert "".join(s.text for s in segments if s.op != "insert") == old
    assert "".join(s.text for s in segments if s.op != "delete") == new
    changed = sum(1 for s in segments if s.op == "insert")
    assert changed > 5_000  # word by word, not one paragraph swapped for another
    small_old, small_new = old[:20_000], new[:20_000]
    assert diff_words(small_old, small_new) == diff_words(small_old, small_new)  # the same texts, the same diff


def test_similarity_of_huge_paragraphs_is_bounded() -> None:
    old, new = _prose(20_000), _prose(20_000, changed_every=3)
    assert similarity(old, new) > 0.5  # bounded work; its time is measured by `python -m bench.limits`

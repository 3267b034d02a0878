"""The IR → Markdown writer agrees with the parser: parse(serialize(x)) == x on every example text."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import pytest
import yaml

from generator.document import markdown
from generator.document.local import LABEL_RE
from generator.document.markdown_write import serialize
from generator.document.nodes import (
    Block,
    BulletList,
    Footnote,
    Inline,
    LineBreak,
    Link,
    NumberedList,
    Paragraph,
    Table,
    Text,
)
from tests.conftest import CONSTRUCTS, ROOT

DATA_FILES = sorted(
    [
        *(ROOT / "proposals").glob("*/voorstel.yaml"),
        *(ROOT / "proposals").glob("*/gemeenten/*.yaml"),
        *(ROOT / "voorbeelden").glob("*/proposals/*/voorstel.yaml"),
        *(ROOT / "voorbeelden").glob("*/proposals/*/gemeenten/*.yaml"),
        CONSTRUCTS / "voorstel.yaml",
        *(CONSTRUCTS / "gemeenten").glob("*.yaml"),
    ]
)


def _texts(value: Any, path: str) -> Iterator[tuple[str, str]]:
    if isinstance(value, str) and not value.startswith("{") and len(value) > 2:
        yield path, value
    elif isinstance(value, dict):
        for key, child in value.items():
            yield from _texts(child, f"{path}.{key}")
    elif isinstance(value, list):
        for index, child in enumerate(value):
            yield from _texts(child, f"{path}.{index}")


def _all_texts() -> list[tuple[str, str]]:
    found: list[tuple[str, str]] = []
    for file in DATA_FILES:
        data = yaml.safe_load(file.read_text(encoding="utf-8"))
        found.extend(_texts(data, file.relative_to(ROOT).as_posix()))
    return found


TEXTS = _all_texts()


def _plain(blocks: tuple[Block, ...]) -> tuple[Block, ...]:
    return markdown.parse_blocks(serialize(blocks))[0]


def test_there_are_many_texts_to_check() -> None:
    assert len(TEXTS) > 60
    assert any("\n- " in text for _, text in TEXTS) and any("\n1. " in text for _, text in TEXTS)
    assert any("**" in text for _, text in TEXTS), "bold is among them"


@pytest.mark.parametrize(("where", "text"), TEXTS, ids=[where for where, _ in TEXTS])
def test_parse_of_serialize_is_identity(where: str, text: str) -> None:
    text = "\n".join(LABEL_RE.sub("", line) for line in text.split("\n"))  # labels never reach the parser
    blocks, problems = markdown.parse_blocks(text)
    if problems:
        pytest.skip(f"{where}: the example shows a refused construct")  # not a text the import ever writes
    again = _plain(blocks)
    assert again == blocks, serialize(blocks)


HARD: list[tuple[Block, ...]] = [
    (Paragraph((Text("a "), Text("vet", bold=True), Text("schuin", italic=True), Text(" en "),
                Text("beide", bold=True, italic=True), Text(" *sterren* _en_ [haken]"))),),
    (Paragraph((Text("1. geen lijst, # geen kop, - geen streep"),)),),
    (Paragraph((Text("regel"), LineBreak(), Text("nieuwe regel "), Link("site", "https://example.nl/a_b"))),),
    (NumberedList(((Paragraph((Text("drie"),)),), (Paragraph((Text("vier"),)), Paragraph((Text("meer"),)))), 3),),
    (BulletList(((Paragraph((Text("a"),)), NumberedList(((Paragraph((Text("b"),)),),), 2)),)),),
    (Table(((Text("Jaar"),), (Text("Bedrag | x"),)), (((Text("2025"),), (Text("€ 10"),)),), ("left", "right")),),
    (Paragraph((Text("Zie"), Footnote(1, (Text("de "), Text("noot", italic=True))), Text(" hier."))),),
]  # fmt: skip


def _strip_numbers(inlines: tuple[Inline, ...]) -> tuple[Inline, ...]:
    """Footnote numbers (decided per document) and empty runs (markdown-it leaves one between two marks) aside."""
    return tuple(
        Footnote(0, i.inlines) if isinstance(i, Footnote) else i
        for i in inlines
        if not (isinstance(i, Text) and not i.text)
    )


@pytest.mark.parametrize("blocks", HARD)
def test_constructs_that_need_escaping_or_care(blocks: tuple[Block, ...]) -> None:
    again = _plain(blocks)
    if isinstance(blocks[0], Paragraph) and isinstance(again[0], Paragraph):
        assert _strip_numbers(again[0].inlines) == _strip_numbers(blocks[0].inlines), serialize(blocks)
    else:
        assert again == blocks, serialize(blocks)

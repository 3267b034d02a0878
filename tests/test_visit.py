"""The IR's one walk (``generator.document.visit``): every node type has its method, the walks go in reading order
into every place text can be (table cells, argument headings, list items, notes), and no other module keeps a
chain of ``isinstance`` tests over node types of its own (issue 27, item 4)."""

from __future__ import annotations

import ast
import typing
from dataclasses import replace
from pathlib import Path

import pytest

from generator.document import footnotes, origins, visit
from generator.document.build import _has_placeholder
from generator.document.nodes import (
    Argument,
    Block,
    BulletList,
    CheckItem,
    Checklist,
    Footnote,
    Inline,
    LineBreak,
    Link,
    NotApplicable,
    NumberedList,
    Paragraph,
    Section,
    SignatureBlock,
    Source,
    SubHeading,
    Table,
    Text,
)
from generator.document.plaintext import block_lines
from tests.conftest import ROOT


def _t(text: str) -> Text:
    return Text(text)


def _every_block() -> tuple[Block, ...]:
    """One block of every type, nested the ways the builder nests them, with a footnote wherever inlines are."""
    return (
        Paragraph((_t("p1"), Footnote(0, (_t("n-p1"),))), source=Source("voorstel.yaml", ("aanleiding",), 3)),
        SubHeading((_t("kop"),)),
        BulletList(((Paragraph((_t("b1"),)), NumberedList(((Paragraph((_t("b1a"), Footnote(0, ()))),),))),)),
        NumberedList(((Paragraph((_t("n1"),)),), (Paragraph((_t("n2"),)),)), start=3),
        Argument("1.1", (_t("arg"), Footnote(0, ())), (Paragraph((_t("arg-tekst"),)),)),
        Checklist((CheckItem(True, "Goal 01", "Geen armoede"),)),
        NotApplicable(),
        Table(((_t("h1"),), (_t("h2"), Footnote(0, ()))), (((_t("c1"),), (_t("c2"),)),), ("left", "right")),
    )


def _words(inlines: typing.Iterable[Inline]) -> list[str]:
    return [i.text for i in inlines if isinstance(i, Text)]


def test_every_node_type_of_the_ir_has_a_visitor_method() -> None:
    """A new node type added to ``Block`` or ``Inline`` without a method here fails this test, not a writer."""
    block_methods = {name for name in visit.BlockVisitor.__abstractmethods__}
    inline_methods = {name for name in visit.InlineVisitor.__abstractmethods__}
    assert len(block_methods) == len(typing.get_args(Block)) == 8
    assert len(inline_methods) == len(typing.get_args(Inline)) == 4
    for node in _every_block():
        assert visit.node_kind(node) == type(node).__name__
    for inline in (_t("x"), Link("x", "https://example.org"), LineBreak(), Footnote(1, ())):
        assert visit.node_kind(inline) == type(inline).__name__


def test_a_visitor_that_forgets_a_node_type_cannot_be_made() -> None:
    class Incomplete(visit.BlockVisitor[None]):
        def paragraph(self, block: Paragraph) -> None:
            return None

    with pytest.raises(TypeError, match="abstract"):
        Incomplete()  # type: ignore[abstract]


def test_an_unknown_node_is_an_error_not_a_gap() -> None:
    with pytest.raises(TypeError, match="CheckItem"):
        visit.node_kind(CheckItem(True, "Goal 01", "x"))  # type: ignore[arg-type]
    with pytest.raises(TypeError, match="str"):
        block_lines("tekst")  # type: ignore[arg-type]


def test_blocks_in_goes_into_list_items_and_arguments_in_reading_order() -> None:
    kinds = [type(b).__name__ for b in visit.blocks_in(_every_block())]
    assert kinds == [
        "Paragraph", "SubHeading",
        "BulletList", "Paragraph", "NumberedList", "Paragraph",
        "NumberedList", "Paragraph", "Paragraph",
        "Argument", "Paragraph",
        "Checklist", "NotApplicable", "Table",
    ]  # fmt: skip


def test_inlines_in_reaches_table_cells_and_argument_headings_in_reading_order() -> None:
    assert _words(visit.inlines_in(_every_block())) == [
        "p1", "kop", "b1", "b1a", "n1", "n2", "arg", "arg-tekst", "h1", "h2", "c1", "c2",
    ]  # fmt: skip


def test_footnotes_are_numbered_in_reading_order_through_every_kind_of_block() -> None:
    section = Section(1, "aanleiding", "Aanleiding", _every_block())
    (numbered,) = footnotes.number_sections((section,))
    found = footnotes.collect(numbered.blocks)
    assert [n.number for n in found] == [1, 2, 3, 4]
    assert [_words(n.inlines) for n in found][:1] == [["n-p1"]]
    # The table's footnote sits in its header row, after the argument's: numbered last.
    table = numbered.blocks[-1]
    assert isinstance(table, Table)
    assert [i.number for cell in table.header for i in cell if isinstance(i, Footnote)] == [4]
    # Everything but the numbers stays, the node's source included.
    assert numbered.blocks[0].source == section.blocks[0].source
    assert numbered.blocks[3] == section.blocks[3]


def test_map_inlines_keeps_what_it_does_not_change() -> None:
    seen: list[str] = []

    def record(inlines: tuple[Inline, ...]) -> tuple[Inline, ...]:
        seen.extend(_words(inlines))
        return tuple(replace(i, text=i.text.upper()) if isinstance(i, Text) else i for i in inlines)

    mapped = [visit.map_inlines(b, record) for b in _every_block()]
    assert seen == _words(visit.inlines_in(_every_block()))
    assert _words(visit.inlines_in(mapped)) == [w.upper() for w in seen]
    assert mapped[0].source == _every_block()[0].source
    numbered = mapped[3]
    assert isinstance(numbered, NumberedList) and numbered.start == 3
    assert mapped[5:7] == list(_every_block()[5:7])  # a checklist and "Nvt" have no inlines to change


def test_inline_map_rebuilds_a_footnotes_text_too() -> None:
    class Shout(visit.InlineMap):
        def text(self, inline: Text) -> tuple[Inline, ...]:
            return (Text(inline.text.upper()), Text("!"))

    (note,) = Shout().run((Footnote(2, (_t("noot"), LineBreak())),))
    assert note == Footnote(2, (Text("NOOT"), Text("!"), LineBreak()))


def test_a_placeholder_in_a_table_cell_makes_the_document_a_draft() -> None:
    """The draft check used to walk paragraphs, lists and arguments but not tables: a document whose only open
    placeholder sat in a table cell was called final (no CONCEPT mark)."""
    cell = (Text("[INVULLEN: bedrag]", highlight=True),)
    table = Table(((_t("post"),), (_t("bedrag"),)), (((_t("huur"),), cell),), ("left", "right"))
    signature = SignatureBlock("", "", ())
    assert _has_placeholder((), (), (Section(1, "a", "A", (table,)),), signature)
    filled = replace(table, rows=(((_t("huur"),), (_t("€ 10"),)),))
    assert not _has_placeholder((), (), (Section(1, "a", "A", (filled,)),), signature)


def test_roles_of_blocks_answer_the_docx_marks_and_the_word_import_alike() -> None:
    own = Source("voorstel.yaml", ("beslispunten",))
    field_list = NumberedList(((Paragraph((_t("a"),), source=Source("voorstel.yaml", ("beslispunten", 0))),),),
                              source=own)  # fmt: skip
    text_list = BulletList(((Paragraph((_t("a"),), source=own),),), source=own)
    roles = [origins.role(b) for b in (*_every_block(), field_list, text_list)]
    assert roles == ["tekst", "tekst", "tekst", "tekst", "argument", "keuzelijst", "tekst", "tekst",
                     "lijstveld", "tekst"]  # fmt: skip
    assert origins.list_items(field_list) == field_list.items
    assert origins.list_items(Paragraph(())) == ()


# --- no second dispatch --------------------------------------------------------------------------------------

NODE_TYPES = {t.__name__ for t in (*typing.get_args(Block), *typing.get_args(Inline))}
HOME = {"generator/document/visit.py", "generator/document/nodes.py"}


def _tested_types(test: ast.expr) -> set[str]:
    """The IR node types an ``isinstance(x, …)`` test (possibly inside ``and``/``not``) names."""
    found: set[str] = set()
    for node in ast.walk(test):
        if isinstance(node, ast.Call) and isinstance(node.func, ast.Name) and node.func.id == "isinstance":
            found |= {n.id for n in ast.walk(node.args[1]) if isinstance(n, ast.Name) and n.id in NODE_TYPES}
    return found


def dispatch_chains(source: str) -> list[int]:
    """Lines where an ``if isinstance(x, A): … elif isinstance(x, B): …`` chain over IR node types starts, or where
    a ``match`` has a case per node type: a dispatch that belongs in ``visit``."""
    lines: list[int] = []
    tree = ast.parse(source)
    for node in ast.walk(tree):
        if isinstance(node, ast.If) and len(node.orelse) == 1 and isinstance(node.orelse[0], ast.If):
            first, second = _tested_types(node.test), _tested_types(node.orelse[0].test)
            if first and second and first != second:
                lines.append(node.lineno)
        elif isinstance(node, ast.Match):
            classes = [p.cls for c in node.cases for p in ast.walk(c.pattern) if isinstance(p, ast.MatchClass)]
            named = {c.id for c in classes if isinstance(c, ast.Name) and c.id in NODE_TYPES}
            if len(named) > 1:
                lines.append(node.lineno)
    return lines


@pytest.mark.parametrize(
    "path",
    [p for p in sorted((ROOT / "generator").rglob("*.py")) if p.relative_to(ROOT).as_posix() not in HOME],
    ids=lambda p: p.relative_to(ROOT).as_posix(),
)
def test_no_module_dispatches_on_node_types_of_its_own(path: Path) -> None:
    assert dispatch_chains(path.read_text(encoding="utf-8")) == []


def test_the_dispatch_finder_finds_a_chain_and_a_match() -> None:
    chain = "if isinstance(b, Paragraph):\n    pass\nelif isinstance(b, Table):\n    pass\n"
    match = "match b:\n    case Paragraph():\n        pass\n    case Text():\n        pass\n"
    same = "if isinstance(b, Paragraph):\n    pass\nelif isinstance(b, Paragraph) and x:\n    pass\n"
    assert dispatch_chains(chain) == [1]
    assert dispatch_chains(match) == [1]
    assert dispatch_chains(same) == []
    assert dispatch_chains((ROOT / "generator/document/visit.py").read_text(encoding="utf-8")) != []

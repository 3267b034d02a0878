"""The one walk over the IR: which method a node goes to, which nodes sit inside which, in reading order.

Why one module: every writer (txt, DOCX, ODT, Markdown, the HTML the PDF is made of), the diff, the footnote
numbering and the builder's passes used to repeat the same chain of ``isinstance`` tests over the same closed
union of nodes, each with its own idea of what lies inside a list or an argument. A new node type then had to be
found in a dozen places, and one walk that forgot table cells (the draft check did) went unnoticed. Here the
dispatch is written once, as docutils' ``NodeVisitor`` and pandoc's writers do it: a writer subclasses
:class:`BlockVisitor` and :class:`InlineVisitor` and must name a method for every node (a missing one is an
abstract method: mypy and the constructor both refuse it), and the plain walks (:func:`blocks_in`,
:func:`inlines_in`, :func:`map_inlines`) are visitors themselves.
"""

from __future__ import annotations

import dataclasses
from abc import ABC, abstractmethod
from collections.abc import Callable, Iterable, Iterator
from typing import Generic, NoReturn, TypeVar

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

__all__ = [
    "BlockVisitor",
    "InlineMap",
    "InlineVisitor",
    "blocks_in",
    "inlines_in",
    "item_lead",
    "map_inlines",
    "node_kind",
]

R = TypeVar("R")

Inlines = tuple[Inline, ...]


def _unknown(node: object) -> NoReturn:
    raise TypeError(f"geen documentonderdeel: {type(node).__name__}")


class BlockVisitor(ABC, Generic[R]):
    """Sends each block to the method for its type; a subclass names one for every block type."""

    def visit(self, block: Block) -> R:
        match block:
            case Paragraph():
                return self.paragraph(block)
            case SubHeading():
                return self.subheading(block)
            case BulletList():
                return self.bullet_list(block)
            case NumberedList():
                return self.numbered_list(block)
            case Argument():
                return self.argument(block)
            case Checklist():
                return self.checklist(block)
            case NotApplicable():
                return self.not_applicable(block)
            case Table():
                return self.table(block)
            case _:
                _unknown(block)

    def visit_all(self, blocks: Iterable[Block]) -> list[R]:
        return [self.visit(block) for block in blocks]

    @abstractmethod
    def paragraph(self, block: Paragraph) -> R: ...

    @abstractmethod
    def subheading(self, block: SubHeading) -> R: ...

    @abstractmethod
    def bullet_list(self, block: BulletList) -> R: ...

    @abstractmethod
    def numbered_list(self, block: NumberedList) -> R: ...

    @abstractmethod
    def argument(self, block: Argument) -> R: ...

    @abstractmethod
    def checklist(self, block: Checklist) -> R: ...

    @abstractmethod
    def not_applicable(self, block: NotApplicable) -> R: ...

    @abstractmethod
    def table(self, block: Table) -> R: ...


class InlineVisitor(ABC, Generic[R]):
    """Sends each inline to the method for its type; a subclass names one for every inline type."""

    def visit(self, inline: Inline) -> R:
        match inline:
            case Text():
                return self.text(inline)
            case Link():
                return self.link(inline)
            case LineBreak():
                return self.line_break(inline)
            case Footnote():
                return self.footnote(inline)
            case _:
                _unknown(inline)

    def visit_all(self, inlines: Iterable[Inline]) -> list[R]:
        return [self.visit(inline) for inline in inlines]

    @abstractmethod
    def text(self, inline: Text) -> R: ...

    @abstractmethod
    def link(self, inline: Link) -> R: ...

    @abstractmethod
    def line_break(self, inline: LineBreak) -> R: ...

    @abstractmethod
    def footnote(self, inline: Footnote) -> R: ...


class InlineMap(InlineVisitor[tuple[Inline, ...]]):
    """Rebuilds a run of inlines: each method says what one inline becomes (nothing, itself, or several). By
    default everything stays as it is, and a footnote's own text goes through the same map (notes hold no
    notes: one that would appear inside a note is left out)."""

    def run(self, inlines: Iterable[Inline]) -> tuple[Inline, ...]:
        return tuple(out for inline in inlines for out in self.visit(inline))

    def text(self, inline: Text) -> tuple[Inline, ...]:
        return (inline,)

    def link(self, inline: Link) -> tuple[Inline, ...]:
        return (inline,)

    def line_break(self, inline: LineBreak) -> tuple[Inline, ...]:
        return (inline,)

    def footnote(self, inline: Footnote) -> tuple[Inline, ...]:
        inner = tuple(i for i in self.run(inline.inlines) if isinstance(i, Text | Link | LineBreak))
        return (Footnote(inline.number, inner),)


# --- the structure: what is inside what ------------------------------------------------------------------


class _Parts(BlockVisitor[tuple[tuple[Inlines, ...], tuple[Block, ...]]]):
    """A block's own runs of inlines and the blocks directly inside it, each in reading order (an argument's
    heading before its text, a table's header row before its body rows)."""

    def paragraph(self, block: Paragraph) -> tuple[tuple[Inlines, ...], tuple[Block, ...]]:
        return (block.inlines,), ()

    def subheading(self, block: SubHeading) -> tuple[tuple[Inlines, ...], tuple[Block, ...]]:
        return (block.inlines,), ()

    def bullet_list(self, block: BulletList) -> tuple[tuple[Inlines, ...], tuple[Block, ...]]:
        return (), tuple(child for item in block.items for child in item)

    def numbered_list(self, block: NumberedList) -> tuple[tuple[Inlines, ...], tuple[Block, ...]]:
        return (), tuple(child for item in block.items for child in item)

    def argument(self, block: Argument) -> tuple[tuple[Inlines, ...], tuple[Block, ...]]:
        return (block.heading,), block.body

    def checklist(self, block: Checklist) -> tuple[tuple[Inlines, ...], tuple[Block, ...]]:
        return (), ()

    def not_applicable(self, block: NotApplicable) -> tuple[tuple[Inlines, ...], tuple[Block, ...]]:
        return (), ()

    def table(self, block: Table) -> tuple[tuple[Inlines, ...], tuple[Block, ...]]:
        return (*block.header, *(cell for row in block.rows for cell in row)), ()


_PARTS = _Parts()


def blocks_in(blocks: Iterable[Block]) -> Iterator[Block]:
    """``blocks`` and every block inside them (list items, an argument's text), in reading order."""
    for block in blocks:
        yield block
        yield from blocks_in(_PARTS.visit(block)[1])


def inlines_in(blocks: Iterable[Block]) -> Iterator[Inline]:
    """Every inline of ``blocks`` at any depth (table cells and argument headings included), in reading order;
    the text of a footnote stays inside its :class:`Footnote`."""
    for block in blocks_in(blocks):
        for run in _PARTS.visit(block)[0]:
            yield from run


class _MapInlines(BlockVisitor[Block]):
    """A block rebuilt with every run of inlines passed through ``change``, in reading order; everything else
    (the node's source, a list's start, a table's alignment) stays as it was."""

    def __init__(self, change: Callable[[Inlines], Inlines]) -> None:
        self.change = change

    def _items(self, items: tuple[tuple[Block, ...], ...]) -> tuple[tuple[Block, ...], ...]:
        return tuple(tuple(self.visit(child) for child in item) for item in items)

    def paragraph(self, block: Paragraph) -> Block:
        return dataclasses.replace(block, inlines=self.change(block.inlines))

    def subheading(self, block: SubHeading) -> Block:
        return dataclasses.replace(block, inlines=self.change(block.inlines))

    def bullet_list(self, block: BulletList) -> Block:
        return dataclasses.replace(block, items=self._items(block.items))

    def numbered_list(self, block: NumberedList) -> Block:
        return dataclasses.replace(block, items=self._items(block.items))

    def argument(self, block: Argument) -> Block:
        heading = self.change(block.heading)
        return dataclasses.replace(block, heading=heading, body=tuple(self.visit(b) for b in block.body))

    def checklist(self, block: Checklist) -> Block:
        return block

    def not_applicable(self, block: NotApplicable) -> Block:
        return block

    def table(self, block: Table) -> Block:
        header = tuple(self.change(cell) for cell in block.header)
        return dataclasses.replace(block, header=header, rows=tuple(tuple(map(self.change, r)) for r in block.rows))


def map_inlines(block: Block, change: Callable[[Inlines], Inlines]) -> Block:
    """``block`` with ``change`` applied to each of its runs of inlines at any depth, in reading order (so a
    counter inside ``change`` numbers as a reader counts)."""
    return _MapInlines(change).visit(block)


def item_lead(item: tuple[Block, ...]) -> tuple[Inlines | None, tuple[Block, ...]]:
    """A list item's first paragraph (the line that carries the number or bullet) and the blocks after it;
    None when the item starts with something else (a nested list), which then gets an empty numbered line."""
    if item and isinstance(item[0], Paragraph):
        return item[0].inlines, item[1:]
    return None, item


class _Kind(BlockVisitor[str]):
    def paragraph(self, block: Paragraph) -> str:
        return "Paragraph"

    def subheading(self, block: SubHeading) -> str:
        return "SubHeading"

    def bullet_list(self, block: BulletList) -> str:
        return "BulletList"

    def numbered_list(self, block: NumberedList) -> str:
        return "NumberedList"

    def argument(self, block: Argument) -> str:
        return "Argument"

    def checklist(self, block: Checklist) -> str:
        return "Checklist"

    def not_applicable(self, block: NotApplicable) -> str:
        return "NotApplicable"

    def table(self, block: Table) -> str:
        return "Table"


class _InlineKind(InlineVisitor[str]):
    def text(self, inline: Text) -> str:
        return "Text"

    def link(self, inline: Link) -> str:
        return "Link"

    def line_break(self, inline: LineBreak) -> str:
        return "LineBreak"

    def footnote(self, inline: Footnote) -> str:
        return "Footnote"


_KIND = _Kind()
_INLINE_KIND = _InlineKind()


def node_kind(node: Block | Inline) -> str:
    """The name a template picks a node's macro by (the HTML writer: Jinja cannot call a visitor's methods)."""
    return _KIND.visit(node) if isinstance(node, Block) else _INLINE_KIND.visit(node)

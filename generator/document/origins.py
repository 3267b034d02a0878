"""Reading the IR's one map backwards: which nodes came from where (DESIGN §7).

Every block, section and field carries its :class:`~generator.document.nodes.Source`; this module walks a
document for them, so the preview's jump links, the diff and the Word import ask the same question the same way.
"""

from __future__ import annotations

from collections.abc import Iterator, Sequence

from generator.document.nodes import Argument, Block, BulletList, Document, NumberedList, Section, Source

__all__ = ["block_sources", "section_using"]


def block_sources(blocks: Sequence[Block]) -> Iterator[Source]:
    """The sources of ``blocks`` and every block inside them, in reading order."""
    for block in blocks:
        if block.source is not None:
            yield block.source
        if isinstance(block, BulletList | NumberedList):
            for item in block.items:
                yield from block_sources(item)
        elif isinstance(block, Argument):
            yield from block_sources(block.body)


def section_using(document: Document, name: str) -> Section | None:
    """The first section whose text shows the value of variable ``name`` (``waarden.bedrag``), or None."""
    for section in document.sections:
        for source in block_sources(section.blocks):
            if any(_names(expression, name) for expression, _ in source.variables):
                return section
    return None


def _names(expression: str, name: str) -> bool:
    """Whether ``{{ waarden.x | hoofdletter }}`` looks up ``name`` (``waarden.x``), or a value under it."""
    looked_up = expression.strip("{} ").split("|", 1)[0].strip()
    return looked_up == name or looked_up.startswith(name + ".")

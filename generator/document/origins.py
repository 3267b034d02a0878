"""Reading the IR's one map backwards: which nodes came from where (DESIGN §7).

Every block, section and field carries its :class:`~generator.document.nodes.Source`; this module walks a
document for them, so the preview's jump links, the diff and the Word import ask the same question the same way.
"""

from __future__ import annotations

from collections.abc import Iterator, Sequence

from generator.document.nodes import (
    Argument,
    Block,
    BulletList,
    Checklist,
    Document,
    NumberedList,
    Paragraph,
    Section,
    Source,
)

__all__ = ["block_sources", "fields_of", "is_list_field", "section_using"]


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


Path = tuple[str | int, ...]


def fields_of(document: Document) -> dict[tuple[Path, str], tuple[Block, ...]]:
    """Each data field of ``document`` with the blocks it became, keyed by (key path, role) as the DOCX marks
    them: "tekst" (a text field's blocks), "item" (one entry of a list field), "kop" (an argument's heading,
    as one paragraph) and "veld" (a title-block value, as one paragraph)."""
    out: dict[tuple[Path, str], tuple[Block, ...]] = {}
    out[(("onderwerp",), "veld")] = (Paragraph(document.subject_display),)
    for meta in document.fields:
        if meta.source is not None:
            out[(meta.source.path, "veld")] = (Paragraph(meta.value),)
    for section in document.sections:
        _collect(section.blocks, out)
    return out


def _collect(blocks: Sequence[Block], out: dict[tuple[Path, str], tuple[Block, ...]]) -> None:
    for block in blocks:
        source = block.source
        if source is None:
            continue
        if isinstance(block, Argument):
            out[((*source.path, "kop"), "kop")] = (Paragraph(block.heading),)
            _collect(block.body, out)
        elif isinstance(block, NumberedList | BulletList) and is_list_field(block):
            for item in block.items:
                if item and item[0].source is not None:
                    out[(item[0].source.path, "item")] = item
        elif not isinstance(block, Checklist):
            key = (source.path, "tekst")
            out[key] = (*out.get(key, ()), block)


def is_list_field(block: NumberedList | BulletList) -> bool:
    """Whether a list is a list field of the data (beslispunten, bijlagen, stakeholders: each item its own
    entry) rather than a list inside one text."""
    return block.source is not None and any(
        item and item[0].source is not None and item[0].source.path != block.source.path for item in block.items
    )

"""Reading the IR's one map backwards: which nodes came from where (DESIGN §7).

Every block, section and field carries its :class:`~generator.document.nodes.Source`; this module walks a
document for them, so the preview's jump links, the diff and the Word import ask the same question the same way.
"""

from __future__ import annotations

from collections.abc import Iterator, Sequence

from generator.document import visit
from generator.document.nodes import (
    Argument,
    Block,
    BulletList,
    Checklist,
    Document,
    NotApplicable,
    NumberedList,
    Paragraph,
    Section,
    Source,
    SubHeading,
    Table,
)

__all__ = ["block_sources", "fields_of", "list_items", "role", "section_using"]


def block_sources(blocks: Sequence[Block]) -> Iterator[Source]:
    """The sources of ``blocks`` and every block inside them, in reading order."""
    return (block.source for block in visit.blocks_in(blocks) if block.source is not None)


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
        kind = role(block)
        if kind == "argument":
            assert isinstance(block, Argument)
            out[((*source.path, "kop"), "kop")] = (Paragraph(block.heading),)
            _collect(block.body, out)
        elif kind == "lijstveld":
            for item in list_items(block):
                if item and item[0].source is not None:
                    out[(item[0].source.path, "item")] = item
        elif kind == "tekst":
            key = (source.path, "tekst")
            out[key] = (*out.get(key, ()), block)


Role = str  # "tekst", "lijstveld", "argument" or "keuzelijst"


def role(block: Block) -> Role:
    """What a block of a section is to the data: (part of) a text field ("tekst"); a list field ("lijstveld":
    beslispunten, bijlagen, stakeholders, each item its own entry); an argument (its heading and text are
    fields of their own); or the Global Goals ("keuzelijst", a list of numbers). The DOCX marks and the Word
    import's reading of them follow this one answer, so no two marks ever overlap."""
    return _ROLE.visit(block)


def list_items(block: Block) -> tuple[tuple[Block, ...], ...]:
    """The items of a list block; nothing for any other block."""
    return _ITEMS.visit(block)


class _Role(visit.BlockVisitor[Role]):
    def paragraph(self, block: Paragraph) -> Role:
        return "tekst"

    def subheading(self, block: SubHeading) -> Role:
        return "tekst"

    def bullet_list(self, block: BulletList) -> Role:
        return "lijstveld" if _is_list_field(block) else "tekst"

    def numbered_list(self, block: NumberedList) -> Role:
        return "lijstveld" if _is_list_field(block) else "tekst"

    def argument(self, block: Argument) -> Role:
        return "argument"

    def checklist(self, block: Checklist) -> Role:
        return "keuzelijst"

    def not_applicable(self, block: NotApplicable) -> Role:
        return "tekst"

    def table(self, block: Table) -> Role:
        return "tekst"


class _Items(visit.BlockVisitor[tuple[tuple[Block, ...], ...]]):
    def paragraph(self, block: Paragraph) -> tuple[tuple[Block, ...], ...]:
        return ()

    def subheading(self, block: SubHeading) -> tuple[tuple[Block, ...], ...]:
        return ()

    def bullet_list(self, block: BulletList) -> tuple[tuple[Block, ...], ...]:
        return block.items

    def numbered_list(self, block: NumberedList) -> tuple[tuple[Block, ...], ...]:
        return block.items

    def argument(self, block: Argument) -> tuple[tuple[Block, ...], ...]:
        return ()

    def checklist(self, block: Checklist) -> tuple[tuple[Block, ...], ...]:
        return ()

    def not_applicable(self, block: NotApplicable) -> tuple[tuple[Block, ...], ...]:
        return ()

    def table(self, block: Table) -> tuple[tuple[Block, ...], ...]:
        return ()


_ROLE = _Role()
_ITEMS = _Items()


def _is_list_field(block: NumberedList | BulletList) -> bool:
    """Whether a list is a list field of the data (each item its own entry) rather than a list inside one text:
    its items come from other key paths than the list itself."""
    return block.source is not None and any(
        item and item[0].source is not None and item[0].source.path != block.source.path for item in block.items
    )

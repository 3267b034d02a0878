"""Real Word list numbering: abstract definitions plus one ``w:num`` per list.

Why not the "List Number" style: Word numbers every paragraph of that style as one long list, so the
beslispunten would continue at 4 after a three-item list in "Aanleiding". Here each list gets its own
``w:num`` that points at one shared decimal (or bullet) ``w:abstractNum`` and carries a
``w:lvlOverride/w:startOverride``, which makes Word and LibreOffice restart the count. Ids are counted up
from what the reference document already holds, so the output is the same on every run.
"""

from __future__ import annotations

import zlib
from typing import Any

from docx.document import Document as DocxDocument
from docx.oxml import OxmlElement
from docx.oxml.ns import qn
from docx.text.paragraph import Paragraph as DocxParagraph

from generator.errors import RenderError

LEVELS = 9  # Word's maximum list depth
INDENT_STEP = 425  # twips (0.75 cm) per list level; the text of level n starts at (n + 1) * INDENT_STEP

# (numFmt, lvlText) per level, repeating every three levels; "%n" is the counter of level n.
_DECIMAL = [("decimal", "%{n}."), ("lowerLetter", "%{n}."), ("lowerRoman", "%{n}.")]
_BULLET = [("bullet", "•"), ("bullet", "–"), ("bullet", "▪")]


def level_indent(level: int) -> int:
    """Left indent (twips) of the text of a list item at ``level``; continuation paragraphs reuse it."""
    return (level + 1) * INDENT_STEP


class ListNumbering:
    """Adds the two abstract list definitions to a document and hands out a fresh ``numId`` per list."""

    def __init__(self, document: DocxDocument) -> None:
        try:
            self._numbering: Any = document.part.numbering_part.element
        except NotImplementedError as exc:  # python-docx cannot create a numbering part from scratch
            raise RenderError("reference.docx heeft geen numbering.xml") from exc
        self.decimal_id = self._add_abstract("raadsvoorstel-decimal", _DECIMAL)
        self.bullet_id = self._add_abstract("raadsvoorstel-bullet", _BULLET)

    def new_list(self, *, ordered: bool, level: int, start: int = 1) -> int:
        """A new ``w:num`` for one list; numbered lists restart at ``start`` on their own level."""
        abstract_id = self.decimal_id if ordered else self.bullet_id
        num = self._numbering.add_num(abstract_id)
        if ordered:
            num.add_lvlOverride(ilvl=level).add_startOverride(start)
        return int(num.numId)

    def _add_abstract(self, name: str, formats: list[tuple[str, str]]) -> int:
        """Append a multilevel ``w:abstractNum`` (before the first ``w:num``, as the schema demands)."""
        existing = [int(el.get(qn("w:abstractNumId"))) for el in self._numbering.findall(qn("w:abstractNum"))]
        abstract_id = max(existing, default=-1) + 1
        abstract = OxmlElement("w:abstractNum", {qn("w:abstractNumId"): str(abstract_id)})
        # nsid identifies the list definition when content is pasted between documents; derive it from the
        # name instead of a random number so the output stays byte-identical.
        _sub(abstract, "w:nsid", f"{zlib.crc32(name.encode()):08X}")
        _sub(abstract, "w:multiLevelType", "multilevel")
        for level in range(LEVELS):
            fmt, text = formats[level % len(formats)]
            text = text.replace("{n}", str(level + 1))
            lvl = OxmlElement("w:lvl", {qn("w:ilvl"): str(level)})
            _sub(lvl, "w:start", "1")
            _sub(lvl, "w:numFmt", fmt)
            _sub(lvl, "w:lvlText", text)
            _sub(lvl, "w:lvlJc", "left")
            ppr = OxmlElement("w:pPr")
            tabs = OxmlElement("w:tabs")
            _sub(tabs, "w:tab", None, {"w:val": "num", "w:pos": str(level_indent(level))})
            ppr.append(tabs)
            _sub(ppr, "w:ind", None, {"w:left": str(level_indent(level)), "w:hanging": str(INDENT_STEP)})
            lvl.append(ppr)
            abstract.append(lvl)
        first_num = self._numbering.find(qn("w:num"))
        if first_num is not None:
            first_num.addprevious(abstract)
        else:
            self._numbering.append(abstract)
        return abstract_id


def set_list_level(paragraph: DocxParagraph, num_id: int, level: int) -> None:
    """Attach ``paragraph`` to list ``num_id`` at ``level`` (``w:numPr`` with ``w:ilvl`` and ``w:numId``)."""
    num_pr = paragraph._p.get_or_add_pPr().get_or_add_numPr()
    num_pr.get_or_add_ilvl().val = level
    num_pr.get_or_add_numId().val = num_id


def _sub(parent: Any, tag: str, val: str | None, attrs: dict[str, str] | None = None) -> Any:
    """Append ``<tag w:val=val …/>`` to ``parent``."""
    element = OxmlElement(tag)
    if val is not None:
        element.set(qn("w:val"), val)
    for key, value in (attrs or {}).items():
        element.set(qn(key), value)
    parent.append(element)
    return element

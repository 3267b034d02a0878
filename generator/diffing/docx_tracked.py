"""The ``docx`` format: NEW's document with OLD → NEW as native Word tracked changes.

Why merge two finished DOCX files instead of writing a third kind of document: the regular DOCX writer
(styles, list numbering, links, title block, signature, header and footer) renders OLD and NEW exactly as a
clerk would get them, so the redline looks like the real proposal and cannot drift from it. This module then
aligns the body of both (paragraphs and tables, in reading order, with ``_align``), and rewrites NEW's body:

- paragraphs in both: word-level ``w:ins``/``w:del`` (``_runs``), ``w:pPrChange`` when the formatting changed;
- paragraphs only in OLD: copied in, runs and paragraph mark deleted, list numbering and links re-pointed at
  NEW's ``numbering.xml`` and relationships;
- paragraphs only in NEW: runs and paragraph mark inserted;
- tables: rows aligned, rows on one side only tracked with ``w:trPr/w:ins`` or ``w:del``, cells merged like
  the body.

Accepting every change gives NEW's text, rejecting every change OLD's. Header and footer are NEW's (the
municipality and subject there also appear in the title block, where they are tracked). Author, date and
revision ids come from the options and the document order, never from the clock: the same inputs give the same
bytes (the writer's fixed ZIP container is reused).
"""

from __future__ import annotations

import copy
import datetime as dt
import io
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

import docx
from docx.opc.constants import RELATIONSHIP_TYPE as RT
from docx.oxml import OxmlElement
from docx.oxml.ns import qn

from generator.diffing import _runs
from generator.diffing._align import Pair, align
from generator.diffing._runs import Revisions, mark_paragraph, merge_runs, pieces, text_of
from generator.diffing._words import similarity
from generator.diffing.model import DocumentDiff
from generator.writers import WriterOptions, get_writer
from generator.writers.docx._package import document_datetime, to_bytes

_Element = Any
DEFAULT_AUTHOR = "raadsvoorstel"
P, TBL, TR, TC = qn("w:p"), qn("w:tbl"), qn("w:tr"), qn("w:tc")


@dataclass(frozen=True, slots=True)
class TrackOptions:
    """Who and when the revisions are attributed to. ``date`` None: NEW's document date (or no date at all)."""

    author: str = DEFAULT_AUTHOR
    date: dt.date | None = None


def render(diff: DocumentDiff, options: TrackOptions | None = None, writer: WriterOptions | None = None) -> bytes:
    """The redline DOCX of ``diff`` (NEW's document, OLD's text as tracked changes)."""
    options = options or TrackOptions()
    writer = writer or WriterOptions()
    old, new = (_open(get_writer("docx")(doc, writer)) for doc in (diff.old, diff.new))
    when = (
        dt.datetime.combine(options.date, dt.time(0, 0), tzinfo=dt.UTC)
        if options.date is not None
        else document_datetime(diff.new)
    )
    stamp = when.strftime("%Y-%m-%dT%H:%M:%SZ") if when is not None else None
    _drop_markers(old)  # NEW's bookmarks stay (the import reads the redline back); OLD's would collide
    _Merger(old, new, Revisions(options.author, stamp, _first_id(new))).body()
    return to_bytes(new)


def _drop_markers(document: Any) -> None:
    """Remove the writer's field bookmarks from ``document``'s body (their ids and names are NEW's too)."""
    for element in document.element.body.xpath(".//w:bookmarkStart | .//w:bookmarkEnd"):
        element.getparent().remove(element)


def _open(data: bytes | str) -> Any:
    if not isinstance(data, bytes):  # pragma: no cover - the DOCX writer returns bytes
        raise TypeError("DOCX writer returned text")
    return docx.Document(io.BytesIO(data))


def _first_id(document: Any) -> int:
    """Revision ids must not collide with other annotation ids (bookmarks, comments) already in the body."""
    ids = [int(v) for v in document.element.xpath("//@w:id") if str(v).isdigit()]
    return max(ids, default=0) + 1


class _Merger:
    """Rewrites NEW's body in place; OLD's elements are copied in where they were removed."""

    def __init__(self, old: Any, new: Any, revisions: Revisions) -> None:
        self.old, self.new, self.revisions = old, new, revisions
        self.old_numbering = old.part.numbering_part.element
        self.new_numbering = new.part.numbering_part.element
        self.num_map: dict[str, str] = {}

    # --- containers: the body and table cells ------------------------------------------------------------

    def body(self) -> None:
        self._container(self.old.element.body, self.new.element.body, cell=False)

    def _container(self, old_parent: _Element, new_parent: _Element, *, cell: bool) -> None:
        """Merge the paragraphs and tables of a body or a table cell into ``new_parent``.

        In a cell every paragraph may pair with any other (threshold 0): a cell must end in a paragraph whose
        mark is not tracked, or accepting or rejecting would leave an empty extra line behind.
        """
        old_blocks, new_blocks = _blocks(old_parent), _blocks(new_parent)
        pairs = self._align(old_blocks, new_blocks, threshold=0.0 if cell else 0.5)
        self._learn_numbering(old_blocks, new_blocks, pairs)
        merged = self._merge_pairs(old_blocks, new_blocks, pairs, cell=cell)
        for element in new_blocks:
            new_parent.remove(element)
        end = new_parent.find(qn("w:sectPr"))
        for element in merged:
            if end is not None:
                end.addprevious(element)
            else:
                new_parent.append(element)

    def _align(self, old: list[_Element], new: list[_Element], threshold: float) -> list[Pair]:
        old_texts = [self._text(e, self._old_href) for e in old]
        new_texts = [self._text(e, self._new_href) for e in new]

        def similar(i: int, j: int) -> float:
            if old[i].tag != new[j].tag:
                return -1.0
            return 1.0 if old[i].tag == TBL else similarity(old_texts[i], new_texts[j])

        old_keys = [(e.tag, _style(e), t) for e, t in zip(old, old_texts, strict=True)]
        new_keys = [(e.tag, _style(e), t) for e, t in zip(new, new_texts, strict=True)]
        return align(old_keys, new_keys, similar, threshold)

    def _merge_pairs(
        self, old: list[_Element], new: list[_Element], pairs: list[Pair], *, cell: bool
    ) -> list[_Element]:
        out: list[_Element] = []
        for index, (i, j) in enumerate(pairs):
            last = cell and index == len(pairs) - 1
            o = old[i] if i is not None else None
            n = new[j] if j is not None else None
            if (o if o is not None else n).tag == TBL:  # type: ignore[union-attr]
                out.extend(self._table(o, n))
            else:
                out.append(self._paragraph(o, n, mark=not last))
        return out

    # --- paragraphs --------------------------------------------------------------------------------------

    def _paragraph(self, old: _Element | None, new: _Element | None, mark: bool = True) -> _Element:
        """The merged paragraph; ``mark`` False leaves the paragraph mark untracked (last in a table cell)."""
        old_pieces = pieces(old, self._old_href)
        new_pieces = pieces(new, self._new_href)
        target: _Element
        if new is None:  # only in OLD: a copy of it, deleted
            target = copy.deepcopy(old)
            self._renumber(target)
        else:
            target = new
        content, changed = merge_runs(old_pieces, new_pieces, self.revisions, self._rel_id)
        if old is not None and new is not None:
            old_ppr = copy.deepcopy(old.find(qn("w:pPr")))
            if old_ppr is not None:
                self._renumber_ppr(old_ppr)
            differs = _runs.formatting(old_ppr) != _runs.formatting(new.find(qn("w:pPr")))
            if not changed and not differs:
                return new  # identical: NEW's paragraph untouched
            if differs:
                _runs.track_formatting(_runs.paragraph_properties(new), old_ppr, self.revisions)
        starts = target.findall(qn("w:bookmarkStart"))  # NEW's field marks stay where they were (the import
        ends = target.findall(qn("w:bookmarkEnd"))  # reads a redline back by them)
        for child in [c for c in target if c.tag != qn("w:pPr")]:
            target.remove(child)
        target.extend([*starts, *content, *ends])
        if mark and (old is None or new is None):
            mark_paragraph(target, "w:ins" if old is None else "w:del", self.revisions)
        return target

    # --- tables ------------------------------------------------------------------------------------------

    def _table(self, old: _Element | None, new: _Element | None) -> list[_Element]:
        if new is None:
            table: _Element = copy.deepcopy(old)
            for row in table.findall(TR):
                self._whole_row(row, "w:del")
            return [table]
        if old is None:
            for row in new.findall(TR):
                self._whole_row(row, "w:ins")
            return [new]
        if _columns(old) != _columns(new):  # a different grid: the old table out, the new one in
            return [*self._table(old, None), *self._table(None, new)]
        old_rows, new_rows = old.findall(TR), new.findall(TR)
        old_texts = [self._text(r, self._old_href) for r in old_rows]
        new_texts = [self._text(r, self._new_href) for r in new_rows]
        pairs = align(old_texts, new_texts, lambda i, j: similarity(old_texts[i], new_texts[j]), threshold=0.0)
        rows: list[_Element] = []
        for i, j in pairs:
            if i is not None and j is not None and len(_cells(old_rows[i])) == len(_cells(new_rows[j])):
                for old_tc, new_tc in zip(_cells(old_rows[i]), _cells(new_rows[j]), strict=True):
                    self._container(old_tc, new_tc, cell=True)
                rows.append(new_rows[j])
                continue
            if i is not None:
                rows.append(self._whole_row(copy.deepcopy(old_rows[i]), "w:del"))
            if j is not None:
                rows.append(self._whole_row(new_rows[j], "w:ins"))
        for row in new_rows:
            new.remove(row)
        new.extend(rows)
        return [new]

    def _whole_row(self, row: _Element, tag: str) -> _Element:
        """A row on one side only (``row`` is NEW's, or a copy of OLD's): tracked in ``w:trPr``, its content too."""
        for tc in _cells(row):
            blocks = _blocks(tc)
            if tag == "w:del":
                merged = self._merge_pairs(blocks, [], [(k, None) for k in range(len(blocks))], cell=True)
            else:
                merged = self._merge_pairs([], blocks, [(None, k) for k in range(len(blocks))], cell=True)
            for block in blocks:
                tc.remove(block)
            tc.extend(merged)
        trpr = row.find(qn("w:trPr"))
        if trpr is None:
            trpr = OxmlElement("w:trPr")
            before = row.find(qn("w:tblPrEx"))
            if before is not None:
                before.addnext(trpr)
            else:
                row.insert(0, trpr)
        trpr.append(self.revisions.make(tag))
        return row

    # --- numbering and links -----------------------------------------------------------------------------

    def _learn_numbering(self, old: list[_Element], new: list[_Element], pairs: list[Pair]) -> None:
        """OLD's list ids → NEW's, learnt from paragraphs both have, so a deleted item stays in its list."""
        for i, j in pairs:
            if i is None or j is None:
                continue
            old_id, new_id = _num_id(old[i]), _num_id(new[j])
            if old_id is not None and new_id is not None:
                self.num_map.setdefault(old_id, new_id)

    def _renumber(self, paragraph: _Element) -> None:
        ppr = paragraph.find(qn("w:pPr"))
        if ppr is not None:
            self._renumber_ppr(ppr)

    def _renumber_ppr(self, ppr: _Element) -> None:
        num_id = ppr.find(f"{qn('w:numPr')}/{qn('w:numId')}")
        if num_id is None:
            return
        old_id = num_id.get(qn("w:val"))
        if old_id not in self.num_map:  # a list that exists only in OLD: copy its definition over
            self.num_map[old_id] = self._copy_num(old_id)
        num_id.set(qn("w:val"), self.num_map[old_id])

    def _copy_num(self, old_id: str) -> str:
        source = self.old_numbering.find(f"{qn('w:num')}[@{qn('w:numId')}='{old_id}']")
        ids = [int(n.get(qn("w:numId"))) for n in self.new_numbering.findall(qn("w:num"))]
        new_id = str(max(ids, default=0) + 1)
        if source is not None:
            num = copy.deepcopy(source)
            num.set(qn("w:numId"), new_id)
            last = self.new_numbering.findall(qn("w:num"))
            (last[-1].addnext if last else self.new_numbering.append)(num)
        return new_id

    def _old_href(self, r_id: str) -> str | None:
        return _href(self.old.part, r_id)

    def _new_href(self, r_id: str) -> str | None:
        return _href(self.new.part, r_id)

    def _rel_id(self, href: str) -> str:
        rel_id: str = self.new.part.relate_to(href, RT.HYPERLINK, is_external=True)
        return rel_id

    def _text(self, element: _Element, href_of: Callable[[str], str | None]) -> str:
        return "\n".join(text_of(pieces(p, href_of)) for p in element.iter(P))


def _blocks(container: _Element) -> list[_Element]:
    return [c for c in container if c.tag in (P, TBL)]


def _cells(row: _Element) -> list[_Element]:
    return list(row.findall(TC))


def _columns(table: _Element) -> int:
    return len(table.findall(f"{qn('w:tblGrid')}/{qn('w:gridCol')}"))


def _style(element: _Element) -> str:
    style = element.find(f"{qn('w:pPr')}/{qn('w:pStyle')}")
    return "" if style is None else str(style.get(qn("w:val")))


def _num_id(paragraph: _Element) -> str | None:
    num_id = paragraph.find(f"{qn('w:pPr')}/{qn('w:numPr')}/{qn('w:numId')}")
    return None if num_id is None else str(num_id.get(qn("w:val")))


def _href(part: Any, r_id: str) -> str | None:
    rel = part.rels.get(r_id) if r_id else None
    return None if rel is None or not rel.is_external else str(rel.target_ref)

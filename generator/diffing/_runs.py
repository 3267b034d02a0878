"""One paragraph of the redline: OLD's and NEW's runs merged into runs inside ``w:ins`` / ``w:del``.

A paragraph is cut into pieces (word tokens of ``w:t``, tabs, breaks), each remembering its run properties
and the target of the hyperlink around it. The pieces are diffed on text and link target only; the result is
rebuilt into as few runs as possible: unchanged words keep NEW's formatting (with ``w:rPrChange`` holding OLD's
when it differs, so "reject" restores it), deleted words get OLD's formatting and ``w:delText``.
Whole paragraphs that exist on one side only also get their paragraph mark tracked (``w:pPr/w:rPr/w:ins`` or
``w:del``): that is what makes Word remove the empty paragraph when the change is accepted or rejected.

Paragraph content other than runs and hyperlinks (bookmarks, fields as ``w:fldSimple``) is not carried over;
the DOCX writer puts none in the body.
"""

from __future__ import annotations

import copy
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from itertools import groupby
from typing import Any

from docx.oxml import OxmlElement
from docx.oxml.ns import qn

from generator.diffing._words import is_filler, opcodes, tokens

_Element = Any  # lxml elements (python-docx's oxml classes are lxml subclasses without type stubs)
XML_SPACE = "{http://www.w3.org/XML/1998/namespace}space"
# Children of w:pPr that are not paragraph formatting proper: the mark's run properties and revision data.
_NOT_FORMATTING = (qn("w:rPr"), qn("w:sectPr"), qn("w:pPrChange"))

Canon = tuple[Any, ...]


def canon(element: _Element | None) -> Canon:
    """An element as nested tuples: equal for equal XML, whatever namespace declarations are in scope
    (a serialised copy of an element carries different ``xmlns`` attributes than the original)."""
    if element is None:
        return ()
    children = tuple(canon(c) for c in element)
    return (element.tag, tuple(sorted(element.attrib.items())), element.text or "", children)


class Revisions:
    """Makes revision elements with one author and date and ids counted up from ``start`` (deterministic).

    ``date`` None leaves ``w:date`` out (it is optional): a revision without a known date gets none invented.
    """

    def __init__(self, author: str, date: str | None, start: int) -> None:
        self.author = author
        self.date = date
        self.next_id = start

    def make(self, tag: str) -> _Element:
        element = OxmlElement(tag)
        element.set(qn("w:id"), str(self.next_id))
        element.set(qn("w:author"), self.author)
        if self.date is not None:
            element.set(qn("w:date"), self.date)
        self.next_id += 1
        return element


@dataclass(frozen=True, slots=True)
class Piece:
    """A word, space, tab or break of a paragraph with its formatting (``rpr``) and link target (``href``)."""

    kind: str  # "t" text, "x" any other run content (tab, break …) kept as an element
    text: str
    rpr: _Element | None
    href: str | None
    element: _Element | None = None

    @property
    def key(self) -> tuple[str, str, str | None]:
        """What must be equal for the piece to count as unchanged: its words and where it links to."""
        return (self.kind, self.text, self.href)

    @property
    def fmt(self) -> Canon:
        return canon(self.rpr)


def pieces(paragraph: _Element | None, href_of: Callable[[str], str | None]) -> list[Piece]:
    """The pieces of ``paragraph`` in order (none for None). ``href_of`` maps a relationship id to its URL."""
    out: list[Piece] = []
    if paragraph is None:
        return out
    for child in paragraph:
        if child.tag == qn("w:r"):
            out.extend(_run_pieces(child, None))
        elif child.tag == qn("w:hyperlink"):
            anchor = child.get(qn("w:anchor"))  # a link inside the document: kept as "#name"
            href = f"#{anchor}" if anchor else href_of(child.get(qn("r:id"), ""))
            for run in child.iter(qn("w:r")):
                out.extend(_run_pieces(run, href))
    return out


def _run_pieces(run: _Element, href: str | None) -> Iterator[Piece]:
    rpr = run.find(qn("w:rPr"))
    for child in run:
        if child.tag == qn("w:rPr"):
            continue
        if child.tag == qn("w:t"):
            for token in tokens(child.text or ""):
                yield Piece("t", token, rpr, href)
        else:  # w:tab, w:br, w:fldChar …: compared by their XML, copied as they are
            yield Piece("x", repr(canon(child)), rpr, href, child)


def text_of(items: list[Piece]) -> str:
    """The paragraph's text as python-docx reads it (tabs and breaks as characters), for aligning paragraphs."""
    special = {qn("w:tab"): "\t", qn("w:br"): "\n", qn("w:cr"): "\n"}
    return "".join(p.text if p.kind == "t" else special.get(getattr(p.element, "tag", ""), "") for p in items)


def merge_runs(
    old: list[Piece], new: list[Piece], revisions: Revisions, rel_id: Callable[[str], str]
) -> tuple[list[_Element], bool]:
    """Run-level content of the merged paragraph, and whether anything changed.

    ``rel_id`` gives the relationship id (in NEW's part) of a link target, adding it when OLD's link is new.
    """
    filler = [p.kind == "t" and is_filler(p.text) for p in old]
    marked: list[tuple[str, Piece, _Element | None]] = []  # (status "=" "-" "+", piece, OLD's rPr if it differs)
    changed = False
    for tag, i1, i2, j1, j2 in opcodes([p.key for p in old], [p.key for p in new], filler):
        if tag == "equal":
            for o, n in zip(old[i1:i2], new[j1:j2], strict=True):
                differs = o.fmt != n.fmt
                changed = changed or differs
                was = (o.rpr if o.rpr is not None else OxmlElement("w:rPr")) if differs else None
                marked.append(("=", n, was))
            continue
        changed = True
        marked.extend(("-", o, None) for o in old[i1:i2])
        marked.extend(("+", n, None) for n in new[j1:j2])
    elements: list[_Element] = []
    for href, by_link in groupby(marked, key=lambda m: m[1].href):
        parent: list[_Element] = []
        for status, by_status in groupby(by_link, key=lambda m: m[0]):
            runs = [
                _run(list(group), status == "-", revisions)
                for _, group in groupby(by_status, key=lambda m: (m[1].fmt, _fmt(m[2])))
            ]
            if status == "=":
                parent.extend(runs)
            else:
                wrapper = revisions.make("w:del" if status == "-" else "w:ins")
                wrapper.extend(runs)
                parent.append(wrapper)
        if href is None:
            elements.extend(parent)
        else:
            link = OxmlElement("w:hyperlink")
            if href.startswith("#"):
                link.set(qn("w:anchor"), href[1:])
            else:
                link.set(qn("r:id"), rel_id(href))
            link.extend(parent)
            elements.append(link)
    return elements, changed


def _fmt(rpr: _Element | None) -> Canon:
    return canon(rpr)


def _run(group: list[tuple[str, Piece, _Element | None]], deleted: bool, revisions: Revisions) -> _Element:
    """One ``w:r`` for pieces of one formatting; deleted text goes into ``w:delText``."""
    first, old_rpr = group[0][1], group[0][2]
    run = OxmlElement("w:r")
    if first.rpr is not None or old_rpr is not None:
        rpr = copy.deepcopy(first.rpr) if first.rpr is not None else OxmlElement("w:rPr")
        if old_rpr is not None:
            change = revisions.make("w:rPrChange")
            old = _sub(change, "w:rPr")
            old.extend(copy.deepcopy(c) for c in old_rpr if c.tag != qn("w:rPrChange"))
            rpr.append(change)
        run.append(rpr)
    text_tag = "w:delText" if deleted else "w:t"
    for is_text, items in groupby((m[1] for m in group), key=lambda p: p.kind == "t"):
        if is_text:
            node = _sub(run, text_tag)
            node.text = "".join(p.text for p in items)
            node.set(XML_SPACE, "preserve")
        else:
            run.extend(copy.deepcopy(p.element) for p in items)
    return run


def mark_paragraph(paragraph: _Element, tag: str, revisions: Revisions) -> None:
    """Track the paragraph mark itself as inserted (``w:ins``) or deleted (``w:del``)."""
    ppr = paragraph_properties(paragraph)
    rpr = ppr.find(qn("w:rPr"))
    if rpr is None:
        rpr = OxmlElement("w:rPr")
        after = [c for c in ppr if c.tag in (qn("w:sectPr"), qn("w:pPrChange"))]
        if after:
            after[0].addprevious(rpr)
        else:
            ppr.append(rpr)
    rpr.insert(0, revisions.make(tag))


def paragraph_properties(paragraph: _Element) -> _Element:
    ppr = paragraph.find(qn("w:pPr"))
    if ppr is None:
        ppr = OxmlElement("w:pPr")
        paragraph.insert(0, ppr)
    return ppr


def formatting(ppr: _Element | None) -> list[Canon]:
    """The paragraph formatting of ``ppr`` for comparison (without the mark's rPr and revision data)."""
    if ppr is None:
        return []
    return [canon(c) for c in ppr if c.tag not in _NOT_FORMATTING]


def track_formatting(new_ppr: _Element, old_ppr: _Element | None, revisions: Revisions) -> None:
    """Record OLD's paragraph formatting in ``w:pPrChange`` (the last child of ``w:pPr``)."""
    change = revisions.make("w:pPrChange")
    old = _sub(change, "w:pPr")
    if old_ppr is not None:
        old.extend(copy.deepcopy(c) for c in old_ppr if c.tag not in _NOT_FORMATTING)
    new_ppr.append(change)


def _sub(parent: _Element, tag: str) -> _Element:
    element = OxmlElement(tag)
    parent.append(element)
    return element

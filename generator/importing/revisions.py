"""Tracked changes and comments in an edited Word file: never taken or dropped silently.

A document with pending revisions is refused unless the clerk chooses: accept them all (``--accepteer``) or
reject them all (``--verwerp``); this module does either on the XML, as Word's "Alle wijzigingen accepteren" /
"weigeren" would: inserted text kept or removed, deleted text removed or restored (``w:delText`` back to
``w:t``), moved text in its new or old place, a tracked paragraph mark merging its paragraph into the next,
and tracked formatting (``w:rPrChange``, ``w:pPrChange`` …) kept or set back to what it was. Comments are
listed (author, the section they sit in, their text); they never reach the data.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from typing import Any

from docx.opc.constants import RELATIONSHIP_TYPE as RT
from docx.oxml.ns import qn
from lxml import etree

from generator.importing.reader import story_element

__all__ = ["Comment", "accept_all", "comments", "pending", "reject_all"]

_INSERTED = ("w:ins", "w:moveTo")
_DELETED = ("w:del", "w:moveFrom")
_PROPERTY_CHANGES = ("w:rPrChange", "w:pPrChange", "w:sectPrChange", "w:tblPrChange", "w:trPrChange",
                     "w:tcPrChange", "w:tblGridChange", "w:tblPrExChange", "w:numberingChange")  # fmt: skip
_RANGE_MARKS = ("w:moveFromRangeStart", "w:moveFromRangeEnd", "w:moveToRangeStart", "w:moveToRangeEnd",
                "w:customXmlInsRangeStart", "w:customXmlInsRangeEnd", "w:customXmlDelRangeStart",
                "w:customXmlDelRangeEnd")  # fmt: skip
_ALL = (*_INSERTED, *_DELETED, *_PROPERTY_CHANGES, "w:cellIns", "w:cellDel")


def _roots(document: Any) -> list[Any]:
    """The XML of every story a revision can sit in: the body, footnotes, endnotes, headers and footers."""
    roots = [document.element]
    for rel in document.part.rels.values():
        if rel.is_external:
            continue
        if rel.reltype in (RT.FOOTNOTES, RT.ENDNOTES, RT.HEADER, RT.FOOTER, RT.COMMENTS):
            roots.append(story_element(rel.target_part))
    return roots


_NS = {"w": "http://schemas.openxmlformats.org/wordprocessingml/2006/main"}


def _find(roots: Iterable[Any], tags: Iterable[str]) -> list[Any]:
    path = " | ".join(f".//{t}" for t in tags)
    # lxml's own xpath with the namespace given: python-docx's elements and plainly parsed parts alike
    return [e for root in roots for e in etree._Element.xpath(root, path, namespaces=_NS)]


def pending(document: Any) -> int:
    """How many tracked changes the document still holds."""
    return len(_find(_roots(document), _ALL))


def accept_all(document: Any) -> None:
    _resolve(document, keep=_INSERTED, drop=_DELETED, mark_merges="w:del")


def reject_all(document: Any) -> None:
    _resolve(document, keep=_DELETED, drop=_INSERTED, mark_merges="w:ins")
    for element in _find(_roots(document), ("w:delText", "w:delInstrText")):
        element.tag = qn("w:t") if element.tag == qn("w:delText") else qn("w:instrText")


def _resolve(document: Any, *, keep: tuple[str, ...], drop: tuple[str, ...], mark_merges: str) -> None:
    roots = _roots(document)
    accepting = keep == _INSERTED
    # A tracked paragraph mark (w:pPr/w:rPr/w:ins or w:del) first: the paragraph joins the next one.
    for mark in _find(roots, (f"w:pPr/w:rPr/{mark_merges}",)):
        paragraph = mark.getparent().getparent().getparent()
        _merge_into_next(paragraph)
    for mark in _find(roots, ("w:pPr/w:rPr/w:ins", "w:pPr/w:rPr/w:del", "w:trPr/w:ins", "w:trPr/w:del")):
        row_change = mark.getparent().tag == qn("w:trPr")
        if row_change and mark.tag == qn(drop[0]):
            row = mark.getparent().getparent()
            row.getparent().remove(row)
        else:
            mark.getparent().remove(mark)
    for element in _find(roots, drop):
        parent = element.getparent()
        if parent is not None:
            parent.remove(element)
    for element in _find(roots, keep):
        _unwrap(element)
    for element in _find(roots, ("w:cellIns", "w:cellDel")):
        element.getparent().remove(element)
    for change in _find(roots, _PROPERTY_CHANGES):
        parent = change.getparent()
        if accepting:
            parent.remove(change)
        else:  # the properties as they were: the change element holds them
            old = change[0] if len(change) else None
            for child in list(parent):
                if child is not change and child.tag not in (qn("w:rPr"), qn("w:sectPr")):
                    parent.remove(child)
            parent.remove(change)
            if old is not None:
                for child in list(old):
                    parent.append(child)
    for element in _find(roots, _RANGE_MARKS):
        element.getparent().remove(element)


def _unwrap(element: Any) -> None:
    parent = element.getparent()
    if parent is None:
        return
    index = parent.index(element)
    for offset, child in enumerate(list(element)):
        parent.insert(index + offset, child)
    parent.remove(element)


def _merge_into_next(paragraph: Any) -> None:
    """Word's rule for a removed paragraph mark: what is left of the paragraph continues the next paragraph."""
    following = paragraph.getnext()
    while following is not None and following.tag != qn("w:p"):
        if following.tag == qn("w:tbl"):
            following = None
            break
        following = following.getnext()
    content = [c for c in paragraph if c.tag != qn("w:pPr")]
    parent = paragraph.getparent()
    if following is None:
        return  # the last paragraph of its story keeps its mark
    ppr = following.find(qn("w:pPr"))
    at = 0 if ppr is None else 1
    for offset, child in enumerate(content):
        following.insert(at + offset, child)
    parent.remove(paragraph)


@dataclass(frozen=True, slots=True)
class Comment:
    """A comment in the document: who wrote it, the section it sits in, and its text."""

    author: str
    section: str
    text: str


def comments(document: Any, section_of: Any) -> list[Comment]:
    """Every comment, with the section its range starts in (``section_of`` maps a body paragraph to a name)."""
    texts: dict[str, tuple[str, str]] = {}
    for rel in document.part.rels.values():
        if rel.reltype == RT.COMMENTS and not rel.is_external:
            for comment in story_element(rel.target_part).iter(qn("w:comment")):
                text = " ".join("".join(t.text or "" for t in p.iter(qn("w:t"))) for p in comment.iter(qn("w:p")))
                texts[comment.get(qn("w:id"))] = (comment.get(qn("w:author")) or "onbekend", text.strip())
    found: list[Comment] = []
    for start in document.element.body.iter(qn("w:commentRangeStart"), qn("w:commentReference")):
        ident = start.get(qn("w:id"))
        if ident in texts:
            author, text = texts.pop(ident)
            paragraph = next((a for a in start.iterancestors(qn("w:p"))), None)
            found.append(Comment(author, section_of(paragraph), text))
    found.extend(Comment(author, "", text) for author, text in texts.values())
    return found

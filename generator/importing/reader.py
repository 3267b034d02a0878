"""A Word body → the IR blocks of each marked field, whatever Word or LibreOffice did to the runs.

The writer's bookmarks (:mod:`generator.writers.docx._markers`) say where each field starts; a field runs until
the next mark, so a paragraph added after a field's last one belongs to that field. Inside a field the XML is
read for what a reader sees, not for how it is cut up: runs split or merged, rsids, proofing marks, smart tags,
content controls and field codes make no difference; bold and italic, lists (Word's numbering: kind, level,
start), sub-headings (heading styles), tables (cells, alignment), footnotes, hyperlinks and line breaks do.
"""

from __future__ import annotations

import json
from collections.abc import Iterator
from dataclasses import dataclass, field
from typing import Any

from docx.opc.constants import RELATIONSHIP_TYPE as RT
from docx.oxml.ns import qn
from lxml import etree

from generator.document.nodes import (
    Block,
    BulletList,
    Cell,
    Footnote,
    Inline,
    LineBreak,
    Link,
    NumberedList,
    Paragraph,
    SubHeading,
    Table,
    Text,
)
from generator.writers.docx._markers import NAMESPACE, PREFIX, PROPERTY

__all__ = ["Marked", "Meta", "Reader", "read_meta"]

Path = tuple[str | int, ...]
_OFF = ("0", "false", "off", "none")


@dataclass(frozen=True)
class Meta:
    """What the custom XML part says: the document, its sources, and every bookmark's key path and role."""

    dossier: str
    gemeente: str
    kind: str
    source_hash: str
    files: tuple[tuple[str, str], ...]
    marks: dict[str, tuple[Path, str]]


def read_meta(document: Any) -> Meta | None:
    """The description of a DOCX this tool wrote (its custom XML part, or the same text kept as a custom
    document property after a round trip through ODT), or None for a document from elsewhere."""
    for blob in _descriptions(document):
        parser = etree.XMLParser(resolve_entities=False, no_network=True)
        try:
            root = etree.fromstring(blob, parser)
        except etree.XMLSyntaxError:
            continue
        ns = f"{{{NAMESPACE}}}"
        if root.tag != f"{ns}raadsvoorstel":
            continue
        files = tuple((f.get("naam", ""), f.get("object", "")) for f in root.iter(f"{ns}bestand"))
        marks: dict[str, tuple[Path, str]] = {}
        for mark in root.iter(f"{ns}markering"):
            path = json.loads(mark.get("pad", "[]"))
            if isinstance(path, list) and all(isinstance(p, str | int) for p in path):
                marks[mark.get("naam", "")] = (tuple(path), mark.get("rol", ""))
        return Meta(root.get("dossier", ""), root.get("gemeente", ""), root.get("soort", ""), root.get("bron", ""),
                    files, marks)  # fmt: skip
    return None


def _descriptions(document: Any) -> Iterator[bytes]:
    for rel in document.part.rels.values():
        if not rel.is_external and rel.reltype == RT.CUSTOM_XML and NAMESPACE.encode() in rel.target_part.blob:
            yield rel.target_part.blob
    for rel in document.part.package.rels.values():
        if not rel.is_external and rel.reltype == RT.CUSTOM_PROPERTIES:
            root = etree.fromstring(rel.target_part.blob, etree.XMLParser(resolve_entities=False, no_network=True))
            for prop in root:
                if prop.get("name") == PROPERTY and len(prop):
                    yield (prop[0].text or "").encode("utf-8")


@dataclass
class Marked:
    """One field of the document: its key path, its role and the body elements (paragraphs, tables) it holds."""

    path: Path
    role: str
    elements: list[Any] = field(default_factory=list)


def _local(element: Any) -> str:
    tag = element.tag
    return tag.rsplit("}", 1)[-1] if isinstance(tag, str) else ""


def fields(document: Any, meta: Meta) -> list[Marked]:
    """The marked fields of the body, in order. Elements before the first mark (sender, title) and after the
    signature's mark belong to no field; a layout table holding marks (the title block) gives one field per
    marked cell paragraph."""
    out: list[Marked] = []
    current: Marked | None = None
    for element in _body_blocks(document.element.body):
        names = [n for n in _mark_names(element) if n in meta.marks]
        inside = _local(element) == "tbl" and any(
            str(s.get(qn("w:name"))) in meta.marks for s in element.iter(qn("w:bookmarkStart"))
        )
        if inside:
            for paragraph in element.iter(qn("w:p")):
                inner = [n for n in _mark_names(paragraph) if n in meta.marks]
                if inner:
                    path, role = meta.marks[inner[-1]]
                    out.append(Marked(path, role, [paragraph]))
            current = None
            continue
        if names:
            path, role = meta.marks[names[-1]]
            if role == "ondertekening":  # the signature block: the text of the proposal ends here
                break
            if current is None or (current.path, current.role) != (path, role):
                current = Marked(path, role)
                out.append(current)
        if current is not None:
            current.elements.append(element)
    return out


def signature_text(document: Any, meta: Meta) -> str | None:
    """The words of the signature block as Word shows them now (everything from its mark on), for the one check
    import makes of it: its names and titles come from the registry and are not read back."""
    words: list[str] = []
    seen = False
    for element in _body_blocks(document.element.body):
        names = [n for n in _mark_names(element) if n in meta.marks]
        if names and meta.marks[names[-1]][1] == "ondertekening":
            seen = True
        if seen:
            words.extend(t.text or "" for t in element.iter(qn("w:t")))
    return " ".join("".join(words).split()) if seen else None


def _body_blocks(body: Any) -> Iterator[Any]:
    """Paragraphs and tables of the body in order; content controls and custom XML wrappers are looked into,
    and a bookmark start standing between paragraphs is handed on with the element that follows it."""
    pending: list[Any] = []
    for child in body:
        name = _local(child)
        if name in ("sdt", "customXml"):
            content = child.find(qn("w:sdtContent")) if name == "sdt" else child
            if content is not None:
                yield from _body_blocks(content)
        elif name in ("p", "tbl"):
            yield _Wrapped(child, pending) if pending else child
            pending = []
        elif name == "bookmarkStart":
            pending.append(child)


class _Wrapped:
    """A body element with the bookmark starts that stood just before it (read as if inside it)."""

    def __init__(self, element: Any, starts: list[Any]) -> None:
        self.element = element
        self.starts = starts
        self.tag = element.tag

    def iter(self, *tags: Any) -> Iterator[Any]:
        return self.element.iter(*tags)  # type: ignore[no-any-return]


def unwrap(element: Any) -> Any:
    return element.element if isinstance(element, _Wrapped) else element


def _mark_names(element: Any) -> list[str]:
    starts = list(element.starts) if isinstance(element, _Wrapped) else []
    target = unwrap(element)
    if _local(target) == "p":
        starts.extend(target.iter(qn("w:bookmarkStart")))
    else:  # a table: only bookmarks before it count, not those of the cells (the title block handles those)
        pass
    return [str(s.get(qn("w:name"))) for s in starts if str(s.get(qn("w:name"), "")).startswith(PREFIX)]


# --- XML → IR ------------------------------------------------------------------------------------------


@dataclass
class _Item:
    blocks: list[Any]


@dataclass
class _List:
    level: int
    ordered: bool
    num_id: str
    start: int
    items: list[_Item] = field(default_factory=list)


class Reader:
    """Reads paragraphs and tables of one document into IR blocks (numbering, links and notes resolved)."""

    def __init__(self, document: Any) -> None:
        self.document = document
        self._rels = document.part.rels
        self._notes: dict[str, Any] = {}
        for rel in self._rels.values():
            if rel.reltype == RT.FOOTNOTES and not rel.is_external:
                for note in story_element(rel.target_part).iter(qn("w:footnote")):
                    self._notes[str(note.get(qn("w:id")))] = note
        self._numbering = self._read_numbering()
        self._styles = self._read_styles()

    # -- numbering and styles

    def _read_numbering(self) -> dict[tuple[str, int], tuple[bool, int]]:
        """(numId, level) → (ordered, start). Also fills ``self._abstract`` (numId → abstractNumId) and
        ``self._restarts`` (the (numId, level) pairs that restart their count): Word continues counting
        across two numIds of one abstract list unless the second restarts, and LibreOffice writes lists so."""
        out: dict[tuple[str, int], tuple[bool, int]] = {}
        self._abstract: dict[str, str] = {}
        self._restarts: set[tuple[str, int]] = set()
        try:
            root = self.document.part.numbering_part.element
        except (KeyError, NotImplementedError, AttributeError):
            return out
        abstracts: dict[str, dict[int, tuple[bool, int]]] = {}
        for abstract in root.iter(qn("w:abstractNum")):
            levels: dict[int, tuple[bool, int]] = {}
            for lvl in abstract.iter(qn("w:lvl")):
                fmt = lvl.find(qn("w:numFmt"))
                start = lvl.find(qn("w:start"))
                ordered = fmt is None or fmt.get(qn("w:val")) not in ("bullet", "none")
                levels[int(lvl.get(qn("w:ilvl"), "0"))] = (ordered, _int(start, 1))
            abstracts[str(abstract.get(qn("w:abstractNumId")))] = levels
        for num in root.iter(qn("w:num")):
            ref = num.find(qn("w:abstractNumId"))
            abstract_id = str(ref.get(qn("w:val"))) if ref is not None else ""
            self._abstract[str(num.get(qn("w:numId")))] = abstract_id
            levels = dict(abstracts.get(abstract_id, {}))
            for override in num.iter(qn("w:lvlOverride")):
                level = int(override.get(qn("w:ilvl"), "0"))
                start = override.find(qn("w:startOverride"))
                if start is not None and level in levels:
                    levels[level] = (levels[level][0], _int(start, 1))
                    self._restarts.add((str(num.get(qn("w:numId"))), level))
            for level, value in levels.items():
                out[(str(num.get(qn("w:numId"))), level)] = value
        return out

    def _read_styles(self) -> dict[str, tuple[str, tuple[str, int] | None]]:
        """styleId → (lower-case name, numbering from the style or None)."""
        out: dict[str, tuple[str, tuple[str, int] | None]] = {}
        for style in self.document.styles.element.iter(qn("w:style")):
            name = style.find(qn("w:name"))
            numpr = style.find(f"{qn('w:pPr')}/{qn('w:numPr')}")
            num = None
            if numpr is not None:
                num_id = numpr.find(qn("w:numId"))
                if num_id is not None:
                    num = (str(num_id.get(qn("w:val"))), _int(numpr.find(qn("w:ilvl")), 0))
            out[str(style.get(qn("w:styleId")))] = (str(name.get(qn("w:val")) if name is not None else "").lower(), num)
        return out

    def style_name(self, paragraph: Any) -> str:
        ps = paragraph.find(f"{qn('w:pPr')}/{qn('w:pStyle')}")
        style_id = str(ps.get(qn("w:val"))) if ps is not None else ""
        return self._styles.get(style_id, (style_id.lower(), None))[0]

    def list_place(self, paragraph: Any) -> tuple[str, int] | None:
        """(numId, level) of a numbered paragraph, or None (numId 0 switches numbering off)."""
        numpr = paragraph.find(f"{qn('w:pPr')}/{qn('w:numPr')}")
        if numpr is not None:
            num_id = numpr.find(qn("w:numId"))
            if num_id is not None:
                value = str(num_id.get(qn("w:val")))
                return None if value == "0" else (value, _int(numpr.find(qn("w:ilvl")), 0))
        ps = paragraph.find(f"{qn('w:pPr')}/{qn('w:pStyle')}")
        if ps is not None:
            return self._styles.get(str(ps.get(qn("w:val"))), ("", None))[1]
        return None

    def is_heading(self, paragraph: Any) -> bool:
        name = self.style_name(paragraph)
        if name.startswith(("heading", "kop")) or name == "title":
            return True
        outline = paragraph.find(f"{qn('w:pPr')}/{qn('w:outlineLvl')}")
        return outline is not None and _int(outline, 9) < 9

    # -- blocks

    def blocks(self, elements: list[Any]) -> tuple[Block, ...]:
        """The IR blocks of a field's body elements (empty paragraphs, as Word users type them, are skipped)."""
        out: list[Any] = []
        stack: list[_List] = []
        for wrapped in elements:
            element = unwrap(wrapped)
            if _local(element) == "tbl":
                stack = []
                out.append(self.table(element))
                continue
            inlines = self.inlines(element)
            place = self.list_place(element)
            if place is not None and place[0] in {n for n, _ in self._numbering}:
                stack = self._list_item(out, stack, place, inlines)
                continue
            if not _visible(inlines):
                continue
            if self.is_heading(element):  # the writer sets a sub-heading's runs italic; the text has no marks
                stack = []
                out.append(SubHeading(tuple(Text(i.text, i.bold) if isinstance(i, Text) else i for i in inlines)))
            elif stack and self.style_name(element) == "list paragraph":
                stack[-1].items[-1].blocks.append(Paragraph(inlines))  # a further paragraph of the item
            else:
                stack = []
                out.append(Paragraph(inlines))
        return tuple(_freeze(b) for b in out)

    def _list_item(self, out: list[Any], stack: list[_List], place: tuple[str, int], inlines: tuple[Inline, ...]
                   ) -> list[_List]:  # fmt: skip
        num_id, level = place
        ordered, start = self._numbering.get(place, (True, 1))
        while stack and (
            stack[-1].level > level or (stack[-1].level == level and not self._continues(stack[-1], place))
        ):
            stack.pop()
        if not stack or stack[-1].level < level:
            new = _List(level, ordered, num_id, start)
            if stack and stack[-1].items:
                stack[-1].items[-1].blocks.append(new)
            else:
                out.append(new)
            stack.append(new)
        stack[-1].items.append(_Item([Paragraph(inlines)] if _visible(inlines) else []))
        return stack

    def _continues(self, current: _List, place: tuple[str, int]) -> bool:
        """Whether a numbered paragraph at ``place`` continues the list ``current`` of the same level."""
        num_id, _ = place
        if num_id == current.num_id:
            return True
        same = self._abstract.get(num_id) == self._abstract.get(current.num_id) is not None
        return same and place not in self._restarts

    def table(self, element: Any) -> Table:
        rows: list[tuple[Cell, ...]] = []
        aligns: list[list[str]] = []
        for tr in element.iter(qn("w:tr")):
            if tr.getparent() is not element:
                continue
            cells: list[Cell] = []
            row_align: list[str] = []
            for tc in tr.iter(qn("w:tc")):
                if tc.getparent() is not tr:
                    continue
                inlines: list[Inline] = []
                jc = "left"
                for n, p in enumerate(tc.iter(qn("w:p"))):
                    if n:
                        inlines.append(LineBreak())
                    inlines.extend(self.inlines(p))
                    found = p.find(f"{qn('w:pPr')}/{qn('w:jc')}")
                    if found is not None:
                        jc = {"right": "right", "end": "right", "center": "center"}.get(str(found.get(qn("w:val"))), jc)
                cells.append(tuple(_merge(inlines)))
                row_align.append(jc)
            rows.append(tuple(cells))
            aligns.append(row_align)
        header, body = (rows[0], rows[1:]) if rows else ((), [])
        # the writer sets the header row bold; the text's header cells carry no marks of their own
        header = tuple(tuple(Text(i.text, False, i.italic) if isinstance(i, Text) else i for i in c) for c in header)
        width = len(header)
        source = aligns[1] if len(aligns) > 1 else (aligns[0] if aligns else [])
        align = tuple(source[c] if c < len(source) else "left" for c in range(width))
        return Table(header, tuple(body), align)

    # -- inlines

    def inlines(self, paragraph: Any) -> tuple[Inline, ...]:
        out: list[Inline] = []
        self._walk(paragraph, out, in_field=[False])
        return tuple(_merge(out))

    def _walk(self, element: Any, out: list[Inline], in_field: list[bool]) -> None:
        for child in element:
            name = _local(child)
            if name == "r":
                self._run(child, out, in_field)
            elif name == "hyperlink":
                text = "".join(t.text for t in self._texts(child))
                rid = child.get(qn("r:id"))
                rel = self._rels.get(rid) if rid else None
                href = rel.target_ref if rel is not None and rel.is_external else None
                if href and href.lower().startswith(("https:", "mailto:")):
                    out.append(Link(text, href))
                else:
                    self._walk(child, out, in_field)
            elif name in ("smartTag", "customXml", "ins", "moveTo", "fldSimple", "sdt", "sdtContent", "dir", "bdo"):
                self._walk(child, out, in_field)
            # pPr, bookmarks, proofErr, permStart, del, moveFrom, commentRange…: nothing a reader sees

    def _texts(self, element: Any) -> list[Text]:
        found: list[Inline] = []
        for run in element.iter(qn("w:r")):
            self._run(run, found, [False])
        return [i for i in found if isinstance(i, Text)]

    def _run(self, run: Any, out: list[Inline], in_field: list[bool]) -> None:
        rpr = run.find(qn("w:rPr"))
        bold = _on(rpr, "w:b")
        italic = _on(rpr, "w:i")
        for child in run:
            name = _local(child)
            if name == "fldChar":
                kind = child.get(qn("w:fldCharType"))
                in_field[0] = kind == "begin"
            elif in_field[0]:
                continue  # the field code; its result (after "separate") is read as text
            elif name == "t":
                out.append(Text(child.text or "", bold, italic))
            elif name == "tab":
                out.append(Text("\t", bold, italic))
            elif name in ("br", "cr") and child.get(qn("w:type")) not in ("page", "column"):
                out.append(LineBreak())
            elif name == "noBreakHyphen":
                out.append(Text("\u2011", bold, italic))
            elif name == "footnoteReference":
                note = self._notes.get(str(child.get(qn("w:id"))))
                out.append(Footnote(0, self._note_inlines(note) if note is not None else ()))

    def _note_inlines(self, note: Any) -> tuple[Text | Link | LineBreak, ...]:
        found: list[Inline] = []
        for n, paragraph in enumerate(note.iter(qn("w:p"))):
            if n:
                found.append(LineBreak())
            found.extend(self.inlines(paragraph))
        kept = [i for i in found if isinstance(i, Text | Link | LineBreak)]
        if kept and isinstance(kept[0], Text):  # the space after the note's own number
            first = kept[0]
            kept[0] = Text(first.text.lstrip(), first.bold, first.italic)
        return tuple(_merge(kept))  # type: ignore[arg-type]


def story_element(part: Any) -> Any:
    """The XML of a part: python-docx's own element, or (for parts it keeps as bytes, such as footnotes) the
    bytes parsed once, without entities, and kept on the part so every reader and change sees the same tree."""
    element = getattr(part, "element", None)
    if element is not None:
        return element
    cached = getattr(part, "_raadsvoorstel_element", None)
    if cached is None:
        from docx.oxml.parser import oxml_parser

        cached = etree.fromstring(part.blob, oxml_parser)
        part._raadsvoorstel_element = cached
    return cached


def _int(element: Any, default: int) -> int:
    if element is None:
        return default
    try:
        return int(str(element.get(qn("w:val"))))
    except ValueError:
        return default


def _on(rpr: Any, tag: str) -> bool:
    if rpr is None:
        return False
    found = rpr.find(qn(tag))
    return found is not None and str(found.get(qn("w:val"), "1")).lower() not in _OFF


def _visible(inlines: tuple[Inline, ...]) -> bool:
    return any(not isinstance(i, Text) or i.text.strip() for i in inlines)


def _merge(inlines: list[Inline]) -> list[Inline]:
    """Adjacent texts of the same formatting as one, empty ones dropped: however Word cut the runs."""
    out: list[Inline] = []
    for item in inlines:
        if isinstance(item, Text):
            if not item.text:
                continue
            prev = out[-1] if out else None
            if isinstance(prev, Text) and (prev.bold, prev.italic) == (item.bold, item.italic):
                out[-1] = Text(prev.text + item.text, prev.bold, prev.italic)
                continue
        out.append(item)
    if out and isinstance(out[-1], Text) and out[-1].text != out[-1].text.rstrip(" "):
        last = out[-1]
        out[-1] = Text(last.text.rstrip(" "), last.bold, last.italic)
        if not out[-1].text:
            out.pop()
    return out


def _freeze(block: Any) -> Block:
    if isinstance(block, _List):
        items = tuple(tuple(_freeze(b) for b in item.blocks) for item in block.items)
        if block.ordered:
            return NumberedList(items, block.start)
        return BulletList(items)
    return block  # type: ignore[no-any-return]

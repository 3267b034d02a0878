"""The PDF's structure tree, built for PDF/UA-1 in place of WeasyPrint 70's own.

Why a replacement and not WeasyPrint's tags: WeasyPrint 70 builds the tree page by page from the layout
boxes (upstream issues #1836, #2903), so every page gets its own ``Part``, a section or paragraph that
crosses a page break becomes two elements, the page margin boxes (running header, "pagina X van Y") are
tagged content hanging outside the tree, and list items lack ``LBody``. A screen reader then reads
"pagina 1 van 6" in the middle of a sentence.

How: WeasyPrint paints each page and records, per text or image box, the marked-content id (MCID) it
wrote into the content stream. :func:`build_structure` runs where WeasyPrint would build its tree
(:func:`install` swaps it in, only for renders inside :func:`repairing`) and

- turns the margin boxes' marked content into ``/Artifact /Pagination`` sequences in the stream, and a text
  box of only white space (it paints no glyph) into an ``/Artifact /Layout``, so nothing read is empty;
- walks the boxes of all pages and keys each structure element by its HTML element, so the pieces that a
  page break cut apart are one element again (content on a later page is referenced with an ``/MCR``);
- maps HTML to standard PDF roles (``header``/``footer`` → ``Div``, ``section`` → ``Sect``, ``p`` → ``P``,
  ``h1``–``h6``, ``table``/``tr``/``th``/``td``, ``ul``/``ol`` → ``L``, ``li`` → ``LI`` with the label as
  ``Lbl`` and everything else in ``LBody``, ``img`` → ``Figure`` with ``/Alt``, ``a`` → ``Link`` with its
  annotation and a ``/Contents``); inline formatting (``strong``, ``em``, ``mark``, ``span``) is text of
  its block. ``aria-label`` on an element becomes its ``/ActualText``: the Global Goals checkbox "■" is
  read as "gekozen"; on inline text (``span``) ``aria-label`` and ``lang`` go on its marked content as
  ``/ActualText`` and ``/Lang``: the open date of an ontwerpbesluit is read "datum nog in te vullen", and
  "Goal 01" is English;
- makes each footnote (``float: footnote``) a ``Note`` with an ``/ID`` (PDF/UA-1 §7.9, Matterhorn 19),
  holding its number as ``Lbl`` and its text, placed in the logical order right after the paragraph (or
  inside the table cell) that refers to it, not at the foot of the page where it is painted; the footnote
  call becomes ``Reference > Link`` with a link annotation to the note, read as "voetnoot 1";
- numbers the MCIDs of each page again in paint order and writes a ParentTree that agrees with the tree.

The templates are written for this: list labels are text at the start of the item's first line (painted in
reading order, unlike CSS markers), the title block is a table with row headers.
"""

from __future__ import annotations

import contextvars
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from typing import Any

import pydyf

from generator.errors import RenderError

__all__ = ["build_structure", "install", "repairing"]

_ACTIVE: contextvars.ContextVar[bool] = contextvars.ContextVar("raadsvoorstel_pdf_tags", default=False)

#: HTML elements whose boxes add no structure element: their content belongs to the nearest ancestor.
_TRANSPARENT = frozenset({"html", "body", "strong", "em", "b", "i", "mark", "span", "br", "small", "sub", "sup"})

_ROLES = {
    "header": "Div",
    "footer": "Div",
    "div": "Div",
    "main": "Part",
    "section": "Sect",
    "article": "Art",
    "p": "P",
    "h1": "H1",
    "h2": "H2",
    "h3": "H3",
    "h4": "H4",
    "h5": "H5",
    "h6": "H6",
    "ul": "L",
    "ol": "L",
    "li": "LI",
    "table": "Table",
    "thead": "THead",
    "tbody": "TBody",
    "tfoot": "TFoot",
    "tr": "TR",
    "th": "TH",
    "td": "TD",
    "img": "Figure",
    "a": "Link",
    "blockquote": "BlockQuote",
    "caption": "Caption",
}

#: CSS px to PDF points (WeasyPrint's page matrix at zoom 1).
_SCALE = 0.75

#: A class that makes an element the label of its list item.
LABEL_CLASS = "lbl"

#: The class of a footnote's element (nodes.html): WeasyPrint floats it to the foot of the page.
NOTE_CLASS = "voetnoot"

#: Roles whose element holds a footnote's Note inside (a table row may hold only cells).
_NOTE_INSIDE = frozenset({"TD", "TH", "LBody", "LI", "Lbl", "Link", "Reference"})


@dataclass(frozen=True, eq=False)
class _Annotation:
    """A link annotation in the tree, and the page it sits on (for its /OBJR)."""

    annotation: Any
    page: int


@dataclass(frozen=True, eq=False)
class _Call:
    """A footnote call: the Link node that holds it, the page and box it is painted in, its note's element."""

    link: _Node
    page: int
    box: Any
    element: Any


@dataclass(eq=False)
class _Node:
    """One structure element before it is written: children are nodes, (page, mcid) pairs or annotations."""

    role: str
    parent: _Node | None
    kids: list[_Node | tuple[int, int] | _Annotation] = field(default_factory=list)
    attributes: dict[str, Any] = field(default_factory=dict)
    page: int | None = None
    texts: list[str] = field(default_factory=list)

    def add_content(self, page: int, mcid: int) -> None:
        self.kids.append((page, mcid))
        if self.page is None:
            self.page = page
        node: _Node | None = self.parent
        while node is not None and node.page is None:
            node.page = page
            node = node.parent

    def has_content(self) -> bool:
        return any(not isinstance(kid, _Node) or kid.has_content() for kid in self.kids)


def _is_note(kid: _Node | tuple[int, int] | _Annotation) -> bool:
    return isinstance(kid, _Node) and kid.role == "Note"


def _classes(element: Any) -> list[str]:
    return str(element.get("class", "")).split()


class _TreeBuilder:
    """Builds the logical tree from the layout boxes of all pages, one node per HTML element."""

    def __init__(self, boxes_module: Any, placeholder: type) -> None:
        self.boxes = boxes_module
        self.placeholder = placeholder
        self.root = _Node("Document", None)
        self.nodes: dict[tuple[Any, str], _Node] = {}
        self.annotations: list[tuple[_Node, Any]] = []  # (link node, annotation)
        self.pagination: dict[int, dict[int, str]] = {}  # page → {mcid: "Header" | "Footer" | "Layout"}
        self.owner: dict[tuple[int, int], _Node] = {}  # (page, old mcid) → element that owns it
        self.spoken: dict[int, dict[int, dict[str, Any]]] = {}  # page → {mcid: /Lang, /ActualText}
        self.said: set[Any] = set()  # elements whose ActualText is written
        self.calls: list[_Call] = []  # footnote calls, in reading order
        self.notes: dict[Any, _Node] = {}  # footnote element → its Note

    # -- roles ------------------------------------------------------------------------------------

    def _role(self, box: Any) -> str | None:
        """The PDF role of the element that ``box`` belongs to, or None when it adds no element."""
        tag = box.element_tag
        element = box.element
        if element is None or tag is None:
            return None
        if "::" in tag:  # generated content: list markers, a label written by CSS, a footnote's call or number
            if tag.endswith("::footnote-call"):
                return "Reference"
            return "Lbl" if tag.endswith(("::marker", "::before", "::footnote-marker")) else None
        if LABEL_CLASS in _classes(element):
            return "Lbl"
        if NOTE_CLASS in _classes(element):
            return "Note"
        if tag in _TRANSPARENT:
            return None
        return _ROLES.get(tag, "Div")

    def _node_for(self, box: Any, parent: _Node) -> _Node:
        role = self._role(box)
        if role is None:
            return parent
        key = (box.element, box.element_tag)
        node = self.nodes.get(key)
        if node is not None:
            return node
        if role == "Lbl":
            item = self._list_item(parent)
            if item.role not in ("LI", "Note"):  # generated text outside a list is text of its element
                return parent
            parent = item
        elif role == "Note":
            return self._note(box, key)
        elif parent.role == "LI":
            parent = self._list_body(parent)
        node = _Node(role, parent)
        self._describe(node, box)
        if role == "Lbl":  # the label comes first in its item or note, before the item's text
            parent.kids.insert(0, node)
        else:
            parent.kids.append(node)
        self.nodes[key] = node
        if role == "Reference":  # the call is a link to its note: Reference > Link holds the number
            link = _Node("Link", node)
            node.kids.append(link)
            self.nodes[key] = link
            return link
        return node

    def _note(self, box: Any, key: tuple[Any, str]) -> _Node:
        """The Note of a footnote, placed where it is read: after the block that calls it (in a cell: inside).

        WeasyPrint paints the note in the page's footnote area, after everything in the flow; the call was
        walked before, so its node says where the note belongs.
        """
        element = box.element
        call = self.nodes.get((element, f"{box.element_tag}::footnote-call"))
        block: _Node = self.root if call is None else call
        while block.role in ("Link", "Reference") and block.parent is not None:
            block = block.parent
        note = _Node("Note", block)
        identifier = element.get("id")
        if identifier:
            note.attributes["ID"] = pydyf.String(identifier)
        if block.role in _NOTE_INSIDE or block.parent is None:
            block.kids.append(note)
        else:  # right after the block, after the notes of earlier calls in that block
            siblings = block.parent.kids
            index = siblings.index(block) + 1
            while index < len(siblings) and _is_note(siblings[index]):
                index += 1
            note.parent = block.parent
            siblings.insert(index, note)
        self.nodes[key] = self.notes[element] = note
        return note

    @staticmethod
    def _list_item(node: _Node) -> _Node:
        """The LI a label belongs to (labels sit inside the item's first paragraph in the HTML)."""
        current: _Node | None = node
        while current is not None and current.role != "LI":
            current = current.parent
        return current if current is not None else node

    def _list_body(self, item: _Node) -> _Node:
        """The item's LBody, made on first use: everything in an LI but its label goes there."""
        for kid in item.kids:
            if isinstance(kid, _Node) and kid.role == "LBody":
                return kid
        body = _Node("LBody", item)
        item.kids.append(body)
        return body

    @staticmethod
    def _describe(node: _Node, box: Any) -> None:
        element = box.element
        label = element.get("aria-label")
        if label and node.role != "Figure":
            node.attributes["ActualText"] = pydyf.String(label)

        if node.role == "Figure":
            node.attributes["Alt"] = pydyf.String(element.get("alt") or label or "")
            x, y = box.content_box_x(), box.content_box_y()
            node.attributes["A"] = pydyf.Dictionary(
                {"O": "/Layout", "BBox": pydyf.Array((x, y, x + box.width, y + box.height))}
            )
        elif node.role == "TH":
            scope = "/Row" if element.get("scope") == "row" else "/Column"
            node.attributes["A"] = pydyf.Dictionary({"O": "/Table", "Scope": scope})
        elif node.role == "L":
            numbering = "/Decimal" if box.element_tag == "ol" else "/None"
            if "opsomming" in _classes(element):
                numbering = "/Disc"
            node.attributes["A"] = pydyf.Dictionary({"O": "/List", "ListNumbering": numbering})

    # -- walking ----------------------------------------------------------------------------------

    def page(self, number: int, page_box: Any, tags: dict[Any, dict[str, Any]]) -> None:
        for child in page_box.children:
            if isinstance(child, self.boxes.MarginBox):
                self._margin(number, child, tags)
            else:
                self._walk(number, child, self.root, tags)
        for box, kid in list(tags.items()):  # anything the walk did not reach is still read, at the end
            del tags[box]
            self._content(number, self.root, kid["mcid"], box)

    def _margin(self, number: int, box: Any, tags: dict[Any, dict[str, Any]]) -> None:
        where = "Header" if box.at_keyword.startswith("@top") else "Footer"
        for descendant in _descendants(box, self.boxes):
            kid = tags.pop(descendant, None)
            if kid is not None:
                self.pagination.setdefault(number, {})[kid["mcid"]] = where

    def _walk(self, number: int, box: Any, parent: _Node, tags: dict[Any, dict[str, Any]]) -> None:
        if isinstance(box, self.placeholder):
            box = getattr(box, "_box")  # noqa: B009  (WeasyPrint's placeholder for a positioned box)
        node = self._node_for(box, parent)
        if node.role == "Link" and node.parent is not None and node.parent.role == "Reference" and not node.kids:
            self.calls.append(_Call(node, number, box, box.element))
        annotation = getattr(box, "link_annotation", None)
        if annotation is not None:
            self.annotations.append((node, annotation))
            node.kids.append(_Annotation(annotation, number))
        if isinstance(box, self.boxes.ReplacedBox):
            kid = tags.pop(box, None)
            if kid is not None:
                self._content(number, node, kid["mcid"], box)
        children = box.children if isinstance(box, self.boxes.ParentBox) else ()
        for child in children:
            if isinstance(child, self.boxes.TextBox):
                kid = tags.pop(child, None)
                if kid is None:
                    continue
                if not child.text.strip():  # a space between two inline elements paints no glyph: not content
                    self.pagination.setdefault(number, {})[kid["mcid"]] = "Layout"
                else:
                    self._content(number, self._node_for(child, node), kid["mcid"], child)
                    self._speak(number, kid["mcid"], child)
            else:
                self._walk(number, child, node, tags)

    def _speak(self, number: int, mcid: int, box: Any) -> None:
        """Inline text that is read otherwise than it shows (``aria-label``) or is in another language (``lang``):
        /ActualText or /Lang on its marked content, not a Span element.

        Why not a Span: a paragraph would then hold text and an element side by side, and checkers that list
        an element's own content before its children's (outloud's ORD-001) read that as out of order.
        """
        element = box.element
        if element is None or self._role(box) is not None:  # an element of its own says it there
            return
        label, language = element.get("aria-label"), element.get("lang")
        if label is None and language is None:
            return
        properties = self.spoken.setdefault(number, {})[mcid] = {}
        if language:
            properties["Lang"] = pydyf.String(language)
        if label is not None:  # said once, for the first piece of a text a line break cut in two
            properties["ActualText"] = pydyf.String("" if element in self.said else label)
            self.said.add(element)

    def _content(self, number: int, node: _Node, mcid: int, box: Any) -> None:
        if node.role == "LI":  # text directly in an item (no paragraph): it is the item's body
            node = self._list_body(node)
        node.add_content(number, mcid)
        self.owner[number, mcid] = node
        text = getattr(box, "text", None)
        if node.role == "Link" and text:
            node.texts.append(text)


def _descendants(box: Any, boxes_module: Any) -> Iterator[Any]:
    yield box
    for child in getattr(box, "children", ()):
        yield from _descendants(child, boxes_module)


def _renumber(
    stream: Any, pagination: dict[int, str], owner: dict[int, _Node], spoken: dict[int, dict[str, Any]]
) -> dict[int, int]:
    """Rewrite one page's marked content: margin boxes become artifacts, MCIDs count up in paint order.

    Returns {old mcid: new mcid}. The stream is still pydyf's list of operator chunks (nothing is
    serialized yet), so this is a pass over Python objects, not over bytes.
    """
    chunks = stream.stream
    new_ids: dict[int, int] = {}
    for index, chunk in enumerate(chunks):
        if not isinstance(chunk, pydyf.Dictionary) or "MCID" not in chunk:
            continue
        old = chunk["MCID"]
        where = pagination.get(old)
        if where is not None:
            chunks[index - 1] = "/Artifact"
            chunk.clear()
            if where == "Layout":
                chunk["Type"] = "/Layout"
            else:
                chunk["Type"] = "/Pagination"
                chunk["Subtype"] = f"/{where}"
            continue
        new = new_ids[old] = len(new_ids)
        chunk["MCID"] = new
        chunk.update(spoken.get(old, {}))
        node = owner.get(old)
        if node is not None:
            chunks[index - 1] = f"/{node.role}"
    return new_ids


class _Writer:
    """Writes the nodes as pydyf objects and the ParentTree that maps every MCID back to its element."""

    def __init__(self, pdf: pydyf.PDF, renumbered: list[dict[int, int]]) -> None:
        self.pdf = pdf
        self.renumbered = renumbered
        self.parent_tree: list[dict[int, Any]] = [{} for _ in renumbered]
        self.written: dict[_Node, Any] = {}  # node → reference of its element

    def write(self, node: _Node, parent_reference: Any) -> pydyf.Dictionary:
        element = pydyf.Dictionary({"Type": "/StructElem", "S": f"/{node.role}", "P": parent_reference})
        self.pdf.add_object(element)
        self.written[node] = element.reference
        if node.page is not None:
            element["Pg"] = self.pdf.page_references[node.page]
        for key, value in node.attributes.items():
            element[key] = value
        kids = pydyf.Array()
        for kid in node.kids:
            if isinstance(kid, _Node):
                if kid.has_content():
                    kids.append(self.write(kid, element.reference).reference)
            elif isinstance(kid, tuple):
                page, old = kid
                mcid = self.renumbered[page][old]
                self.parent_tree[page][mcid] = element.reference
                if page == node.page:
                    kids.append(mcid)
                else:
                    kids.append(pydyf.Dictionary({"Type": "/MCR", "Pg": self.pdf.page_references[page], "MCID": mcid}))
            else:
                objr = pydyf.Dictionary(
                    {"Type": "/OBJR", "Obj": kid.annotation.reference, "Pg": self.pdf.page_references[kid.page]}
                )
                self.pdf.add_object(objr)
                kids.append(objr.reference)
        element["K"] = kids
        return element


def build_structure(pdf: pydyf.PDF, document: Any, page_streams: list[Any]) -> None:
    """Replace WeasyPrint's ``add_tags``: the structure tree, artifacts and ParentTree for ``pdf``."""
    from weasyprint.formatting_structure import boxes  # deferred: WeasyPrint loads only when rendering
    from weasyprint.layout.absolute import AbsolutePlaceholder

    builder = _TreeBuilder(boxes, AbsolutePlaceholder)
    for number, (page, stream) in enumerate(zip(document.pages, page_streams, strict=True)):
        builder.page(number, page._page_box, stream._tags)

    _link_calls(pdf, document, builder)
    owners: list[dict[int, _Node]] = [{} for _ in page_streams]
    for (number, mcid), node in builder.owner.items():
        owners[number][mcid] = node
    renumbered = [
        _renumber(stream, builder.pagination.get(number, {}), owners[number], builder.spoken.get(number, {}))
        for number, stream in enumerate(page_streams)
    ]
    for number, owned in enumerate(owners):
        if not owned.keys() <= renumbered[number].keys():
            # Only a transparency group (CSS opacity < 1) moves tagged content out of the page stream; its
            # marked content would need a ParentTree entry of its own, which WeasyPrint's groups lack.
            raise RenderError(
                "tekst met 'opacity' in de huisstijl kan niet toegankelijk (PDF/UA) worden getagd; "
                "gebruik een lichtere kleur in plaats van doorzichtigheid"
            )

    root = pydyf.Dictionary({"Type": "/StructTreeRoot"})
    pdf.add_object(root)
    writer = _Writer(pdf, renumbered)
    document_element = writer.write(builder.root, root.reference)
    root["K"] = pydyf.Array([document_element.reference])

    nums = pydyf.Array()
    for number, mapping in enumerate(writer.parent_tree):
        nums.append(number)
        nums.append(pydyf.Array(mapping[mcid] for mcid in range(len(mapping))))
    for index, (node, annotation) in enumerate(builder.annotations, start=len(page_streams)):
        link = _link_element(writer, node)
        nums.extend((index, link))
        annotation["StructParent"] = index
        annotation["Contents"] = pydyf.String(" ".join("".join(node.texts).split()) or "link")
    parent_tree = pydyf.Dictionary({"Nums": nums})
    identifiers = sorted(
        (element.get("id"), writer.written[node])
        for element, node in builder.notes.items()
        if node in writer.written and "ID" in node.attributes
    )
    if identifiers:
        root["IDTree"] = pydyf.Dictionary(
            {"Names": pydyf.Array(item for name, reference in identifiers for item in (pydyf.String(name), reference))}
        )
    pdf.add_object(parent_tree)
    root["ParentTree"] = parent_tree.reference
    root["ParentTreeNextKey"] = len(page_streams) + len(builder.annotations)
    pdf.catalog["StructTreeRoot"] = root.reference
    pdf.catalog["MarkInfo"] = pydyf.Dictionary({"Marked": "true"})


def _link_calls(pdf: pydyf.PDF, document: Any, builder: _TreeBuilder) -> None:
    """Give every footnote call a link annotation to its note (the note's id is a named destination).

    The call's ``Link`` element then holds the number and the annotation, its ``Reference`` says what the
    number is: "voetnoot 1" (``/Alt``) instead of a bare "1" read into the sentence.
    """
    for call in builder.calls:
        identifier = call.element.get("id")
        if not identifier or call.element not in builder.notes:
            continue
        page = document.pages[call.page]
        x, y, width, height = call.box.hit_area()
        top = page.height * _SCALE
        rect = pydyf.Array((x * _SCALE, top - (y + height) * _SCALE, (x + width) * _SCALE, top - y * _SCALE))
        number = "".join(call.link.texts) or identifier.rsplit("-", 1)[-1]
        annotation = pydyf.Dictionary(
            {
                "Type": "/Annot",
                "Subtype": "/Link",
                "Rect": rect,
                "BS": pydyf.Dictionary({"W": 0}),
                "F": 4,
                "Dest": pydyf.String(identifier),
                "Contents": pydyf.String(f"voetnoot {number}"),
            }
        )
        pdf.add_object(annotation)
        pdf_page = pdf.objects[int(pdf.pages["Kids"][3 * call.page])]
        pdf_page.setdefault("Annots", pydyf.Array()).append(annotation.reference)
        call.link.kids.append(_Annotation(annotation, call.page))
        builder.annotations.append((call.link, annotation))
        call.link.texts[:] = [f"voetnoot {number}"]
        if call.link.parent is not None:
            call.link.parent.attributes["Alt"] = pydyf.String(f"voetnoot {number}")


def _link_element(writer: _Writer, node: _Node) -> Any:
    """The reference of the written Link element of ``node`` (found through one of its MCIDs)."""
    for kid in node.kids:
        if isinstance(kid, tuple):
            page, old = kid
            return writer.parent_tree[page][writer.renumbered[page][old]]
    raise ValueError("a link without text")


@contextmanager
def repairing() -> Iterator[None]:
    """Within this block, WeasyPrint renders in this thread use :func:`build_structure` for their tags."""
    token = _ACTIVE.set(True)
    try:
        yield
    finally:
        _ACTIVE.reset(token)


def install() -> None:
    """Put :func:`build_structure` in WeasyPrint's place (once; renders outside :func:`repairing` keep theirs)."""
    import weasyprint.pdf as weasyprint_pdf

    original = weasyprint_pdf.add_tags
    if getattr(original, "_raadsvoorstel", False):
        return

    def add_tags(pdf: pydyf.PDF, document: Any, pdf_version: Any, page_streams: list[Any]) -> None:
        if _ACTIVE.get():
            build_structure(pdf, document, page_streams)
        else:
            original(pdf, document, pdf_version, page_streams)

    add_tags._raadsvoorstel = True  # type: ignore[attr-defined]
    weasyprint_pdf.add_tags = add_tags

"""Print a PDF's structure tree as an indented outline: role, /Alt or /ActualText, and the text of each MCID.

Why: the tag tree is what a screen reader reads, and no viewer on a developer's machine shows it. This tool
makes it reviewable in a terminal (``python -m tools.tagtree file.pdf``) and in a diff.

Text per marked-content id is decoded from the page content streams through each font's ``/ToUnicode``
map; that covers the fonts WeasyPrint writes (CID fonts with two-byte codes) and simple fonts with one-byte
codes. Artifacts are left out; ``--artifacts`` lists their text per page after the tree.
"""

from __future__ import annotations

import argparse
import re
import sys
from collections import defaultdict
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path

import pikepdf

__all__ = ["PageText", "main", "outline", "page_texts"]

_HEX = re.compile(rb"<([0-9A-Fa-f]+)>")
_BFCHAR = re.compile(rb"beginbfchar(.*?)endbfchar", re.S)
_BFRANGE = re.compile(rb"beginbfrange(.*?)endbfrange", re.S)


def _utf16(hexdigits: bytes) -> str:
    return bytes.fromhex(hexdigits.decode("ascii")).decode("utf-16-be", errors="replace")


@dataclass
class _Font:
    """A font's code-to-text map and code width in bytes (2 for CID fonts)."""

    width: int
    codes: dict[int, str]

    def decode(self, data: bytes) -> str:
        step = self.width
        return "".join(self.codes.get(int.from_bytes(data[i : i + step], "big"), "") for i in range(0, len(data), step))


def _read_font(font: pikepdf.Object) -> _Font:
    width = 2 if font.get("/Subtype") == "/Type0" else 1
    codes: dict[int, str] = {}
    to_unicode = font.get("/ToUnicode")
    if isinstance(to_unicode, pikepdf.Stream):
        cmap = to_unicode.read_bytes()
        for block in _BFCHAR.findall(cmap):
            values = _HEX.findall(block)
            for src, dst in zip(values[::2], values[1::2], strict=False):
                codes[int(src, 16)] = _utf16(dst)
        for block in _BFRANGE.findall(cmap):
            values = _HEX.findall(block)
            for low, high, dst in zip(values[::3], values[1::3], values[2::3], strict=False):
                start = int.from_bytes(bytes.fromhex(dst.decode("ascii")), "big")
                for offset, code in enumerate(range(int(low, 16), int(high, 16) + 1)):
                    codes[code] = chr(start + offset)
    return _Font(width, codes)


@dataclass
class PageText:
    """Text of one page: per MCID, and the artifacts' text in paint order."""

    by_mcid: dict[int, str] = field(default_factory=dict)
    artifacts: list[str] = field(default_factory=list)
    mcid_order: list[int] = field(default_factory=list)
    #: /Lang and /ActualText given on the marked content itself (not on a structure element), per MCID.
    properties: dict[int, dict[str, str]] = field(default_factory=dict)


def _fonts(page: pikepdf.Page) -> dict[str, _Font]:
    resources = page.obj.get("/Resources", pikepdf.Dictionary())
    fonts = resources.get("/Font", pikepdf.Dictionary())
    return {str(name): _read_font(font) for name, font in fonts.items()}


def page_texts(pdf: pikepdf.Pdf) -> list[PageText]:
    """The text of every page, grouped by marked-content id (what each structure element says)."""
    result = []
    for page in pdf.pages:
        fonts = _fonts(page)
        text = PageText()
        stack: list[tuple[int | None, bool]] = []  # (mcid, is artifact) per open marked-content sequence
        chunks: dict[int, list[str]] = defaultdict(list)
        artifact_chunks: list[str] = []
        font: _Font | None = None
        for instruction in pikepdf.parse_content_stream(page):
            if not isinstance(instruction, pikepdf.ContentStreamInstruction):
                continue  # an inline image: no text
            operands, op = list(instruction.operands), str(instruction.operator)
            if op in ("BDC", "BMC"):
                tag = str(operands[0])
                mcid = None
                if op == "BDC" and isinstance(operands[1], pikepdf.Dictionary) and "/MCID" in operands[1]:
                    mcid = int(operands[1].MCID)
                    text.mcid_order.append(mcid)
                    spoken = {key[1:]: str(operands[1][key]) for key in ("/Lang", "/ActualText") if key in operands[1]}
                    if spoken:
                        text.properties[mcid] = spoken
                stack.append((mcid, tag == "/Artifact"))
                if tag == "/Artifact":
                    artifact_chunks.append("")
            elif op == "EMC" and stack:
                stack.pop()
            elif op == "Tf":
                font = fonts.get(str(operands[0]))
            elif op in ("Tj", "TJ", "'", '"') and font is not None:
                pieces = operands[-1] if op == "TJ" else [operands[-1]]
                decoded = "".join(font.decode(bytes(p)) for p in pieces if isinstance(p, pikepdf.String))
                mcid = next((m for m, _ in reversed(stack) if m is not None), None)
                if any(artifact for _, artifact in stack):
                    if artifact_chunks:
                        artifact_chunks[-1] += decoded
                elif mcid is not None:
                    chunks[mcid].append(decoded)
        text.by_mcid = {mcid: "".join(parts) for mcid, parts in chunks.items()}
        text.artifacts = [chunk for chunk in artifact_chunks if chunk.strip()]
        result.append(text)
    return result


def _page_index(pdf: pikepdf.Pdf) -> dict[tuple[int, int], int]:
    return {page.obj.objgen: number for number, page in enumerate(pdf.pages)}


def _kids(element: pikepdf.Object) -> list[pikepdf.Object]:
    kids = element.get("/K")
    if kids is None:
        return []
    if isinstance(kids, pikepdf.Array):
        return list(kids)
    return [kids]


def _snippet(text: str, width: int) -> str:
    text = " ".join(text.split())
    return text if len(text) <= width else text[: width - 1] + "…"


def outline(pdf: pikepdf.Pdf, *, width: int = 70) -> Iterator[str]:
    """The structure tree as lines: ``role [Alt=…] [ActualText=…]`` and ``"text" (p.N mcid M)`` per MCID."""
    texts = page_texts(pdf)
    pages = _page_index(pdf)
    root = pdf.Root.get("/StructTreeRoot")
    if root is None:
        yield "(no structure tree)"
        return

    def walk(element: pikepdf.Object, depth: int, page: int | None) -> Iterator[str]:
        indent = "  " * depth
        if isinstance(element, int | pikepdf.Object) and not isinstance(element, pikepdf.Dictionary):
            mcid = int(element)
            said = texts[page].by_mcid.get(mcid, "") if page is not None else ""
            spoken = texts[page].properties.get(mcid, {}) if page is not None else {}
            extra = "".join(f" {key}={value!r}" for key, value in spoken.items())
            yield f'{indent}"{_snippet(said, width)}" (p.{(page or 0) + 1} mcid {mcid}){extra}'
            return
        kind = element.get("/Type")
        if kind == "/MCR":
            mcr_page = pages.get(element.Pg.objgen, page) if "/Pg" in element else page
            yield from walk(element.MCID, depth, mcr_page)
            return
        if kind == "/OBJR":
            yield f"{indent}[{element.Obj.get('/Subtype', '?')} annotation]"
            return
        if "/Pg" in element:
            page = pages.get(element.Pg.objgen, page)
        label = str(element.get("/S", "?"))[1:]
        for key in ("/ID", "/Lang", "/Alt", "/ActualText", "/Contents"):
            if key in element:
                label += f" {key[1:]}={_snippet(str(element[key]), width)!r}"
        yield indent + label
        for kid in _kids(element):
            yield from walk(kid, depth + 1, page)

    for top in _kids(root):
        yield from walk(top, 0, None)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0] if __doc__ else None)
    parser.add_argument("pdf", type=Path)
    parser.add_argument("--width", type=int, default=70, help="longest text snippet per line")
    parser.add_argument("--artifacts", action="store_true", help="also list the artifacts' text per page")
    args = parser.parse_args(argv)
    with pikepdf.open(args.pdf) as pdf:
        for line in outline(pdf, width=args.width):
            print(line)
        if args.artifacts:
            for number, text in enumerate(page_texts(pdf), start=1):
                for chunk in text.artifacts:
                    print(f"artifact p.{number}: {_snippet(chunk, args.width)!r}")
    return 0


if __name__ == "__main__":
    sys.exit(main())

"""The house style that the PDF and the DOCX share, read from ``generator/templates/huisstijl.toml``.

Why one source: the print CSS and ``reference.docx`` used to carry their own margins, sizes and spacing, and
LibreOffice laid the DOCX out a page shorter than our PDF. Now ``tools/make_reference_docx.py`` builds
``reference.docx`` from these values and ``tools/make_house_css.py`` writes them into the generated block of
``generator/templates/html/raadsvoorstel.css``; ``tests/test_housestyle.py`` proves that both carry the same values.

Nothing reads this module while rendering: the writers use the files the tools wrote (so a batch does not
parse TOML per document, and a clerk's own ``reference.docx`` keeps working).
"""

from __future__ import annotations

import re
import tomllib
from dataclasses import dataclass
from pathlib import Path

__all__ = ["CSS_BEGIN", "CSS_END", "SharedStyle", "css_block", "load", "replace_css_block"]

#: The PDF's second font, for every character the house font lacks; validate refuses what neither draws.
FALLBACK_FONT = "DejaVu Sans"
CSS_BEGIN = "/* ---- generated from templates/huisstijl.toml by tools/make_house_css.py: do not edit ---- */"
CSS_END = "/* ---- end of the generated block ---- */"
_COLOUR_RE = re.compile(r"#[0-9A-F]{6}")


@dataclass(frozen=True, slots=True)
class SharedStyle:
    """The values of ``huisstijl.toml``; lengths in mm or pt as their names say, colours as ``#RRGGBB``."""

    width_mm: float
    height_mm: float
    margin_top_mm: float
    margin_right_mm: float
    margin_bottom_mm: float
    margin_left_mm: float
    header_mm: float
    footer_mm: float
    font_word: str
    font_pdf: str
    body_pt: float
    line_height: float
    paragraph_after_pt: float
    small_pt: float
    title_pt: float
    sender_pt: float
    subject_pt: float
    section_pt: float
    subheading_pt: float
    heading_line_height: float
    colours: dict[str, str]

    @property
    def body_line_pt(self) -> float:
        """The line distance of running text in points (CSS: size × line-height; Word: "at least" this)."""
        return self.body_pt * self.line_height


def load(path: Path) -> SharedStyle:
    """Read and check ``huisstijl.toml``: every key present, numbers positive, colours ``#RRGGBB``."""
    with path.open("rb") as handle:
        data = tomllib.load(handle)
    page, font, colour = data["page"], data["font"], data["colour"]
    colours = {name: str(value).upper() for name, value in colour.items()}
    for name, value in colours.items():
        if not _COLOUR_RE.fullmatch(value):
            raise ValueError(f"{path}: colour.{name} = {value!r} is not #RRGGBB")
    numbers = {**{k: float(v) for k, v in page.items()}, **{k: v for k, v in font.items() if k not in ("word", "pdf")}}
    for name, value in numbers.items():
        if not isinstance(value, int | float) or value <= 0:
            raise ValueError(f"{path}: {name} = {value!r} must be a positive number")
    return SharedStyle(
        **{k: float(v) for k, v in page.items()},
        font_word=str(font["word"]),
        font_pdf=str(font["pdf"]),
        **{k: float(v) for k, v in font.items() if k not in ("word", "pdf")},
        colours=colours,
    )


def _num(value: float) -> str:
    """A CSS number without a useless ``.0`` (``10.5``, ``27``)."""
    return f"{value:g}"


def css_block(style: SharedStyle) -> str:
    """The generated part of the print CSS, between :data:`CSS_BEGIN` and :data:`CSS_END`."""
    c = style.colours
    margins = " ".join(
        f"{_num(v)}mm"
        for v in (style.margin_top_mm, style.margin_right_mm, style.margin_bottom_mm, style.margin_left_mm)
    )
    lines = [
        CSS_BEGIN,
        ":root {",
        f"  --huiskleur: {c['house']};",
        f"  --tekst: {c['text']};",
        f"  --gedempt: {c['muted']};",
        f"  --lijn: {c['line']};",
        f"  --markeer: {c['highlight']};",
        f"  --concept: {c['concept']};",
        "}",
        "",
        "@page {",
        f"  size: {_num(style.width_mm)}mm {_num(style.height_mm)}mm;",
        f"  margin: {margins};",
        *(
            f'  @{box} {{ font-family: "{style.font_pdf}", {style.font_word}, sans-serif;'
            f" font-size: {_num(style.small_pt)}pt; }}"
            for box in ("top-left", "top-center", "top-right", "bottom-right")
        ),
        "}",
        "",
        # DejaVu Sans draws what the house font lacks (symbols, rarer Greek and Cyrillic): see sources/characters.py
        f'html {{ font-family: "{style.font_pdf}", "{FALLBACK_FONT}", {style.font_word}, sans-serif;'
        f" font-size: {_num(style.body_pt)}pt; line-height: {_num(style.line_height)}; }}",
        f"p {{ margin: 0 0 {_num(style.paragraph_after_pt)}pt; }}",
        f".gemeente {{ font-size: {_num(style.sender_pt)}pt; }}",
        f"h1.soort {{ font-size: {_num(style.title_pt)}pt; }}",
        f".kenmerk.onderwerp dd {{ font-size: {_num(style.subject_pt)}pt; }}",
        f"h2 {{ font-size: {_num(style.section_pt)}pt; line-height: {_num(style.heading_line_height)}; }}",
        f"h3, h4 {{ font-size: {_num(style.subheading_pt)}pt; line-height: {_num(style.heading_line_height)}; }}",
        CSS_END,
    ]
    return "\n".join(lines)


def replace_css_block(css: str, style: SharedStyle) -> str:
    """``css`` with its generated block rewritten from ``style`` (the block must be there once)."""
    start, end = css.find(CSS_BEGIN), css.find(CSS_END)
    if start < 0 or end < start or css.count(CSS_BEGIN) != 1:
        raise ValueError("the stylesheet has no (single) generated block")
    return css[:start] + css_block(style) + css[end + len(CSS_END) :]

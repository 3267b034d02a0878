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
from dataclasses import dataclass, fields
from pathlib import Path

from generator.errors import TemplateError, display_path

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
    label_column_mm: float
    logo_height_mm: float
    closing_space_mm: float
    signature_space_mm: float
    colours: dict[str, str]

    @property
    def body_line_pt(self) -> float:
        """The line distance of running text in points (CSS: size × line-height; Word: "at least" this)."""
        return self.body_pt * self.line_height


#: The keys of each table of ``huisstijl.toml``; the numbers become the fields of :class:`SharedStyle`.
#: [layout]: the measures of the title block and the signature, the same in PDF, DOCX and ODT.
LAYOUT_KEYS = ("label_column_mm", "logo_height_mm", "closing_space_mm", "signature_space_mm")
PAGE_KEYS = tuple(f.name for f in fields(SharedStyle) if f.name.endswith("_mm") and f.name not in LAYOUT_KEYS)
FONT_KEYS = ("word", "pdf", *(f.name for f in fields(SharedStyle) if f.name.endswith(("_pt", "line_height"))))
COLOUR_KEYS = ("house", "text", "muted", "line", "highlight", "concept")
_TEXT_KEYS = ("word", "pdf")


def _fail(path: Path, text: str, key: str | None, message: str) -> TemplateError:
    """A Dutch error naming the file and, when the key is found in it, its line."""
    line = 0
    if key is not None:
        pattern = re.compile(rf"^\s*{re.escape(key.rpartition('.')[2])}\s*=", re.M)
        found = pattern.search(text)
        line = text.count("\n", 0, found.start()) + 1 if found else 0
    where = f"{display_path(path)}:{line}" if line else display_path(path)
    return TemplateError(f"huisstijl {where}: {message}")


def load(path: Path) -> SharedStyle:
    """Read and check ``huisstijl.toml``: every key present and no other, numbers positive, colours ``#RRGGBB``.

    A malformed file is a :class:`TemplateError` naming the file and line (tomllib's own errors and a missing
    key would otherwise reach the CLI as a ``ValueError`` or ``KeyError``: an "interne fout").
    """
    raw = path.read_bytes()
    try:
        text = raw.decode("utf-8")
        data = tomllib.loads(text)
    except UnicodeDecodeError as exc:
        line = raw.count(b"\n", 0, exc.start) + 1
        raise TemplateError(f"huisstijl {display_path(path)}:{line}: geen UTF-8-tekst; sla het op als UTF-8") from exc
    except tomllib.TOMLDecodeError as exc:
        at = re.search(r"\(at line (\d+), column (\d+)\)", str(exc))
        where = f"{display_path(path)}:{at.group(1)}:{at.group(2)}" if at else display_path(path)
        reason = str(exc)[: at.start()].strip() if at else str(exc)
        raise TemplateError(f"huisstijl {where}: geen geldige TOML ({reason})") from exc
    tables: dict[str, dict[str, object]] = {}
    for table, keys in (("page", PAGE_KEYS), ("font", FONT_KEYS), ("layout", LAYOUT_KEYS), ("colour", COLOUR_KEYS)):
        found = data.get(table)
        if not isinstance(found, dict):
            raise _fail(path, text, None, f"de tabel [{table}] ontbreekt")
        missing = [key for key in keys if key not in found]
        unknown = [key for key in found if key not in keys]
        if missing:
            raise _fail(path, text, None, f"[{table}] mist {', '.join(missing)}")
        if unknown:
            raise _fail(path, text, unknown[0], f"onbekende sleutel {table}.{unknown[0]} (bedoeld: {', '.join(keys)})")
        tables[table] = found
    colours = {name: str(value).upper() for name, value in tables["colour"].items()}
    for name, colour in colours.items():
        if not _COLOUR_RE.fullmatch(colour):
            raise _fail(path, text, f"colour.{name}", f"colour.{name} = {colour!r} is geen kleur als '#1F4E79'")
    numbers: dict[str, float] = {}
    for name, value in [*tables["page"].items(), *tables["font"].items(), *tables["layout"].items()]:
        if name in _TEXT_KEYS:
            continue
        if isinstance(value, bool) or not isinstance(value, int | float) or value <= 0:
            raise _fail(path, text, name, f"{name} = {value!r} moet een positief getal zijn")
        numbers[name] = float(value)
    for name in _TEXT_KEYS:
        if not isinstance(tables["font"][name], str) or not str(tables["font"][name]).strip():
            raise _fail(path, text, f"font.{name}", f"font.{name} moet de naam van een lettertype zijn")
    return SharedStyle(
        **numbers,
        font_word=str(tables["font"]["word"]),
        font_pdf=str(tables["font"]["pdf"]),
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
        f".kenmerk th {{ width: {_num(style.label_column_mm)}mm; }}",
        f".logo {{ height: {_num(style.logo_height_mm)}mm; }}",
        f".ondertekening {{ margin-top: {_num(style.closing_space_mm)}mm; }}",
        f".college {{ margin-bottom: {_num(style.signature_space_mm)}mm; }}",
        CSS_END,
    ]
    return "\n".join(lines)


def replace_css_block(css: str, style: SharedStyle) -> str:
    """``css`` with its generated block rewritten from ``style`` (the block must be there once)."""
    start, end = css.find(CSS_BEGIN), css.find(CSS_END)
    if start < 0 or end < start or css.count(CSS_BEGIN) != 1:
        raise ValueError("the stylesheet has no (single) generated block")
    return css[:start] + css_block(style) + css[end + len(CSS_END) :]

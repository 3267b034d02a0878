"""One house style for both formats: templates/huisstijl.toml → the print CSS and reference.docx.

The tests read what the two outputs really carry (the committed CSS, parsed with tinycss2 as WeasyPrint does;
reference.docx, read with python-docx) and compare them with the TOML and with each other, so a value
changed by hand in one place fails here.
"""

from __future__ import annotations

import re
from pathlib import Path
from typing import Any

import docx
import pytest
import tinycss2
from docx.oxml.ns import qn

from generator.errors import TemplateError
from generator.writers.docx import _styles
from generator.writers.housestyle import CSS_BEGIN, SharedStyle, css_block, load, replace_css_block
from tests.conftest import ROOT

TOML = ROOT / "generator" / "templates" / "huisstijl.toml"
CSS = ROOT / "generator" / "templates" / "html" / "raadsvoorstel.css"
REFERENCE = ROOT / "generator" / "templates" / "docx" / "reference.docx"
TWIPS_PER_MM = 1440 / 25.4


@pytest.fixture(scope="module")
def style() -> SharedStyle:
    return load(TOML)


@pytest.fixture(scope="module")
def reference() -> Any:
    return docx.Document(str(REFERENCE))


def test_committed_css_holds_the_generated_block(style: SharedStyle) -> None:
    css = CSS.read_text(encoding="utf-8")
    assert css_block(style) in css, "run tools/make_house_css.py and commit"
    assert replace_css_block(css, style) == css


def test_generated_block_follows_the_toml(style: SharedStyle, tmp_path: Path) -> None:
    """Change a value in a copy of the TOML: the block changes with it (the generator is not a constant)."""
    changed = tmp_path / "huisstijl.toml"
    changed.write_text(TOML.read_text(encoding="utf-8").replace("body_pt = 10.5", "body_pt = 11"), encoding="utf-8")
    block = css_block(load(changed))
    assert "font-size: 11pt; line-height: 1.5" in block
    assert block != css_block(style)


def test_bad_colour_in_the_toml_is_refused(tmp_path: Path) -> None:
    broken = tmp_path / "huisstijl.toml"
    broken.write_text(TOML.read_text(encoding="utf-8").replace('"#1A1A1A"', '"zwart"'), encoding="utf-8")
    with pytest.raises(TemplateError, match=r"huisstijl .*huisstijl\.toml:\d+: colour\.text = 'ZWART' is geen kleur"):
        load(broken)


# --- what the CSS says, parsed -----------------------------------------------------------------------------


def _generated_rules() -> list[Any]:
    css = CSS.read_text(encoding="utf-8")
    start = css.index(CSS_BEGIN)
    rules: list[Any] = tinycss2.parse_stylesheet(css[start:], skip_comments=True, skip_whitespace=True)
    return rules


def _declarations(block: Any) -> dict[str, list[Any]]:
    out = {}
    for item in tinycss2.parse_blocks_contents(block.content, skip_comments=True, skip_whitespace=True):
        if item.type == "declaration":
            out[item.lower_name] = [t for t in item.value if t.type not in ("whitespace", "comment")]
    return out


def _rule(selector: str) -> dict[str, list[Any]]:
    for rule in _generated_rules():
        if rule.type == "qualified-rule" and tinycss2.serialize(rule.prelude).strip() == selector:
            return _declarations(rule)
    raise AssertionError(f"no rule {selector!r} in the generated block")


def _page() -> dict[str, list[Any]]:
    for rule in _generated_rules():
        if rule.type == "at-rule" and rule.lower_at_keyword == "page":
            return _declarations(rule)
    raise AssertionError("no @page in the generated block")


def _pt(token: Any) -> float:
    assert token.type == "dimension", token
    return float(token.value) * {"pt": 1.0, "mm": 72 / 25.4}[token.unit]


def _mm(token: Any) -> float:
    assert token.type == "dimension" and token.unit == "mm", token
    return float(token.value)


# --- what reference.docx says -------------------------------------------------------------------------------


def _size_pt(reference: Any, name: str) -> float:
    size = reference.styles[name].font.size
    assert size is not None, name
    return float(size.pt)


def _colour(reference: Any, name: str) -> str:
    return f"#{reference.styles[name].font.color.rgb}"


def test_css_and_reference_docx_have_the_same_page(reference: Any) -> None:
    page = _page()
    width, height = (_mm(t) for t in page["size"])
    top, right, bottom, left = (_mm(t) for t in page["margin"])
    section = reference.sections[0]
    as_mm = {
        "width": section.page_width.twips / TWIPS_PER_MM,
        "height": section.page_height.twips / TWIPS_PER_MM,
        "top": section.top_margin.twips / TWIPS_PER_MM,
        "right": section.right_margin.twips / TWIPS_PER_MM,
        "bottom": section.bottom_margin.twips / TWIPS_PER_MM,
        "left": section.left_margin.twips / TWIPS_PER_MM,
    }
    css = {"width": width, "height": height, "top": top, "right": right, "bottom": bottom, "left": left}
    for name, value in css.items():
        assert as_mm[name] == pytest.approx(value, abs=0.02), name  # Word stores whole twips (0.018 mm)


def test_css_and_reference_docx_have_the_same_text_font_size_and_lines(reference: Any, style: SharedStyle) -> None:
    html = _rule("html")
    css_size = _pt(html["font-size"][0])
    css_line = float(html["line-height"][0].value)
    families = [t.value for t in html["font-family"] if t.type in ("string", "ident")]
    defaults = reference.styles.element.find(qn("w:docDefaults"))
    rpr = defaults.find(f"{qn('w:rPrDefault')}/{qn('w:rPr')}")
    spacing = defaults.find(f"{qn('w:pPrDefault')}/{qn('w:pPr')}/{qn('w:spacing')}")
    assert int(rpr.find(qn("w:sz")).get(qn("w:val"))) / 2 == css_size
    assert _size_pt(reference, _styles.NORMAL) == css_size
    # CSS line-height × size = Word's "at least" line distance (twentieths of a point)
    assert spacing.get(qn("w:lineRule")) == "atLeast"
    assert int(spacing.get(qn("w:line"))) == round(css_size * css_line * 20)
    assert int(spacing.get(qn("w:after"))) == round(_pt(_rule("p")["margin"][2]) * 20)
    # the PDF's font is the metric twin of the DOCX's: same widths, same line breaks
    from generator.writers.housestyle import FALLBACK_FONT

    assert families[:3] == [style.font_pdf, FALLBACK_FONT, style.font_word]  # the fallback draws what it lacks
    fonts = rpr.find(qn("w:rFonts"))
    assert fonts.get(qn("w:ascii")) == style.font_word == _styles.FONT


def test_css_and_reference_docx_have_the_same_heading_sizes(reference: Any) -> None:
    pairs = {
        "h1.soort": _styles.TITLE,
        ".gemeente": _styles.SENDER,
        "h2": _styles.HEADING_1,  # sections
        "h3, h4": _styles.HEADING_2,  # arguments and sub-headings
        ".kenmerk.onderwerp dd": _styles.SUBJECT,
    }
    for selector, name in pairs.items():
        assert _size_pt(reference, name) == _pt(_rule(selector)["font-size"][0]), (selector, name)
    assert _size_pt(reference, _styles.HEADING_3) == _pt(_rule("h3, h4")["font-size"][0])
    small = _page_box_sizes()
    assert set(small) == {_size_pt(reference, _styles.HEADER), _size_pt(reference, _styles.FOOTER)}


def _page_box_sizes() -> list[float]:
    css = CSS.read_text(encoding="utf-8")
    block = css[css.index(CSS_BEGIN) :]
    return [float(v) for v in re.findall(r"@(?:top|bottom)-[a-z]+ \{[^}]*font-size: ([\d.]+)pt", block)]


def test_css_and_reference_docx_have_the_same_colours(reference: Any, style: SharedStyle) -> None:
    root = _rule(":root")
    css = {name: root[f"--{name}"][0].serialize().upper() for name in ("huiskleur", "tekst", "gedempt", "concept")}
    assert _colour(reference, _styles.NORMAL) == css["tekst"] == style.colours["text"]
    assert _colour(reference, _styles.HEADER) == _colour(reference, _styles.FOOTER) == css["gedempt"]
    assert _colour(reference, _styles.FIELD_LABEL) == css["gedempt"]
    assert _colour(reference, _styles.CONCEPT_MARK) == css["concept"] == style.colours["concept"]
    for name in _styles.HOUSE_COLOURED:
        assert _colour(reference, name) == css["huiskleur"] == style.colours["house"], name

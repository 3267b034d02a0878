"""The expat lever of the PDF writer (``generator.writers.pdf.expat``): the same tree as WeasyPrint's HTML5
parser for every page it takes, and the HTML5 parser for every page outside its profile.

The PDFs themselves are compared byte for byte with and without the levers in ``tests/test_pdf_speed.py``.
"""

from __future__ import annotations

import xml.etree.ElementTree as ElementTree
from pathlib import Path
from typing import Any

import pytest
import tinyhtml5

from generator.api import loaded_dossier, templates_for
from generator.writers import WriterOptions
from generator.writers.html import render_page
from generator.writers.pdf import speed as pdf_speed
from generator.writers.pdf.expat import _as_html5, html_document, parse_page
from tests.conftest import ROOT

DOSSIERS = (
    ROOT / "proposals" / "impuls-sociale-infrastructuur",
    ROOT / "tests" / "data" / "alle-bouwstenen" / "proposals" / "elke-bouwsteen",
    ROOT / "voorbeelden" / "raadsronde" / "proposals" / "schuldhulp-eemland",
)


def shape(element: ElementTree.Element, depth: int = 0) -> list[tuple[Any, ...]]:
    """Every element in document order: its depth, tag, attributes, text and tail (what WeasyPrint reads)."""
    found = [(depth, element.tag, sorted(element.attrib.items()), element.text, element.tail)]
    for child in element:
        found += shape(child, depth + 1)
    return found


def html5(page: str) -> ElementTree.Element:
    tree: ElementTree.Element = tinyhtml5.parse(page, namespace_html_elements=False)
    return tree


def example_pages() -> list[Any]:
    pages = []
    for dossier in DOSSIERS:
        options = WriterOptions(templates_for(dossier))
        for slug, found in loaded_dossier(dossier).sets.items():
            for kind in ("raadsvoorstel", "raadsbesluit"):
                doc = found.get(kind)
                if doc is not None:
                    page = render_page(doc, options, standalone=False)
                    pages.append(pytest.param(page, id=f"{dossier.name}/{kind}-{slug}"))
    return pages


@pytest.mark.parametrize("page", example_pages())
def test_every_example_page_takes_the_expat_path_and_gives_the_html5_tree(page: str) -> None:
    tree = parse_page(page)
    assert tree is not None, "our own templates must stay inside the profile"
    assert shape(tree) == shape(html5(page))


def _page(body: str, head: str = '<meta charset="utf-8"/>', after: str = "\n") -> str:
    return f"<!DOCTYPE html>\n<html lang=\"nl\">\n<head>\n{head}\n</head>\n<body>\n{body}\n</body>\n</html>{after}"


#: Pages inside the profile: expat's tree, once placed like HTML5 places white space, is HTML5's.
INSIDE = {
    "white space after the end": _page("<p>Tekst</p>", after="\n\n  \n"),
    "empty body": _page(""),
    "text straight in the body": _page("los"),
    "a table written out": _page("<table><thead><tr><th>a</th></tr></thead><tbody><tr><td>b</td></tr></tbody></table>"),
    "entities XML knows": _page("<p>&lt;b&gt; &amp; &#34;citaat&#34; &#8364;</p>"),
    "nested lists": _page("<ul><li><p>a</p><ol><li>b</li></ol></li></ul>"),
}

#: Pages outside the profile: the HTML5 parser reads them (each one would give another tree with expat, or
#: none at all).
OUTSIDE = {
    "not well-formed (a void element left open)": _page("<p>a<br>b</p>"),
    "an HTML entity": _page("<p>a&nbsp;b</p>"),
    "a table without tbody": _page("<table><tr><td>a</td></tr></table>"),
    "a block inside a paragraph": _page("<p>a<div>b</div></p>"),
    "a block deeper inside a paragraph": _page("<p><span><ul><li>b</li></ul></span></p>"),
    "a list item straight inside another": _page("<ul><li>a<li>b</li></li></ul>"),
    "a preformatted block": _page("<pre>\nregel</pre>"),
    "inline svg": _page('<svg xmlns="http://www.w3.org/2000/svg"><rect width="1" height="1"/></svg>'),
    "an ampersand in a style sheet": _page("<p>a</p>", head="<style>p::after { content: '&amp;' }</style>"),
    "a line break in an attribute": _page('<p title="a\nb">a</p>'),
    "upper-case names": _page("<P>a</P>"),
    "an element HTML5 moves out of the head": _page("<p>a</p>", head="<p>kop</p>"),
    "text before the body": '<!DOCTYPE html>\n<html><head></head>tekst<body><p>a</p></body></html>',
    "no head": "<!DOCTYPE html>\n<html><body><p>a</p></body></html>",
    "text after the end": _page("<p>a</p>", after="\nnog iets"),
    "text between table rows": _page("<table><tbody>x<tr><td>a</td></tr></tbody></table>"),
}


@pytest.mark.parametrize("page", list(INSIDE.values()), ids=list(INSIDE))
def test_pages_inside_the_profile_give_the_html5_tree(page: str) -> None:
    tree = parse_page(page)
    assert tree is not None
    assert shape(tree) == shape(html5(page))


@pytest.mark.parametrize("page", list(OUTSIDE.values()), ids=list(OUTSIDE))
def test_pages_outside_the_profile_go_to_the_html5_parser(page: str) -> None:
    assert parse_page(page) is None
    # and each rule of the profile is needed: expat alone would refuse the page or build another tree
    try:
        raw = ElementTree.fromstring(page)
    except ElementTree.ParseError:
        return
    if len(raw) == 2:
        raw = _as_html5(raw, page[page.rfind("</html>") + len("</html>") :])
    assert shape(raw) != shape(html5(page))


def test_html_document_is_weasyprints_own_on_the_plain_path(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    """With ``RAADSVOORSTEL_PURE=1`` the page goes to ``HTML(string=…)`` as released (tinyhtml5 parses it); with
    the levers tinyhtml5 is not called and the object has the same fields, the tree from expat."""
    from weasyprint import HTML

    page = next(iter(example_pages())).values[0]
    base = tmp_path.as_uri() + "/"
    parsed: list[object] = []
    real_parse = tinyhtml5.parse

    def counting_parse(*args: Any, **kwargs: Any) -> Any:
        parsed.append(args[0])
        return real_parse(*args, **kwargs)

    monkeypatch.setattr(tinyhtml5, "parse", counting_parse)
    monkeypatch.setenv(pdf_speed.PURE_VARIABLE, "1")
    plain = html_document(page, base, None)
    assert len(parsed) == 1
    monkeypatch.delenv(pdf_speed.PURE_VARIABLE)
    fast = html_document(page, base, None)
    assert len(parsed) == 1  # expat read it
    released = HTML(string=page, base_url=base)
    assert shape(plain.etree_element) == shape(fast.etree_element) == shape(released.etree_element)
    assert set(vars(fast)) == set(vars(released))
    for field in ("base_url", "media_type"):
        assert getattr(fast, field) == getattr(released, field), field
    assert type(fast.url_fetcher) is type(released.url_fetcher)

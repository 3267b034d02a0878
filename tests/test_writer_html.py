"""HTML writer: structure, escaping and safety of the page rendered from the hand-built IR sample."""

from __future__ import annotations

from dataclasses import replace
from pathlib import Path

import lxml.html
import pytest
from lxml import etree

from generator.document.nodes import CheckItem, Checklist, Document, HouseStyle, Link, Paragraph, Section, Text
from generator.errors import RenderError
from generator.writers import WriterOptions, get_writer
from generator.writers import html as html_writer
from generator.writers.templatefiles import Templates
from tests.conftest import TEMPLATES, copy_templates
from tests.ir_sample import sample_document

GEMEENTEN = ("amersfoort", "baarn", "bunschoten", "leusden", "nijkerk", "soest", "woudenberg")


def render(doc: Document | None = None, options: WriterOptions | None = None) -> str:
    return html_writer.write(doc or sample_document(), options or WriterOptions(templates=TEMPLATES))


def tree(page: str) -> lxml.html.HtmlElement:
    return lxml.html.document_fromstring(page)


def text_of(element: lxml.html.HtmlElement) -> str:
    return " ".join(element.text_content().split())


@pytest.fixture(scope="module")
def page() -> str:
    return render()


@pytest.fixture(scope="module")
def root(page: str) -> lxml.html.HtmlElement:
    return tree(page)


def test_registry_returns_this_writer() -> None:
    assert get_writer("html") is html_writer.write


def test_standalone_page_with_language_title_and_metadata(page: str, root: etree._Element) -> None:
    assert page.startswith("<!DOCTYPE html>")
    assert root.get("lang") == "nl-NL"
    assert root.findtext(".//title") == "Raadsvoorstel Gemeente Leusden: Uitgangspunten impuls sociale infrastructuur"
    meta = {m.get("name"): m.get("content") for m in root.iter("meta") if m.get("name")}
    assert meta["author"] == "Gemeente Leusden"
    assert meta["description"] == "Uitgangspunten impuls sociale infrastructuur"
    assert meta["keywords"] == "raadsvoorstel, Leusden"
    assert meta["dcterms.created"] == meta["dcterms.modified"] == "2025-05-13"
    # Standalone: the stylesheet is embedded, nothing is linked.
    assert "@page" in page and "--huiskleur: #00626F" in page
    assert not root.xpath("//link")


def test_dates_are_left_out_when_the_document_has_none() -> None:
    root = tree(render(replace(sample_document(), date=None)))
    names = {m.get("name") for m in root.iter("meta")}
    assert "dcterms.created" not in names and "dcterms.modified" not in names


def test_title_block(root: etree._Element) -> None:
    block = root.xpath("//header[@class='titelblok']")[0]
    assert text_of(block.xpath(".//p[@class='gemeente']")[0]) == "Gemeente Leusden"
    assert text_of(block.xpath(".//h1")[0]) == "Raadsvoorstel"
    rows = [(text_of(r.find("th")), text_of(r.find("td"))) for r in block.xpath(".//table/tbody/tr")]
    assert all(th.get("scope") == "row" for th in block.xpath(".//th"))
    assert rows == [
        ("Onderwerp", "Uitgangspunten impuls sociale infrastructuur"),
        ("Datum raadsvergadering", "3 juni 2025"),
    ]


def test_section_headings_in_order(root: etree._Element) -> None:
    headings = [text_of(h) for h in root.xpath("//main/section/h2")]
    assert headings == [s.heading for s in sample_document().sections]
    assert headings[0] == "1. Aanleiding"
    assert root.xpath("//section[h2[@id='sectie-aanleiding']]/h3[@class='tussenkop']")


def test_arguments_are_numbered_headings_with_body(root: etree._Element) -> None:
    args = root.xpath("//section[h2[@id='sectie-argumenten']]/div[@class='argument']")
    assert [text_of(a.find("h3")) for a in args] == [
        "1.1 Er is draagvlak.",
        "1.2 De inwoner staat centraal.",
        "2.1 Het impulsbudget biedt dekking.",
    ]
    assert text_of(args[0].find("p")) == "Concreet gaat het om de regio."


def test_numbered_lists_restart_and_bullet_lists(root: etree._Element) -> None:
    lists = root.xpath("//ol")
    assert [len(ol.findall("li")) for ol in lists] == [3, 2, 2]
    assert all(ol.get("start") is None for ol in lists)  # each list starts at 1 again
    assert text_of(lists[1].findall("li")[1]) == "De opgave bekostigen met de impulsgelden."
    bullets = root.xpath("//section[h2[@id='sectie-burgerparticipatie']]/ul/li")
    assert [text_of(li) for li in bullets] == ["RWA/Amfors.", "De Cliëntenraad Wsw."]


def test_numbered_list_with_other_start() -> None:
    from generator.document.nodes import NumberedList

    doc = sample_document()
    section = Section(5, "voorstel", "Voorstel", (NumberedList(((Paragraph((Text("x"),)),),), start=3),))
    root = tree(render(replace(doc, sections=(section,))))
    assert root.xpath("//ol")[0].get("start") == "3"
    # WeasyPrint 70 ignores start: the counter is reset to start - 1 as well, so the PDF says "3." too
    assert root.xpath("//ol")[0].get("style") == "counter-reset: list-item 2"


def test_checklist_lines_with_boxes(root: etree._Element) -> None:
    items = [text_of(li) for li in root.xpath("//ul[@class='checklist']/li")]
    assert items == [
        "■ Goal 01 Einde aan armoede",
        "☐ Goal 02 Einde aan honger",
        "■ Goal 08 Inclusieve economische groei",
    ]
    # The box says in words what its glyph and colour show: read by screen readers (and as /ActualText in the PDF).
    boxes = root.xpath("//ul[@class='checklist']/li/span[contains(@class, 'vakje')]")
    assert [(b.get("role"), b.get("aria-label")) for b in boxes] == [
        ("img", "gekozen"),
        ("img", "niet gekozen"),
        ("img", "gekozen"),
    ]


def test_not_applicable_says_nvt(root: etree._Element) -> None:
    assert text_of(root.xpath("//section[h2[@id='sectie-deadline']]")[0]) == "4. Deadline Nvt"


def test_inline_formatting(page: str) -> None:
    assert (
        "<p>Dit is <strong>vet</strong> en <em>schuin</em>, met een "
        '<a href="https://www.leusden.nl/">link</a>.<br/>' in page
    )
    assert "<mark>[INVULLEN: bedrag]</mark>." in page


def test_text_is_escaped(page: str, root: etree._Element) -> None:
    assert "Tweede regel met &lt;tekens&gt; &amp; &#34;aanhalingstekens&#34;." in page
    assert "<tekens>" not in page
    assert 'Tweede regel met <tekens> & "aanhalingstekens".' in text_of(root)


def test_raw_html_in_any_field_stays_text() -> None:
    evil = '<img src="http://127.0.0.1:9/x"><script>alert(1)</script>'
    doc = sample_document()
    doc = replace(
        doc,
        subject=evil,
        keywords=(evil,),
        sections=(Section(1, 'x"><img src=y>', evil, (Paragraph((Text(evil),)),)),),
    )
    root = tree(render(doc))
    assert not root.xpath("//img | //script | //object | //iframe")
    assert evil in text_of(root.xpath("//main")[0])
    assert root.xpath("//section/h2")[0].get("id") == 'sectie-x"><img src=y>'


@pytest.mark.parametrize(
    "href",
    [
        "http://127.0.0.1:9/x",
        "javascript:alert(1)",
        "file:///etc/passwd",
        "data:text/html,<b>x</b>",
        "HTTP://example.org",
        "https:///etc/passwd",
        "https://exa mple.org",
        "//example.org/x",
        "ftp://example.org/",
        "mailto:",
    ],
)
def test_links_other_than_https_or_mailto_are_plain_text(href: str) -> None:
    doc = sample_document()
    doc = replace(doc, sections=(Section(1, "a", "A", (Paragraph((Link("klik hier", href),)),)),))
    root = tree(render(doc))
    assert not root.xpath("//main//a")
    assert "klik hier" in text_of(root.xpath("//main")[0])
    assert not html_writer.is_safe_href(href)


@pytest.mark.parametrize("href", ["https://www.leusden.nl/", "HTTPS://x.nl", "mailto:griffie@leusden.nl"])
def test_https_and_mailto_links_are_links(href: str) -> None:
    assert html_writer.is_safe_href(href)


def test_signature_block_two_columns(root: etree._Element) -> None:
    block = root.xpath("//footer[@class='ondertekening']")[0]
    assert text_of(block.xpath("p[@class='slotformule']")[0]) == "Met vriendelijke groet,"
    assert text_of(block.xpath("p[@class='college']")[0]) == ("Het college van burgemeester en wethouders van Leusden,")
    columns = block.xpath(".//div[@class='ondertekenaar']")
    assert [(text_of(c.xpath("p[@class='naam']")[0]), text_of(c.xpath("p[@class='functie']")[0])) for c in columns] == [
        ("R.B. van den Brink", "directeur-secretaris"),
        ("G.J. Bouwmeester", "burgemeester"),
    ]


def test_house_color_from_document_overrides_house_stylesheet() -> None:
    page = render(replace(sample_document(), house=HouseStyle(color="#123456")))
    assert page.index("--huiskleur: #00626F") < page.index("--huiskleur: #123456")


@pytest.mark.parametrize("color", ["red; } body { background: url(http://x) }", "#12345", "", "url(x)"])
def test_colour_that_is_not_a_hex_colour_is_refused(color: str) -> None:
    with pytest.raises(RenderError, match="huisstijlkleur"):
        render(replace(sample_document(), house=HouseStyle(color=color)))


@pytest.mark.parametrize("slug", ["../leusden", "Leusden", "a/b", ""])
def test_bad_slug_is_refused(slug: str) -> None:
    with pytest.raises(RenderError, match="gemeentecode"):
        render(replace(sample_document(), municipality_slug=slug))


@pytest.mark.parametrize("slug", GEMEENTEN)
def test_every_municipality_has_a_house_style(slug: str) -> None:
    css = TEMPLATES.find(f"gemeenten/{slug}/huisstijl.css").read_text(encoding="utf-8")
    assert "--huiskleur: #" in css
    assert html_writer.house_stylesheet(TEMPLATES, slug) is not None


def test_unknown_slug_renders_without_house_style() -> None:
    page = render(replace(sample_document(), municipality_slug="elders"))
    assert "--huiskleur: #00626F;" in page  # the document's own colour still applies


@pytest.fixture()
def templates(tmp_path: Path) -> Path:
    copy = tmp_path / "templates"
    copy_templates(copy)
    return copy


def test_logo_is_inlined_in_standalone_html(templates: Path) -> None:
    (templates / "gemeenten" / "leusden" / "logo.svg").write_text(
        '<svg xmlns="http://www.w3.org/2000/svg" width="10" height="10"/>', encoding="utf-8"
    )
    doc = replace(sample_document(), house=HouseStyle(color="#00626F", logo="gemeenten/leusden/logo.svg"))
    img = tree(render(doc, WriterOptions(templates=Templates((templates,))))).xpath("//img[@class='logo']")[0]
    assert img.get("src").startswith("data:image/svg+xml;base64,")
    assert img.get("alt") == "Logo gemeente Leusden"


@pytest.mark.parametrize("logo", ["../secret.png", "/etc/hostname", "gemeenten/leusden/link.png", "nope.png"])
def test_logo_outside_templates_is_refused(templates: Path, logo: str) -> None:
    secret = templates.parent / "secret.png"
    secret.write_bytes(b"\x89PNG geheim")
    (templates / "gemeenten" / "leusden" / "link.png").symlink_to(secret)
    doc = replace(sample_document(), house=HouseStyle(logo=logo))
    with pytest.raises(RenderError, match=r"sjablonen|niet gevonden"):
        render(doc, WriterOptions(templates=Templates((templates,))))


def test_unknown_node_type_is_an_error_not_a_gap() -> None:
    doc = replace(sample_document(), sections=(Section(1, "a", "A", (CheckItem(True, "x", "y"),)),))  # type: ignore[arg-type]
    with pytest.raises(RenderError, match="CheckItem"):
        render(doc)


def test_templates_are_compiled_once_per_process(templates: Path) -> None:
    options = WriterOptions(templates=Templates((templates,)))
    render(options=options)
    env = html_writer._environment(Templates((templates,)))
    assert env is html_writer._environment(Templates((templates,)))
    loader = env.loader
    assert loader is not None
    calls: list[str] = []
    original = loader.get_source

    def counting(environment, name):  # type: ignore[no-untyped-def]
        calls.append(name)
        return original(environment, name)

    loader.get_source = counting  # type: ignore[method-assign]
    render(replace(sample_document(), sections=(Section(18, "g", "G", (Checklist(()),)),)), options)
    assert calls == []


def test_html_writer_does_not_import_weasyprint() -> None:
    """``import weasyprint`` costs about half a second; an HTML or txt run must not pay for it."""
    import subprocess
    import sys

    code = "import sys, generator.writers.html; sys.exit('weasyprint' in sys.modules)"
    result = subprocess.run([sys.executable, "-c", code], cwd=Path(__file__).resolve().parent.parent)
    assert result.returncode == 0


def test_heading_levels_never_skip_and_match_the_docx() -> None:
    """h1 kind, h2 section, h3 argument or sub-heading, h4 sub-heading inside an argument (DOCX: Title,
    Heading 1, 2, 3)."""
    from generator.document.nodes import Argument, SubHeading

    argument = Argument("1.1", (Text("Kop"),), (SubHeading((Text("Onder het argument"),)), Paragraph((Text("x"),))))
    sections = (
        Section(6, "argumenten", "Argumenten", (argument,)),
        Section(7, "x", "Daarna", (SubHeading((Text("In een sectie"),)),)),
    )
    root = tree(render(replace(sample_document(), sections=sections)))
    headings = [(h.tag, h.text_content().strip()) for h in root.xpath("//h1|//h2|//h3|//h4|//h5|//h6")]
    assert headings == [
        ("h1", "Raadsvoorstel"),
        ("h2", "6. Argumenten"),
        ("h3", "1.1 Kop"),
        ("h4", "Onder het argument"),
        ("h2", "7. Daarna"),
        ("h3", "In een sectie"),
    ]


def test_draft_gets_the_concept_class_and_a_finished_document_does_not() -> None:
    assert "concept" not in tree(render()).xpath("//body/@class")[0].split()
    draft = tree(render(replace(sample_document(), concept=True)))
    assert "concept" in draft.xpath("//body/@class")[0].split()

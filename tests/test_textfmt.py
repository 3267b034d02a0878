"""Markdown → IR: what survives, and what is refused."""

from __future__ import annotations

from generator.document.markdown import parse_blocks
from generator.document.nodes import BulletList, LineBreak, Link, NumberedList, Paragraph, SubHeading, Text


def test_paragraphs_lists_and_emphasis() -> None:
    blocks, problems = parse_blocks("Eerste **vet** en *schuin*\nvervolg.\n\n- a\n- b\n\n3. drie\n4. vier\n\n### Kop\n")
    assert problems == []
    para, bullets, numbers, heading = blocks
    assert isinstance(para, Paragraph)
    assert para.inlines == (
        Text("Eerste "),
        Text("vet", bold=True),
        Text(" en "),
        Text("schuin", italic=True),
        Text(" vervolg."),
    )
    assert isinstance(bullets, BulletList) and len(bullets.items) == 2
    assert isinstance(numbers, NumberedList) and numbers.start == 3
    assert heading == SubHeading((Text("Kop"),))


def test_hard_break_and_https_link() -> None:
    blocks, problems = parse_blocks("a  \nb [site](https://www.leusden.nl)")
    assert problems == []
    assert blocks == (Paragraph((Text("a"), LineBreak(), Text("b "), Link("site", "https://www.leusden.nl"))),)


def test_raw_html_stays_literal_text() -> None:
    blocks, _ = parse_blocks('<img src="http://127.0.0.1/x"> <script>alert(1)</script>')
    assert blocks == (Paragraph((Text('<img src="http://127.0.0.1/x"> <script>alert(1)</script>'),)),)


def test_refused_links_and_images_name_their_line() -> None:
    _, problems = parse_blocks("een\ntwee [x](http://a.b/c)\n\n![foto](https://a.b/c.png)\n")
    assert [(p.line, "link" in p.message) for p in problems] == [(2, True), (4, False)]
    assert "afbeeldingen" in problems[1].message


def test_file_and_javascript_links_never_become_links() -> None:
    blocks, _ = parse_blocks("[a](file:///etc/passwd) [b](javascript:alert(1))")
    assert not any(isinstance(i, Link) for b in blocks if isinstance(b, Paragraph) for i in b.inlines)

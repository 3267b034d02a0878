"""The IR → Markdown writer agrees with the parser: parse(serialize(x)) == x on every example text."""

from __future__ import annotations

import itertools
from collections.abc import Iterator
from typing import Any

import pytest
import yaml

from generator.document import markdown
from generator.document.local import LABEL_RE
from generator.document.markdown_write import Unwritable, serialize, serialize_inlines, serialize_parts
from generator.document.nodes import (
    Argument,
    Block,
    BulletList,
    Checklist,
    Footnote,
    Inline,
    LineBreak,
    Link,
    NotApplicable,
    NumberedList,
    Paragraph,
    SubHeading,
    Table,
    Text,
)
from tests.conftest import CONSTRUCTS, ROOT

DATA_FILES = sorted(
    [
        *(ROOT / "proposals").glob("*/voorstel.yaml"),
        *(ROOT / "proposals").glob("*/gemeenten/*.yaml"),
        *(ROOT / "voorbeelden").glob("*/proposals/*/voorstel.yaml"),
        *(ROOT / "voorbeelden").glob("*/proposals/*/gemeenten/*.yaml"),
        CONSTRUCTS / "voorstel.yaml",
        *(CONSTRUCTS / "gemeenten").glob("*.yaml"),
    ]
)


def _texts(value: Any, path: str) -> Iterator[tuple[str, str]]:
    if isinstance(value, str) and not value.startswith("{") and len(value) > 2:
        yield path, value
    elif isinstance(value, dict):
        for key, child in value.items():
            yield from _texts(child, f"{path}.{key}")
    elif isinstance(value, list):
        for index, child in enumerate(value):
            yield from _texts(child, f"{path}.{index}")


def _all_texts() -> list[tuple[str, str]]:
    found: list[tuple[str, str]] = []
    for file in DATA_FILES:
        data = yaml.safe_load(file.read_text(encoding="utf-8"))
        found.extend(_texts(data, file.relative_to(ROOT).as_posix()))
    return found


TEXTS = _all_texts()


def _plain(blocks: tuple[Block, ...]) -> tuple[Block, ...]:
    return markdown.parse_blocks(serialize(blocks))[0]


def test_there_are_many_texts_to_check() -> None:
    assert len(TEXTS) > 60
    assert any("\n- " in text for _, text in TEXTS) and any("\n1. " in text for _, text in TEXTS)
    assert any("**" in text for _, text in TEXTS), "bold is among them"


@pytest.mark.parametrize(("where", "text"), TEXTS, ids=[where for where, _ in TEXTS])
def test_parse_of_serialize_is_identity(where: str, text: str) -> None:
    text = "\n".join(LABEL_RE.sub("", line) for line in text.split("\n"))  # labels never reach the parser
    blocks, problems = markdown.parse_blocks(text)
    if problems:
        pytest.skip(f"{where}: the example shows a refused construct")  # not a text the import ever writes
    again = _plain(blocks)
    assert again == blocks, serialize(blocks)


HARD: list[tuple[Block, ...]] = [
    (Paragraph((Text("a "), Text("vet", bold=True), Text("schuin", italic=True), Text(" en "),
                Text("beide", bold=True, italic=True), Text(" *sterren* _en_ [haken]"))),),
    (Paragraph((Text("1. geen lijst, # geen kop, - geen streep"),)),),
    (Paragraph((Text("regel"), LineBreak(), Text("nieuwe regel "), Link("site", "https://example.nl/a_b"))),),
    (NumberedList(((Paragraph((Text("drie"),)),), (Paragraph((Text("vier"),)), Paragraph((Text("meer"),)))), 3),),
    (BulletList(((Paragraph((Text("a"),)), NumberedList(((Paragraph((Text("b"),)),),), 2)),)),),
    (Table(((Text("Jaar"),), (Text("Bedrag | x"),)), (((Text("2025"),), (Text("€ 10"),)),), ("left", "right")),),
    (Paragraph((Text("Zie"), Footnote(1, (Text("de "), Text("noot", italic=True))), Text(" hier."))),),
]  # fmt: skip


def _strip_numbers(inlines: tuple[Inline, ...]) -> tuple[Inline, ...]:
    """Footnote numbers (decided per document) and empty runs (markdown-it leaves one between two marks) aside."""
    return tuple(
        Footnote(0, i.inlines) if isinstance(i, Footnote) else i
        for i in inlines
        if not (isinstance(i, Text) and not i.text)
    )


@pytest.mark.parametrize("blocks", HARD)
def test_constructs_that_need_escaping_or_care(blocks: tuple[Block, ...]) -> None:
    again = _plain(blocks)
    if isinstance(blocks[0], Paragraph) and isinstance(again[0], Paragraph):
        assert _strip_numbers(again[0].inlines) == _strip_numbers(blocks[0].inlines), serialize(blocks)
    else:
        assert again == blocks, serialize(blocks)


# --- the exact Markdown a clerk finds in the YAML after an import ------------------------------------------
# parse(serialize(x)) == x holds for many spellings; the import must write the plainest one, the way a clerk
# would type it, so the YAML diff of an edit made in Word shows only the edit.

T, P = Text, Paragraph

WRITTEN: list[tuple[tuple[Block, ...], str]] = [
    # Word splits runs anywhere; the same formatting joins again, and a placeholder's highlight is no Markdown.
    ((P((T("De "), T("raad"), T(" besluit", highlight=True))),), "De raad besluit"),
    ((P((T("a "), T("vet", bold=True), T(" "), T("schuin", italic=True), T(" en "),
         T("beide", bold=True, italic=True))),), "a **vet** *schuin* en ***beide***"),
    ((P((T("vet", bold=True), T("ter", bold=True), T(" en "), T("a", italic=True), T("b", italic=True))),),
     "**vetter** en *ab*"),
    # Marks that would run together: the italic one is written with underscores.
    ((P((T("x", bold=True), T("y", italic=True))),), "**x**_y_"),
    ((P((T("y", italic=True), T("x", bold=True))),), "_y_**x**"),
    ((P((T("a "), T("y", italic=True), T("x", bold=True))),), "a _y_**x**"),
    ((P((T("a "), T("v", bold=True), T(" "), T("y", italic=True), T("x", bold=True))),), "a **v** _y_**x**"),
    ((P((T("a", italic=True), T("b", bold=True, italic=True))),), "_a**b**_"),  # italic around both, bold inside
    # Word often formats a phrase bold and one word in it also italic: one bold span, the italic nested.
    ((P((T("a ", bold=True), T("b", bold=True, italic=True))),), "**a *b***"),
    ((P((T("a", bold=True), T("b", bold=True, italic=True), T(" c", bold=True))),), "**a*b* c**"),
    ((P((T("b", bold=True, italic=True), T(" c", bold=True))),), "***b* c**"),
    ((P((T("x", bold=True), T(" y", italic=True))),), "**x** *y*"),  # a space between: nothing runs together
    # Spaces at a run's edges stay outside its marks (CommonMark does not read "** vet **" as bold).
    ((P((T("a"), T(" vet ", bold=True), T("b"))),), "a **vet** b"),
    # A bare address stays bare (the parser links it again); other links get brackets, their address escaped.
    ((P((Link("https://example.nl/a", "https://example.nl/a"), T(" en "),
         Link("info@leusden.nl", "mailto:info@leusden.nl"), T(" of "), Link("site", "https://x.nl/a b(c)"),
         T(" en "), Link("mail ons", "mailto:info@leusden.nl"))),),
     "https://example.nl/a en info@leusden.nl of [site](https://x.nl/a%20b%28c%29) en "
     "[mail ons](mailto:info@leusden.nl)"),
    ((P((Link("HTTPS://EXAMPLE.NL", "HTTPS://EXAMPLE.NL"),)),), "HTTPS://EXAMPLE.NL"),
    ((P((Link("Info@Leusden.nl", "MAILTO:info@leusden.nl"),)),), "Info@Leusden.nl"),
    ((P((Link("info", "mailto:info"),)),), "[info](mailto:info)"),
    # A paragraph that would start a list, a heading or a rule gets its first mark escaped, nothing more.
    ((P((T("1. geen lijst"),)),), "1\\. geen lijst"),
    ((P((T("3) ook niet"),)),), "3\\) ook niet"),
    ((P((T("12. twaalf"),)),), "12\\. twaalf"),
    ((P((T("# geen kop"),)),), "\\# geen kop"),
    ((P((T("- geen streep"),)),), "\\- geen streep"),
    ((P((T("*ster* _lig_ [haak] <b> `code` \\ a|b"),)),), "\\*ster\\* \\_lig\\_ \\[haak\\] \\<b> \\`code\\` \\\\ a|b"),
    ((P((T("regel"), LineBreak(), T("volgende"))),), "regel\\\nvolgende"),
    # Lists: tight when every item is one paragraph; loose, with the item's paragraphs indented, otherwise.
    ((BulletList(((P((T("a"),)),), (P((T("b"),)),))),), "- a\n- b"),
    ((NumberedList(((P((T("drie"),)), P((T("meer"),))), (P((T("vier"),)),)), 3),), "3. drie\n\n   meer\n\n4. vier"),
    ((BulletList(((P((T("a"),)), NumberedList(((P((T("b"),)),),), 2)),)),), "- a\n\n  2. b"),
    ((SubHeading((T("Kop "), T("schuin", italic=True))),), "### Kop *schuin*"),
    ((SubHeading((T("Kop | a"), Footnote(1, (T("noot"),)))),), "### Kop | a[^1]\n\n[^1]: noot"),
    ((BulletList(((), (P((T("b"),)),))),), "-\n- b"),  # an item without text keeps its bullet
    # A table: a pipe inside a cell escaped, an empty cell one space, the alignment in the rule.
    ((Table(((T("Jaar"),), (T("Bedrag | x"),), ()), (((T("2025"),), (T("€ 10"),), (T("c"),)),),
            ("left", "right", "center")),),
     "| Jaar | Bedrag \\| x |   |\n| :--- | ---: | :---: |\n| 2025 | € 10 | c |"),
    ((Table(((Link("a|b", "https://x.nl"),),), (((T("c"),),),), ("left",)),),
     "| [a\\|b](https://x.nl) |\n| :--- |\n| c |"),
    ((P((T("a"),)), NotApplicable()), "a\n\nNvt"),
]  # fmt: skip


@pytest.mark.parametrize(("blocks", "expected"), WRITTEN, ids=[f"geval{n}" for n in range(1, len(WRITTEN) + 1)])
def test_the_markdown_is_what_a_clerk_would_type(blocks: tuple[Block, ...], expected: str) -> None:
    assert serialize(blocks) == expected
    assert markdown.parse_blocks(expected)[1] == []  # and the parser takes it without a word


def test_footnotes_are_labelled_from_the_first_number_and_defined_after_the_text() -> None:
    blocks = (P((T("a"), Footnote(7, (T("eerste"),)), T(" b"), Footnote(8, (T("tweede | noot"), T(" *x*")))),),)
    assert serialize(blocks, first_note=3) == "a[^3] b[^4]\n\n[^3]: eerste\n[^4]: tweede | noot \\*x\\*"
    body, definitions = serialize_parts(blocks)
    assert (body, definitions) == ("a[^1] b[^2]", ["[^1]: eerste", "[^2]: tweede | noot \\*x\\*"])
    table = Table(((T("k"), Footnote(1, (T("n|o"),))),), (((T("v"),),),), ("left",))
    assert serialize((table,), first_note=5) == "| k[^5] |\n| :--- |\n| v |\n\n[^5]: n|o"


def test_a_heading_or_field_is_one_line_without_its_notes() -> None:
    assert serialize_inlines((T("kop"), Footnote(1, (T("x"),)), T(" verder", bold=True))) == "kop **verder**"
    assert serialize_inlines((T("a | b"),)) == "a | b"  # a pipe is text outside a table


@pytest.mark.parametrize("block", [Argument("1.1", (T("kop"),), ()), Checklist(())])
def test_fields_that_are_no_text_have_no_markdown(block: Block) -> None:
    with pytest.raises(ValueError, match=f"^geen tekst: {type(block).__name__}$"):
        serialize((block,))


FORMATS = [(False, False), (True, False), (False, True), (True, True)]


def _shape(inlines: tuple[Inline, ...]) -> tuple[str, list[tuple[str, bool, bool]]]:
    """What a reader sees: the words (a paragraph's edges trimmed) and bold and italic per letter."""
    texts = [i for i in inlines if isinstance(i, Text)]
    return "".join(t.text for t in texts).strip(), [(c, t.bold, t.italic) for t in texts for c in t.text if c != " "]


def test_every_mix_of_bold_and_italic_reads_back_or_is_refused() -> None:
    """Every sequence of up to three runs (plain, bold, italic, both; words with and without spaces at their
    edges, so marks touch letters, spaces and each other): the Markdown reads back as the same words with the
    same formatting per letter, or the writer refuses it. Writing run by run, 24% of these read back as other
    text (bold next to bold italic: "**a****_b_**", a literal "**"); the Word import wrote that into the YAML."""
    written = refused = 0
    for count in (1, 2, 3):
        for formats in itertools.product(FORMATS, repeat=count):
            for words in itertools.product(["a", " b", "c ", "d e"], repeat=count):
                runs = tuple(T(w, bold, italic) for w, (bold, italic) in zip(words, formats, strict=True))
                try:
                    text = serialize((P(runs),))
                except Unwritable as exc:
                    assert "midden in een woord" in str(exc)
                    refused += 1
                    continue
                blocks, problems = markdown.parse_blocks(text)
                assert problems == [] and len(blocks) == 1, text
                assert isinstance(blocks[0], Paragraph) and _shape(blocks[0].inlines) == _shape(runs), text
                written += 1
    assert written + refused == sum((4 * 4) ** n for n in (1, 2, 3))
    assert refused < written // 100  # refusals are the rare case: a word that changes formatting mid-word


def test_formatting_markdown_cannot_say_is_refused_with_the_words_named() -> None:
    runs = (T("x"), T("a", bold=True, italic=True), T("b", bold=True), T("c", bold=True, italic=True))
    with pytest.raises(Unwritable, match=r"'abc'.*midden in een woord"):
        serialize((P(runs),))

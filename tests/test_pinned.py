"""Tests that pin numbers, order and formatting: each kills a mutation that a hand-mutation review (issue 27)
found alive, checked by applying the mutation, watching the test fail, and reverting:

- argument labels "1.0" instead of "1.1" (``enumerate(group, start=0)`` in ``document.build``)
  → ``test_argument_labels_count_from_one_per_beslispunt``;
- footnotes in table body rows not renumbered (``rows = block.rows`` in ``document.footnotes._block``)
  → ``test_footnotes_in_table_rows_are_numbered_in_reading_order``;
- two local changes at one label in reverse order (``+change.index`` in ``document.local.apply``'s sort key)
  → ``test_two_local_changes_at_one_label_keep_the_overlay_order`` (and the unit test beside it);
- ODT italic upright (no ``fo:font-style`` on the italic span styles) → ``test_odt_bold_and_italic_spans``;
- an extra empty signature column (``len(signatories) + 1`` columns in the ODT, DOCX)
  → ``test_signature_tables_have_one_column_per_signatory``;
- a local change that names no place accepted (the model checked only "more than one")
  → ``test_a_local_change_must_name_exactly_one_place``.
"""

from __future__ import annotations

import dataclasses
import io
import re
import shutil
import zipfile
from pathlib import Path

import docx
import pytest
from lxml import etree

from generator import api
from generator.document.footnotes import collect
from generator.document.local import Change, apply
from generator.document.nodes import Argument, Document
from generator.errors import DataError
from generator.sources import load_yaml
from generator.writers import WriterOptions, get_writer
from generator.writers.txt import write as txt
from tests.conftest import DOSSIER, PROPOSALS, TEMPLATES
from tests.ir_sample import sample_document
from tests.test_local_text import make

ODF = {
    "office": "urn:oasis:names:tc:opendocument:xmlns:office:1.0",
    "style": "urn:oasis:names:tc:opendocument:xmlns:style:1.0",
    "text": "urn:oasis:names:tc:opendocument:xmlns:text:1.0",
    "table": "urn:oasis:names:tc:opendocument:xmlns:table:1.0",
    "fo": "urn:oasis:names:tc:opendocument:xmlns:xsl-fo-compatible:1.0",
}
W = "{http://schemas.openxmlformats.org/wordprocessingml/2006/main}"


# --- numbers ---------------------------------------------------------------------------------------------


def test_argument_labels_count_from_one_per_beslispunt() -> None:
    data, _ = load_yaml(PROPOSALS / DOSSIER / "voorstel.yaml")
    expected: list[str] = []
    for number in range(1, len(data["beslispunten"]) + 1):
        count = sum(int(a["beslispunt"]) == number for a in data["argumenten"])
        expected += [f"{number}.{k}" for k in range(1, count + 1)]
    assert expected[:2] == ["1.1", "1.2"]  # the example has more than one argument for beslispunt 1

    doc = api.documents(PROPOSALS / DOSSIER, ["leusden"])["leusden"]
    (section,) = [s for s in doc.sections if s.key == "argumenten"]
    assert [b.label for b in section.blocks if isinstance(b, Argument)] == expected
    text = txt(doc)
    assert [label for label in expected if re.search(rf"^{re.escape(label)} ", text, re.M)] == expected


FOOTNOTED_TABLE = """
  Vooraf een noot.[^a]

  | Fase[^b] | Bedrag |
  |------|-------:|
  | Eerste[^c] | € 10.000 |
  | Tweede | € 20.000[^d] |

  Daarna nog een.[^e]

  [^a]: Noot a.
  [^b]: Noot b.
  [^c]: Noot c.
  [^d]: Noot d.
  [^e]: Noot e.
"""


def test_footnotes_in_table_rows_are_numbered_in_reading_order(tmp_path: Path) -> None:
    shutil.copytree(PROPOSALS, tmp_path / "proposals")
    dossier = tmp_path / "proposals" / DOSSIER
    voorstel = dossier / "voorstel.yaml"
    text = voorstel.read_text(encoding="utf-8")
    anchor = "  met de daarvoor bestemde impulsgelden van de Rijksoverheid.\n"
    voorstel.write_text(text.replace(anchor, anchor + FOOTNOTED_TABLE, 1), encoding="utf-8")
    doc = api.documents(dossier, ["leusden"])["leusden"]
    (section,) = [s for s in doc.sections if s.key == "aanleiding"]
    notes = collect(section.blocks)
    assert [(n.number, n.inlines[0].text) for n in notes] == [  # type: ignore[union-attr]
        (1, "Noot a."), (2, "Noot b."), (3, "Noot c."), (4, "Noot d."), (5, "Noot e.")
    ]  # fmt: skip
    # the numbers go on through the document: no other section starts again at 1
    everything = [n.number for s in doc.sections for n in collect(s.blocks)]
    assert everything == list(range(1, len(everything) + 1))


# --- order -----------------------------------------------------------------------------------------------


def test_two_local_changes_at_one_label_keep_the_overlay_order_in_apply() -> None:
    source = "Een. [#a]\n\nTwee.\n\n- punt [#p]\n- laatste\n"
    changes = [
        Change(0, "na", "a", "Eerst erna."),
        Change(1, "na", "a", "Daarna erna."),
        Change(2, "voor", "a", "Eerst ervoor."),
        Change(3, "voor", "a", "Daarna ervoor."),
        Change(4, "na", "p", "eerste punt erna"),
        Change(5, "na", "p", "tweede punt erna"),
    ]
    result = apply(source, changes)
    assert [line for line in result.text.split("\n") if line] == [
        "Eerst ervoor.", "Daarna ervoor.", "Een.", "Eerst erna.", "Daarna erna.", "Twee.",
        "- punt", "- eerste punt erna", "- tweede punt erna", "- laatste",
    ]  # fmt: skip


def test_two_local_changes_at_one_label_keep_the_overlay_order(tmp_path: Path) -> None:
    overlay = (
        "\nlokaal:\n  aanleiding:\n"
        "    - na: dekking\n      tekst: Eerste lokale alinea.\n"
        "    - na: dekking\n      tekst: Tweede lokale alinea.\n"
    )
    dossier = make(tmp_path, overlay)
    text = txt(api.documents(dossier, ["amersfoort"])["amersfoort"])
    assert "Rijksoverheid.\n\nEerste lokale alinea.\n\nTweede lokale alinea.\n" in text


# --- formatting ------------------------------------------------------------------------------------------


def _odt(doc: Document) -> dict[str, etree._Element]:
    data = get_writer("odt")(doc, WriterOptions(TEMPLATES))
    assert isinstance(data, bytes)
    with zipfile.ZipFile(io.BytesIO(data)) as package:
        return {name: etree.fromstring(package.read(name)) for name in ("content.xml", "styles.xml")}


def _span_properties(parts: dict[str, etree._Element], text: str) -> dict[str, str]:
    """The text properties of the span holding exactly ``text`` (its automatic style, in content.xml)."""
    content = parts["content.xml"]
    (span,) = [s for s in content.iterfind(".//text:span", ODF) if "".join(s.itertext()) == text]
    name = span.get(f"{{{ODF['text']}}}style-name")
    styles = [*content.iterfind(".//style:style", ODF), *parts["styles.xml"].iterfind(".//style:style", ODF)]
    (style,) = [s for s in styles if s.get(f"{{{ODF['style']}}}name") == name]
    props = style.find("style:text-properties", ODF)
    assert props is not None
    return {etree.QName(k).localname: v for k, v in props.attrib.items()}


def test_odt_bold_and_italic_spans() -> None:
    parts = _odt(sample_document())
    italic = _span_properties(parts, "schuin")
    bold = _span_properties(parts, "vet")
    assert italic.get("font-style") == "italic" and italic.get("font-weight", "normal") == "normal"
    assert bold.get("font-weight") == "bold" and bold.get("font-style", "normal") == "normal"


def test_signature_tables_have_one_column_per_signatory() -> None:
    doc = sample_document()
    signatories = len(doc.signature.signatories)
    assert signatories == 2

    content = _odt(doc)["content.xml"]
    tables = content.iterfind(".//table:table", ODF)
    (table,) = [t for t in tables if t.get(f"{{{ODF['table']}}}name") == "Ondertekening"]
    columns = sum(
        int(c.get(f"{{{ODF['table']}}}number-columns-repeated", "1")) for c in table.iterfind("table:table-column", ODF)
    )
    rows = table.findall("table:table-row", ODF)
    assert columns == signatories
    assert [len(r.findall("table:table-cell", ODF)) for r in rows] == [signatories, signatories]
    assert all("".join(c.itertext()).strip() for r in rows for c in r.findall("table:table-cell", ODF))

    data = get_writer("docx")(doc, WriterOptions(TEMPLATES))
    assert isinstance(data, bytes)
    last = docx.Document(io.BytesIO(data)).tables[-1]
    grid = last._tbl.find(f"{W}tblGrid")
    assert grid is not None and len(grid.findall(f"{W}gridCol")) == signatories
    assert [len(r.cells) for r in last.rows] == [signatories, signatories]
    assert [c.text for c in last.rows[1].cells] == [s.title for s in doc.signature.signatories]


# --- what the model accepts --------------------------------------------------------------------------------


@pytest.mark.parametrize(
    "change",
    [
        "      tekst: Lokaal.\n",  # no place at all
        "      na: dekking\n      voor: dekking\n      tekst: Lokaal.\n",  # two places
    ],
    ids=["none", "two"],
)
def test_a_local_change_must_name_exactly_one_place(tmp_path: Path, change: str) -> None:
    overlay = "\nlokaal:\n  aanleiding:\n    - " + change.lstrip()
    dossier = make(tmp_path, overlay)
    with pytest.raises(DataError) as info:
        api.documents(dossier, ["amersfoort"])
    lines = (dossier / "gemeenten" / "amersfoort.yaml").read_text(encoding="utf-8").splitlines()
    first = next(n for n, line in enumerate(lines, start=1) if line.startswith("    - "))
    (problem,) = info.value.problems
    assert problem.field == "lokaal.aanleiding[1]"
    assert problem.location.file.endswith("gemeenten/amersfoort.yaml") and problem.location.line == first
    assert "schrijf precies één van na, voor, in_plaats_van of verwijder" in problem.message


# --- survivors of `make mutate` in document/local.py (docs/testing.md, "Mutatietests") --------------------


def test_local_text_takes_the_shape_of_its_place_exactly() -> None:
    """Line for line: a paragraph before another stays a paragraph of its own (not a lazy continuation), a
    list item's further lines are indented under its marker (blank lines stay empty), a multi-line item is
    followed, not split, and a row given as a block (with its final newline) stays inside its table."""
    assert apply("Een. [#a]\n\nTwee.\n", [Change(0, "voor", "a", "Nul.")]).text == "Nul.\n\nEen.\n\nTwee.\n"
    item = apply("1. een [#een]\n2. twee\n", [Change(0, "na", "een", "anderhalf\n\nmet uitleg\n")])
    assert item.text == "1. een\n1. anderhalf\n\n   met uitleg\n2. twee\n"
    long_item = apply("- een\n  vervolg [#een]\n- twee\n", [Change(0, "na", "een", "anderhalf")])
    assert long_item.text == "- een\n  vervolg\n- anderhalf\n- twee\n"
    loose = apply("- een [#een]\n\n- twee\n\n- drie\n", [Change(0, "na", "een", "anderhalf")])
    assert loose.text == "- een\n- anderhalf\n\n- twee\n\n- drie\n"
    later = apply("- een\n\n- twee [#twee]\n\n- drie\n", [Change(0, "na", "twee", "tweeënhalf")])
    assert later.text == "- een\n\n- twee\n- tweeënhalf\n\n- drie\n"
    row = apply("| a | b |\n|---|---|\n| 1 | 2 | [#r1]\n| 3 | 4 |\n", [Change(0, "na", "r1", "| 1b | 2b |\n")])
    assert row.text == "| a | b |\n|---|---|\n| 1 | 2 |\n| 1b | 2b |\n| 3 | 4 |\n"


def test_every_unknown_label_is_reported_with_the_labels_that_exist() -> None:
    found = apply("Een. [#a]\n\nTwee. [#b]\n", [Change(0, "na", "x", "y"), Change(1, "voor", "z", "y")])
    assert found.problems == (
        (0, "label 'x' bestaat niet in de gedeelde tekst (labels: a, b)"),
        (1, "label 'z' bestaat niet in de gedeelde tekst (labels: a, b)"),
    )
    none = apply("Een.\n", [Change(0, "na", "x", "y")])
    assert none.problems == ((0, "label 'x' bestaat niet in de gedeelde tekst (labels: geen; zet eerst een label "
                                 "als [#naam] achter een regel in de tekst)"),)  # fmt: skip
    twice = apply("Een. [#a]\n\nTwee. [#a]\n", [])
    assert twice.problems == ((None, "het label [#a] staat twee keer in deze tekst; geef elke plaats een eigen naam"),)


def test_lines_of_the_shared_text_keep_their_own_line_numbers() -> None:
    result = apply("Een. [#a]\n\nTwee.\n", [Change(0, "voor", "a", "Nul.")])
    assert [(o.change, o.line) for o in result.origins] == [(0, 1), (0, 1), (None, 1), (None, 2), (None, 3), (None, 4)]


def test_a_problem_in_the_shared_text_of_a_municipality_with_local_text_points_at_voorstel_yaml(
    tmp_path: Path,
) -> None:
    dossier = make(tmp_path)  # amersfoort has local changes in aanleiding
    voorstel = dossier / "voorstel.yaml"
    text = voorstel.read_text(encoding="utf-8")
    anchor = "  met de daarvoor bestemde impulsgelden van de Rijksoverheid. [#dekking]\n"
    voorstel.write_text(text.replace(anchor, anchor + "\n  Zie ook[^nergens].\n", 1), encoding="utf-8")
    line = next(n for n, t in enumerate(voorstel.read_text(encoding="utf-8").splitlines(), 1) if "[^nergens]" in t)
    with pytest.raises(DataError) as info:
        api.documents(dossier, ["amersfoort"])
    problems = [p for p in info.value.problems if "nergens" in p.message]
    assert {(p.location.file.rsplit("/", 1)[-1], p.location.line) for p in problems} == {("voorstel.yaml", line)}


def test_a_missing_first_section_points_at_the_section_after_it(tmp_path: Path) -> None:
    """`make mutate` survivors in resolve._missing_section: only "after the one before" was tested."""
    shutil.copytree(PROPOSALS, tmp_path / "proposals")
    voorstel = tmp_path / "proposals" / DOSSIER / "voorstel.yaml"
    text = voorstel.read_text(encoding="utf-8")
    start, end = text.index("aanleiding: |\n"), text.index("wettelijke_grondslag:")
    voorstel.write_text(text[:start] + text[end:], encoding="utf-8")
    line = next(n for n, t in enumerate(voorstel.read_text(encoding="utf-8").splitlines(), 1)
                if t.startswith("wettelijke_grondslag:"))  # fmt: skip
    found = [str(p) for p in api.validate([voorstel.parent]).errors]
    assert found == [
        f"{voorstel}:{line}: veld 'aanleiding': onderdeel 1. Aanleiding ('aanleiding') ontbreekt; voeg 'aanleiding:' "
        f"toe voor 'wettelijke_grondslag' (regel {line}), of schrijf 'aanleiding: nvt'"
    ]


def test_a_footnote_used_twice_names_its_label_at_the_second_place() -> None:
    """`make mutate` survivor in document.markdown._footnote: the message was checked for "tweede keer" only."""
    from generator.document.markdown import parse_blocks

    _, problems = parse_blocks("Een[^bron] en\nnog eens[^bron].\n\n[^bron]: Noot.\n")
    assert [(p.line, p.message) for p in problems] == [
        (2, "voetnoot [^bron] staat hier voor de tweede keer; geef elke plaats een eigen voetnoot")
    ]


def test_an_unknown_variable_names_the_closest_or_the_known_names(tmp_path: Path) -> None:
    """`make mutate` survivors in document.variables._closest: the advice itself was not pinned."""
    shutil.copytree(PROPOSALS, tmp_path / "proposals")
    voorstel = tmp_path / "proposals" / DOSSIER / "voorstel.yaml"
    old = "  op het gebied van werk en participatie:\n"
    text = voorstel.read_text(encoding="utf-8")
    voorstel.write_text(text.replace(old, "  Zie {{ qqqq }}, {{ gemeente.nam }} en {{ waarden.bedragg }}.\n" + old, 1),
                        encoding="utf-8")  # fmt: skip
    messages = sorted(p.message for p in api.validate([voorstel.parent]).errors)
    assert messages == [
        "onbekend veld 'gemeente.nam'; bedoelde u 'naam'?",
        "onbekend veld 'waarden.bedragg'; bedoelde u 'bedrag_overgeheveld'?",  # a ratio of 0.54: the cutoff is 0.5
        "onbekende variabele 'qqqq'; bekende namen: deelnemers, gemeente, onderwerp, partners, waarden",
    ]


def test_the_placeholder_count_is_one_per_highlighted_place() -> None:
    """`make mutate` survivors in document.kinds.placeholder_count: the count build and batch print."""
    from generator.document.kinds import placeholder_count
    from generator.document.nodes import Text

    doc = sample_document()  # one [INVULLEN: bedrag] in § 15
    assert placeholder_count(doc) == 1
    signatory = dataclasses.replace(doc.signature.signatories[0], name=(Text("[INVULLEN: naam]", highlight=True),))
    signature = dataclasses.replace(doc.signature, signatories=(signatory, *doc.signature.signatories[1:]))
    assert placeholder_count(dataclasses.replace(doc, signature=signature)) == 2

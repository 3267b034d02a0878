"""Every IR node knows where it came from (issue 27 item 3): file, key path, line, and the variables it shows."""

from __future__ import annotations

import dataclasses

import pytest

from generator import api
from generator.document import origins
from generator.document.nodes import Argument, Document, NumberedList, Paragraph, Source, SubHeading, Text
from tests.conftest import DOSSIER, PROPOSALS

VOORSTEL = PROPOSALS / DOSSIER / "voorstel.yaml"


def _line_of(text: str) -> int:
    """The 1-based line of voorstel.yaml that starts with ``text`` (after indentation)."""
    lines = VOORSTEL.read_text(encoding="utf-8").split("\n")
    return next(n for n, line in enumerate(lines, start=1) if line.strip().startswith(text))


def _leusden() -> Document:
    return api.documents(PROPOSALS / DOSSIER, ["leusden"])["leusden"]


def test_paragraphs_know_their_file_key_and_line() -> None:
    doc = _leusden()
    aanleiding = next(s for s in doc.sections if s.key == "aanleiding")
    assert aanleiding.source is not None and aanleiding.source.path == ("aanleiding",)
    first, heading = aanleiding.blocks[0], aanleiding.blocks[3]
    assert isinstance(first, Paragraph) and isinstance(heading, SubHeading)
    assert first.source is not None and first.source.path == ("aanleiding",)
    assert first.source.file.endswith("voorstel.yaml")
    assert first.source.line == _line_of("Onze gemeente staat voor drie grote")
    assert heading.source is not None and heading.source.line == _line_of("### Opgave")
    listed = aanleiding.blocks[1]  # a list starts at its first item (its start number is no line number)
    assert isinstance(listed, NumberedList) and listed.source is not None
    assert listed.source.line == _line_of("1. De impuls sociale infrastructuur")


def test_list_items_and_arguments_point_at_their_own_entry() -> None:
    doc = _leusden()
    voorstel = next(s for s in doc.sections if s.key == "beslispunten")
    decisions = voorstel.blocks[0]
    assert isinstance(decisions, NumberedList)
    second = decisions.items[1][0].source
    assert second is not None and second.path == ("beslispunten", 1)
    assert second.line == _line_of("De opgave ‘Impuls sociale infrastructuur en toekomst sociaal ontwikkelbedrijf’ bek")
    arguments = [b for s in doc.sections for b in s.blocks if isinstance(b, Argument)]
    assert [a.source.path for a in arguments if a.source] == [("argumenten", i) for i in range(5)]
    body = arguments[4].body[0].source
    assert body is not None and body.path == ("argumenten", 4, "tekst")
    assert body.line == _line_of("Vanaf 2025 ontvangen gemeenten jaarlijks")


def test_text_from_a_variable_names_the_variable_and_its_value() -> None:
    doc = _leusden()
    found = [
        source
        for section in doc.sections
        for source in origins.block_sources(section.blocks)
        if any("bedrag_overgeheveld" in expression for expression, _ in source.variables)
    ]
    assert found, "the paragraph with the Wsw amount names its variable"
    expression, value = next(v for v in found[0].variables if "bedrag_overgeheveld" in v[0])
    assert expression == "{{ waarden.bedrag_overgeheveld }}"
    assert value == "€\u00a054.400"  # the value as the context formats it (a no-break space)
    assert origins.section_using(doc, "waarden.bedrag_overgeheveld") is not None


def test_sources_do_not_change_equality() -> None:
    """Two equal texts from different places are the same text to the writers and the diff."""
    here = Paragraph((), Source("a.yaml", ("aanleiding",), 3))
    there = Paragraph((), Source("b.yaml", ("vervolg",), 9))
    assert here == there and hash(here) == hash(there)


def test_signatories_point_at_the_registry() -> None:
    doc = _leusden()
    sources = [s.source for s in doc.signature.signatories]
    assert [s.path for s in sources if s] == [("gemeenten", "leusden", "secretaris", "naam"),
                                             ("gemeenten", "leusden", "burgemeester", "naam")]  # fmt: skip
    registry = (PROPOSALS / "gemeenten.yaml").read_text(encoding="utf-8").split("\n")
    for source in sources:
        assert source is not None and source.file.endswith("gemeenten.yaml")
        name = doc.signature.signatories[sources.index(source)].name
        assert "".join(i.text for i in name if hasattr(i, "text")) in registry[source.line - 1]


def _doc_using(expression: str) -> Document:
    source = Source("voorstel.yaml", ("aanleiding",), 3, ((expression, "x"),))
    doc = _leusden()
    first = doc.sections[0]
    shown = dataclasses.replace(first, blocks=(Paragraph((), source=source),))
    return dataclasses.replace(doc, sections=(shown, *(dataclasses.replace(s, blocks=()) for s in doc.sections[1:])))


@pytest.mark.parametrize(
    ("expression", "name", "uses"),
    [
        ("{{ waarden.bedrag }}", "waarden.bedrag", True),
        ("{{waarden.bedrag}}", "waarden.bedrag", True),
        ("{{ waarden.bedrag | bedrag }}", "waarden.bedrag", True),  # a filter after the name
        ("{{ gemeente.naam | upper | trim }}", "gemeente.naam", True),  # … or two
        ("{{ waarden.bedrag.totaal }}", "waarden.bedrag", True),  # a value under the variable
        ("{{ waarden.bedrag }}", "waarden", True),
        ("{{ waarden.bedragen }}", "waarden.bedrag", False),  # another name that starts the same
        ("{{ waarden.bedrag }}", "waarden.bedrag.totaal", False),
        ("{{ andere.bedrag }}", "waarden.bedrag", False),
    ],
)
def test_section_using_knows_a_variable_by_its_name(expression: str, name: str, uses: bool) -> None:
    doc = _doc_using(expression)
    assert (origins.section_using(doc, name) is doc.sections[0]) is uses


def test_fields_of_maps_each_data_field_to_the_blocks_it_became() -> None:
    """The Word import reads a DOCX back through this map: one entry per field, keyed as the DOCX marks it."""
    fields = origins.fields_of(_leusden())
    keys = list(fields)
    assert keys[0] == (("onderwerp",), "veld")
    aanleiding = fields[(("aanleiding",), "tekst")]  # one text field, all the blocks it became
    assert len(aanleiding) == 9 and isinstance(aanleiding[0], Paragraph) and isinstance(aanleiding[1], NumberedList)
    assert [type(b).__name__ for b in fields[(("deadline",), "tekst")]] == ["NotApplicable"]
    # A list field: one entry per item, never the list as a whole; an argument: its heading and its text apart.
    decisions = [k for k in keys if k[0][0] == "beslispunten"]
    assert decisions == [(("beslispunten", 0), "item"), (("beslispunten", 1), "item")]
    arguments = [k for k in keys if k[0][0] == "argumenten"]
    assert arguments[:4] == [(("argumenten", 0, "kop"), "kop"), (("argumenten", 0, "tekst"), "tekst"),
                             (("argumenten", 1, "kop"), "kop"), (("argumenten", 1, "tekst"), "tekst")]  # fmt: skip
    heading = fields[(("argumenten", 0, "kop"), "kop")]
    assert len(heading) == 1 and isinstance(heading[0], Paragraph)
    participation = [k for k in keys if k[0][0] == "burgerparticipatie"]
    assert participation[0] == (("burgerparticipatie", "tekst"), "tekst")
    assert participation[1:] == [(("burgerparticipatie", "stakeholders", n), "item") for n in range(4)]
    # The Global Goals are a list of numbers, not text: they have no entry (the import reads the ticks apart).
    assert not any(k[0][0] == "global_goals" for k in keys)
    assert all(role in ("veld", "tekst", "item", "kop") for _, role in keys)


def test_fields_of_has_the_title_block_values_and_the_subject_as_one_paragraph_each() -> None:
    from tests.conftest import ROOT

    doc = api.documents(ROOT / "voorbeelden" / "raadsronde" / "proposals" / "schuldhulp-eemland", ["eemdal"])["eemdal"]
    fields = origins.fields_of(doc)
    values = {key[0]: blocks for key, blocks in fields.items() if key[1] == "veld"}
    assert list(values) == [("onderwerp",), *(f.source.path for f in doc.fields if f.source is not None)]
    assert len(values) == 1 + len(doc.fields) == 6
    assert values[("onderwerp",)] == (Paragraph(doc.subject_display),)
    assert values[("zaaknummer",)] == (Paragraph((Text("Z-2026-0117"),)),)
    # A section a layout profile merged starts with a sub-heading of its own (no source): the text fields after
    # it are still there.
    merged = next(s for s in doc.sections if s.key == "vervolg")
    assert merged.blocks[0].source is None
    for block in merged.blocks[1:]:
        if block.source is not None:
            assert block in fields[(block.source.path, "tekst")]
    # Every entry of a list field holds its item's blocks; every argument heading is one paragraph with its words.
    for (path, role), blocks in fields.items():
        assert blocks, path
        if role == "kop":
            assert isinstance(blocks[0], Paragraph) and blocks[0].inlines


@pytest.mark.parametrize("expression", ["{{ waarden.bedrag|bedrag }}", "{{waarden.bedrag|bedrag}}"])
def test_a_filter_written_without_spaces_still_names_the_variable(expression: str) -> None:
    doc = _doc_using(expression)
    assert origins.section_using(doc, "waarden.bedrag") is doc.sections[0]

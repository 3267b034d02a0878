"""One source for the 21 sections: ``model/sections.py``'s table and the pydantic model agree, both ways.

The table decides numbering, titles, hints (``new``, the JSON Schema) and how the builder renders a section; the
model decides what a data file may hold. A section added to one and not the other would be a key that
validates but never renders, or a numbered section no file can fill.
"""

from __future__ import annotations

from pydantic.fields import FieldInfo

from generator.model.proposal import Voorstel
from generator.model.schema import schema
from generator.model.sections import BY_KEY, SECTIONS, Kind

#: The fields of a proposal that are not sections: its metadata before them, signing and local text after.
NOT_SECTIONS_BEFORE = (
    "onderwerp", "gemeenten", "datum_college", "datum_raad", "zaaknummer", "portefeuillehouder", "agendapunt",
    "status", "gelet_op", "amendementen", "variabelen", "waarden",
    "samenvatting",  # the residents' summary: no section of the reference form, placed by a layout profile
)  # fmt: skip
NOT_SECTIONS_AFTER = ("ondertekening", "lokaal")


def _shape(info: FieldInfo) -> tuple[object, ...]:
    """What decides how a field validates: its type and the metadata pydantic keeps beside it."""
    return (info.annotation, tuple(repr(m) for m in info.metadata))


def test_the_table_numbers_its_21_sections_in_order() -> None:
    assert [s.number for s in SECTIONS] == list(range(1, 22))
    assert len(BY_KEY) == len(SECTIONS) == 21  # keys are unique


def test_every_table_key_is_a_required_model_field_in_table_order() -> None:
    fields = list(Voorstel.model_fields)
    for spec in SECTIONS:
        assert spec.key in fields, f"section {spec.number} '{spec.key}' is not a field of Voorstel"
        assert Voorstel.model_fields[spec.key].is_required(), spec.key  # a section is never silently absent
    assert [f for f in fields if f in BY_KEY] == [s.key for s in SECTIONS]


def test_every_section_field_of_the_model_is_in_the_table() -> None:
    fields = list(Voorstel.model_fields)
    first, last = fields.index(SECTIONS[0].key), fields.index(SECTIONS[-1].key)
    assert tuple(fields[:first]) == NOT_SECTIONS_BEFORE
    assert fields[first : last + 1] == [s.key for s in SECTIONS]  # nothing between the sections but sections
    assert tuple(fields[last + 1 :]) == NOT_SECTIONS_AFTER


def test_each_kind_has_one_model_type() -> None:
    """The builder renders by the table's kind; the model must validate every section of a kind alike."""
    shapes: dict[Kind, set[tuple[object, ...]]] = {}
    for spec in SECTIONS:
        shapes.setdefault(spec.kind, set()).add(_shape(Voorstel.model_fields[spec.key]))
    assert all(len(found) == 1 for found in shapes.values()), shapes
    assert len({next(iter(found)) for found in shapes.values()}) == len(shapes)  # and kinds differ
    assert {spec.kind for spec in SECTIONS} == set(Kind)


def test_the_schema_describes_each_section_from_the_table() -> None:
    properties = schema("voorstel")["properties"]
    for spec in SECTIONS:
        assert properties[spec.key]["description"].startswith(f"{spec.number}. {spec.title}"), spec.key

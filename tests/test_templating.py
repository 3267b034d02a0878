"""Variables in text: look-ups only, in Jinja's immutable sandbox."""

from __future__ import annotations

from pathlib import Path

import pytest

from generator.document.variables import check, render

CONTEXT = {
    "gemeente": {"naam": "Soest", "slug": "soest"},
    "partners": "Baarn en Leusden",
    "waarden": {"x": "€ 5"},
}


def test_lookups_render() -> None:
    source = "Gemeente {{ gemeente.naam }} werkt met {{ partners }} ({{ waarden.x }}, {{ gemeente['slug'] }})."
    assert check(source, CONTEXT) == []
    assert render(source, CONTEXT) == "Gemeente Soest werkt met Baarn en Leusden (€ 5, soest)."


def test_allowed_filter() -> None:
    assert check("{{ gemeente.slug | hoofdletter }}", CONTEXT) == []
    assert render("{{ gemeente.slug | hoofdletter }}", CONTEXT) == "Soest"


@pytest.mark.parametrize(
    ("source", "fragment"),
    [
        ("{{ gemeente.naam.upper() }}", "geen berekeningen of aanroepen"),
        ("{{ 6 * 7 }}", "geen berekeningen"),
        ("{% for g in partners %}{{ g }}{% endfor %}", "geen {% … %}"),
        ("{% if 1 %}x{% endif %}", "geen {% … %}"),
        ("{{ gemeente.__class__ }}", "'_'"),
        ("{{ gemeente._private }}", "'_'"),
        ("{{ cycler }}", "onbekende variabele 'cycler'"),
        ("{{ gemeent.naam }}", "bedoelde u 'gemeente'?"),
        ("{{ gemeente.nam }}", "onbekend veld 'gemeente.nam'; bedoelde u 'naam'?"),
        ("{{ partners | upper }}", "filter 'upper' is niet toegestaan"),
        ("{{ partners | hoofdletter(1) }}", "neemt geen argumenten"),
        ("{{ partners", "ongeldige variabele"),
        ("{{ range(10) }}", "aanroepen"),
    ],
)
def test_everything_but_lookups_is_refused(source: str, fragment: str) -> None:
    problems = check(source, CONTEXT)
    assert problems, source
    assert fragment in problems[0].message


def test_problem_line_is_the_line_inside_the_text() -> None:
    problems = check("regel een\nregel twee\n{{ onbekend }}\n", CONTEXT)
    assert [p.line for p in problems] == [3]


def test_values_are_inserted_as_they_are() -> None:
    """Values are text: no Markdown escapes in them (the Markdown around them is parsed without them)."""
    assert render("{{ gemeente.naam }}", {"gemeente": {"naam": "<b>&amp; *x*"}}) == "<b>&amp; *x*"


@pytest.mark.parametrize("name", ["items", "keys", "values", "get", "copy", "pop", "update", "__class__"])
def test_lookups_find_only_the_datas_own_keys(name: str) -> None:
    """``{{ waarden.items }}`` printed a bound method (with a memory address) even when 'items' was a value."""
    context = {"waarden": {name: "de waarde"}}
    source = f"{{{{ waarden.{name} }}}} en {{{{ waarden['{name}'] }}}}"
    if name.startswith("_"):
        assert check(source, context)
        return
    assert check(source, context) == []
    assert render(source, context) == "de waarde en de waarde"
    assert "onbekend veld" in check(f"{{{{ waarden.{name} }}}}", {"waarden": {"x": "1"}})[0].message


@pytest.mark.parametrize("source", ["{{ gemeente }}", "{{ waarden }}", "{{ gemeente | hoofdletter }}"])
def test_a_group_of_values_is_refused(source: str) -> None:
    problems = check(source, {**CONTEXT, "waarden": {"x": "1"}})
    assert problems and "groep van waarden" in problems[0].message


@pytest.mark.parametrize(
    "expression",
    ["(" * 120 + "gemeente.naam" + ")" * 120, "gemeente" + ".naam" * 5000, "[" * 50 + "1" + "]" * 50],
    ids=["parentheses", "long-path", "brackets"],
)
def test_expressions_too_deep_are_a_located_problem(expression: str) -> None:
    problems = check(f"regel een\n{{{{ {expression} }}}}", CONTEXT)
    assert problems and problems[0].line in (1, 2)
    assert "genest" in problems[0].message


def test_evaluation_refuses_what_check_would_miss() -> None:
    with pytest.raises(ValueError, match="onbekende variabele"):
        render("{{ x.__class__ }}", {"x": "s"})


def test_values_are_plain_text_in_the_document(dossier: Path) -> None:
    """A value that looks like Markdown stays text: no list at 2024, no entity decoded, no emphasis."""
    from generator.api import documents
    from generator.document.nodes import NumberedList, Paragraph, Text

    value = "2024. *niet vet* &amp; <b> [geen link](https://e.nl)"
    overlay = dossier / "gemeenten" / "leusden.yaml"
    overlay.write_text(
        overlay.read_text(encoding="utf-8").replace("najaarsnota 2024", f"'{value}'"), encoding="utf-8"
    )
    voorstel = dossier / "voorstel.yaml"
    text = voorstel.read_text(encoding="utf-8")
    voorstel.write_text(text.replace("aanleiding: |\n", "aanleiding: |\n  {{ waarden.overheveling_via }} slot\n\n", 1),
                        encoding="utf-8")  # fmt: skip
    document = documents(dossier, ["leusden"])["leusden"]
    first = document.sections[0].blocks[0]
    assert not isinstance(first, NumberedList)
    assert isinstance(first, Paragraph)
    assert first.inlines == (Text(f"{value} slot"),)

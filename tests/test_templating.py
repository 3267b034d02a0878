"""Variables in text: look-ups only, in Jinja's immutable sandbox."""

from __future__ import annotations

import pytest

from generator.document.variables import check, markdown_escape, render

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


def test_values_cannot_inject_markdown() -> None:
    assert markdown_escape("*vet* [link](https://x)") == r"\*vet\* \[link\](https://x)"
    assert render("{{ gemeente.naam }}", {"gemeente": {"naam": "<b>&"}}) == r"\<b\>&"


def test_sandbox_blocks_what_check_would_miss() -> None:
    with pytest.raises(ValueError, match="kon niet worden ingevuld"):
        render("{{ x.__class__ }}", {"x": "s"})

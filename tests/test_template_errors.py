"""A bad house style or template file is the clerk's (or designer's) mistake, not a bug: a Dutch message that
names the file and line, exit code 1 — never "interne fout" (a ``ValueError`` reaching the CLI)."""

from __future__ import annotations

from pathlib import Path

import pytest

from generator.errors import TemplateError
from generator.writers import housestyle
from tests.conftest import DOSSIER, ROOT, Invoke

GOOD_TOML = (ROOT / "generator" / "templates" / "huisstijl.toml").read_text(encoding="utf-8")


def line_of(text: str, start: str) -> int:
    return next(i for i, line in enumerate(text.splitlines(), 1) if line.startswith(start))


@pytest.mark.parametrize(
    ("old", "new", "expected"),
    [
        ("width_mm = 210", "width_mm = ", "geen geldige TOML (Invalid value)"),
        ("width_mm = 210", "width_mm = -210", "width_mm = -210 moet een positief getal zijn"),
        ("body_pt = 10.5", 'body_pt = "groot"', "body_pt = 'groot' moet een positief getal zijn"),
        ('muted = "#5A5A5A"', 'muted = "grijs"', "colour.muted = 'GRIJS' is geen kleur als '#1F4E79'"),
        ("footer_mm = 13", "footer_mm = 13\nvoet_mm = 13", "onbekende sleutel page.voet_mm"),
        ('pdf = "Liberation Sans"', "pdf = 12", "font.pdf moet de naam van een lettertype zijn"),
    ],
    ids=["syntax", "negative", "text-for-number", "colour", "unknown-key", "font-name"],
)
def test_a_bad_house_style_names_file_and_line(tmp_path: Path, old: str, new: str, expected: str) -> None:
    text = GOOD_TOML.replace(old, new)
    assert text != GOOD_TOML
    path = tmp_path / "huisstijl.toml"
    path.write_text(text, encoding="utf-8")
    with pytest.raises(TemplateError) as caught:
        housestyle.load(path)
    line = line_of(text, new.split("\n")[-1].split(" = ")[0] + " =")
    assert str(caught.value).startswith(f"huisstijl {path}:{line}"), caught.value
    assert expected in str(caught.value)


def test_a_house_style_without_a_key_or_table_says_which(tmp_path: Path) -> None:
    path = tmp_path / "huisstijl.toml"
    path.write_text(GOOD_TOML.replace("height_mm = 297\n", ""), encoding="utf-8")
    with pytest.raises(TemplateError, match=r"^huisstijl .*huisstijl.toml: \[page\] mist height_mm$"):
        housestyle.load(path)
    path.write_text(GOOD_TOML.replace("[colour]", "[kleur]"), encoding="utf-8")
    with pytest.raises(TemplateError, match=r"de tabel \[colour\] ontbreekt"):
        housestyle.load(path)


def test_the_cli_reports_a_bad_house_style_as_a_problem_not_an_internal_error(
    tmp_path: Path, proposals: Path, cli: Invoke, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The ODT writer reads the project's huisstijl.toml while rendering: a broken one is exit 1 with file:line."""
    monkeypatch.chdir(proposals.parent)
    bad = proposals.parent / "templates" / "huisstijl.toml"
    bad.parent.mkdir(parents=True, exist_ok=True)
    bad.write_text(GOOD_TOML.replace("[font]", "[font"), encoding="utf-8")
    result = cli("build", f"proposals/{DOSSIER}", "-g", "leusden", "-f", "odt", "--out", tmp_path / "uit")
    assert result.exit_code == 1, result.output
    assert "interne fout" not in result.output
    assert f"huisstijl templates/huisstijl.toml:{line_of(GOOD_TOML, '[font]')}:" in result.output
    assert not any((tmp_path / "uit").rglob("*.odt"))


@pytest.mark.parametrize("fmt", ["html", "pdf"])
def test_a_house_stylesheet_that_is_not_utf8_names_file_and_line(
    tmp_path: Path, proposals: Path, cli: Invoke, monkeypatch: pytest.MonkeyPatch, fmt: str
) -> None:
    monkeypatch.chdir(proposals.parent)
    own = proposals.parent / "templates" / "gemeenten" / "leusden" / "huisstijl.css"
    own.parent.mkdir(parents=True, exist_ok=True)
    own.write_bytes("h1 { color: #123456; }\n/* één regel in Windows-1252 */\n".encode("cp1252"))
    result = cli("build", f"proposals/{DOSSIER}", "-g", "leusden", "-f", fmt, "--out", tmp_path / "uit")
    assert result.exit_code == 1, result.output
    assert "interne fout" not in result.output
    assert "sjabloon templates/gemeenten/leusden/huisstijl.css:2: geen UTF-8-tekst" in result.output


def test_a_page_template_with_a_syntax_error_names_file_and_line(
    tmp_path: Path, proposals: Path, cli: Invoke, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.chdir(proposals.parent)
    page = proposals.parent / "templates" / "html" / "page.html"
    page.parent.mkdir(parents=True, exist_ok=True)
    page.write_text("<!doctype html>\n{% if doc %}\n{{ doc.title \n", encoding="utf-8")
    result = cli("build", f"proposals/{DOSSIER}", "-g", "leusden", "-f", "html", "--out", tmp_path / "uit")
    assert result.exit_code == 1, result.output
    assert "HTML-sjabloon templates/html/page.html:3: kon niet worden gelezen" in result.output


def test_a_page_template_that_is_not_utf8_names_the_file(
    tmp_path: Path, proposals: Path, cli: Invoke, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.chdir(proposals.parent)
    page = proposals.parent / "templates" / "html" / "page.html"
    page.parent.mkdir(parents=True, exist_ok=True)
    page.write_bytes(b"<!doctype html>\n<p>\xe9\xe9n</p>\n")
    result = cli("build", f"proposals/{DOSSIER}", "-g", "leusden", "-f", "html", "--out", tmp_path / "uit")
    assert result.exit_code == 1, result.output
    assert "interne fout" not in result.output
    assert "sjabloon templates/html/page.html:2: geen UTF-8-tekst" in result.output

"""Placeholders no one can miss (issue 10): one notation with a visible end, found in any capitalisation, counted
per document by ``build`` and ``batch``, listed with file and line by ``--verbose``; ``--strict`` says why
nothing was built."""

from __future__ import annotations

import shutil
from pathlib import Path

import docx
from docx.enum.text import WD_COLOR_INDEX

from generator import api
from generator.document.markdown import parse_blocks
from generator.document.nodes import Paragraph, Text
from generator.document.placeholders import find
from tests.conftest import DOSSIER, PROPOSALS, ROOT, Invoke

SENTENCE = "  De wethouder [Invullen: naam wethouder] opent het gesprek op [INVULLEN: datum].\n"
BARE = "  Contactpersoon: Invullen: naam en telefoonnummer\n"
ANCHOR = "  name tijdens de implementatiefase inzet.\n"


def make(root: Path, extra: str = "\n" + SENTENCE + "\n" + BARE) -> Path:
    shutil.copytree(PROPOSALS, root / "proposals")
    shutil.copytree(ROOT / "templates", root / "templates")
    dossier = root / "proposals" / DOSSIER
    voorstel = dossier / "voorstel.yaml"
    text = voorstel.read_text(encoding="utf-8")
    voorstel.write_text(text.replace(ANCHOR, ANCHOR + extra, 1), encoding="utf-8")
    return dossier


def line_of(path: Path, needle: str) -> int:
    return next(n for n, line in enumerate(path.read_text(encoding="utf-8").splitlines(), start=1) if needle in line)


def test_one_notation_with_a_clear_end_in_any_case() -> None:
    spots = find("De wethouder [Invullen: naam wethouder] opent.\nINVULLEN\nWil u het formulier invullen?\n")
    assert [(s.line, s.text, s.bracketed) for s in spots] == [
        (1, "[Invullen: naam wethouder]", True),
        (2, "INVULLEN", False),
    ]  # "het formulier invullen" is a sentence, not a placeholder
    assert [s.text for s in find("Invullen: wie?")] == ["Invullen:"]


def test_placeholder_inside_a_sentence_is_highlighted_only_between_its_brackets(tmp_path: Path) -> None:
    doc = api.documents(make(tmp_path), ["leusden"])["leusden"]
    (section,) = [s for s in doc.sections if s.key == "financieel_advies"]
    (paragraph,) = [b for b in section.blocks if isinstance(b, Paragraph) and "wethouder" in str(b)]
    marked = [i.text for i in paragraph.inlines if isinstance(i, Text) and i.highlight]
    assert marked == ["[Invullen: naam wethouder]", "[INVULLEN: datum]"]
    assert any(
        isinstance(i, Text) and i.text == " opent het gesprek op " and not i.highlight for i in paragraph.inlines
    )


def test_docx_and_html_show_the_highlight(tmp_path: Path) -> None:
    dossier = make(tmp_path)
    paths = api.build(dossier, ["leusden"], ["docx", "html"], out=tmp_path / "out")
    document = docx.Document(str(next(p for p in paths if p.suffix == ".docx")))
    runs = [r for p in document.paragraphs for r in p.runs if r.font.highlight_color == WD_COLOR_INDEX.YELLOW]
    assert "[Invullen: naam wethouder]" in [r.text for r in runs]
    html = next(p for p in paths if p.suffix == ".html").read_text(encoding="utf-8")
    assert "<mark>[Invullen: naam wethouder]</mark>" in html and "<mark>Invullen:</mark>" in html


def test_each_placeholder_is_a_warning_at_its_own_line(tmp_path: Path) -> None:
    dossier = make(tmp_path)
    report = api.validate([dossier])
    voorstel = dossier / "voorstel.yaml"
    where = {
        (p.location.line, p.message.split(":")[0]) for p in report.warnings if p.location.file.endswith("voorstel.yaml")
    }
    sentence, bare = line_of(voorstel, "[Invullen: naam wethouder]"), line_of(voorstel, "Contactpersoon:")
    assert (sentence, "nog in te vullen") in where and (bare, "nog in te vullen") in where
    texts = [p.message for p in report.warnings if p.location.line == bare]
    assert texts and "zonder haken" in texts[0]


def test_build_counts_placeholders_per_document_and_lists_them_with_verbose(tmp_path: Path, cli: Invoke) -> None:
    dossier = make(tmp_path)
    result = cli("build", dossier, "-g", "leusden", "-g", "amersfoort", "-f", "txt", "--out", tmp_path / "out")
    assert result.exit_code == 0, result.output
    # leusden: the three in the shared text, and for its raadsbesluit the griffier and the college date;
    # amersfoort also its own unknown values and signatories
    assert "leusden: nog 5 plek(ken) in te vullen (INVULLEN)" in result.output
    assert "amersfoort: nog 9 plek(ken) in te vullen (INVULLEN)" in result.output
    verbose = cli("build", dossier, "-g", "leusden", "-f", "txt", "--out", tmp_path / "out", "--verbose")
    line = line_of(dossier / "voorstel.yaml", "[Invullen: naam wethouder]")
    assert f"voorstel.yaml:{line}" in verbose.output


def test_strict_says_that_nothing_was_built_and_why(tmp_path: Path, cli: Invoke) -> None:
    dossier = make(tmp_path)
    out = tmp_path / "out"
    result = cli("build", dossier, "-g", "leusden", "-f", "txt", "--out", out, "--strict")
    assert result.exit_code == 1
    assert "niets gebouwd: --strict weigert zolang er nog iets in te vullen is" in result.output
    assert not out.exists()


def test_batch_counts_placeholders_per_document(tmp_path: Path, cli: Invoke) -> None:
    dossier = make(tmp_path)
    result = cli("batch", dossier.parent, "--out", tmp_path / "out", "-f", "txt", "--jobs", "1", "--verbose")
    assert result.exit_code == 0, result.output
    assert f"{DOSSIER}/leusden: nog 5 plek(ken) in te vullen (INVULLEN)" in result.output
    line = line_of(dossier / "voorstel.yaml", "[Invullen: naam wethouder]")
    assert f"voorstel.yaml:{line}" in result.output


def test_placeholder_text_in_markdown_keeps_its_brackets() -> None:
    blocks, problems = parse_blocks("Op [INVULLEN: datum] begint het.")
    assert problems == []
    (paragraph,) = blocks
    assert isinstance(paragraph, Paragraph)
    assert "".join(i.text for i in paragraph.inlines if isinstance(i, Text)) == "Op [INVULLEN: datum] begint het."


def test_the_editor_schema_accepts_a_placeholder_in_any_case() -> None:
    import jsonschema

    from generator.model.schema import schema

    validator = jsonschema.Draft202012Validator(schema("overlay"), format_checker=jsonschema.FormatChecker())
    assert list(validator.iter_errors({"zaaknummer": "Invullen: zaaknummer", "datum_raad": "invullen"})) == []
    assert list(validator.iter_errors({"datum_raad": "binnenkort"}))  # neither a date nor a placeholder

"""Back from Word (issue 23): our DOCX, edited the way Word and LibreOffice edit, imports into exactly the
intended YAML change, and nothing else; an unchanged document changes nothing, byte for byte."""

from __future__ import annotations

import copy
import shutil
import subprocess
from collections.abc import Callable
from pathlib import Path
from typing import Any

import docx
import pytest
import yaml
from docx.oxml import OxmlElement
from docx.oxml.ns import qn
from docx.text.paragraph import Paragraph as DocxParagraph
from lxml import etree

from generator import api
from generator.errors import UsageError
from generator.importing import import_docx
from generator.importing.package import ImportError_
from generator.writers import WriterOptions, get_writer
from generator.writers.txt import write as plain_render
from tests.conftest import CONSTRUCTS, CONSTRUCTS_GEMEENTEN, DOSSIER, GEMEENTEN, PROPOSALS, ROOT, Invoke

EXAMPLES = [
    (PROPOSALS, DOSSIER, GEMEENTEN),
    (ROOT / "voorbeelden" / "raadsronde" / "proposals", "schuldhulp-eemland", ("amerveld", "eemdal", "zandhoven")),
    (CONSTRUCTS.parent, CONSTRUCTS.name, CONSTRUCTS_GEMEENTEN),
]

# A text with a table and a footnote, put into the copy of the example (the examples have neither).
TABLE_AND_NOTE = """risicos: |
  De inventarisatie bevat nog niet alle informatie.[^1]

  | Jaar | Bedrag |
  | ---- | -----: |
  | 2025 | € 43.000 |
  | 2026 | € 12.500 |

  [^1]: Zie de memo van 12 maart 2025.
"""


def _copy(tmp_path: Path, proposals: Path = PROPOSALS, dossier: str = DOSSIER) -> Path:
    """The example in a folder of its own (with the project's templates beside it, for the logos)."""
    target = tmp_path / "proposals"
    shutil.copytree(proposals, target)
    templates = proposals.parent / "templates"
    if templates.is_dir() and proposals != PROPOSALS:
        shutil.copytree(templates, tmp_path / "templates")
    return target / dossier


def _snapshot(folder: Path) -> dict[str, bytes]:
    return {p.relative_to(folder).as_posix(): p.read_bytes() for p in sorted(folder.rglob("*.yaml"))}


def _build(dossier: Path, gemeente: str, out: Path) -> Path:
    document = api.documents(dossier, [gemeente])[gemeente]
    data = get_writer("docx")(document, WriterOptions(templates=api.templates_for(dossier)))
    assert isinstance(data, bytes)
    out.write_bytes(data)
    return out


def _plain(dossier: Path, gemeente: str = "leusden") -> str:
    return plain_render(api.documents(dossier, [gemeente])[gemeente])


# --- Word's ways of editing, done with python-docx --------------------------------------------------------


def _paragraph(document: docx.document.Document, start: str) -> DocxParagraph:
    return next(p for p in document.paragraphs if p.text.startswith(start))


def _split_runs(paragraph: DocxParagraph) -> None:
    """Cut every run into pieces of a few characters with rsids and proofing marks, as Word's editing does."""
    for run in list(paragraph.runs):
        text = run.text
        pieces = [text[i : i + 7] for i in range(0, len(text), 7)] or [""]
        run.text = pieces[0]
        anchor = run._r
        for n, piece in enumerate(pieces[1:]):
            clone = copy.deepcopy(run._r)
            clone.set(qn("w:rsidR"), f"00A{n:05X}")
            for t in clone.findall(qn("w:t")):
                t.text = piece
                t.set("{http://www.w3.org/XML/1998/namespace}space", "preserve")
            anchor.addnext(clone)
            if n % 3 == 0:
                proof = OxmlElement("w:proofErr", {qn("w:type"): "spellStart"})
                anchor.addnext(proof)
            anchor = clone


def _replace_in_split_runs(paragraph: DocxParagraph, old: str, new: str) -> None:
    """Change a word that lies across several runs: the first run gets the new word, the others lose theirs."""
    _split_runs(paragraph)
    runs = paragraph.runs
    text = "".join(r.text for r in runs)
    start = text.index(old)
    end = start + len(old)
    at = 0
    for run in runs:
        run_start, run_end = at, at + len(run.text)
        at = run_end
        if run_end <= start or run_start >= end:
            continue
        keep_left = run.text[: max(0, start - run_start)]
        keep_right = run.text[max(0, end - run_start) :] if end < run_end else ""
        middle = new if run_start <= start else ""
        run.text = keep_left + middle + keep_right
        new = new if run_start > start else ""


def _smart_tag(paragraph: DocxParagraph) -> None:
    """Wrap the first run in a smart tag, as Word does with names, dates and places it recognises."""
    run = paragraph.runs[0]._r
    tag = OxmlElement(
        "w:smartTag", {qn("w:uri"): "urn:schemas-microsoft-com:office:smarttags", qn("w:element"): "place"}
    )
    run.addprevious(tag)
    tag.append(run)


def _add_after(paragraph: DocxParagraph, text: str) -> DocxParagraph:
    """Enter at the end of a paragraph, then typing: a new paragraph with the same formatting, no bookmark."""
    element = copy.deepcopy(paragraph._p)
    for child in list(element):
        if child.tag != qn("w:pPr"):
            element.remove(child)
    paragraph._p.addnext(element)
    added = DocxParagraph(element, paragraph._parent)
    added.add_run(text)
    return added


def _delete(paragraph: DocxParagraph) -> None:
    """Select the paragraph and press Delete: its text and its mark go, a bookmark on it moves on."""
    element = paragraph._p
    following = element.getnext()
    for mark in element.findall(qn("w:bookmarkStart")):
        following.insert(1 if following.find(qn("w:pPr")) is not None else 0, mark)
    element.getparent().remove(element)


def _edit(source: Path, target: Path, change: Callable[[docx.document.Document], None]) -> Path:
    document = docx.Document(str(source))
    change(document)
    document.save(str(target))
    return target


def _libreoffice(source: Path, folder: Path) -> Path:
    """Open in LibreOffice and save as DOCX again (what a clerk without Word does)."""
    folder.mkdir(exist_ok=True)
    subprocess.run(
        ["soffice", "--headless", f"-env:UserInstallation=file://{folder}/profile", "--convert-to",
         "docx:MS Word 2007 XML", "--outdir", str(folder), str(source)],
        check=True, capture_output=True, timeout=240,
    )  # fmt: skip
    return folder / source.name


# --- unchanged: nothing changes -------------------------------------------------------------------------


@pytest.mark.parametrize(("proposals", "dossier", "gemeenten"), EXAMPLES, ids=[e[1] for e in EXAMPLES])
def test_an_unchanged_document_changes_nothing(
    tmp_path: Path, proposals: Path, dossier: str, gemeenten: tuple[str, ...]
) -> None:
    folder = _copy(tmp_path, proposals, dossier)
    before = _snapshot(folder.parent)
    for gemeente in gemeenten:
        built = _build(folder, gemeente, tmp_path / f"{gemeente}.docx")
        result = import_docx(built, folder, write=True)
        assert result.plan.empty, (gemeente, result.plan.changes)
        assert not result.plan.refused and not result.written and not result.plan.notes
    assert _snapshot(folder.parent) == before


# --- Word's edits: exactly the intended YAML change ------------------------------------------------------


def _expect(folder: Path, old: str, new: str) -> str:
    text = (folder / "voorstel.yaml").read_text(encoding="utf-8")
    assert text.count(old) == 1, old
    return text.replace(old, new)


def test_a_word_changed_in_split_runs(tmp_path: Path) -> None:
    folder = _copy(tmp_path)
    built = _build(folder, "leusden", tmp_path / "in.docx")
    expected = _expect(
        folder,
        "  Onze gemeente staat voor drie grote, maar onderling samenhangende regionale uitdagingen\n"
        "  op het gebied van werk en participatie:\n",
        "  Onze gemeente staat voor vier grote, maar onderling samenhangende regionale uitdagingen op het gebied "
        "van werk en participatie:\n",
    )
    edited = _edit(built, tmp_path / "out.docx", lambda d: _replace_in_split_runs(
        _paragraph(d, "Onze gemeente staat"), "drie", "vier"))  # fmt: skip
    result = import_docx(edited, folder, write=True)
    assert result.plan.changes == [f"aanleiding ({result.plan.changes[0].split('(')[1]}"]
    assert (folder / "voorstel.yaml").read_text(encoding="utf-8") == expected
    assert "Onze gemeente staat voor vier grote" in _plain(folder)
    assert set(result.plan.others) == set(GEMEENTEN) - {"leusden"}
    assert result.plan.shared == ["aanleiding"]  # the shared text changes for every other municipality


def test_a_paragraph_added_after_a_sections_last_one(tmp_path: Path) -> None:
    folder = _copy(tmp_path)
    built = _build(folder, "leusden", tmp_path / "in.docx")
    expected = _expect(
        folder,
        "  inzichten onderdeel zijn van het toekomstplan en de implementatie.\n",
        "  inzichten onderdeel zijn van het toekomstplan en de implementatie.\n\n  Een alinea uit *Word*.\n",
    )

    def change(document: docx.document.Document) -> None:
        added = _add_after(_paragraph(document, "De inventarisatie bevat (nog) niet"), "Een alinea uit ")
        added.add_run("Word").italic = True
        added.add_run(".")

    result = import_docx(_edit(built, tmp_path / "out.docx", change), folder, write=True)
    assert len(result.plan.changes) == 1
    assert (folder / "voorstel.yaml").read_text(encoding="utf-8") == expected
    assert "Een alinea uit Word." in _plain(folder)


def test_a_list_item_added_and_a_paragraph_deleted(tmp_path: Path) -> None:
    folder = _copy(tmp_path)
    built = _build(folder, "leusden", tmp_path / "in.docx")
    original = (folder / "voorstel.yaml").read_text(encoding="utf-8")

    def change(document: docx.document.Document) -> None:
        second = _paragraph(document, "De opgave ‘Impuls sociale infrastructuur en toekomst sociaal ontwikkelbedrijf’")
        _add_after(second, "Het college opdragen jaarlijks te rapporteren.")
        _delete(_paragraph(document, "Daarnaast bevat dit raadsvoorstel een voorstel voor de financiële dekking"))

    result = import_docx(_edit(built, tmp_path / "out.docx", change), folder, write=True)
    text = (folder / "voorstel.yaml").read_text(encoding="utf-8")
    assert "    met de daarvoor bestemde impulsgelden.\n  - Het college opdragen jaarlijks te rapporteren.\n" in text
    assert "Daarnaast bevat dit raadsvoorstel" not in text
    removed = [line for line in original.split("\n") if line not in text.split("\n")]
    assert removed == [
        "  Daarnaast bevat dit raadsvoorstel een voorstel voor de financiële dekking van deze opgave,",
        "  met de daarvoor bestemde impulsgelden van de Rijksoverheid.",
    ]
    assert any("argumenten" in note for note in result.plan.notes)  # the clerk is told to check the numbers
    plain = _plain(folder)
    assert "3. Het college opdragen jaarlijks te rapporteren." in plain
    assert "Daarnaast bevat dit raadsvoorstel" not in plain


def test_a_table_cell_and_a_footnote_edited(tmp_path: Path) -> None:
    folder = _copy(tmp_path)
    path = folder / "voorstel.yaml"
    text = path.read_text(encoding="utf-8")
    start = text.index("risicos: |")
    path.write_text(text[:start] + TABLE_AND_NOTE + "\n" + text[text.index("vervolg: |") :], encoding="utf-8")
    built = _build(folder, "leusden", tmp_path / "in.docx")
    assert import_docx(built, folder).plan.empty  # a table and a footnote read back as they were written

    def change(document: docx.document.Document) -> None:
        cell = document.tables[-2].cell(2, 1) if len(document.tables) > 2 else document.tables[1].cell(2, 1)
        cell.paragraphs[0].runs[0].text = "€ 14.000"
        for rel in document.part.rels.values():
            if rel.reltype.endswith("/footnotes"):  # python-docx keeps this part as bytes: edit its XML
                part = rel.target_part
                root = etree.fromstring(part.blob)
                for t in root.iter(qn("w:t")):
                    if t.text and "memo" in t.text:
                        t.text = t.text.replace("memo van 12\u00a0maart\u00a02025", "brief van 3 april 2025")
                part._blob = etree.tostring(root, xml_declaration=True, encoding="UTF-8", standalone=True)

    result = import_docx(_edit(built, tmp_path / "out.docx", change), folder, write=True)
    assert len(result.plan.changes) == 1, result.plan.changes
    after = path.read_text(encoding="utf-8")
    assert "| 2026 | € 14.000 |" in after and "€ 12.500" not in after
    assert "Zie de brief van 3 april 2025." in after and "memo" not in after, after[after.index("risicos") :][:500]
    assert "  | 2025 | € 43.000 |\n" in after  # the rows Word left alone keep their source line
    plain = _plain(folder)
    assert "€ 14.000" in plain and "Zie de brief van 3 april 2025." in plain


def test_a_sentence_around_a_variable_keeps_the_variable(tmp_path: Path) -> None:
    folder = _copy(tmp_path)
    built = _build(folder, "leusden", tmp_path / "in.docx")

    def change(document: docx.document.Document) -> None:
        paragraph = _paragraph(document, "Gemeenten ontvangen middelen om de infrastructuur")
        _replace_in_split_runs(paragraph, "Het gaat om een bedrag van", "Het betreft in totaal")
        _smart_tag(paragraph)

    import_docx(_edit(built, tmp_path / "out.docx", change), folder, write=True)
    text = (folder / "voorstel.yaml").read_text(encoding="utf-8")
    assert "Het betreft in totaal {{ waarden.bedrag_overgeheveld }}." in text
    assert "De gemeente {{ gemeente.naam }} heeft deze middelen via de {{ waarden.overheveling_via }}" in text
    assert "54.400" not in text and "Leusden heeft" not in text
    assert "Het betreft in totaal € 54.400." in _plain(folder).replace("\u00a0", " ")
    assert "Het betreft in totaal" in _plain(folder, "soest")  # shared text: Soest gets it with its own value


def test_a_changed_value_is_refused_naming_the_variable_and_the_file(tmp_path: Path) -> None:
    folder = _copy(tmp_path)
    before = _snapshot(folder.parent)
    built = _build(folder, "leusden", tmp_path / "in.docx")

    def change(document: docx.document.Document) -> None:
        _replace_in_split_runs(_paragraph(document, "Gemeenten ontvangen middelen"), "54.400", "60.000")

    result = import_docx(_edit(built, tmp_path / "out.docx", change), folder, write=True)
    assert not result.written
    assert _snapshot(folder.parent) == before
    (message,) = result.plan.refused
    assert "{{ waarden.bedrag_overgeheveld }}" in message and "gemeenten/leusden.yaml" in message


def test_bold_with_an_italic_word_comes_back_as_nested_markdown(tmp_path: Path) -> None:
    """A phrase made bold in Word with one word also italic: one bold span with the italic inside
    ("**werk en *participatie***"); written run by run it was "**werk en ****_participatie_**", which reads
    back with literal stars."""
    folder = _copy(tmp_path)
    built = _build(folder, "leusden", tmp_path / "in.docx")

    def change(document: docx.document.Document) -> None:
        paragraph = _paragraph(document, "Onze gemeente staat")
        text = paragraph.text
        for run in paragraph.runs[1:]:
            run._r.getparent().remove(run._r)
        start = text.index("werk en participatie")
        paragraph.runs[0].text = text[:start]
        paragraph.add_run("werk en ").bold = True
        both = paragraph.add_run("participatie")
        both.bold = both.italic = True
        paragraph.add_run(text[start + len("werk en participatie") :])

    result = import_docx(_edit(built, tmp_path / "out.docx", change), folder, write=True)
    assert not result.plan.refused
    written = (folder / "voorstel.yaml").read_text(encoding="utf-8")
    assert "op het gebied van **werk en *participatie***:" in written.replace("\n  ", " ")
    assert "werk en participatie:" in _plain(folder)


def test_formatting_markdown_cannot_say_is_refused_and_nothing_is_written(tmp_path: Path) -> None:
    folder = _copy(tmp_path)
    before = _snapshot(folder.parent)
    built = _build(folder, "leusden", tmp_path / "in.docx")

    def change(document: docx.document.Document) -> None:  # "gem|eente": bold italic, bold, bold italic in a word
        paragraph = _paragraph(document, "Onze gemeente staat")
        text = paragraph.text
        for run in paragraph.runs[1:]:
            run._r.getparent().remove(run._r)
        paragraph.runs[0].text = "Onze g"
        for part, italic in (("em", True), ("ee", False), ("nte", True)):
            run = paragraph.add_run(part)
            run.bold, run.italic = True, italic
        paragraph.add_run(text[len("Onze gemeente") :])

    result = import_docx(_edit(built, tmp_path / "out.docx", change), folder, write=True)
    (message,) = result.plan.refused
    assert message.startswith("aanleiding: ") and "'emeente'" in message and "midden in een woord" in message
    assert not result.written and _snapshot(folder.parent) == before


# --- LibreOffice ----------------------------------------------------------------------------------------


def test_a_document_saved_by_libreoffice(tmp_path: Path) -> None:
    folder = _copy(tmp_path)
    built = _build(folder, "leusden", tmp_path / "in.docx")
    before = _snapshot(folder.parent)
    untouched = _libreoffice(built, tmp_path / "lo1")
    assert import_docx(untouched, folder, write=True).plan.empty
    assert _snapshot(folder.parent) == before
    edited = _edit(built, tmp_path / "edited.docx", lambda d: _replace_in_split_runs(
        _paragraph(d, "Het is essentieel dat iedereen"), "essentieel", "van groot belang"))  # fmt: skip
    saved = _libreoffice(edited, tmp_path / "lo2")
    result = import_docx(saved, folder, write=True)
    assert [c.split(" ")[0] for c in result.plan.changes] == ["beoogd_effect"]
    assert "Het is van groot belang dat iedereen" in (folder / "voorstel.yaml").read_text(encoding="utf-8")


# --- the command ----------------------------------------------------------------------------------------


def test_the_command_shows_then_writes(tmp_path: Path, cli: Invoke) -> None:
    folder = _copy(tmp_path)
    built = _build(folder, "leusden", tmp_path / "in.docx")
    edited = _edit(built, tmp_path / "out.docx", lambda d: _replace_in_split_runs(
        _paragraph(d, "Het is essentieel dat iedereen"), "essentieel", "wezenlijk"))  # fmt: skip
    before = _snapshot(folder.parent)
    shown = cli("import", str(edited), "--dossier", str(folder))
    assert shown.exit_code == 0, shown.output
    assert "§ 3" in shown.output and "wezenlijk" in shown.output and "--schrijf" in shown.output
    assert _snapshot(folder.parent) == before
    written = cli("import", str(edited), "--dossier", str(folder), "--schrijf")
    assert written.exit_code == 0, written.output
    assert "geschreven:" in written.output
    assert "Het is wezenlijk dat iedereen" in (folder / "voorstel.yaml").read_text(encoding="utf-8")


def test_a_document_of_another_municipality_is_refused(tmp_path: Path) -> None:
    folder = _copy(tmp_path)
    built = _build(folder, "soest", tmp_path / "in.docx")
    with pytest.raises(Exception, match="gemeente 'soest'"):
        import_docx(built, folder, gemeente="leusden")


def test_not_our_document_is_refused(tmp_path: Path) -> None:
    folder = _copy(tmp_path)
    plain = docx.Document()
    plain.add_paragraph("Een brief.")
    plain.save(str(tmp_path / "brief.docx"))
    with pytest.raises(UsageError, match=r"niet door raadsvoorstel gemaakt.*--dossier NIEUWE-MAP"):
        import_docx(tmp_path / "brief.docx", folder)  # a foreign document needs a new folder and a municipality
    with pytest.raises(UsageError, match="bestaat al"):
        import_docx(tmp_path / "brief.docx", folder, "leusden")


# --- tracked changes and comments -----------------------------------------------------------------------


def _redline(tmp_path: Path) -> tuple[Path, Path, str, str]:
    """An old and a new version of the example, and the redline ``diff --format docx`` makes of them; returns
    (new dossier, redline, old text, new text) with the texts as the txt writer shows them."""
    from generator.diffing import diff_documents
    from generator.diffing.docx_tracked import TrackOptions, render

    old = _copy(tmp_path / "old")
    new = _copy(tmp_path / "new")
    path = new / "voorstel.yaml"
    text = path.read_text(encoding="utf-8")
    text = text.replace("staat voor drie grote", "staat voor vier grote")
    text = text.replace(
        "  inzichten onderdeel zijn van het toekomstplan en de implementatie.\n",
        "  inzichten onderdeel zijn van het toekomstplan en de implementatie.\n\n  Een nieuwe alinea.\n",
    )
    text = text.replace("  Daarnaast bevat dit raadsvoorstel een voorstel voor de financiële dekking van deze opgave,\n"
                        "  met de daarvoor bestemde impulsgelden van de Rijksoverheid.\n\n", "")  # fmt: skip
    path.write_text(text, encoding="utf-8")
    before, after = (api.documents(d, ["leusden"])["leusden"] for d in (old, new))
    data = render(
        diff_documents(before, after), TrackOptions("Griffie"), WriterOptions(templates=api.templates_for(new))
    )
    redline = tmp_path / "redline.docx"
    redline.write_bytes(data)
    return new, redline, _plain(old), _plain(new)


def test_pending_revisions_are_refused_without_a_choice(tmp_path: Path) -> None:
    new, redline, _, _ = _redline(tmp_path)
    before = _snapshot(new.parent)
    with pytest.raises(ImportError_, match=r"bijgehouden wijziging.*--accepteer.*--verwerp"):
        import_docx(redline, new, write=True)
    assert _snapshot(new.parent) == before


def test_our_redline_accepted_is_the_new_text_and_rejected_the_old(tmp_path: Path) -> None:
    new, redline, old_text, new_text = _redline(tmp_path)
    accepted = import_docx(redline, new, choice="accepteer", write=True)
    assert accepted.revisions > 0
    assert accepted.plan.empty, accepted.plan.changes  # accepting gives exactly the data it was made from
    assert not accepted.plan.notes and not accepted.plan.refused  # every field was found by its mark
    rejected = import_docx(redline, new, choice="verwerp", write=True)
    assert sorted(c.split(" ")[0] for c in rejected.plan.changes) == ["aanleiding", "risicos"]
    assert _plain(new) == old_text != new_text


def test_comments_are_listed_with_author_section_and_text(tmp_path: Path) -> None:
    folder = _copy(tmp_path)
    built = _build(folder, "leusden", tmp_path / "in.docx")

    def change(document: docx.document.Document) -> None:
        paragraph = _paragraph(document, "Het is essentieel dat iedereen")
        document.add_comment(paragraph.runs, text="Klopt dit bedrag?", author="J. Jansen", initials="JJ")

    result = import_docx(_edit(built, tmp_path / "out.docx", change), folder, write=True)
    assert [(c.author, c.section, c.text) for c in result.comments] == [
        ("J. Jansen", "beoogd_effect", "Klopt dit bedrag?")
    ]
    assert result.plan.empty  # a comment never reaches the data


# --- a document built from an older version of the data -------------------------------------------------


def _git(folder: Path, *args: str) -> None:
    who = {"GIT_AUTHOR_NAME": "t", "GIT_AUTHOR_EMAIL": "t@example.nl", "GIT_COMMITTER_NAME": "t"}
    env = {**who, "GIT_COMMITTER_EMAIL": "t@example.nl", "PATH": "/usr/bin:/bin", "HOME": str(folder)}
    subprocess.run(["git", *args], cwd=folder, check=True, capture_output=True, env=env)


def test_an_older_document_is_merged_three_way_when_git_has_its_version(tmp_path: Path) -> None:
    folder = _copy(tmp_path)
    _git(folder.parent, "init", "-q")
    _git(folder.parent, "add", "-A")
    _git(folder.parent, "commit", "-qm", "A")
    built = _build(folder, "leusden", tmp_path / "in.docx")
    path = folder / "voorstel.yaml"
    text = path.read_text(encoding="utf-8")
    path.write_text(text.replace("afronding van de eerste fase", "afsluiting van de eerste fase"), encoding="utf-8")
    _git(folder.parent, "commit", "-qam", "B")

    def change(document: docx.document.Document) -> None:
        _replace_in_split_runs(_paragraph(document, "Het is essentieel dat iedereen"), "essentieel", "wezenlijk")

    result = import_docx(_edit(built, tmp_path / "out.docx", change), folder, write=True)
    assert any("drieweg" in note for note in result.plan.notes)
    after = path.read_text(encoding="utf-8")
    assert "Het is wezenlijk dat iedereen" in after  # the clerk's edit
    assert "afsluiting van de eerste fase" in after  # the data's own change since the document was made
    assert [c.split(" ")[0] for c in result.plan.changes] == ["beoogd_effect"]
    # The field changed in both: the second edit must not overwrite the data's change.
    second = _build_from(built, tmp_path)
    conflict = import_docx(second, folder)
    assert conflict.plan.refused and "beoogd_effect" in conflict.plan.refused[0]


def _build_from(built: Path, tmp_path: Path) -> Path:
    """The old document with the same field edited differently (what a second clerk sends in later)."""
    return _edit(built, tmp_path / "second.docx", lambda d: _replace_in_split_runs(
        _paragraph(d, "Het is essentieel dat iedereen"), "essentieel", "cruciaal"))  # fmt: skip


def test_an_older_document_without_its_version_in_git_is_refused(tmp_path: Path) -> None:
    folder = _copy(tmp_path)
    path = folder / "voorstel.yaml"
    original = path.read_text(encoding="utf-8")
    path.write_text(original.replace("afronding van de eerste fase", "afsluiting van de eerste fase"), encoding="utf-8")
    built = _build(folder, "leusden", tmp_path / "in.docx")
    path.write_text(original, encoding="utf-8")  # that version is gone, and no git ever had it
    with pytest.raises(ImportError_, match=r"andere versie.*build"):
        import_docx(built, folder)


def test_only_this_municipality_writes_local_text_and_leaves_the_others_alone(tmp_path: Path) -> None:
    folder = _copy(tmp_path)
    built = _build(folder, "leusden", tmp_path / "in.docx")
    soest = _plain(folder, "soest")

    def change(document: docx.document.Document) -> None:
        _replace_in_split_runs(_paragraph(document, "Het is essentieel dat iedereen"), "essentieel", "wezenlijk")
        _add_after(_paragraph(document, "De inventarisatie bevat (nog) niet"), "Leusden let hier extra op.")

    result = import_docx(_edit(built, tmp_path / "out.docx", change), folder, write=True, only_here=True)
    assert not result.plan.others and not result.plan.refused
    overlay = (folder / "gemeenten" / "leusden.yaml").read_text(encoding="utf-8")
    assert "lokaal:\n  beoogd_effect:\n    - in_plaats_van: beoogd-effect-1\n" in overlay
    assert "  risicos:\n    - na: risicos-1\n      tekst: Leusden let hier extra op.\n" in overlay
    shared = (folder / "voorstel.yaml").read_text(encoding="utf-8")
    assert "[#beoogd-effect-1]" in shared and "wezenlijk" not in shared  # a label, not the text
    leusden = _plain(folder)
    assert "Het is wezenlijk dat iedereen" in leusden and "Leusden let hier extra op." in leusden
    assert "[#" not in leusden
    assert _plain(folder, "soest") == soest  # the other municipalities' documents do not change


def test_an_odt_saved_by_libreoffice_reads_back_the_same_way(tmp_path: Path) -> None:
    folder = _copy(tmp_path)
    built = _build(folder, "leusden", tmp_path / "in.docx")
    edited = _edit(built, tmp_path / "edited.docx", lambda d: _replace_in_split_runs(
        _paragraph(d, "Het is essentieel dat iedereen"), "essentieel", "van groot belang"))  # fmt: skip
    out = tmp_path / "odt"
    out.mkdir()
    subprocess.run(
        ["soffice", "--headless", f"-env:UserInstallation=file://{out}/profile", "--convert-to", "odt",
         "--outdir", str(out), str(edited)],
        check=True, capture_output=True, timeout=240,
    )  # fmt: skip
    odt = out / "edited.odt"
    assert odt.read_bytes()[30:80].find(b"opendocument.text") >= 0  # a real ODT
    result = import_docx(odt, folder, write=True)
    assert [c.split(" ")[0] for c in result.plan.changes] == ["beoogd_effect"]
    assert not result.plan.refused
    assert "Het is van groot belang dat iedereen" in (folder / "voorstel.yaml").read_text(encoding="utf-8")


# --- headings, title-block fields, list entries and "nvt" ------------------------------------------------


def _cell_paragraph(document: docx.document.Document, text: str) -> DocxParagraph:
    found: DocxParagraph = next(p for t in document.tables for c in t._cells for p in c.paragraphs if p.text == text)
    return found


def test_an_argument_heading_the_subject_and_an_attachment_removed(tmp_path: Path) -> None:
    folder = _copy(tmp_path)
    built = _build(folder, "leusden", tmp_path / "in.docx")

    def change(document: docx.document.Document) -> None:
        _replace_in_split_runs(_paragraph(document, "2.1\tHet impulsbudget"), "biedt dekking", "dekt de kosten")
        subject = _cell_paragraph(
            document, "Uitgangspunten impuls sociale infrastructuur en toekomst sociaal ontwikkelbedrijf"
        )
        _replace_in_split_runs(subject, "Uitgangspunten", "Kaders")
        _delete(_paragraph(document, "Inventarisatie ‘Sociale infrastructuur"))

    result = import_docx(_edit(built, tmp_path / "out.docx", change), folder, write=True)
    assert sorted(c.split(" ")[0] for c in result.plan.changes) == ["argumenten.4.kop", "bijlagen.1", "onderwerp"]
    text = (folder / "voorstel.yaml").read_text(encoding="utf-8")
    assert "    kop: Het impulsbudget dekt de kosten voor de uitvoering van de opgave.\n" in text
    assert "onderwerp: Kaders impuls sociale infrastructuur en toekomst sociaal ontwikkelbedrijf\n" in text
    assert "Inventarisatie ‘Sociale infrastructuur" not in text
    assert "Memo ‘Uitgangspunten toekomst sociaal ontwikkelbedrijf’." in text
    assert "2.1\tHet impulsbudget dekt de kosten" in _plain(folder) or "2.1 Het impulsbudget dekt" in _plain(folder)


def test_title_block_dates_and_not_applicable_sections(tmp_path: Path) -> None:
    proposals = ROOT / "voorbeelden" / "raadsronde" / "proposals"
    folder = _copy(tmp_path, proposals, "schuldhulp-eemland")
    built = _build(folder, "amerveld", tmp_path / "in.docx")
    overlay = folder / "gemeenten" / "amerveld.yaml"

    def change(document: docx.document.Document) -> None:
        cell = _cell_paragraph(document, "12\u00a0maart\u00a02026")
        cell.runs[0].text = "19 maart 2026"
        for run in cell.runs[1:]:
            run.text = ""
        agenda = _cell_paragraph(document, "5")
        agenda.runs[0].text = "7"

    def bad(document: docx.document.Document) -> None:
        cell = _cell_paragraph(document, "12\u00a0maart\u00a02026")
        cell.runs[0].text = "ergens in maart"
        for run in cell.runs[1:]:
            run.text = ""

    before = _snapshot(folder.parent)
    refused = import_docx(_edit(built, tmp_path / "bad.docx", bad), folder, write=True)
    assert any("geen datum" in r for r in refused.plan.refused)
    assert _snapshot(folder.parent) == before
    result = import_docx(_edit(built, tmp_path / "out.docx", change), folder, write=True)
    assert sorted(c.split(" ")[0] for c in result.plan.changes) == ["agendapunt", "datum_raad"]
    text = overlay.read_text(encoding="utf-8")
    assert "datum_raad: 2026-03-19\n" in text and 'agendapunt: "7"\n' in text


def test_a_section_that_was_nvt_gets_text_and_one_becomes_nvt(tmp_path: Path) -> None:
    folder = _copy(tmp_path)
    built = _build(folder, "leusden", tmp_path / "in.docx")

    def change(document: docx.document.Document) -> None:
        heading = _paragraph(document, "10. Evaluatie")
        nvt = DocxParagraph(heading._p.getnext(), heading._parent)
        nvt.runs[0].text = "De regio evalueert de aanpak in **2027**."
        first = _paragraph(document, "De inventarisatie bevat (nog) niet")
        first.runs[0].text = "Nvt"
        for run in first.runs[1:]:
            run.text = ""

    result = import_docx(_edit(built, tmp_path / "out.docx", change), folder, write=True)
    assert sorted(c.split(" ")[0] for c in result.plan.changes) == ["evaluatie", "risicos"], result.plan
    data = yaml.safe_load((folder / "voorstel.yaml").read_text(encoding="utf-8"))
    assert data["evaluatie"] == "De regio evalueert de aanpak in \\*\\*2027\\*\\*."  # typed stars stay stars
    assert data["risicos"] == "nvt"
    plain = _plain(folder)
    assert "De regio evalueert de aanpak in **2027**." in plain


def _revision(tag: str, ident: int) -> Any:
    return OxmlElement(tag, {qn("w:id"): str(ident), qn("w:author"): "Jurist", qn("w:date"): "2026-01-05T00:00:00Z"})


def test_moved_text_and_formatting_changes_are_accepted_or_rejected_as_word_does(tmp_path: Path) -> None:
    folder = _copy(tmp_path)
    built = _build(folder, "leusden", tmp_path / "in.docx")

    def change(document: docx.document.Document) -> None:
        paragraph = _paragraph(document, "Het is essentieel dat iedereen")
        run = paragraph.runs[0]._r
        text = run.find(qn("w:t")).text
        at = text.index("essentieel")

        def piece(value: str) -> Any:
            clone = copy.deepcopy(run)
            clone.find(qn("w:t")).text = value
            clone.find(qn("w:t")).set("{http://www.w3.org/XML/1998/namespace}space", "preserve")
            return clone

        run.find(qn("w:t")).text = text[:at]
        run.find(qn("w:t")).set("{http://www.w3.org/XML/1998/namespace}space", "preserve")
        moved_from = _revision("w:moveFrom", 901)
        moved_from.append(piece("essentieel"))
        run.addnext(moved_from)
        moved_from.addnext(piece(text[at + len("essentieel") :]))
        moved_to = _revision("w:moveTo", 902)
        moved_to.append(piece(" (essentieel)"))
        paragraph._p.append(moved_to)
        rpr = run.get_or_add_rPr()
        rpr.append(OxmlElement("w:b"))
        was = _revision("w:rPrChange", 903)
        was.append(OxmlElement("w:rPr"))
        rpr.append(was)

    edited = _edit(built, tmp_path / "out.docx", change)
    with pytest.raises(ImportError_, match="3 bijgehouden"):
        import_docx(edited, folder)
    assert import_docx(edited, folder, choice="verwerp").plan.empty  # rejecting all gives the document as built
    accepted = import_docx(edited, folder, choice="accepteer")
    assert [c.split(" ")[0] for c in accepted.plan.changes] == ["beoogd_effect"]


def _tick(document: docx.document.Document, goal: str, old: str, new: str) -> None:
    paragraph = _paragraph(document, f"{old} Goal {goal}")
    for run in paragraph.runs:
        run.text = run.text.replace(old, new)


def test_global_goals_ticked_and_unticked_in_word_come_back(tmp_path: Path) -> None:
    """A clerk ticks Goal 02 and unticks Goal 08 in the checklist: the data's list follows; a checklist that
    lost a line is refused, never half read."""
    folder = _copy(tmp_path)
    built = _build(folder, "leusden", tmp_path / "in.docx")
    expected = _expect(folder, "global_goals: [1, 8, 16]\n", "global_goals: [1, 2, 16]\n")

    def change(document: docx.document.Document) -> None:
        _tick(document, "02", "☐", "■")
        _tick(document, "08", "■", "☐")

    def lost(document: docx.document.Document) -> None:
        _delete(_paragraph(document, "☐ Goal 17"))

    before = _snapshot(folder.parent)
    refused = import_docx(_edit(built, tmp_path / "kwijt.docx", lost), folder, write=True)
    assert any(r.startswith("global_goals: de lijst van 17 Global Goals") for r in refused.plan.refused)
    assert _snapshot(folder.parent) == before
    result = import_docx(_edit(built, tmp_path / "out.docx", change), folder, write=True)
    assert [c.split(" ")[0] for c in result.plan.changes] == ["global_goals"]
    assert (folder / "voorstel.yaml").read_text(encoding="utf-8") == expected
    shown = _plain(folder)
    assert "■ Goal 02" in shown and "☐ Goal 08" in shown


def test_a_name_changed_under_the_signature_is_named_not_dropped(tmp_path: Path) -> None:
    """The signatories come from gemeenten.yaml: an edit to them in Word is not read back, and says so."""
    folder = _copy(tmp_path)
    built = _build(folder, "leusden", tmp_path / "in.docx")

    def change(document: docx.document.Document) -> None:
        for table in document.tables:
            for cell in table._cells:
                for paragraph in cell.paragraphs:
                    for run in paragraph.runs:
                        run.text = run.text.replace("G.J. Bouwmeester", "G.J. Bouwmeester-de Vries")

    before = _snapshot(folder.parent)
    result = import_docx(_edit(built, tmp_path / "out.docx", change), folder, write=True)
    assert any(r.startswith("ondertekening:") and "gemeenten.yaml" in r for r in result.plan.refused)
    assert _snapshot(folder.parent) == before

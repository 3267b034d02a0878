"""``raadsvoorstel diff``: section-by-section differences as text and HTML, git revisions, exit codes.

Every scenario edits a private copy of the example proposals (one "oud", one "nieuw") the way a clerk would:
a sentence in the aanleiding, a beslispunt more, a bijlage less, another Global Goal, a new burgemeester in
gemeenten.yaml. The DOCX redline has its own tests in ``test_diff_docx.py``.
"""

from __future__ import annotations

import dataclasses
import os
import re
import shutil
import subprocess
import sys
from pathlib import Path, PurePosixPath

import pytest
from click.testing import CliRunner
from lxml import etree

from generator.cli import main
from generator.diffing import Change, DiffReport, diff_documents
from generator.diffing import html as html_render
from generator.diffing import text as text_render
from generator.diffing._words import diff_words, tokens
from generator.document.nodes import Paragraph, Text
from generator.sources.gittree import GitTree
from tests.conftest import DOSSIER, GEMEENTEN, PROPOSALS, ROOT, Invoke
from tests.ir_sample import sample_document

ANSI = "\x1b["
OTHERS = "Amersfoort, Bunschoten, Baarn, Soest, Woudenberg, Nijkerk"


def copy_proposals(target: Path) -> Path:
    shutil.copytree(PROPOSALS, target)
    return target / DOSSIER


def edit(path: Path, old: str, new: str) -> None:
    """Replace ``old`` (which must be there exactly once) by ``new``."""
    text = path.read_text(encoding="utf-8")
    assert text.count(old) == 1, old
    path.write_text(text.replace(old, new), encoding="utf-8")


def edit_draft(dossier: Path) -> None:
    """A second draft: one sentence changed, a beslispunt added, a bijlage removed, Goal 16 swapped for 10."""
    voorstel = dossier / "voorstel.yaml"
    edit(voorstel, "Deze opgaven raken direct aan onze", "Deze opgaven raken rechtstreeks aan onze")
    edit(
        voorstel,
        "    met de daarvoor bestemde impulsgelden.\n",
        "    met de daarvoor bestemde impulsgelden.\n"
        "  - Het college opdragen de raad in december 2025 te informeren over het toekomstplan.\n",
    )
    edit(voorstel, "  - Inventarisatie ‘Sociale infrastructuur en toekomst sociaal ontwikkelbedrijf’.\n", "")
    edit(voorstel, "global_goals: [1, 8, 16]", "global_goals: [1, 8, 10]")


@pytest.fixture
def versions(tmp_path: Path) -> tuple[Path, Path]:
    """(old dossier, new dossier): two untouched copies of the example, to be edited by the test."""
    return copy_proposals(tmp_path / "oud" / "proposals"), copy_proposals(tmp_path / "nieuw" / "proposals")


def summaries(output: str) -> list[str]:
    return [line for line in output.splitlines() if re.match(r"(§ \d+ |Kop: |Ondertekening: )", line)]


# --- word level ----------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("old", "new"),
    [
        ("Het gaat om € 54.400 in 2025.", "Het gaat om € 60.000 in 2026."),
        ("een  twee\ndrie", "een drie vier"),
        ("", "Nieuw."),
        ("G.J. Bouwmeester, burgemeester", "A.B. Nieuwenhuis, burgemeester"),
    ],
)
def test_word_segments_rebuild_both_texts_exactly(old: str, new: str) -> None:
    segments = diff_words(old, new)
    assert "".join(s.text for s in segments if s.op != "insert") == old
    assert "".join(s.text for s in segments if s.op != "delete") == new
    assert "".join(tokens(old)) == old


def test_amounts_stay_one_word_and_spaces_between_changes_fold_in() -> None:
    segments = diff_words("een bedrag van € 54.400 in 2025", "een bedrag van € 60.000 in 2025")
    assert [(s.op, s.text) for s in segments if s.op != "equal"] == [("delete", "54.400"), ("insert", "60.000")]
    folded = diff_words("G.J. Bouwmeester, burgemeester", "A.B. Nieuwenhuis, burgemeester")
    assert [(s.op, s.text) for s in folded][:2] == [("delete", "G.J. Bouwmeester"), ("insert", "A.B. Nieuwenhuis")]


# --- the model -------------------------------------------------------------------------------------------


def test_identical_documents_have_no_changes() -> None:
    diff = diff_documents(sample_document(), sample_document())
    assert diff.identical
    assert diff.unchanged_line() == "ongewijzigd: kop, § 1, 4–6, 15, 18, 20–21, ondertekening"


def test_a_section_missing_on_one_side_is_reported_whole() -> None:
    old = sample_document()
    new = dataclasses.replace(old, sections=tuple(s for s in old.sections if s.key != "deadline"))
    diff = diff_documents(old, new)
    [part] = diff.changed_parts
    assert part.change is Change.REMOVED and part.summary() == "§ 4 Deadline: onderdeel verwijderd"


# --- text format -----------------------------------------------------------------------------------------


def test_identical_inputs_exit_0(versions: tuple[Path, Path], cli: Invoke) -> None:
    old, new = versions
    every = cli("diff", old, new)
    assert every.exit_code == 0, every.output
    assert every.output == "geen verschillen: Amersfoort, Bunschoten, Baarn, Soest, Leusden, Woudenberg, Nijkerk\n"
    one = cli("diff", old, new, "--gemeente", "leusden")
    assert one.exit_code == 0
    assert one.output.endswith("geen verschillen\n")
    same_municipality = cli("diff", old, "--gemeente", "soest", "--tegen", "soest")
    assert same_municipality.exit_code == 0


def test_a_draft_is_compared_section_by_section(versions: tuple[Path, Path], cli: Invoke) -> None:
    old, new = versions
    edit_draft(new)
    result = cli("diff", old, new, "-g", "leusden")
    assert result.exit_code == 1, result.output
    assert summaries(result.output) == [
        "§ 1 Aanleiding: alinea 2 gewijzigd",
        "§ 5 Voorstel: beslispunt 3 toegevoegd",
        "§ 18 Global Goals: Goal 10 toegevoegd, Goal 16 verwijderd",
        "§ 21 Bijlagen: bijlage 2 verwijderd",
    ]
    assert "Deze opgaven raken [-direct-]{+rechtstreeks+} aan onze" in result.output
    assert "beslispunt 3: {+Het college opdragen de raad in december 2025 te informeren over het toekomstplan.+}" in (
        result.output
    )
    assert (
        "bijlage 2: [-Inventarisatie ‘Sociale infrastructuur en toekomst sociaal ontwikkelbedrijf’.-]" in result.output
    )
    assert "ongewijzigd: kop, § 2–4, 6–17, 19–20, ondertekening" in result.output
    assert ANSI not in result.output  # not a terminal: markers, no colour
    assert result.output.startswith(f"--- {old} (Leusden)\n+++ {new} (Leusden)\n")
    # Every municipality: the shared text changed the same way in all seven, so it is shown once.
    every = cli("diff", old, new)
    assert every.exit_code == 1
    assert summaries(every.output) == summaries(result.output)
    assert "dezelfde verschillen voor: Bunschoten, Baarn, Soest, Leusden, Woudenberg, Nijkerk\n" in every.output


def test_signatories_come_from_the_registry_and_other_municipalities_are_summarised(
    versions: tuple[Path, Path], cli: Invoke
) -> None:
    old, new = versions
    edit(new.parent / "gemeenten.yaml", "G.J. Bouwmeester", "A.B. Nieuwenhuis")
    result = cli("diff", old, new)  # every municipality
    assert result.exit_code == 1
    assert summaries(result.output) == ["Ondertekening: ondertekenaar 2 gewijzigd"]
    assert "ondertekenaar 2: [-G.J. Bouwmeester-]{+A.B. Nieuwenhuis+}, burgemeester" in result.output
    assert result.output.rstrip().endswith(f"geen verschillen: {OTHERS}")


def test_a_municipality_that_leaves_the_dossier_is_a_difference(versions: tuple[Path, Path], cli: Invoke) -> None:
    old, new = versions
    edit(new / "voorstel.yaml", "gemeenten: [amersfoort, bunschoten, baarn, soest, leusden, woudenberg, nijkerk]",
         "gemeenten: [amersfoort, bunschoten, baarn, soest, leusden, woudenberg]")  # fmt: skip
    (new / "gemeenten" / "nijkerk.yaml").unlink()
    result = cli("diff", old, new)
    assert result.exit_code == 1
    assert result.output.startswith("gemeente Nijkerk doet alleen mee in de oude versie\n")
    assert "§ 17 Intergemeentelijke samenwerking: alinea 1 gewijzigd" in result.output
    assert "(Nijkerk)" not in result.output  # nothing to compare it with


def test_two_municipalities_of_the_example_dossier(cli: Invoke) -> None:
    result = cli("diff", PROPOSALS / DOSSIER, "--gemeente", "leusden", "--tegen", "soest")
    assert result.exit_code == 1, result.output
    assert summaries(result.output) == [
        "Kop: Gemeente gewijzigd",
        "§ 15 Financieel advies (kosten en dekking): alinea 1 gewijzigd",
        "§ 17 Intergemeentelijke samenwerking: alinea 1 gewijzigd",
        "Ondertekening: collegeregel gewijzigd, ondertekenaar 1 gewijzigd, ondertekenaar 2 gewijzigd",
    ]
    assert "ongewijzigd: § 1–14, 16, 18–21" in result.output  # § 1 Aanleiding is the shared regional text
    assert "De gemeente [-Soest-]{+Leusden+} heeft" in result.output
    assert "[-[INVULLEN: bedrag van de overgehevelde Wsw-middelen]-]{+€ 54.400+}" in result.output
    assert "(Soest)" in result.output.splitlines()[0] and "(Leusden)" in result.output.splitlines()[1]
    # With OLD and NEW, --tegen picks OLD's municipality: the same comparison across two folders.
    across = cli("diff", PROPOSALS / DOSSIER, PROPOSALS / DOSSIER, "--gemeente", "leusden", "--tegen", "soest")
    assert (across.exit_code, summaries(across.output)) == (1, summaries(result.output))


def test_colour_on_a_terminal(versions: tuple[Path, Path]) -> None:
    old, new = versions
    edit_draft(new)
    result = CliRunner().invoke(
        main, ["diff", str(old), str(new), "-g", "leusden"], env={"FORCE_COLOR": "1", "NO_COLOR": None}
    )
    assert result.exit_code == 1
    assert ANSI in result.output and "[-direct-]" not in result.output and "rechtstreeks" in result.output
    report = DiffReport((diff_documents(sample_document(), sample_document("Soest", "soest")),))
    coloured = text_render.render(report, color=True)
    assert any("strike" in str(span.style) for span in coloured.spans)
    assert "[-Leusden-]{+Soest+}" in text_render.render_plain(report) and "[-" not in coloured.plain


def test_piped_subprocess_is_plain_text_with_markers(versions: tuple[Path, Path]) -> None:
    old, new = versions
    edit_draft(new)
    env = {k: v for k, v in os.environ.items() if k not in ("FORCE_COLOR", "TTY_COMPATIBLE")}
    result = subprocess.run(
        [sys.executable, "-m", "generator", "diff", str(old), str(new), "--gemeente", "leusden"],
        capture_output=True, text=True, cwd=ROOT, env=env, check=False, timeout=120,
    )  # fmt: skip
    assert result.returncode == 1, result.stderr
    assert ANSI not in result.stdout
    assert "[-direct-]{+rechtstreeks+}" in result.stdout and "Traceback" not in result.stderr


# --- html format -----------------------------------------------------------------------------------------


def test_html_is_a_standalone_well_formed_redline(versions: tuple[Path, Path], cli: Invoke, tmp_path: Path) -> None:
    old, new = versions
    edit_draft(new)
    target = tmp_path / "verschillen.html"
    result = cli("diff", old, new, "-g", "leusden", "--format", "html", "-o", target)
    assert result.exit_code == 1
    page = target.read_text(encoding="utf-8")
    root = etree.fromstring(page.encode("utf-8"))  # well-formed XML, so any browser parses it the same way
    assert root.get("lang") == "nl"
    ns = {"h": "http://www.w3.org/1999/xhtml"} if root.tag.startswith("{") else {}
    find = (lambda xp: root.xpath(xp.replace("//", "//h:"), namespaces=ns)) if ns else root.xpath
    assert [e.text for e in find("//del")][:2] == ["verwijderd", "direct"]
    assert "rechtstreeks" in [e.text for e in find("//ins")]
    links = [a.get("href") for a in find("//nav//a")]
    ids = set(root.xpath("//@id"))
    assert len(links) == 4 and all(href.startswith("#") and href[1:] in ids for href in links)
    assert find("//nav//a")[1].text == "§ 5 Voorstel: beslispunt 3 toegevoegd"
    assert not re.search(r"<(script|link|img|iframe)\b|\bsrc=|url\(", page)  # loads nothing from elsewhere
    assert "<details" in page and "§ 2 Wettelijke grondslag: ongewijzigd" in page


def test_html_escapes_text_from_data() -> None:
    old = sample_document()
    section = dataclasses.replace(old.sections[0], blocks=(Paragraph((Text("<script>alert('x')</script> & co"),)),))
    new = dataclasses.replace(old, sections=(section, *old.sections[1:]))
    page = html_render.render(DiffReport((diff_documents(old, new),)))
    assert "<script>" not in page and "&lt;script&gt;" in page and "&amp; co" in page
    etree.fromstring(page.encode("utf-8"))


# --- exit codes and usage --------------------------------------------------------------------------------


def test_invalid_data_is_trouble_exit_2_with_file_and_line(versions: tuple[Path, Path], cli: Invoke) -> None:
    old, new = versions
    edit(new / "voorstel.yaml", "deadline: nvt", "deadlien: nvt")
    result = cli("diff", old, new, "-g", "leusden")
    assert result.exit_code == 2
    assert re.search(r"nieuw/proposals/impuls-sociale-infrastructuur/voorstel\.yaml:\d+:\d+: .*deadlien", result.output)


def test_a_failed_write_is_trouble_not_a_difference(
    versions: tuple[Path, Path], cli: Invoke, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    blocker = tmp_path / "geen-map"
    blocker.write_text("een bestand, geen map", encoding="utf-8")
    old, new = versions
    result = cli("diff", old, new, "-g", "leusden", "-f", "html", "-o", blocker / "x.html")
    assert result.exit_code == 2
    assert "kon " in result.output and "niet schrijven" in result.output and "Traceback" not in result.output


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["{old}"], "geef OLD en NEW"),
        (["{old}", "{new}", "--tegen", "soest"], "geef ook --gemeente"),
        (["{old}", "niet-bestaand"], "geen dossiermap"),
        (["{old}", "{new}", "-g", "utrecht"], "doet niet mee"),
        (["{old}", "{new}", "--format", "docx", "-o", "{tmp}/x.docx"], "kies met --gemeente"),
        (["{old}", "{new}", "--format", "pdf"], "pdf"),
    ],
)
def test_usage_errors_exit_2(
    versions: tuple[Path, Path], cli: Invoke, tmp_path: Path, args: list[str], message: str
) -> None:
    old, new = versions
    result = cli("diff", *(a.format(old=old, new=new, tmp=tmp_path) for a in args))
    assert result.exit_code == 2, result.output
    assert message in result.output


# --- git revisions ---------------------------------------------------------------------------------------


def git(repo: Path, *args: str) -> str:
    return subprocess.run(["git", *args], cwd=repo, capture_output=True, text=True, check=True).stdout


@pytest.fixture
def repo(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """A git repository with two commits: the example, then a draft with edits and a new burgemeester."""
    root = tmp_path / "repo"
    root.mkdir()
    git(root, "init", "-q", "-b", "main")
    git(root, "config", "user.name", "Test")
    git(root, "config", "user.email", "test@example.org")
    git(root, "config", "commit.gpgsign", "false")
    dossier = copy_proposals(root / "proposals")
    git(root, "add", "-A")
    git(root, "commit", "-q", "-m", "voorbeeld")
    edit_draft(dossier)
    edit(root / "proposals" / "gemeenten.yaml", "G.J. Bouwmeester", "A.B. Nieuwenhuis")
    git(root, "commit", "-q", "-am", "tweede concept")
    monkeypatch.chdir(root)
    return root


def test_two_revisions(repo: Path, cli: Invoke) -> None:
    result = cli("diff", f"HEAD~1:proposals/{DOSSIER}", f"HEAD:proposals/{DOSSIER}", "-g", "leusden")
    assert result.exit_code == 1, result.output
    assert summaries(result.output) == [
        "§ 1 Aanleiding: alinea 2 gewijzigd",
        "§ 5 Voorstel: beslispunt 3 toegevoegd",
        "§ 18 Global Goals: Goal 10 toegevoegd, Goal 16 verwijderd",
        "§ 21 Bijlagen: bijlage 2 verwijderd",
        "Ondertekening: ondertekenaar 2 gewijzigd",  # gemeenten.yaml of each revision
    ]
    assert result.output.startswith(f"--- HEAD~1:proposals/{DOSSIER} (Leusden)\n+++ HEAD:proposals/{DOSSIER} (Leusden)")


def test_revision_against_the_work_tree_leaves_the_work_tree_alone(repo: Path, cli: Invoke) -> None:
    voorstel = repo / "proposals" / DOSSIER / "voorstel.yaml"
    edit(voorstel, "Wet sociale werkvoorziening (WSW)", "Wet sociale werkvoorziening (Wsw)")  # not committed
    before = (git(repo, "status", "--porcelain"), voorstel.read_bytes(), git(repo, "stash", "list"))
    result = cli("diff", f"HEAD~1:proposals/{DOSSIER}", f"proposals/{DOSSIER}", "-g", "leusden")
    assert result.exit_code == 1
    assert "§ 2 Wettelijke grondslag: alinea 1 gewijzigd" in summaries(result.output)
    assert "([-WSW-]{+Wsw+})" in result.output
    assert (git(repo, "status", "--porcelain"), voorstel.read_bytes(), git(repo, "stash", "list")) == before
    same = cli("diff", f"HEAD:proposals/{DOSSIER}", f"HEAD:proposals/{DOSSIER}")
    assert same.exit_code == 0 and same.output.startswith("geen verschillen: ")


def test_paths_relative_to_the_current_folder(repo: Path, cli: Invoke, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.chdir(repo / "proposals")
    result = cli("diff", f"HEAD~1:./{DOSSIER}", f"HEAD:./{DOSSIER}", "-g", "soest")
    assert result.exit_code == 1
    assert "§ 5 Voorstel: beslispunt 3 toegevoegd" in result.output
    tree, slug = GitTree.open(f"HEAD:./{DOSSIER}")
    assert (slug, str(tree.root)) == (DOSSIER, "proposals")
    assert tree.list_dir(PurePosixPath(DOSSIER)) == ["gemeenten", "voorstel.yaml"]


def test_git_tree_reads_the_revision_not_the_disk(repo: Path) -> None:
    (repo / "proposals" / "gemeenten.yaml").write_text("kapot: [", encoding="utf-8")
    tree, slug = GitTree.open(f"HEAD~1:proposals/{DOSSIER}", repo)
    registry = PurePosixPath("gemeenten.yaml")
    assert tree.is_file(registry) and b"G.J. Bouwmeester" in tree.read_bytes(registry)
    assert tree.is_dir(PurePosixPath(slug) / "gemeenten")
    assert tree.list_dir(PurePosixPath(slug) / "gemeenten") == [f"{g}.yaml" for g in sorted(GEMEENTEN)]
    assert tree.display(PurePosixPath(slug) / "voorstel.yaml") == f"HEAD~1:proposals/{DOSSIER}/voorstel.yaml"


def test_problems_in_a_revision_name_the_revision_and_line(repo: Path, cli: Invoke) -> None:
    edit(repo / "proposals" / DOSSIER / "voorstel.yaml", "deadline: nvt", "deadline: [nvt")
    git(repo, "commit", "-q", "-am", "kapot")
    result = cli("diff", f"HEAD~1:proposals/{DOSSIER}", f"HEAD:proposals/{DOSSIER}", "-g", "leusden")
    assert result.exit_code == 2
    assert re.search(rf"HEAD:proposals/{DOSSIER}/voorstel\.yaml:\d+:\d+: ", result.output), result.output


@pytest.mark.parametrize(
    ("spec", "message"),
    [
        (f"HEAD~9:proposals/{DOSSIER}", "onbekende git-revisie"),
        ("HEAD~1:proposals/bestaat-niet", "bestaat niet in revisie"),
        (f"--output=x:proposals/{DOSSIER}", "geen geldige git-revisie"),
        ("HEAD~1:../buiten", "pad van een dossiermap"),
    ],
)
def test_bad_revisions_exit_2(repo: Path, cli: Invoke, spec: str, message: str) -> None:
    result = cli("diff", "-g", "leusden", "--", spec, f"proposals/{DOSSIER}")
    assert result.exit_code == 2
    assert message in result.output

"""``raadsvoorstel edit`` in a real browser (Debian's chromium through Playwright): one field, a conflict,
accessibility (axe-core, WCAG 2.1 AA) and a keyboard-only walk through the form.

The example project is copied and put under git, so ``git diff`` shows exactly what a save changed.
"""

from __future__ import annotations

import os
import re
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from tests.conftest import DOSSIER, REQUIRE_ALL, ROOT
from tests.editor_server import Editor, copy_project, start
from tests.test_preview import CHROMIUM, CHROMIUM_ARGS, _browser, _save

AXE = ROOT / ".cache" / "npm" / "node_modules" / "axe-core" / "axe.min.js"
# The README's picture of the editor, taken in this test; refreshed only when asked (it is a tracked file, and a
# test run must leave the checkout as it found it).
SCREENSHOT = ROOT / "docs" / "bewerken.png"
REFRESH_SCREENSHOT = os.environ.get("RAADSVOORSTEL_SCHERMAFBEELDING") == "1"
WCAG_AA = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa"]


def _git(project: Path, *args: str) -> str:
    return subprocess.run(["git", *args], cwd=project, capture_output=True, text=True, check=True).stdout


@pytest.fixture(scope="module")
def editor(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Editor]:
    project = copy_project(tmp_path_factory.mktemp("bewerken"))
    _git(project, "init", "-q")
    _git(project, "add", "-A")
    _git(project, "-c", "user.name=t", "-c", "user.email=t@example.org", "commit", "-qm", "start")
    running = start(project, f"proposals/{DOSSIER}", "--gemeente", "leusden")
    yield running
    running.kill()


@pytest.fixture(scope="module")
def browser() -> Iterator[Any]:
    sync_playwright = _browser()
    with sync_playwright() as p:  # type: ignore[operator]
        launched = p.chromium.launch(executable_path=str(CHROMIUM), args=CHROMIUM_ARGS)
        yield launched
        launched.close()


def control(page: Any, bestand: str, name: str) -> Any:
    return page.locator(f'[data-bestand="{bestand}"][name="{name}"]:not([data-nvt])')


def _saved(page: Any) -> None:
    from playwright.sync_api import expect

    expect(page.locator("#status")).to_have_text(re.compile(r"^(opgeslagen|lokaal opgeslagen)"))


def _changed_lines(project: Path, path: str) -> list[str]:
    diff = _git(project, "diff", "--unified=0", "--", path)
    return [line for line in diff.splitlines() if line[:1] in "+-" and not line.startswith(("+++", "---"))]


def test_one_field_changes_only_its_lines(editor: Editor, browser: Any, tmp_path: Path) -> None:
    from playwright.sync_api import expect

    base = f"proposals/{DOSSIER}/voorstel.yaml"
    overlay = f"proposals/{DOSSIER}/gemeenten/leusden.yaml"
    comments = [line for line in (editor.project / base).read_text(encoding="utf-8").splitlines() if "#" in line]
    page = browser.new_page(viewport={"width": 1400, "height": 900})
    page.goto(editor.url)
    subject = control(page, "voorstel.yaml", "onderwerp")
    subject.fill("Uitgangspunten impuls sociale infrastructuur 2026")
    page.get_by_role("button", name="Opslaan", exact=True).click()
    _saved(page)
    assert _changed_lines(editor.project, base) == [
        "-onderwerp: Uitgangspunten impuls sociale infrastructuur en toekomst sociaal ontwikkelbedrijf",
        "+onderwerp: Uitgangspunten impuls sociale infrastructuur 2026",
    ]
    text = (editor.project / base).read_text(encoding="utf-8")
    assert all(line in text for line in comments)  # every comment line is still there

    # An amount in Leusden's file: saved on leaving the field, shown as the document shows it, in the document.
    amount = control(page, "gemeenten/leusden.yaml", "waarden.bedrag_overgeheveld")
    amount.fill("€ 60.000")
    amount.press("Tab")
    _saved(page)
    expect(page.locator('[data-veld="gemeenten/leusden.yaml|waarden.bedrag_overgeheveld"] output')).to_have_text(
        "€ 60.000"
    )
    expected = ["-  bedrag_overgeheveld: 54400", "+  bedrag_overgeheveld: € 60.000"]
    assert _changed_lines(editor.project, overlay) == expected
    document = page.frame_locator("#voorbeeld").frame_locator("#document")
    expect(document.locator("section:has(> #sectie-financieel_advies)")).to_contain_text(re.compile(r"€\s60\.000"))

    # A save with a problem is saved all the same; validate's words show next to the field and in the list.
    amount.fill("1.250")
    amount.press("Tab")
    _saved(page)
    assert _changed_lines(editor.project, overlay)[-1] == "+  bedrag_overgeheveld: 1.250"
    checked = subprocess.run([sys.executable, "-m", "generator", "validate", f"proposals/{DOSSIER}"],
                             cwd=editor.project, capture_output=True, text=True,
                             env={**os.environ, "PYTHONPATH": str(ROOT)})  # fmt: skip
    printed = (checked.stdout + checked.stderr).splitlines()
    said = next(line for line in printed if "leusden.yaml" in line and "bedrag_overgeheveld" in line)
    message = said.split("'waarden.bedrag_overgeheveld': ", 1)[1]
    near = page.locator('[data-veld="gemeenten/leusden.yaml|waarden.bedrag_overgeheveld"] .veldmeldingen li')
    expect(near).to_have_text(message)
    expect(amount).to_have_attribute("aria-invalid", "true")
    expect(page.locator("#meldingen-lijst li.fout")).to_contain_text(said.split(": ", 1)[1][:40])
    page.evaluate("window.scrollTo(0, 0)")
    shot = page.screenshot(path=str(SCREENSHOT if REFRESH_SCREENSHOT else tmp_path / "bewerken.png"))
    assert shot.startswith(b"\x89PNG")
    page.close()
    _git(editor.project, "checkout", "-q", "--", base, overlay)


def test_an_amendment_is_entered_at_its_beslispunt(editor: Editor, browser: Any) -> None:
    from playwright.sync_api import expect

    overlay = editor.project / "proposals" / DOSSIER / "gemeenten" / "soest.yaml"
    before = overlay.read_text(encoding="utf-8")
    page = browser.new_page(viewport={"width": 1400, "height": 900})
    page.goto(editor.url)
    block = page.locator("#blok-beslispunten")
    block.locator("summary", has_text="Amendement van één raad").nth(1).click()  # at beslispunt 2
    block.get_by_label("Gemeente (amendement op beslispunt 2)").select_option("soest")
    block.get_by_label("wijzigen (nieuwe tekst)").nth(1).check()
    block.get_by_label("Nummer van het amendement (beslispunt 2)").fill("A3")
    block.get_by_label("Nieuwe tekst (bij wijzigen en toevoegen) (beslispunt 2)").fill("De impulsgelden halveren.")
    block.get_by_role("button", name="Amendement opslaan (beslispunt 2)").click()
    expect(page.locator("#status")).to_have_text("amendement A3 opgeslagen voor soest")
    added = overlay.read_text(encoding="utf-8")
    removed = [line for line in _changed_lines(editor.project, str(overlay)) if line.startswith("-")]
    assert removed == [] and added.count("\n") == before.count("\n") + 5  # only the amendment's lines came in
    from generator.sources import load_yaml_text

    assert load_yaml_text(added, "soest.yaml")[0]["amendementen"] == [
        {"nummer": "A3", "actie": "wijzigen", "beslispunt": "2", "tekst": "De impulsgelden halveren."}
    ]
    expect(control(page, "gemeenten/soest.yaml", "amendementen.0.nummer")).to_have_value("A3")
    expect(page.locator("#meldingen-lijst li.fout")).to_have_count(0)
    page.close()
    _git(editor.project, "checkout", "-q", "--", str(overlay))


def test_insert_buttons_and_local_text_replaced_then_removed(editor: Editor, browser: Any) -> None:
    from playwright.sync_api import expect

    from generator.sources import load_yaml_text

    dossier = editor.project / "proposals" / DOSSIER
    page = browser.new_page(viewport={"width": 1400, "height": 900})
    page.goto(editor.url)
    # The insert buttons put their Markdown at the cursor (not saved here: the page is closed unsaved).
    area = control(page, "voorstel.yaml", "evaluatie")
    area.fill("")
    block = page.locator("#blok-evaluatie")
    for button in ("Tussenkop", "Genummerde lijst", "Voetnoot"):
        block.get_by_role("button", name=button).click()
    value = area.input_value()
    assert value.startswith("### Tussenkop\n") and "\n1. Eerste punt\n2. Tweede punt\n" in value
    assert "[^1]" in value and value.rstrip().endswith("[^1]: Toelichting bij de voetnoot.")
    expect(area).to_be_focused()

    # "vervangen" for Leusden: the label in the shared text, the entry in Leusden's file; then taken away again.
    text = control(page, "voorstel.yaml", "risicos")
    shared = text.input_value()
    position = 10  # in its (only) paragraph
    text.evaluate(f"(a) => {{ a.focus(); a.setSelectionRange({position}, {position}); }}")
    part = page.locator("#blok-risicos")
    part.locator("summary", has_text="Alleen voor één gemeente").click()
    part.get_by_label("Gemeente", exact=True).select_option("leusden")
    part.get_by_label("vervangen").check()
    part.get_by_label("Lokale tekst").fill("In Leusden is dit risico klein.")
    part.get_by_role("button", name="Lokaal opslaan").click()
    expect(page.locator("#status")).to_contain_text("lokaal opgeslagen voor leusden")
    base = load_yaml_text((dossier / "voorstel.yaml").read_text(encoding="utf-8"), "v")[0]
    label = re.findall(r"\[#([a-z0-9-]+)\]", base["risicos"])
    assert len(label) == 1 and base["risicos"].replace(f" [#{label[0]}]", "") == shared
    leusden = load_yaml_text((dossier / "gemeenten" / "leusden.yaml").read_text(encoding="utf-8"), "l")[0]
    assert leusden["lokaal"] == {"risicos": [{"in_plaats_van": label[0], "tekst": "In Leusden is dit risico klein."}]}
    document = page.frame_locator("#voorbeeld").frame_locator("#document")
    expect(document.locator("section:has(> #sectie-risicos)")).to_contain_text("In Leusden is dit risico klein.")
    page.locator("#blok-risicos summary", has_text="Alleen voor één gemeente").click()
    page.get_by_role("button", name="Verwijderen (lokale tekst van Leusden)").click()
    expect(page.get_by_role("button", name="Verwijderen (lokale tekst van Leusden)")).to_have_count(0)
    leusden = load_yaml_text((dossier / "gemeenten" / "leusden.yaml").read_text(encoding="utf-8"), "l")[0]
    assert "lokaal" not in leusden  # the last local change gone: no empty 'lokaal:' left behind
    expect(document.locator("section:has(> #sectie-risicos)")).not_to_contain_text("In Leusden is dit risico klein.")
    page.close()
    _git(editor.project, "checkout", "-q", "--", ".")


def test_a_variable_taken_away_takes_its_values_along(editor: Editor, browser: Any) -> None:
    from playwright.sync_api import expect

    dossier = editor.project / "proposals" / DOSSIER
    with_value = [p.name for p in (dossier / "gemeenten").glob("*.yaml") if "overheveling_via" in p.read_text("utf-8")]
    assert len(with_value) >= 3
    page = browser.new_page(viewport={"width": 1400, "height": 900})
    page.goto(editor.url)
    page.get_by_role("button", name="Verwijderen (variabele overheveling_via)").click()
    expect(page.get_by_role("button", name="Verwijderen (variabele overheveling_via)")).to_have_count(0, timeout=30_000)
    _saved(page)
    assert "overheveling_via" not in (dossier / "voorstel.yaml").read_text(encoding="utf-8").split("aanleiding:")[0]
    for name in with_value:
        assert "overheveling_via" not in (dossier / "gemeenten" / name).read_text(encoding="utf-8"), name
    page.close()
    _git(editor.project, "checkout", "-q", "--", ".")


def test_a_change_on_disk_is_not_overwritten(editor: Editor, browser: Any) -> None:
    from playwright.sync_api import expect

    voorstel = editor.project / "proposals" / DOSSIER / "voorstel.yaml"
    page = browser.new_page(viewport={"width": 1400, "height": 900})
    page.goto(editor.url)
    on_disk = voorstel.read_text(encoding="utf-8").replace("deadline: nvt", "deadline: 1 juli 2026", 1)
    _save(voorstel, on_disk)  # someone else saves while the page is open
    subject = control(page, "voorstel.yaml", "onderwerp")
    subject.fill("Mijn nieuwe onderwerp")
    page.get_by_role("button", name="Opslaan", exact=True).click()
    expect(page.locator("#conflict")).to_be_visible()
    expect(page.locator("#conflict")).to_contain_text("is gewijzigd sinds het geladen werd")
    expect(page.locator("#conflict")).to_contain_text("Uw wijziging staat nog in het formulier")
    expect(page.locator("#status")).to_contain_text("niet opgeslagen")
    assert voorstel.read_text(encoding="utf-8") == on_disk  # the other change stays, nothing of the page's
    assert subject.input_value() == "Mijn nieuwe onderwerp"  # the clerk's edit is kept to re-apply
    page.close()
    _git(editor.project, "checkout", "-q", "--", str(voorstel))


def test_axe_finds_no_wcag_aa_violations(editor: Editor, browser: Any) -> None:
    from playwright.sync_api import expect

    if not AXE.exists():
        if REQUIRE_ALL:
            pytest.fail("axe-core ontbreekt: make .cache/npm/node_modules/axe-core/axe.min.js")
        pytest.skip("axe-core ontbreekt: npm install --prefix .cache/npm axe-core@4")
    page = browser.new_page(viewport={"width": 1400, "height": 900})
    page.goto(editor.url)
    expect(page.locator("#meldingen-samenvatting")).to_contain_text("waarschuwing")  # the findings are in
    page.evaluate(AXE.read_text(encoding="utf-8"))  # through the debugging protocol: the page's CSP stays as is
    for opened in (False, True):
        if opened:  # the folded parts too (local text, signatures, amendments)
            page.evaluate("document.querySelectorAll('details').forEach((d) => { d.open = true; })")
        result = page.evaluate(
            "async (tags) => { const r = await axe.run(document, { runOnly: { type: 'tag', values: tags } });"
            " return { violations: r.violations.map((v) => ({ id: v.id, nodes: v.nodes.map((n) => n.target) })),"
            " passes: r.passes.length }; }",
            WCAG_AA,
        )
        assert result["violations"] == [], result["violations"]
        assert result["passes"] > 10  # axe really ran its rules on the page
    page.close()


def test_the_whole_form_works_with_the_keyboard(editor: Editor, browser: Any) -> None:
    from playwright.sync_api import expect

    page = browser.new_page(viewport={"width": 1400, "height": 900})
    page.goto(editor.url)
    expect(page.locator("#meldingen-samenvatting")).to_contain_text("waarschuwing")
    every = set(page.evaluate("[...document.querySelectorAll('#formulier [data-bestand][name]')].map((c) => c.id)"))
    reached: list[str] = []
    for _ in range(3000):
        page.keyboard.press("Tab")
        focused = page.evaluate(
            "(() => { const a = document.activeElement; if (!a) return ''; if (a.tagName === 'SUMMARY') "
            "return a.parentElement.open ? 'summary' : 'closed-summary'; return a.id; })()"
        )
        if focused == "closed-summary":
            page.keyboard.press("Enter")  # open the folded part (local text, signatures, amendments)
        if focused == "voorbeeld":  # the form ends where the document begins
            break
        reached.append(focused)
    assert every and every <= set(reached), sorted(every - set(reached))[:5]
    assert reached[0] == "" or "opslaan" in reached[:3]  # skip link, then the save button first

    # Write with the keyboard alone: a new beslispunt, typed, saved by leaving the field.
    page.keyboard.press("Shift+Tab")
    add = page.get_by_role("button", name="Beslispunt toevoegen")
    add.focus()
    count = page.locator("textarea[name^='beslispunten.']").count()
    page.keyboard.press("Enter")
    expect(page.locator(f"textarea[name='beslispunten.{count}']")).to_be_focused()
    page.keyboard.type("Het college opdracht geven jaarlijks te rapporteren.")
    page.keyboard.press("Tab")
    _saved(page)
    text = (editor.project / "proposals" / DOSSIER / "voorstel.yaml").read_text(encoding="utf-8")
    assert "  - Het college opdracht geven jaarlijks te rapporteren.\n" in text
    # and reorder it with the keyboard: the Tab that saved it went on to its "Omhoog"
    expect(page.locator(":focus")).to_have_text(re.compile(r"^Omhoog"))
    page.keyboard.press("Enter")
    _saved(page)
    expect(page.locator(f"textarea[name='beslispunten.{count - 1}']")).to_have_value(
        "Het college opdracht geven jaarlijks te rapporteren."
    )
    page.close()
    _git(editor.project, "checkout", "-q", "--", ".")

"""A whole new dossier written in the browser through ``raadsvoorstel edit --nieuw`` alone, as a clerk would.

From a project with only the region's ``gemeenten.yaml``: subject, every section (a table through the insert
button, a footnote, a list that starts at 3), two beslispunten with arguments, the Global Goals, stakeholders,
an uploaded attachment, a variable with values for three municipalities, their title blocks and signatories,
and one local paragraph. Then ``validate`` is clean, ``build`` makes every municipality's documents, and the YAML
written is, once loaded, exactly the hand-written reference below, with text as block scalars.
"""

from __future__ import annotations

import datetime as dt
import os
import shutil
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from generator.model.sections import SECTIONS, Kind
from generator.sources import load_yaml_text
from tests.conftest import PROPOSALS, ROOT
from tests.editor_server import Editor, start
from tests.test_editor_browser import _saved, control
from tests.test_preview import CHROMIUM, CHROMIUM_ARGS, _browser

NAME = "jeugdhulp-2026"
MEMBERS = ("leusden", "soest", "baarn")
NVT = ("deadline", "inkoopadvies", "advies_hr", "advies_ict", "klimaatadaptatie")
AANLEIDING = (
    "De regio werkt samen aan jeugdhulp.[^bron]\n\nDrie gemeenten delen de kosten.\n\n"
    "3. Eerste stap\n4. Tweede stap\n\n[^bron]: Regionale visie 2025."
)
TABLE = "| Kolom 1 | Kolom 2 |\n|---|---:|\n| tekst | € 0 |\n\n"
FINANCIEEL = "De bijdrage van {{ gemeente.naam }} is {{ waarden.bedrag }}."
LOCAL = "{{ gemeente.naam }} draagt daarnaast de huisvesting."

REFERENCE_VOORSTEL = """
formaat: 1
onderwerp: Regionale aanpak jeugdhulp 2026
gemeenten: [leusden, soest, baarn]
variabelen:
  bedrag:
    soort: bedrag
    omschrijving: Bijdrage van de gemeente
gelet_op:
  - artikel 108 van de Gemeentewet
status: concept
aanleiding: |
  De regio werkt samen aan jeugdhulp.[^bron]

  Drie gemeenten delen de kosten. [#drie-gemeenten-delen]

  3. Eerste stap
  4. Tweede stap

  [^bron]: Regionale visie 2025.
wettelijke_grondslag: Jeugdwet
beoogd_effect: Jeugdhulp dichtbij huis.
deadline: nvt
beslispunten:
  - De regionale aanpak jeugdhulp vaststellen.
  - De bijdrage voor 2026 beschikbaar stellen.
argumenten:
  - beslispunt: 1
    kop: De aanpak is samen met de partners gemaakt.
    tekst: Alle partners hebben ingestemd.
  - beslispunt: 2
    kop: De bijdrage past in de begroting.
    tekst: Er is dekking in de begroting 2026.
alternatieve_scenarios: Ieder voor zich; dat is duurder.
risicos: Meer vraag dan verwacht.
vervolg: Na het besluit start de uitvoering.
evaluatie: In 2027.
inkoopadvies: nvt
advies_hr: nvt
advies_ict: nvt
juridisch_advies: Geen bezwaren.
financieel_advies: |
  | Kolom 1 | Kolom 2 |
  |---|---:|
  | tekst | € 0 |

  De bijdrage van {{ gemeente.naam }} is {{ waarden.bedrag }}.
advies_communicatie: Via de gemeentelijke kanalen.
intergemeentelijke_samenwerking: Met {{ partners }}.
global_goals: [3, 10]
klimaatadaptatie: nvt
burgerparticipatie:
  tekst: We spraken met ouders en jongeren.
  stakeholders:
    - Jongerenraad
bijlagen:
  - titel: Convenant jeugdhulp
    bestand: convenant-jeugdhulp.pdf
"""

REFERENCE_OVERLAYS = {
    "leusden": ("2026-02-03", "2026-03-05", "Z-2026-001", "7", "J. de Vries", "54400"),
    "soest": ("2026-02-10", "2026-03-12", "Z-2026-002", "8", "P. Jansen", "€ 12.500"),
    "baarn": ("2026-02-17", "2026-03-19", "Z-2026-003", "9", "M. Bakker", "30.000,50"),
}
SIGNATORIES = {"burgemeester": "A. Burgemeester", "secretaris": "B. Secretaris", "griffier": "C. Griffier"}


def _overlay_reference(slug: str) -> dict[str, Any]:
    college, raad, zaak, punt, houder, bedrag = REFERENCE_OVERLAYS[slug]
    data: dict[str, Any] = {
        "formaat": "1", "status": "concept", "historie": [{"status": "concept", "datum": dt.date.today().isoformat()}],
        "datum_college": college, "datum_raad": raad, "agendapunt": punt, "zaaknummer": zaak,
        "portefeuillehouder": houder, "waarden": {"bedrag": bedrag},
    }  # fmt: skip
    if slug == "soest":
        data["lokaal"] = {"aanleiding": [{"na": "drie-gemeenten-delen", "tekst": LOCAL}]}
    return data


@pytest.fixture
def new_editor(tmp_path: Path) -> Iterator[Editor]:
    (tmp_path / "proposals").mkdir()
    shutil.copy(PROPOSALS / "gemeenten.yaml", tmp_path / "proposals" / "gemeenten.yaml")
    shutil.copytree(ROOT / "templates", tmp_path / "templates")
    members = [arg for slug in MEMBERS for arg in ("-g", slug)]
    running = start(tmp_path, f"proposals/{NAME}", "--nieuw", *members)
    yield running
    running.kill()


def _write_everything(page: Any) -> None:
    from playwright.sync_api import expect

    def fill(name: str, value: str, bestand: str = "voorstel.yaml") -> None:
        control(page, bestand, name).fill(value)

    def click(label: str) -> None:
        page.get_by_role("button", name=label, exact=True).click()
        _saved(page)

    reference = load_yaml_text(REFERENCE_VOORSTEL, "referentie")[0]
    fill("onderwerp", reference["onderwerp"])
    fill("gelet_op.0", reference["gelet_op"][0])
    for spec in SECTIONS:
        if spec.kind is not Kind.TEXT or spec.key in ("aanleiding", "financieel_advies"):
            continue
        if spec.key in NVT:
            page.locator(f"#nvt-{spec.key}").check()
        else:
            fill(spec.key, reference[spec.key])
    fill("aanleiding", AANLEIDING)
    # the table through its insert button, then the sentence after it
    page.locator("#blok-financieel_advies").get_by_role("button", name="Tabel").click()
    area = control(page, "voorstel.yaml", "financieel_advies")
    expect(area).to_have_value(TABLE)
    area.press("End")
    page.keyboard.type(FINANCIEEL)

    fill("beslispunten.0", reference["beslispunten"][0])
    click("Beslispunt toevoegen")
    fill("beslispunten.1", reference["beslispunten"][1])
    fill("argumenten.0.kop", reference["argumenten"][0]["kop"])
    fill("argumenten.0.tekst", reference["argumenten"][0]["tekst"])
    click("Argument bij beslispunt 2 toevoegen")
    fill("argumenten.1.kop", reference["argumenten"][1]["kop"])
    fill("argumenten.1.tekst", reference["argumenten"][1]["tekst"])
    for goal in reference["global_goals"]:
        page.locator(f"#goal-{goal}").check()
        _saved(page)
    fill("burgerparticipatie.tekst", reference["burgerparticipatie"]["tekst"])
    click("Stakeholder toevoegen")
    fill("burgerparticipatie.stakeholders.0", reference["burgerparticipatie"]["stakeholders"][0])

    page.locator("#upload-bijlage").set_input_files(
        files=[{"name": "convenant-jeugdhulp.pdf", "mimeType": "application/pdf", "buffer": b"%PDF-1.7\n%%EOF\n"}]
    )
    expect(control(page, "voorstel.yaml", "bijlagen.0.titel")).to_have_value("Convenant jeugdhulp")

    page.locator("#nieuw-naam").fill("bedrag")
    page.locator("#nieuw-soort").select_option("bedrag")
    page.locator("#nieuw-omschrijving").fill("Bijdrage van de gemeente")
    click("Variabele toevoegen")
    for slug in MEMBERS:
        college, raad, zaak, punt, houder, bedrag = REFERENCE_OVERLAYS[slug]
        overlay = f"gemeenten/{slug}.yaml"
        fill("waarden.bedrag", bedrag, overlay)
        fill("datum_college", college, overlay)
        fill("datum_raad", raad, overlay)
        fill("zaaknummer", zaak, overlay)
        fill("agendapunt", punt, overlay)
        fill("portefeuillehouder", houder, overlay)
        page.locator(f"#gemeente-{slug} summary", has_text="Ondertekening").click()
        for role, naam in SIGNATORIES.items():
            fill(f"gemeenten.{slug}.{role}.naam", naam, "../gemeenten.yaml")
    page.get_by_role("button", name="Opslaan", exact=True).click()
    _saved(page)
    expect(page.locator('[data-veld="gemeenten/soest.yaml|waarden.bedrag"] output')).to_have_text("€ 12.500")

    # One paragraph local for Soest: the cursor in it, "alleen voor Soest: aanvullen".
    area = control(page, "voorstel.yaml", "aanleiding")
    position = AANLEIDING.index("gemeenten delen")
    area.evaluate(f"(a) => {{ a.focus(); a.setSelectionRange({position}, {position}); }}")
    block = page.locator("#blok-aanleiding")
    block.locator("summary", has_text="Alleen voor één gemeente").click()
    block.get_by_label("Gemeente", exact=True).select_option("soest")
    block.get_by_label("aanvullen (een alinea erachter)").check()
    block.get_by_label("Lokale tekst").fill(LOCAL)
    block.get_by_role("button", name="Lokaal opslaan").click()
    expect(page.locator("#status")).to_contain_text("lokaal opgeslagen voor soest (label drie-gemeenten-delen)")
    expect(page.locator("#meldingen-samenvatting")).to_have_text("Geen meldingen.")


def test_a_new_dossier_written_in_the_browser_alone(new_editor: Editor) -> None:
    sync_playwright = _browser()
    with sync_playwright() as p:  # type: ignore[operator]
        browser = p.chromium.launch(executable_path=str(CHROMIUM), args=CHROMIUM_ARGS)
        page = browser.new_page(viewport={"width": 1400, "height": 900})
        page.goto(new_editor.url)
        _write_everything(page)
        browser.close()
    code, printed = new_editor.stop()
    assert code == 0 and "editor gestopt" in printed, printed

    project = new_editor.project
    dossier = project / "proposals" / NAME
    env = {**os.environ, "PYTHONPATH": str(ROOT)}
    checked = subprocess.run([sys.executable, "-m", "generator", "validate", f"proposals/{NAME}"],
                             cwd=project, capture_output=True, text=True, env=env)  # fmt: skip
    assert checked.returncode == 0, checked.stdout + checked.stderr
    assert "waarschuwing" not in checked.stdout + checked.stderr and "fout" not in checked.stdout

    built = subprocess.run([sys.executable, "-m", "generator", "build", f"proposals/{NAME}", "--out", "uit"],
                           cwd=project, capture_output=True, text=True, env=env)  # fmt: skip
    assert built.returncode == 0, built.stdout + built.stderr
    for slug in MEMBERS:
        for kind in ("raadsvoorstel", "raadsbesluit"):
            for ext in ("docx", "pdf"):
                made = project / "uit" / NAME / slug / f"{kind}-{NAME}-{slug}.{ext}"
                assert made.is_file() and made.stat().st_size > 1000, made
    text = subprocess.run(["pdftotext", str(project / "uit" / NAME / "soest" / f"raadsvoorstel-{NAME}-soest.pdf"),
                           "-"], capture_output=True, text=True, check=True).stdout  # fmt: skip
    flat = " ".join(text.split())
    assert "Soest draagt daarnaast de huisvesting." in flat and "€ 12.500" in flat

    # The YAML written is the hand-written reference once loaded, and reads well: text as block scalars.
    written = (dossier / "voorstel.yaml").read_text(encoding="utf-8")
    assert load_yaml_text(written, "voorstel.yaml")[0] == load_yaml_text(REFERENCE_VOORSTEL, "referentie")[0]
    assert "\naanleiding: |\n  De regio werkt samen aan jeugdhulp.[^bron]\n" in written
    assert "\nfinancieel_advies: |\n  | Kolom 1 | Kolom 2 |\n" in written
    data_lines = [line for line in written.splitlines() if not line.lstrip().startswith("#")]
    assert not [line for line in data_lines if "INVULLEN" in line or "''" in line]
    assert "\n\n\n" not in written  # no stray blank lines where a placeholder became a block
    for slug in MEMBERS:
        overlay = (dossier / "gemeenten" / f"{slug}.yaml").read_text(encoding="utf-8")
        assert load_yaml_text(overlay, slug)[0] == _overlay_reference(slug), overlay
    registry = load_yaml_text((project / "proposals" / "gemeenten.yaml").read_text(encoding="utf-8"), "r")[0]
    for slug in MEMBERS:
        assert {role: registry["gemeenten"][slug][role]["naam"] for role in SIGNATORIES} == SIGNATORIES
    assert (dossier / "bijlagen" / "convenant-jeugdhulp.pdf").read_bytes() == b"%PDF-1.7\n%%EOF\n"

"""A raadsvoorstel in another municipality's Word template (no marks of ours) becomes a new dossier."""

from __future__ import annotations

import io
import re
import shutil
from pathlib import Path

import docx
import yaml
from docx.shared import Pt

from generator import api
from generator.importing import import_docx
from generator.importing.foreign import SYNONYMS, normalize
from tests.conftest import PROPOSALS, Invoke, tiny_png

#: The foreign document, section by section: (its heading, our key, its paragraphs). Beslispunten and
#: argumenten are written the way such templates write them: a numbered list, and "1.1 kop" lines.
TEXT: list[tuple[str, str, list[str]]] = [
    ("1. Inleiding", "aanleiding", [
        "De gemeente Eemdal wil de schuldhulpverlening dichter bij inwoners organiseren. Inwoners met geldzorgen "
        "vinden nu te laat de weg naar hulp, en de wachttijden lopen op.",
        "In de regio is afgesproken om een gezamenlijke aanpak te ontwikkelen met vroegsignalering en een "
        "vast aanspreekpunt per wijk.",
    ]),
    ("2. Te nemen besluit", "beslispunten", [
        "De regionale aanpak schuldhulpverlening vaststellen.",
        "Het college opdragen de aanpak in 2026 uit te voeren.",
    ]),
    ("3. Beoogd resultaat", "beoogd_effect", [
        "Minder inwoners met problematische schulden en kortere wachttijden bij de schuldhulpverlening.",
    ]),
    ("4. Argumentatie", "argumenten", [
        "1.1 Vroeg signaleren voorkomt grotere schulden",
        "Hoe eerder een inwoner hulp krijgt, hoe kleiner de schuld en hoe lager de maatschappelijke kosten.",
        "2.1 De uitvoering past binnen het budget",
        "De kosten worden gedekt uit het bestaande budget voor minimabeleid.",
    ]),
    ("5. Kanttekeningen en risico's", "risicos", [
        "Het bereik van vroegsignalering hangt af van de medewerking van woningcorporaties en energieleveranciers.",
    ]),
    ("6. Financiële consequenties", "financieel_advies", [
        "De kosten voor 2026 zijn als volgt verdeeld over de posten van de begroting.",
    ]),
    ("7. Communicatie", "advies_communicatie", [
        "Inwoners worden geïnformeerd via de gemeentelijke website, de lokale krant en de wijkteams.",
    ]),
    ("8. Uitvoering", "vervolg", [
        "Na het besluit start in januari 2026 een pilot in twee wijken; de raad ontvangt in het najaar een evaluatie.",
    ]),
    ("9. Bijlagen", "bijlagen", [
        "Regionale aanpak schuldhulpverlening 2026",
        "Advies van de adviesraad sociaal domein",
    ]),
]  # fmt: skip
TABLE = [("Post", "Bedrag"), ("Vroegsignalering", "€ 40.000"), ("Wijkaanspreekpunt", "€ 25.000")]
UNPLACED = "Dit voorstel is besproken in het portefeuillehoudersoverleg van 12 februari."


def foreign_docx() -> bytes:
    """A proposal in another template: Word's default styles, its own heading names, a title-block table with
    other labels, numbered beslispunten, "1.1" argument lines, a table, an image and a section we do not have."""
    document = docx.Document()
    document.styles["Normal"].font.name = "Calibri"
    document.styles["Normal"].font.size = Pt(11)
    document.add_paragraph("Gemeente Eemdal")
    document.add_heading("Raadsvoorstel", level=0)
    table = document.add_table(rows=3, cols=2)
    for row, (label, value) in zip(table.rows, [("Onderwerp", "Regionale aanpak schuldhulpverlening"),
                                               ("Datum raadsvergadering", "5 maart 2026"),
                                               ("Portefeuillehouder", "J. de Vries")], strict=True):  # fmt: skip
        row.cells[0].text, row.cells[1].text = label, value
    for heading, key, paragraphs in TEXT:
        document.add_heading(heading, level=1)
        for text in paragraphs:
            if key in ("beslispunten", "bijlagen"):
                document.add_paragraph(text, style="List Number")
            elif key == "argumenten" and re.match(r"\d\.\d ", text):
                document.add_paragraph().add_run(text).bold = True
            else:
                document.add_paragraph(text)
        if key == "financieel_advies":
            data = document.add_table(rows=len(TABLE), cols=2)
            for row, cells in zip(data.rows, TABLE, strict=True):
                row.cells[0].text, row.cells[1].text = cells
    document.add_heading("10. Overig", level=1)
    document.add_paragraph(UNPLACED)
    document.add_picture(io.BytesIO(tiny_png()))
    out = io.BytesIO()
    document.save(out)
    return out.getvalue()


def _words(text: str) -> list[str]:
    return re.findall(r"[\w€.,]+", text.replace("\u00a0", " "))


def test_the_synonyms_are_one_table_of_normalized_names() -> None:
    assert all(normalize(name) == name for name in SYNONYMS)
    assert SYNONYMS["inleiding"] == SYNONYMS["aanleiding"] == "aanleiding"
    assert {SYNONYMS[n] for n in ("voorstel", "beslispunten", "te nemen besluit")} == {"beslispunten"}
    assert {SYNONYMS[n] for n in ("financien", "financiele consequenties", "financieel advies")} == {
        "financieel_advies"
    }
    assert normalize("6. Financiële consequenties:") == "financiele consequenties"


def test_a_foreign_proposal_becomes_a_dossier_that_validates(tmp_path: Path, cli: Invoke) -> None:
    proposals = tmp_path / "proposals"
    proposals.mkdir()
    shutil.copy(PROPOSALS.parent / "voorbeelden" / "raadsronde" / "proposals" / "gemeenten.yaml", proposals)
    source = tmp_path / "voorstel-eemdal.docx"
    source.write_bytes(foreign_docx())
    folder = proposals / "schuldhulp"
    shown = cli("import", str(source), "--dossier", str(folder), "--gemeente", "eemdal")
    assert shown.exit_code == 0, shown.output
    assert not folder.exists()  # without --schrijf nothing is made
    assert "'1. Inleiding' → aanleiding" in shown.output
    result = import_docx(source, folder, "eemdal", write=True)
    assert result.foreign is not None
    data = yaml.safe_load((folder / "voorstel.yaml").read_text(encoding="utf-8"))
    # ≥ 98% of the words of each section land in that section
    total = placed = 0
    for _, key, paragraphs in TEXT:
        value = data[key]
        text = yaml.safe_dump(value, allow_unicode=True) if not isinstance(value, str) else value
        for word in _words(" ".join(paragraphs)):
            total += 1
            placed += word in text
    for cells in TABLE:
        for word in _words(" ".join(cells)):
            total += 1
            placed += word in data["financieel_advies"]
    assert placed / total >= 0.98, (placed, total)
    assert data["beslispunten"] == [TEXT[1][2][0], TEXT[1][2][1]]
    assert [(a["beslispunt"], a["kop"]) for a in data["argumenten"]] == [
        (1, "Vroeg signaleren voorkomt grotere schulden"), (2, "De uitvoering past binnen het budget")]  # fmt: skip
    assert "| Vroegsignalering | € 40.000 |" in data["financieel_advies"]
    assert data["onderwerp"] == "Regionale aanpak schuldhulpverlening"
    overlay = yaml.safe_load((folder / "gemeenten" / "eemdal.yaml").read_text(encoding="utf-8"))
    assert str(overlay["datum_raad"]) == "2026-03-05" and overlay["portefeuillehouder"] == "J. de Vries"
    # the text without a section is kept in one marked place, with its position, and reported
    unplaced = yaml.safe_load((folder / "niet-geplaatst.yaml").read_text(encoding="utf-8"))["niet_geplaatst"]
    assert [row["plaats"] for row in unplaced if UNPLACED in row["tekst"]] == [
        "alinea 30"
    ]  # paragraphs and tables counted from the top
    assert UNPLACED not in str(data)
    assert "niet geplaatst (alinea 30)" in shown.output
    assert result.foreign.images, "the image is reported"
    # the dossier validates; what the document lacked is a placeholder (a warning), nothing else is wrong
    report = api.validate([folder])
    assert not report.errors, report.errors
    lacking = {p.field.split(".")[0] for p in report.warnings}
    assert lacking, "sections the document lacked are placeholders"
    assert not lacking & {key for _, key, _ in TEXT}, lacking

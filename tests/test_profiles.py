"""Layout profiles per municipality (generator/document/profile.py): the fictional region's two profiles in every
format (read back), every paragraph kept, the reference form unchanged, and located errors in a bad profile."""

from __future__ import annotations

import itertools
import json
import re
import shutil
import subprocess
import tomllib
import zipfile
from pathlib import Path

import docx
import jsonschema
import pytest
from lxml import etree

from generator import api
from generator.document.kinds import build_documents
from generator.document.profile import REFERENCE, parse
from generator.errors import Problems
from generator.model.sections import SECTIONS
from generator.writers import WriterOptions, get_writer
from generator.writers.templatefiles import PACKAGE_TEMPLATES
from tests.conftest import ROOT, Invoke

REGION = ROOT / "voorbeelden" / "raadsronde"
ROUND = REGION / "proposals" / "schuldhulp-eemland"
PROFILES = REGION / "templates" / "gemeenten"
FORMATS = ("txt", "docx", "odt", "pdf")
T = "{urn:oasis:names:tc:opendocument:xmlns:text:1.0}"

HEADINGS = {
    "eemdal": [
        "Samenvatting voor de inwoner", "Beslispunten", "Inleiding", "Argumentatie", "Kanttekeningen en risico's",
        "Financiën", "Advies", "Uitvoering", "Samenwerking en participatie", "Duurzaamheid",
    ],
    "amerveld": [
        "Waarom dit voorstel?", "Wettelijk kader", "Wat willen we bereiken?", "Beslispunten", "Argumenten",
        "Andere mogelijkheden", "Risico's", "Uitvoering", "Adviezen", "Financiën", "Samenwerking", "Global Goals",
        "Participatie", "Samenvatting voor de inwoner",
    ],
    "zandhoven": [spec.title for spec in SECTIONS],  # no profile of its own: the reference form
}  # fmt: skip


@pytest.fixture(scope="module")
def built(tmp_path_factory: pytest.TempPathFactory) -> dict[str, dict[str, Path]]:
    """{gemeente: {format: file}}: the round's raadsvoorstellen as the CLI writes them."""
    out = tmp_path_factory.mktemp("profiles")
    args = ["build", str(ROUND), "--out", str(out)]
    for fmt in FORMATS:
        args += ["-f", fmt]
    from click.testing import CliRunner

    from generator.cli import main

    result = CliRunner().invoke(main, args, catch_exceptions=False)
    assert result.exit_code == 0, result.output
    return {
        slug: {fmt: out / ROUND.name / slug / f"raadsvoorstel-{ROUND.name}-{slug}.{fmt}" for fmt in FORMATS}
        for slug in HEADINGS
    }


def _numbered(titles: list[str]) -> list[str]:
    return [f"{n}. {title}" for n, title in enumerate(titles, start=1)]


def _in_order(lines: list[str], wanted: list[str]) -> None:
    at = -1
    for heading in wanted:
        assert heading in lines[at + 1 :], (heading, lines)
        at = lines.index(heading, at + 1)


@pytest.mark.parametrize("slug", sorted(HEADINGS))
def test_section_names_and_order_follow_the_profile_in_every_format(
    built: dict[str, dict[str, Path]], slug: str
) -> None:
    wanted = _numbered(HEADINGS[slug])
    txt = built[slug]["txt"].read_text(encoding="utf-8").splitlines()
    assert [line for line in txt if re.fullmatch(r"\d+\. .+", line) and line in wanted] == wanted
    document = docx.Document(str(built[slug]["docx"]))
    assert [p.text for p in document.paragraphs if p.style is not None and p.style.name == "Heading 1"] == wanted
    with zipfile.ZipFile(built[slug]["odt"]) as package:
        content = etree.fromstring(package.read("content.xml"))
    odt = ["".join(h.itertext()) for h in content.iter(f"{T}h") if h.get(f"{T}outline-level") == "1"]
    assert odt == wanted
    pdf = subprocess.run(["pdftotext", "-layout", str(built[slug]["pdf"]), "-"], capture_output=True, text=True,
                         check=True).stdout  # fmt: skip
    _in_order([" ".join(line.split()) for line in pdf.splitlines()], wanted)


def _reference_text(slug: str) -> tuple[str, str]:
    """The txt of ``slug``'s raadsvoorstel in the reference form (the same data, no profile applied), and its
    closing formula."""
    loaded = api.loaded_dossier(ROUND, [slug])
    document = build_documents(loaded.proposals[slug], Problems(), REFERENCE).voorstel
    text = get_writer("txt")(document, WriterOptions())
    assert isinstance(text, str)
    return text, document.signature.closing


@pytest.mark.parametrize("slug", ["eemdal", "amerveld"])
def test_every_paragraph_of_the_text_appears(built: dict[str, dict[str, Path]], slug: str) -> None:
    shown = set(built[slug]["txt"].read_text(encoding="utf-8").splitlines())
    text, closing = _reference_text(slug)
    titles = {spec.title for spec in SECTIONS}
    skipped = 0
    for line in text.splitlines():
        heading = re.fullmatch(r"\d+\. (.+)", line)
        if not line.strip() or line == "Nvt" or (heading and heading.group(1) in titles):
            continue  # headings are renamed or numbered anew; "Nvt" may go with its heading (weglaten_als_nvt)
        if (line.startswith("☐ Goal") and slug == "eemdal") or (line == closing and slug == "eemdal"):
            skipped += 1  # a goal not chosen (global_goals = "gekozen"); the closing formula is the profile's
            continue
        assert line in shown, (slug, line)
    assert skipped == (16 if slug == "eemdal" else 0)  # 15 goals not chosen and the closing formula
    assert "Samenvatting voor de inwoner" in "\n".join(shown)


def test_the_profiles_show_what_they_promise(built: dict[str, dict[str, Path]]) -> None:
    eemdal = built["eemdal"]["txt"].read_text(encoding="utf-8")
    assert "Eemdal wil inwoners met schulden eerder helpen" in eemdal  # its summary, from its own overlay
    assert "€ 42.500 per jaar voor." in eemdal  # with the variables filled in
    assert "Goal 01" in eemdal and "Goal 02" not in eemdal  # only the chosen goals
    assert "Met vriendelijke groet," in eemdal
    title_block = eemdal.split("1. Samenvatting")[0]
    assert title_block.index("Agendapunt") < title_block.index("Datum raadsvergadering")
    assert title_block.index("Datum raadsvergadering") < title_block.index("Datum collegevergadering")
    amerveld = built["amerveld"]["txt"].read_text(encoding="utf-8")
    assert "Sommige inwoners hebben schulden" in amerveld  # the shared summary
    assert "Goal 02" in amerveld  # all 17 goals
    assert "Klimaatadaptatie" not in amerveld and "Advies van HR" not in amerveld  # nvt: left out
    zandhoven = built["zandhoven"]["txt"].read_text(encoding="utf-8")
    assert "Sommige inwoners" not in zandhoven  # the reference form has no summary


def test_heading_levels_never_skip_and_the_docx_passes_the_audit(
    built: dict[str, dict[str, Path]], tmp_path: Path
) -> None:
    from tests.test_publishable import audit

    paths = [built[slug]["docx"] for slug in ("eemdal", "amerveld")]
    for path in paths:
        document = docx.Document(str(path))
        levels = [int(p.style.name.split()[1]) for p in document.paragraphs
                  if p.style is not None and p.style.name.startswith("Heading ")]  # fmt: skip
        assert levels[0] == 1 and 2 in levels
        assert all(after <= before + 1 for before, after in itertools.pairwise(levels))
    report = audit(paths, tmp_path / "audit")
    for path in paths:
        assert report[path.name]["errors"] == [] or report[path.name].get("error_count", 0) == 0, report[path.name]


def test_the_package_profile_is_the_reference_form() -> None:
    profile, problems = parse((PACKAGE_TEMPLATES / "profiel.toml").read_text(encoding="utf-8"), "profiel.toml")
    assert problems == [] and profile == REFERENCE


def test_the_profiles_match_their_schema() -> None:
    schema = json.loads((ROOT / "schema" / "profiel.schema.json").read_text(encoding="utf-8"))
    for path in (PACKAGE_TEMPLATES / "profiel.toml", *PROFILES.glob("*/profiel.toml")):
        jsonschema.validate(tomllib.loads(path.read_text(encoding="utf-8")), schema)


def test_sjablonen_lists_each_municipalitys_profile(cli: Invoke) -> None:
    result = cli("sjablonen", REGION / "proposals")
    assert result.exit_code == 0, result.output
    listing = result.output.split("opmaakprofiel per gemeente:")[1]
    assert re.search(r"eemdal: Eemdal: beslispunten eerst \(\S*gemeenten/eemdal/profiel\.toml\)", listing)
    assert re.search(r"zandhoven: referentie \(\S*generator/templates/profiel\.toml\)", listing)


BROKEN = """naam = "kapot"
titelblok = ["agendapunt", "agendapunt"]

[[onderdeel]]
titel = "Alles"
bevat = ["aanleiding", "wettelijke_grondslag", "beoogd_effect", "deadline", "beslispunten", "argumenten",
  "alternatieve_scenarios", "risicos", "vervolg", "evaluatie", "inkoopadvies", "advies_hr", "advies_ict",
  "juridisch_advies", "financieel_advies", "advies_communicatie", "global_goals",
  "klimaatadaptatie", "burgerparticipatie", "bijlagen"]

[[onderdeel]]
titel = "Nog eens"
bevat = ["risicos", "risico"]
"""


def test_a_bad_profile_is_a_located_error(tmp_path: Path, cli: Invoke) -> None:
    shutil.copytree(REGION, tmp_path / "regio")
    profile = tmp_path / "regio" / "templates" / "gemeenten" / "amerveld" / "profiel.toml"
    profile.write_text(BROKEN, encoding="utf-8")
    result = cli("validate", tmp_path / "regio" / "proposals" / ROUND.name)
    assert result.exit_code == 1 and "Traceback" not in result.output
    out = result.output
    assert "profiel.toml:2: veld 'titelblok': veld 'agendapunt' staat twee keer" in out
    assert "profiel.toml:13: veld 'onderdeel[2].bevat': onderdeel 'risicos' staat al in onderdeel" in out
    assert "profiel.toml:13: veld 'onderdeel[2].bevat': onbekend onderdeel 'risico'; bedoelde u 'risicos'?" in out
    assert "profiel.toml:1: veld 'onderdeel': onderdeel 17. Intergemeentelijke samenwerking" in out  # placed nowhere
    profile.write_text("naam = \"x\"\n[[onderdeel]\n", encoding="utf-8")
    syntax = cli("validate", tmp_path / "regio" / "proposals" / ROUND.name)
    assert syntax.exit_code == 1 and re.search(r"profiel\.toml:2: geen geldige TOML", syntax.output), syntax.output


def test_an_empty_summary_is_a_placeholder_and_must_be_filled_before_offering(tmp_path: Path, cli: Invoke) -> None:
    shutil.copytree(REGION, tmp_path / "regio")
    dossier = tmp_path / "regio" / "proposals" / ROUND.name
    voorstel = dossier / "voorstel.yaml"
    text = voorstel.read_text(encoding="utf-8")
    voorstel.write_text(text[: text.index("samenvatting: |")] + text[text.index("aanleiding: |") :], encoding="utf-8")
    offered = cli("validate", dossier)  # Amerveld's proposal lies with the council: nothing may be left open
    assert offered.exit_code == 1
    expected = "amerveld.yaml:1: veld 'samenvatting': 'samenvatting' is voor Amerveld nog niet ingevuld"
    assert expected in offered.output, offered.output
    overlay = dossier / "gemeenten" / "amerveld.yaml"
    offered_text = overlay.read_text(encoding="utf-8")
    history = offered_text[offered_text.index("status: aangeboden\n") : offered_text.index("datum_college:")]
    overlay.write_text(offered_text.replace(history, "status: concept\n"), "utf-8")  # back to a concept
    document = api.documents(dossier, ["amerveld"])["amerveld"]
    summary = document.sections[-1]
    assert summary.title == "Samenvatting voor de inwoner" and document.concept
    assert "INVULLEN: samenvatting voor de inwoner" in str(summary.blocks)


def test_a_batch_rebuilds_when_a_profile_changes() -> None:
    from generator.batch.manifest import InputHasher

    hasher = InputHasher(REGION / "proposals", api.templates_for(REGION / "proposals"))
    for fmt in ("txt", "docx", "pdf"):  # txt reads no template, but the profile shapes it too
        assert "templates/gemeenten/eemdal/profiel.toml" in hasher.inputs(ROUND.name, "eemdal", fmt)
        assert "templates/profiel.toml" in hasher.inputs(ROUND.name, "zandhoven", fmt)  # the package's


def test_the_besluit_speaks_the_profiles_phrases() -> None:
    ontwerp = api.documents(ROUND, ["amerveld"], kind="raadsbesluit")["amerveld"]
    text = get_writer("txt")(ontwerp, WriterOptions())
    assert isinstance(text, str)
    assert "\nBesluit:\n" in text and "Zo besloten in de openbare raadsvergadering van ……………………." in text
    assert "De raad van de gemeente Amerveld;" in text  # a phrase the profile leaves as it is
    other = get_writer("txt")(api.documents(ROUND, ["eemdal"], kind="raadsbesluit")["eemdal"], WriterOptions())
    assert isinstance(other, str) and "\nbesluit:\n" in other and "Aldus besloten" in other


def test_a_besluit_phrase_may_use_only_its_own_names() -> None:
    text = (PROFILES / "amerveld" / "profiel.toml").read_text(encoding="utf-8")
    extra = 'gelezen = "gelezen het voorstel van {gemeente.__class__}"\nslotzin = "x"\n'
    text = text.replace("[besluit]\n", "[besluit]\n" + extra)
    text = text.replace('slot = "Zo besloten in de openbare raadsvergadering van {datum}."', 'slot = "Zo besloten."')
    profile, problems = parse(text, "profiel.toml")
    assert profile is None
    shown = [str(p) for p in problems]
    lines = text.split("\n")
    line = next(n for n, row in enumerate(lines, 1) if row.startswith("gelezen"))
    expected = "veld 'besluit.gelezen': '{gemeente.__class__}' kan hier niet; deze zin kent: {voorstel}"
    assert f"profiel.toml:{line}: {expected}" in shown
    assert any("veld 'besluit.slot': de zin mist {datum}" in s for s in shown)
    assert any("veld 'besluit.slotzin': onbekende zin 'slotzin'; bedoelde u 'slot'?" in s for s in shown)

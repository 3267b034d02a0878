"""Behaviour no test checked before, found through branch coverage (issue 13): each test states a promise.

- a batch at a terminal shows a live progress bar, messages above it and a summary table;
- a mistyped key deep inside the data gets a "did you mean" with file:line, and every kind of validation
  message reads as Dutch advice;
- values of kind ``getal`` and ``datum`` are written the Dutch way, and bad ones are refused at their line;
- Markdown a clerk may paste (quotes, code, a rule) keeps its text or is refused with its line;
- files in a dossier that are missing, of the wrong shape or wrongly named are reported, never ignored;
- ``raadsvoorstel schema --out`` writes exactly the committed schemas;
- a filled-in proposal shows Dutch meeting dates and "Nvt" sections; placeholders in Markdown lists are marked;
- a batch refuses bad folders (exit 2), fails only the dossier whose municipality name would leave ``--out``,
  checks everything again after a damaged or foreign manifest, names no holder of a lock it cannot read, and
  after ``kill -9`` rebuilds only what its last checkpoint had not recorded;
- ``diff`` says when nothing changed, and without git refuses revisions with advice.
"""

from __future__ import annotations

import fcntl
import json
import os
import re
import select
import struct
import subprocess
import sys
import termios
import time
from pathlib import Path

import pytest

from generator import api
from generator.batch.lock import LOCK_NAME
from generator.core.output import TEMP_PREFIX
from generator.document import markdown
from generator.document.nodes import LineBreak, Paragraph, Text
from generator.errors import OutputError
from generator.writers import WriterOptions, get_writer
from tests.conftest import DOSSIER, ROOT, Invoke

VOORSTEL = f"{DOSSIER}/voorstel.yaml"
LEUSDEN = f"{DOSSIER}/gemeenten/leusden.yaml"
REGISTRY = "gemeenten.yaml"


def _edit(path: Path, old: str, new: str) -> None:
    text = path.read_text(encoding="utf-8")
    assert text.count(old) == 1, old
    path.write_text(text.replace(old, new), encoding="utf-8")


def _append(path: Path, text: str) -> None:
    with path.open("a", encoding="utf-8") as handle:
        handle.write(text)


def _line_of(path: Path, needle: str) -> int:
    lines = path.read_text(encoding="utf-8").splitlines()
    found = [n for n, line in enumerate(lines, start=1) if needle in line]
    assert len(found) == 1, (needle, found)
    return found[0]


def _validate(cli: Invoke, proposals: Path) -> tuple[int, str]:
    result = cli("validate", proposals / DOSSIER)
    assert "Traceback" not in result.output
    return result.exit_code, result.output


def _reported(output: str, file: str, line: int | None, message: str) -> bool:
    """Whether ``output`` has a problem of ``file`` (at ``line``) whose text contains ``message``."""
    where = re.escape(Path(file).name) + (rf":{line}\b" if line is not None else "")
    return re.search(rf"{where}[^\n]*{re.escape(message)}", output) is not None


# --- a batch at a terminal -------------------------------------------------------------------------------------


def _run_in_terminal(command: list[str], timeout: float = 120) -> tuple[int, str]:
    """Run ``command`` with a pseudo-terminal as stdin, stdout and stderr; return its exit code and output."""
    master, slave = os.openpty()
    fcntl.ioctl(slave, termios.TIOCSWINSZ, struct.pack("HHHH", 40, 400, 0, 0))
    env = {k: v for k, v in os.environ.items() if k not in ("NO_COLOR", "CI", "TERM")}
    env.update(TERM="xterm-256color", COLUMNS="400", LINES="40")
    process = subprocess.Popen(command, stdin=slave, stdout=slave, stderr=slave, cwd=ROOT, env=env)
    os.close(slave)
    chunks: list[bytes] = []
    deadline = time.monotonic() + timeout
    try:
        while time.monotonic() < deadline:
            ready, _, _ = select.select([master], [], [], 0.1)
            if ready:
                try:
                    data = os.read(master, 65536)
                except OSError:  # EIO: every process holding the terminal has closed it
                    break
                if not data:
                    break
                chunks.append(data)
            elif process.poll() is not None:
                break
        code = process.wait(timeout=max(1.0, deadline - time.monotonic()))
    finally:
        os.close(master)
        if process.poll() is None:
            process.kill()
    return code, b"".join(chunks).decode("utf-8", "replace")


def test_batch_at_a_terminal_shows_a_progress_bar_messages_and_a_summary_table(proposals: Path, tmp_path: Path) -> None:
    second = proposals / "tweede-dossier"
    second.mkdir()
    (second / "voorstel.yaml").write_text(
        (proposals / VOORSTEL).read_text(encoding="utf-8").replace("deadline: nvt", "dedline: nvt"), encoding="utf-8"
    )
    _edit(proposals / REGISTRY, 'huisstijl: {kleur: "#00626F"}', 'huisstijl: {kleur: "#00626F", logo: weg.png}')
    out = tmp_path / "out"
    (out / DOSSIER).mkdir(parents=True)
    (out / DOSSIER / f"{TEMP_PREFIX}half.html").write_bytes(b"<html")
    command = [sys.executable, "-m", "generator", "batch", str(proposals), "--out", str(out), "-f", "html", "-j", "2"]
    code, output = _run_in_terminal(command)
    assert code == 1, output
    assert "\x1b[" in output, "a terminal gets colours and a live bar"
    plain = re.sub(r"\x1b\[[0-9;?]*[A-Za-z]", "", output).replace("\r\n", "\n").replace("\r", "\n")
    assert "opgeruimd: 1 tijdelijk(e) bestand(en) van een afgebroken run" in plain
    assert "te bouwen: 28 documenten uit 2 dossier(s), 0 ongewijzigd, 2 processen" in plain
    assert "mislukt: dossier tweede-dossier (14 documenten niet gebouwd)" in plain
    assert "onbekend veld 'dedline'" in plain
    assert re.search(r"mislukt: \S*raadsvoorstel-impuls-sociale-infrastructuur-leusden\.html: [^\n]*weg\.png", plain)
    assert re.search(r"bouwen\s[^\n]*\b28/28\b", plain), "the bar ends full: every document is accounted for"
    assert "Samenvatting" in plain
    rows = {m.group(1): m.group(2) for m in re.finditer(r"│\s*([a-z][a-z ]+?)\s*│\s*(\d+)\s*│", plain)}
    # raadsvoorstel and raadsbesluit: 14 of the broken dossier, and Leusden's two (its logo is missing)
    assert (rows.get("gebouwd"), rows.get("mislukt")) == ("12", "16"), rows
    assert re.search(r"│\s*dossiers met fouten\s*│\s*tweede-dossier\s*│", plain)
    assert not list(out.rglob(f"{TEMP_PREFIX}*"))


# --- validation messages ---------------------------------------------------------------------------------------

MESSAGE_CASES = [
    # (file, old, new, needle on the reported line, message)
    (VOORSTEL, "    kop: Er is draagvlak", "    kopp: Er is draagvlak", "kopp:", "bedoelde u 'kop'?"),
    (VOORSTEL, "  stakeholders:\n", "  stakehoulders:\n", "stakehoulders:", "bedoelde u 'stakeholders'?"),
    (REGISTRY, 'huisstijl: {kleur: "#00626F"}', 'huisstijl: {kleur: "#00626F", logoo: a.png}', "logoo", "'logo'?"),
    (REGISTRY, "    burgemeester: {naam: G.J.", "    burgemeestr: {naam: G.J.", "burgemeestr", "'burgemeester'?"),
    (VOORSTEL, "    soort: tekst\n", "    soort: tekts\n", "soort: tekts", "kies een van: 'bedrag', 'datum'"),
    (VOORSTEL, "global_goals: [1, 8, 16]", "global_goals: [0, 8, 16]", "global_goals:", "moet minstens 1 zijn"),
    (REGISTRY, 'huisstijl: {kleur: "#00626F"}', 'huisstijl: {kleur: "#0062"}', "#0062", "niet de juiste vorm"),
    (REGISTRY, 'huisstijl: {kleur: "#00626F"}', 'huisstijl: {kleur: "#00626F", logo: ../x.png}', "../x", "vorm"),
]


@pytest.mark.parametrize(
    "case",
    MESSAGE_CASES,
    ids=["list item key", "block value key", "registry key", "registry role", "choice", "minimum", "colour", "logo"],
)
def test_validation_messages_point_at_the_line_and_advise(
    case: tuple[str, str, str, str, str], proposals: Path, cli: Invoke
) -> None:
    file, old, new, needle, message = case
    _edit(proposals / file, old, new)
    code, output = _validate(cli, proposals)
    assert code == 1, output
    assert _reported(output, file, _line_of(proposals / file, needle), message), output


# --- values of every kind --------------------------------------------------------------------------------------

EFFECT = "  dat inwoners een eerlijke kans krijgen op betaald werk.\n"


def _declare_number_and_date(proposals: Path) -> None:
    voorstel = proposals / VOORSTEL
    _edit(
        voorstel,
        "variabelen:\n",
        "variabelen:\n  deelnemers:\n    soort: getal\n    omschrijving: aantal deelnemers\n"
        "  startdatum:\n    soort: datum\n    omschrijving: startdatum van de pilot\n",
    )
    _edit(
        voorstel, EFFECT, EFFECT.rstrip("\n") + " Vanaf {{ waarden.startdatum }} doen {{ waarden.deelnemers }} mee.\n"
    )


def test_numbers_and_dates_in_texts_are_written_the_dutch_way(proposals: Path, cli: Invoke) -> None:
    _declare_number_and_date(proposals)
    _edit(proposals / LEUSDEN, "waarden:\n", 'waarden:\n  deelnemers: "1250.5"\n  startdatum: 2025-03-12\n')
    result = cli("dump", proposals / DOSSIER, "--gemeente", "leusden")
    assert result.exit_code == 0, result.output
    assert "Vanaf 12 maart 2025 doen 1.250,5 mee." in " ".join(result.output.split())


def test_bad_numbers_dates_and_unknown_values_are_refused_at_their_line(proposals: Path, cli: Invoke) -> None:
    _declare_number_and_date(proposals)
    _edit(
        proposals / LEUSDEN, "waarden:\n", "waarden:\n  deelnemers: .nan\n  startdatum: 12-03-2025\n  startdatum2: x\n"
    )
    code, output = _validate(cli, proposals)
    assert code == 1, output
    overlay = proposals / LEUSDEN
    assert _reported(output, LEUSDEN, _line_of(overlay, "deelnemers:"), "'.nan' is geen getal")
    assert _reported(output, LEUSDEN, _line_of(overlay, "startdatum: 12"), "verwacht een datum als JJJJ-MM-DD")
    assert _reported(output, LEUSDEN, _line_of(overlay, "startdatum2"), "onbekende waarde; bedoelde u 'startdatum'?")


# --- Markdown a clerk may paste --------------------------------------------------------------------------------


def test_quotes_and_code_keep_their_text_and_a_rule_is_refused_with_its_line() -> None:
    source = (
        "> Een citaat\n> over twee regels.\n\n    code regel 1\n    regel 2\n\n```\na\nb\n```\n\n---\n\nNa de lijn.\n"
    )
    blocks, problems = markdown.parse_blocks(source)
    assert blocks == (
        Paragraph((Text("Een citaat over twee regels."),)),
        Paragraph((Text("code regel 1"), LineBreak(), Text("regel 2"))),
        Paragraph((Text("a"), LineBreak(), Text("b"))),
        Paragraph((Text("Na de lijn."),)),
    )
    assert [(p.line, "horizontale lijn" in p.message) for p in problems] == [(12, True)]


def test_a_rule_in_a_yaml_text_is_reported_at_its_file_line(proposals: Path, cli: Invoke) -> None:
    _edit(proposals / VOORSTEL, EFFECT, EFFECT + "\n  ---\n")
    code, output = _validate(cli, proposals)
    assert code == 1, output
    line = _rule_line(proposals / VOORSTEL)
    assert _reported(output, VOORSTEL, line, "veld 'beoogd_effect': een horizontale lijn (---)"), output


def _rule_line(path: Path) -> int:
    lines = path.read_text(encoding="utf-8").splitlines()
    return next(n for n, line in enumerate(lines, start=1) if line == "  ---")


# --- the files of a dossier ------------------------------------------------------------------------------------


def test_a_missing_registry_is_reported(proposals: Path, cli: Invoke) -> None:
    (proposals / REGISTRY).unlink()
    code, output = _validate(cli, proposals)
    assert code == 1
    assert _reported(output, REGISTRY, None, "bestand ontbreekt"), output


def test_an_overlay_that_is_not_a_mapping_is_reported_at_line_one(proposals: Path, cli: Invoke) -> None:
    (proposals / LEUSDEN).write_text("- deelnemers: 3\n", encoding="utf-8")
    code, output = _validate(cli, proposals)
    assert code == 1
    assert _reported(output, LEUSDEN, 1, "het bestand moet velden bevatten (sleutel: waarde)"), output


def test_an_overlay_with_another_extension_is_not_silently_ignored(proposals: Path, cli: Invoke) -> None:
    """``soest.yml`` would otherwise leave Soest with the regional text without anyone noticing."""
    overlays = proposals / DOSSIER / "gemeenten"
    (overlays / "soest.yaml").rename(overlays / "soest.yml")
    (overlays / "notities").mkdir()  # a folder is no file: not reported
    code, output = _validate(cli, proposals)
    assert code == 1
    assert _reported(output, f"{DOSSIER}/gemeenten/soest.yml", None, "alleen .yaml-bestanden horen in deze map")
    assert "notities" not in output


# --- schemas ---------------------------------------------------------------------------------------------------


def test_schema_out_writes_exactly_the_committed_schemas(tmp_path: Path, cli: Invoke) -> None:
    result = cli("schema", "--out", tmp_path / "schema")
    assert result.exit_code == 0, result.output
    committed = sorted((ROOT / "schema").glob("*.schema.json"))
    assert [p.name for p in committed] == sorted(p.name for p in (tmp_path / "schema").iterdir())
    for path in committed:
        assert (tmp_path / "schema" / path.name).read_bytes() == path.read_bytes(), path.name
        assert f"geschreven: {tmp_path / 'schema' / path.name}" in result.output


# --- more validation: lists, one-line fields, amounts ----------------------------------------------------------

MORE_CASES = [
    (VOORSTEL, "woudenberg, nijkerk]", "woudenberg, nijkerk, soest]", "gemeenten: [", "'soest' staat er twee keer in"),
    (VOORSTEL, "    kop: Er is draagvlak", '    kop: ""\n    x: Er is draagvlak', 'kop: ""', "de tekst is leeg"),
    (
        VOORSTEL,
        "onderwerp: Uitgangspunten",
        "onderwerp: |\n  Twee regels\n  Uitgangspunten",
        "onderwerp: |",
        "schrijf dit op één regel",
    ),
    (
        LEUSDEN,
        "bedrag_overgeheveld: 54400",
        "bedrag_overgeheveld: .inf",
        "bedrag_overgeheveld",
        "'.inf' is geen bedrag",
    ),
]


@pytest.mark.parametrize("case", MORE_CASES, ids=["duplicate municipality", "empty text", "two lines", "infinite"])
def test_more_refusals_point_at_their_line(case: tuple[str, str, str, str, str], proposals: Path, cli: Invoke) -> None:
    file, old, new, needle, message = case
    _edit(proposals / file, old, new)
    code, output = _validate(cli, proposals)
    assert code == 1, output
    assert _reported(output, file, _line_of(proposals / file, needle), message), output


# --- what a filled-in proposal shows ---------------------------------------------------------------------------


def test_meeting_dates_read_dutch_and_nvt_sections_say_so(proposals: Path, cli: Invoke) -> None:
    voorstel = proposals / VOORSTEL
    _append(proposals / LEUSDEN, "datum_college: 2025-05-20\ndatum_raad: 2025-06-10\n")
    text = voorstel.read_text(encoding="utf-8")
    text = re.sub(r"\nargumenten:\n(  .*\n|\n)+", "\nargumenten: nvt\n", text, count=1)
    text = re.sub(r"\nburgerparticipatie:\n(  .*\n|\n)+", "\nburgerparticipatie: nvt\n", text, count=1)
    voorstel.write_text(text, encoding="utf-8")
    result = cli("dump", proposals / DOSSIER, "--gemeente", "leusden")
    assert result.exit_code == 0, result.output
    assert "Datum collegevergadering: 20 mei 2025" in result.output
    assert "Datum raadsvergadering: 10 juni 2025" in result.output
    for heading in ("Argumenten", "Burgerparticipatie"):
        assert re.search(rf"\n\d+\. {heading}[^\n]*\n\nNvt\n", result.output), (heading, result.output)


def test_a_placeholder_in_a_markdown_list_is_highlighted_too(proposals: Path) -> None:
    _edit(proposals / VOORSTEL, EFFECT, EFFECT + "\n  - Nog te kiezen: [INVULLEN: partner]\n")
    document = api.documents(proposals / DOSSIER, ["leusden"])["leusden"]
    page = get_writer("html")(document, WriterOptions())
    assert isinstance(page, str)
    assert re.search(r"<li>\s*<p>Nog te kiezen: <mark>\[INVULLEN: partner\]</mark></p>", page), page


# --- batch: refusals, a damaged manifest, a held lock, a crash ---------------------------------------------------


def test_batch_usage_errors_exit_2(tmp_path: Path, cli: Invoke) -> None:
    missing = cli("batch", tmp_path / "bestaat-niet", "--out", tmp_path / "out")
    assert missing.exit_code == 2 and "bestaat niet" in missing.output
    (tmp_path / "leeg").mkdir()
    empty = cli("batch", tmp_path / "leeg", "--out", tmp_path / "out")
    assert empty.exit_code == 2 and "geen dossiers (mappen met voorstel.yaml) gevonden" in empty.output


def test_a_municipality_name_that_leaves_the_output_folder_fails_its_dossier(
    proposals: Path, tmp_path: Path, cli: Invoke
) -> None:
    _edit(proposals / VOORSTEL, "woudenberg, nijkerk]", "woudenberg, nijkerk, ../../buiten]")
    out = tmp_path / "out"
    result = cli("batch", proposals, "--out", out, "-f", "txt")
    assert result.exit_code == 1
    assert f"mislukt: dossier {DOSSIER}" in result.output
    assert _reported(result.output, VOORSTEL, _line_of(proposals / VOORSTEL, "gemeenten: ["), "gemeenten[8]")
    assert not (tmp_path / "buiten").exists() and not (out.parent.parent / "buiten").exists()
    assert not list(out.rglob("raadsvoorstel-*"))


def test_unreadable_yaml_fails_its_dossier_with_the_line(proposals: Path, tmp_path: Path, cli: Invoke) -> None:
    _edit(proposals / VOORSTEL, "deadline: nvt", "deadline: [nvt")
    result = cli("batch", proposals, "--out", tmp_path / "out", "-f", "txt")
    assert result.exit_code == 1
    assert f"mislukt: dossier {DOSSIER}" in result.output
    assert re.search(r"voorstel\.yaml:\d+:\d+: [^\n]*YAML", result.output), result.output


def _entries(out: Path) -> dict[str, dict[str, object]]:
    data = json.loads((out / "manifest.json").read_text(encoding="utf-8"))
    outputs: dict[str, dict[str, object]] = data["outputs"]
    return outputs


def test_a_manifest_of_another_version_or_with_a_damaged_entry_is_checked_again(
    proposals: Path, tmp_path: Path
) -> None:
    out = tmp_path / "out"
    assert api.run_batch(proposals, out, ["txt"], jobs=1).built == 14  # voorstel and besluit of 7 municipalities
    manifest = out / "manifest.json"
    good = manifest.read_bytes()
    data = json.loads(good)
    key = sorted(data["outputs"])[0]
    del data["outputs"][key]["sha256"]
    manifest.write_text(json.dumps(data), encoding="utf-8")
    damaged = api.run_batch(proposals, out, ["txt"], jobs=1)
    assert (damaged.built, damaged.skipped) == (1, 13)  # only the damaged entry's output is made again
    assert manifest.read_bytes() == good
    data["format"] = "raadsvoorstel-manifest/0"
    manifest.write_text(json.dumps(data), encoding="utf-8")
    other = api.run_batch(proposals, out, ["txt"], jobs=1)
    assert (other.built, other.skipped) == (14, 0)
    assert manifest.read_bytes() == good


def test_a_lock_without_holder_details_still_refuses_a_second_batch(proposals: Path, tmp_path: Path) -> None:
    """Another batch that has just taken the lock has not written its process id yet."""
    out = tmp_path / "out"
    out.mkdir()
    fd = os.open(out / LOCK_NAME, os.O_RDWR | os.O_CREAT, 0o644)
    try:
        fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
        with pytest.raises(OutputError, match=r"in gebruik door een andere batch \(proces onbekend\)"):
            api.run_batch(proposals, out, ["txt"], jobs=1)
    finally:
        os.close(fd)
    assert not list(out.rglob("raadsvoorstel-*"))


# --- diff ------------------------------------------------------------------------------------------------------


def test_diff_of_one_unchanged_document_says_so_and_exits_0(cli: Invoke) -> None:
    result = cli("diff", ROOT / "proposals" / DOSSIER, ROOT / "proposals" / DOSSIER, "-g", "leusden")
    assert result.exit_code == 0, result.output
    assert result.output.rstrip().endswith("geen verschillen")


def test_diff_of_revisions_without_git_is_a_usage_error(
    tmp_path: Path, cli: Invoke, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("PATH", str(tmp_path))  # no git on the path
    result = cli("diff", f"HEAD~1:proposals/{DOSSIER}", f"HEAD:proposals/{DOSSIER}")
    assert result.exit_code == 2
    assert "git is niet geïnstalleerd; vergelijk mappen in plaats van revisies" in result.output

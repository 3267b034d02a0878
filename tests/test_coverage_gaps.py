"""Behaviour no test checked before, found through branch coverage (issue 13): each test states a promise.

- a batch at a terminal shows a live progress bar, messages above it and a summary table;
- a mistyped key deep inside the data gets a "did you mean" with file:line, and every kind of validation
  message reads as Dutch advice;
- values of kind ``getal`` and ``datum`` are written the Dutch way, and bad ones are refused at their line;
- Markdown a clerk may paste (quotes, code, a rule) keeps its text or is refused with its line;
- files in a dossier that are missing, of the wrong shape or wrongly named are reported, never ignored;
- ``raadsvoorstel schema --out`` writes exactly the committed schemas.
"""

from __future__ import annotations

import fcntl
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

from generator.document import markdown
from generator.document.nodes import LineBreak, Paragraph, Text
from generator.output import TEMP_PREFIX
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
    assert "te bouwen: 14 documenten uit 2 dossier(s), 0 ongewijzigd, 2 processen" in plain
    assert "mislukt: dossier tweede-dossier (7 documenten niet gebouwd)" in plain
    assert "onbekend veld 'dedline'" in plain
    assert re.search(r"mislukt: \S*raadsvoorstel-impuls-sociale-infrastructuur-leusden\.html: [^\n]*weg\.png", plain)
    assert re.search(r"bouwen\s[^\n]*\b14/14\b", plain), "the bar ends full: every document is accounted for"
    assert "Samenvatting" in plain
    rows = {m.group(1): m.group(2) for m in re.finditer(r"│\s*([a-z][a-z ]+?)\s*│\s*(\d+)\s*│", plain)}
    assert (rows.get("gebouwd"), rows.get("mislukt")) == ("6", "8"), rows  # 7 of the broken dossier + leusden
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
    assert _reported(output, LEUSDEN, _line_of(overlay, "startdatum: 12"), "is geen datum; schrijf JJJJ-MM-DD")
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

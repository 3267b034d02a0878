"""schema, new, help and exit codes, through CliRunner and as a real subprocess."""

from __future__ import annotations

import json
import re
import subprocess
import sys
from pathlib import Path

from generator.model.schema import SCHEMAS, schema_text
from tests.conftest import DOSSIER, PROPOSALS, ROOT, Invoke


def test_committed_schemas_are_current() -> None:
    for kind in SCHEMAS:
        committed = (ROOT / "schema" / f"{kind}.schema.json").read_text(encoding="utf-8")
        assert committed == schema_text(kind), f"run: raadsvoorstel schema --out schema ({kind} is stale)"


def test_example_files_point_editors_at_the_schemas() -> None:
    for path in [
        PROPOSALS / "gemeenten.yaml",
        *PROPOSALS.glob("*/voorstel.yaml"),
        *PROPOSALS.glob("*/gemeenten/*.yaml"),
    ]:
        first = path.read_text(encoding="utf-8").splitlines()[0]
        match = re.fullmatch(r"# yaml-language-server: \$schema=(\S+)", first)
        assert match, path
        assert (path.parent / match.group(1)).resolve().is_file(), path


def test_schema_describes_sections_and_forbids_unknown_keys(cli: Invoke) -> None:
    result = cli("schema")
    assert result.exit_code == 0
    schema = json.loads(result.output)
    assert schema["additionalProperties"] is False
    assert "aanleiding" in schema["required"]
    assert schema["properties"]["aanleiding"]["description"].startswith("1. Aanleiding")
    overlay = json.loads(cli("schema", "--soort", "overlay").output)
    assert "required" not in overlay


def test_new_scaffold_has_every_section_and_validates_with_warnings_only(proposals: Path, cli: Invoke) -> None:
    target = proposals / "jeugdhulp-2026"
    result = cli("new", target)
    assert result.exit_code == 0, result.output
    text = (target / "voorstel.yaml").read_text(encoding="utf-8")
    from generator.model.sections import SECTIONS

    for spec in SECTIONS:
        assert f"# {spec.number}. {spec.title} — " in text
        assert re.search(rf"^{spec.key}:", text, flags=re.M), spec.key
    validated = cli("validate", target)
    assert validated.exit_code == 0, validated.output
    assert "INVULLEN" in validated.output
    assert cli("validate", target, "--strict").exit_code == 1


def test_new_never_overwrites(proposals: Path, cli: Invoke) -> None:
    before = (proposals / DOSSIER / "voorstel.yaml").read_bytes()
    result = cli("new", proposals / DOSSIER)
    assert result.exit_code == 2
    assert "bestaat al" in result.output
    assert (proposals / DOSSIER / "voorstel.yaml").read_bytes() == before


def test_new_refuses_a_bad_name(proposals: Path, cli: Invoke) -> None:
    result = cli("new", proposals / "Mijn Voorstel")
    assert result.exit_code == 2
    assert not (proposals / "Mijn Voorstel").exists()


def test_help_is_dutch_and_every_command_has_an_example(cli: Invoke) -> None:
    from generator.cli import main

    for name in main.commands:
        result = cli(name, "--help")
        assert result.exit_code == 0
        assert "Voorbeeld:" in result.output, name


def test_readme_documents_every_command() -> None:
    from generator.cli import main

    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    for name in main.commands:
        assert f"raadsvoorstel {name}" in readme, name


def test_subprocess_exit_codes_and_no_traceback(tmp_path: Path) -> None:
    def run(*args: str) -> subprocess.CompletedProcess[str]:
        return subprocess.run(
            [sys.executable, "-m", "generator", *args], capture_output=True, text=True, cwd=ROOT, check=False
        )

    ok = run("validate", str(PROPOSALS / DOSSIER))
    assert ok.returncode == 0, ok.stderr
    broken = tmp_path / DOSSIER
    import shutil

    shutil.copytree(PROPOSALS, tmp_path, dirs_exist_ok=True)
    (broken / "voorstel.yaml").write_text("onderwerp: [\n", encoding="utf-8")
    bad = run("validate", str(broken))
    assert bad.returncode == 1
    assert "voorstel.yaml:" in bad.stderr and "Traceback" not in bad.stderr + bad.stdout
    usage = run("build", "--format", "rtf", str(PROPOSALS / DOSSIER))
    assert usage.returncode == 2


def test_internal_error_exit_code_3_and_traceback_on_request(monkeypatch, cli: Invoke) -> None:  # type: ignore[no-untyped-def]
    from generator import api

    def boom(*_: object) -> None:
        raise RuntimeError("kapot")

    monkeypatch.setattr(api, "validate", boom)
    result = cli("validate", PROPOSALS / DOSSIER)
    assert result.exit_code == 3
    assert "interne fout" in result.output and "Traceback" not in result.output
    traced = cli("--traceback", "validate", PROPOSALS / DOSSIER)
    assert traced.exit_code == 3
    assert "Traceback" in traced.output


#: Says so when the interpreter is torn down (module globals cleared), which the quick exit skips.
TEARDOWN = """
class Teardown:
    def __del__(self):
        print("afgebroken")
keep = Teardown()
"""

#: The program with an exit handler of its own and output still in Python's buffer when the command ends.
QUICK_EXIT = TEARDOWN + """
import atexit, sys
from generator import cli
atexit.register(lambda: print("opgeruimd"))
sys.stdout.write("nog in de buffer; ")
sys.argv = ["raadsvoorstel", *sys.argv[1:]]
cli.run()
print("hier komt het niet")
"""


def test_the_program_runs_exit_handlers_and_flushes_before_its_quick_exit(tmp_path: Path) -> None:
    def program(*args: str) -> subprocess.CompletedProcess[str]:
        return subprocess.run(
            [sys.executable, "-c", QUICK_EXIT, *args], capture_output=True, text=True, cwd=ROOT, check=False
        )

    ok = program("validate", str(PROPOSALS / DOSSIER))
    assert ok.returncode == 0, ok.stderr
    assert ok.stdout.startswith("nog in de buffer; ") and ok.stdout.endswith("opgeruimd\n")
    assert "hier komt het niet" not in ok.stdout
    assert "afgebroken" not in ok.stdout  # the interpreter was not torn down ...
    ordinary = subprocess.run([sys.executable, "-c", TEARDOWN + "raise SystemExit(0)"], capture_output=True, text=True)
    assert ordinary.stdout == "afgebroken\n"  # ... as it is on an ordinary exit
    missing = program("validate", str(tmp_path / "bestaat-niet"))
    assert missing.returncode in (1, 2) and missing.stdout.endswith("opgeruimd\n")
    assert program("build", "--format", "rtf", str(PROPOSALS / DOSSIER)).returncode == 2


def test_the_program_exits_the_ordinary_way_while_a_thread_is_still_running(monkeypatch) -> None:  # type: ignore[no-untyped-def]
    """Python waits for a non-daemon thread before it exits; the quick exit would cut it off, so it steps aside."""
    import os
    import threading

    import pytest

    from generator import cli

    def exit_now(code: int) -> None:
        raise AssertionError(f"os._exit({code}) while a thread was running")

    def command(prog_name: str) -> None:
        raise SystemExit(3)

    monkeypatch.setattr(os, "_exit", exit_now)
    monkeypatch.setattr(cli, "main", command)
    release = threading.Event()
    worker = threading.Thread(target=release.wait)
    worker.start()
    try:
        with pytest.raises(SystemExit) as stopped:
            cli.run()
        assert stopped.value.code == 3
    finally:
        release.set()
        worker.join()

"""The PDF speed layer says when it steps aside: every patched function is checked at run time, each lever
belongs to a tested set of library versions, and a lever that stays off says so once per process (``--verbose``,
``make bench``)."""

from __future__ import annotations

import dataclasses
import logging
import os
import subprocess
import sys
from importlib import metadata
from pathlib import Path

import pytest

from generator.writers.pdf import expat as pdf_expat
from generator.writers.pdf import speed as pdf_speed
from tests.conftest import DOSSIER, PROPOSALS, ROOT, untraced


def test_every_patched_function_belongs_to_exactly_one_lever() -> None:
    named = [target for targets, _ in pdf_speed.LEVERS.values() for target in targets]
    assert sorted(named) == sorted(pdf_speed.TARGETS)  # each once
    assert len(named) == 18
    assert {lib for _, libraries in pdf_speed.LEVERS.values() for lib in libraries} == set(pdf_speed.TESTED_VERSIONS)


def test_the_installed_libraries_are_the_tested_set() -> None:
    """The fingerprints were taken from these releases: another one is re-measured and the set updated."""
    installed = {library: metadata.version(library) for library in pdf_speed.TESTED_VERSIONS}
    assert installed == pdf_speed.TESTED_VERSIONS
    assert pdf_speed.TESTED_VERSIONS["weasyprint"] == pdf_speed.WEASYPRINT_PIN


def test_the_library_loading_function_is_checked_before_it_is_imported() -> None:
    import weasyprint.text.ffi as ffi

    digest = pdf_speed._unimported_digest("weasyprint.text.ffi", "_dlopen")
    assert digest == pdf_speed.fingerprint(ffi._dlopen)[1] == pdf_speed.TARGETS["dlopen"].source_sha256
    assert pdf_speed._why_changed("dlopen", None) is None
    changed = dataclasses.replace(pdf_speed.TARGETS["dlopen"], source_sha256="0" * 64)
    with pytest.MonkeyPatch.context() as patch:
        patch.setitem(pdf_speed.TARGETS, "dlopen", changed)
        assert pdf_speed._why_changed("dlopen", None) == "weasyprint.text.ffi._dlopen is niet de gemeten functie " \
            "(andere broncode)"  # fmt: skip


@pytest.fixture
def fresh(monkeypatch: pytest.MonkeyPatch) -> dict[str, str]:
    """An empty record of levers that stepped aside, as in a new process."""
    record: dict[str, str] = {}
    monkeypatch.setattr(pdf_speed, "_stepped_aside", record)
    monkeypatch.setattr(pdf_speed, "_expat_verdict", [])
    monkeypatch.delenv(pdf_speed.PURE_VARIABLE, raising=False)
    return record


def test_with_every_target_as_measured_no_lever_steps_aside(fresh: dict[str, str]) -> None:
    assert pdf_speed.stepped_aside() == ()
    assert pdf_speed.describe().startswith("snelheidslaag: alle 9 hefbomen aan (18 functies gecontroleerd; ")


def test_a_changed_parser_switches_expat_off_and_says_so_once(
    fresh: dict[str, str], monkeypatch: pytest.MonkeyPatch, caplog: pytest.LogCaptureFixture
) -> None:
    target = pdf_speed.TARGETS["tinyhtml5.parse"]
    monkeypatch.setitem(pdf_speed.TARGETS, "tinyhtml5.parse", dataclasses.replace(target, source_sha256="0" * 64))
    parsed: list[str] = []
    monkeypatch.setattr(pdf_expat, "parse_page", lambda page: parsed.append(page))
    page = "<!DOCTYPE html><html><head><title>t</title></head><body><p>x</p></body></html>"
    with caplog.at_level(logging.INFO, logger=pdf_speed.__name__):
        for _ in range(3):
            html = pdf_expat.html_document(page, ROOT.as_uri() + "/", None)
            assert html.etree_element is not None  # WeasyPrint's own parser made the tree
    assert parsed == []  # expat never asked
    expected = (
        "snelheidslaag: 'expat-parser' staat uit: tinyhtml5.parser.parse is niet de gemeten functie "
        "(andere broncode); de PDF's zijn dezelfde, alleen trager"
    )
    assert [r.getMessage() for r in caplog.records] == [expected]  # once, not per document
    assert pdf_speed.stepped_aside() == (expected,)


def test_another_cffi_switches_the_levers_that_rely_on_it_off(
    fresh: dict[str, str], monkeypatch: pytest.MonkeyPatch
) -> None:
    real = pdf_speed._installed_version
    monkeypatch.setattr(pdf_speed, "_installed_version", lambda lib: "9.9" if lib == "cffi" else real(lib))
    notes = pdf_speed.stepped_aside()
    assert [note.split("'")[1] for note in notes] == ["bibliotheken laden", "glyph-arrays", "C-declaraties vooraf"]
    assert all("cffi 9.9 is niet de geteste 2.1.1" in note for note in notes)


def test_another_pycparser_switches_the_stored_c_declarations_off(
    fresh: dict[str, str], monkeypatch: pytest.MonkeyPatch
) -> None:
    """The stored declarations are pycparser's tree: with another pycparser they are parsed as always."""
    real = pdf_speed._installed_version
    monkeypatch.setattr(pdf_speed, "_installed_version", lambda lib: "9.9" if lib == "pycparser" else real(lib))
    notes = pdf_speed.stepped_aside()
    assert [note.split("'")[1] for note in notes] == ["C-declaraties vooraf"]
    assert "pycparser 9.9 is niet de geteste 3.12" in notes[0]


def test_another_weasyprint_switches_every_lever_off(fresh: dict[str, str], monkeypatch: pytest.MonkeyPatch) -> None:
    real = pdf_speed._installed_version
    monkeypatch.setattr(pdf_speed, "_installed_version", lambda lib: "71.0" if lib == "weasyprint" else real(lib))
    assert pdf_speed.pure()
    assert pdf_speed.pure()
    assert list(fresh) == list(pdf_speed.LEVERS)
    assert all("weasyprint 71.0 is niet de geteste 70.0" in note for note in fresh.values())


#: ``raadsvoorstel build --verbose`` in a fresh process whose ``first_line_metrics`` (one of the six targets
#: that were not checked at run time before) is not the measured one.
CHANGED_BUILD = r"""
import dataclasses, sys
from generator.writers.pdf import speed as pdf_speed
target = pdf_speed.TARGETS["first_line_metrics"]
pdf_speed.TARGETS["first_line_metrics"] = dataclasses.replace(target, source_sha256="0" * 64)
from generator.cli import main
try:
    main(sys.argv[1:])
except SystemExit as exit:
    import weasyprint.layout.inline as inline
    print("exit", exit.code, "remembering", hasattr(inline.split_first_line, "raadsvoorstel_original"))
"""


def _build(script: str, out: Path, *extra: str) -> subprocess.CompletedProcess[str]:
    env = untraced({k: v for k, v in os.environ.items() if k != pdf_speed.PURE_VARIABLE})
    args = ["build", str(PROPOSALS / DOSSIER), "-g", "leusden", "-g", "soest", "-f", "pdf", "--out", str(out), *extra]
    return subprocess.run(
        [sys.executable, "-c", script, *args], cwd=ROOT, env=env, capture_output=True, text=True, timeout=300
    )


def test_a_changed_target_switches_its_lever_off_and_verbose_says_so_once(tmp_path: Path) -> None:
    result = _build(CHANGED_BUILD, tmp_path / "uit", "--verbose")
    assert result.stdout.splitlines()[-1] == "exit 0 remembering False", result.stdout + result.stderr
    assert sorted(p.name for p in (tmp_path / "uit").rglob("raadsvoorstel-*.pdf")) == [
        f"raadsvoorstel-{DOSSIER}-leusden.pdf", f"raadsvoorstel-{DOSSIER}-soest.pdf"
    ]  # fmt: skip
    message = (
        "snelheidslaag: 'regelgeheugen' staat uit: weasyprint.text.line_break.first_line_metrics is niet de "
        "gemeten functie (andere broncode); de PDF's zijn dezelfde, alleen trager"
    )
    assert result.stderr.count("snelheidslaag") == 1 and message in result.stderr, result.stderr


def test_without_verbose_the_speed_layer_keeps_quiet(tmp_path: Path) -> None:
    result = _build(CHANGED_BUILD, tmp_path / "uit")
    assert result.stdout.splitlines()[-1] == "exit 0 remembering False", result.stdout + result.stderr
    assert "snelheidslaag" not in result.stderr + result.stdout


def test_the_bench_states_the_speed_layer(fresh: dict[str, str], monkeypatch: pytest.MonkeyPatch) -> None:
    from bench.__main__ import speed_layer

    assert speed_layer().startswith("snelheidslaag: alle 9 hefbomen aan")
    monkeypatch.setenv(pdf_speed.PURE_VARIABLE, "1")
    assert speed_layer() == (
        "snelheidslaag: staat uit op verzoek (RAADSVOORSTEL_PURE=1); de PDF's zijn dezelfde, alleen trager"
    )


def test_the_tested_set_is_what_the_package_requires() -> None:
    """A fresh install gets the tested set: pyproject pins every library of pdf_speed.TESTED_VERSIONS but WeasyPrint
    exactly (a new release of any of them would make CI's fresh install differ from the stored files), and keeps
    WeasyPrint to the pinned major release."""
    import tomllib

    requires = tomllib.loads((ROOT / "pyproject.toml").read_text(encoding="utf-8"))["project"]["dependencies"]
    for library in set(pdf_speed.TESTED_VERSIONS) - {"weasyprint"}:
        assert f"{library}=={pdf_speed.TESTED_VERSIONS[library]}" in requires
    assert "weasyprint>=70,<71" in requires and pdf_speed.WEASYPRINT_PIN.startswith("70.")

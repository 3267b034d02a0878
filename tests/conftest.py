"""Shared fixtures: a private copy of the example proposals, and a CLI runner that reports cleanly."""

from __future__ import annotations

import os
import shutil
from collections.abc import Callable, Generator
from pathlib import Path
from typing import Any

import pytest
from click.testing import CliRunner, Result

from generator.cli import main
from generator.writers.templatefiles import PACKAGE_TEMPLATES, Templates

ROOT = Path(__file__).resolve().parent.parent
PROPOSALS = ROOT / "proposals"
DOSSIER = "impuls-sociale-infrastructuur"
SEED = ROOT / "tests" / "data" / "referentie-leusden.txt"
#: What the CLI uses for this repository: its own templates/ (house styles) over the package's defaults.
TEMPLATES = Templates.for_project(ROOT)


def copy_templates(target: Path) -> Path:
    """One folder holding every template this repository uses (package defaults + project files)."""
    shutil.copytree(PACKAGE_TEMPLATES, target, ignore=shutil.ignore_patterns("__pycache__"))
    shutil.copytree(ROOT / "templates", target, dirs_exist_ok=True)
    return target


def untraced(env: dict[str, str] | None = None) -> dict[str, str]:
    """``env`` (default: this process's environment) without coverage's switch for subprocesses.

    For a subprocess that only makes files other tests check (the session's example build, the plain-library
    renders to compare with): its code is measured by the tests that exercise it, and coverage's tracer makes a
    WeasyPrint render about 70% slower even though WeasyPrint itself is not measured.
    """
    found = dict(os.environ if env is None else env)
    for name in ("COVERAGE_PROCESS_CONFIG", "COVERAGE_PROCESS_START"):
        found.pop(name, None)
    return found


GEMEENTEN = ("amersfoort", "baarn", "bunschoten", "leusden", "nijkerk", "soest", "woudenberg")


@pytest.fixture
def proposals(tmp_path: Path) -> Path:
    """A writable copy of the project: proposals/ (tests edit it to provoke problems) and templates/."""
    target = tmp_path / "proposals"
    shutil.copytree(PROPOSALS, target)
    shutil.copytree(ROOT / "templates", tmp_path / "templates")
    return target


@pytest.fixture
def dossier(proposals: Path) -> Path:
    return proposals / DOSSIER


Invoke = Callable[..., Result]


@pytest.fixture
def cli() -> Invoke:
    def invoke(*args: str | Path) -> Result:
        return CliRunner().invoke(main, [str(a) for a in args], catch_exceptions=False)

    return invoke


# --- Debian tools: skipped with the reason on a developer's machine, required in CI ------------------------------

#: Programs the tests run, and the Debian package that brings each (installed by ``make debs`` as root).
DEBIAN_TOOLS = {
    "pdftotext": "poppler-utils",
    "pdfinfo": "poppler-utils",
    "pdffonts": "poppler-utils",
    "pdftoppm": "poppler-utils",
    "qpdf": "qpdf",
    "soffice": "libreoffice-writer-nogui",
}
#: Set by .ci/run: a skipped test is then a failure, so CI can never go green by skipping what it must check.
REQUIRE_ALL = os.environ.get("RAADSVOORSTEL_ALLE_TESTS") == "1"


def _skip_missing_tool(outcome: Any) -> None:
    """A test (or fixture) that runs a missing Debian tool is skipped, naming the package to install: without
    root, ``make test`` still runs everything else."""
    error = outcome.excinfo[1] if outcome.excinfo else None
    if isinstance(error, FileNotFoundError) and str(error.filename) in DEBIAN_TOOLS and not REQUIRE_ALL:
        package = DEBIAN_TOOLS[str(error.filename)]
        outcome.force_exception(pytest.skip.Exception(f"{error.filename} ontbreekt: apt-get install {package}"))


@pytest.hookimpl(hookwrapper=True)
def pytest_runtest_setup(item: pytest.Item) -> Generator[None, None, None]:
    _skip_missing_tool((yield))


@pytest.hookimpl(hookwrapper=True)
def pytest_runtest_call(item: pytest.Item) -> Generator[None, None, None]:
    _skip_missing_tool((yield))


def pytest_sessionfinish(session: pytest.Session, exitstatus: int) -> None:
    """In CI every test must run: skips (a missing tool, a missing library) fail the run."""
    reporter = session.config.pluginmanager.get_plugin("terminalreporter")
    skipped = reporter.stats.get("skipped", []) if reporter is not None else []
    if REQUIRE_ALL and skipped and exitstatus == 0 and reporter is not None:
        reporter.write_line(f"RAADSVOORSTEL_ALLE_TESTS=1 maar {len(skipped)} test(s) overgeslagen", red=True)
        session.exitstatus = pytest.ExitCode.TESTS_FAILED
# --- documents built once per session, for the checkers ----------------------------------------------------

CONSTRUCTS = ROOT / "tests" / "data" / "alle-bouwstenen" / "proposals" / "elke-bouwsteen"
CONSTRUCTS_GEMEENTEN = ("eemdal", "heuvelrug-oost")


def tiny_png() -> bytes:
    """A valid 2×1 px PNG, built by hand so the tests need no imaging library."""
    import struct
    import zlib

    def chunk(kind: bytes, data: bytes) -> bytes:
        return struct.pack(">I", len(data)) + kind + data + struct.pack(">I", zlib.crc32(kind + data))

    header = struct.pack(">IIBBBBB", 2, 1, 8, 2, 0, 0, 0)
    pixels = zlib.compress(b"\x00\x00\x62\x6f\xff\xff\xff")
    return b"\x89PNG\r\n\x1a\n" + chunk(b"IHDR", header) + chunk(b"IDAT", pixels) + chunk(b"IEND", b"")


@pytest.fixture(scope="session")
def examples_built(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """Every example municipality's DOCX and PDF, built once by the CLI in its own process.

    Once per test run, not once per test process: with pytest-xdist the processes share one folder (the parent
    of their own temp folders) and the first to need it builds it while the others wait on a lock. Tests only
    read it; a test that needs to change a file copies it first.
    """
    import fcntl
    import subprocess
    import sys

    base = tmp_path_factory.getbasetemp()
    shared = base.parent if os.environ.get("PYTEST_XDIST_WORKER") else base
    out, done = shared / "examples-built", shared / "examples-built.klaar"
    with (shared / "examples-built.lock").open("w") as lock:
        fcntl.flock(lock, fcntl.LOCK_EX)
        if not done.is_file():
            shutil.rmtree(out, ignore_errors=True)
            result = subprocess.run(
                [sys.executable, "-m", "generator", "build", str(PROPOSALS / DOSSIER), "--out", str(out), "--koud"],
                capture_output=True,
                text=True,
                cwd=ROOT,
                env={key: value for key, value in untraced().items() if key != "RAADSVOORSTEL_PURE"},
                check=False,
                timeout=600,
            )
            assert result.returncode == 0, result.stderr
            done.touch()
    return out / DOSSIER


@pytest.fixture(scope="session")
def constructs_built(tmp_path_factory: pytest.TempPathFactory) -> dict[str, dict[str, Path]]:
    """The test dossier with every construct (tests/data/alle-bouwstenen), in every format, with a logo.

    Returns {gemeente: {format: path}}. The templates are a private copy with Eemdal's logo added, so the
    repository's templates/ stay untouched.
    """
    from generator.api import documents
    from generator.writers import WriterOptions, extension, get_writer

    root = tmp_path_factory.mktemp("constructs")
    templates = root / "templates"
    copy_templates(templates)
    (templates / "gemeenten" / "eemdal").mkdir(parents=True, exist_ok=True)
    (templates / "gemeenten" / "eemdal" / "logo.png").write_bytes(tiny_png())
    options = WriterOptions(templates=Templates((templates,)))
    built: dict[str, dict[str, Path]] = {}
    for slug, doc in documents(CONSTRUCTS).items():
        built[slug] = {}
        for fmt in ("txt", "html", "docx", "pdf"):
            data = get_writer(fmt)(doc, options)
            path = root / f"raadsvoorstel-{slug}.{extension(fmt)}"
            if isinstance(data, str):
                path.write_text(data, encoding="utf-8")
            else:
                path.write_bytes(data)
            built[slug][fmt] = path
    return built


@pytest.fixture(scope="session")
def redlines_built(tmp_path_factory: pytest.TempPathFactory) -> list[Path]:
    """Redline DOCX files of `raadsvoorstel diff`: the examples (Leusden against Soest) and the test
    dossier (Eemdal against Heuvelrug-Oost: placeholders, nested lists and links as tracked changes)."""
    out = tmp_path_factory.mktemp("redlines")
    runs = (
        (PROPOSALS / DOSSIER, "leusden", "soest"),
        (CONSTRUCTS, "eemdal", "heuvelrug-oost"),
    )
    paths = []
    for dossier, slug, other in runs:
        target = out / f"wijzigingen-{slug}.docx"
        result = CliRunner().invoke(
            main,
            ["diff", str(dossier), "-g", slug, "--tegen", other, "--format", "docx", "-o", str(target)],
            catch_exceptions=False,
        )
        assert result.exit_code == 1, result.output  # 1: there are differences
        assert target.is_file()
        paths.append(target)
    return paths

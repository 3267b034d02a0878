"""A normal install works: a wheel in a fresh venv, run from another folder, builds DOCX and PDF.

The wheel is built from this checkout and installed (not editable) into a new virtual environment outside it.
Its dependencies come from the test environment through a ``.pth`` line, so the test needs no network; the
package itself, with its templates, comes only from the wheel (the test checks where ``generator`` is loaded
from). Then a project folder of its own overrides one template file and the documents show it.
"""

from __future__ import annotations

import shutil
import subprocess
import sys
import sysconfig
import venv
from pathlib import Path

import pytest

from tests.conftest import DOSSIER, PROPOSALS, ROOT

MARKER = "EIGEN SJABLOON"


@pytest.fixture(scope="module")
def installed(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A fresh venv with the wheel of this checkout installed; returns its ``bin`` folder."""
    base = tmp_path_factory.mktemp("install")
    wheels = base / "wheels"
    subprocess.run(
        [sys.executable, "-m", "pip", "wheel", "-q", "--no-deps", "--no-build-isolation", "-w", str(wheels), str(ROOT)],
        check=True, capture_output=True, text=True, timeout=300,
    )  # fmt: skip
    (wheel,) = wheels.glob("raadsvoorstel-*.whl")
    target = base / "venv"
    venv.EnvBuilder(with_pip=False).create(target)
    python = target / "bin" / "python"
    subprocess.run(
        [sys.executable, "-m", "pip", "--python", str(python), "install", "-q", "--no-deps", "--no-index", str(wheel)],
        check=True, capture_output=True, text=True, timeout=300,
    )  # fmt: skip
    site = subprocess.run(
        [str(python), "-c", "import sysconfig; print(sysconfig.get_paths()['purelib'])"],
        check=True, capture_output=True, text=True,
    ).stdout.strip()  # fmt: skip
    # Dependencies only: a path line in a .pth does not run the .pth files found there, so the editable
    # install of this checkout in the test environment stays invisible to the new venv.
    (Path(site) / "zz-dependencies.pth").write_text(sysconfig.get_paths()["purelib"] + "\n", encoding="utf-8")
    return target / "bin"


@pytest.fixture
def project(tmp_path: Path) -> Path:
    """A project folder outside the checkout: proposals only, no templates/ of its own."""
    shutil.copytree(PROPOSALS, tmp_path / "project" / "proposals")
    return tmp_path / "project"


def _run(args: list[str], cwd: Path) -> subprocess.CompletedProcess[str]:
    return subprocess.run(args, cwd=cwd, capture_output=True, text=True, timeout=300)


def _pdf_text(path: Path) -> str:
    return subprocess.run(["pdftotext", str(path), "-"], check=True, capture_output=True, text=True).stdout


def test_the_package_comes_from_the_wheel_with_its_templates(installed: Path, tmp_path: Path) -> None:
    code = "import generator, generator.writers.templatefiles as t; print(generator.__file__, t.PACKAGE_TEMPLATES)"
    result = _run([str(installed / "python"), "-c", code], cwd=tmp_path)
    module, templates = result.stdout.split()
    assert Path(module).is_relative_to(installed.parent) and not Path(module).is_relative_to(ROOT)
    assert (Path(templates) / "docx" / "reference.docx").is_file()
    assert (Path(templates) / "html" / "raadsvoorstel.css").is_file()


def test_the_installed_package_carries_the_b1_word_list(installed: Path, project: Path) -> None:
    result = _run([str(installed / "raadsvoorstel"), "leesbaarheid", str(project / "proposals" / DOSSIER)], project)
    assert result.returncode == 0, result.stderr
    assert "ambtelijk woord" in result.stdout and "Flesch-Douma" in result.stdout


@pytest.mark.skipif(shutil.which("pdftotext") is None, reason="pdftotext (poppler-utils) is niet geïnstalleerd")
def test_an_installed_package_builds_docx_and_pdf_from_another_folder(installed: Path, project: Path) -> None:
    dossier = project / "proposals" / DOSSIER
    out = project / "uit"
    result = _run(
        [str(installed / "raadsvoorstel"), "build", str(dossier), "-g", "leusden", "-f", "docx", "-f", "pdf",
         "--out", str(out)],
        cwd=project.parent,
    )  # fmt: skip
    assert result.returncode == 0, result.stderr
    folder = out / DOSSIER / "leusden"
    docx_file = folder / f"raadsvoorstel-{DOSSIER}-leusden.docx"
    pdf_file = folder / f"raadsvoorstel-{DOSSIER}-leusden.pdf"
    import docx

    text = "\n".join(p.text for p in docx.Document(str(docx_file)).paragraphs)
    assert "Leusden" in text and "Aanleiding" in text
    assert "Aanleiding" in _pdf_text(pdf_file)


@pytest.mark.skipif(shutil.which("pdftotext") is None, reason="pdftotext (poppler-utils) is niet geïnstalleerd")
def test_a_project_template_overrides_the_package_file(installed: Path, project: Path) -> None:
    css = (ROOT / "generator" / "templates" / "html" / "raadsvoorstel.css").read_text(encoding="utf-8")
    own = project / "templates" / "html" / "raadsvoorstel.css"
    own.parent.mkdir(parents=True)
    own.write_text(css + f'\nh1::before {{ content: "{MARKER} "; }}\n', encoding="utf-8")

    listing = _run([str(installed / "raadsvoorstel"), "sjablonen", "proposals"], cwd=project)
    assert listing.returncode == 0, listing.stderr
    origin = dict(line.split("\t") for line in listing.stdout.splitlines() if "\t" in line)
    assert origin["html/raadsvoorstel.css"] == "templates"
    assert origin["html/page.html"] != "templates"  # every other file still comes from the package

    out = project / "uit"
    result = _run(
        [str(installed / "raadsvoorstel"), "build", f"proposals/{DOSSIER}", "-g", "baarn", "-f", "pdf", "-f", "html",
         "--out", str(out)],
        cwd=project,
    )  # fmt: skip
    assert result.returncode == 0, result.stderr
    folder = out / DOSSIER / "baarn"
    assert MARKER in (folder / f"raadsvoorstel-{DOSSIER}-baarn.html").read_text(encoding="utf-8")
    assert MARKER in _pdf_text(folder / f"raadsvoorstel-{DOSSIER}-baarn.pdf")


def test_an_installed_command_starts_a_project_in_an_empty_folder(installed: Path, tmp_path: Path) -> None:
    """The clerk's first day: ``new``, ``validate``, ``build`` in an empty folder, with schema links that resolve."""
    import re

    from generator.model.schema import schema_text

    work = tmp_path / "leeg"
    work.mkdir()
    command = str(installed / "raadsvoorstel")
    made = _run([command, "new", "jeugdhulp", "-g", "leusden"], cwd=work)
    assert made.returncode == 0, made.stderr
    checked = _run([command, "validate", "jeugdhulp"], cwd=work)
    assert checked.returncode == 0, checked.stderr
    assert "0 fout(en)" in checked.stderr
    built = _run([command, "build", "jeugdhulp", "-f", "docx", "-f", "txt"], cwd=work)
    assert built.returncode == 0, built.stderr
    folder = work / "output" / "jeugdhulp" / "leusden"
    assert (folder / "raadsvoorstel-jeugdhulp-leusden.docx").is_file()
    assert "Aanleiding" in (folder / "raadsvoorstel-jeugdhulp-leusden.txt").read_text(encoding="utf-8")

    data_files = sorted(work.glob("*.yaml")) + sorted((work / "jeugdhulp").rglob("*.yaml"))
    assert [p.name for p in data_files] == ["gemeenten.yaml", "leusden.yaml", "voorstel.yaml"]
    for path in data_files:
        match = re.fullmatch(r"# yaml-language-server: \$schema=(\S+)", path.read_text(encoding="utf-8").split("\n")[0])
        assert match, path
        target = (path.parent / match.group(1)).resolve()
        assert target.is_relative_to(work) and target.is_file(), path
        assert target.read_text(encoding="utf-8") == schema_text(target.name.split(".")[0])
def test_the_wheel_carries_the_editors_page(installed: Path, tmp_path: Path) -> None:
    """``raadsvoorstel edit`` serves its page, script and style from the installed package."""
    code = (
        "from generator.preview.editor import routes, form; "
        "print(len(routes.asset('bewerken.js')), len(routes.asset('bewerken.css')), "
        "form._environment().get_template('bewerken.html').filename)"
    )
    result = _run([str(installed / "python"), "-c", code], cwd=tmp_path)
    script, style, page = result.stdout.split()
    assert int(script) > 1000 and int(style) > 500, result.stderr
    assert Path(page).is_relative_to(installed.parent) and not Path(page).is_relative_to(ROOT)

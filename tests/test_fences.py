"""Fences around the places where the writers use a library's private parts.

The DOCX writer reaches into python-docx's XML objects (``Run._r``, ``Paragraph._p``, ``Table._tbl``), the PDF
writer hands WeasyPrint a ``finisher`` and changes pydyf objects' class. Each such library has an upper version
bound in pyproject.toml, and these tests fail loudly — naming what changed — when a new release moves or
removes what the writers rely on, before any document comes out wrong.
"""

from __future__ import annotations

import inspect
import tomllib
from importlib import metadata

import docx
import docx.opc.pkgwriter
import pydyf
import pytest
from packaging.requirements import Requirement
from weasyprint import HTML
from weasyprint.urls import FatalURLFetchingError

from tests.conftest import ROOT

#: Distributions whose private parts we use: each must have an upper bound.
FENCED = ("python-docx", "pydyf", "weasyprint")


def _requirements() -> dict[str, Requirement]:
    data = tomllib.loads((ROOT / "pyproject.toml").read_text(encoding="utf-8"))
    found = (Requirement(line) for line in data["project"]["dependencies"])
    return {req.name.lower(): req for req in found}


@pytest.mark.parametrize("name", FENCED)
def test_every_fenced_library_has_an_upper_bound(name: str) -> None:
    req = _requirements()[name]
    assert any(spec.operator in ("<", "<=", "==", "~=") for spec in req.specifier), f"{name} has no upper bound"


@pytest.mark.parametrize("name", FENCED)
def test_the_installed_version_is_inside_the_fence(name: str) -> None:
    version = metadata.version(name)
    assert _requirements()[name].specifier.contains(version, prereleases=True), (
        f"{name} {version} is outside {_requirements()[name].specifier}: check the private parts first"
    )


def test_python_docx_private_parts_the_writer_uses() -> None:
    document = docx.Document()
    paragraph = document.add_paragraph()
    run = paragraph.add_run()
    table = document.add_table(rows=1, cols=1)
    assert callable(run._r.add_t), "CT_R.add_t (run text in one w:t)"
    assert callable(run._r.get_or_add_rPr), "CT_R.get_or_add_rPr"
    assert hasattr(type(paragraph._p), "style"), "CT_P.style (style id set directly)"
    assert table._tbl.tblPr is not None, "CT_Tbl.tblPr"
    assert callable(document.element.body.clear_content), "CT_Body.clear_content"
    assert hasattr(document.styles.element, "get_by_id"), "CT_Styles"
    steps = inspect.getsource(docx.opc.pkgwriter.PackageWriter.write)
    for step in ("_write_content_types_stream", "_write_pkg_rels", "_write_parts"):  # to_bytes takes these in turn
        assert f"PackageWriter.{step}(phys_writer, " in steps, f"PackageWriter.write no longer calls {step}"


def test_pydyf_parts_the_pdf_writer_uses() -> None:
    assert isinstance(inspect.getattr_static(pydyf.Object, "data"), property), "pydyf.Object.data is a property"
    pdf = pydyf.PDF()
    assert isinstance(pdf.objects, list) and hasattr(pdf, "catalog")
    assert all(hasattr(obj, "free") for obj in pdf.objects), "pydyf objects carry 'free'"
    for cls in (pydyf.Dictionary, pydyf.Stream, pydyf.Array, pydyf.String):
        assert issubclass(cls, pydyf.Object), cls


def test_weasyprint_hooks_the_pdf_writer_uses() -> None:
    parameters = inspect.signature(HTML.write_pdf).parameters
    options = set(parameters)
    if "options" in parameters:  # WeasyPrint passes most options through **options
        from weasyprint import DEFAULT_OPTIONS

        options |= set(DEFAULT_OPTIONS)
    for name in ("finisher", "pdf_identifier", "pdf_tags", "pdf_variant", "font_config", "stylesheets"):
        assert name in options, f"write_pdf no longer takes {name!r}"
    assert issubclass(FatalURLFetchingError, BaseException) and not issubclass(FatalURLFetchingError, Exception), (
        "a refused resource must stop the render: FatalURLFetchingError must not be an Exception"
    )

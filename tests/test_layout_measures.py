"""One source per layout measure: huisstijl.toml [layout] gives the PDF's CSS, the DOCX and the ODT the same
label column, logo height, closing space and signature space; read back from the three outputs.

Also what the measures and the page-1 layout promise beyond the numbers: the signature never splits (DOCX
cantSplit, ODT keep-together), a data table's columns follow their content, a project's own
``templates/huisstijl.toml`` changes the DOCX and ODT measures, and a broken one is a clear error.
"""

from __future__ import annotations

import io
import re
import shutil
import tomllib
import zipfile
from pathlib import Path
from typing import Any

import docx
import pytest
from docx.shared import Mm
from lxml import etree

from generator import api
from generator.document.nodes import Document
from generator.errors import RenderError
from generator.writers import WriterOptions, get_writer
from generator.writers.templatefiles import Templates
from tests.conftest import CONSTRUCTS, ROOT

TOML = ROOT / "generator" / "templates" / "huisstijl.toml"
W = "{http://schemas.openxmlformats.org/wordprocessingml/2006/main}"
NS = {
    "style": "urn:oasis:names:tc:opendocument:xmlns:style:1.0",
    "fo": "urn:oasis:names:tc:opendocument:xmlns:xsl-fo-compatible:1.0",
    "text": "urn:oasis:names:tc:opendocument:xmlns:text:1.0",
    "table": "urn:oasis:names:tc:opendocument:xmlns:table:1.0",
    "draw": "urn:oasis:names:tc:opendocument:xmlns:drawing:1.0",
    "svg": "urn:oasis:names:tc:opendocument:xmlns:svg-compatible:1.0",
}


@pytest.fixture(scope="module")
def eemdal() -> tuple[Document, WriterOptions]:
    """The test dossier's Eemdal: a logo, a data table, footnotes, two signatories, a draft."""
    return api.documents(CONSTRUCTS, ["eemdal"])["eemdal"], WriterOptions(api.templates_for(CONSTRUCTS))


def layout(path: Path = TOML) -> dict[str, float]:
    return {key: float(value) for key, value in tomllib.loads(path.read_text(encoding="utf-8"))["layout"].items()}


def css_measures(html: str) -> dict[str, float]:
    def mm(selector: str, prop: str) -> float:
        found = re.findall(rf"{re.escape(selector)} \{{ {prop}: ([\d.]+)mm; \}}", html)
        assert len(found) == 1, (selector, prop)
        return float(found[0])

    return {
        "label_column_mm": mm(".kenmerk th", "width"),
        "logo_height_mm": mm(".logo", "height"),
        "closing_space_mm": mm(".ondertekening", "margin-top"),
        "signature_space_mm": mm(".college", "margin-bottom"),
    }


def docx_measures(data: bytes, doc: Document) -> dict[str, float]:
    document = docx.Document(io.BytesIO(data))
    title_table = document.tables[0]
    label = int(title_table._tbl.tblGrid.gridCol_lst[0].get(f"{W}w"))
    paragraphs = {p.text: p for p in document.paragraphs}
    closing = paragraphs[doc.signature.closing].paragraph_format.space_before
    college = paragraphs[doc.signature.college].paragraph_format.space_after
    logo = int(document.paragraphs[0]._element.xpath(".//wp:extent/@cy")[0])
    return {
        "label_column_mm": round(label * 25.4 / 1440, 1),  # twips → mm
        "logo_height_mm": round(logo / Mm(1), 1),
        "closing_space_mm": round(closing / Mm(1), 1),
        "signature_space_mm": round(college / Mm(1), 1),
    }


def odt_parts(data: bytes) -> tuple[Any, Any]:
    with zipfile.ZipFile(io.BytesIO(data)) as package:
        return etree.fromstring(package.read("content.xml")), etree.fromstring(package.read("styles.xml"))


def _style(root: Any, name: str) -> Any:
    (style,) = root.xpath(f".//style:style[@style:name='{name}']", namespaces=NS)
    return style


def _mm(value: str) -> float:
    assert value.endswith("mm"), value
    return float(value[:-2])


def odt_measures(data: bytes) -> dict[str, float]:
    content, _ = odt_parts(data)
    fo = f"{{{NS['fo']}}}"
    column = _style(content, "LabelColumn").find("style:table-column-properties", NS)
    closing = _style(content, "Closing").find("style:paragraph-properties", NS)
    college = _style(content, "College").find("style:paragraph-properties", NS)
    (frame,) = content.xpath(".//draw:frame[@draw:name='Logo']", namespaces=NS)
    return {
        "label_column_mm": _mm(column.get(f"{{{NS['style']}}}column-width")),
        "logo_height_mm": _mm(frame.get(f"{{{NS['svg']}}}height")),
        "closing_space_mm": _mm(closing.get(f"{fo}margin-top")),
        "signature_space_mm": _mm(college.get(f"{fo}margin-bottom")),
    }


def test_css_docx_and_odt_take_the_same_measures_from_huisstijl_toml(eemdal: tuple[Document, WriterOptions]) -> None:
    doc, options = eemdal
    expected = layout()
    html = get_writer("html")(doc, options)
    assert isinstance(html, str)
    docx_data, odt_data = get_writer("docx")(doc, options), get_writer("odt")(doc, options)
    assert isinstance(docx_data, bytes) and isinstance(odt_data, bytes)
    assert css_measures(html) == expected
    assert docx_measures(docx_data, doc) == expected
    assert odt_measures(odt_data) == expected


def test_a_projects_huisstijl_toml_changes_the_docx_and_the_odt(
    eemdal: tuple[Document, WriterOptions], tmp_path: Path
) -> None:
    doc, options = eemdal
    project = tmp_path / "templates"
    shutil.copytree(options.templates.roots[0], project)
    text = TOML.read_text(encoding="utf-8")
    changed = text.replace("label_column_mm = 50", "label_column_mm = 60").replace(
        "signature_space_mm = 20", "signature_space_mm = 25"
    )
    assert changed != text
    (project / "huisstijl.toml").write_text(changed, encoding="utf-8")
    own = WriterOptions(Templates((project, *options.templates.roots[1:])))
    expected = {**layout(), "label_column_mm": 60.0, "signature_space_mm": 25.0}
    docx_data, odt_data = get_writer("docx")(doc, own), get_writer("odt")(doc, own)
    assert isinstance(docx_data, bytes) and isinstance(odt_data, bytes)
    assert docx_measures(docx_data, doc) == expected
    assert odt_measures(odt_data) == expected


@pytest.mark.parametrize(
    ("edit", "message"),
    [
        (lambda t: t.replace("label_column_mm = 50", "label_column_mm = -1"), "positief"),
        (lambda t: re.sub(r"^logo_height_mm .*\n", "", t, flags=re.MULTILINE), "logo_height_mm"),
        (lambda t: t + "[[kapot\n", "geen geldige TOML"),
    ],
)
def test_a_broken_huisstijl_toml_is_a_render_error_naming_the_file(
    eemdal: tuple[Document, WriterOptions], tmp_path: Path, edit: Any, message: str
) -> None:
    doc, options = eemdal
    project = tmp_path / "templates"
    project.mkdir()
    original = TOML.read_text(encoding="utf-8")
    assert edit(original) != original
    (project / "huisstijl.toml").write_text(edit(original), encoding="utf-8")
    own = WriterOptions(Templates((project, *options.templates.roots)))
    for fmt in ("odt", "docx"):
        with pytest.raises(RenderError, match=message) as caught:
            get_writer(fmt)(doc, own)
        assert "huisstijl.toml" in str(caught.value)


def test_the_signature_never_splits(eemdal: tuple[Document, WriterOptions]) -> None:
    doc, options = eemdal
    data = get_writer("docx")(doc, options)
    assert isinstance(data, bytes)
    signature = docx.Document(io.BytesIO(data)).tables[-1]
    assert [bool(row._tr.xpath("w:trPr/w:cantSplit")) for row in signature.rows] == [True, True]
    odt = get_writer("odt")(doc, options)
    assert isinstance(odt, bytes)
    content, _ = odt_parts(odt)
    (table,) = content.xpath(".//table:table[@table:name='Ondertekening']", namespaces=NS)
    style = _style(content, table.get(f"{{{NS['table']}}}style-name")).find("style:table-properties", NS)
    assert style.get(f"{{{NS['style']}}}may-break-between-rows") == "false"
    rows = table.findall("table:table-row", NS)
    assert len(rows) == 2
    for row in rows:
        properties = _style(content, row.get(f"{{{NS['table']}}}style-name")).find("style:table-row-properties", NS)
        assert properties.get(f"{{{NS['fo']}}}keep-together") == "always"
    assert len(table.findall("table:table-column", NS)) == 1  # one column element repeated per signatory
    column = table.find("table:table-column", NS)
    assert column.get(f"{{{NS['table']}}}number-columns-repeated") == str(len(doc.signature.signatories))


def test_docx_data_table_columns_follow_their_content(eemdal: tuple[Document, WriterOptions]) -> None:
    """Jaar | Omschrijving | Bedrag: the year column narrow, the description widest, the table narrower than the
    text width (as the PDF's automatic table layout), none below its longest word."""
    doc, options = eemdal
    data = get_writer("docx")(doc, options)
    assert isinstance(data, bytes)
    document = docx.Document(io.BytesIO(data))
    (table,) = [t for t in document.tables if t._tbl.xpath(".//w:tblHeader")]
    widths = [int(c.get(f"{W}w")) for c in table._tbl.tblGrid.gridCol_lst]
    year, description, amount = widths
    assert year < amount < description
    section = document.sections[0]
    assert section.page_width is not None and section.left_margin is not None and section.right_margin is not None
    assert sum(widths) < (section.page_width - section.left_margin - section.right_margin) / 635  # EMU → twips
    assert table._tbl.tblPr.find(f"{W}tblW").get(f"{W}w") == str(sum(widths))

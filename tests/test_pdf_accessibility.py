"""PDF/UA-1 and PDF/A-2a: every PDF the project writes, checked with real checkers and read back with pikepdf.

The PDFs are written once for this module: the seven example municipalities, the IR sample (title block
rows, a link, a placeholder, a page break inside a paragraph) and the sample with a logo. The checkers are
dev dependencies pinned in pyproject.toml: ``outloud`` (PDF/UA-1 + WCAG 2.2, conformance and semantic
layer), ``pdfua`` (machine-checkable PDF/UA-1 subset) and ``qpdf --check``.
"""

from __future__ import annotations

import json
import re
import shutil
import subprocess
import sys
from collections.abc import Iterator
from dataclasses import replace
from itertools import pairwise
from pathlib import Path
from typing import Any

import pytest

from generator import api
from generator.document.nodes import Document, HouseStyle
from generator.writers import WriterOptions
from generator.writers import pdf as pdf_writer
from generator.writers.templatefiles import Templates
from tests.conftest import DOSSIER, GEMEENTEN, PROPOSALS, ROOT, copy_templates
from tests.ir_sample import sample_document
from tools.tagtree import outline, page_texts

pikepdf = pytest.importorskip("pikepdf")
BIN = Path(sys.executable).parent


def tool(name: str) -> str:
    """A checker from the venv (pip dev dependency) or the system (Debian package via `make test`)."""
    local = BIN / name
    path = str(local) if local.exists() else shutil.which(name)
    assert path, f"{name} is missing: run `make test`, which installs the dev dependencies and Debian packages"
    return path


def run(*args: str, check: bool = True) -> subprocess.CompletedProcess[str]:
    return subprocess.run(args, check=check, capture_output=True, text=True, timeout=120)


@pytest.fixture(scope="module")
def documents(tmp_path_factory: pytest.TempPathFactory) -> dict[str, tuple[Document, WriterOptions]]:
    docs: dict[str, tuple[Document, WriterOptions]] = {
        slug: (doc, WriterOptions()) for slug, doc in api.documents(PROPOSALS / DOSSIER).items()
    }
    assert sorted(docs) == sorted(GEMEENTEN)
    docs["sample"] = (sample_document(), WriterOptions())
    from PIL import Image

    templates = tmp_path_factory.mktemp("templates") / "templates"
    copy_templates(templates)
    Image.new("RGB", (40, 20), (0, 98, 111)).save(templates / "gemeenten" / "leusden" / "logo.png")
    with_logo = replace(sample_document(), house=HouseStyle(color="#00626F", logo="gemeenten/leusden/logo.png"))
    docs["logo"] = (with_logo, WriterOptions(templates=Templates((templates,))))
    docs["constructs"] = (constructs_document(), WriterOptions())
    # The raadsbesluit meets the same bar: an ontwerpbesluit with placeholders and an adopted one.
    docs["besluit-leusden"] = (
        api.documents(PROPOSALS / DOSSIER, ["leusden"], kind="raadsbesluit")["leusden"],
        WriterOptions(),
    )
    round_dossier = ROOT / "voorbeelden" / "raadsronde" / "proposals" / "schuldhulp-eemland"
    adopted = api.documents(round_dossier, ["eemdal"], kind="raadsbesluit")["eemdal"]
    docs["besluit-eemdal"] = (adopted, WriterOptions())
    return docs


def constructs_document() -> Document:
    """Constructs the examples lack: a list from 7, nested lists, an item that starts with a list, long words,
    a link that a page break may cut, every Global Goal chosen."""
    from generator.document.nodes import (
        Block,
        BulletList,
        CheckItem,
        Checklist,
        Link,
        NumberedList,
        Paragraph,
        Section,
        Text,
    )

    def para(text: str) -> Paragraph:
        return Paragraph((Text(text),))

    long_word = "Arbeidsmarktinfrastructuurhervormingsuitvoeringsprogrammabegeleidingscommissie"
    filler = tuple(para(f"Alinea {n}: " + "tekst die de pagina vult en doorloopt. " * 12) for n in range(12))
    blocks: tuple[Block, ...] = (
        NumberedList(
            (
                (para("Zeven."), BulletList(((para("Genest a."),), (para("Genest b."),)))),
                (BulletList(((para("Punt dat met een lijst begint."),),)),),
                (para(long_word),),
            ),
            start=7,
        ),
        *filler,
        Paragraph(
            (Text("Zie "), Link("de website van de gemeente Leusden met alle raadsstukken", "https://www.leusden.nl/"))
        ),
        Checklist(tuple(CheckItem(True, f"Goal {n:02d}", f"Doel {n}") for n in range(1, 18))),
    )
    doc = sample_document()
    return replace(doc, sections=(*doc.sections, Section(22, "extra", "Extra", blocks)))


@pytest.fixture(scope="module")
def pdfs(
    documents: dict[str, tuple[Document, WriterOptions]],
    tmp_path_factory: pytest.TempPathFactory,
    examples_built: Path,
) -> dict[str, Path]:
    """The PDFs under test: the example municipalities' as a clerk gets them (the session's example build, house
    styles included), the other documents written here."""
    out = tmp_path_factory.mktemp("a11y")
    built = {slug: examples_built / slug / f"raadsvoorstel-{DOSSIER}-{slug}.pdf" for slug in GEMEENTEN}
    built["besluit-leusden"] = examples_built / "leusden" / f"raadsbesluit-{DOSSIER}-leusden.pdf"
    paths = {}
    for name, (doc, options) in documents.items():
        paths[name] = out / f"{name}.pdf"
        if name in built:
            shutil.copyfile(built[name], paths[name])
        else:
            paths[name].write_bytes(pdf_writer.write(doc, options))
    return paths


@pytest.fixture(scope="module")
def outloud_report(pdfs: dict[str, Path]) -> dict[str, dict[str, Any]]:
    result = run(tool("outloud"), "--json", "-", "--fail-on", "never", *map(str, pdfs.values()))
    return {Path(r["path"]).stem: r for r in json.loads(result.stdout)["results"]}


@pytest.fixture(scope="module")
def outloud_layers() -> dict[str, str]:
    """Rule id → layer ("conformance" or "semantic"), from outloud's own catalogue."""
    lines = run(tool("outloud"), "--list-rules").stdout.splitlines()[1:]
    return {line.split()[0]: line.split()[1] for line in lines if line.strip()}


def structure(pdf: Any) -> Iterator[tuple[Any, Any]]:
    """Every structure element with its parent, in tree (reading) order."""

    def walk(element: Any, parent: Any) -> Iterator[tuple[Any, Any]]:
        yield element, parent
        kids = element.get("/K")
        for kid in kids if isinstance(kids, pikepdf.Array) else [kids] if kids is not None else []:
            if isinstance(kid, pikepdf.Dictionary) and kid.get("/Type") not in ("/MCR", "/OBJR"):
                yield from walk(kid, element)

    root = pdf.Root.StructTreeRoot
    for top in root.K if isinstance(root.K, pikepdf.Array) else [root.K]:
        yield from walk(top, root)


def role(element: Any) -> str:
    return str(element.S)[1:]


def kids_of(element: Any) -> list[Any]:
    kids = element.get("/K")
    return list(kids) if isinstance(kids, pikepdf.Array) else [kids] if kids is not None else []


def content_refs(element: Any, pages: dict[Any, int]) -> Iterator[tuple[int, int]]:
    """(page index, MCID) of the marked content an element holds directly."""
    own_page = pages.get(element.Pg.objgen) if "/Pg" in element else None
    for kid in kids_of(element):
        if isinstance(kid, int):
            assert own_page is not None, "an MCID without /Pg"
            yield own_page, kid
        elif isinstance(kid, pikepdf.Dictionary) and kid.get("/Type") == "/MCR":
            yield pages[kid.Pg.objgen], int(kid.MCID)


def reading_order(element: Any, pages: dict[Any, int], page: int | None) -> Iterator[tuple[int, int]]:
    """(page index, MCID) of all marked content below ``element``, in the order the tree gives it."""
    if "/Pg" in element:
        page = pages[element.Pg.objgen]
    for kid in kids_of(element):
        if isinstance(kid, int):
            assert page is not None
            yield page, kid
        elif kid.get("/Type") == "/MCR":
            yield pages[kid.Pg.objgen], int(kid.MCID)
        elif kid.get("/Type") != "/OBJR":
            yield from reading_order(kid, pages, page)


def stream_mcids(page: Any) -> list[int]:
    """MCIDs in paint order, and every artifact's properties checked on the way."""
    found = []
    for operands, operator in pikepdf.parse_content_stream(page):
        if str(operator) == "BDC" and isinstance(operands[1], pikepdf.Dictionary) and "/MCID" in operands[1]:
            assert str(operands[0]) != "/Artifact"
            found.append(int(operands[1].MCID))
    return found


# --- the checkers ------------------------------------------------------------------------------


def test_outloud_finds_nothing_in_either_layer(
    pdfs: dict[str, Path], outloud_report: dict[str, dict[str, Any]], outloud_layers: dict[str, str]
) -> None:
    assert sorted(outloud_report) == sorted(pdfs)
    for name, result in outloud_report.items():
        assert result["error"] is None, name
        conformance = [f for f in result["findings"] if outloud_layers.get(f["rule"]) != "semantic"]
        assert conformance == [], f"{name}: {conformance}"
        # The semantic layer: nothing is reported today. The README says what it would report and why.
        semantic = [f for f in result["findings"] if outloud_layers.get(f["rule"]) == "semantic"]
        assert semantic == [], f"{name}: {semantic}"
        assert result["verdict"] == "pass"
        assert result["stats"]["tagged"] is True


def test_pdfua_reports_no_error(pdfs: dict[str, Path]) -> None:
    output = run(tool("pdfua"), "check", "--format", "json", *map(str, pdfs.values()), check=False).stdout
    decoder, position, reports = json.JSONDecoder(), 0, []
    while position < len(output.strip()):
        report, end = decoder.raw_decode(output, position)
        reports.append(report)
        position = end + len(output[end:]) - len(output[end:].lstrip())
    assert len(reports) == len(pdfs)
    for report in reports:
        assert report["exit_code"] != 4, report  # the file could be read
        errors = [f for f in report["findings"] if f["severity"] == "error"]
        assert errors == [], report["file"]
        # UA-28-004 (no pdfuaid claim) is what the old files failed; the claim is there now.
        assert [f["rule_id"] for f in report["findings"]] == [], report["file"]


def test_qpdf_check_is_clean(pdfs: dict[str, Path]) -> None:
    for path in pdfs.values():
        result = run(tool("qpdf"), "--check", str(path), check=False)
        assert result.returncode == 0, result.stdout + result.stderr
        assert "No syntax or stream encoding errors found" in result.stdout
        assert "WARNING" not in result.stdout + result.stderr


def test_raw_text_keeps_header_and_footer_out_of_body_text(
    pdfs: dict[str, Path], documents: dict[str, tuple[Document, WriterOptions]]
) -> None:
    for name, path in pdfs.items():
        doc = documents[name][0]
        pages = len(pikepdf.open(path).pages)
        draft = " — CONCEPT" if doc.concept else ""
        header = f"Gemeente {doc.municipality}{draft} {doc.running_subject}"  # shortened to one line
        for number in range(1, pages + 1):
            text = run(tool("pdftotext"), "-raw", "-enc", "UTF-8", "-f", str(number), "-l", str(number), str(path), "-")
            lines = [line for line in text.stdout.splitlines() if line.strip() and line != "\f"]
            # The margin boxes come last, after all body text (a long running header may wrap over two lines).
            tail = (f"{header} " if number > 1 else "") + f"pagina {number} van {pages}"
            joined = " ".join(lines)
            assert joined.endswith(tail), f"{name} p.{number}: {lines[-3:]}"
            body = joined[: -len(tail)]
            assert not re.search(r"pagina \d+ van \d+", body)
            assert number == 1 or header not in body, f"{name} p.{number}: running header inside the body text"


# --- what a screen reader is given -------------------------------------------------------------


def test_claims_pdfa_2a_and_pdfua_1_with_the_extension_schema(pdfs: dict[str, Path]) -> None:
    for path in pdfs.values():
        with pikepdf.open(path) as pdf:
            meta = pdf.Root.Metadata
            assert "/Filter" not in meta  # PDF/A: the XMP stays readable without decoding
            xmp = meta.read_bytes().decode("utf-8")
            with pdf.open_metadata() as data:
                assert data["pdfaid:part"] == "2" and data["pdfaid:conformance"] == "A"
                assert data["pdfuaid:part"] == "1"
                assert data["dc:title"] == str(pdf.docinfo.Title)
            assert "<pdfaSchema:prefix>pdfuaid</pdfaSchema:prefix>" in xmp
            assert "<pdfaSchema:namespaceURI>http://www.aiim.org/pdfua/ns/id/</pdfaSchema:namespaceURI>" in xmp
            assert "<pdfaProperty:name>part</pdfaProperty:name>" in xmp
            assert pdf.Root.PageMode == "/UseOutlines"
            assert bool(pdf.Root.ViewerPreferences.DisplayDocTitle) is True
            assert bool(pdf.Root.MarkInfo.Marked) is True


def test_each_municipality_has_its_own_title(pdfs: dict[str, Path], documents: dict[str, tuple[Document, Any]]) -> None:
    titles = set()
    for slug in GEMEENTEN:
        with pikepdf.open(pdfs[slug]) as pdf:
            title = str(pdf.docinfo.Title)
        assert f"Gemeente {documents[slug][0].municipality}" in title
        titles.add(title)
    assert len(titles) == len(GEMEENTEN)


def test_tree_parent_links_and_parent_tree_agree_and_nothing_is_orphaned(pdfs: dict[str, Path]) -> None:
    for name, path in pdfs.items():
        with pikepdf.open(path) as pdf:
            pages = {page.obj.objgen: i for i, page in enumerate(pdf.pages)}
            elements = list(structure(pdf))
            reachable = {element.objgen for element, _ in elements}
            for element, parent in elements:
                assert element.P.objgen == parent.objgen, f"{name}: /P of {role(element)}"
            every = {
                o.objgen for o in pdf.objects if isinstance(o, pikepdf.Dictionary) and o.get("/Type") == "/StructElem"
            }
            assert every == reachable, f"{name}: structure elements outside the tree"
            owner = {ref: element.objgen for element, _ in elements for ref in content_refs(element, pages)}
            nums = list(pdf.Root.StructTreeRoot.ParentTree.Nums)
            parent_tree = dict(zip(nums[::2], nums[1::2], strict=True))
            for index, page in enumerate(pdf.pages):
                in_stream = stream_mcids(page)
                assert sorted(in_stream) == list(range(len(in_stream))), f"{name} p.{index + 1}: MCIDs"
                mapped = parent_tree[int(page.obj.StructParents)]
                assert len(mapped) == len(in_stream)
                for mcid in in_stream:
                    assert owner[index, mcid] == mapped[mcid].objgen, f"{name} p.{index + 1} mcid {mcid}"
            assert len(owner) == sum(len(stream_mcids(p)) for p in pdf.pages)  # no MCID claimed twice or lost


def test_reading_order_is_paint_order(pdfs: dict[str, Path]) -> None:
    """Per page, the tree visits the marked content in the order the page paints it."""
    for name, path in pdfs.items():
        with pikepdf.open(path) as pdf:
            pages = {page.obj.objgen: i for i, page in enumerate(pdf.pages)}
            order = list(reading_order(pdf.Root.StructTreeRoot, pages, None))
            for index in range(len(pdf.pages)):
                on_page = [mcid for page, mcid in order if page == index]
                assert on_page == sorted(on_page), f"{name} p.{index + 1}"


def test_header_footer_and_page_numbers_are_pagination_artifacts(pdfs: dict[str, Path]) -> None:
    for name, path in pdfs.items():
        with pikepdf.open(path) as pdf:
            texts = page_texts(pdf)
            for number, page in enumerate(pdf.pages, start=1):
                kinds = [
                    (str(ops[1].get("/Type")), str(ops[1].get("/Subtype")))
                    for ops, op in pikepdf.parse_content_stream(page)
                    if str(op) == "BDC" and str(ops[0]) == "/Artifact"
                ]
                assert ("/Pagination", "/Footer") in kinds, f"{name} p.{number}"
                if number > 1:
                    assert ("/Pagination", "/Header") in kinds, f"{name} p.{number}"
                tagged = " ".join(texts[number - 1].by_mcid.values())
                assert not re.search(r"pagina \d+ van \d+", tagged)
                assert any(re.fullmatch(rf"pagina {number} van \d+", a) for a in texts[number - 1].artifacts)


def test_one_part_one_element_per_section_and_paragraphs_cross_page_breaks_whole(
    pdfs: dict[str, Path], documents: dict[str, tuple[Document, Any]]
) -> None:
    crossing = 0
    for name, path in pdfs.items():
        doc = documents[name][0]
        with pikepdf.open(path) as pdf:
            assert len(pdf.pages) > 1 or name.startswith("besluit-")  # a besluit fits on one page
            pages = {page.obj.objgen: i for i, page in enumerate(pdf.pages)}
            elements = [element for element, _ in structure(pdf)]
            assert [role(e) for e in elements].count("Part") == 1
            sects = [e for e in elements if role(e) == "Sect"]
            assert len(sects) == len(doc.sections), name
            for element in elements:
                if role(element) == "P":
                    crossing += len({page for page, _ in content_refs(element, pages)}) > 1
    assert crossing >= len(GEMEENTEN)  # every example has a paragraph that a page break cuts: it stays one P


def test_lists_are_l_li_lbl_lbody(pdfs: dict[str, Path]) -> None:
    for name, path in pdfs.items():
        with pikepdf.open(path) as pdf:
            elements = list(structure(pdf))
            items = 0
            for element, parent in elements:
                if role(element) == "L":
                    assert {role(k) for k in kids_of(element)} == {"LI"}, name
                if role(element) == "LI":
                    items += 1
                    assert role(parent) == "L"
                    assert [role(k) for k in kids_of(element)] == ["Lbl", "LBody"], name
            least = 17 if name in GEMEENTEN else 2 if name.startswith("besluit-") else 3  # goals; beslispunten
            assert items >= least, name


def test_checklist_says_chosen_in_words(pdfs: dict[str, Path], documents: dict[str, tuple[Document, Any]]) -> None:
    from generator.document.nodes import Checklist

    for name, path in pdfs.items():
        doc = documents[name][0]
        boxes = [
            item.checked
            for section in doc.sections
            for block in section.blocks
            if isinstance(block, Checklist)
            for item in block.items
        ]
        with pikepdf.open(path) as pdf:
            said = [str(e.ActualText) for e, _ in structure(pdf) if role(e) == "Lbl" and "/ActualText" in e]
        assert said == ["gekozen" if checked else "niet gekozen" for checked in boxes], name


def test_headings_start_at_h1_and_skip_no_level(pdfs: dict[str, Path]) -> None:
    for name, path in pdfs.items():
        with pikepdf.open(path) as pdf:
            levels = [int(role(e)[1]) for e, _ in structure(pdf) if re.fullmatch(r"H[1-6]", role(e))]
        assert levels[0] == 1 and levels.count(1) == 1, name
        assert all(b <= a + 1 for a, b in pairwise(levels)), name


def test_title_block_is_a_table_with_row_headers(pdfs: dict[str, Path]) -> None:
    with pikepdf.open(pdfs["sample"]) as pdf:
        headers = [e for e, _ in structure(pdf) if role(e) == "TH"]
        texts = page_texts(pdf)
        pages = {page.obj.objgen: i for i, page in enumerate(pdf.pages)}
        said = ["".join(texts[p].by_mcid[m] for p, m in content_refs(e, pages)) for e in headers]
        assert said == ["Onderwerp", "Datum raadsvergadering"]
        assert all(str(e.A.Scope) == "/Row" for e in headers)


def test_link_is_a_link_element_with_its_annotation_and_contents(pdfs: dict[str, Path]) -> None:
    with pikepdf.open(pdfs["sample"]) as pdf:
        links = [e for e, _ in structure(pdf) if role(e) == "Link"]
        assert len(links) == 1
        objr = [k for k in kids_of(links[0]) if isinstance(k, pikepdf.Dictionary) and k.get("/Type") == "/OBJR"]
        assert len(objr) == 1
        annotation = objr[0].Obj
        assert str(annotation.A.URI) == "https://www.leusden.nl/"
        assert str(annotation.Contents) == "link"
        nums = list(pdf.Root.StructTreeRoot.ParentTree.Nums)
        assert dict(zip(nums[::2], nums[1::2], strict=True))[int(annotation.StructParent)].objgen == links[0].objgen


def test_logo_is_a_figure_with_the_municipality_in_its_alt(pdfs: dict[str, Path]) -> None:
    with pikepdf.open(pdfs["logo"]) as pdf:
        figures = [e for e, _ in structure(pdf) if role(e) == "Figure"]
        assert [str(f.Alt) for f in figures] == ["Logo gemeente Leusden"]
        assert next(iter(structure(pdf)))[0].S == "/Document"


def test_every_item_keeps_its_label_and_numbers_start_where_the_list_does(pdfs: dict[str, Path]) -> None:
    with pikepdf.open(pdfs["constructs"]) as pdf:
        texts = page_texts(pdf)
        pages = {page.obj.objgen: i for i, page in enumerate(pdf.pages)}
        labels = [
            "".join(texts[p].by_mcid[m] for p, m in content_refs(e, pages))
            for e, _ in structure(pdf)
            if role(e) == "Lbl" and "/ActualText" not in e
        ]
    # The sample's lists, then the list from 7 with its nested bullets and an item that starts with a list.
    assert labels[-6:] == ["7.", "•", "•", "8.", "•", "9."]


def test_tagtree_tool_prints_the_outline(pdfs: dict[str, Path]) -> None:
    with pikepdf.open(pdfs["leusden"]) as pdf:
        lines = list(outline(pdf))
    assert lines[0] == "Document"
    assert any(line.strip() == "Lbl ActualText='gekozen'" for line in lines)
    assert any('"1. Aanleiding" (p.1 mcid' in line for line in lines)
    assert not any("pagina 1 van" in line for line in lines)
    result = run(sys.executable, "-m", "tools.tagtree", "--artifacts", str(pdfs["leusden"]))
    assert "artifact p.1: 'pagina 1 van" in result.stdout


def test_transparent_text_in_a_house_style_is_refused_with_a_reason(tmp_path: Path) -> None:
    """Text in a transparency group cannot be tagged correctly: the writer says so instead of writing a bad PDF."""
    from generator.errors import RenderError

    templates = tmp_path / "templates"
    copy_templates(templates)
    (templates / "gemeenten" / "leusden" / "huisstijl.css").write_text(".gemeente { opacity: 0.8 }", encoding="utf-8")
    with pytest.raises(RenderError, match="opacity"):
        pdf_writer.write(sample_document(), WriterOptions(templates=Templates((templates,))))

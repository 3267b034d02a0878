"""The DOCX redline: NEW's document with OLD → NEW as Word tracked changes.

The central promise is checked by resolving the revisions ourselves, the way Word's "Accept all" and
"Reject all" do, with lxml on ``word/document.xml``:

- accept: rows and paragraph marks tracked as deleted go, ``w:del`` goes, ``w:ins`` is unwrapped;
- reject: rows and paragraph marks tracked as inserted go, ``w:ins`` goes, ``w:del`` is unwrapped and its
  ``w:delText`` becomes ``w:t``;
- a paragraph whose mark is removed merges with the paragraph after it (its remaining runs move there);
- formatting changes (``w:rPrChange``, ``w:pPrChange``) are dropped: only text is compared.

The text compared is what python-docx reads from the body in order: each paragraph's text, and for each
table every cell's paragraphs, row by row. It must equal, list for list, the same reading of NEW's (accept)
or OLD's (reject) DOCX from the regular writer.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
import io
import json
import shutil
import subprocess
import zipfile
from pathlib import Path

import docx
import pytest
from lxml import etree

from generator.api import load
from generator.diffing import DocumentDiff, diff_documents
from generator.diffing.docx_tracked import TrackOptions, render
from generator.document.nodes import (
    Document,
    Link,
    MetaField,
    NumberedList,
    Paragraph,
    Section,
    Signatory,
    Text,
)
from generator.sources.dossier import find_dossier
from generator.writers import WriterOptions, get_writer
from tests.conftest import DOSSIER, PROPOSALS, Invoke
from tests.ir_sample import para, sample_document
from tests.test_diff import edit, edit_draft

W = "http://schemas.openxmlformats.org/wordprocessingml/2006/main"
NS = {"w": W}


def q(tag: str) -> str:
    return f"{{{W}}}{tag}"


# --- resolving revisions -------------------------------------------------------------------------------


def resolve(data: bytes, accept: bool) -> bytes:
    """The DOCX as it reads after accepting (or rejecting) every tracked change."""
    with zipfile.ZipFile(io.BytesIO(data)) as archive:
        parts = {name: archive.read(name) for name in archive.namelist()}
    root = etree.fromstring(parts["word/document.xml"])
    gone, kept = ("del", "ins") if accept else ("ins", "del")
    for row in list(root.iter(q("tr"))):
        if row.find(f"w:trPr/w:{gone}", NS) is not None:
            row.getparent().remove(row)
    merging = [p for p in root.iter(q("p")) if p.find(f"w:pPr/w:rPr/w:{gone}", NS) is not None]
    for marker in root.xpath(f"//w:trPr/w:{gone} | //w:trPr/w:{kept} | //w:pPr/w:rPr/w:{gone} | "
                             f"//w:pPr/w:rPr/w:{kept}", namespaces=NS):  # fmt: skip
        marker.getparent().remove(marker)
    for element in list(root.iter(q(gone))):
        element.getparent().remove(element)
    for element in list(root.iter(q(kept))):
        parent = element.getparent()
        index = parent.index(element)
        for child in reversed(list(element)):
            parent.insert(index, child)
        parent.remove(element)
    if not accept:
        for node in root.iter(q("delText")):
            node.tag = q("t")
    for element in list(root.iter(q("rPrChange"), q("pPrChange"))):
        element.getparent().remove(element)
    for paragraph in merging:
        rest = [c for c in paragraph if c.tag != q("pPr")]
        following = paragraph.getnext()
        if following is not None and following.tag == q("p"):
            at = 1 if following.find(q("pPr")) is not None else 0
            for child in reversed(rest):
                following.insert(at, child)
            paragraph.getparent().remove(paragraph)
        elif not rest:
            paragraph.getparent().remove(paragraph)
    for table in list(root.iter(q("tbl"))):
        if table.find(q("tr")) is None:  # every row was removed: so is the table
            table.getparent().remove(table)
    parts["word/document.xml"] = etree.tostring(root, xml_declaration=True, encoding="UTF-8", standalone=True)
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w") as archive:
        for name, payload in parts.items():
            archive.writestr(name, payload)
    return out.getvalue()


def texts(data: bytes) -> list[str]:
    """Body paragraphs and table cells (row by row, cell by cell, paragraph by paragraph) in reading order."""
    document = docx.Document(io.BytesIO(data))
    out: list[str] = []
    for item in document.iter_inner_content():
        if isinstance(item, docx.table.Table):
            out.extend(f"cel: {p.text}" for row in item.rows for cell in row.cells for p in cell.paragraphs)
        else:
            out.append(item.text)
    return out


def plain_docx(doc: Document) -> bytes:
    data = get_writer("docx")(doc, WriterOptions())
    assert isinstance(data, bytes)
    return data


def assert_redline_resolves(diff: DocumentDiff, data: bytes) -> None:
    accepted, rejected = texts(resolve(data, accept=True)), texts(resolve(data, accept=False))
    assert accepted == texts(plain_docx(diff.new))
    assert rejected == texts(plain_docx(diff.old))
    assert accepted != rejected or diff.identical


def document_xml(data: bytes) -> etree._Element:
    with zipfile.ZipFile(io.BytesIO(data)) as archive:
        return etree.fromstring(archive.read("word/document.xml"))


def example(dossier: Path, gemeente: str) -> Document:
    tree, slug = find_dossier(dossier)
    loaded, _ = load(tree, slug, [gemeente])
    return loaded.documents[gemeente]


@pytest.fixture
def draft_diff(tmp_path: Path) -> DocumentDiff:
    """Leusden's document: the example against a draft with every kind of edit (incl. a new burgemeester)."""
    old = tmp_path / "oud"
    new = tmp_path / "nieuw"
    shutil.copytree(PROPOSALS, old)
    shutil.copytree(PROPOSALS, new)
    edit_draft(new / DOSSIER)
    edit(new / "gemeenten.yaml", "G.J. Bouwmeester", "A.B. Nieuwenhuis")
    return diff_documents(example(old / DOSSIER, "leusden"), example(new / DOSSIER, "leusden"))


# --- accept all = NEW, reject all = OLD -------------------------------------------------------------------


def test_accept_all_gives_new_and_reject_all_gives_old(draft_diff: DocumentDiff) -> None:
    data = render(draft_diff)
    assert_redline_resolves(draft_diff, data)
    root = document_xml(data)
    deleted = "".join(root.xpath("//w:del//w:delText/text()", namespaces=NS))
    inserted = "".join(root.xpath("//w:ins//w:t/text()", namespaces=NS))
    assert "direct" in deleted and "Inventarisatie ‘Sociale infrastructuur" in deleted and "G.J" in deleted
    assert "rechtstreeks" in inserted and "december 2025 te informeren" in inserted and "Nieuwenhuis" in inserted
    assert not root.xpath("//w:del//w:t | //w:ins//w:delText", namespaces=NS)


def test_whole_paragraphs_have_their_mark_tracked(draft_diff: DocumentDiff) -> None:
    root = document_xml(render(draft_diff))
    [added] = root.xpath("//w:p[w:pPr/w:rPr/w:ins]", namespaces=NS)
    assert "".join(added.xpath(".//w:t/text()", namespaces=NS)).startswith("Het college opdragen")
    assert added.find("w:pPr/w:numPr", NS) is not None  # a beslispunt: still an item of the list
    [removed] = root.xpath("//w:p[w:pPr/w:rPr/w:del]", namespaces=NS)
    assert "".join(removed.xpath(".//w:delText/text()", namespaces=NS)).startswith("Inventarisatie")
    bijlagen = root.xpath("//w:p[.//w:t='Memo ‘Uitgangspunten toekomst sociaal ontwikkelbedrijf’.']", namespaces=NS)
    num_id = "w:pPr/w:numPr/w:numId/@w:val"
    assert removed.xpath(num_id, namespaces=NS) == bijlagen[0].xpath(num_id, namespaces=NS)  # same list in NEW


def test_two_municipalities_resolve_too() -> None:
    diff = diff_documents(example(PROPOSALS / DOSSIER, "soest"), example(PROPOSALS / DOSSIER, "leusden"))
    assert_redline_resolves(diff, render(diff))


def structural_diff() -> DocumentDiff:
    """Hand-built: a link and bold changed, a paragraph rewritten, a section dropped and one added, a
    title-block row added, one signatory instead of two (a signature table with another grid)."""
    old = sample_document()
    first = old.sections[0]
    [old_links] = [b for b in first.blocks if isinstance(b, Paragraph) and any(isinstance(i, Link) for i in b.inlines)]
    changed = tuple(
        Text(i.text) if isinstance(i, Text) and i.bold  # "vet" no longer bold
        else Link("een andere link", "https://www.soest.nl/") if isinstance(i, Link)
        else i
        for i in old_links.inlines
    )  # fmt: skip
    new_first = dataclasses.replace(
        first, blocks=(para("Iets heel anders, van de grond af herschreven."), *first.blocks[1:3], Paragraph(changed))
    )
    extra = Section(22, "nieuw", "Nieuw onderdeel", (NumberedList(((para("Eerste punt."),), (para("Twee."),))),))
    new = dataclasses.replace(
        old,
        fields=(MetaField("Agendapunt", (Text("7"),)), MetaField("Datum raadsvergadering", (Text("10 juni 2025"),))),
        sections=(new_first, *(s for s in old.sections[1:] if s.key != "voorstel"), extra),
        signature=dataclasses.replace(old.signature, signatories=(Signatory((Text("A. Nieuw"),), "burgemeester"),)),
    )
    return diff_documents(old, new)


def test_structural_changes_resolve() -> None:
    diff = structural_diff()
    data = render(diff)
    assert_redline_resolves(diff, data)
    root = document_xml(data)
    assert root.xpath("//w:tr[w:trPr/w:ins]", namespaces=NS)  # the new title-block row
    assert root.xpath("//w:tr[w:trPr/w:del]", namespaces=NS)  # the old two-column signature rows
    assert root.xpath("//w:rPrChange", namespaces=NS)  # "vet" is no longer bold
    links = root.xpath("//w:hyperlink", namespaces=NS)
    rels = docx.Document(io.BytesIO(data)).part.rels
    targets = {rels[link.get("{http://schemas.openxmlformats.org/officeDocument/2006/relationships}id")].target_ref
               for link in links}  # fmt: skip
    assert targets == {"https://www.leusden.nl/", "https://www.soest.nl/"}


# --- revision attributes, determinism ---------------------------------------------------------------------


def test_author_date_and_ids(draft_diff: DocumentDiff) -> None:
    data = render(draft_diff, TrackOptions(author="Griffie Leusden", date=dt.date(2025, 5, 20)))
    root = document_xml(data)
    revisions = root.xpath("//w:ins | //w:del | //w:rPrChange | //w:pPrChange", namespaces=NS)
    assert revisions
    assert {r.get(q("author")) for r in revisions} == {"Griffie Leusden"}
    assert {r.get(q("date")) for r in revisions} == {"2025-05-20T00:00:00Z"}
    ids = root.xpath("//@w:id[not(parent::w:bookmarkEnd)]", namespaces=NS)  # a bookmark's end repeats its id
    assert len(ids) == len(set(ids))
    assert data == render(draft_diff, TrackOptions(author="Griffie Leusden", date=dt.date(2025, 5, 20)))


def test_default_author_and_date_never_the_clock(draft_diff: DocumentDiff) -> None:
    dated = dataclasses.replace(draft_diff, new=dataclasses.replace(draft_diff.new, date=dt.date(2025, 6, 3)))
    root = document_xml(render(dated))
    assert set(root.xpath("//w:ins/@w:date", namespaces=NS)) == {"2025-06-03T00:00:00Z"}
    assert set(root.xpath("//w:ins/@w:author", namespaces=NS)) == {"raadsvoorstel"}
    undated = document_xml(render(draft_diff))  # the example has no meeting dates: no date is invented
    assert undated.xpath("//w:del | //w:ins", namespaces=NS)
    assert undated.xpath("//w:del/@w:date | //w:ins/@w:date", namespaces=NS) == []
    with zipfile.ZipFile(io.BytesIO(render(draft_diff))) as archive:
        assert {i.date_time for i in archive.infolist()} == {(1980, 1, 1, 0, 0, 0)}


def test_identical_documents_give_an_untracked_copy() -> None:
    diff = diff_documents(sample_document(), sample_document())
    data = render(diff)
    assert not document_xml(data).xpath("//w:ins | //w:del | //w:rPrChange | //w:pPrChange", namespaces=NS)
    assert texts(data) == texts(plain_docx(diff.new))


# --- command line ---------------------------------------------------------------------------------------


def test_cli_writes_the_redline(tmp_path: Path, cli: Invoke) -> None:
    target = tmp_path / "wijzigingen.docx"
    result = cli("diff", PROPOSALS / DOSSIER, "-g", "leusden", "--tegen", "soest", "-f", "docx", "-o", target,
                 "--auteur", "Griffie", "--datum", "2025-05-20")  # fmt: skip
    assert result.exit_code == 1, result.output
    root = document_xml(target.read_bytes())
    assert set(root.xpath("//w:ins/@w:author", namespaces=NS)) == {"Griffie"}
    assert set(root.xpath("//w:ins/@w:date", namespaces=NS)) == {"2025-05-20T00:00:00Z"}
    assert "Leusden" in root.xpath("//w:ins//w:t/text()", namespaces=NS)
    assert "Soest" in root.xpath("//w:del//w:delText/text()", namespaces=NS)
    bad_date = cli("diff", PROPOSALS / DOSSIER, "-g", "leusden", "--tegen", "soest", "-f", "docx", "-o", target,
                   "--datum", "20-05-2025")  # fmt: skip
    assert bad_date.exit_code == 2
    args = ("diff", PROPOSALS / DOSSIER, "-g", "leusden", "--tegen", "soest", "-f", "docx")
    piped = cli(*args)  # stdout is not a terminal: the DOCX itself goes there
    default = tmp_path / "standaard.docx"
    assert cli(*args, "-o", default).exit_code == 1
    assert piped.exit_code == 1 and piped.stdout_bytes == default.read_bytes()


# --- LibreOffice -----------------------------------------------------------------------------------------

ID = "{urn:oasis:names:tc:opendocument:xmlns:text:1.0}id"
needs_soffice = pytest.mark.skipif(shutil.which("soffice") is None, reason="LibreOffice (soffice) not installed")


def convert(source: Path, fmt: str, tmp_path: Path) -> Path:
    """Convert with a private profile; soffice exits 0 even when it fails, so check the file and stderr."""
    outdir = tmp_path / fmt
    result = subprocess.run(
        ["soffice", f"-env:UserInstallation={(tmp_path / 'lo-profile').as_uri()}", "--headless",
         "--convert-to", fmt, "--outdir", str(outdir), str(source)],
        capture_output=True, text=True, timeout=240, check=False,
    )  # fmt: skip
    assert "Error:" not in result.stderr, result.stderr
    target = outdir / f"{source.stem}.{fmt}"
    assert target.is_file() and target.stat().st_size > 0, result.stderr
    return target


@needs_soffice
def test_libreoffice_opens_the_redline_and_sees_the_changes(draft_diff: DocumentDiff, tmp_path: Path) -> None:
    source = tmp_path / "wijzigingen.docx"
    source.write_bytes(render(draft_diff))
    convert(source, "pdf", tmp_path)
    flat = etree.parse(str(convert(source, "fodt", tmp_path)))
    ns = {"text": "urn:oasis:names:tc:opendocument:xmlns:text:1.0", "dc": "http://purl.org/dc/elements/1.1/"}
    regions = flat.xpath("//text:tracked-changes/text:changed-region", namespaces=ns)
    kinds = {etree.QName(r[0]).localname for r in regions}
    assert {"insertion", "deletion"} <= kinds
    assert set(flat.xpath("//text:changed-region//dc:creator/text()", namespaces=ns)) == {"raadsvoorstel"}
    # Deleted text: inside the region (older LibreOffice) or in the body right after its change-start marker.
    deleted = [" ".join(r.xpath("text:deletion/text:p//text()", namespaces=ns)) for r in regions]
    for region in regions:
        if etree.QName(region[0]).localname == "deletion":
            start = flat.xpath(f"//text:change-start[@text:change-id='{region.get(ID)}']", namespaces=ns)
            deleted.extend(str(m.xpath("string(following::text()[1])")) for m in start)
    assert "direct" in deleted
    assert any(t.startswith("Inventarisatie ‘Sociale infrastructuur") for t in deleted), deleted


# LibreOffice's own "accept all" / "reject all", driven through UNO with the system Python (the venv has no
# ``uno`` module). Each paragraph as LibreOffice reads it: text, paragraph style, numbered or not, list label.
LO_SCRIPT = r"""
import json, os, subprocess, sys, tempfile, time, uuid
import uno
from com.sun.star.beans import PropertyValue

def prop(name, value):
    p = PropertyValue(); p.Name = name; p.Value = value; return p

def paragraphs(doc):
    out = []
    items = doc.Text.createEnumeration()
    while items.hasMoreElements():
        item = items.nextElement()
        if item.supportsService("com.sun.star.text.Paragraph"):
            out.append([item.getString(), item.ParaStyleName, bool(item.NumberingIsNumber), item.ListLabelString])
        elif item.supportsService("com.sun.star.text.TextTable"):
            for name in item.getCellNames():
                cell = item.getCellByName(name).createEnumeration()
                while cell.hasMoreElements():
                    out.append(["cel: " + cell.nextElement().getString()])
    return out

pipe, profile = "rv" + uuid.uuid4().hex[:8], tempfile.mkdtemp()
office = subprocess.Popen(["soffice", "-env:UserInstallation=file://" + profile, "--headless", "--invisible",
                           "--norestore", "--accept=pipe,name=%s;urp;" % pipe],
                          stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
try:
    local = uno.getComponentContext()
    resolver = local.ServiceManager.createInstanceWithContext("com.sun.star.bridge.UnoUrlResolver", local)
    for _ in range(240):
        try:
            ctx = resolver.resolve("uno:pipe,name=%s;urp;StarOffice.ComponentContext" % pipe)
            break
        except Exception:
            time.sleep(0.25)
    desktop = ctx.ServiceManager.createInstanceWithContext("com.sun.star.frame.Desktop", ctx)
    dispatch = ctx.ServiceManager.createInstanceWithContext("com.sun.star.frame.DispatchHelper", ctx)
    result = {}
    for path in sys.argv[2:]:
        for mode in ("plain", "accept", "reject"):
            doc = desktop.loadComponentFromURL(uno.systemPathToFileUrl(path), "_blank", 0, (prop("Hidden", True),))
            if mode != "plain":
                command = ".uno:AcceptAllTrackedChanges" if mode == "accept" else ".uno:RejectAllTrackedChanges"
                dispatch.executeDispatch(doc.getCurrentController().getFrame(), command, "", 0, ())
            result[path + ":" + mode] = paragraphs(doc)
            doc.close(True)
    with open(sys.argv[1], "w", encoding="utf-8") as handle:
        json.dump(result, handle, ensure_ascii=False)
    desktop.terminate()
finally:
    try:
        office.wait(timeout=60)
    except subprocess.TimeoutExpired:
        office.kill()
"""


def uno_python() -> str | None:
    """A Python that can ``import uno`` (Debian's python3-uno lives in the system Python), or None."""
    for candidate in ("/usr/bin/python3", shutil.which("python3")):
        if candidate and shutil.which("soffice"):
            probe = subprocess.run([candidate, "-c", "import uno"], capture_output=True, check=False)
            if probe.returncode == 0:
                return candidate
    return None


@pytest.mark.skipif(uno_python() is None, reason="LibreOffice with Python UNO (python3-uno) not available")
def test_libreoffice_accept_all_and_reject_all(draft_diff: DocumentDiff, tmp_path: Path) -> None:
    """LibreOffice itself accepts/rejects every change: NEW and OLD come back, paragraph styles and list
    numbers included (a deleted beslispunt must not drag the heading after it into the list)."""
    files = {"draft": draft_diff, "structural": structural_diff()}
    paths: list[str] = []
    for name, diff in files.items():
        for suffix, data in (("", render(diff)), ("-old", plain_docx(diff.old)), ("-new", plain_docx(diff.new))):
            path = tmp_path / f"{name}{suffix}.docx"
            path.write_bytes(data)
            paths.append(str(path))
    script = tmp_path / "lo_revisions.py"
    script.write_text(LO_SCRIPT, encoding="utf-8")
    out = tmp_path / "result.json"
    python = uno_python()
    assert python is not None
    run = subprocess.run([python, str(script), str(out), *paths], capture_output=True, text=True, timeout=300)
    assert run.returncode == 0 and out.is_file(), run.stderr
    seen = json.loads(out.read_text(encoding="utf-8"))
    for name in files:
        redline, old, new = (str(tmp_path / f"{name}{s}.docx") for s in ("", "-old", "-new"))
        assert seen[f"{redline}:accept"] == seen[f"{new}:plain"], name
        assert seen[f"{redline}:reject"] == seen[f"{old}:plain"], name
        assert seen[f"{redline}:plain"] != seen[f"{new}:plain"], name  # the changes are there to be resolved

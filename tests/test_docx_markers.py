"""The DOCX names where each field begins and ends, and what it was built from (for the Word import)."""

from __future__ import annotations

import io
import json
import subprocess
import zipfile

from lxml import etree

from generator import api
from generator.writers import WriterOptions, get_writer
from generator.writers.docx._markers import NAMESPACE, source_hash
from tests.conftest import DOSSIER, PROPOSALS, TEMPLATES

W = "http://schemas.openxmlformats.org/wordprocessingml/2006/main"


def _build(gemeente: str = "leusden") -> bytes:
    doc = api.documents(PROPOSALS / DOSSIER, [gemeente])[gemeente]
    data = get_writer("docx")(doc, WriterOptions(templates=TEMPLATES))
    assert isinstance(data, bytes)
    return data


def _part(data: bytes) -> etree._Element:
    with zipfile.ZipFile(io.BytesIO(data)) as archive:
        for name in archive.namelist():
            if name.startswith("customXml/item") and "Props" not in name and NAMESPACE.encode() in archive.read(name):
                return etree.fromstring(archive.read(name))
    raise AssertionError("no custom XML part of ours")


def test_custom_part_names_dossier_municipality_kind_and_exact_sources() -> None:
    root = _part(_build())
    assert (root.get("dossier"), root.get("gemeente"), root.get("soort")) == (DOSSIER, "leusden", "raadsvoorstel")
    files = [(f.get("naam"), f.get("object")) for f in root.iter(f"{{{NAMESPACE}}}bestand")]
    assert [name for name, _ in files] == ["voorstel.yaml", "gemeenten/leusden.yaml"]
    for name, blob in files:
        real = subprocess.run(["git", "hash-object", str(PROPOSALS / DOSSIER / name)], capture_output=True, text=True,
                              check=True).stdout  # fmt: skip
        assert blob == real.strip()
    assert root.get("bron") == source_hash(files)


def test_every_field_is_marked_once_and_marks_never_overlap() -> None:
    data = _build()
    root = _part(data)
    marks = {m.get("naam"): (tuple(json.loads(m.get("pad"))), m.get("rol")) for m in _marks(root)}
    paths = {path for path, _ in marks.values()}
    assert ("aanleiding",) in paths and ("beslispunten", 1) in paths
    assert ("argumenten", 4, "kop") in paths and ("argumenten", 4, "tekst") in paths
    assert ("onderwerp",) in paths
    with zipfile.ZipFile(io.BytesIO(data)) as archive:
        body = etree.fromstring(archive.read("word/document.xml"))
    events = [(e.tag.rsplit("}", 1)[1], e.get(f"{{{W}}}id"), e.get(f"{{{W}}}name"))
              for e in body.iter(f"{{{W}}}bookmarkStart", f"{{{W}}}bookmarkEnd")]  # fmt: skip
    names = [name for kind, _, name in events if kind == "bookmarkStart"]
    assert sorted(names) == sorted(marks)
    open_id = None
    for kind, ident, _ in events:  # start, end, start, end …: no mark inside another (LibreOffice renames those)
        if kind == "bookmarkStart":
            assert open_id is None
            open_id = ident
        else:
            assert ident == open_id
            open_id = None


def _marks(root: etree._Element) -> list[etree._Element]:
    return list(root.iter(f"{{{NAMESPACE}}}markering"))


def test_the_marked_text_is_the_field() -> None:
    import docx

    data = _build()
    document = docx.Document(io.BytesIO(data))
    marks = {(tuple(json.loads(m.get("pad"))), m.get("rol")): m.get("naam") for m in _marks(_part(data))}

    def marked(path: tuple[str | int, ...], role: str) -> str:
        name = marks[(path, role)]
        return next(p.text for p in document.paragraphs if p._p.xpath(f".//w:bookmarkStart[@w:name='{name}']"))

    assert marked(("aanleiding",), "sectie") == "1. Aanleiding"
    assert marked(("aanleiding",), "tekst").startswith("Onze gemeente staat voor drie grote")
    heading = "2.1\tHet impulsbudget biedt dekking voor de uitvoering van de opgave."
    assert marked(("argumenten", 4, "kop"), "kop") == heading

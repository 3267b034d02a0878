"""PDF writer: what a reader, an archive and an attacker would check in the PDF of the IR sample."""

from __future__ import annotations

import hashlib
import http.server
import io
import os
import re
import shutil
import subprocess
import sys
import threading
from collections.abc import Iterator
from dataclasses import replace
from pathlib import Path
from typing import ClassVar

import pytest

from generator.document.nodes import HouseStyle, Link, MetaField, Paragraph, Section, Signatory, Text
from generator.errors import RenderError
from generator.writers import WriterOptions, get_writer
from generator.writers import pdf as pdf_writer
from generator.writers.templatefiles import Templates
from tests.conftest import TEMPLATES, copy_templates
from tests.ir_sample import sample_document

pikepdf = pytest.importorskip("pikepdf")
ROOT = Path(__file__).resolve().parent.parent


def tool(name: str) -> str:
    path = shutil.which(name)
    if path is None:
        pytest.skip(f"{name} is not installed (poppler-utils / qpdf)")
    return path


def run(*args: str) -> str:
    return subprocess.run(args, check=True, capture_output=True, text=True, timeout=60).stdout


@pytest.fixture(scope="module")
def pdf_file(tmp_path_factory: pytest.TempPathFactory) -> Path:
    path = tmp_path_factory.mktemp("pdf") / "raadsvoorstel.pdf"
    path.write_bytes(pdf_writer.write(sample_document(), WriterOptions(templates=TEMPLATES)))
    return path


@pytest.fixture(scope="module")
def text(pdf_file: Path) -> str:
    return run(tool("pdftotext"), "-enc", "UTF-8", str(pdf_file), "-")


def test_registry_returns_this_writer() -> None:
    assert get_writer("pdf") is pdf_writer.write


def test_text_in_reading_order(text: str) -> None:
    expected = [
        "Gemeente Leusden",
        "Raadsvoorstel",
        "Onderwerp",
        "Uitgangspunten impuls sociale infrastructuur",
        "Datum raadsvergadering",
        "3 juni 2025",
        "1. Aanleiding",
        "1. De impuls sociale infrastructuur; en",
        "3. De wet van school",
        "Opgave ‘Impuls sociale infrastructuur’",
        "Dit is vet en schuin, met een link.",
        'Tweede regel met <tekens> & "aanhalingstekens".',
        "4. Deadline",
        "Nvt",
        "5. Voorstel",
        "1. De uitgangspunten vaststellen.",
        "6. Argumenten",
        "1.1 Er is draagvlak.",
        "Concreet gaat het om de regio.",
        "2.1 Het impulsbudget",
        "15. Financieel advies (kosten en dekking)",
        "[INVULLEN: bedrag].",
        "18. Global Goals",
        "■ Goal 01 Einde aan armoede",
        "☐ Goal 02 Einde aan honger",
        "■ Goal 08 Inclusieve economische groei",
        "20. Burgerparticipatie",
        "• RWA/Amfors.",
        "21. Bijlagen",
        "2. Inventarisatie.",
        "Met vriendelijke groet,",
        "Het college van burgemeester en wethouders van Leusden,",
        "R.B. van den Brink",
        "directeur-secretaris",
        "G.J. Bouwmeester",
        "burgemeester",
    ]
    position = 0
    for words in expected:
        found = text.find(words, position)
        assert found >= 0, f"{words!r} not found after position {position}"
        position = found + len(words)


def test_footer_and_running_header(pdf_file: Path, text: str) -> None:
    found = re.search(r"Pages:\s+(\d+)", run(tool("pdfinfo"), str(pdf_file)))
    assert found is not None
    pages = int(found[1])
    assert pages >= 2
    for number in range(1, pages + 1):
        page = run(tool("pdftotext"), "-f", str(number), "-l", str(number), str(pdf_file), "-")
        assert f"pagina {number} van {pages}" in page
        # Page 1 names municipality and subject once, in the title block; later pages in the header.
        assert page.count("Gemeente Leusden") == 1
        assert page.count("Uitgangspunten impuls sociale infrastructuur") == 1
        if number > 1:
            assert page.startswith("Gemeente Leusden\n\nUitgangspunten impuls sociale infrastructuur\n")


def test_qpdf_check_is_clean(pdf_file: Path) -> None:
    result = subprocess.run([tool("qpdf"), "--check", str(pdf_file)], capture_output=True, text=True)
    assert result.returncode == 0, result.stdout + result.stderr
    assert "No syntax or stream encoding errors found" in result.stdout
    assert "WARNING" not in result.stdout + result.stderr


def test_pdfinfo_tagged_title_a4(pdf_file: Path) -> None:
    info = run(tool("pdfinfo"), str(pdf_file))
    assert re.search(r"^Tagged:\s+yes$", info, re.M)
    title = "Raadsvoorstel Gemeente Leusden: Uitgangspunten impuls sociale infrastructuur"
    assert re.search(rf"^Title:\s+{title}$", info, re.M)
    assert re.search(r"^Author:\s+Gemeente Leusden$", info, re.M)
    assert re.search(r"^Page size:\s+595\.\d+ x 841\.\d+ pts \(A4\)$", info, re.M)


def test_every_font_is_embedded_and_body_font_is_liberation_sans(pdf_file: Path) -> None:
    rows = run(tool("pdffonts"), str(pdf_file)).splitlines()[2:]
    assert rows
    for row in rows:
        name, emb = row.split()[0], row.split()[-5]
        assert emb == "yes", f"font {name} is not embedded"
    assert any("Liberation-Sans" in row.split()[0] for row in rows)


def test_archival_metadata(pdf_file: Path) -> None:
    with pikepdf.open(pdf_file) as pdf:
        with pdf.open_metadata() as xmp:
            assert xmp["pdfaid:part"] == "2"
            assert xmp["pdfaid:conformance"] == "A"
            assert xmp["pdfuaid:part"] == "1"
            assert xmp["dc:title"] == "Raadsvoorstel Gemeente Leusden: Uitgangspunten impuls sociale infrastructuur"
            assert xmp["xmp:CreateDate"] == "2025-05-13"
        root = pdf.Root
        assert str(root.Lang) == "nl-NL"
        assert bool(root.ViewerPreferences.DisplayDocTitle) is True
        assert bool(root.MarkInfo.Marked) is True
        assert "/StructTreeRoot" in root
        assert str(root.OutputIntents[0].S) == "/GTS_PDFA1"
        assert "/EmbeddedFiles" not in root.get("/Names", {})
        info = pdf.docinfo
        assert str(info.Subject) == "Uitgangspunten impuls sociale infrastructuur"
        assert str(info.Keywords) == "raadsvoorstel, Leusden"
        assert str(info.CreationDate).startswith("D:20250513")
        assert str(info.ModDate).startswith("D:20250513")


def test_no_dates_when_the_document_has_none() -> None:
    data = pdf_writer.write(replace(sample_document(), date=None), WriterOptions(templates=TEMPLATES))
    with pikepdf.open(io.BytesIO(data)) as pdf:
        assert "/CreationDate" not in pdf.docinfo and "/ModDate" not in pdf.docinfo


def test_bookmarks_are_the_section_headings(pdf_file: Path) -> None:
    with pikepdf.open(pdf_file) as pdf, pdf.open_outline() as outline:
        titles = [item.title for item in outline.root]
        assert all(not item.children for item in outline.root)
    assert titles == [s.heading for s in sample_document().sections]


def test_https_link_is_a_live_link(pdf_file: Path) -> None:
    with pikepdf.open(pdf_file) as pdf:
        uris = [str(a.A.URI) for p in pdf.pages for a in p.get("/Annots", []) if "/A" in a]
    assert uris == ["https://www.leusden.nl/"]


def test_same_document_same_bytes_across_processes(pdf_file: Path) -> None:
    script = (
        "import hashlib, sys\n"
        "from generator.writers import WriterOptions\n"
        "from generator.writers.pdf import write\n"
        "from tests.ir_sample import sample_document\n"
        "sys.stdout.write(hashlib.sha256(write(sample_document(), WriterOptions())).hexdigest())\n"
    )
    digests = set()
    for seed in ("1", "2"):
        env = {**os.environ, "PYTHONHASHSEED": seed}
        env.pop("SOURCE_DATE_EPOCH", None)
        result = subprocess.run(
            [sys.executable, "-c", script],
            cwd=ROOT,
            env=env,
            capture_output=True,
            text=True,
            timeout=120,
            check=True,
        )
        digests.add(result.stdout.strip())
    digests.add(hashlib.sha256(pdf_file.read_bytes()).hexdigest())
    assert len(digests) == 1


def test_serializing_each_object_once_changes_no_byte(monkeypatch: pytest.MonkeyPatch) -> None:
    """The writer lets pydyf reuse each object's bytes for the /ID pass; the file must be exactly pydyf's own."""
    import pydyf

    with_cache = pdf_writer.write(sample_document(), WriterOptions(templates=TEMPLATES))
    serialized: list[int] = []
    real_data = pydyf.Stream.data

    def counting(self: pydyf.Stream) -> bytes:
        serialized.append(id(self))
        return real_data.fget(self)  # type: ignore[no-any-return]

    monkeypatch.setattr(pydyf.Stream, "data", property(counting))
    pdf_writer.write(sample_document(), WriterOptions(templates=TEMPLATES))
    once = len(serialized)
    monkeypatch.setattr(pdf_writer, "_serialize_once", lambda pdf: None)
    without_cache = pdf_writer.write(sample_document(), WriterOptions(templates=TEMPLATES))
    twice = len(serialized) - once
    assert with_cache == without_cache
    assert once < twice  # the second serialization of the streams really was saved


def test_file_identifier_is_stable_per_document_and_changes_with_content() -> None:
    def ids(doc) -> tuple[str, str]:  # type: ignore[no-untyped-def]
        with pikepdf.open(io.BytesIO(pdf_writer.write(doc, WriterOptions(templates=TEMPLATES)))) as pdf:
            return str(pdf.trailer.ID[0]), str(pdf.trailer.ID[1])

    first = ids(sample_document())
    changed = ids(replace(sample_document(), fields=(MetaField("Agendapunt", (Text("8"),)),)))
    assert first[0] == changed[0] and first[1] != changed[1]
    assert ids(sample_document("Soest", "soest"))[0] != first[0]


def test_house_colour_and_logo(tmp_path: Path) -> None:
    from PIL import Image

    templates = tmp_path / "templates"
    copy_templates(templates)
    Image.new("RGB", (40, 20), (0, 98, 111)).save(templates / "gemeenten" / "leusden" / "logo.png")
    doc = replace(sample_document(), house=HouseStyle(color="#00626F", logo="gemeenten/leusden/logo.png"))
    data = pdf_writer.write(doc, WriterOptions(templates=Templates((templates,))))
    with pikepdf.open(io.BytesIO(data)) as pdf:
        page = pdf.pages[0]
        images = [x for x in page.Resources.XObject.values() if x.get("/Subtype") == "/Image"]
        assert len(images) == 1
        content = page.Contents.read_bytes() if not isinstance(page.Contents, pikepdf.Array) else b""
    # #00626F as fill colour in the content stream: 0 0.384314 0.435294 (rounded by WeasyPrint)
    assert re.search(rb"0 0\.38\d* 0\.43\d* (rg|sc|scn)", content)


def test_a_logo_gives_the_same_bytes_wherever_the_templates_are(tmp_path: Path) -> None:
    """WeasyPrint names an image after the MD5 of its URL: with the logo's ``file:`` URL the checkout's path
    reached the PDF, and the same dossier built in another folder gave other bytes. The image is named by its
    content now; a different logo still gives a different name (so the test can fail)."""
    from PIL import Image

    def render(folder: Path, colour: tuple[int, int, int]) -> tuple[bytes, list[str]]:
        templates = folder / "templates"
        copy_templates(templates)
        Image.new("RGB", (40, 20), colour).save(templates / "gemeenten" / "leusden" / "logo.png")
        doc = replace(sample_document(), house=HouseStyle(logo="gemeenten/leusden/logo.png"))
        data = pdf_writer.write(doc, WriterOptions(templates=Templates((templates,))))
        with pikepdf.open(io.BytesIO(data)) as pdf:
            names = sorted(str(name) for name in pdf.pages[0].Resources.XObject.as_dict())
        return data, names

    here, here_names = render(tmp_path / "hier", (0, 98, 111))
    there, there_names = render(tmp_path / "elders" / "dieper", (0, 98, 111))
    _other, other_names = render(tmp_path / "ander", (200, 0, 0))
    assert here == there
    assert here_names == there_names and here_names != other_names


def test_render_failure_is_a_render_error() -> None:
    with pytest.raises(RenderError, match="huisstijlkleur"):
        pdf_writer.write(replace(sample_document(), house=HouseStyle(color="blue")), WriterOptions(templates=TEMPLATES))


# --- security ------------------------------------------------------------------------------------------


class _Canary(http.server.BaseHTTPRequestHandler):
    hits: ClassVar[list[str]] = []

    def _hit(self) -> None:
        type(self).hits.append(self.path)
        self.send_response(200)
        self.send_header("Content-Type", "text/css")
        self.end_headers()
        self.wfile.write(b"body { background: red }")

    do_GET = do_POST = do_HEAD = _hit

    def log_message(self, format: str, *args: object) -> None:
        return


@pytest.fixture()
def canary() -> Iterator[tuple[str, list[str]]]:
    """A loopback HTTP server that records every request; a test passes only if it records none."""
    hits: list[str] = []
    handler = type("Canary", (_Canary,), {"hits": hits})
    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), handler)
    server.timeout = 2
    thread = threading.Thread(target=server.serve_forever, kwargs={"poll_interval": 0.05}, daemon=True)
    thread.start()
    try:
        yield f"http://127.0.0.1:{server.server_address[1]}", hits
    finally:
        server.shutdown()
        server.server_close()
        thread.join(timeout=5)


@pytest.fixture()
def secret(tmp_path: Path) -> tuple[Path, str]:
    token = "GEHEIM-" + hashlib.sha256(str(tmp_path).encode()).hexdigest()[:16]
    path = tmp_path / "secret.txt"
    path.write_text(token, encoding="utf-8")
    return path, token


def hostile_document(base: str, secret_path: Path):  # type: ignore[no-untyped-def]
    """Every trick a data file could try, in text fields, links and names."""
    file_url = secret_path.as_uri()
    payloads = [
        f'<img src="{base}/img">',
        f'<link rel=stylesheet href="{base}/css">',
        f'<object data="{file_url}"></object>',
        f'<a rel="attachment" href="{file_url}">bijlage</a>',
        f'<link rel="attachment" href="{file_url}">',
        f'<style>@import url("{base}/import"); body {{ background: url("{file_url}") }}</style>',
        f'<iframe src="{base}/frame"></iframe><svg><image href="{base}/svg"/></svg>',
    ]
    links = Paragraph((Link("canary", f"{base}/link"), Text(" "), Link("geheim", file_url)))
    blocks = (*(Paragraph((Text(p),)) for p in payloads), links)
    doc = sample_document()
    return replace(
        doc,
        subject=payloads[0],
        fields=(MetaField(payloads[1], (Text(payloads[3]),)),),
        sections=(*doc.sections, Section(22, "extra", payloads[2], blocks)),
        signature=replace(doc.signature, signatories=(Signatory((Text(payloads[4]),), payloads[5]),)),
    )


def test_hostile_text_fetches_nothing_and_leaks_nothing(canary, secret, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    base, hits = canary
    secret_path, token = secret
    doc = hostile_document(base, secret_path)
    page = get_writer("html")(doc, WriterOptions(templates=TEMPLATES))
    data = pdf_writer.write(doc, WriterOptions(templates=TEMPLATES))
    assert hits == []
    assert isinstance(page, str) and token not in page
    assert f'href="{base}' not in page and "<img" not in page and "<object" not in page
    assert token.encode() not in data
    with pikepdf.open(io.BytesIO(data)) as pdf:
        assert "/EmbeddedFiles" not in pdf.Root.get("/Names", {})
        for obj in pdf.objects:
            if isinstance(obj, pikepdf.Stream):
                assert token.encode() not in obj.read_bytes()
            if isinstance(obj, pikepdf.Dictionary):
                assert obj.get("/Subtype") != "/FileAttachment" and obj.get("/Type") != "/Filespec"
        uris = [str(a.A.URI) for p in pdf.pages for a in p.get("/Annots", []) if "/A" in a]
    assert uris == ["https://www.leusden.nl/"]  # the http:// and file: links are plain text
    (tmp_path / "hostile.pdf").write_bytes(data)
    text = run(tool("pdftotext"), "-enc", "UTF-8", str(tmp_path / "hostile.pdf"), "-")
    assert token not in text
    assert f'<img src="{base}/img">' in text  # the payload is visible as the text it is


@pytest.mark.parametrize(
    "css",
    [
        '@import url("{base}/import.css");',
        'body {{ background: url("{base}/bg.png") }}',
        'body {{ background: url("{secret}") }}',
        'body {{ background: url("../../../secret.txt") }}',
    ],
)
def test_house_style_cannot_reach_outside_templates(canary, secret, tmp_path: Path, css: str) -> None:  # type: ignore[no-untyped-def]
    base, hits = canary
    secret_path, _token = secret
    templates = tmp_path / "templates"
    copy_templates(templates)
    (templates / "gemeenten" / "leusden" / "huisstijl.css").write_text(
        css.format(base=base, secret=secret_path.as_uri()), encoding="utf-8"
    )
    with pytest.raises(RenderError, match=r"geweigerd|buiten templates/"):
        pdf_writer.write(sample_document(), WriterOptions(templates=Templates((templates,))))
    assert hits == []


def test_svg_logo_cannot_fetch_either(canary, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    base, hits = canary
    templates = tmp_path / "templates"
    copy_templates(templates)
    (templates / "logo.svg").write_text(
        '<svg xmlns="http://www.w3.org/2000/svg" width="20" height="20">'
        f'<image href="{base}/svg.png" width="20" height="20"/></svg>',
        encoding="utf-8",
    )
    doc = replace(sample_document(), house=HouseStyle(logo="logo.svg"))
    with pytest.raises(RenderError, match="geweigerd"):
        pdf_writer.write(doc, WriterOptions(templates=Templates((templates,))))
    assert hits == []


def test_same_bytes_with_the_fonttools_fallback_at_another_time(monkeypatch: pytest.MonkeyPatch) -> None:
    """Without Debian's libharfbuzz-subset0 WeasyPrint subsets fonts with fontTools, which stamps each subset
    with the clock unless SOURCE_DATE_EPOCH is set; the writer sets it for the render. The clock is moved a day
    between two renders: the same bytes with the writer as it is, different bytes without its epoch (so the
    clock really reaches the file, and the test can fail)."""
    import contextlib
    import types

    import fontTools.misc.timeTools as time_tools
    import weasyprint.pdf.fonts as fonts

    monkeypatch.setattr(fonts, "harfbuzz_subset", None)  # as on a machine without libharfbuzz-subset0
    monkeypatch.delenv("SOURCE_DATE_EPOCH", raising=False)
    clock = [1_700_000_000.0]
    monkeypatch.setattr(time_tools, "time", types.SimpleNamespace(time=lambda: clock[0]))

    def render_at(moment: float) -> bytes:
        clock[0] = moment
        return pdf_writer.write(sample_document(), WriterOptions())

    later = render_at(1_700_086_400.0)
    assert render_at(1_700_000_000.0) == later
    monkeypatch.setattr(pdf_writer, "_font_epoch", contextlib.nullcontext)
    assert render_at(1_700_086_400.0) != later  # the same moment, without the epoch: the clock's stamp


def test_the_writer_leaves_the_process_environment_as_it_found_it(monkeypatch: pytest.MonkeyPatch) -> None:
    """SOURCE_DATE_EPOCH is set for the render only: a library call changes nothing process-wide."""
    monkeypatch.delenv("SOURCE_DATE_EPOCH", raising=False)
    from weasyprint import HTML

    seen: list[str | None] = []
    real = HTML.write_pdf

    def spy(self: object, *args: object, **kwargs: object) -> object:
        seen.append(os.environ.get("SOURCE_DATE_EPOCH"))
        return real(self, *args, **kwargs)

    monkeypatch.setattr(HTML, "write_pdf", spy)
    pdf_writer.write(sample_document(), WriterOptions(templates=TEMPLATES))
    assert seen == [pdf_writer.FONT_EPOCH]  # during the render
    assert "SOURCE_DATE_EPOCH" not in os.environ  # and gone again afterwards
    monkeypatch.setenv("SOURCE_DATE_EPOCH", "1234567890")
    pdf_writer.write(sample_document(), WriterOptions(templates=TEMPLATES))
    assert seen[-1] == "1234567890" and os.environ["SOURCE_DATE_EPOCH"] == "1234567890"  # the caller's value stays

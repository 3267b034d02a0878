"""``raadsvoorstel preview`` against a real server and a real browser (Debian's chromium through Playwright).

One server per module, started as the clerk starts it (a subprocess, ``--poort 0``) in a private copy of the
example project; the browser test walks the writing loop in order: load, save a new sentence, save an unknown
key (the problem shows with file:line, the last good text stays), repair it, switch municipality, fetch the PDF
and the DOCX. It saves the README's screenshot (``docs/voorbeeldweergave.png``) on the way.
"""

from __future__ import annotations

import http.client
import io
import os
import re
import shutil
import signal
import subprocess
import sys
import threading
import time
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from pathlib import Path
from urllib.parse import urlsplit

import pytest

from tests.conftest import DOSSIER, PROPOSALS, REQUIRE_ALL, ROOT

CHROMIUM = Path("/usr/bin/chromium")
CHROMIUM_ARGS = [
    "--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking", "--disable-component-update",
    "--disable-sync", "--no-first-run",
]  # fmt: skip
SCREENSHOT = ROOT / "docs" / "voorbeeldweergave.png"
NEW_SENTENCE = "De voorbeeldweergave volgt elke opgeslagen wijziging."


@dataclass
class Server:
    url: str
    project: Path
    process: subprocess.Popen[str]

    @property
    def dossier(self) -> Path:
        return self.project / "proposals" / DOSSIER

    @property
    def netloc(self) -> str:
        return urlsplit(self.url).netloc


def _start(project: Path, *args: str) -> Server:
    """Start the preview as the clerk does; returns once it printed its address."""
    process = subprocess.Popen(
        [sys.executable, "-m", "generator", "preview", f"proposals/{DOSSIER}", "--poort", "0", *args],
        cwd=project, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True,
        env={**os.environ, "PYTHONPATH": str(ROOT)},
    )  # fmt: skip
    assert process.stdout is not None
    line: list[str] = []
    reader = threading.Thread(target=lambda: line.append(process.stdout.readline()), daemon=True)  # type: ignore[union-attr]
    reader.start()
    reader.join(30)
    match = re.search(r"http://\S+/", line[0] if line else "")
    if match is None:
        process.kill()
        raise AssertionError(f"geen adres: {line!r} {process.stderr.read() if process.stderr else ''}")
    return Server(match.group(0), project, process)


def _stop(server: Server, timeout: float = 10) -> tuple[int, str]:
    """Ctrl-C, as in a terminal; (exit code, what it printed after the address)."""
    server.process.send_signal(signal.SIGINT)
    out, err = server.process.communicate(timeout=timeout)
    return server.process.returncode, out + err


def _copy_project(target: Path) -> Path:
    shutil.copytree(PROPOSALS, target / "proposals")
    shutil.copytree(ROOT / "templates", target / "templates")
    return target


def _snapshot(folder: Path) -> dict[str, bytes]:
    return {p.relative_to(folder).as_posix(): p.read_bytes() for p in sorted(folder.rglob("*")) if p.is_file()}


@pytest.fixture(scope="module")
def server(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Server]:
    running = _start(_copy_project(tmp_path_factory.mktemp("voorbeeld")))
    yield running
    if running.process.poll() is None:
        running.process.kill()
        running.process.wait()


def _raw_get(server: Server, path: str, host: str | None = None) -> tuple[int, bytes]:
    """A GET with the path exactly as given (no client-side clean-up of ``..``) and a chosen Host header."""
    parts = urlsplit(server.url)
    connection = http.client.HTTPConnection(parts.hostname or "", parts.port, timeout=10)
    connection.putrequest("GET", path, skip_host=True)
    connection.putheader("Host", server.netloc if host is None else host)
    connection.endheaders()
    response = connection.getresponse()
    body = response.read()
    connection.close()
    return response.status, body


def test_only_the_printed_address_and_only_what_it_renders(server: Server) -> None:
    status, body = _raw_get(server, "/")
    assert status == 200 and b"Voorbeeldweergave" in body
    for host in ("evil.example:80", f"evil.example:{urlsplit(server.url).port}", "localhost", ""):
        status, body = _raw_get(server, "/", host=host)
        assert status == 403, host
        assert b"Voorbeeldweergave" not in body
    status, body = _raw_get(server, "/staat?gemeente=leusden", host="rebind.example")
    assert status == 403 and b"Leusden" not in body
    for path in ("/../../etc/passwd", "/%2e%2e/%2e%2e/etc/passwd", "/download/voorstel/../../../etc/passwd",
                 "/download/voorstel/leusden.yaml", "/download/voorstel/onbekend.pdf", "/voorstel.yaml",
                 f"/proposals/{DOSSIER}/voorstel.yaml", "/staat?gemeente=../../etc/passwd"):  # fmt: skip
        status, body = _raw_get(server, path)
        assert status == 404, path
        assert b"root:" not in body and b"onderwerp:" not in body, path
        assert body == b"niet gevonden", path


def test_ctrl_c_stops_cleanly_with_a_page_listening(tmp_path: Path) -> None:
    running = _start(_copy_project(tmp_path), "--gemeente", "leusden")
    parts = urlsplit(running.url)
    stream = http.client.HTTPConnection(parts.hostname or "", parts.port, timeout=10)
    stream.request("GET", "/gebeurtenissen")
    response = stream.getresponse()
    assert response.status == 200
    assert response.readline() == b"retry: 1000\n"  # the event stream is open, as a browser keeps it
    started = time.monotonic()
    code, printed = _stop(running)
    assert code == 0, printed
    assert time.monotonic() - started < 5
    assert "voorbeeldweergave gestopt" in printed and "Traceback" not in printed
    stream.close()


def _browser() -> object:
    try:
        from playwright.sync_api import sync_playwright
    except ImportError:  # pragma: no cover - a dev dependency
        pytest.fail("playwright ontbreekt: pip install -e '.[dev]'")
    if not CHROMIUM.exists():
        if REQUIRE_ALL:
            pytest.fail("chromium ontbreekt: apt-get install chromium")
        pytest.skip("chromium ontbreekt: apt-get install chromium")
    return sync_playwright


def _poll(condition: Callable[[], bool], timeout: float = 5.0) -> None:
    """Wait for ``condition`` (Playwright's in-page polling of a function needs eval, which the page's CSP
    forbids; ``page.evaluate`` goes through the debugging protocol)."""
    deadline = time.monotonic() + timeout
    while not condition():
        assert time.monotonic() < deadline, "wachten duurde te lang"
        time.sleep(0.02)


def _save(path: Path, text: str) -> None:
    """Save as an editor does: a new file renamed over the old one."""
    temporary = path.with_name(f".{path.name}.tmp")
    temporary.write_text(text, encoding="utf-8")
    temporary.replace(path)


def test_the_page_follows_every_save(server: Server) -> None:
    sync_playwright = _browser()
    from playwright.sync_api import expect

    voorstel = server.dossier / "voorstel.yaml"
    original = voorstel.read_text(encoding="utf-8")
    before = _snapshot(server.project)
    with sync_playwright() as p:  # type: ignore[operator]
        browser = p.chromium.launch(executable_path=str(CHROMIUM), args=CHROMIUM_ARGS)
        page = browser.new_page(viewport={"width": 1280, "height": 900})
        page.goto(server.url)
        document = page.frame_locator("#document")
        expect(document.locator("section:has(> #sectie-aanleiding)")).to_contain_text("Onze gemeente staat voor")
        expect(document.locator("p.gemeente")).to_have_text("Gemeente Amersfoort")

        # 1. A new sentence appears after a save, without a reload.
        edited = original.replace("  Onze gemeente staat", f"  {NEW_SENTENCE} Onze gemeente staat", 1)
        assert edited != original
        _save(voorstel, edited)
        expect(document.locator("section:has(> #sectie-aanleiding)")).to_contain_text(NEW_SENTENCE)
        expect(page.locator("#verouderd")).to_be_hidden()

        # A placeholder (INVULLEN) is listed with file:line; its link jumps to its place in the document.
        link = page.locator('#lijst li.invullen a[data-doel="#sectie-financieel_advies"]').first
        expect(link).to_contain_text(f"proposals/{DOSSIER}/gemeenten/amersfoort.yaml:")
        assert page.evaluate("document.getElementById('document').contentWindow.scrollY") == 0
        link.click()
        _poll(lambda: page.evaluate("document.getElementById('document').contentWindow.scrollY") > 0)
        expect(document.locator("section:has(> #sectie-financieel_advies) mark").first).to_be_in_viewport()

        # 2. An unknown key: the problem with file:line, the last good text stays, with the notice above it.
        broken = edited + "onbekend_veld: ja\n"
        line = broken.count("\n")
        _save(voorstel, broken)
        problem = page.locator("#lijst li.fout")
        expect(problem).to_contain_text(f"proposals/{DOSSIER}/voorstel.yaml:{line}")
        expect(problem).to_contain_text("onbekend veld 'onbekend_veld'")
        expect(page.locator("#verouderd")).to_be_visible()
        expect(document.locator("section:has(> #sectie-aanleiding)")).to_contain_text(NEW_SENTENCE)

        page.evaluate("document.getElementById('document').contentWindow.scrollTo(0, 0)")
        page.screenshot(path=str(SCREENSHOT))

        # 3. Repaired: the notice goes, the error goes.
        _save(voorstel, edited)
        expect(page.locator("#verouderd")).to_be_hidden()
        expect(page.locator("#lijst li.fout")).to_have_count(0)

        # 4. Another municipality: its own amount.
        expect(document.locator("body")).not_to_contain_text("54.400")
        page.select_option("#gemeente", "leusden")
        expect(document.locator("p.gemeente")).to_have_text("Gemeente Leusden")
        expect(document.locator("section:has(> #sectie-financieel_advies)")).to_contain_text(re.compile(r"€\s54\.400"))
        expect(page.locator("#lijst li.fout")).to_have_count(0)  # only what its raadsbesluit still lacks

        # 5. PDF and DOCX from the same state.
        pdf_href = page.get_attribute("#pdf", "href")
        docx_href = page.get_attribute("#docx", "href")
        assert pdf_href == "/download/voorstel/leusden.pdf" and docx_href == "/download/voorstel/leusden.docx"
        pdf = page.request.get(server.url.rstrip("/") + pdf_href)
        assert pdf.ok and pdf.headers["content-type"] == "application/pdf"
        docx = page.request.get(server.url.rstrip("/") + docx_href)
        assert docx.ok
        pdf_bytes, docx_bytes = pdf.body(), docx.body()
        browser.close()

    text = subprocess.run(["pdftotext", "-", "-"], input=pdf_bytes, capture_output=True, check=True).stdout.decode()
    flat = " ".join(text.split())
    assert NEW_SENTENCE in flat
    assert "Gemeente Leusden" in flat and re.search(r"€\s54\.400", flat)

    import docx as python_docx

    paragraphs = " ".join(p.text for p in python_docx.Document(io.BytesIO(docx_bytes)).paragraphs)
    assert NEW_SENTENCE in paragraphs

    # Nothing was written into the project: the same files, and only voorstel.yaml as the test saved it.
    after = _snapshot(server.project)
    assert after.keys() == before.keys()
    changed = {name for name in after if after[name] != before[name]}
    assert changed == {f"proposals/{DOSSIER}/voorstel.yaml"}
    assert after[f"proposals/{DOSSIER}/voorstel.yaml"] == edited.encode("utf-8")


def test_a_template_save_shows_too(server: Server) -> None:
    """Templates are inputs: a project template's change reaches the page without restarting."""
    import json

    css = server.project / "templates" / "gemeenten" / "leusden" / "huisstijl.css"
    status, body = _raw_get(server, "/staat?gemeente=leusden")
    assert status == 200 and "voorbeeldweergave-test" not in json.loads(body)["html"]
    _save(css, css.read_text(encoding="utf-8") + "\n/* voorbeeldweergave-test */\n")
    deadline = time.monotonic() + 5
    while time.monotonic() < deadline:
        html = json.loads(_raw_get(server, "/staat?gemeente=leusden")[1])["html"]
        if "voorbeeldweergave-test" in html:
            break
        time.sleep(0.05)
    else:
        raise AssertionError("de sjabloonwijziging kwam niet door")


# --- The parts under the server, without a browser --------------------------------------------------------------


def test_an_invalid_save_keeps_the_last_good_document(dossier: Path) -> None:
    from generator import api
    from generator.preview.state import Preview

    preview = Preview(dossier, api.templates_for(dossier))
    good = preview.view("voorstel", "amersfoort")
    assert good.html is not None and not good.stale and "Gemeente Amersfoort" in good.html
    own = [p for p in good.problems if "voorstel.yaml:" not in p.place]  # the shared text's B1 warnings aside
    assert own and all("/amersfoort.yaml:" in p.place or "gemeenten.yaml:" in p.place for p in own)
    plain = [p for p in good.problems if p.field == "aanleiding"]  # B1 warnings: listed, not blocking
    assert plain and all(p.kind == "waarschuwing" and p.target == "#sectie-aanleiding" for p in plain)
    assert any("ambtelijk woord" in p.message or "lange zin" in p.message for p in plain)
    targets = {p.field: p.target for p in good.problems}
    assert targets["gemeenten.amersfoort.burgemeester.naam"] == "footer.ondertekening"
    assert targets["waarden.bedrag_overgeheveld"] == "#sectie-financieel_advies"

    # Another municipality's unreadable overlay is left out (and counted): this document still renders.
    baarn = dossier / "gemeenten" / "baarn.yaml"
    baarn.write_text(baarn.read_text(encoding="utf-8") + "kapot: [niet gesloten\n", encoding="utf-8")
    preview.changed(templates=False)
    other = preview.view("voorstel", "amersfoort")
    assert other.hidden == 1 and not other.stale and other.generation == 1
    assert all("baarn" not in p.place for p in other.problems)
    assert preview.view("voorstel", "baarn").stale is False  # never good: nothing to keep
    assert preview.view("voorstel", "baarn").html is None
    assert any("baarn.yaml" in p.place and p.kind == "fout" for p in preview.view("voorstel", "baarn").problems)

    # the besluit of the same state: shown beside the voorstel, its beslispunten the voorstel's § 5
    besluit = preview.view("besluit", "amersfoort")
    assert besluit.html is not None and "Ontwerpbesluit" in besluit.html and "besluit:" in besluit.html
    name, data = preview.download("besluit", "amersfoort", "pdf")
    assert name == f"raadsbesluit-{DOSSIER}-amersfoort.pdf" and data.startswith(b"%PDF")

    voorstel = dossier / "voorstel.yaml"
    voorstel.write_text(voorstel.read_text(encoding="utf-8") + "onbekend_veld: ja\n", encoding="utf-8")
    preview.changed(templates=False)
    bad = preview.view("voorstel", "amersfoort")
    assert bad.stale and bad.html == good.html
    assert [p.kind for p in bad.problems] == ["fout"] and "onbekend_veld" in bad.problems[0].message
    name, data = preview.download("voorstel", "amersfoort", "docx")  # the buttons serve the last good state
    assert name == f"raadsvoorstel-{DOSSIER}-amersfoort.docx" and data.startswith(b"PK")


    # A broken template is a problem like any other; the last good document stays. Repaired, it renders again.
    voorstel.write_text(voorstel.read_text(encoding="utf-8").replace("onbekend_veld: ja\n", ""), encoding="utf-8")
    page = dossier.parent.parent / "templates" / "html" / "page.html"
    page.parent.mkdir(parents=True)
    page.write_text("{% if %}kapot", encoding="utf-8")
    preview.changed(templates=True)
    broken = preview.view("voorstel", "amersfoort")
    assert broken.stale and broken.html == good.html
    assert [p.place for p in broken.problems if p.kind == "fout"] == ["sjablonen"]
    page.write_text("<p>eigen sjabloon {{ doc.municipality }}</p>", encoding="utf-8")
    preview.changed(templates=True)
    assert preview.view("voorstel", "amersfoort").html == "<p>eigen sjabloon Amersfoort</p>"


def test_which_saves_are_inputs(tmp_path: Path) -> None:
    from generator.preview.watch import Inputs

    proposals, templates = tmp_path / "proposals", tmp_path / "templates"
    inputs = Inputs(proposals / DOSSIER, (templates, tmp_path / "pakket"))
    assert inputs.classify([str(proposals / DOSSIER / "voorstel.yaml")]) == (True, False)
    assert inputs.classify([str(proposals / DOSSIER / "gemeenten" / "leusden.yaml")]) == (True, False)
    assert inputs.classify([str(proposals / "gemeenten.yaml")]) == (True, False)
    assert inputs.classify([str(templates / "gemeenten" / "leusden" / "huisstijl.css")]) == (True, True)
    assert inputs.classify([str(proposals / "ander-dossier" / "voorstel.yaml"), str(proposals / "notities.txt")]) == (
        False, False,
    )  # fmt: skip


def test_wrong_municipality_or_busy_port_is_a_usage_error(proposals: Path) -> None:
    import socket

    from click.testing import CliRunner

    from generator.cli import main

    runner = CliRunner()
    result = runner.invoke(main, ["preview", str(proposals / DOSSIER), "--gemeente", "utrecht"])
    assert result.exit_code == 2
    assert "gemeente 'utrecht' doet niet mee" in result.output and "leusden" in result.output
    with socket.socket() as busy:
        busy.bind(("127.0.0.1", 0))
        busy.listen()
        port = busy.getsockname()[1]
        result = runner.invoke(main, ["preview", str(proposals / DOSSIER), "--poort", str(port)])
    assert result.exit_code == 2 and f"kan niet luisteren op 127.0.0.1:{port}" in result.output
    assert f"poort {port} is al in gebruik" in result.output and "--poort 0" in result.output  # Dutch, with advice
    assert "Address already in use" not in result.output
    result = runner.invoke(main, ["preview", str(proposals / DOSSIER), "--host", "192.0.2.1", "--poort", "0"])
    assert result.exit_code == 2, result.output  # TEST-NET-1: an address no machine here has
    assert "kan niet luisteren op 192.0.2.1:0: dit adres hoort niet bij dit apparaat" in result.output
    assert "Cannot assign requested address" not in result.output
    result = runner.invoke(main, ["preview", str(proposals / DOSSIER), "--host", "0.0.0.0"])
    assert result.exit_code == 2 and "geen adres om te openen" in result.output


# --- Issue 25: every problem on the page, downloads once per version, no starving flood -------------------------


def test_a_broken_or_oversized_file_shows_its_place_on_the_page(tmp_path: Path) -> None:
    """A YAML syntax error, a file over 1 MB and bytes that are no UTF-8 in voorstel.yaml: each shows its
    file:line message in the list, the last good document stays, marked as outdated (the old page said
    "kon de weergave niet ophalen (404)", as voorstel.yaml no longer named the municipality)."""
    sync_playwright = _browser()
    from playwright.sync_api import expect

    running = _start(_copy_project(tmp_path))
    try:
        voorstel = running.dossier / "voorstel.yaml"
        original = voorstel.read_text(encoding="utf-8")
        broken = original.replace("gemeenten: [amersfoort", "gemeenten: [[amersfoort", 1)
        opened = next(n for n, x in enumerate(broken.split("\n"), start=1) if x.startswith("gemeenten: [["))
        line = opened + 2  # the parser notices the unclosed bracket two lines on
        with sync_playwright() as p:  # type: ignore[operator]
            browser = p.chromium.launch(executable_path=str(CHROMIUM), args=CHROMIUM_ARGS)
            page = browser.new_page()
            page.goto(running.url)
            document = page.frame_locator("#document")
            expect(document.locator("p.gemeente")).to_have_text("Gemeente Amersfoort")
            for text, place, message in (
                (broken, f"voorstel.yaml:{line}", "ongeldige YAML"),
                (original + "#" * 1_100_000 + "\n", "voorstel.yaml", "groter dan 1 MB"),
            ):
                _save(voorstel, text)
                problem = page.locator("#lijst li.fout")
                expect(problem).to_contain_text(f"proposals/{DOSSIER}/{place}")
                expect(problem).to_contain_text(message)
                expect(page.locator("#verouderd")).to_be_visible()
                expect(document.locator("p.gemeente")).to_have_text("Gemeente Amersfoort")
                expect(page.locator("#status")).not_to_contain_text("kon de weergave niet ophalen")
            voorstel.write_bytes(original.encode("utf-8") + b"\nx: \xff\n")
            expect(page.locator("#lijst li.fout")).to_contain_text("geen geldige UTF-8")
            _save(voorstel, original)
            expect(page.locator("#lijst li.fout")).to_have_count(0)
            expect(page.locator("#verouderd")).to_be_hidden()
            browser.close()
    finally:
        _stop(running)


def test_downloads_are_rendered_once_per_version(dossier: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    from generator import api
    from generator.preview import state
    from generator.preview.state import Preview

    calls: list[str] = []
    render = state.render  # type: ignore[attr-defined]  # the name the preview renders with

    def counted(document: object, fmt: str, templates: object = None) -> str | bytes:
        calls.append(fmt)
        return render(document, fmt, templates)  # type: ignore[arg-type]

    monkeypatch.setattr(state, "render", counted)
    preview = Preview(dossier, api.templates_for(dossier))
    first = preview.download("voorstel", "leusden", "docx")
    again = preview.download("voorstel", "leusden", "docx")
    assert again == first and calls == ["html", "docx"]  # the page's view, then the DOCX once
    voorstel = dossier / "voorstel.yaml"
    preview.changed(templates=False)  # a save that changes nothing: a new version, rendered anew
    assert preview.download("voorstel", "leusden", "docx")[1] == first[1]
    assert calls == ["html", "docx", "html", "docx"]
    voorstel.write_text(voorstel.read_text(encoding="utf-8") + "onbekend: ja\n", encoding="utf-8")
    preview.changed(templates=False)  # invalid: the last good document's file is served again, not rendered
    assert preview.download("voorstel", "leusden", "docx")[1] == first[1]
    assert calls == ["html", "docx", "html", "docx"]


def test_the_gate_admits_a_bounded_number() -> None:
    from generator.preview.app import Gate

    gate = Gate(2)
    with gate.enter() as one, gate.enter() as two, gate.enter() as three:
        assert (one, two, three) == (True, True, False)
        assert gate.inside == 2
    assert gate.inside == 0
    with gate.enter() as again:
        assert again


def test_a_flood_of_requests_gets_bezig_and_the_page_still_answers(tmp_path: Path) -> None:
    """Forty PDF requests at once (each a render of seconds without the queue): the server admits a few and
    answers the rest "bezig" at once; every request gets an answer, and the page and its view still load."""
    from concurrent.futures import ThreadPoolExecutor

    from generator.preview.app import BUSY

    running = _start(_copy_project(tmp_path))
    try:
        gemeenten = ["amersfoort", "baarn", "bunschoten", "leusden", "nijkerk", "soest", "woudenberg"]
        start = threading.Barrier(40)

        def ask(number: int) -> tuple[int, bytes]:
            start.wait()
            return _raw_get(running, f"/download/voorstel/{gemeenten[number % len(gemeenten)]}.pdf")

        with ThreadPoolExecutor(max_workers=44) as pool:
            flood = [pool.submit(ask, n) for n in range(40)]
            page = pool.submit(_raw_get, running, "/")
            answers = [f.result(timeout=300) for f in flood]
            assert page.result(timeout=60)[0] == 200
        statuses = [status for status, _ in answers]
        assert set(statuses) <= {200, 503}, statuses
        assert statuses.count(503) >= 30, statuses  # at most MAX_DOWNLOADS at a time could be admitted
        assert all(body.decode("utf-8") == BUSY for status, body in answers if status == 503)
        assert all(body.startswith(b"%PDF") for status, body in answers if status == 200)
        status, body = _raw_get(running, "/staat?gemeente=leusden")
        assert status == 200 and b"Gemeente Leusden" in body
    finally:
        _stop(running)

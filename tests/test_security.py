"""Untrusted proposal text never makes us fetch anything or leak a local file (end to end, through YAML).

A loopback canary server counts requests; a secret file holds a token that must appear in no output.
"""

from __future__ import annotations

import http.server
import threading
from collections.abc import Iterator
from pathlib import Path
from typing import ClassVar

import pytest

from tests.conftest import DOSSIER, Invoke

TOKEN = "GEHEIM-7f3a9c-NIET-LEKKEN"


class Canary(http.server.BaseHTTPRequestHandler):
    hits: ClassVar[list[str]] = []

    def do_GET(self) -> None:
        Canary.hits.append(self.path)
        self.send_response(200)
        self.send_header("Content-Type", "text/plain")
        self.end_headers()
        self.wfile.write(TOKEN.encode())

    def log_message(self, *_: object) -> None:
        pass


@pytest.fixture
def canary() -> Iterator[str]:
    Canary.hits = []
    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), Canary)
    thread = threading.Thread(target=server.serve_forever, kwargs={"poll_interval": 0.05}, daemon=True)
    thread.start()
    try:
        yield f"http://127.0.0.1:{server.server_address[1]}"
    finally:
        server.shutdown()
        server.server_close()


@pytest.fixture
def secret(tmp_path: Path) -> Path:
    path = tmp_path / "geheim.txt"
    path.write_text(TOKEN, encoding="utf-8")
    return path


def add_text(dossier: Path, text: str) -> None:
    voorstel = dossier / "voorstel.yaml"
    indented = "\n".join("  " + line for line in text.splitlines())
    source = voorstel.read_text(encoding="utf-8").replace("deadline: nvt\n", f"deadline: |\n{indented}\n")
    voorstel.write_text(source, encoding="utf-8")


def all_output_bytes(out: Path) -> bytes:
    return b"".join(p.read_bytes() for p in sorted(out.rglob("*")) if p.is_file())


def test_raw_html_references_stay_text(dossier: Path, tmp_path: Path, canary: str, secret: Path, cli: Invoke) -> None:
    add_text(
        dossier,
        f'<img src="{canary}/img.png"> <link rel="stylesheet" href="{canary}/s.css">\n'
        f'<a rel="attachment" href="file://{secret}">bijlage</a> <object data="file://{secret}"></object>\n'
        f'<iframe src="{canary}/frame"></iframe> <style>@import url("{canary}/i.css");</style>\n'
        f'<svg><image href="file://{secret}"/></svg>',
    )
    out = tmp_path / "out"
    result = cli("build", dossier, "-g", "leusden", "-f", "pdf", "-f", "docx", "-f", "html", "--out", out)
    assert result.exit_code == 0, result.output
    assert Canary.hits == []
    data = all_output_bytes(out)
    assert TOKEN.encode() not in data
    html = (out / DOSSIER / "leusden" / f"raadsvoorstel-{DOSSIER}-leusden.html").read_text(encoding="utf-8")
    assert "&lt;img src=" in html and "<img src=" not in html.replace('<img src="data:', "")
    import pikepdf

    with pikepdf.open(out / DOSSIER / "leusden" / f"raadsvoorstel-{DOSSIER}-leusden.pdf") as pdf:
        assert "/EmbeddedFiles" not in pdf.Root.get("/Names", {})
        for page in pdf.pages:
            for annot in page.get("/Annots", []):
                assert annot.get("/Subtype") != "/FileAttachment"


@pytest.mark.parametrize(
    "markdown",
    [
        "[klik]({canary}/link)",
        "<{canary}/autolink>",
        "![foto]({canary}/foto.png)",
        "![foto](https://example.org/foto.png)",
        "[geheim](file://{secret})",
    ],
)
def test_markdown_references_are_refused_before_any_fetch(
    markdown: str, dossier: Path, tmp_path: Path, canary: str, secret: Path, cli: Invoke
) -> None:
    add_text(dossier, "Zie " + markdown.format(canary=canary, secret=secret))
    out = tmp_path / "out"
    result = cli("build", dossier, "-g", "leusden", "-f", "pdf", "-f", "html", "--out", out)
    if "file://" in markdown:
        # markdown-it does not even make a link of a file: URL; it stays literal text.
        assert result.exit_code == 0, result.output
    else:
        assert result.exit_code == 1, result.output
        assert "voorstel.yaml:" in result.output and "veld 'deadline'" in result.output
        assert not out.exists() or not any(out.rglob("*.pdf"))
    assert Canary.hits == []
    if out.exists():
        assert TOKEN.encode() not in all_output_bytes(out)


def test_logo_path_must_be_a_plain_file_name(proposals: Path, cli: Invoke) -> None:
    registry = proposals / "gemeenten.yaml"
    text = registry.read_text(encoding="utf-8").replace(
        'huisstijl: {kleur: "#00626F"}', 'huisstijl: {kleur: "#00626F", logo: ../../../../etc/passwd}'
    )
    registry.write_text(text, encoding="utf-8")
    result = cli("validate", proposals / DOSSIER)
    assert result.exit_code == 1
    assert "gemeenten.yaml:" in result.output and "huisstijl.logo" in result.output

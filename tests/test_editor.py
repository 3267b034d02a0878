"""``raadsvoorstel edit`` without a browser: the parts under the page, and the safety of its write requests.

The write requests are sent as a hostile page would send them (another Origin, no token, a path outside the
dossier, a bad upload), against a real server in a copy of the example project; nothing may change on disk.
"""

from __future__ import annotations

import json
from collections.abc import Iterator
from pathlib import Path
from urllib.parse import quote

import pytest

from tests.conftest import DOSSIER
from tests.editor_server import Editor, copy_project, start


def _snapshot(folder: Path) -> dict[str, bytes]:
    return {p.relative_to(folder).as_posix(): p.read_bytes() for p in sorted(folder.rglob("*")) if p.is_file()}


# --- local text: the label goes where the cursor is ---------------------------------------------------------------


def test_a_paragraph_gets_a_label_on_its_last_line() -> None:
    from generator.preview.editor.local import entry, label_at

    text = "Eerste alinea\nloopt door.\n\nTweede alinea.\n\n- punt een\n- punt twee\n\n| a | b |\n|---|---|\n| 1 | 2 |"
    labelled, label = label_at(text, 3)  # in the first paragraph's first line
    assert label == "eerste-alinea-loopt"
    assert labelled.split("\n")[:2] == ["Eerste alinea", "loopt door. [#eerste-alinea-loopt]"]
    again, same = label_at(labelled, 3)  # a label already there is reused, the text stays
    assert (again, same) == (labelled, label)
    item, item_label = label_at(text, text.index("punt twee"))  # a list item: its own line
    assert "- punt twee [#punt-twee]" in item and "- punt een\n" in item and item_label == "punt-twee"
    row, row_label = label_at(text, text.index("| 1 |") + 1)
    assert row.endswith("| 1 | 2 | [#1-2]") and row_label == "1-2"
    with pytest.raises(Exception, match="zet de cursor"):
        label_at(text, text.index("\n\nTweede") + 1)  # on an empty line: no place
    assert entry("aanvullen", "x", "Lokaal.") == {"na": "x", "tekst": "Lokaal."}
    assert entry("weglaten", "x", "genegeerd") == {"verwijder": "x"}
    assert entry("vervangen", "x", "Anders.") == {"in_plaats_van": "x", "tekst": "Anders."}


def test_a_second_label_of_the_same_words_is_numbered() -> None:
    from generator.preview.editor.local import label_at

    text = "Zelfde woorden hier. [#zelfde-woorden-hier]\n\nZelfde woorden hier."
    labelled, label = label_at(text, len(text) - 2)
    assert label == "zelfde-woorden-hier-2" and labelled.endswith("hier. [#zelfde-woorden-hier-2]")


# --- saving: requests → edits ---------------------------------------------------------------------------------


def test_save_requests_become_minimal_edits() -> None:
    from generator.editing import Delete, Insert, Move, Set
    from generator.preview.editor.saving import edits_for

    current = {"beslispunten": ["a", "b"], "argumenten": "nvt"}
    edits = edits_for("voorstel.yaml", [
        {"soort": "zet", "naam": "aanleiding", "waarde": "Tekst\r\nmet regels"},
        {"soort": "zet", "naam": "deadline", "waarde": "  "},
        {"soort": "voeg_in", "naam": "beslispunten", "index": 2, "waarde": "c"},
        {"soort": "voeg_in", "naam": "argumenten", "waarde": {"beslispunt": 1, "kop": "k", "tekst": "t"}},
        {"soort": "verplaats", "naam": "beslispunten", "van": 0, "naar": 1},
        {"soort": "wis", "naam": "beslispunten.1"},
    ], current)  # fmt: skip
    assert isinstance(edits[0], Set) and edits[0].path == ("aanleiding",) and edits[0].value == "Tekst\nmet regels"
    assert edits[1] == Delete(("deadline",))  # an emptied field leaves the file, never as ''
    assert edits[2] == Insert(("beslispunten",), 2, "c")
    assert isinstance(edits[3], Set) and edits[3].value == [{"beslispunt": 1, "kop": "k", "tekst": "t"}]  # was nvt
    assert edits[4] == Move(("beslispunten",), 0, 1)
    assert edits[5] == Delete(("beslispunten", 1))
    local = {"lokaal": {"risicos": [{"na": "x", "tekst": "t"}], "vervolg": [{"verwijder": "y"}, {"verwijder": "z"}]}}
    assert edits_for("gemeenten/a.yaml", [{"soort": "wis", "naam": "lokaal.vervolg.0"}], local) == [
        Delete(("lokaal", "vervolg", 0))
    ]
    assert edits_for("gemeenten/a.yaml", [{"soort": "wis", "naam": "lokaal.risicos.0"}], local) == [
        Delete(("lokaal", "risicos"))
    ]
    only = {"lokaal": {"risicos": [{"na": "x", "tekst": "t"}]}}
    assert edits_for("gemeenten/a.yaml", [{"soort": "wis", "naam": "lokaal.risicos.0"}], only) == [Delete(("lokaal",))]
    registry = edits_for("../gemeenten.yaml", [
        {"soort": "zet", "naam": "gemeenten.soest.voorzitter.naam", "waarde": "R. Voorzitter"},
    ], {"gemeenten": {"soest": {"naam": "Soest"}}})  # fmt: skip
    assert [e.path for e in registry] == [  # a new official gets its title too
        ("gemeenten", "soest", "voorzitter", "naam"), ("gemeenten", "soest", "voorzitter", "titel"),
    ]  # fmt: skip


@pytest.mark.parametrize("name", ["", "..", "a..b", "../x", "a/b", "0", "Aanleiding", "a.b.c.d.e.f.g", "x" * 70])
def test_only_key_paths_are_names(name: str) -> None:
    from generator.errors import UsageError
    from generator.preview.editor.files import parse_name

    with pytest.raises(UsageError, match="geen veld"):
        parse_name(name)


def test_a_request_names_only_the_dossiers_files(dossier: Path) -> None:
    from generator.errors import UsageError
    from generator.preview.editor.files import DossierFiles

    files = DossierFiles(dossier.resolve())
    assert files.path("voorstel.yaml") == dossier.resolve() / "voorstel.yaml"
    assert files.path("gemeenten/leusden.yaml") == dossier.resolve() / "gemeenten" / "leusden.yaml"
    assert files.path("../gemeenten.yaml") == dossier.resolve().parent / "gemeenten.yaml"
    for bad in ("../../etc/passwd", "gemeenten/../voorstel.yaml", "/etc/passwd", "gemeenten/Leusden.yaml",
                "gemeenten/x.yml", "bijlagen/x.pdf", "../ander/voorstel.yaml", "gemeenten/a/b.yaml"):  # fmt: skip
        with pytest.raises(UsageError):
            files.path(bad)
    (dossier / "gemeenten" / "buiten.yaml").symlink_to("/etc/hostname")
    with pytest.raises(UsageError, match="buiten het dossier"):
        files.path("gemeenten/buiten.yaml")


# --- the write requests against a real server ---------------------------------------------------------------------


@pytest.fixture(scope="module")
def editor(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Editor]:
    running = start(copy_project(tmp_path_factory.mktemp("editor")), f"proposals/{DOSSIER}", "--gemeente", "leusden")
    yield running
    running.kill()


def _save_body(name: str = "onderwerp", value: str = "Gekaapt") -> bytes:
    change = {"soort": "zet", "naam": name, "waarde": value}
    return json.dumps({"bestand": "voorstel.yaml", "wijzigingen": [change]}).encode()


def test_writes_need_the_token_and_the_pages_origin(editor: Editor) -> None:
    before = _snapshot(editor.project)
    token, version = editor.token(), editor.versions()["voorstel.yaml"]
    own = f"http://{editor.netloc}"
    json_type = {"Content-Type": "application/json", "If-Match": version}
    refused = [
        {**json_type, "Origin": "http://evil.example", "X-CSRF-Token": token},  # another site, even with the token
        {**json_type, "Origin": own},  # no token
        {**json_type, "Origin": own, "X-CSRF-Token": token[:-1] + "x"},  # a wrong token
        {**json_type, "X-CSRF-Token": token},  # no Origin at all
        {**json_type, "Origin": "null", "X-CSRF-Token": token},
    ]
    for headers in refused:
        status, body = editor.request("POST", "/bewerken/opslaan", _save_body(), headers)
        assert status == 403, headers
        assert body.decode().startswith("geweigerd:")
        status, _ = editor.request("POST", "/bewerken/bijlage?naam=x.pdf", b"%PDF-1.7 x", headers)
        assert status == 403
        status, _ = editor.request("POST", "/bewerken/lokaal", b"{}", headers)
        assert status == 403
    assert _snapshot(editor.project) == before

    # the same request with both: saved (so the refusals above were about the token and the origin only)
    status, body = editor.request("POST", "/bewerken/opslaan", _save_body("zaaknummer", "Z-1"),
                                  {**json_type, "Origin": own, "X-CSRF-Token": token})  # fmt: skip
    assert status == 200, body
    text = (editor.project / "proposals" / DOSSIER / "voorstel.yaml").read_text(encoding="utf-8")
    assert "\nzaaknummer: Z-1\n" in text
    assert json.loads(body)["versie"] == editor.versions()["voorstel.yaml"]


def test_no_request_reaches_outside_the_dossier(editor: Editor) -> None:
    before = _snapshot(editor.project)
    token = editor.token()
    headers = {"Content-Type": "application/json", "Origin": f"http://{editor.netloc}", "X-CSRF-Token": token}
    for bestand in ("../../etc/passwd", "../gemeenten.yaml/../x.yaml", "gemeenten/../../x.yaml", "x.yaml"):
        body = json.dumps({"bestand": bestand, "wijzigingen": [{"soort": "zet", "naam": "a", "waarde": "b"}]})
        status, answer = editor.request("POST", "/bewerken/opslaan", body.encode(), {**headers, "If-Match": "afwezig"})
        assert status == 422 and "geen bestand van dit dossier" in json.loads(answer)["fout"], bestand
    for name in ("../x.pdf", ".verborgen.pdf", "script.sh", "a b.pdf", "x.pdf.exe", "x.html"):
        status, answer = editor.request("POST", f"/bewerken/bijlage?naam={quote(name)}", b"%PDF-1.7", headers)
        assert status == 400 and b"geen geschikte bestandsnaam" in answer, name
    status, answer = editor.request("POST", "/bewerken/bijlage?naam=nep.pdf", b"#!/bin/sh\nrm -rf /", headers)
    assert status == 422 and "geen PDF-bestand" in json.loads(answer)["fout"]
    too_big = {**headers, "Content-Length": str(30 * 1024 * 1024)}
    status, _ = editor.request("POST", "/bewerken/bijlage?naam=groot.pdf", None, too_big)  # refused unread
    assert status == 413
    assert _snapshot(editor.project) == before
    status, answer = editor.request("POST", "/bewerken/bijlage?naam=raadsinformatie.pdf", b"%PDF-1.7\n%%EOF\n", headers)
    assert status == 200 and json.loads(answer) == {"bestand": "raadsinformatie.pdf"}
    stored = editor.project / "proposals" / DOSSIER / "bijlagen" / "raadsinformatie.pdf"
    assert stored.read_bytes() == b"%PDF-1.7\n%%EOF\n"
    status, answer = editor.request("POST", "/bewerken/bijlage?naam=raadsinformatie.pdf", b"%PDF-1.7 ander", headers)
    assert status == 422 and "bestaat al" in json.loads(answer)["fout"] and stored.read_bytes().endswith(b"%%EOF\n")


def test_a_stale_version_is_not_written(editor: Editor) -> None:
    voorstel = editor.project / "proposals" / DOSSIER / "voorstel.yaml"
    before = voorstel.read_bytes()
    headers = {"Content-Type": "application/json", "Origin": f"http://{editor.netloc}", "X-CSRF-Token": editor.token(),
               "If-Match": "0" * 64}  # fmt: skip
    status, answer = editor.request("POST", "/bewerken/opslaan", _save_body(), headers)
    assert status == 409
    found = json.loads(answer)
    assert found["conflict"] is True and "is gewijzigd sinds het geladen werd" in found["fout"]
    assert voorstel.read_bytes() == before


def test_every_municipalitys_pdf_from_the_warm_process(editor: Editor) -> None:
    import io
    import zipfile

    status, body = editor.request("GET", "/download/alle-pdf.zip")
    assert status == 200
    with zipfile.ZipFile(io.BytesIO(body)) as archive:
        names = archive.namelist()
        assert all(archive.read(n).startswith(b"%PDF-") for n in names)
    members = ("amersfoort", "bunschoten", "baarn", "soest", "leusden", "woudenberg", "nijkerk")
    assert sorted(names) == sorted(f"raadsvoorstel-{DOSSIER}-{g}.pdf" for g in members)


# --- the command line ---------------------------------------------------------------------------------------------


def test_edit_needs_a_dossier_or_nieuw(proposals: Path) -> None:
    from click.testing import CliRunner

    from generator.cli import main

    runner = CliRunner()
    missing = runner.invoke(main, ["edit", str(proposals / "bestaat-niet")])
    assert missing.exit_code == 2 and "is geen dossier; een nieuw dossier maakt u met --nieuw" in missing.output
    exists = runner.invoke(main, ["edit", "--nieuw", str(proposals / DOSSIER)])
    assert exists.exit_code == 2 and "bestaat al; kies een andere naam" in exists.output
    several = runner.invoke(main, ["edit", str(proposals / DOSSIER), "-g", "leusden", "-g", "soest"])
    assert several.exit_code == 2 and "geef één --gemeente" in several.output
    wrong = runner.invoke(main, ["edit", str(proposals / DOSSIER), "-g", "utrecht"])
    assert wrong.exit_code == 2 and "gemeente 'utrecht' doet niet mee" in wrong.output
    anywhere = runner.invoke(main, ["edit", str(proposals / DOSSIER), "--host", "0.0.0.0"])
    assert anywhere.exit_code == 2 and "geen adres om te openen" in anywhere.output
    assert not (proposals / "bestaat-niet").exists()


def test_uploads_are_bounded_and_never_replace_a_file(tmp_path: Path) -> None:
    from generator.errors import UsageError
    from generator.preview.editor import uploads

    folder = tmp_path / "bijlagen"
    assert uploads.store(folder, "a.docx", b"PK\x03\x04rest") == folder / "a.docx"
    with pytest.raises(UsageError, match="geen XLSX-bestand"):
        uploads.store(folder, "b.xlsx", b"%PDF-1.7")
    with pytest.raises(UsageError, match="te groot"):
        uploads.store(folder, "c.pdf", b"%PDF-" + b"0" * uploads.MAX_BYTES)
    with pytest.raises(UsageError, match="bestaat al"):
        uploads.store(folder, "a.docx", b"PK\x03\x04ander")
    for number in range(1, uploads.MAX_FILES):
        uploads.store(folder, f"d{number}.pdf", b"%PDF-1.7")
    with pytest.raises(UsageError, match=f"al {uploads.MAX_FILES} bestanden"):
        uploads.store(folder, "te-veel.pdf", b"%PDF-1.7")
    assert sorted(p.name for p in folder.iterdir()) == sorted(["a.docx", *(f"d{n}.pdf" for n in range(1, 50))])
    link = tmp_path / "elders"
    link.symlink_to(tmp_path / "ergens", target_is_directory=True)
    with pytest.raises(UsageError, match="koppeling"):
        uploads.store(link, "x.pdf", b"%PDF-1.7")

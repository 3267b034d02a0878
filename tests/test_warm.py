"""Warm builds (``generator.warm``): a running ``raadsvoorstel server`` builds for ``build`` and ``batch``.

The server runs as its own process, started as a user starts it, and the commands run as users run them
(``python -m generator``), so what is compared is what a clerk would get: the same files, output and exit
codes as the cold path, and the cold path whenever the warm one cannot be trusted.
"""

from __future__ import annotations

import os
import re
import shutil
import signal
import socket
import subprocess
import sys
import tempfile
import time
from collections.abc import Iterator
from importlib import metadata
from pathlib import Path

import pytest

from generator.cli import run_command
from generator.errors import UsageError
from generator.warm import client, protocol
from generator.warm.server import FileHashes, WarmServer, project_folder
from tests.conftest import DOSSIER, PROPOSALS, ROOT, untraced

WARM_LINE = "bouwpad: warm"


class Server:
    """A ``raadsvoorstel server`` process for a copy of the example project."""

    def __init__(self, project: Path) -> None:
        self.project = project
        self.process = subprocess.Popen(
            [sys.executable, "-m", "generator", "server", str(project)],
            stdout=subprocess.PIPE,
            stderr=subprocess.PIPE,
            text=True,
            cwd=project,
        )
        assert self.process.stdout is not None
        line = self.process.stdout.readline()  # printed once it is warm and answers
        assert line.startswith("warme server:"), line + (self.process.stderr.read() if self.process.stderr else "")

    def stop(self) -> None:
        if self.process.poll() is None:
            self.process.send_signal(signal.SIGTERM)
            self.process.wait(timeout=60)


def _project(target: Path) -> Path:
    target.mkdir(parents=True)
    shutil.copytree(PROPOSALS, target / "proposals")
    shutil.copytree(ROOT / "templates", target / "templates")
    return target


@pytest.fixture
def project(tmp_path: Path) -> Path:
    return _project(tmp_path / "p")


@pytest.fixture
def server(project: Path) -> Iterator[Server]:
    running = Server(project)
    try:
        yield running
    finally:
        running.stop()


def run(project: Path, *args: str, env: dict[str, str] | None = None) -> subprocess.CompletedProcess[str]:
    """The program as a user runs it, in the project folder."""
    return subprocess.run(
        [sys.executable, "-m", "generator", *args],
        capture_output=True,
        text=True,
        cwd=project,
        env=env,
        check=False,
        timeout=600,
    )


def _files(folder: Path) -> dict[str, bytes]:
    return {
        p.relative_to(folder).as_posix(): p.read_bytes()
        for p in sorted(folder.rglob("*"))
        if p.is_file() and p.suffix in (".pdf", ".docx", ".odt", ".html", ".txt")
    }


def test_warm_build_gives_the_cold_files_and_output_for_every_example_document(
    server: Server, project: Path, examples_built: Path
) -> None:
    warm = run(project, "build", f"proposals/{DOSSIER}", "--out", "warm", "--verbose")
    cold = run(project, "build", f"proposals/{DOSSIER}", "--out", "warm", "--verbose", "--koud")
    assert warm.returncode == cold.returncode == 0, warm.stderr + cold.stderr
    assert warm.stderr.splitlines()[0].startswith(WARM_LINE)
    assert cold.stderr.splitlines()[0] == "bouwpad: koud (--koud)"
    assert warm.stdout == cold.stdout  # the same lines, paths shown relative to the client's folder
    assert warm.stderr.splitlines()[1:] == cold.stderr.splitlines()[1:]
    built, reference = _files(project / "warm" / DOSSIER), _files(examples_built)
    assert len(built) == 28  # 7 municipalities × raadsvoorstel and raadsbesluit × docx and pdf
    assert built == {name: data for name, data in reference.items() if name in built}
    assert set(built) == {name for name in reference if name.endswith((".pdf", ".docx"))}


def test_warm_batch_gives_the_cold_files_output_and_manifest(server: Server, project: Path) -> None:
    formats = [option for fmt in ("pdf", "odt", "html", "txt") for option in ("--format", fmt)]
    warm = run(project, "batch", "proposals", "--out", "warm", "--jobs", "1", *formats)
    cold = run(project, "batch", "proposals", "--out", "koud", "--jobs", "1", "--koud", *formats)
    assert warm.returncode == cold.returncode == 0, warm.stderr + cold.stderr

    def normal(text: str) -> list[str]:  # timings, the folder name and the order of finishing differ
        text = re.sub(r"\d+,\d s", "T", text).replace("koud/", "warm/")
        return sorted(re.sub(r"^\[\d+/", "[", line) for line in text.splitlines())

    assert normal(warm.stdout) == normal(cold.stdout)
    assert warm.stderr == cold.stderr
    assert _files(project / "warm") == _files(project / "koud")
    manifest = (project / "warm" / "manifest.json").read_text(encoding="utf-8")
    assert manifest == (project / "koud" / "manifest.json").read_text(encoding="utf-8")
    again = run(project, "batch", "proposals", "--out", "warm", "--jobs", "1", *formats)
    assert again.returncode == 0 and "alles is actueel: 56 documenten ongewijzigd" in again.stdout


def test_a_changed_template_is_seen_by_the_next_warm_build(server: Server, project: Path) -> None:
    target = f"warm/{DOSSIER}/leusden/raadsvoorstel-{DOSSIER}-leusden.html"
    command = ("build", f"proposals/{DOSSIER}", "-g", "leusden", "-f", "html", "-f", "pdf", "--out", "warm", "-v")
    first = run(project, *command)
    assert first.returncode == 0 and first.stderr.startswith(WARM_LINE), first.stderr
    before = (project / target).read_text(encoding="utf-8")
    pdf_before = (project / target).with_suffix(".pdf").read_bytes()
    css = project / "templates" / "html" / "raadsvoorstel.css"
    css.parent.mkdir(parents=True, exist_ok=True)
    shutil.copy2(ROOT / "generator" / "templates" / "html" / "raadsvoorstel.css", css)
    with css.open("a", encoding="utf-8") as handle:
        handle.write("\n* { color: #123456 !important; }\n")
    second = run(project, *command)
    assert second.returncode == 0 and second.stderr.startswith(WARM_LINE), second.stderr
    after = (project / target).read_text(encoding="utf-8")
    assert "#123456" in after and "#123456" not in before
    cold = run(project, *command[:-3], "--out", "koud", "--koud")
    assert cold.returncode == 0
    pdf_after = (project / target).with_suffix(".pdf").read_bytes()
    assert pdf_after != pdf_before
    assert pdf_after == (project / target.replace("warm/", "koud/", 1)).with_suffix(".pdf").read_bytes()


def test_a_server_killed_mid_batch_lets_the_client_finish_cold(server: Server, project: Path) -> None:
    client_process = subprocess.Popen(
        [sys.executable, "-m", "generator", "batch", "proposals", "--out", "uit", "--jobs", "1", "-f", "pdf", "-v"],
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
        cwd=project,
    )
    assert client_process.stdout is not None and client_process.stderr is not None
    assert client_process.stderr.readline().startswith(WARM_LINE)
    first = client_process.stdout.readline()
    assert first.startswith("te bouwen: 14 documenten"), first
    server.process.send_signal(signal.SIGKILL)  # mid-build: the first document is being rendered
    server.process.wait(timeout=30)
    _, err = client_process.communicate(timeout=600)
    assert client_process.returncode == 0, err
    assert "bouwpad: koud (de warme server stopte tijdens de bouw)" in err
    pdfs = sorted((project / "uit").rglob("*.pdf"))
    assert len(pdfs) == 14
    assert not [p for p in (project / "uit").rglob("*") if p.name.startswith(".raadsvoorstel-tmp-")]
    cold = run(project, "batch", "proposals", "--out", "koud", "--jobs", "1", "-f", "pdf", "--koud")
    assert cold.returncode == 0
    assert _files(project / "uit") == _files(project / "koud")


def test_another_version_falls_back_to_the_cold_path(server: Server, project: Path) -> None:
    script = (
        "import sys; from generator.warm import protocol; protocol.VERSION = '99.0'; "
        "from generator.entry import run; sys.argv = ['raadsvoorstel', *sys.argv[1:]]; run()"
    )
    args = ["build", f"proposals/{DOSSIER}", "-g", "leusden", "-f", "txt", "--out", "uit", "--verbose"]
    result = subprocess.run(
        [sys.executable, "-c", script, *args], capture_output=True, text=True, cwd=project, check=False, timeout=600
    )
    assert result.returncode == 0, result.stderr
    assert result.stderr.splitlines()[0] == "bouwpad: koud (de warme server is een andere versie (0.1.0))"
    assert (project / "uit" / DOSSIER / "leusden" / f"raadsvoorstel-{DOSSIER}-leusden.txt").is_file()
    quiet = subprocess.run(
        [sys.executable, "-c", script, *args[:-1]], capture_output=True, text=True, cwd=project, check=False
    )
    assert quiet.returncode == 0 and "bouwpad" not in quiet.stderr  # without --verbose: not a word


def test_usage_errors_and_failures_keep_their_exit_codes_on_the_warm_path(server: Server, project: Path) -> None:
    overlay = project / "proposals" / DOSSIER / "gemeenten" / "soest.yaml"
    overlay.write_text("datum_raad: gisteren\n", encoding="utf-8")
    for args, code in (
        (("build", f"proposals/{DOSSIER}", "-g", "soest", "-f", "txt", "-o", "x"), 1),  # invalid data
        (("build", f"proposals/{DOSSIER}", "-g", "soest", "-f", "xyz"), 2),  # click's usage error
        (("batch", "proposals", "-f", "txt", "-o", "y"), 1),  # one dossier fails
    ):
        warm = run(project, *args, "-v")
        cold = run(project, *args, "--koud")
        assert warm.returncode == cold.returncode == code, (args, warm.stderr, cold.stderr)
        warm_err = [line for line in warm.stderr.splitlines() if not line.startswith("bouwpad:")]
        assert re.sub(r"\d+,\d s", "T", "\n".join(warm_err)) == re.sub(r"\d+,\d s", "T", cold.stderr.rstrip("\n"))


def test_no_server_and_koud_run_cold_without_a_word(project: Path) -> None:
    args = ["build", f"proposals/{DOSSIER}", "-g", "leusden", "-f", "txt", "--out", "uit"]
    result = run(project, *args, "-v")
    assert result.returncode == 0
    assert result.stderr.splitlines()[0] == "bouwpad: koud (geen warme server)"
    quiet = run(project, *args)
    assert quiet.returncode == 0 and "bouwpad" not in quiet.stderr


def test_a_warm_command_imports_nothing_heavy(server: Server, project: Path) -> None:
    result = subprocess.run(
        [sys.executable, "-X", "importtime", "-m", "generator", "build", f"proposals/{DOSSIER}", "-g", "leusden",
         "-f", "txt", "--out", "uit", "-v"],
        capture_output=True, text=True, cwd=project, check=False, env=untraced(),
    )  # fmt: skip
    assert result.returncode == 0
    assert WARM_LINE in result.stderr
    imported = {line.split("|")[-1].strip() for line in result.stderr.splitlines() if line.startswith("import time:")}
    assert "generator.warm.client" in imported
    assert not imported & {"click", "pydantic", "generator.cli", "generator.api", "weasyprint", "multiprocessing"}


def test_a_foreign_user_is_refused() -> None:
    """Run as root (CI): a client under another uid is refused by the permissions and by its peer credentials."""
    if os.getuid() != 0:
        pytest.skip("een andere gebruiker nabootsen kan alleen als root (CI draait als root)")
    with tempfile.TemporaryDirectory(prefix="raadsvoorstel-warm-") as temp:  # pytest's own folders are 0700
        os.chmod(temp, 0o755)
        warm = WarmServer(Path(temp), run_command)
        path = warm.start()
        _refused_as_nobody(warm, path)


def _refused_as_nobody(warm: WarmServer, path: Path) -> None:
    try:
        assert oct(path.stat().st_mode & 0o777) == "0o600"
        assert oct(path.parent.stat().st_mode & 0o777) == "0o700"
        assert _as_nobody(path) == "PermissionError"  # the folder and the socket are root's alone
        os.chmod(path.parent, 0o755)
        os.chmod(path, 0o666)  # now the file system lets anyone connect: the peer credentials still refuse
        assert _as_nobody(path) == "geweigerd"
        assert _as_nobody(path, uid=0) == "antwoord"  # the same code, as the server's own user, is answered
    finally:
        warm.close()


def _as_nobody(path: Path, uid: int = 65534) -> str:
    """Connect from a forked child running as ``uid`` and send a request: what came back."""
    read, write = os.pipe()
    pid = os.fork()
    if pid == 0:  # pragma: no cover (the child)
        outcome = b"?"
        try:
            os.close(read)
            if uid:
                os.setgid(uid)
                os.setuid(uid)
            sock = socket.socket(socket.AF_UNIX, socket.SOCK_STREAM)
            sock.settimeout(5)
            try:
                sock.connect(str(path))
            except PermissionError:
                outcome = b"PermissionError"
            else:
                try:
                    protocol.send_json(sock, protocol.REQUEST, {"protocol": 0})
                    frame = protocol.receive(sock)
                except (BrokenPipeError, ConnectionResetError):  # closed before the request was even read
                    frame = None
                outcome = b"geweigerd" if frame is None else b"antwoord"
        except BaseException as exc:
            outcome = repr(exc).encode()
        finally:
            os.write(write, outcome)
            os._exit(0)
    os.close(write)
    with os.fdopen(read, "rb") as pipe:
        found = pipe.read().decode()
    os.waitpid(pid, 0)
    return found


def test_the_peer_credential_check_refuses_another_uid(project: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """Without root: the server believes it runs as another user, so this process is the foreign one."""
    warm = WarmServer(project, run_command)
    path = warm.start()
    try:
        monkeypatch.setattr(os, "getuid", lambda: 12345)  # the server's check; the client's check is skipped
        sock = socket.socket(socket.AF_UNIX, socket.SOCK_STREAM)
        sock.settimeout(5)
        sock.connect(str(path))
        try:
            protocol.send_json(sock, protocol.REQUEST, {"protocol": 0})
            answer = protocol.receive(sock)
        except (BrokenPipeError, ConnectionResetError):
            answer = None
        assert answer is None  # closed without a word
        monkeypatch.undo()
        sock = socket.socket(socket.AF_UNIX, socket.SOCK_STREAM)
        sock.settimeout(5)
        sock.connect(str(path))
        protocol.send_json(sock, protocol.REQUEST, {"protocol": 0})
        frame = protocol.receive(sock)
        assert frame is not None and frame[0] == protocol.ANSWER
        refused = {"accepted": False, "reason": "de warme server is een andere versie (0.1.0)"}
        assert protocol.decode(frame[1]) == refused
    finally:
        warm.close()
    assert not path.exists()


def test_a_second_server_for_the_same_project_is_refused(project: Path) -> None:
    first = WarmServer(project, run_command)
    first.start()
    try:
        with pytest.raises(UsageError, match="er draait al een warme server"):
            WarmServer(project, run_command).start()
    finally:
        first.close()


def test_the_version_constant_is_the_installed_version() -> None:
    assert metadata.version("raadsvoorstel") == protocol.VERSION


def test_read_line_finds_the_project_and_leaves_anything_unusual_to_click(project: Path) -> None:
    line = client.read_line(["build", f"proposals/{DOSSIER}", "-g", "leusden", "--out=x", "-v"], project)
    assert isinstance(line, client.Line) and line.project == project.resolve() and line.verbose and not line.cold
    batch = client.read_line(["batch", "--koud", "-j", "2"], project)
    assert isinstance(batch, client.Line) and batch.project == project.resolve() and batch.cold
    assert client.read_line(["batch", str(project / "proposals")], Path("/")) == batch.__class__(
        "batch", project.resolve(), False, False
    )
    for unusual in (
        ["build"],  # no dossier
        ["build", "a", "b"],
        ["build", f"proposals/{DOSSIER}", "--help"],
        ["build", f"proposals/{DOSSIER}", "-gleusden"],  # combined short option
        ["build", f"proposals/{DOSSIER}", "-g"],
        ["build", "proposals/bestaat-niet"],
        ["batch", "--sjablonen", "bestaat-niet"],
        ["--traceback", "build", f"proposals/{DOSSIER}"],
        ["validate"],
    ):
        assert isinstance(client.read_line(unusual, project), str), unusual
    assert project_folder(project / "proposals" / DOSSIER) == project.resolve()
    assert project_folder(project / "proposals") == project.resolve()
    assert project_folder(project) == project.resolve()
    with pytest.raises(UsageError, match="geen project"):
        project_folder(project / "templates")


def test_file_hashes_see_a_change_of_content(tmp_path: Path) -> None:
    hashes = FileHashes()
    (tmp_path / "a.css").write_text("a", encoding="utf-8")
    first = hashes.tree([tmp_path])
    assert hashes.tree([tmp_path]) == first
    (tmp_path / "a.css").write_text("b", encoding="utf-8")  # same size, perhaps the same mtime
    second = hashes.tree([tmp_path])
    assert second != first
    (tmp_path / "a.css").unlink()
    assert hashes.tree([tmp_path]) not in (first, second)


def test_a_client_killed_mid_batch_leaves_only_whole_files(server: Server, project: Path) -> None:
    process = subprocess.Popen(
        [sys.executable, "-m", "generator", "batch", "proposals", "--out", "uit", "-f", "pdf", "-v"],
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
        cwd=project,
    )
    assert process.stderr is not None and process.stdout is not None
    assert process.stderr.readline().startswith(WARM_LINE)
    assert process.stdout.readline().startswith("te bouwen")
    process.kill()
    process.wait()
    deadline = time.monotonic() + 120
    probe = ("build", f"proposals/{DOSSIER}", "-g", "leusden", "-f", "txt", "--out", "probe", "-v")
    while not run(project, *probe).stderr.startswith(WARM_LINE):  # the server notices the client is gone at its
        assert time.monotonic() < deadline  # next write, stops the batch as after Ctrl-C, and is free again
        time.sleep(0.5)
    assert not [p for p in (project / "uit").rglob("*") if p.name.startswith(".raadsvoorstel-tmp-")]
    follow = run(project, "batch", "proposals", "--out", "uit", "-f", "pdf", "-v")
    assert follow.returncode == 0 and follow.stderr.startswith(WARM_LINE), follow.stderr
    cold = run(project, "batch", "proposals", "--out", "koud", "-f", "pdf", "--koud")
    assert cold.returncode == 0
    assert _files(project / "uit") == _files(project / "koud")


def test_a_busy_server_or_changed_source_sends_the_command_cold(
    project: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    warm = WarmServer(project, run_command)
    warm.start()
    monkeypatch.chdir(project)
    args = ["build", f"proposals/{DOSSIER}", "-g", "leusden", "-f", "txt", "-o", "uit"]
    try:
        with warm.busy:  # another command is running
            assert client.attempt(args) == "de warme server is bezig met een andere opdracht"
        warm.source = "de bron van gisteren"  # the package's files changed on disk since the server started
        assert client.attempt(args) == (
            "de code van raadsvoorstel is veranderd sinds de server startte; start hem opnieuw"
        )
        assert client.attempt([*args, "--koud"]) == "--koud"
        other = _project(project.parent / "ander")
        monkeypatch.chdir(other)
        assert client.attempt(args) == "geen warme server"  # another project has its own socket
    finally:
        warm.close()
    assert not (project / "uit").exists()


def test_warm_batch_of_the_council_round_example_gives_the_cold_files(tmp_path: Path) -> None:
    """The other example (voorbeelden/raadsronde: concept, offered and adopted, amendments, each council's
    formats from the registry): a warm batch against a cold one, every file byte for byte."""
    project = tmp_path / "r"
    shutil.copytree(ROOT / "voorbeelden" / "raadsronde", project)
    running = Server(project)
    try:
        warm = run(project, "batch", "--out", "warm", "-v")
        cold = run(project, "batch", "--out", "koud", "--koud")
    finally:
        running.stop()
    assert warm.returncode == cold.returncode, warm.stderr + cold.stderr
    assert warm.stderr.startswith(WARM_LINE)
    built = _files(project / "warm")
    assert len(built) >= 6 and built == _files(project / "koud")

"""Starting ``raadsvoorstel edit`` as a clerk does (a subprocess on a free port), for the editor's tests."""

from __future__ import annotations

import http.client
import json
import os
import re
import shutil
import signal
import subprocess
import sys
import threading
from dataclasses import dataclass
from pathlib import Path
from urllib.parse import urlsplit

from tests.conftest import PROPOSALS, ROOT


@dataclass
class Editor:
    url: str
    project: Path
    process: subprocess.Popen[str]

    @property
    def netloc(self) -> str:
        return urlsplit(self.url).netloc

    def stop(self, timeout: float = 10) -> tuple[int, str]:
        self.process.send_signal(signal.SIGINT)
        out, err = self.process.communicate(timeout=timeout)
        return self.process.returncode, out + err

    def kill(self) -> None:
        if self.process.poll() is None:
            self.process.kill()
            self.process.wait()

    def request(
        self, method: str, path: str, body: bytes | None = None, headers: dict[str, str] | None = None
    ) -> tuple[int, bytes]:
        parts = urlsplit(self.url)
        connection = http.client.HTTPConnection(parts.hostname or "", parts.port, timeout=30)
        connection.putrequest(method, path, skip_host=True)
        connection.putheader("Host", self.netloc)
        for key, value in (headers or {}).items():
            connection.putheader(key, value)
        if body is not None:
            connection.putheader("Content-Length", str(len(body)))
        connection.endheaders(body)
        response = connection.getresponse()
        data = response.read()
        connection.close()
        return response.status, data

    def token(self) -> str:
        status, page = self.request("GET", "/")
        assert status == 200
        found = re.search(rb'<meta name="csrf-token" content="([^"]+)">', page)
        assert found is not None
        return found.group(1).decode()

    def versions(self) -> dict[str, str]:
        status, page = self.request("GET", "/")
        found = re.search(rb'<script type="application/json" id="versies">(.*?)</script>', page, re.S)
        assert status == 200 and found is not None
        return dict(json.loads(found.group(1)))


def copy_project(target: Path) -> Path:
    shutil.copytree(PROPOSALS, target / "proposals")
    shutil.copytree(ROOT / "templates", target / "templates")
    return target


def start(project: Path, dossier: str, *args: str) -> Editor:
    """Start the editor as the clerk does; returns once it printed its address."""
    process = subprocess.Popen(
        [sys.executable, "-m", "generator", "edit", dossier, "--poort", "0", *args],
        cwd=project, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True,
        env={**os.environ, "PYTHONPATH": str(ROOT)},
    )  # fmt: skip
    assert process.stdout is not None
    lines: list[str] = []

    def read() -> None:
        assert process.stdout is not None
        for line in process.stdout:
            lines.append(line)
            if "editor: http" in line:
                return

    reader = threading.Thread(target=read, daemon=True)
    reader.start()
    reader.join(60)
    match = re.search(r"editor: (http://\S+/)", "".join(lines))
    if match is None:
        process.kill()
        raise AssertionError(f"geen adres: {lines!r} {process.stderr.read() if process.stderr else ''}")
    return Editor(match.group(1), project, process)

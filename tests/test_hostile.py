"""Runs the hostile-inputs corpus in tests/hostile/ (see its README): one file per class of issue 15."""

from __future__ import annotations

import os
import shutil
import socket
from pathlib import Path
from typing import Any

import pytest
from ruamel.yaml import YAML

from tests.conftest import DOSSIER, PROPOSALS, ROOT, Invoke

CORPUS = Path(__file__).parent / "hostile"
_HELD: list[socket.socket] = []  # sockets a case holds open while its command runs


def _cases() -> list[Any]:
    found = []
    for path in sorted(CORPUS.glob("*.yaml")):
        for case in YAML(typ="safe").load(path.read_text(encoding="utf-8")):
            found.append(pytest.param(case, id=f"{path.stem}:{case['name']}"))
    return found


def _fill(value: str, names: dict[str, str]) -> str:
    for key, text in names.items():
        value = value.replace("{" + key + "}", text)
    return value


def _step(project: Path, step: dict[str, list[Any]], names: dict[str, str]) -> None:
    (kind, args), = step.items()
    args = [_fill(a, names) if isinstance(a, str) else a for a in args]
    if kind == "replace":
        path = project / args[0]
        text = path.read_text(encoding="utf-8")
        assert args[1] in text, f"{args[1]!r} not in {path}"
        path.write_text(text.replace(args[1], args[2], 1), encoding="utf-8")
    elif kind in ("insert_after", "repeat"):
        path = project / args[0]
        lines = path.read_text(encoding="utf-8").split("\n")
        index = lines.index(args[1])
        count = args[3] if kind == "repeat" else 1
        lines[index + 1 : index + 1] = [args[2]] * count
        path.write_text("\n".join(lines), encoding="utf-8")
    elif kind == "write":
        path = project / args[0]
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(args[1], encoding="utf-8")
    elif kind == "symlink":
        link = project / args[0]
        link.parent.mkdir(parents=True, exist_ok=True)
        if link.exists() or link.is_symlink():
            link.unlink()
        link.symlink_to(args[1])
    elif kind == "mkdir":
        (project / args[0]).mkdir(parents=True, exist_ok=True)
    elif kind == "fifo":
        (project / args[0]).parent.mkdir(parents=True, exist_ok=True)
        os.mkfifo(project / args[0])
    elif kind == "sparse":  # a file of args[1] bytes that takes no room on disk (size limits)
        path = project / args[0]
        path.parent.mkdir(parents=True, exist_ok=True)
        with path.open("wb") as handle:
            handle.truncate(int(args[1]))
    elif kind == "listen":  # a port another program holds: {port} in the command
        busy = socket.socket()
        busy.bind(("127.0.0.1", 0))
        busy.listen()
        _HELD.append(busy)
        names["port"] = str(busy.getsockname()[1])
    elif kind == "rename":
        (project / args[0]).rename(project / args[1])
    else:
        raise AssertionError(f"unknown step {kind}")


@pytest.mark.parametrize("case", _cases())
def test_hostile_input(case: dict[str, Any], tmp_path: Path, cli: Invoke) -> None:
    project, elsewhere = tmp_path / "project", tmp_path / "elders"
    shutil.copytree(PROPOSALS, project / "proposals")
    shutil.copytree(ROOT / "templates", project / "templates")
    elsewhere.mkdir()
    names = {
        "tmp": str(elsewhere),
        "proposals": str(project / "proposals"),
        "dossier": str(project / "proposals" / DOSSIER),
        "out": str(project / "out"),
    }
    try:
        for step in case.get("steps", []):
            _step(project, step, names)
        result = cli(*[_fill(str(a), names) for a in case["command"]])
    finally:
        while _HELD:
            _HELD.pop().close()
    assert result.exit_code == case["exit"], result.output
    for fragment in case["expect"]:
        assert fragment in result.output, f"{fragment!r} missing from:\n{result.output}"
    for fragment in ("interne fout", "Traceback", *case.get("absent", [])):
        assert fragment not in result.output, result.output

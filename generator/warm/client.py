"""The client half of a warm build: read a ``build``/``batch`` command line, hand it to the project's warm server.

Stdlib only, imported by the program's entry point before anything else: when a server answers, this module
and ``protocol`` are all the program imports. :func:`attempt` either returns the command's exit code (the
server ran it and its output has been written here) or a Dutch reason why the command must run cold: no
server, no answer in time, another version, a busy server, a command line this reading is not sure of (click
reads it properly on the cold path and says what is wrong), or a server that stopped halfway.

The paths are checked here as the CLI checks them (the dossier or proposals folder and ``--sjablonen`` must be
folders) and again by the server, which also runs the command through click.
"""

from __future__ import annotations

import os
import socket
import sys
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path

from generator.warm import protocol

#: The commands that may run warm.
COMMANDS = ("build", "batch")
#: Seconds to wait for the connection, and for the server's answer (accepted or not) after the request.
CONNECT_TIMEOUT = 0.5
ANSWER_TIMEOUT = 1.0

_REGISTRY = "gemeenten.yaml"  # generator.sources.layout.REGISTRY_FILE (not imported: it would cost nothing, but this
# module stays free of the package's other modules so a test can check what a warm command imports)
_VALUE_OPTIONS = {
    "build": {"--gemeente", "-g", "--format", "-f", "--out", "-o", "--sjablonen"},
    "batch": {"--out", "-o", "--jobs", "-j", "--format", "-f", "--sjablonen"},
}
_FLAGS = {
    "build": {"--strict", "--verbose", "-v", "--koud"},
    "batch": {"--force", "--verbose", "-v", "--publiceer", "--koud"},
}


@dataclass(frozen=True)
class Line:
    """What the warm path needs of a command line: the project it works in, and two flags."""

    command: str
    project: Path
    verbose: bool
    cold: bool  # --koud


def project_of(folder: Path) -> Path:
    """The project (the folder that holds the proposals folder) of a dossier or proposals folder, as
    ``api.templates_for`` finds it: a folder with ``gemeenten.yaml`` is a proposals folder, a folder whose
    parent has one is a dossier."""
    folder = folder.resolve()
    is_proposals = (folder / _REGISTRY).is_file() or not (folder.parent / _REGISTRY).is_file()
    return (folder if is_proposals else folder.parent).parent


def read_line(argv: Sequence[str], cwd: Path) -> Line | str:
    """The command line ``argv`` (after the program's name) read as a warm request, or why it runs cold."""
    if not argv or argv[0] not in COMMANDS:
        return "geen build of batch"
    command = argv[0]
    verbose = cold = False
    sjablonen: str | None = None
    positional: list[str] = []
    tokens = iter(argv[1:])
    for token in tokens:
        if token == "--":
            positional.extend(tokens)
            break
        if not token.startswith("-") or token == "-":
            positional.append(token)
            continue
        name, has_value, value = token.partition("=") if token.startswith("--") else (token, "", "")
        if name in _FLAGS[command] and not has_value:
            verbose = verbose or name in ("--verbose", "-v")
            cold = cold or name == "--koud"
        elif name in _VALUE_OPTIONS[command]:
            value = value if has_value else next(tokens, "")
            if not value:
                return "onvolledige opdrachtregel"
            if name == "--sjablonen":
                sjablonen = value
        else:
            return "een optie die alleen de gewone weg kent"  # --help, combined short options, a typo
    if (command == "build" and len(positional) != 1) or (command == "batch" and len(positional) > 1):
        return "onvolledige opdrachtregel"
    folder = cwd / (positional[0] if positional else "proposals")
    if not folder.is_dir() or (sjablonen is not None and not (cwd / sjablonen).is_dir()):
        return "een map die niet bestaat"  # click says so on the cold path
    return Line(command, project_of(folder), verbose, cold)


def _state_is_ours(path: Path) -> bool:
    """The state folder belongs to this user and nobody else may enter it: a socket there is our own server's
    (the server's user is checked again on the connection)."""
    try:
        info = os.stat(path.parent)
    except OSError:
        return False
    return info.st_uid == os.getuid() and info.st_mode & 0o077 == 0


def _request(argv: Sequence[str], cwd: Path) -> dict[str, object]:
    names = (*protocol.OUTPUT_ENVIRONMENT, *protocol.TERMINAL_ENVIRONMENT)
    environment = {name: os.environ.get(name) for name in names}
    ttys = [_isatty(sys.stdout), _isatty(sys.stderr)]
    if any(ttys) and environment.get("COLUMNS") is None:
        try:
            size = os.get_terminal_size(sys.stdout.fileno() if ttys[0] else sys.stderr.fileno())
            environment["COLUMNS"], environment["LINES"] = str(size.columns), str(size.lines)
        except (OSError, ValueError):
            pass
    return {
        "protocol": protocol.PROTOCOL,
        "version": protocol.VERSION,
        "argv": list(argv),
        "cwd": str(cwd),
        "env": environment,
        "tty": ttys,
        "encoding": [_encoding(sys.stdout), _encoding(sys.stderr)],
    }


def _isatty(stream: object) -> bool:
    try:
        return bool(stream.isatty())  # type: ignore[attr-defined]
    except (AttributeError, ValueError, OSError):
        return False


def _encoding(stream: object) -> list[str]:
    return [getattr(stream, "encoding", None) or "utf-8", getattr(stream, "errors", None) or "strict"]


def attempt(argv: Sequence[str]) -> int | str:
    """Run the command on the project's warm server: its exit code, or why it must run cold (nothing was
    written to stdout or stderr then, except when the server stopped halfway)."""
    try:
        cwd = Path(os.getcwd())
    except OSError:
        return "de huidige map bestaat niet meer"
    line = read_line(argv, cwd)
    if isinstance(line, str):
        return line
    if line.cold:
        return "--koud"
    path = protocol.socket_path(line.project)
    if len(os.fsencode(path)) > protocol.MAX_SOCKET_PATH:
        return "het pad van de socket is te lang"
    if not _state_is_ours(path):
        return "geen warme server"
    sock = socket.socket(socket.AF_UNIX, socket.SOCK_STREAM)
    try:
        return _talk(sock, path, argv, cwd, line)
    finally:
        sock.close()


def _talk(sock: socket.socket, path: Path, argv: Sequence[str], cwd: Path, line: Line) -> int | str:
    sock.settimeout(CONNECT_TIMEOUT)
    try:
        sock.connect(str(path))
    except (FileNotFoundError, ConnectionRefusedError):
        return "geen warme server"
    except OSError:
        return "de warme server antwoordde niet"
    if not protocol.same_user(sock):
        return "de socket is van een andere gebruiker"
    sock.settimeout(ANSWER_TIMEOUT)
    try:
        protocol.send_json(sock, protocol.REQUEST, _request(argv, cwd))
        frame = protocol.receive(sock, protocol.MAX_REQUEST)
    except OSError:  # a timeout too
        return "de warme server antwoordde niet op tijd"
    answer = protocol.decode(frame[1]) if frame is not None and frame[0] == protocol.ANSWER else None
    if answer is None:
        return "de warme server antwoordde niet"
    if answer.get("accepted") is not True:
        return str(answer.get("reason") or "de warme server weigerde")
    if line.verbose:
        _write(sys.stderr, f"bouwpad: warm (server {answer.get('pid', '?')}, {path})\n".encode())
    sock.settimeout(None)
    return _relay(sock, line)


def _relay(sock: socket.socket, line: Line) -> int | str:
    """Write the command's output as it comes; its exit code, or why it must run cold after all."""
    try:
        while True:
            frame = protocol.receive(sock)
            if frame is None:
                return "de warme server stopte tijdens de bouw"
            kind, payload = frame
            if kind == protocol.STDOUT:
                _write(sys.stdout, payload)
            elif kind == protocol.STDERR:
                _write(sys.stderr, payload)
            elif kind == protocol.EXIT:
                result = protocol.decode(payload) or {}
                code = result.get("code")
                return code if isinstance(code, int) else 3
    except OSError:
        return "de warme server stopte tijdens de bouw"
    except KeyboardInterrupt:  # the server notices the closed connection and stops as a cold batch would
        message = (
            "afgebroken; er is niets half geschreven. Draai dezelfde opdracht opnieuw om af te maken.\n"
            if line.command == "batch"
            else "afgebroken\n"
        )
        _write(sys.stderr, message.encode())
        return 130


def _write(stream: object, data: bytes) -> None:
    buffer = getattr(stream, "buffer", None)
    try:
        if buffer is not None:
            buffer.write(data)
            buffer.flush()
        else:
            stream.write(data.decode("utf-8", "replace"))  # type: ignore[attr-defined]
    except (OSError, ValueError):  # a closed pipe (| head): nothing more to say
        pass

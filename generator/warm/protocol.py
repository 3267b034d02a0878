"""What client and warm server say to each other over the project's Unix socket, and where that socket is.

Stdlib only and cheap to import: the client imports this before anything else of the program.

A message is a frame: 4 bytes length (big-endian, of what follows), 1 byte kind, the payload. The client
sends one ``REQUEST`` (JSON); the server answers with one ``ANSWER`` (JSON: accepted or not, and why), then,
when it accepted, the command's output as ``STDOUT``/``STDERR`` frames in the order it was written, and last
``EXIT`` (JSON with the exit code). A connection that ends before ``EXIT`` means the server stopped: the client
runs the command itself.
"""

from __future__ import annotations

import json
import os
import socket
import struct
from pathlib import Path
from typing import Any

#: The package's version, without asking ``importlib.metadata`` (a lookup on every command; a test checks
#: that it equals the installed version). A client and a server of different versions never work together.
VERSION = "0.1.0"
#: The wire format; a change makes old clients and servers fall back to the cold path.
PROTOCOL = 1

STATE_DIR = ".raadsvoorstel"
SOCKET_NAME = "warm.sock"
#: ``sun_path`` holds 108 bytes including the final NUL.
MAX_SOCKET_PATH = 107

REQUEST, ANSWER, STDOUT, STDERR, EXIT = b"Q", b"A", b"1", b"2", b"X"
_HEADER = struct.Struct(">IB")
#: A request is a command line and a few facts: anything bigger is not one.
MAX_REQUEST = 1 << 20

#: Environment variables that change what a command writes or prints; a server whose own values differ
#: refuses (``RAADSVOORSTEL_PURE``, ``SOURCE_DATE_EPOCH``) or uses the client's for the request (the rest).
OUTPUT_ENVIRONMENT = ("RAADSVOORSTEL_PURE", "SOURCE_DATE_EPOCH")
TERMINAL_ENVIRONMENT = ("COLUMNS", "LINES", "NO_COLOR", "FORCE_COLOR", "TERM", "CLICOLOR", "CLICOLOR_FORCE")


def socket_path(project: Path) -> Path:
    """``<project>/.raadsvoorstel/warm.sock``: the project is the folder that holds ``proposals/``."""
    return project / STATE_DIR / SOCKET_NAME


def send(sock: socket.socket, kind: bytes, payload: bytes) -> None:
    sock.sendall(_HEADER.pack(len(payload) + 1, kind[0]) + payload)


def send_json(sock: socket.socket, kind: bytes, data: dict[str, Any]) -> None:
    send(sock, kind, json.dumps(data, ensure_ascii=False).encode("utf-8"))


def _read_exactly(sock: socket.socket, size: int) -> bytes | None:
    chunks: list[bytes] = []
    while size:
        chunk = sock.recv(min(size, 1 << 16))
        if not chunk:
            return None
        chunks.append(chunk)
        size -= len(chunk)
    return b"".join(chunks)


def receive(sock: socket.socket, limit: int = 1 << 30) -> tuple[bytes, bytes] | None:
    """The next frame as (kind, payload), or None when the connection ended (or sent nonsense)."""
    header = _read_exactly(sock, _HEADER.size)
    if header is None:
        return None
    length, kind = _HEADER.unpack(header)
    if not 1 <= length <= limit:
        return None
    payload = _read_exactly(sock, length - 1)
    if payload is None:
        return None
    return bytes([kind]), payload


def decode(payload: bytes) -> dict[str, Any] | None:
    """A JSON object, or None when the payload is not one."""
    try:
        data = json.loads(payload.decode("utf-8"))
    except (UnicodeDecodeError, ValueError, RecursionError):
        return None
    return data if isinstance(data, dict) else None


def peer_uid(sock: socket.socket) -> int | None:
    """The user id of the process at the other end of a Unix socket (``SO_PEERCRED``), None when unknown."""
    try:
        raw = sock.getsockopt(socket.SOL_SOCKET, socket.SO_PEERCRED, struct.calcsize("3i"))
    except OSError:
        return None
    _pid, uid, _gid = struct.unpack("3i", raw)
    return int(uid)


def same_user(sock: socket.socket) -> bool:
    """Whether the peer runs as this process's user: the only one the warm server works for."""
    return peer_uid(sock) == os.getuid()

"""The server half of a warm build: listen on the project's socket and run ``build``/``batch`` in this process.

Why the same click command and not an API call: the output, the exit codes and the files must be exactly
those of the cold path, and the CLI is where they are decided. So a request runs ``cli.main`` with the
client's command line, in the client's working directory, with its output streams routed to the client (and
looking like the client's terminal, when it is one). One request runs at a time (a second gets "bezig" and runs
cold); in a preview process it also waits for the preview's own render.

Safety: the state folder is the user's alone (0700) and the socket 0600; every connection's peer credentials
(``SO_PEERCRED``) must be this user's; the request's paths are read again here (``client.read_line``) and must
lie in this server's project; a request of another version, another output environment or after the package's
source changed on disk is refused (the client then runs cold). Files are written atomically, as always, so a
client killed halfway leaves no half file (a batch then stops as after Ctrl-C: the next write to the gone client
interrupts it).

Warm caches are keyed on what the batch manifest hashes: the data files are read again for every request; the
template files and the package's source are hashed (content, re-read only when a file's ``stat`` changes), a
changed template clears the writers' template caches, and changed source makes the server refuse. The PDF
writer's line and drawing memories stay per dossier, as in a batch worker.
"""

from __future__ import annotations

import contextlib
import gc
import hashlib
import os
import signal
import socket
import stat
import sys
import tempfile
import threading
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from pathlib import Path
from types import FrameType
from typing import Any

from generator.batch.schedule import RENDER_HERE
from generator.errors import UsageError
from generator.sources.layout import PROPOSAL_FILE, REGISTRY_FILE
from generator.warm import protocol
from generator.warm.client import Line, project_of, read_line

#: Where the package's source lives: a change there makes the server refuse (it cannot reload itself).
PACKAGE_DIR = Path(__file__).resolve().parent.parent
#: Seconds a client has to send its request once connected.
REQUEST_TIMEOUT = 2.0


# --- content hashes that are re-read only when a file's stat changes ----------------------------------------


@dataclass
class FileHashes:
    """sha256 of files, remembered with each file's ``stat`` (size, times, inode): a file is read again only
    when one of those changed, and every write changes its ctime, which nobody can set by hand."""

    _known: dict[Path, tuple[tuple[int, ...], str]] = field(default_factory=dict)

    def digest(self, path: Path) -> str:
        try:
            info = path.stat()
        except OSError:
            return "ontbreekt"
        signature = (info.st_size, info.st_mtime_ns, info.st_ctime_ns, info.st_ino, info.st_dev)
        known = self._known.get(path)
        if known is not None and known[0] == signature:
            return known[1]
        try:
            value = hashlib.sha256(path.read_bytes()).hexdigest()
        except OSError:
            value = "onleesbaar"
        self._known[path] = (signature, value)
        return value

    def tree(self, roots: Iterator[Path] | list[Path], skip: tuple[str, ...] = ()) -> str:
        """One hash over every file below ``roots`` (names and contents), ``skip`` naming folders left out."""
        digest = hashlib.sha256()
        seen: set[Path] = set()
        for root in roots:
            digest.update(f"root\t{root}\n".encode())
            for folder, dirs, files in os.walk(root):
                dirs[:] = sorted(d for d in dirs if d not in skip)
                for name in sorted(files):
                    path = Path(folder) / name
                    if path.suffix in (".pyc", ".pyo"):
                        continue
                    seen.add(path)
                    digest.update(f"{path.relative_to(root)}\t{self.digest(path)}\n".encode())
        for gone in set(self._known) - seen:  # memory stays bounded when files come and go
            if not any(gone.is_relative_to(root) for root in roots):
                continue
            del self._known[gone]
        return digest.hexdigest()


# --- output streams routed to the client ---------------------------------------------------------------------


class _Sink:
    """One of the client's output streams, as a text stream click and rich write to."""

    def __init__(self, connection: _Connection, kind: bytes, tty: bool, encoding: list[str]) -> None:
        self.connection = connection
        self.kind = kind
        self.tty = tty
        self.encoding = encoding[0]
        self.errors = encoding[1]
        self.buffer = _BinarySink(self)

    def write(self, text: str) -> int:
        self.send(text.encode(self.encoding, self.errors))
        return len(text)

    def send(self, data: bytes) -> None:
        if data:
            self.connection.send(self.kind, data)

    def flush(self) -> None: ...

    def isatty(self) -> bool:
        return self.tty

    def writable(self) -> bool:
        return True


class _BinarySink:
    def __init__(self, sink: _Sink) -> None:
        self.sink = sink

    def write(self, data: bytes) -> int:
        self.sink.send(bytes(data))
        return len(data)

    def flush(self) -> None: ...


class _Connection:
    """The client's socket while a request runs; the first failed write (the client is gone) interrupts the
    command like Ctrl-C, once, in the request's own thread."""

    def __init__(self, sock: socket.socket) -> None:
        self.sock = sock
        self.lock = threading.Lock()
        self.thread = threading.current_thread()
        self.gone = False

    def send(self, kind: bytes, data: bytes) -> None:
        if self.gone:
            return
        try:
            with self.lock:
                protocol.send(self.sock, kind, data)
        except OSError:
            self.gone = True
            if threading.current_thread() is self.thread:
                raise KeyboardInterrupt from None


class _Router:
    """Installed as ``sys.stdout``/``sys.stderr`` of a warm process: writes go to the running request's client
    while one runs, else to the process's own stream. (Loggers keep the stream they were given at their start.)"""

    def __init__(self, original: Any, index: int) -> None:
        self._original = original
        self._index = index

    @property
    def _target(self) -> Any:
        sinks = _ROUTE[0]
        return sinks[self._index] if sinks is not None else self._original

    def write(self, text: str) -> int:
        written: int = self._target.write(text)
        return written

    def flush(self) -> None:
        self._target.flush()

    def isatty(self) -> bool:
        return bool(self._target.isatty())

    @property
    def encoding(self) -> str:
        return str(self._target.encoding)

    @property
    def errors(self) -> str:
        return str(self._target.errors)

    @property
    def buffer(self) -> Any:
        return self._target.buffer

    def writable(self) -> bool:
        return True

    def fileno(self) -> int:
        if _ROUTE[0] is not None:
            raise OSError("de uitvoer gaat naar een warme client")
        return int(self._original.fileno())

    def __getattr__(self, name: str) -> Any:
        return getattr(self._original, name)


_ROUTE: list[tuple[_Sink, _Sink] | None] = [None]


def _install_routers() -> None:
    if not isinstance(sys.stdout, _Router):
        sys.stdout = _Router(sys.stdout, 0)
    if not isinstance(sys.stderr, _Router):
        sys.stderr = _Router(sys.stderr, 1)


def _remove_routers() -> None:
    if isinstance(sys.stdout, _Router):
        sys.stdout = sys.stdout._original
    if isinstance(sys.stderr, _Router):
        sys.stderr = sys.stderr._original


# --- the server ---------------------------------------------------------------------------------------------

#: Runs a command line of the program in this process and returns its exit code (``cli.run_command``).
Command = Callable[[list[str]], int]


class WarmServer:
    """Listens on ``<project>/.raadsvoorstel/warm.sock`` and runs one request at a time.

    ``render_lock`` is held around each request (a preview passes its own, so the two never render at once).
    ``command`` runs a client's command line in this process and returns its exit code: the CLI passes its own
    (``cli.run_command``), so this package, which the CLI starts, never imports the CLI back.
    """

    def __init__(self, project: Path, command: Command, render_lock: Any | None = None) -> None:
        self.project = project.resolve()
        self.command = command
        self.path = protocol.socket_path(self.project)
        self.render_lock = render_lock if render_lock is not None else threading.Lock()
        self.busy = threading.Lock()
        self.hashes = FileHashes()
        self.source = self._source()
        self.templates_key: tuple[tuple[str, ...], str] | None = None
        self.listener: socket.socket | None = None
        self.requests = 0

    # listening

    def start(self) -> Path:
        """Bind the socket (refused when another server of this project answers on it) and accept in a thread."""
        if len(os.fsencode(self.path)) > protocol.MAX_SOCKET_PATH:
            raise UsageError(f"het pad {self.path} is te lang voor een socket; kies een projectmap met een korter pad")
        state = self.path.parent
        state.mkdir(mode=0o700, exist_ok=True)
        info = state.lstat()
        if not stat.S_ISDIR(info.st_mode) or info.st_uid != os.getuid():
            raise UsageError(f"{state} is geen map van u; verwijder het en start opnieuw")
        os.chmod(state, 0o700)
        if self._answering():
            raise UsageError(f"er draait al een warme server voor {self.project}")
        with contextlib.suppress(FileNotFoundError):
            self.path.unlink()
        listener = socket.socket(socket.AF_UNIX, socket.SOCK_STREAM)
        old = os.umask(0o177)
        try:
            listener.bind(str(self.path))
        finally:
            os.umask(old)
        os.chmod(self.path, 0o600)
        listener.listen(16)
        self.listener = listener
        _install_routers()
        threading.Thread(target=self._accept, name="raadsvoorstel-warm", daemon=True).start()
        return self.path

    def _answering(self) -> bool:
        probe = socket.socket(socket.AF_UNIX, socket.SOCK_STREAM)
        probe.settimeout(0.5)
        try:
            probe.connect(str(self.path))
        except OSError:
            return False
        finally:
            probe.close()
        return True

    def close(self) -> None:
        listener, self.listener = self.listener, None
        if listener is not None:
            with contextlib.suppress(OSError):
                listener.shutdown(socket.SHUT_RDWR)
            listener.close()
            with contextlib.suppress(OSError):
                if self.path.is_socket():
                    self.path.unlink()
            _remove_routers()

    def _accept(self) -> None:
        while self.listener is not None:
            try:
                connection, _ = self.listener.accept()
            except OSError:
                return
            if not protocol.same_user(connection):  # another user: not a word
                connection.close()
                continue
            threading.Thread(target=self._serve, args=(connection,), daemon=True).start()

    # one request

    def _serve(self, sock: socket.socket) -> None:
        with sock:
            try:
                sock.settimeout(REQUEST_TIMEOUT)
                frame = protocol.receive(sock, protocol.MAX_REQUEST)
                request = protocol.decode(frame[1]) if frame is not None and frame[0] == protocol.REQUEST else None
                if request is None:
                    return
                reason, line = self.refusal(request)
                if reason is None and not self.busy.acquire(blocking=False):
                    reason = "de warme server is bezig met een andere opdracht"
                elif reason is None and self._source() != self.source:  # hashed only while this request is the one
                    self.busy.release()
                    reason = "de code van raadsvoorstel is veranderd sinds de server startte; start hem opnieuw"
                if reason is not None:
                    protocol.send_json(sock, protocol.ANSWER, {"accepted": False, "reason": reason})
                    return
            except OSError:
                return
            try:
                protocol.send_json(sock, protocol.ANSWER, {"accepted": True, "pid": os.getpid()})
                sock.settimeout(None)
                assert line is not None
                code = self.run(sock, request, line)
                protocol.send_json(sock, protocol.EXIT, {"code": code})
            except OSError:
                pass
            finally:
                self.busy.release()

    def refusal(self, request: dict[str, Any]) -> tuple[str | None, Line | None]:
        """Why this server will not run ``request`` (None: it will), and the command line as read here."""
        if request.get("protocol") != protocol.PROTOCOL or request.get("version") != protocol.VERSION:
            return f"de warme server is een andere versie ({protocol.VERSION})", None
        argv, cwd, env = request.get("argv"), request.get("cwd"), request.get("env")
        if not isinstance(argv, list) or not all(isinstance(a, str) for a in argv) or not isinstance(cwd, str):
            return "onleesbaar verzoek", None
        if not isinstance(env, dict) or not _valid_request(request):
            return "onleesbaar verzoek", None
        for name in protocol.OUTPUT_ENVIRONMENT:
            if env.get(name) != os.environ.get(name):
                return f"de warme server draait met een andere {name}", None
        if not os.path.isabs(cwd) or not os.path.isdir(cwd):
            return "de huidige map van de client bestaat niet", None
        line = read_line(argv, Path(cwd))
        if isinstance(line, str):
            return line, None
        if line.cold:
            return "--koud", None
        if line.project != self.project:
            return f"de warme server hoort bij een ander project ({self.project})", None
        return None, line

    def _source(self) -> str:
        return self.hashes.tree([PACKAGE_DIR], skip=("__pycache__", "templates"))

    def run(self, sock: socket.socket, request: dict[str, Any], line: Line) -> int:
        """Run the request's command here, as the client would have run it; its exit code."""
        connection = _Connection(sock)
        ttys, encodings = request["tty"], request["encoding"]
        sinks = (
            _Sink(connection, protocol.STDOUT, bool(ttys[0]), encodings[0]),
            _Sink(connection, protocol.STDERR, bool(ttys[1]), encodings[1]),
        )
        with self.render_lock, _working_directory(Path(request["cwd"])), _environment(request["env"]):
            sjablonen = _option_value(request["argv"], "--sjablonen")
            self._templates_current(Path(request["cwd"]) / sjablonen if sjablonen else None)
            token = RENDER_HERE.set(True)  # a small batch renders here, with this process's warm caches
            _ROUTE[0] = sinks
            try:
                return self.command(request["argv"])
            finally:
                _ROUTE[0] = None
                RENDER_HERE.reset(token)
                self.requests += 1

    def _templates_current(self, sjablonen: Path | None) -> None:
        """Make the writers read their templates again when any template file changed since the last request
        (or the search path did); the data files are read again by every command anyway."""
        from generator import api
        from generator.writers import clear_template_caches

        try:
            roots = list(api.templates_for(self.project / "proposals", sjablonen).roots)
        except UsageError:  # a --sjablonen that is gone: the command says so
            roots = []
        key = (tuple(map(str, roots)), self.hashes.tree(roots))
        if self.templates_key != key:
            clear_template_caches()
        self.templates_key = key

    def warm_up(self) -> None:
        """Import what a build needs and render the project's first document once (to a temporary folder), so
        the first warm build does not pay for fonts, stylesheets and WeasyPrint's first render."""
        with self.busy, self.render_lock:
            self._templates_current(None)
            from generator import api
            from generator.writers import get_writer

            for fmt in ("docx", "pdf"):
                get_writer(fmt)

            folders = api.dossier_folders(self.project / "proposals")
            if folders:
                with tempfile.TemporaryDirectory(prefix="raadsvoorstel-warm-") as temp, contextlib.suppress(Exception):
                    loaded = api.loaded_dossier(folders[0], templates=api.templates_for(folders[0]))
                    first = next(iter(loaded.sets), None)
                    if first is not None:
                        api.build_report(folders[0], [first], ["pdf", "docx"], Path(temp))
            gc.collect()
            gc.freeze()  # what the warm-up made stays: later collections need not walk it


def _valid_request(request: dict[str, Any]) -> bool:
    ttys, encodings = request.get("tty"), request.get("encoding")
    return (
        isinstance(ttys, list)
        and len(ttys) == 2
        and isinstance(encodings, list)
        and len(encodings) == 2
        and all(isinstance(e, list) and len(e) == 2 and all(isinstance(p, str) for p in e) for e in encodings)
        and all(_known_codec(e[0], e[1]) for e in encodings)
        and all(isinstance(v, str | None) for v in (request.get("env") or {}).values())
    )


def _known_codec(encoding: str, errors: str) -> bool:
    try:
        "".encode(encoding, errors)
        import codecs

        codecs.lookup(encoding)
        codecs.lookup_error(errors)
    except LookupError:
        return False
    return True


def _option_value(argv: list[str], name: str) -> str | None:
    found = None
    tokens = iter(argv)
    for token in tokens:
        if token == name:
            found = next(tokens, None)
        elif token.startswith(name + "="):
            found = token.partition("=")[2]
    return found


@contextlib.contextmanager
def _working_directory(path: Path) -> Iterator[None]:
    before = os.getcwd()
    os.chdir(path)
    try:
        yield
    finally:
        os.chdir(before)


@contextlib.contextmanager
def _environment(values: dict[str, str | None]) -> Iterator[None]:
    """The client's terminal variables (width, colour) for the length of one request."""
    saved = {name: os.environ.get(name) for name in protocol.TERMINAL_ENVIRONMENT}
    try:
        for name in protocol.TERMINAL_ENVIRONMENT:
            _set(name, values.get(name))
        yield
    finally:
        for name, value in saved.items():
            _set(name, value)


def _set(name: str, value: str | None) -> None:
    if value is None:
        os.environ.pop(name, None)
    else:
        os.environ[name] = value


def start_for(folder: Path, command: Command, render_lock: Any | None = None, warm_up: bool = True) -> WarmServer:
    """Start a warm server for the project of a dossier, proposals or project folder (see ``client.project_of``)."""
    server = WarmServer(project_folder(folder), command, render_lock)
    server.start()
    if warm_up:
        threading.Thread(target=server.warm_up, name="raadsvoorstel-warm-up", daemon=True).start()
    return server


def project_folder(folder: Path) -> Path:
    """The project of a project folder (one with ``proposals/``), a proposals folder or a dossier folder."""
    folder = folder.resolve()
    if (folder / REGISTRY_FILE).is_file() or (folder / PROPOSAL_FILE).is_file():
        return project_of(folder)
    if (folder / "proposals").is_dir():
        return folder
    raise UsageError(f"{folder} is geen project: de map proposals/ ontbreekt (geef de map met proposals/ op)")


def serve(folder: Path, command: Command, on_ready: Callable[[Path], None] | None = None) -> None:
    """``raadsvoorstel server``: listen, warm up, then wait for Ctrl-C or SIGTERM; the socket is removed after."""
    stop = threading.Event()

    def stopping(_signum: int, _frame: FrameType | None) -> None:
        stop.set()

    previous = {sig: signal.signal(sig, stopping) for sig in (signal.SIGINT, signal.SIGTERM)}
    server = start_for(folder, command, warm_up=False)
    try:
        server.warm_up()
        if on_ready is not None:
            on_ready(server.path)
        while not stop.wait(3600):
            pass
    finally:
        server.close()
        for sig, handler in previous.items():
            signal.signal(sig, handler)

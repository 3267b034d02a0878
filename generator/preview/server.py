"""Start the preview: bind the socket, print the address, run uvicorn until Ctrl-C, stop cleanly.

The socket is bound here, before uvicorn starts, so the address printed (and the only ``Host`` accepted) is the
real one, also with ``--poort 0`` (any free port; the tests use it). Loopback unless ``--host`` says otherwise.
On Ctrl-C the watcher stops and every open event stream ends, so uvicorn does not wait for browsers to go.
"""

from __future__ import annotations

import asyncio
import errno
import signal
import socket
from collections.abc import Callable, Sequence
from pathlib import Path
from types import FrameType
from typing import Any, Protocol

import uvicorn
from starlette.routing import BaseRoute

from generator.errors import UsageError, os_reason
from generator.preview.app import create_app
from generator.preview.state import Preview
from generator.sources.slugs import SLUG_RE
from generator.writers.templatefiles import Templates

__all__ = ["Closable", "address", "serve"]


class Closable(Protocol):
    """Something that runs beside the preview and stops with it."""

    def close(self) -> None: ...


def address(host: str, port: int) -> str:
    """``host:port`` as a browser sends it in the Host header (IPv6 in brackets)."""
    return f"[{host}]:{port}" if ":" in host else f"{host}:{port}"


def _bind(host: str, port: int) -> socket.socket:
    if host in ("0.0.0.0", "::", ""):
        raise UsageError(
            f"'{host}' is geen adres om te openen: geef het adres van dit apparaat op (de server accepteert alleen "
            "verzoeken aan het adres dat hij toont)"
        )
    if not 0 <= port <= 65535:
        raise UsageError(f"poort {port} bestaat niet; kies 1-65535 (of 0 voor een vrije poort)")
    family = socket.AF_INET6 if ":" in host else socket.AF_INET
    sock = socket.socket(family, socket.SOCK_STREAM)
    try:
        sock.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
        sock.bind((host, port))
        sock.listen(64)
    except OSError as exc:
        sock.close()
        raise UsageError(f"kan niet luisteren op {address(host, port)}: {_bind_reason(exc, port)}") from exc
    sock.setblocking(False)
    return sock


def _bind_reason(exc: OSError, port: int) -> str:
    """Why a socket could not be opened, in Dutch, with what to do about it (the system says it in English)."""
    if isinstance(exc, socket.gaierror):
        return "deze naam of dit adres is onbekend; geef een IP-adres van dit apparaat op, bv. 127.0.0.1"
    reasons = {
        errno.EADDRINUSE: f"poort {port} is al in gebruik (door een ander programma of een andere "
        "voorbeeldweergave); kies een andere met --poort, of --poort 0 voor een vrije",
        errno.EADDRNOTAVAIL: "dit adres hoort niet bij dit apparaat; kies een adres dat het apparaat heeft, "
        "bv. 127.0.0.1",
        errno.EACCES: "geen toestemming: poorten onder 1024 vragen beheerrechten; kies een hogere poort",
        errno.EAFNOSUPPORT: "dit soort adres (IPv6 of IPv4) wordt op dit apparaat niet ondersteund",
    }
    return reasons.get(exc.errno or 0, os_reason(exc))


class _Server(uvicorn.Server):
    """uvicorn's server, which also ends the watcher and the event streams when asked to stop."""

    def __init__(self, config: uvicorn.Config, stop: asyncio.Event) -> None:
        super().__init__(config)
        self._stop = stop
        self._loop: asyncio.AbstractEventLoop | None = None

    async def startup(self, sockets: list[socket.socket] | None = None) -> None:
        self._loop = asyncio.get_running_loop()
        await super().startup(sockets=sockets)

    def handle_exit(self, sig: int, frame: FrameType | None) -> None:
        if self._loop is not None:
            self._loop.call_soon_threadsafe(self._stop.set)
        super().handle_exit(sig, frame)


def serve(
    dossier: Path,
    gemeente: str | None,
    host: str,
    port: int,
    templates: Templates,
    on_ready: Callable[[str], None] | None,
    companion: Callable[[Path, Any], Closable | None] | None = None,
    extra_routes: Callable[[Preview, str, str], Sequence[BaseRoute]] | None = None,
) -> None:
    """Serve until Ctrl-C (SIGINT) or SIGTERM; returns normally then.

    ``companion`` is started with the dossier and the preview's render lock once the page is up, and closed when
    it stops: the CLI passes the warm-build listener (``generator.warm``), so ``build`` and ``batch`` of this
    project run in this warm process too, taking turns with the page's renders. It is passed in, not imported:
    the preview sits below the command line that the warm server runs. ``extra_routes(preview, allowed_host,
    gemeente)`` adds routes before the preview's (the editor's, see ``preview.editor``).
    """
    preview = Preview(dossier, templates)
    participants = preview.participants()
    if gemeente is None:
        if not participants:
            raise UsageError(f"{dossier}: geen deelnemende gemeenten gevonden (zie 'gemeenten' in voorstel.yaml)")
        gemeente = participants[0]
    elif not SLUG_RE.fullmatch(gemeente) or gemeente not in participants:
        raise UsageError(
            f"gemeente '{gemeente}' doet niet mee aan dossier '{preview.slug}'; kies uit: {', '.join(participants)}"
        )
    sock = _bind(host, port)
    real_port = sock.getsockname()[1]
    allowed = address(host, real_port)
    stop = asyncio.Event()
    extra = extra_routes(preview, allowed, gemeente) if extra_routes is not None else ()
    app = create_app(preview, gemeente, allowed, stop, extra)
    config = uvicorn.Config(app, log_level="warning", access_log=False, lifespan="on", timeout_graceful_shutdown=3)
    server = _Server(config, stop)
    warm = companion(dossier, preview.render_lock) if companion is not None else None
    if on_ready is not None:
        on_ready(f"http://{allowed}/")
    try:
        server.run(sockets=[sock])
    except KeyboardInterrupt:  # uvicorn raises the captured Ctrl-C again after a clean shutdown
        pass
    finally:
        sock.close()
        if warm is not None:
            warm.close()
        signal.signal(signal.SIGINT, signal.default_int_handler)

"""The preview's web application: a fixed set of routes over the warm renderer, and the Host check.

Safety, in the order a request meets it:

1. :class:`HostGuard` refuses any request whose ``Host`` header is not exactly the address the server printed
   (a web page elsewhere cannot reach the server through a DNS name it controls: DNS rebinding).
2. Only the routes below exist; every parameter is checked against a fixed list (the kinds of document, the
   dossier's municipalities, pdf/docx) before it is used, and none of them ever becomes a path on disk. The
   page, its script and its style are strings in this package; the document is what the writers render.
3. Responses carry a Content-Security-Policy that allows nothing from elsewhere, and the rendered document is
   shown in a frame that runs no script of its own (the HTML writer escapes every value).
"""

from __future__ import annotations

import asyncio
import contextlib
import json
from collections.abc import AsyncIterator, Awaitable, Callable, MutableMapping, Sequence
from typing import Any

import anyio
from starlette.applications import Starlette
from starlette.requests import Request
from starlette.responses import JSONResponse, PlainTextResponse, Response, StreamingResponse
from starlette.routing import BaseRoute, Route

from generator.errors import GeneratorError
from generator.preview import shell
from generator.preview.kinds import KINDS
from generator.preview.state import DOWNLOADS, Preview
from generator.preview.watch import Inputs, watch

__all__ = ["BUSY", "Gate", "HostGuard", "Hub", "create_app"]

Scope = MutableMapping[str, Any]
Message = MutableMapping[str, Any]
Receive = Callable[[], Awaitable[Message]]
Send = Callable[[Message], Awaitable[None]]
ASGIApp = Callable[[Scope, Receive, Send], Awaitable[None]]

SECURITY_HEADERS = {
    "Content-Security-Policy": (
        "default-src 'none'; script-src 'self'; style-src 'self' 'unsafe-inline'; img-src data:; "
        "connect-src 'self'; frame-src 'self'; frame-ancestors 'none'; base-uri 'none'; form-action 'none'"
    ),
    "X-Content-Type-Options": "nosniff",
    "Referrer-Policy": "no-referrer",
    "Cache-Control": "no-store",
}
KEEPALIVE_SECONDS = 15.0
#: Requests for a view (``/staat``) and for a download admitted at once (rendering or waiting for the one
#: render lock); beyond that the answer is "bezig" at once, so a flood cannot queue up work, threads and memory
#: in front of the page's own requests.
MAX_VIEWS = 8
MAX_DOWNLOADS = 2
BUSY = "bezig: de voorbeeldweergave maakt nog een document; probeer het zo opnieuw"


class HostGuard:
    """Pure ASGI middleware: only requests addressed to ``allowed`` (host:port as printed) get through."""

    def __init__(self, app: ASGIApp, allowed: str) -> None:
        self.app = app
        self.allowed = allowed.lower()

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] in ("http", "websocket"):
            hosts = [v for k, v in scope.get("headers", []) if k == b"host"]
            if len(hosts) != 1 or hosts[0].decode("latin-1").lower() != self.allowed:
                response = PlainTextResponse(
                    "geweigerd: deze voorbeeldweergave is alleen bereikbaar via het adres dat de opdracht toonde",
                    status_code=403,
                    headers=SECURITY_HEADERS,
                )
                await response(scope, receive, send)
                return
        await self.app(scope, receive, send)


class Hub:
    """Tells every open page that the inputs changed (one queue per page; None means: the server stops)."""

    def __init__(self) -> None:
        self._queues: set[asyncio.Queue[int | None]] = set()
        self.closed = False

    def publish(self, generation: int | None) -> None:
        for queue in self._queues:
            queue.put_nowait(generation)

    def close(self) -> None:
        self.closed = True
        self.publish(None)

    @contextlib.contextmanager
    def subscribe(self) -> Any:
        queue: asyncio.Queue[int | None] = asyncio.Queue()
        self._queues.add(queue)
        try:
            yield queue
        finally:
            self._queues.discard(queue)


class Gate:
    """A bounded queue of requests: at most ``limit`` inside at once; the others are told "bezig" at once.

    The event loop runs one coroutine at a time, so a counter is enough (no lock)."""

    def __init__(self, limit: int) -> None:
        self.limit = limit
        self.inside = 0

    @contextlib.contextmanager
    def enter(self) -> Any:
        """Yields True when admitted (and counts the request until it is done), False when full."""
        if self.inside >= self.limit:
            yield False
            return
        self.inside += 1
        try:
            yield True
        finally:
            self.inside -= 1


def _busy() -> Response:
    return PlainTextResponse(BUSY, status_code=503, headers={**SECURITY_HEADERS, "Retry-After": "1"})


def _not_found() -> Response:
    return PlainTextResponse("niet gevonden", status_code=404, headers=SECURITY_HEADERS)


#: Starlette's own answers (an unknown address, a wrong method) in Dutch, with the same headers.
_HTTP_TEXTS = {404: "niet gevonden", 405: "deze methode is hier niet toegestaan"}


async def _http_error(request: Request, exc: Exception) -> Response:
    status = getattr(exc, "status_code", 500)
    return PlainTextResponse(_HTTP_TEXTS.get(status, "fout"), status_code=status, headers=SECURITY_HEADERS)


def create_app(
    preview: Preview,
    default_gemeente: str,
    allowed_host: str,
    stop: asyncio.Event,
    extra_routes: Sequence[BaseRoute] = (),
) -> ASGIApp:
    """The ASGI application; ``stop`` ends the watcher and every event stream (set on Ctrl-C).

    ``extra_routes`` (the editor's) come before the preview's own and so may replace the page at ``/``.
    """
    hub = Hub()
    inputs = Inputs(preview.dossier, preview.templates.roots)
    views, downloads = Gate(MAX_VIEWS), Gate(MAX_DOWNLOADS)

    async def on_change(templates: bool) -> None:
        generation = await anyio.to_thread.run_sync(preview.changed, templates)
        hub.publish(generation)

    @contextlib.asynccontextmanager
    async def lifespan(app: Starlette) -> AsyncIterator[None]:
        async with anyio.create_task_group() as tasks:
            tasks.start_soon(watch, inputs, on_change, stop)

            async def close_streams() -> None:
                await stop.wait()
                hub.close()

            tasks.start_soon(close_streams)
            tasks.start_soon(anyio.to_thread.run_sync, _warm_up)
            yield
            stop.set()

    def checked(request: Request) -> tuple[str, str] | None:
        kind = request.query_params.get("soort") or request.path_params.get("soort") or "voorstel"
        gemeente = request.query_params.get("gemeente") or request.path_params.get("gemeente") or default_gemeente
        if kind not in KINDS or gemeente not in preview.participants():
            return None
        return kind, gemeente

    async def page(request: Request) -> Response:
        return Response(
            shell.page(preview.slug, default_gemeente), media_type="text/html; charset=utf-8", headers=SECURITY_HEADERS
        )

    async def script(request: Request) -> Response:
        return Response(shell.SCRIPT, media_type="text/javascript; charset=utf-8", headers=SECURITY_HEADERS)

    async def style(request: Request) -> Response:
        return Response(shell.STYLE, media_type="text/css; charset=utf-8", headers=SECURITY_HEADERS)

    async def state(request: Request) -> Response:
        with views.enter() as admitted:
            if not admitted:
                return _busy()
            found = await anyio.to_thread.run_sync(checked, request)
            if found is None:
                return _not_found()
            view = await anyio.to_thread.run_sync(preview.view, *found)
        return JSONResponse(view.as_json(), headers=SECURITY_HEADERS)

    async def download(request: Request) -> Response:
        with downloads.enter() as admitted:
            if not admitted:
                return _busy()
            found = await anyio.to_thread.run_sync(checked, request)
            fmt = request.path_params["fmt"]
            if found is None or fmt not in DOWNLOADS or not KINDS[found[0]].available:
                return _not_found()
            try:
                name, data = await anyio.to_thread.run_sync(preview.download, *found, fmt)
            except GeneratorError as exc:
                return PlainTextResponse(str(exc), status_code=409, headers=SECURITY_HEADERS)
        headers = {**SECURITY_HEADERS, "Content-Disposition": f'inline; filename="{name}"'}
        return Response(data, media_type=DOWNLOADS[fmt], headers=headers)

    async def events(request: Request) -> Response:
        async def stream() -> AsyncIterator[str]:
            with hub.subscribe() as queue:
                yield f"retry: 1000\nevent: versie\ndata: {json.dumps(preview.generation)}\n\n"
                while not hub.closed:
                    try:
                        generation = await asyncio.wait_for(queue.get(), KEEPALIVE_SECONDS)
                    except TimeoutError:
                        yield ": wacht\n\n"
                        continue
                    if generation is None:
                        return
                    yield f"event: wijziging\ndata: {json.dumps(generation)}\n\n"

        headers = {**SECURITY_HEADERS, "X-Accel-Buffering": "no"}
        return StreamingResponse(stream(), media_type="text/event-stream", headers=headers)

    routes = [
        *extra_routes,
        Route("/", page),
        Route("/voorbeeld.js", script),
        Route("/voorbeeld.css", style),
        Route("/staat", state),
        Route("/gebeurtenissen", events),
        Route("/download/{soort}/{gemeente}.{fmt}", download),
    ]
    app = Starlette(routes=routes, lifespan=lifespan, exception_handlers={404: _http_error, 405: _http_error})
    return HostGuard(app, allowed_host)


def _warm_up() -> None:
    """Import the PDF writer (and so WeasyPrint) in the background: the first click on "PDF" is then quick."""
    import importlib

    importlib.import_module("generator.writers.pdf")

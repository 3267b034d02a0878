"""The editor's routes, added to the preview's application (same Host check, same warm renderer).

Safety beyond the preview's, for the requests that change files:

1. every POST needs the page's CSRF token (``X-CSRF-Token``, made fresh per server start) and an ``Origin``
   that is exactly the address the server printed: a page elsewhere can neither read the token nor send it;
2. a request names a file by one of the fixed patterns of :mod:`.files` (nothing outside the dossier, its
   overlays, its ``bijlagen/`` and the registry beside it) and fields by key paths;
3. bodies are bounded (:data:`MAX_BODY`, uploads :data:`.uploads.MAX_BYTES`), uploads are stored, never opened;
4. each write names the version it was made against (``If-Match``); a file changed on disk is not overwritten.
"""

from __future__ import annotations

import io
import json
import secrets
import zipfile
from collections.abc import Sequence
from pathlib import PurePosixPath
from typing import Any

import anyio
from starlette.requests import Request
from starlette.responses import JSONResponse, PlainTextResponse, Response
from starlette.routing import BaseRoute, Route

from generator.editing import ConflictError
from generator.errors import GeneratorError, Problem, Severity
from generator.preview import shell
from generator.preview.app import SECURITY_HEADERS
from generator.preview.editor import form, local, saving, uploads
from generator.preview.editor.files import REGISTRY, DossierFiles
from generator.preview.state import Preview
from generator.sources.layout import OVERLAY_DIR, PROPOSAL_FILE, REGISTRY_FILE

__all__ = ["MAX_BODY", "Editor", "asset", "routes"]

MAX_BODY = 2 * 1024 * 1024
#: The editor page may frame the preview page (same origin), nothing else may frame either.
FRAMED_HEADERS = {
    **SECURITY_HEADERS,
    "Content-Security-Policy": SECURITY_HEADERS["Content-Security-Policy"].replace(
        "frame-ancestors 'none'", "frame-ancestors 'self'"
    ),
}


def asset(name: str) -> str:
    """A file of the editor's page (script, style) from the package."""
    from importlib.resources import files

    return (files("generator.preview.editor") / "assets" / name).read_text(encoding="utf-8")


def _refused(message: str, status: int = 403) -> Response:
    return PlainTextResponse(message, status_code=status, headers=SECURITY_HEADERS)


class Editor:
    """The editor's state beside the preview: the dossier's files, the CSRF token, the problems per generation."""

    def __init__(self, preview: Preview, allowed_host: str) -> None:
        self.preview = preview
        self.files = DossierFiles(preview.dossier)
        self.origin = f"http://{allowed_host}"
        self.token = secrets.token_urlsafe(32)
        self._problems: tuple[int, list[dict[str, str]]] | None = None

    def check(self, request: Request) -> Response | None:
        """None when the request may change files; else the refusal."""
        if request.headers.get("origin") != self.origin:
            return _refused("geweigerd: dit verzoek komt niet van de pagina van de editor")
        if not secrets.compare_digest(request.headers.get("x-csrf-token", ""), self.token):
            return _refused("geweigerd: het verzoek mist het sleutelwoord van de pagina; laad de pagina opnieuw")
        return None

    async def body(self, request: Request, limit: int) -> bytes | None:
        """The request body, or None when it is larger than ``limit``."""
        declared = request.headers.get("content-length")
        if declared is not None and (not declared.isdigit() or int(declared) > limit):
            return None
        chunks: list[bytes] = []
        size = 0
        async for chunk in request.stream():
            size += len(chunk)
            if size > limit:
                return None
            chunks.append(chunk)
        return b"".join(chunks)

    def problems(self) -> list[dict[str, str]]:
        """Every finding of ``validate`` for the dossier now, with the file (relative to the dossier) it is in."""
        from generator.core import load as core

        generation = self.preview.generation
        if self._problems is not None and self._problems[0] == generation:
            return self._problems[1]
        tree, slug = self.preview.tree, self.preview.slug
        try:
            _, found = core.load(tree, slug)
        except GeneratorError as exc:
            found = (Problem(form_location(tree, slug), "", str(exc)),)
        names = {tree.display(PurePosixPath(slug, PROPOSAL_FILE)): PROPOSAL_FILE,
                 tree.display(PurePosixPath(REGISTRY_FILE)): REGISTRY}  # fmt: skip
        for name in tree.list_dir(PurePosixPath(slug, OVERLAY_DIR)):
            names[tree.display(PurePosixPath(slug, OVERLAY_DIR, name))] = f"{OVERLAY_DIR}/{name}"
        result = [
            {
                "bestand": names.get(p.location.file, ""),
                "veld": p.field,
                "plaats": str(p.location),
                "melding": p.message,
                "soort": "fout" if p.severity is Severity.ERROR else "waarschuwing",
            }
            for p in found
        ]
        self._problems = (generation, result)
        return result


def form_location(tree: Any, slug: str) -> Any:
    from generator.errors import Location

    return Location(tree.display(PurePosixPath(slug, PROPOSAL_FILE)))


def routes(preview: Preview, allowed_host: str, default_gemeente: str) -> Sequence[BaseRoute]:
    """The editor's routes for :func:`generator.preview.app.create_app` (they come before the preview's)."""
    editor = Editor(preview, allowed_host)

    def page_context(gemeente: str) -> dict[str, Any]:
        return form.context(editor.files, preview.slug, gemeente, editor.token)

    async def page(request: Request) -> Response:
        gemeente = request.query_params.get("gemeente", default_gemeente)
        html = await anyio.to_thread.run_sync(lambda: form.render(page_context(gemeente)))
        return Response(html, media_type="text/html; charset=utf-8", headers=FRAMED_HEADERS)

    async def preview_page(request: Request) -> Response:
        members = await anyio.to_thread.run_sync(preview.participants)
        wanted = request.query_params.get("gemeente", default_gemeente)
        gemeente = wanted if wanted in members else (members[0] if members else "")
        return Response(shell.page(preview.slug, gemeente), media_type="text/html; charset=utf-8",
                        headers=FRAMED_HEADERS)  # fmt: skip

    async def script(request: Request) -> Response:
        return Response(asset("bewerken.js"), media_type="text/javascript; charset=utf-8", headers=SECURITY_HEADERS)

    async def style(request: Request) -> Response:
        return Response(asset("bewerken.css"), media_type="text/css; charset=utf-8", headers=SECURITY_HEADERS)

    async def problems(request: Request) -> Response:
        found = await anyio.to_thread.run_sync(editor.problems)
        return JSONResponse({"versie": preview.generation, "meldingen": found}, headers=SECURITY_HEADERS)

    async def json_body(request: Request) -> dict[str, Any] | Response:
        """A state-changing request's JSON object once its token, origin and size passed; else the refusal."""
        refused = editor.check(request)
        if refused is not None:
            return refused
        raw = await editor.body(request, MAX_BODY)
        if raw is None:
            return _refused("te groot verzoek", 413)
        try:
            body = json.loads(raw)
        except ValueError:
            return _refused("onleesbaar verzoek", 400)
        return body if isinstance(body, dict) else _refused("onleesbaar verzoek", 400)

    async def save(request: Request) -> Response:
        body = await json_body(request)
        if isinstance(body, Response):
            return body
        try:
            bestand = str(body["bestand"])
            changes = body["wijzigingen"]
            if not isinstance(changes, list) or not all(isinstance(c, dict) for c in changes):
                raise ValueError
        except (ValueError, KeyError, TypeError):
            return _refused("onleesbaar verzoek", 400)
        expected = request.headers.get("if-match", "")

        def work() -> dict[str, Any]:
            path = editor.files.path(bestand)
            needs_data = bestand == REGISTRY or any(
                c.get("soort") in ("voeg_in", "wis") or c.get("naam") == "status" for c in changes
            )  # a status change adds its step to the history that is there
            current = editor.files.read(bestand)[0] if needs_data else None  # a text's save skips the parse
            version = saving.apply(path, bestand, changes, current, expected)
            return {"versie": version, "weergave": _shown(editor.files, changes)}

        return await _answer(work, bestand)

    async def make_local(request: Request) -> Response:
        body = await json_body(request)
        if isinstance(body, Response):
            return body
        try:
            section = str(body["sectie"])
            position = int(body["positie"])
            gemeente = str(body["gemeente"])
            action = str(body["actie"])
            text = str(body.get("tekst", ""))
            versions = {str(k): str(v) for k, v in dict(body["versies"]).items()}
        except (ValueError, KeyError, TypeError):
            return _refused("onleesbaar verzoek", 400)

        def work() -> dict[str, str]:
            from generator.editing import Insert, Set, apply_edits, read_version
            from generator.model.sections import BY_KEY, Kind

            spec = BY_KEY.get(section)
            if spec is None or spec.kind is not Kind.TEXT or gemeente not in preview.participants():
                raise GeneratorError("deze tekst of gemeente kent de editor niet")
            overlay = editor.files.overlay(gemeente)
            base_path, overlay_path = editor.files.path(PROPOSAL_FILE), editor.files.path(overlay)
            for bestand, path in ((PROPOSAL_FILE, base_path), (overlay, overlay_path)):
                if read_version(path)[1] != versions.get(bestand):
                    raise ConflictError(f"{bestand} is gewijzigd sinds de pagina het laadde; laad de pagina opnieuw")
            data, _ = editor.files.read(PROPOSAL_FILE)
            shared = data.get(section) if isinstance(data, dict) else None
            if not isinstance(shared, str):
                raise GeneratorError("schrijf eerst de gedeelde tekst en sla hem op")
            labelled, label = local.label_at(shared, position)
            item = local.entry(action, label, text)
            result = {"label": label, "tekst": labelled}
            overlay_data, _ = editor.files.read(overlay)
            existing = overlay_data.get("lokaal", {}) if isinstance(overlay_data, dict) else {}
            existing = existing.get(section) if isinstance(existing, dict) else None
            if labelled != shared:
                result[PROPOSAL_FILE] = apply_edits(base_path, [Set((section,), labelled)], versions[PROPOSAL_FILE])
            else:
                result[PROPOSAL_FILE] = versions[PROPOSAL_FILE]
            if isinstance(existing, list):
                edit: Any = Insert(("lokaal", section), len(existing), item)
            else:
                edit = Set(("lokaal", section), [item], saving.key_order())
            header = "# Wat voor deze gemeente anders is dan de gedeelde tekst in ../voorstel.yaml.\n"
            result[overlay] = apply_edits(overlay_path, [edit], versions[overlay], header)
            return result

        return await _answer(work, PROPOSAL_FILE)

    async def upload(request: Request) -> Response:
        refused = editor.check(request)
        if refused is not None:
            return refused
        name = request.query_params.get("naam", "")
        try:
            uploads.check_name(name)
        except GeneratorError as exc:
            return _refused(str(exc), 400)
        raw = await editor.body(request, uploads.MAX_BYTES)
        if raw is None:
            return _refused(f"het bestand is te groot (hoogstens {uploads.MAX_BYTES // (1024 * 1024)} MB)", 413)

        def work() -> dict[str, str]:
            uploads.store(editor.files.attachments, name, raw)
            return {"bestand": name}

        return await _answer(work, "")

    async def all_pdf(request: Request) -> Response:
        def work() -> bytes:
            buffer = io.BytesIO()
            with zipfile.ZipFile(buffer, "w", zipfile.ZIP_STORED) as archive:
                for gemeente in preview.participants():
                    name, data = preview.download("voorstel", gemeente, "pdf")
                    archive.writestr(zipfile.ZipInfo(name, (2020, 1, 1, 0, 0, 0)), data)
            return buffer.getvalue()

        try:
            data = await anyio.to_thread.run_sync(work)
        except GeneratorError as exc:
            return _refused(str(exc), 409)
        headers = {**SECURITY_HEADERS, "Content-Disposition": f'attachment; filename="{preview.slug}-pdf.zip"'}
        return Response(data, media_type="application/zip", headers=headers)

    return [
        Route("/", page),
        Route("/voorbeeld", preview_page),
        Route("/bewerken.js", script),
        Route("/bewerken.css", style),
        Route("/bewerken/meldingen", problems),
        Route("/bewerken/opslaan", save, methods=["POST"]),
        Route("/bewerken/lokaal", make_local, methods=["POST"]),
        Route("/bewerken/bijlage", upload, methods=["POST"]),
        Route("/download/alle-pdf.zip", all_pdf),
    ]


def _shown(files: DossierFiles, changes: list[dict[str, Any]]) -> dict[str, str]:
    """How the document shows each saved amount or number ("€ 54.400"), for the note beside its field."""
    names = [str(c.get("naam")) for c in changes if str(c.get("naam", "")).startswith("waarden.")]
    if not names:
        return {}
    base, _ = files.read(PROPOSAL_FILE)
    variables = base.get("variabelen") if isinstance(base, dict) else None
    variables = variables if isinstance(variables, dict) else {}
    shown: dict[str, str] = {}
    for change in changes:
        name = str(change.get("naam", ""))
        spec = variables.get(name.removeprefix("waarden.")) if name.startswith("waarden.") else None
        if isinstance(spec, dict) and spec.get("soort") in ("bedrag", "getal"):
            shown[name] = form.display_value(change.get("waarde"), str(spec["soort"]))[1]
    return shown


async def _answer(work: Any, bestand: str) -> Response:
    """Run ``work`` in a thread; its result as JSON, a conflict as 409 and any other refusal as 422 (Dutch)."""
    try:
        result = await anyio.to_thread.run_sync(work)
    except ConflictError as exc:
        return JSONResponse({"fout": str(exc), "conflict": True}, status_code=409, headers=SECURITY_HEADERS)
    except GeneratorError as exc:
        return JSONResponse({"fout": str(exc)}, status_code=422, headers=SECURITY_HEADERS)
    headers = dict(SECURITY_HEADERS)
    if isinstance(result, dict) and "versie" in result:
        headers["ETag"] = f'"{result["versie"]}"'
    return JSONResponse(result, headers=headers)

"""The warm renderer: the current view of each (kind, municipality), and the last good document of each.

Why a generation counter: the watcher only says "something changed" (cheap, at once); a page then asks for
its view and the render happens once per generation, however many pages ask. An invalid save keeps the last
good document — its HTML and the Document the PDF and DOCX buttons render — next to the new problems.

Rendering runs in a worker thread; one lock keeps it to one render at a time (the generator is written for one
document at a time per process, and the machine is small).
"""

from __future__ import annotations

import threading
from dataclasses import dataclass, field
from pathlib import Path, PurePosixPath

from generator.core.render import clear_template_caches, render
from generator.document.nodes import Document
from generator.errors import GeneratorError, Location, Problem, RenderError, Severity, UsageError
from generator.preview import problems as findings
from generator.preview.kinds import KINDS, DocumentKind, Loaded, participants
from generator.sources.dossier import find_dossier
from generator.sources.layout import PROPOSAL_FILE
from generator.writers.templatefiles import Templates

__all__ = ["DOWNLOADS", "Preview", "View"]

#: The formats the page's buttons offer, with their media types.
DOWNLOADS = {
    "pdf": "application/pdf",
    "docx": "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
}


@dataclass(frozen=True, slots=True)
class View:
    """What the page shows for one (kind, municipality) at one generation."""

    generation: int
    kind: str
    gemeente: str
    html: str | None  # the last good document's HTML, None when there never was one
    stale: bool  # the HTML is older than the data: the latest save has errors
    problems: tuple[findings.ProblemView, ...]
    hidden: int  # findings about other municipalities only, left out
    participants: tuple[str, ...]
    names: dict[str, str] = field(default_factory=dict)

    def as_json(self) -> dict[str, object]:
        return {
            "versie": self.generation,
            "soort": self.kind,
            "gemeente": self.gemeente,
            "html": self.html,
            "verouderd": self.stale,
            "problemen": [p.as_json() for p in self.problems],
            "verborgen": self.hidden,
            "gemeenten": [{"code": g, "naam": self.names.get(g, g)} for g in self.participants],
            "soorten": [{"code": k.name, "naam": k.label, "beschikbaar": k.available} for k in KINDS.values()],
        }


@dataclass(slots=True)
class _Good:
    generation: int
    document: Document
    html: str


class Preview:
    """One dossier, kept warm: loads and renders through ``core`` on demand, at most once per generation."""

    def __init__(self, dossier: Path, templates: Templates) -> None:
        if not (dossier / PROPOSAL_FILE).is_file():
            raise UsageError(f"{dossier} is geen dossier: {PROPOSAL_FILE} ontbreekt")
        self.dossier = dossier.resolve()
        self.tree, self.slug = find_dossier(dossier)
        self.templates = templates
        self.generation = 0
        self._lock = threading.Lock()
        self._views: dict[tuple[str, str], View] = {}
        self._good: dict[tuple[str, str], _Good] = {}
        self._participants: tuple[int, tuple[str, ...]] | None = None
        self._known: tuple[str, ...] = ()  # the last non-empty list: kept while voorstel.yaml cannot be read
        self._files: dict[tuple[str, str, str], tuple[_Good, bytes]] = {}  # downloads, once per good document


    @property
    def render_lock(self) -> threading.Lock:
        """The lock every render of this preview holds: a warm build beside the page takes turns with it."""
        return self._lock
    def changed(self, templates: bool) -> int:
        """Inputs changed on disk: the next request renders again (templates: writers re-read their files)."""
        with self._lock:
            if templates:
                clear_template_caches()
                self._files.clear()  # the same document looks different now
            self.generation += 1
            return self.generation

    def participants(self) -> tuple[str, ...]:
        """The municipalities of the dossier now; read once per generation, since every request checks its
        ``gemeente`` against them. While ``voorstel.yaml`` cannot be read (a YAML syntax error, a file too large
        or unreadable) the last list it gave stays, so the page can still ask for its view and show why."""
        with self._lock:
            if self._participants is None or self._participants[0] != self.generation:
                now = participants(self.tree, self.slug)
                self._known = now or self._known
                self._participants = (self.generation, self._known)
            return self._participants[1]

    def _load(self, kind: DocumentKind, gemeente: str) -> Loaded:
        assert kind.load is not None
        try:
            return kind.load(self.tree, self.slug, gemeente)
        except UsageError as exc:  # e.g. the municipality was just taken out of 'gemeenten'
            shown = self.tree.display(PurePosixPath(self.slug, PROPOSAL_FILE))
            problem = Problem(Location(shown), "gemeenten", str(exc), Severity.ERROR)
            return Loaded(None, (problem,), participants(self.tree, self.slug), {}, {}, None, None)

    def view(self, kind_name: str, gemeente: str) -> View:
        """The view at the current generation (rendered now if this generation has none yet)."""
        kind = KINDS[kind_name]
        with self._lock:
            key = (kind_name, gemeente)
            cached = self._views.get(key)
            if cached is not None and cached.generation == self.generation:
                return cached
            if not kind.available:
                members = participants(self.tree, self.slug)
                view = View(self.generation, kind_name, gemeente, None, False, (), 0, members)
            else:
                view = self._render(kind, gemeente)
            self._views[key] = view
            return view

    def _render(self, kind: DocumentKind, gemeente: str) -> View:
        loaded = self._load(kind, gemeente)
        self._known = loaded.participants or self._known
        found = [
            p for p in loaded.problems if findings.relevant(p, gemeente, loaded.overlay_files, loaded.registry_file)
        ]
        hidden = len(loaded.problems) - len(found)  # about other municipalities only: they do not stop this one
        document = loaded.document
        html: str | None = None
        has_errors = any(p.severity is Severity.ERROR for p in found)
        if document is not None and not has_errors:
            try:
                rendered = render(document, "html", self.templates)
                html = rendered if isinstance(rendered, str) else rendered.decode("utf-8")
            except GeneratorError as exc:  # a broken template: a problem like any other, the last good stays
                found.append(Problem(Location("sjablonen"), "", str(exc), Severity.ERROR))
        key = (kind.name, gemeente)
        if html is not None and document is not None:
            self._good[key] = _Good(self.generation, document, html)
        good = self._good.get(key)
        target_doc = document if document is not None else (good.document if good is not None else None)
        views = tuple(findings.view(p, target_doc, loaded.base, loaded.registry_file) for p in found)
        order = {"fout": 0, "waarschuwing": 1, "invullen": 2}
        return View(
            generation=self.generation,
            kind=kind.name,
            gemeente=gemeente,
            html=good.html if good is not None else None,
            stale=good is not None and good.generation != self.generation,
            problems=tuple(sorted(views, key=lambda v: order[v.kind])),
            hidden=hidden,
            participants=loaded.participants or self._known,
            names=loaded.names,
        )

    def download(self, kind_name: str, gemeente: str, fmt: str) -> tuple[str, bytes]:
        """(file name, bytes) of the last good document in ``fmt``: rendered once per good document and format,
        then served again from memory (a PDF takes seconds; clicking twice, or ten pages asking, must not)."""
        self.view(kind_name, gemeente)  # bring the state up to date first
        kind = KINDS[kind_name]
        key = (kind_name, gemeente, fmt)
        with self._lock:
            good = self._good.get((kind_name, gemeente))
            if good is None:
                raise RenderError("er is nog geen geldig document om te downloaden; los eerst de fouten op")
            cached = self._files.get(key)
            if cached is not None and cached[0] is good:
                data: bytes = cached[1]
            else:
                rendered = render(good.document, fmt, self.templates)
                data = rendered if isinstance(rendered, bytes) else rendered.encode("utf-8")
                self._files[key] = (good, data)
        return f"{kind.file_stem}-{self.slug}-{gemeente}.{fmt}", data


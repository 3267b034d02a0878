"""The front door: everything the CLI (and the tests, batch and diffing) call.

Each function takes paths and plain options and either returns results or raises a ``GeneratorError``; only
``cli.py`` turns those into messages and exit codes. The core — :func:`load`, :func:`validate`,
:func:`documents`, :func:`build` — sits below ``batch`` and ``diffing``, which use it; :func:`run_batch`,
:func:`compare` and :func:`preview` hand over to the packages above, imported on use (the front door dispatches,
it does not depend on them, so a ``validate`` never imports a process pool, git code or a web server).
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING

from generator.document.nodes import Document
from generator.errors import DataError, Problem, Problems, RenderError, Severity, UsageError
from generator.layout import REGISTRY_FILE
from generator.output import document_path, write_atomic
from generator.schema import SCHEMAS
from generator.writers import FORMATS, WriterOptions, extension, get_writer
from generator.writers.templatefiles import Templates

if TYPE_CHECKING:
    from generator.batch.progress import Reporter
    from generator.batch.schedule import Summary
    from generator.diffing.model import DiffReport
    from generator.model.proposal import Register
    from generator.sources.dossier import DossierFiles, Tree

__all__ = [
    "FORMATS",
    "SCHEMAS",
    "LoadedDossier",
    "Report",
    "build",
    "compare",
    "documents",
    "dossier_folders",
    "dump",
    "is_loopback",
    "load",
    "new_dossier",
    "participants",
    "preview",
    "render",
    "render_diff",
    "run_batch",
    "schema_text",
    "templates_for",
    "validate",
    "write_schemas",
]

DEFAULT_FORMATS = ("docx", "pdf")


@dataclass(frozen=True)
class Report:
    """The outcome of validating one or more dossiers."""

    problems: tuple[Problem, ...]

    @property
    def errors(self) -> tuple[Problem, ...]:
        return tuple(p for p in self.problems if p.severity is Severity.ERROR)

    @property
    def warnings(self) -> tuple[Problem, ...]:
        return tuple(p for p in self.problems if p.severity is Severity.WARNING)

    def ok(self, strict: bool = False) -> bool:
        return not self.errors and not (strict and self.warnings)


def _unique(problems: Iterable[Problem]) -> tuple[Problem, ...]:
    """Each problem once (shared text is checked once per municipality), in file/line order."""
    return tuple(
        sorted(
            set(problems),
            key=lambda p: (p.location.file, p.location.line, p.location.column, p.field, p.message),
        )
    )


@dataclass(frozen=True)
class LoadedDossier:
    files: DossierFiles
    register: Register | None
    documents: dict[str, Document]


def load(tree: Tree, slug: str, gemeenten: Sequence[str] = ()) -> tuple[LoadedDossier, tuple[Problem, ...]]:
    """Load, merge, validate and build every requested municipality's document of one dossier."""
    from generator.document.build import build as build_document  # pydantic and Jinja: only when validating
    from generator.resolve import load_register, resolve
    from generator.sources.dossier import load_dossier

    problems = Problems()
    files = load_dossier(tree, slug, problems)
    register = load_register(files, problems)
    built: dict[str, Document] = {}
    if register is not None and files.base is not None:
        participants = _participants(files)
        for name in gemeenten:
            if name not in participants:
                raise UsageError(
                    f"gemeente '{name}' doet niet mee aan dossier '{slug}'; kies uit: {', '.join(participants) or '-'}"
                )
        for stem, overlay in files.overlays.items():
            if stem not in participants:
                problems.error(
                    overlay.source.nearest(()),
                    "",
                    f"'{stem}' is geen deelnemende gemeente van dit dossier (zie 'gemeenten' in voorstel.yaml); "
                    "hernoem of verwijder het bestand",
                )
        for name in gemeenten or participants:
            proposal = resolve(files, register, name, problems)
            if proposal is not None:
                built[name] = build_document(proposal, problems)
    return LoadedDossier(files, register, built), _unique(problems)


def participants(files: DossierFiles) -> list[str]:
    """The municipalities taking part in a dossier, in the order its ``gemeenten`` lists them."""
    return _participants(files)


def _participants(files: DossierFiles) -> list[str]:
    raw = files.base.data.get("gemeenten") if files.base is not None else None
    return [g for g in raw if isinstance(g, str)] if isinstance(raw, list) else []


def validate(dossiers: Sequence[Path]) -> Report:
    """Every problem of every dossier (errors and warnings)."""
    from generator.sources.dossier import find_dossier

    found: list[Problem] = []
    for path in dossiers:
        tree, slug = find_dossier(path)
        _, problems = load(tree, slug)
        found.extend(problems)
    return Report(_unique(found))


def documents(dossier: Path, gemeenten: Sequence[str] = (), strict: bool = False) -> dict[str, Document]:
    """The documents of a dossier; raises DataError when any problem (or, strict, warning) is found."""
    from generator.sources.dossier import find_dossier

    tree, slug = find_dossier(dossier)
    loaded, problems = load(tree, slug, gemeenten)
    report = Report(problems)
    if not report.ok(strict):
        raise DataError(report.errors + (report.warnings if strict else ()))
    return loaded.documents


def dossier_folders(proposals: Path) -> list[Path]:
    """The dossier folders (those with a voorstel.yaml) below a proposals folder."""
    from generator.sources.dossier import dossier_folders as folders

    return folders(proposals)


def templates_for(folder: Path, sjablonen: Path | None = None) -> Templates:
    """The template search path for a dossier folder or a proposals folder (see ``writers.templatefiles``).

    The project is the folder that holds ``proposals/``: its ``templates/`` overrides the package's defaults
    file by file, and ``sjablonen`` (``--sjablonen DIR``) overrides both.
    """
    if sjablonen is not None and not sjablonen.is_dir():
        raise UsageError(f"sjablonenmap {sjablonen} bestaat niet")
    folder = folder.resolve()
    proposals = folder if (folder / REGISTRY_FILE).is_file() or not (folder.parent / REGISTRY_FILE).is_file() else (
        folder.parent
    )
    return Templates.for_project(proposals.parent, sjablonen)


def build(
    dossier: Path,
    gemeenten: Sequence[str] = (),
    formats: Sequence[str] = DEFAULT_FORMATS,
    out: Path = Path("output"),
    strict: bool = False,
    templates: Templates | None = None,
) -> list[Path]:
    """Write every requested document of one dossier; nothing is written unless all data is valid.

    A writer that fails on a document raises :class:`RenderError` (exit 1: the document, not the program, is
    at fault); anything else a writer raises is a bug and travels on as an internal error (exit 3).
    """
    options = WriterOptions(templates or templates_for(dossier))
    unknown = [f for f in formats if f not in FORMATS]
    if unknown:
        raise UsageError(f"onbekend formaat: {', '.join(unknown)}; kies uit {', '.join(FORMATS)}")
    written: list[Path] = []
    for slug, document in documents(dossier, gemeenten, strict=strict).items():
        for fmt in dict.fromkeys(formats):
            target = document_path(out, document.dossier, slug, extension(fmt))
            write_atomic(target, get_writer(fmt)(document, options))
            written.append(target)
    return written


def render(document: Document, fmt: str, templates: Templates | None = None) -> str | bytes:
    """One document in one format, in memory (the preview's view and its PDF and DOCX buttons)."""
    if fmt not in FORMATS:
        raise UsageError(f"onbekend formaat: {fmt}; kies uit {', '.join(FORMATS)}")
    return get_writer(fmt)(document, WriterOptions(templates or Templates()))


def dump(dossier: Path, gemeente: str) -> str:
    """The canonical plain text of one municipality's document (reviewers, golden tests)."""
    document = documents(dossier, [gemeente])[gemeente]
    text = get_writer("txt")(document, WriterOptions())
    if not isinstance(text, str):  # pragma: no cover - the txt writer returns text by contract
        raise RenderError("de tekstweergave gaf geen tekst terug")
    return text


def schema_text(kind: str) -> str:
    """The JSON Schema of one kind of data file."""
    from generator.schema import schema_text as text

    return text(kind)


def write_schemas(out: Path) -> list[Path]:
    """Every JSON Schema into ``out`` (atomically)."""
    from generator.schema import schema_text as text

    written = []
    for kind in SCHEMAS:
        target = out / f"{kind}.schema.json"
        write_atomic(target, text(kind))
        written.append(target)
    return written


def new_dossier(folder: Path) -> tuple[Path, bool]:
    """Scaffold a dossier; returns the new voorstel.yaml and whether the registry beside it exists."""
    from generator import scaffold
    from generator.slugs import SLUG_RE

    if not SLUG_RE.fullmatch(folder.name):
        raise UsageError(f"'{folder.name}' is geen geldige dossiernaam: gebruik kleine letters, cijfers en streepjes")
    if folder.exists():
        raise UsageError(f"{folder} bestaat al; kies een andere naam")
    registry = folder.parent / REGISTRY_FILE
    return scaffold.create(folder, _registry_slugs(registry)), registry.is_file()


def _registry_slugs(registry: Path) -> list[str]:
    """The municipalities of a registry, or none when it is missing or unreadable (``new`` still works)."""
    if not registry.is_file():
        return []
    from generator.sources import load_yaml

    try:
        data, _ = load_yaml(registry)
    except DataError:
        return []
    gemeenten = data.get("gemeenten") if isinstance(data, dict) else None
    return [str(k) for k in gemeenten] if isinstance(gemeenten, dict) else []


def run_batch(
    proposals: Path,
    out: Path,
    formats: Sequence[str] = DEFAULT_FORMATS,
    jobs: int | None = None,
    force: bool = False,
    templates: Templates | None = None,
    reporter: Reporter | None = None,
) -> Summary:
    """A whole council round (see :mod:`generator.batch`)."""
    if not proposals.is_dir():
        raise UsageError(f"map {proposals} bestaat niet; geef de map met dossiers op")
    if not dossier_folders(proposals):
        raise UsageError(f"geen dossiers (mappen met voorstel.yaml) gevonden in {proposals}")
    from generator.batch.run import run_batch as run

    return run(proposals, out, formats, jobs, force, templates or templates_for(proposals), reporter)


def compare(old: str, new: str | None, gemeente: str | None = None, tegen: str | None = None) -> DiffReport:
    """The comparison of ``raadsvoorstel diff`` (see :mod:`generator.diffing.inputs`)."""
    from generator.diffing import inputs

    return inputs.compare(old, new, gemeente, tegen)


def render_diff(report: DiffReport, fmt: str, author: str | None = None, date: dt.date | None = None) -> str | bytes:
    """A comparison as text, HTML or a tracked-changes DOCX (see :mod:`generator.diffing`)."""
    from generator import diffing

    return diffing.render(report, fmt, author, date)


def write_diff(
    report: DiffReport, fmt: str, output: Path | None, author: str | None = None, date: dt.date | None = None
) -> str | bytes:
    """Render a comparison and, with ``output``, write it atomically; trouble here is exit code 2 (diff(1))."""
    from generator.diffing.inputs import DiffError
    from generator.errors import OutputError

    try:
        data = render_diff(report, fmt, author, date)
        if output is not None:
            write_atomic(output, data)
    except (RenderError, OutputError) as exc:  # trouble, not a difference
        raise DiffError(str(exc)) from exc
    return data


def preview(
    dossier: Path,
    gemeente: str | None = None,
    host: str = "127.0.0.1",
    port: int = 8765,
    templates: Templates | None = None,
    on_ready: Callable[[str], None] | None = None,
) -> None:
    """Serve the live preview of a dossier until Ctrl-C (see :mod:`generator.preview`).

    ``on_ready`` receives the address once the port is open; the CLI prints it. Returns when stopped.
    """
    from generator.preview.server import serve

    serve(dossier, gemeente, host, port, templates or templates_for(dossier), on_ready)


def is_loopback(host: str) -> bool:
    """Whether ``host`` is this machine only (127.0.0.1, ::1, localhost): the preview warns otherwise."""
    import ipaddress

    if host == "localhost":
        return True
    try:
        return ipaddress.ip_address(host).is_loopback
    except ValueError:
        return False


def progress_reporter(interactive: bool) -> Reporter:
    """A progress bar on a terminal, plain lines in logs (see :mod:`generator.batch.progress`)."""
    from generator.batch.progress import make_reporter

    return make_reporter(interactive)


def color_diff(report: DiffReport) -> object:
    """The comparison as rich renderables for a colour terminal."""
    from generator.diffing import text

    return text.render(report, color=True)

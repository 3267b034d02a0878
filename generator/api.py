"""The front door: everything the CLI (and the tests, batch and diffing) call.

Each function takes paths and plain options and either returns results or raises a ``GeneratorError``; only
``cli.py`` turns those into messages and exit codes. The core — :func:`load`, :func:`validate`,
:func:`documents`, :func:`build` — sits below ``batch`` and ``diffing``, which use it; :func:`run_batch`,
:func:`compare` and :func:`preview` hand over to the packages above, imported on use (the front door dispatches,
it does not depend on them, so a ``validate`` never imports a process pool, git code or a web server).
"""

from __future__ import annotations

import datetime as dt
import unicodedata
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING

from generator.document.nodes import Document
from generator.errors import (
    DataError,
    OutputError,
    Problem,
    Problems,
    RenderError,
    Severity,
    UsageError,
    display_path,
    os_message,
)
from generator.layout import KINDS, REGISTRY_FILE
from generator.output import document_path, write_atomic
from generator.schema import SCHEMAS
from generator.writers import DEFAULT_FORMATS, FORMATS, WriterOptions, extension, get_writer
from generator.writers.templatefiles import Templates

if TYPE_CHECKING:
    from generator.batch.progress import Reporter
    from generator.batch.schedule import Summary
    from generator.diffing.model import DiffReport
    from generator.document.kinds import DocumentSet
    from generator.importing import Imported
    from generator.model.proposal import Register
    from generator.sources.dossier import DossierFiles, Tree

__all__ = [
    "FORMATS",
    "SCHEMAS",
    "Built",
    "LoadedDossier",
    "Report",
    "build",
    "build_report",
    "compare",
    "documents",
    "dossier_folders",
    "dump",
    "is_loopback",
    "load",
    "metadata",
    "new_dossier",
    "participants",
    "preview",
    "publish",
    "publish_round",
    "render",
    "render_diff",
    "run_batch",
    "schema_text",
    "templates_for",
    "validate",
    "write_schemas",
]



@dataclass(frozen=True)
class StatusRow:
    """Where one municipality stands with one dossier (``raadsvoorstel status``, ``validate``)."""

    dossier: str
    gemeente: str
    naam: str
    status: str  # concept, aangeboden, vastgesteld; "ongeldig" when its data has errors
    datum_raad: str | None = None
    invullen: int = 0  # placeholders still visible in its documents
    amendementen: tuple[str, ...] = ()

    def to_json(self) -> dict[str, object]:
        return {
            "dossier": self.dossier,
            "gemeente": self.gemeente,
            "naam": self.naam,
            "status": self.status,
            "datum_raad": self.datum_raad,
            "invullen": self.invullen,
            "amendementen": list(self.amendementen),
        }


@dataclass(frozen=True)
class Report:
    """The outcome of validating one or more dossiers."""

    problems: tuple[Problem, ...]
    statuses: tuple[StatusRow, ...] = ()

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
    """A dossier's files and built documents; ``placeholders`` holds, per municipality, every warning about
    something still to be filled in (INVULLEN) that its document carries, with file and line."""

    files: DossierFiles
    register: Register | None
    sets: dict[str, DocumentSet]  # municipality slug → its raadsvoorstel and raadsbesluit
    placeholders: dict[str, tuple[Problem, ...]] = field(default_factory=dict)

    @property
    def documents(self) -> dict[str, Document]:
        """Each municipality's raadsvoorstel."""
        return {slug: found.voorstel for slug, found in self.sets.items()}

    def of_kind(self, kind: str) -> dict[str, Document]:
        """Each municipality's document of file kind ``kind`` ("raadsvoorstel", "raadsbesluit", "ontwerpbesluit")."""
        if kind == "ontwerpbesluit":
            return {slug: found.ontwerpbesluit for slug, found in self.sets.items()}
        return {slug: found.get(kind) for slug, found in self.sets.items()}


def load(
    tree: Tree, slug: str, gemeenten: Sequence[str] = (), templates: Templates | None = None
) -> tuple[LoadedDossier, tuple[Problem, ...]]:
    """Load, merge, validate and build every requested municipality's documents of one dossier.

    With ``templates``, the files the documents embed (logos) are checked too: a damaged image is a problem
    at the ``logo`` field, not a failed document later.
    """
    from generator import limits
    from generator.document.kinds import build_documents  # pydantic and Jinja: only when validating
    from generator.resolve import load_register, partial_register, resolve
    from generator.sources.dossier import load_dossier

    problems = Problems()
    files = load_dossier(tree, slug, problems)
    if not limits.check_files((files.base, files.registry, *files.overlays.values()), problems):
        return LoadedDossier(files, None, {}), _unique(problems)  # absurd sizes: stop before the costly steps
    register = load_register(files, problems) or partial_register(files)  # report the dossier's problems too
    built: dict[str, DocumentSet] = {}
    todo: dict[str, tuple[Problem, ...]] = {}
    if register is not None and files.base is not None:
        participants = _participants(files)
        for name in gemeenten:
            if name not in participants:
                raise UsageError(
                    f"gemeente '{name}' doet niet mee aan dossier '{slug}'; kies uit: {', '.join(participants) or '-'}"
                )
        # A participant written in capitals is wrong in voorstel.yaml (reported there); its file is right.
        written = {g.strip().lower() for g in participants}
        for stem, overlay in files.overlays.items():
            if stem not in participants and stem not in written:
                problems.error(
                    overlay.source.nearest(()),
                    "",
                    f"'{stem}' is geen deelnemende gemeente van dit dossier (zie 'gemeenten' in voorstel.yaml); "
                    "hernoem of verwijder het bestand",
                )
        for name in gemeenten or participants:
            start = len(problems)
            proposal = resolve(files, register, name, problems)
            if proposal is not None:
                built[name] = build_documents(proposal, problems)
                # every warning is about a placeholder (see README, "Nog niet bekend?")
                found = [p for p in list(problems)[start:] if p.severity is Severity.WARNING]
                todo[name] = _unique(found)
                status = proposal.voorstel.status
                if status != "concept":  # offered or adopted: nothing may be left to fill in
                    problems.escalate(start, f"status '{status}' van {proposal.gemeente.naam}: vul dit eerst in")
        if templates is not None:
            _check_images(files, {slug: found.voorstel for slug, found in built.items()}, templates, problems)
    return LoadedDossier(files, register, built, todo), _unique(problems)


def _check_images(files: DossierFiles, built: dict[str, Document], templates: Templates, problems: Problems) -> None:
    """Every logo a document embeds exists among the templates and decodes as PNG or JPEG."""
    from generator.images import image_problem
    from generator.resolve import Provenance

    if files.registry is None:
        return
    prov = Provenance(files.registry)
    for name, document in built.items():
        if document.house.logo is None:
            continue
        where = ("gemeenten", name, "huisstijl", "logo")
        try:
            message = image_problem(templates.find(document.house.logo))
        except RenderError as exc:
            message = str(exc)
        if message:
            problems.error(prov.locate(where), ".".join(where), message)


def participants(files: DossierFiles) -> list[str]:
    """The municipalities taking part in a dossier, in the order its ``gemeenten`` lists them."""
    return _participants(files)


def _participants(files: DossierFiles) -> list[str]:
    raw = files.base.data.get("gemeenten") if files.base is not None else None
    return [g for g in raw if isinstance(g, str)] if isinstance(raw, list) else []


def validate(dossiers: Sequence[Path]) -> Report:
    """Every problem of every dossier (errors and warnings), and where each municipality stands."""
    from generator.document.kinds import placeholder_count
    from generator.sources.dossier import find_dossier

    found: list[Problem] = []
    rows: list[StatusRow] = []
    for path in dossiers:
        tree, slug = find_dossier(path)
        loaded, problems = load(tree, slug, templates=templates_for(path))
        found.extend(problems)
        entries = loaded.register.gemeenten.items() if loaded.register is not None else ()
        names = {s: g.naam for s, g in entries if g is not None}  # a broken registry entry is None
        for gemeente in _participants(loaded.files):
            docs = loaded.sets.get(gemeente)
            if docs is None:
                rows.append(StatusRow(slug, gemeente, names.get(gemeente, gemeente), "ongeldig"))
                continue
            count = placeholder_count(docs.voorstel) + placeholder_count(docs.besluit)
            rows.append(
                StatusRow(slug, gemeente, docs.voorstel.municipality, docs.status, docs.meeting, count, docs.amendments)
            )
    return Report(_unique(found), tuple(rows))


def documents(
    dossier: Path,
    gemeenten: Sequence[str] = (),
    strict: bool = False,
    kind: str = "raadsvoorstel",
    templates: Templates | None = None,
) -> dict[str, Document]:
    """One kind of document of a dossier per municipality; raises DataError when any problem (or, strict,
    warning) is found."""
    return loaded_dossier(dossier, gemeenten, strict, templates).of_kind(kind)


def loaded_dossier(
    dossier: Path, gemeenten: Sequence[str] = (), strict: bool = False, templates: Templates | None = None
) -> LoadedDossier:
    """Every document of a dossier; raises DataError when any problem (or, strict, warning) is found."""
    from generator.sources.dossier import find_dossier

    tree, slug = find_dossier(dossier)
    loaded, problems = load(tree, slug, gemeenten, templates)
    report = Report(problems)
    if not report.ok(strict):
        raise DataError(report.errors + (report.warnings if strict else ()))
    return loaded


@dataclass(frozen=True)
class Built:
    """What ``build_report`` wrote, and per municipality the placeholders its documents still show."""

    paths: list[Path]
    placeholders: dict[str, tuple[Problem, ...]]


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


def build_report(
    dossier: Path,
    gemeenten: Sequence[str] = (),
    formats: Sequence[str] | None = None,
    out: Path = Path("output"),
    strict: bool = False,
    templates: Templates | None = None,
) -> Built:
    """Write every requested document of one dossier; nothing is written unless all data is valid.

    A writer that fails on a document raises :class:`RenderError` (exit 1: the document, not the program, is
    at fault); anything else a writer raises is a bug and travels on as an internal error (exit 3).
    """
    options = WriterOptions(templates or templates_for(dossier))
    unknown = [f for f in formats or () if f not in FORMATS]
    if unknown:
        raise UsageError(f"onbekend formaat: {', '.join(unknown)}; kies uit {', '.join(FORMATS)}")
    written: list[Path] = []
    loaded = loaded_dossier(dossier, gemeenten, strict=strict, templates=options.templates)
    for slug, found in loaded.sets.items():
        entry = loaded.register.gemeenten.get(slug) if loaded.register is not None else None
        # without --format: what the registry asks for this municipality, else docx and pdf
        chosen = formats or (entry.formaten if entry is not None and entry.formaten else DEFAULT_FORMATS)
        for kind in KINDS:
            document = found.get(kind)
            for fmt in dict.fromkeys(chosen):
                target = document_path(out, document.dossier, slug, extension(fmt), kind)
                write_atomic(target, get_writer(fmt)(document, options))
                written.append(target)
    return Built(written, loaded.placeholders)


def build(
    dossier: Path,
    gemeenten: Sequence[str] = (),
    formats: Sequence[str] | None = None,
    out: Path = Path("output"),
    strict: bool = False,
    templates: Templates | None = None,
) -> list[Path]:
    """The files ``build_report`` wrote (see there)."""
    return build_report(dossier, gemeenten, formats, out, strict, templates).paths


def publish(dossier: Path, gemeente: str, out: Path, templates: Templates | None = None) -> Path:
    """Write one council's delivery folder for a dossier (see :mod:`generator.publish`); returns the folder.

    Nothing is written unless the data is valid, the status allows publication, every attachment file is
    there and inside the dossier, and every document has its metadata.
    """
    from generator import publish as delivery

    options = WriterOptions(templates or templates_for(dossier))
    loaded = loaded_dossier(dossier, [gemeente], templates=options.templates)
    assembled = delivery.assemble(dossier, loaded.sets[gemeente], options)
    return delivery.write(assembled, out)


@dataclass(frozen=True)
class Published:
    """What ``batch --publiceer`` did for one municipality of one dossier: a folder, a skip or a refusal."""

    dossier: str
    gemeente: str
    folder: Path | None = None
    skipped: str | None = None  # why nothing was published (a concept)
    error: str | None = None  # the Dutch message of a refusal or a data problem


def publish_round(proposals: Path, out: Path, templates: Templates | None = None) -> list[Published]:
    """Every publishable municipality of every dossier below ``proposals``, each into its own delivery folder.

    A concept is skipped (it is not an error to be unfinished); a refusal or a dossier with data errors is
    reported per municipality and does not stop the others.
    """
    from generator import publish as delivery

    options = WriterOptions(templates or templates_for(proposals))
    done: list[Published] = []
    for folder in dossier_folders(proposals):
        try:
            loaded = loaded_dossier(folder, templates=options.templates)
        except DataError as exc:
            done.append(Published(folder.name, "-", error=f"{len(exc.problems)} fout(en) in de data; zie validate"))
            continue
        for slug, found in loaded.sets.items():
            if found.status not in delivery.PUBLISHABLE:
                done.append(Published(folder.name, slug, skipped=f"status {found.status}"))
                continue
            try:
                written = delivery.write(delivery.assemble(folder, found, options), out)
            except (DataError, delivery.PublishError, OutputError) as exc:
                done.append(Published(folder.name, slug, error=str(exc)))
                continue
            done.append(Published(folder.name, slug, folder=written))
    return done


def render(document: Document, fmt: str, templates: Templates | None = None) -> str | bytes:
    """One document in one format, in memory (the preview's view and its PDF and DOCX buttons)."""
    if fmt not in FORMATS:
        raise UsageError(f"onbekend formaat: {fmt}; kies uit {', '.join(FORMATS)}")
    return get_writer(fmt)(document, WriterOptions(templates or Templates()))


def dump(dossier: Path, gemeente: str, kind: str = "raadsvoorstel") -> str:
    """The canonical plain text of one municipality's document (reviewers, golden tests)."""
    document = documents(dossier, [gemeente], kind=kind)[gemeente]
    text = get_writer("txt")(document, WriterOptions())
    if not isinstance(text, str):  # pragma: no cover - the txt writer returns text by contract
        raise RenderError("de tekstweergave gaf geen tekst terug")
    return text


METADATA_FORMATS = ("xml", "json")


def metadata(dossier: Path, gemeente: str, kind: str = "raadsvoorstel", fmt: str = "xml") -> str:
    """The DiWoo metadata record of one municipality's document, as XML or as JSON (see ``writers.diwoo``).

    Raises :class:`DataError` when the data has problems or the record lacks a date it needs.
    """
    import json

    from generator.writers.diwoo import record
    from generator.writers.diwoo_xml import to_xml

    if fmt not in METADATA_FORMATS:
        raise UsageError(f"onbekend formaat: {fmt}; kies uit {', '.join(METADATA_FORMATS)}")
    found = record(documents(dossier, [gemeente], kind=kind)[gemeente])
    if fmt == "json":
        return json.dumps(found.to_json(), indent=2, ensure_ascii=False) + "\n"
    return to_xml(found).decode("utf-8")


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


def new_dossier(folder: Path, gemeenten: Sequence[str] = (), shown: str | None = None) -> tuple[list[Path], bool]:
    """Scaffold a dossier for ``gemeenten`` (default: the whole registry); returns the files written and
    whether the registry beside it exists. ``shown`` is the folder as typed, for the hints in the files."""
    from generator import scaffold
    from generator.model.messages import suggest
    from generator.slugs import SLUG_RE

    if not SLUG_RE.fullmatch(folder.name):
        raise UsageError(f"'{folder.name}' is geen geldige dossiernaam: gebruik kleine letters, cijfers en streepjes")
    if folder.exists() or folder.is_symlink():  # a dangling link "does not exist", but mkdir fails on it
        raise UsageError(f"{display_path(folder)} bestaat al; kies een andere naam")
    registry = folder.parent / REGISTRY_FILE
    known = _registry_slugs(registry)
    for slug in gemeenten:
        if not SLUG_RE.fullmatch(slug):
            raise UsageError(f"'{slug}' is geen korte naam van een gemeente: gebruik kleine letters, zoals 'leusden'")
        if registry.is_file() and slug not in known:
            hint = suggest(slug, known)
            tip = f"bedoelde u '{hint}'?" if hint else f"kies uit: {', '.join(known) or '-'}"
            raise UsageError(f"gemeente '{slug}' staat niet in {REGISTRY_FILE}; {tip}")
    chosen = list(dict.fromkeys(gemeenten)) or known
    try:
        return scaffold.create(folder, chosen, shown), registry.is_file()
    except OSError as exc:  # below a file, a read-only folder, a full disk
        raise OutputError(f"kon dossier {display_path(folder)} niet aanmaken: {os_message(exc)}") from exc


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
    formats: Sequence[str] | None = None,
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


def compare(
    old: str,
    new: str | None,
    gemeente: str | None = None,
    tegen: str | None = None,
    kind: str = "raadsvoorstel",
    ontwerp: bool = False,
) -> DiffReport:
    """The comparison of ``raadsvoorstel diff`` (see :mod:`generator.diffing.inputs`)."""
    from generator.diffing import inputs

    return inputs.compare(old, new, gemeente, tegen, kind=kind, ontwerp=ontwerp)


def render_diff(
    report: DiffReport,
    fmt: str,
    author: str | None = None,
    date: dt.date | None = None,
    templates: Templates | None = None,
) -> str | bytes:
    """A comparison as text, HTML or a tracked-changes DOCX (see :mod:`generator.diffing`)."""
    from generator import diffing

    return diffing.render(report, fmt, author, date, templates)


def diff_templates(old: str, new: str | None) -> Templates:
    """The templates a redline is rendered with: NEW's project (OLD's with one dossier); for a git revision,
    the project of the working folder."""
    side = Path(new if new is not None else old)
    if side.is_dir():
        return templates_for(side)
    return Templates.for_project(Path.cwd())


def write_diff(
    report: DiffReport,
    fmt: str,
    output: Path | None,
    author: str | None = None,
    date: dt.date | None = None,
    templates: Templates | None = None,
) -> str | bytes:
    """Render a comparison and, with ``output``, write it atomically; trouble here is exit code 2 (diff(1))."""
    from generator.diffing.inputs import DiffError

    if author is not None:
        bad = sorted({f"U+{ord(c):04X}" for c in author if unicodedata.category(c) in ("Cc", "Cf", "Cs", "Co")})
        if bad:
            raise DiffError(f"--auteur bevat tekens die niet in een document horen ({', '.join(bad)})")
        if len(author) > 255:
            raise DiffError(f"--auteur is {len(author)} tekens lang; Word staat hooguit 255 toe")
    try:
        data = render_diff(report, fmt, author, date, templates)
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


def import_docx(
    path: Path,
    dossier: Path | None = None,
    gemeente: str | None = None,
    choice: str | None = None,
    write: bool = False,
    only_here: bool = False,
) -> Imported:
    """Read a DOCX edited in Word back into its dossier (see :mod:`generator.importing`); returns the outcome."""
    from generator.importing import import_docx as run_import

    return run_import(path, dossier, gemeente, choice, write, only_here)


def import_diff(before: Document, after: Document) -> str:
    """The section-aware diff (as ``diff`` shows it) of a document before and after an import."""
    from generator.diffing import DiffReport, diff_documents, render

    result = render(DiffReport((diff_documents(before, after, "dossier", "Word"),)), "text")
    return result if isinstance(result, str) else result.decode("utf-8")

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
from pathlib import Path, PurePath
from typing import TYPE_CHECKING, Any

from generator.document.nodes import Document
from generator.errors import (
    DataError,
    GeneratorError,
    Location,
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
    from generator.archive import Archive, Revision
    from generator.batch.progress import Reporter
    from generator.batch.schedule import Summary
    from generator.diffing.model import DiffReport
    from generator.document.kinds import DocumentSet
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
    invullen: int = 0  # places still to fill in (INVULLEN): the number build and batch print too
    amendementen: tuple[str, ...] = ()
    historie: tuple[tuple[str, dt.date], ...] = ()  # (status, date) per step, oldest first
    herzieningen: tuple[tuple[dt.date, str], ...] = ()  # (date, reason) per revision of the offered proposal

    def history_text(self) -> str:
        """The steps as the griffie reads them: "concept 6 januari 2026 → aangeboden 20 januari 2026"."""
        from generator import dutch

        steps = [f"{status} {dutch.date(day)}" for status, day in self.historie]
        steps += [f"gewijzigd {dutch.date(day)} ({reason})" for day, reason in self.herzieningen]
        return " → ".join(steps).replace("\u00a0", " ")

    def to_json(self) -> dict[str, object]:
        return {
            "dossier": self.dossier,
            "gemeente": self.gemeente,
            "naam": self.naam,
            "status": self.status,
            "datum_raad": self.datum_raad,
            "invullen": self.invullen,
            "amendementen": list(self.amendementen),
            "historie": [{"status": status, "datum": day.isoformat()} for status, day in self.historie],
            "herzieningen": [{"datum": day.isoformat(), "reden": reason} for day, reason in self.herzieningen],
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
    from generator.formats import check_format

    shown = str(PurePath(files.base.name).parent) if files.base is not None else slug
    if not check_format(files, shown, problems):
        return LoadedDossier(files, None, {}), _unique(problems)  # another format: one message, not one per key
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
    from generator.sources.dossier import find_dossier

    found: list[Problem] = []
    rows: list[StatusRow] = []
    for path in dossiers:
        tree, slug = find_dossier(path)
        loaded, problems = load(tree, slug, templates=templates_for(path))
        found.extend(problems)
        found.extend(frozen_problems(path, loaded))  # edits that would change an offered or adopted document
        entries = loaded.register.gemeenten.items() if loaded.register is not None else ()
        names = {s: g.naam for s, g in entries if g is not None}  # a broken registry entry is None
        for gemeente in _participants(loaded.files):
            docs = loaded.sets.get(gemeente)
            if docs is None:
                rows.append(StatusRow(slug, gemeente, names.get(gemeente, gemeente), "ongeldig"))
                continue
            # the same count build and batch print: each place in the data still to fill in (INVULLEN)
            count = len(loaded.placeholders.get(gemeente, ()))
            rows.append(
                StatusRow(
                    slug,
                    gemeente,
                    docs.voorstel.municipality,
                    docs.status,
                    docs.meeting,
                    count,
                    docs.amendments,
                    docs.history,
                    docs.revisions,
                )
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
    reproduced: list[Path] = field(default_factory=list)  # frozen documents copied from the dossier's archive
    withheld: list[Path] = field(default_factory=list)  # frozen, changed, and never archived in this format


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
    reproduced: list[Path] = []
    withheld: list[Path] = []
    loaded = loaded_dossier(dossier, gemeenten, strict=strict, templates=options.templates)
    for slug, found in loaded.sets.items():
        entry = loaded.register.gemeenten.get(slug) if loaded.register is not None else None
        # without --format: what the registry asks for this municipality, else docx and pdf
        chosen = formats or (entry.formaten if entry is not None and entry.formaten else DEFAULT_FORMATS)
        freezer = _Freezer(dossier, slug, found)
        for kind in KINDS:
            document = found.get(kind)
            for fmt in dict.fromkeys(chosen):
                target = document_path(out, document.dossier, slug, extension(fmt), kind)
                archived = freezer.archived(kind, fmt)  # a frozen document: its bytes, never a new rendering
                if archived is None and freezer.withheld(kind, fmt, document):
                    withheld.append(target)
                    continue
                write_atomic(target, archived if archived is not None else freezer.fresh(kind, fmt, document, options))
                (reproduced if archived is not None else written).append(target)
            freezer.finish(kind, document)
    return Built(written, loaded.placeholders, reproduced, withheld)


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
    found = loaded.sets[gemeente]
    folder = f"{found.voorstel.dossier}-{gemeente}"
    withdrawn = found.status not in delivery.PUBLISHABLE and delivery.withdraw(out, folder)
    try:
        _refuse_changed_frozen(dossier, loaded, gemeente)
        assembled = delivery.assemble(dossier, found, options)
    except delivery.PublishError as exc:
        if withdrawn:  # the folder claimed a status the municipality no longer has
            raise delivery.PublishError(f"{exc}; de eerdere levering in {display_path(out)} is ingetrokken") from exc
        raise
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
                try:  # a delivery made while it was offered must not go on claiming that status
                    withdrawn = delivery.withdraw(out, f"{folder.name}-{slug}")
                except OutputError as exc:
                    done.append(Published(folder.name, slug, error=str(exc)))
                    continue
                note = "; de eerdere levering is ingetrokken" if withdrawn else ""
                done.append(Published(folder.name, slug, skipped=f"status {found.status}{note}"))
                continue
            try:
                _refuse_changed_frozen(folder, loaded, slug)
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


# --- frozen documents (issue 24): the archive in the dossier, the check in validate, herzie ------------------


class _Freezer:
    """One municipality's frozen documents during a build: reproduced from the archive, or recorded in it."""

    def __init__(self, dossier: Path, slug: str, found: DocumentSet) -> None:
        from generator.archive import Archive

        self.found = found
        self.archive = Archive.open(dossier.resolve(), slug)
        self.rendered: dict[str, dict[str, bytes]] = {}

    def archived(self, kind: str, fmt: str) -> bytes | None:
        """The archived bytes of a frozen ``kind`` in ``fmt``, or None (not frozen, or that format never built)."""
        if self.archive.frozen(kind, self.found.status) is None:
            return None
        return self.archive.file_bytes(kind, fmt)

    def withheld(self, kind: str, fmt: str, document: Document) -> bool:
        """True for a frozen document whose words changed, in a format the archive never held: no file for it."""
        return frozen_changed(self.archive, self.found.status, kind, fmt, document)

    def fresh(self, kind: str, fmt: str, document: Document, options: WriterOptions) -> bytes | str:
        data = get_writer(fmt)(document, options)
        self.rendered.setdefault(kind, {})[fmt] = data.encode("utf-8") if isinstance(data, str) else data
        return data

    def finish(self, kind: str, document: Document) -> None:
        """Freeze what became frozen with this build; add a format first built now to an unchanged frozen one."""
        record_frozen(self.archive, self.found, kind, document, self.rendered.get(kind, {}))


def record_frozen(archive: Archive, found: DocumentSet, kind: str, document: Document, files: dict[str, bytes]) -> bool:
    """Record ``document`` (of ``kind``) in ``archive`` when its status freezes it now; True when written.

    A frozen document whose text is unchanged keeps its archive and only gains formats it did not have yet.
    """
    from generator.archive import plain_text, wanted

    status = found.status
    if archive.needs_record(kind, status):
        want = wanted(kind, status) or status
        archive.record(document, freeze_date(found, want), files)
        return True
    frozen = archive.frozen(kind, status)
    new = {fmt: data for fmt, data in files.items() if frozen is not None and fmt not in frozen.files}
    if frozen is not None and new and _sha256(plain_text(document)) == frozen.text_sha256:
        archive.add_files(kind, new)
        return True
    return False


def frozen_changed(archive: Archive, status: str, kind: str, fmt: str, document: Document) -> bool:
    """A frozen ``kind`` without ``fmt`` in the archive whose words changed: it can be neither reproduced nor
    made anew (validate names the change)."""
    from generator.archive import plain_text

    frozen = archive.frozen(kind, status)
    return frozen is not None and fmt not in frozen.files and _sha256(plain_text(document)) != frozen.text_sha256


def _sha256(text: str) -> str:
    import hashlib

    return hashlib.sha256(text.encode("utf-8")).hexdigest()


def freeze_date(found: DocumentSet, status: str) -> str:
    """The date of the last step to ``status`` in the municipality's history (ISO), or "" when it has none."""
    days = [day for step, day in found.history if step == status]
    return days[-1].isoformat() if days else ""


#: Where the words of a part of a document come from in the data, when the part is not a section of its own key.
_PART_KEYS = {"aanhef": ("gelet_op",), "kop": ("onderwerp",), "besluit": ("beslispunten",)}
#: Parts whose units (list items) are the items of a data list, one for one.
_ITEM_KEYS = ("beslispunten", "bijlagen")


def frozen_problems(dossier: Path, loaded: LoadedDossier, only: str | None = None) -> list[Problem]:
    """Every edit that would change an offered or adopted document's words, at the line that made it.

    An error for an adopted (vastgesteld) document; for an offered one too, unless the clerk records the change
    with ``raadsvoorstel herzie`` (which brings the archive up to date, so the check passes again).
    """
    from generator.archive import Archive, plain_text
    from generator.resolve import Provenance

    files = loaded.files
    if files.base is None:
        return []
    found: list[Problem] = []
    for slug, docs in loaded.sets.items():
        if only is not None and slug != only:
            continue
        archive = Archive.open(dossier.resolve(), slug)
        if not archive.documents:
            continue
        prov = Provenance(files.base, files.overlays.get(slug))
        at: dict[Location, list[str]] = {}
        fields: dict[Location, str] = {}
        for kind in KINDS:
            frozen = archive.frozen(kind, docs.status)
            document = docs.get(kind)
            if frozen is None or _sha256(plain_text(document)) == frozen.text_sha256:
                continue
            for change in frozen.changes(document):
                key = _PART_KEYS.get(change.part, (change.part,))
                item = change.part in _ITEM_KEYS or change.part == "besluit"
                path: tuple[str | int, ...] = (*key, change.unit) if item and change.unit is not None else key
                if change.part == "besluit" and change.unit is not None and docs.status == "vastgesteld":
                    origins = _besluit_origins(prov, slug, loaded)
                    path = origins[change.unit] if change.unit < len(origins) else key
                edited = _edited_line(archive, files, slug, key)
                if edited is not None:
                    where, field_name = edited
                    fields.setdefault(where, field_name)
                elif change.part == "ondertekening" and files.registry is not None:
                    where = Provenance(files.registry).locate(("gemeenten", slug))
                    fields.setdefault(where, f"gemeenten.{slug}")
                else:
                    where = prov.locate(path)
                    fields.setdefault(where, ".".join(str(p) for p in path))
                label = f"{kind} (onderdeel '{change.heading}'"
                label += f", punt {change.unit + 1})" if item and change.unit is not None else ")"
                at.setdefault(where, []).append(label)
        for where, labels in at.items():
            from generator import dutch

            adopted = docs.status == "vastgesteld"
            since = [day for step, day in docs.history if step == docs.status]
            day = f" op {dutch.date(since[-1])}".replace("\u00a0", " ") if since else ""
            state = docs.status
            what = " en ".join(f"het {label}" for label in labels)
            if adopted:
                advice = "een vastgesteld document verandert niet; maak deze wijziging ongedaan (of maak haar lokaal "
                advice += "voor de andere gemeenten)"
            else:
                advice = (
                    f"de raad heeft dit voorstel al gekregen; leg de wijziging vast met: raadsvoorstel herzie "
                    f'{display_path(dossier)} --gemeente {slug} --reden "…"'
                )
            name = docs.voorstel.municipality
            message = f"deze wijziging verandert {what} van {name}, {state}{day}; {advice}"
            found.append(Problem(where, fields[where], message))
    return found


#: Overlay keys that never change a document's words by themselves (the status and its bookkeeping).
_BOOKKEEPING = ("status", "historie", "herzieningen", "formaat")


def _edited_line(archive: Archive, files: Any, slug: str, key: tuple[str | int, ...]) -> tuple[Location, str] | None:
    """Where the data changed since the freeze: a changed line of voorstel.yaml inside the part's own key, else
    the first changed line of the municipality's file (a value, a local text), else of its registry entry."""
    from pathlib import PurePosixPath

    from generator.layout import OVERLAY_DIR, PROPOSAL_FILE

    dossier = PurePosixPath(files.slug)
    layers = (
        ("voorstel.yaml", files.base, dossier / PROPOSAL_FILE, key[:1]),
        ("gemeente.yaml", files.overlays.get(slug), dossier / OVERLAY_DIR / f"{slug}.yaml", None),
        ("gemeenten.yaml", files.registry, PurePosixPath(REGISTRY_FILE), ("gemeenten", slug)),
    )
    for name, loaded, rel, within in layers:
        old = archive.snapshot(name)
        if loaded is None or old is None:
            continue
        try:
            new = files.tree.read_bytes(rel).decode("utf-8")
        except (GeneratorError, OSError, UnicodeDecodeError):
            continue
        for line in _changed_lines(old, new):
            path = _owner(loaded.source, line)
            if path is None or (within is not None and tuple(path[: len(within)]) != tuple(within)):
                continue
            if within is None and path and path[0] in _BOOKKEEPING:
                continue
            return Location(loaded.name, line), ".".join(str(p) for p in path)
    return None


def _changed_lines(old: str, new: str) -> list[int]:
    """The 1-based lines of ``new`` that differ from ``old`` (for a deletion: the line where it was)."""
    import difflib

    matcher = difflib.SequenceMatcher(None, old.splitlines(), new.splitlines(), autojunk=False)
    found: list[int] = []
    for tag, _, _, first, last in matcher.get_opcodes():
        if tag != "equal":
            found.extend(range(first + 1, max(last, first + 1) + 1))
    return found


def _owner(source: Any, line: int) -> tuple[str | int, ...] | None:
    """The deepest key path whose key (or value) starts at or above ``line``: the value that line belongs to."""
    best: tuple[int, int, tuple[str | int, ...]] | None = None
    for path, key, value in source.items():
        start = (key or value).line
        if start <= line and (best is None or (start, len(path)) > best[:2]):
            best = (start, len(path), tuple(path))
    return best[2] if best is not None else None


def _refuse_changed_frozen(dossier: Path, loaded: LoadedDossier, slug: str) -> None:
    """A delivery never carries words that differ from what the council read or adopted (see validate)."""
    from generator.publish import PublishError

    changed = frozen_problems(dossier, loaded, only=slug)
    if changed:
        raise PublishError(
            f"de documenten van {loaded.sets[slug].voorstel.municipality} wijken af van wat de raad kreeg of "
            f"vaststelde ({changed[0].location}); zie raadsvoorstel validate"
        )


def _besluit_origins(prov: Any, slug: str, loaded: LoadedDossier) -> tuple[tuple[str | int, ...], ...]:
    """Per beslispunt of the adopted besluit of ``slug``: the data path its words come from (amendments included)."""
    from generator.document.besluit import item_origins
    from generator.model.proposal import Amendement

    data = prov.overlay.data if prov.overlay is not None else {}
    raw = data.get("amendementen") if isinstance(data, dict) else None
    amendments = [Amendement.model_validate(a) for a in raw] if isinstance(raw, list) else []
    base = prov.base.data if isinstance(prov.base.data, dict) else {}
    count = len(base.get("beslispunten") or ())
    return item_origins(count, amendments)


@dataclass(frozen=True)
class Revised:
    """What ``herzie`` recorded: the revision per document, and the overlay it wrote."""

    overlay: Path
    revisions: tuple[Revision, ...]


def herzie(dossier: Path, gemeente: str, reason: str, today: dt.date | None = None) -> Revised:
    """Record a deliberate change of an offered proposal: the documents say "Gewijzigd", the archive moves on.

    Writes ``herzieningen`` in the municipality's overlay (through ``generator.editing``), then re-renders each
    frozen document in the formats the archive holds and records the revision (date, reason, old and new hash).
    """
    from generator.archive import Archive, plain_text
    from generator.editing import Insert, apply_edits, read_version
    from generator.layout import OVERLAY_DIR

    reason = " ".join(reason.split())
    if not reason:
        raise UsageError("geef met --reden in één zin op waarom het aangeboden voorstel verandert")
    loaded = loaded_dossier(dossier, [gemeente])
    docs = loaded.sets[gemeente]
    folder = dossier.resolve()
    archive = Archive.open(folder, gemeente)
    name = docs.voorstel.municipality
    if docs.status not in ("aangeboden", "aangehouden"):
        why = (
            "een vastgesteld besluit en het voorstel waarop de raad besloot veranderen niet"
            if (docs.status in ("vastgesteld", "verworpen"))
            else "herzien kan alleen een voorstel dat bij de raad ligt (status aangeboden of aangehouden)"
        )
        raise UsageError(f"{name} heeft status '{docs.status}': {why}")
    changed = [
        kind
        for kind in KINDS
        if (frozen := archive.frozen(kind, docs.status)) is not None
        and _sha256(plain_text(docs.get(kind))) != frozen.text_sha256
    ]
    if not archive.documents:
        raise UsageError(
            f"er is voor {name} nog niets bevroren (bouw eerst met build of batch); er valt niets te herzien"
        )
    if not changed:
        raise UsageError(f"de documenten van {name} zijn gelijk aan de aangeboden versie; er valt niets te herzien")
    day = today or dt.date.today()
    overlay = folder / OVERLAY_DIR / f"{gemeente}.yaml"
    _, version = read_version(overlay)
    count = len(docs.revisions)
    apply_edits(overlay, [Insert(("herzieningen",), count, {"datum": day.isoformat(), "reden": reason})], version)
    docs = loaded_dossier(dossier, [gemeente]).sets[gemeente]
    options = WriterOptions(templates_for(dossier))
    revisions = []
    for kind in KINDS:
        entry = archive.frozen(kind, docs.status)
        if entry is None:
            continue
        document = docs.get(kind)
        files = {}
        for fmt in sorted(entry.files):
            data = get_writer(fmt)(document, options)
            files[fmt] = data.encode("utf-8") if isinstance(data, str) else data
        revisions.append(archive.revise(document, day.isoformat(), reason, files))
    return Revised(overlay, tuple(revisions))


# --- format version (issue 24): bring a dossier written for an earlier format up to date ----------------------


@dataclass(frozen=True)
class Update:
    """One data file ``bijwerken`` changes: the unified diff, and whether it was written."""

    path: Path
    diff: str
    written: bool


def bijwerken(dossier: Path, write: bool = False) -> list[Update]:
    """The changes that bring ``dossier`` to the current format (``formats.CURRENT``), as diffs; with ``write``
    they are applied through ``generator.editing`` (minimal, atomic, every other line byte for byte)."""
    import difflib

    from generator.editing import Set, apply_edits, edit_text, read_version
    from generator.formats import CURRENT, missing_steps, version_of
    from generator.layout import OVERLAY_DIR, PROPOSAL_FILE
    from generator.model.proposal import Voorstel
    from generator.sources import load_yaml_text

    folder = dossier.resolve()
    base = folder / PROPOSAL_FILE
    if not base.is_file():
        raise UsageError(f"{display_path(dossier)} is geen dossier: {PROPOSAL_FILE} ontbreekt")
    order = tuple(Voorstel.model_fields)
    updates: list[Update] = []
    for path in [base, *sorted((folder / OVERLAY_DIR).glob("*.yaml"))]:
        text, version = read_version(path)
        data, _ = load_yaml_text(text.encode("utf-8"), display_path(path))
        found = version_of(data)
        if found is not None and found > CURRENT:
            raise UsageError(f"{display_path(path)} heeft formaat {found}; deze versie kent alleen {CURRENT}")
        keys = tuple(data) if isinstance(data, dict) else ()
        first = ("formaat", *keys) if path == base else ()  # first in voorstel.yaml; last in an overlay
        edits = [] if found == CURRENT else [Set(("formaat",), CURRENT, order=first)]
        if path == base:
            edits += [Set((step.key,), step.start, order=order) for step in missing_steps(data)]
        if not edits:
            continue
        new = edit_text(text, edits)
        shown = display_path(path)
        diff = "".join(difflib.unified_diff(text.splitlines(True), new.splitlines(True), shown, shown))
        if write:
            apply_edits(path, edits, expected=version)
        updates.append(Update(path, diff, write))
    return updates

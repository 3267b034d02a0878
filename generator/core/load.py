"""A dossier's files → every requested municipality's validated documents (the pipeline up to the IR).

Problems of every stage go to one collector and are returned together; :func:`loaded_dossier` raises one
``DataError`` with all of them, so a clerk sees every problem of a run at once.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field
from pathlib import Path, PurePath
from typing import TYPE_CHECKING

from generator.core.report import Report, unique
from generator.document.nodes import Document
from generator.errors import DataError, Location, Problem, Problems, RenderError, Severity, UsageError, display_path
from generator.sources.layout import REGISTRY_FILE
from generator.writers.templatefiles import Templates

if TYPE_CHECKING:
    from generator.document.kinds import DocumentSet
    from generator.document.profile import Profile
    from generator.model.proposal import Register
    from generator.resolve import Proposal
    from generator.sources.dossier import DossierFiles, Tree


@dataclass(frozen=True)
class LoadedDossier:
    """A dossier's files and built documents; ``placeholders`` holds, per municipality, every warning about
    something still to be filled in (INVULLEN) that its document carries, with file and line."""

    files: DossierFiles
    register: Register | None
    sets: dict[str, DocumentSet]  # municipality slug → its raadsvoorstel and raadsbesluit
    placeholders: dict[str, tuple[Problem, ...]] = field(default_factory=dict)
    proposals: dict[str, Proposal] = field(default_factory=dict)  # municipality slug → its resolved proposal

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
    at the ``logo`` field, not a failed document later. Each municipality's layout profile is read from
    ``templates``, or else from the project that holds the proposals folder (see ``document.profile``).
    """
    from generator.document.kinds import build_documents  # pydantic and Jinja: only when validating
    from generator.resolve import load_register, partial_register, resolve
    from generator.sources import limits
    from generator.sources.dossier import load_dossier

    problems = Problems()
    files = load_dossier(tree, slug, problems)
    if not limits.check_files((files.base, files.registry, *files.overlays.values()), problems):
        return LoadedDossier(files, None, {}), unique(problems)  # absurd sizes: stop before the costly steps
    from generator.model.formats import check_format

    shown = str(PurePath(files.base.name).parent) if files.base is not None else slug
    if not check_format(files, shown, problems):
        return LoadedDossier(files, None, {}), unique(problems)  # another format: one message, not one per key
    register = load_register(files, problems) or partial_register(files)  # report the dossier's problems too
    built: dict[str, DocumentSet] = {}
    todo: dict[str, tuple[Problem, ...]] = {}
    proposals: dict[str, Proposal] = {}
    profiles = _Profiles(templates or _tree_templates(tree), problems)
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
                proposals[name] = proposal
                built[name] = build_documents(proposal, problems, profiles.get(name))
                # every warning is about a placeholder (see README, "Nog niet bekend?")
                found = [p for p in list(problems)[start:] if p.severity is Severity.WARNING]
                todo[name] = unique(found)
                status = proposal.voorstel.status
                if status != "concept":  # offered or adopted: nothing may be left to fill in
                    problems.escalate(start, f"status '{status}' van {proposal.gemeente.naam}: vul dit eerst in")
        if templates is not None:
            _check_images(files, {slug: found.voorstel for slug, found in built.items()}, templates, problems)
        _check_attachments(tree, files, built, problems)
        _check_cbs_codes(files, register, _participants(files), problems)
    return LoadedDossier(files, register, built, todo, proposals), unique(problems)


def _check_images(files: DossierFiles, built: dict[str, Document], templates: Templates, problems: Problems) -> None:
    """Every logo a document embeds exists among the templates and decodes as PNG or JPEG."""
    from generator.resolve import Provenance
    from generator.writers.images import image_problem

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


def _check_attachments(tree: Tree, files: DossierFiles, built: dict[str, DocumentSet], problems: Problems) -> None:
    """Every attachment file a municipality's data names, checked as ``publish`` checks it (see
    :mod:`generator.core.attachments`), each problem at the line of its ``bestand``.

    A file that is not there (yet) is a warning: a concept may name the file before the clerk has it, and
    ``publish`` refuses the delivery until it is there. Anything else (a link, a path out of the folder, a
    device, a folder, an empty or too large file, a name given twice) is an error.
    """
    from generator.resolve import Provenance
    from generator.sources.dossier import FsTree

    if not isinstance(tree, FsTree) or files.base is None:
        return
    folder = tree.root / files.slug
    for name, found in built.items():
        publication = found.voorstel.publication
        if publication is None or not any(a.file for a in publication.attachments):
            continue
        from generator.core import attachments  # only for files to check (it imports the DiWoo writer)

        prov = Provenance(files.base, files.overlays.get(name))
        _, issues = attachments.check(folder, [(a.title, a.file) for a in publication.attachments])
        for issue in issues:
            where = ("bijlagen", issue.index, "bestand")
            report = problems.warning if issue.missing else problems.error
            report(prov.locate(where), ".".join(str(p) for p in where), issue.message)


def _check_cbs_codes(
    files: DossierFiles, register: Register | None, participants: Sequence[str], problems: Problems
) -> None:
    """Every participant's CBS code is a municipality of the TOOI list DiWoo validates against (see
    ``writers.diwoo_valid``), at the line of its ``cbs_code``; a register marked ``fictief`` is exempt (its
    delivery then carries no DiWoo records, see ``publish``)."""
    from generator.writers.tooi import municipalities  # not diwoo_valid: no lxml in a batch or validate

    if register is None or register.fictief or files.registry is None:
        return
    known = municipalities()
    for slug in participants:
        entry = register.gemeenten.get(slug)
        if entry is None or entry.cbs_code in known:
            continue
        where = ("gemeenten", slug, "cbs_code")
        problems.error(
            files.registry.source.nearest(where),
            ".".join(where),
            f"{entry.cbs_code} is geen gemeente in de TOOI-lijst die DiWoo gebruikt: een DiWoo-record met deze "
            "uitgever is ongeldig; controleer de CBS-code (bv. GM0327 voor Leusden), of zet 'fictief: true' "
            "bovenaan gemeenten.yaml als dit een verzonnen voorbeeldregio is",
        )


def _tree_templates(tree: Tree) -> Templates:
    """The templates of the project that holds a proposals folder on disk; the package's own for a git revision."""
    root = getattr(tree, "root", None)
    return Templates.for_project(root.parent) if isinstance(root, Path) else Templates()


class _Profiles:
    """Each municipality's layout profile (``gemeenten/<slug>/profiel.toml``, else ``profiel.toml``), every file
    read once per load; a profile's problems go to the run's collector, and the document gets the reference form."""

    def __init__(self, templates: Templates, problems: Problems) -> None:
        self.templates = templates
        self.problems = problems
        self._read: dict[Path, Profile] = {}

    def path(self, gemeente: str) -> Path | None:
        from generator.document.profile import PROFILE_FILE

        own = self.templates.find_optional(f"gemeenten/{gemeente}/{PROFILE_FILE}")
        return own if own is not None else self.templates.find_optional(PROFILE_FILE)

    def get(self, gemeente: str) -> Profile:
        from generator.document.profile import REFERENCE, parse

        try:
            path = self.path(gemeente)
        except RenderError as exc:  # a profile that leads outside the templates
            self.problems.error(Location(f"gemeenten/{gemeente}"), "profiel", str(exc))
            return REFERENCE
        if path is None:
            return REFERENCE
        if path not in self._read:
            try:
                text = path.read_text(encoding="utf-8")
            except (OSError, UnicodeDecodeError) as exc:
                self.problems.error(Location(display_path(path)), "", f"profiel niet te lezen: {exc}")
                self._read[path] = REFERENCE
                return REFERENCE
            profile, found = parse(text, display_path(path))
            self.problems.extend(found)
            self._read[path] = profile or REFERENCE
        return self._read[path]


def profiles_for(folder: Path, templates: Templates) -> dict[str, tuple[str, str]]:
    """Each municipality of the registry beside ``folder`` (a proposals or dossier folder): the name of its
    layout profile and the file it comes from ("pakket" for the package's reference form)."""
    from generator.core.scaffold import registry_slugs

    folder = folder.resolve()
    registry = next((f / REGISTRY_FILE for f in (folder, folder.parent) if (f / REGISTRY_FILE).is_file()), None)
    if registry is None:
        return {}
    problems = Problems()
    profiles = _Profiles(templates, problems)
    found: dict[str, tuple[str, str]] = {}
    for slug in registry_slugs(registry):
        path = profiles.path(slug)
        mark = problems.mark()
        profile = profiles.get(slug)
        name = "ongeldig (zie validate)" if problems.failed_since(mark) else profile.name
        found[slug] = (name, "-" if path is None else display_path(path))
    return found

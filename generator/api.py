"""What the CLI and tests call: validate, documents, dump, build, schema, scaffold.

Each function takes paths and plain options and either returns results or raises a ``GeneratorError``;
only ``cli.py`` turns those into messages and exit codes.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from pathlib import Path

from generator.document.build import build as build_document
from generator.document.nodes import Document
from generator.errors import DataError, Problem, Severity, UsageError
from generator.loading import DossierFiles, FsTree, Tree, dossier_folders, find_dossier, load_dossier
from generator.model.proposal import Register
from generator.resolve import Proposal, load_register, resolve

__all__ = ["LoadedDossier", "Report", "documents", "dossier_folders", "load", "validate"]


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
    problems: list[Problem] = []
    files = load_dossier(tree, slug, problems)
    register = load_register(files, problems)
    documents: dict[str, Document] = {}
    if register is not None and files.base is not None:
        participants = _participants(files)
        for name in gemeenten:
            if name not in participants:
                raise UsageError(
                    f"gemeente '{name}' doet niet mee aan dossier '{slug}'; kies uit: {', '.join(participants) or '-'}"
                )
        for stem in files.overlays:
            if stem not in participants:
                overlay = files.overlays[stem]
                problems.append(
                    Problem(
                        overlay.source.nearest(()),
                        "",
                        f"'{stem}' is geen deelnemende gemeente van dit dossier (zie 'gemeenten' in voorstel.yaml); "
                        "hernoem of verwijder het bestand",
                    )
                )
        for name in gemeenten or participants:
            proposal = resolve(files, register, name, problems)
            if proposal is not None:
                documents[name] = _document(proposal, problems)
    return LoadedDossier(files, register, documents), _unique(problems)


def _participants(files: DossierFiles) -> list[str]:
    raw = files.base.data.get("gemeenten") if files.base is not None else None
    return [g for g in raw if isinstance(g, str)] if isinstance(raw, list) else []


def _document(proposal: Proposal, problems: list[Problem]) -> Document:
    return build_document(proposal, problems)


def validate(dossiers: Sequence[Path]) -> Report:
    """Every problem of every dossier (errors and warnings)."""
    found: list[Problem] = []
    for path in dossiers:
        tree, slug = find_dossier(path)
        _, problems = load(tree, slug)
        found.extend(problems)
    return Report(_unique(found))


def documents(dossier: Path, gemeenten: Sequence[str] = (), strict: bool = False) -> dict[str, Document]:
    """The documents of a dossier; raises DataError when any problem (or, strict, warning) is found."""
    tree, slug = find_dossier(dossier)
    loaded, problems = load(tree, slug, gemeenten)
    report = Report(problems)
    if not report.ok(strict):
        raise DataError(report.errors + (report.warnings if strict else ()))
    return loaded.documents


def default_tree(path: Path) -> FsTree:
    return FsTree(path)

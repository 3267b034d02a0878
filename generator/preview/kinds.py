"""The kinds of document the preview can show for a municipality: the raadsvoorstel and the raadsbesluit.

Why a table: the page's switch, the routes and the download names all come from here; each kind is one entry
with its loader. Both loaders go through ``core.load``, the same path as ``validate`` and ``build``.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from pathlib import PurePosixPath

from generator.core import load as core
from generator.document.nodes import Document
from generator.errors import Problem, Problems
from generator.sources.dossier import Tree, load_dossier
from generator.sources.layout import OVERLAY_DIR, REGISTRY_FILE

__all__ = ["KINDS", "DocumentKind", "Loaded", "participants"]


@dataclass(frozen=True, slots=True)
class Loaded:
    """One load of a dossier for one municipality: its document (None when invalid) and every finding."""

    document: Document | None
    problems: tuple[Problem, ...]
    participants: tuple[str, ...]
    names: dict[str, str]  # slug → municipality name, from the registry when it loads
    overlay_files: dict[str, str]  # slug → the overlay's file name as problems show it
    registry_file: str | None
    base: object  # voorstel.yaml as plain data (to find where a variable is used), None when unreadable


Loader = Callable[[Tree, str, str], Loaded]


def _overlay_files(tree: Tree, slug: str) -> dict[str, str]:
    """Every overlay file of the dossier by its stem, as problems name it (also those that did not load)."""
    folder = PurePosixPath(slug, OVERLAY_DIR)
    names = [name for name in tree.list_dir(folder) if name.endswith(".yaml")]
    return {name.removesuffix(".yaml"): tree.display(folder / name) for name in names}


def _loader(kind: str) -> Loader:
    """A loader for file kind ``kind`` ("raadsvoorstel" or "raadsbesluit")."""

    def load(tree: Tree, slug: str, gemeente: str) -> Loaded:
        return _load(tree, slug, gemeente, kind)

    return load


def _load(tree: Tree, slug: str, gemeente: str, kind: str) -> Loaded:
    """One municipality's document of ``kind`` through ``core.load``, the same path as ``validate`` and ``build``."""
    loaded, problems = core.load(tree, slug, [gemeente])
    proposal = loaded.proposals.get(gemeente)
    if kind == "raadsvoorstel" and proposal is not None:  # the B1 warnings of its sections (never block)
        from generator.language.proposal import problems as language_problems

        problems = (*problems, *language_problems(proposal))
    register = loaded.register
    entries = register.gemeenten.items() if register is not None else ()
    names = {k: v.naam for k, v in entries if v is not None}  # a broken registry entry is None
    files = loaded.files
    registry = files.registry.name if files.registry is not None else tree.display(PurePosixPath(REGISTRY_FILE))
    return Loaded(
        document=loaded.of_kind(kind).get(gemeente),
        problems=problems,
        participants=tuple(core.participants(files)),
        names=names,
        overlay_files=_overlay_files(tree, slug),
        registry_file=registry,
        base=files.base.data if files.base is not None else None,
    )


def participants(tree: Tree, slug: str) -> tuple[str, ...]:
    """The dossier's municipalities as ``voorstel.yaml`` lists them now (empty when it cannot be read)."""
    files = load_dossier(tree, slug, Problems())
    return tuple(core.participants(files))


@dataclass(frozen=True, slots=True)
class DocumentKind:
    """One kind of document: its name in URLs, its label on the page, and how to load it (None: not yet)."""

    name: str
    label: str
    file_stem: str  # download names: <file_stem>-<dossier>-<gemeente>.<ext>, as ``build`` names its files
    load: Loader | None

    @property
    def available(self) -> bool:
        return self.load is not None


KINDS: dict[str, DocumentKind] = {
    "voorstel": DocumentKind("voorstel", "Raadsvoorstel", "raadsvoorstel", _loader("raadsvoorstel")),
    "besluit": DocumentKind("besluit", "Raadsbesluit", "raadsbesluit", _loader("raadsbesluit")),
}

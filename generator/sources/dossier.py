"""Reading a dossier's data files from a tree: the working folder, or a git revision (for ``diff``).

A ``Tree`` hides where bytes come from, so validation and resolution work the same on a folder and on
``HEAD~1:proposals/…`` without touching the work tree.
"""

from __future__ import annotations

import hashlib
from dataclasses import dataclass, field
from pathlib import Path, PurePosixPath
from typing import Any, Protocol

from generator.errors import DataError, Location, Problem, Problems, display_path, os_reason
from generator.sources import MAX_BYTES, SourceMap, load_yaml_text
from generator.sources.layout import OVERLAY_DIR, PROPOSAL_FILE, REGISTRY_FILE
from generator.sources.slugs import SLUG_RE


class Tree(Protocol):
    """Read-only access to a proposals folder (``root`` holds ``gemeenten.yaml`` and dossier folders)."""

    def read_bytes(self, rel: PurePosixPath) -> bytes: ...
    def is_file(self, rel: PurePosixPath) -> bool: ...
    def is_dir(self, rel: PurePosixPath) -> bool: ...
    def list_dir(self, rel: PurePosixPath) -> list[str]: ...
    def display(self, rel: PurePosixPath) -> str: ...


@dataclass(frozen=True)
class FsTree:
    """A proposals folder on disk."""

    root: Path

    def _path(self, rel: PurePosixPath) -> Path:
        return self.root.joinpath(*rel.parts)

    def read_bytes(self, rel: PurePosixPath) -> bytes:
        """The file's bytes; a file that is a link to a place outside the proposals folder is refused.

        Why: the data of a dossier is what reviewers see in the repository; a symbolic link to a file
        elsewhere on the machine (``/etc/…``, a colleague's folder) would put its content in a document.
        """
        path = self._path(rel)
        if not path.resolve().is_relative_to(self.root.resolve()):
            raise DataError(
                [
                    Problem(
                        Location(self.display(rel)),
                        "",
                        "dit bestand is een koppeling naar een bestand buiten de map met dossiers; "
                        "zet het bestand zelf in de map",
                    )
                ]
            )
        if not path.is_file():  # a named pipe or a device would block the read or never end
            message = "dit is geen gewoon bestand (maar bijvoorbeeld een pijp); zet er een bestand neer"
            raise DataError([Problem(Location(self.display(rel)), "", message)])
        try:
            if path.stat().st_size > MAX_BYTES:  # refuse before reading a huge file into memory
                with path.open("rb") as handle:
                    return handle.read(MAX_BYTES + 1)
            return path.read_bytes()
        except OSError as exc:  # no permission, a read error: a problem at the file, never a traceback
            message = f"het bestand is niet te lezen: {os_reason(exc)}"
            raise DataError([Problem(Location(self.display(rel)), "", message)]) from exc

    def is_file(self, rel: PurePosixPath) -> bool:
        return self._path(rel).is_file()

    def is_dir(self, rel: PurePosixPath) -> bool:
        return self._path(rel).is_dir()

    def list_dir(self, rel: PurePosixPath) -> list[str]:
        path = self._path(rel)
        return sorted(p.name for p in path.iterdir()) if path.is_dir() else []

    def display(self, rel: PurePosixPath) -> str:
        return display_path(self._path(rel))


@dataclass(frozen=True)
class Loaded:
    """One data file: plain data, where every value came from, and how to name the file."""

    data: Any
    source: SourceMap
    name: str
    blob: str = ""  # git's object id of the file's bytes: a built document names the exact version it came from


@dataclass(frozen=True)
class DossierFiles:
    slug: str
    tree: Tree
    base: Loaded | None
    overlays: dict[str, Loaded] = field(default_factory=dict)
    registry: Loaded | None = None


def load_file(tree: Tree, rel: PurePosixPath, problems: Problems) -> Loaded | None:
    """Load one YAML file; on failure its problems are added and None returned."""
    name = tree.display(rel)
    if not tree.is_file(rel):
        problems.append(Problem(Location(name), "", "bestand ontbreekt"))
        return None
    try:
        raw = tree.read_bytes(rel)
        data, source = load_yaml_text(raw, name)
    except DataError as exc:
        problems.extend(exc.problems)
        return None
    if not isinstance(data, dict):
        problems.append(Problem(Location(name, 1, 1), "", "het bestand moet velden bevatten (sleutel: waarde)"))
        return None
    return Loaded(data, source, name, blob_id(raw))


def blob_id(data: bytes) -> str:
    """Git's object id of a file with bytes ``data`` (``git hash-object``), computed without git: the Word
    import finds the version a document was built from with ``git cat-file`` when the repository has it."""
    return hashlib.sha1(b"blob %d\0" % len(data) + data, usedforsecurity=False).hexdigest()


def load_dossier(tree: Tree, slug: str, problems: Problems) -> DossierFiles:
    """Load the registry, ``<slug>/voorstel.yaml`` and every overlay in ``<slug>/gemeenten/``."""
    folder = PurePosixPath(slug)
    if not SLUG_RE.fullmatch(slug):
        problems.append(
            Problem(
                Location(tree.display(folder)),
                "",
                f"mapnaam '{slug}' is geen geldige korte naam: gebruik kleine letters, cijfers en streepjes",
            )
        )
    registry = load_file(tree, PurePosixPath(REGISTRY_FILE), problems)
    base = load_file(tree, folder / PROPOSAL_FILE, problems)
    overlays: dict[str, Loaded] = {}
    overlay_dir = folder / OVERLAY_DIR
    for name in tree.list_dir(overlay_dir):
        rel = overlay_dir / name
        if not name.endswith(".yaml"):
            if tree.is_file(rel):
                problems.append(Problem(Location(tree.display(rel)), "", "alleen .yaml-bestanden horen in deze map"))
            continue
        stem = name.removesuffix(".yaml")
        loaded = load_file(tree, rel, problems)
        if loaded is not None:
            overlays[stem] = loaded
    return DossierFiles(slug, tree, base, overlays, registry)


def dossier_folders(root: Path) -> list[Path]:
    """Every dossier folder (one holding voorstel.yaml) below a proposals folder."""
    return sorted(p.parent for p in root.glob(f"*/{PROPOSAL_FILE}"))


def find_dossier(path: Path) -> tuple[FsTree, str]:
    """A dossier folder on disk → (tree of its proposals folder, its slug)."""
    path = path.resolve()
    return FsTree(path.parent), path.name

"""From the command line's OLD and NEW to a ``DiffReport``: which documents are compared with which.

OLD and NEW are each a dossier folder or ``REV:path`` (read with ``gittree``). Three ways to ask:

- ``diff OLD NEW --gemeente leusden``: one municipality's document in both versions;
- ``diff OLD NEW``: every municipality that takes part in both (a reviewer of a regional proposal wants to see
  all seven; one that takes part on one side only is reported as a difference);
- ``diff DOSSIER --gemeente leusden --tegen soest``: two municipalities of one dossier, so a clerk sees where the
  local text deviates from the other's (``--tegen`` is the old side, with NEW also ``--tegen`` picks OLD's).

Invalid data on either side is trouble, not a difference: like diff(1), that is exit code 2
(``DiffInputError``); warnings such as INVULLEN do not stop a comparison.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path

from generator.core import load as core
from generator.diffing.compare import diff_documents
from generator.diffing.model import DiffReport, DocumentDiff
from generator.document.nodes import Document
from generator.errors import DataError, GeneratorError, Severity, UsageError
from generator.sources.dossier import Tree, find_dossier
from generator.sources.gittree import GitTree, is_revision_spec


class DiffInputError(DataError):
    """OLD or NEW has invalid data: the comparison cannot be made (exit code 2, like diff(1)'s "trouble")."""

    exit_code = 2


class DiffError(GeneratorError):
    """The redline could not be rendered or written: trouble, not a difference (exit code 2)."""

    exit_code = 2


@dataclass(frozen=True)
class Side:
    """One of the two versions: how the user named it, and its built documents by municipality slug."""

    name: str
    documents: dict[str, Document]


def load_side(
    argument: str, gemeenten: Sequence[str] = (), cwd: Path | None = None, kind: str = "raadsvoorstel"
) -> Side:
    """Build the documents of ``argument`` (a folder or ``REV:path``); only ``gemeenten`` when given.

    ``kind`` picks the document: "raadsvoorstel", "raadsbesluit" (as it stands) or "ontwerpbesluit" (as offered).
    """
    tree: Tree
    if is_revision_spec(argument):
        tree, slug = GitTree.open(argument, cwd)
    else:
        path = Path(argument)
        if not path.is_dir():
            raise UsageError(f"'{argument}' is geen dossiermap en geen git-revisie (REV:pad)")
        tree, slug = find_dossier(path)
    loaded, problems = core.load(tree, slug, list(dict.fromkeys(gemeenten)))
    errors = [p for p in problems if p.severity is Severity.ERROR]
    if errors:
        raise DiffInputError(errors)
    return Side(argument, loaded.of_kind(kind))


def compare(
    old: str,
    new: str | None,
    gemeente: str | None = None,
    tegen: str | None = None,
    cwd: Path | None = None,
    kind: str = "raadsvoorstel",
    ontwerp: bool = False,
) -> DiffReport:
    """The report for one ``raadsvoorstel diff`` run (see the module docstring for the ways to ask).

    ``ontwerp``: one dossier, the ontwerpbesluit as offered against the besluit as the council adopted it, per
    municipality (``--gemeente`` for one): exactly the amendments.
    """
    if ontwerp:
        if new is not None or tegen is not None:
            raise UsageError("--ontwerp vergelijkt binnen één dossier: geef één DOSSIER, zonder NEW en --tegen")
        wanted = [gemeente] if gemeente is not None else []
        drafts = load_side(old, wanted, cwd, "ontwerpbesluit")
        adopted = load_side(old, wanted, cwd, "raadsbesluit")
        return DiffReport(tuple(_diff(drafts, g, adopted, g) for g in adopted.documents))
    if tegen is not None and gemeente is None:
        raise UsageError("--tegen vergelijkt twee gemeenten: geef ook --gemeente (de gemeente die u bekijkt)")
    if new is None:
        if tegen is None or gemeente is None:
            raise UsageError("geef OLD en NEW, of één dossier met --gemeente en --tegen")
        side = load_side(old, [gemeente, tegen], cwd, kind)
        return DiffReport((_diff(side, tegen, side, gemeente),))
    if gemeente is not None:
        old_side = load_side(old, [tegen or gemeente], cwd, kind)
        new_side = load_side(new, [gemeente], cwd, kind)
        return DiffReport((_diff(old_side, tegen or gemeente, new_side, gemeente),))
    old_side, new_side = load_side(old, (), cwd, kind), load_side(new, (), cwd, kind)
    common = [g for g in new_side.documents if g in old_side.documents]
    return DiffReport(
        tuple(_diff(old_side, g, new_side, g) for g in common),
        only_old=tuple(d.municipality for g, d in old_side.documents.items() if g not in new_side.documents),
        only_new=tuple(d.municipality for g, d in new_side.documents.items() if g not in old_side.documents),
    )


def _diff(old: Side, old_slug: str, new: Side, new_slug: str) -> DocumentDiff:
    a, b = old.documents[old_slug], new.documents[new_slug]
    return diff_documents(a, b, f"{old.name} ({a.municipality})", f"{new.name} ({b.municipality})")

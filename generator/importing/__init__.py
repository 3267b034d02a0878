"""Back from Word (``raadsvoorstel import``): edits made in Word or LibreOffice come back into the dossier.

Modules, one job each:

- ``package``    opening a file from outside safely (not a DOCX, damaged, encrypted, .docm, too large, zip bomb,
                 XML entities: a Dutch message, nothing read further)
- ``revisions``  tracked changes accepted or rejected as a whole, comments listed; never silently either
- ``reader``     the DOCX body → IR blocks per marked field, robust to what Word and LibreOffice do to runs
- ``texts``      one field's old source and new blocks → its new text, untouched blocks kept line for line
- ``ours``       our own DOCX → the edits of its dossier (three-way against the version it was built from)
- ``foreign``    a proposal in another template (no marks) → a new dossier, headings through one synonyms table

Nothing here writes a file except through :mod:`generator.editing` (DESIGN §7, "writing data is one module").
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from generator.editing import ConflictError, apply_edits, read_version
from generator.errors import GeneratorError, UsageError
from generator.importing import revisions
from generator.importing.foreign import Foreign, read_foreign, write_foreign
from generator.importing.ours import Plan, plan
from generator.importing.package import ImportError_, open_docx
from generator.importing.reader import Meta, fields, read_meta, unwrap

__all__ = ["ImportError_", "Imported", "import_docx"]


@dataclass
class Imported:
    """The outcome of one import: the plan, the comments found, and the files written (empty: a dry run)."""

    plan: Plan
    comments: list[revisions.Comment] = field(default_factory=list)
    written: list[Path] = field(default_factory=list)
    revisions: int = 0
    foreign: Foreign | None = None  # a proposal from another template: what was read from it
    files: list[str] = field(default_factory=list)  # the new dossier's files (written or to be written)


def import_docx(
    path: Path,
    dossier: Path | None = None,
    gemeente: str | None = None,
    choice: str | None = None,
    write: bool = False,
    only_here: bool = False,
) -> Imported:
    """Read an edited DOCX of this tool back into its dossier; ``choice`` is "accepteer" or "verwerp" for
    tracked changes. Without ``write`` nothing is written; the plan says what would change. With ``only_here``
    an edit of the shared text becomes this municipality's ``lokaal:`` text instead."""
    document = open_docx(path)
    pending = revisions.pending(document)
    if pending and choice is None:
        raise ImportError_(
            f"het document bevat {pending} bijgehouden wijziging(en); kies --accepteer (alle wijzigingen overnemen) "
            "of --verwerp (alle wijzigingen weigeren), of handel ze eerst af in Word"
        )
    if choice == "accepteer":
        revisions.accept_all(document)
    elif choice == "verwerp":
        revisions.reject_all(document)
    meta = read_meta(document)
    if meta is None:
        return _foreign(document, path, dossier, gemeente, write, pending)
    if meta.kind != "raadsvoorstel":
        raise ImportError_(f"dit is een {meta.kind}; alleen een raadsvoorstel kan worden teruggelezen")
    if gemeente is not None and gemeente != meta.gemeente:
        raise UsageError(f"dit document is van gemeente '{meta.gemeente}', niet van '{gemeente}'")
    folder = dossier if dossier is not None else Path("proposals") / meta.dossier
    if not (folder / "voorstel.yaml").is_file():
        raise UsageError(f"dossier '{meta.dossier}' niet gevonden in {folder}; geef de map op met --dossier")
    if folder.resolve().name != meta.dossier:
        raise UsageError(f"dit document hoort bij dossier '{meta.dossier}', niet bij '{folder.resolve().name}'")
    result = Imported(plan(document, meta, folder, meta.gemeente, only_here), revisions=pending)
    result.comments = revisions.comments(document, _section_namer(document, meta))
    if write and not result.plan.refused:
        for file in result.plan.edits:  # every file still as read, before the first is written
            if read_version(file)[1] != result.plan.versions.get(file):
                raise ConflictError(
                    f"{file} is gewijzigd tijdens het importeren; er is niets geschreven, probeer opnieuw"
                )
        for file, edits in result.plan.edits.items():
            if edits:
                apply_edits(file, edits, expected=result.plan.versions.get(file))
                result.written.append(file)
    return result


def _foreign(
    document: Any, path: Path, dossier: Path | None, gemeente: str | None, write: bool, pending: int
) -> Imported:
    """A proposal from another template becomes a new dossier ``dossier`` for ``gemeente``."""
    if dossier is None or gemeente is None:
        raise UsageError(
            f"{path.name} is niet door raadsvoorstel gemaakt (geen markeringen); geef --dossier NIEUWE-MAP en "
            "--gemeente SLUG om er een nieuw dossier van te maken"
        )
    if dossier.exists():
        raise UsageError(f"{dossier} bestaat al; kies voor een ander voorstel een nieuwe map")
    registry = dossier.parent / "gemeenten.yaml"
    known = _registry_slugs(registry)
    if gemeente not in known:
        raise UsageError(f"gemeente '{gemeente}' staat niet in {registry}; kies uit: {', '.join(known) or '-'}")
    found = read_foreign(document)
    files = write_foreign(found, dossier, gemeente, write=write)
    result = Imported(Plan(dossier, gemeente), revisions=pending, foreign=found, files=files)
    result.comments = revisions.comments(document, lambda _: "")
    if write:
        result.written = sorted(p for p in dossier.rglob("*.yaml"))
    return result


def _registry_slugs(path: Path) -> list[str]:
    """The municipalities the registry names (read safely; a broken registry names none)."""
    from generator.sources import load_yaml_text

    try:
        data, _ = load_yaml_text(path.read_bytes(), str(path))
    except (OSError, GeneratorError):
        return []
    gemeenten = data.get("gemeenten") if isinstance(data, dict) else None
    return sorted(str(k) for k in gemeenten) if isinstance(gemeenten, dict) else []


def _section_namer(document: Any, meta: Meta) -> Callable[[Any], str]:
    """A function naming the section (data key) a body paragraph sits in, for the list of comments.

    The dictionary holds the elements themselves: lxml hands out the same proxy for an element as long as one
    is alive, so the look-up by identity is sound."""
    owner: dict[Any, str] = {}
    for marked in fields(document, meta):
        for element in marked.elements:
            owner[unwrap(element)] = str(marked.path[0]) if marked.path else ""

    def name(paragraph: Any) -> str:
        return owner.get(paragraph, "")

    return name

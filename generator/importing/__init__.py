"""Back from Word (``raadsvoorstel import``): edits made in Word or LibreOffice come back into the dossier.

Modules, one job each:

- ``package``    opening a file from outside safely (not a DOCX, damaged, encrypted, .docm, too large, zip bomb,
                 XML entities: a Dutch message, nothing read further)
- ``revisions``  tracked changes accepted or rejected as a whole, comments listed; never silently either
- ``reader``     the DOCX body → IR blocks per marked field, robust to what Word and LibreOffice do to runs
- ``texts``      one field's old source and new blocks → its new text, untouched blocks kept line for line
- ``ours``       our own DOCX → the edits of its dossier (three-way against the version it was built from)

Nothing here writes a file except through :mod:`generator.editing` (DESIGN §7, "writing data is one module").
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from generator.editing import apply_edits
from generator.errors import UsageError
from generator.importing import revisions
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


def import_docx(
    path: Path,
    dossier: Path | None = None,
    gemeente: str | None = None,
    choice: str | None = None,
    write: bool = False,
) -> Imported:
    """Read an edited DOCX of this tool back into its dossier; ``choice`` is "accepteer" or "verwerp" for
    tracked changes. Without ``write`` nothing is written; the plan says what would change."""
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
        raise ImportError_(
            f"{path.name}: dit document is niet door raadsvoorstel gemaakt (geen markeringen gevonden); "
            "een voorstel in een ander sjabloon importeren kan nog niet"
        )
    if meta.kind != "raadsvoorstel":
        raise ImportError_(f"dit is een {meta.kind}; alleen een raadsvoorstel kan worden teruggelezen")
    if gemeente is not None and gemeente != meta.gemeente:
        raise UsageError(f"dit document is van gemeente '{meta.gemeente}', niet van '{gemeente}'")
    folder = dossier if dossier is not None else Path("proposals") / meta.dossier
    if not (folder / "voorstel.yaml").is_file():
        raise UsageError(f"dossier '{meta.dossier}' niet gevonden in {folder}; geef de map op met --dossier")
    if folder.resolve().name != meta.dossier:
        raise UsageError(f"dit document hoort bij dossier '{meta.dossier}', niet bij '{folder.resolve().name}'")
    result = Imported(plan(document, meta, folder, meta.gemeente), revisions=pending)
    result.comments = revisions.comments(document, _section_namer(document, meta))
    if write and not result.plan.refused:
        for file, edits in result.plan.edits.items():
            if edits:
                apply_edits(file, edits, expected=result.plan.versions.get(file))
                result.written.append(file)
    return result


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

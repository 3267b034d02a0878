"""A ``validate`` finding as the preview lists it: file:line, the message, and where in the document it lands.

The place is a CSS selector chosen here from a fixed set (a section's ``id``, the title block, the signature
block), never text from the data: the page scrolls the document to it when the clerk clicks the finding.
"""

from __future__ import annotations

from dataclasses import dataclass

from generator.document import origins
from generator.document.nodes import Document
from generator.errors import Problem, Severity

__all__ = ["ProblemView", "relevant", "view"]

#: Fields of the title block (the registry's name and house style show there too).
_TITLE_FIELDS = frozenset(
    {"onderwerp", "datum_college", "datum_raad", "zaaknummer", "portefeuillehouder", "agendapunt", "naam", "huisstijl"}
)
_SIGNATURE_FIELDS = frozenset({"ondertekening", "burgemeester", "secretaris", "griffier"})


@dataclass(frozen=True, slots=True)
class ProblemView:
    """What the page shows for one finding; ``kind`` is fout, waarschuwing or invullen (a placeholder)."""

    kind: str
    place: str
    field: str
    message: str
    target: str | None

    def as_json(self) -> dict[str, str | None]:
        return {"soort": self.kind, "plaats": self.place, "veld": self.field, "melding": self.message,
                "doel": self.target}  # fmt: skip


def _kind(problem: Problem) -> str:
    if problem.severity is Severity.ERROR:
        return "fout"
    return "invullen" if "INVULLEN" in problem.message or "niet ingevuld" in problem.message else "waarschuwing"


def relevant(problem: Problem, gemeente: str, overlay_files: dict[str, str], registry_file: str | None) -> bool:
    """False for findings about another municipality only (its overlay, its registry entry)."""
    others = {name for stem, name in overlay_files.items() if stem != gemeente}
    if problem.location.file in others:
        return False
    parts = problem.field.split(".")
    return not (
        problem.location.file == registry_file and len(parts) > 1 and parts[0] == "gemeenten" and parts[1] != gemeente
    )


def _target(problem: Problem, document: Document | None, base: object, registry_file: str | None) -> str | None:
    """The selector of the place in the document that ``problem`` concerns, or None when there is none."""
    if document is None or not problem.field:
        return None
    keys = {section.key for section in document.sections}
    parts = problem.field.split(".")
    if problem.location.file == registry_file and parts[0] == "gemeenten":
        parts = parts[2:]  # gemeenten.<slug>.burgemeester.naam → burgemeester.naam
        if not parts:
            return None
    head = parts[0]
    if head in keys:
        return f"#sectie-{head}"
    if head in _SIGNATURE_FIELDS:
        return "footer.ondertekening"
    if head in _TITLE_FIELDS:
        return "header.titelblok"
    if head in ("waarden", "variabelen") and len(parts) > 1:
        section = origins.section_using(document, f"waarden.{parts[1]}")  # the nodes know their variables
        return None if section is None else f"#sectie-{section.key}"
    return None


def view(problem: Problem, document: Document | None, base: object, registry_file: str | None) -> ProblemView:
    return ProblemView(
        _kind(problem), str(problem.location), problem.field, problem.message,
        _target(problem, document, base, registry_file),
    )  # fmt: skip

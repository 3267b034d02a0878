"""``raadsvoorstel bijwerken``: bring a dossier written for an earlier data format to the current one."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from generator.errors import UsageError, display_path


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
    from generator.model.formats import CURRENT, missing_steps, version_of
    from generator.model.proposal import Voorstel
    from generator.sources import load_yaml_text
    from generator.sources.layout import OVERLAY_DIR, PROPOSAL_FILE

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


"""``raadsvoorstel herzie``: a deliberate change of an offered proposal, recorded in the overlay and the archive."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING

from generator.core.frozen import sha256
from generator.core.load import loaded_dossier, templates_for
from generator.errors import UsageError
from generator.sources.layout import KINDS
from generator.writers import WriterOptions, get_writer

if TYPE_CHECKING:
    from generator.core.archive import Revision


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
    from generator.core.archive import Archive, plain_text
    from generator.editing import Insert, apply_edits, read_version
    from generator.sources.layout import OVERLAY_DIR

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
        and sha256(plain_text(docs.get(kind))) != frozen.text_sha256
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


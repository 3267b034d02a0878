"""Frozen documents (issue 24): an offered or adopted document is recorded in the dossier's archive
(:mod:`generator.core.archive`), reproduced from it by every build, and any edit that would change its words is
a located problem at ``validate``.

Why in the core: ``build``, ``batch``, ``validate`` and ``publish`` all have to agree on what is frozen, so the
rules live once, below all of them.
"""

from __future__ import annotations

import hashlib
from pathlib import Path
from typing import TYPE_CHECKING, Any

from generator.core.load import LoadedDossier
from generator.document.nodes import Document
from generator.errors import GeneratorError, Location, Problem, display_path
from generator.sources.layout import KINDS, REGISTRY_FILE
from generator.writers import WriterOptions, get_writer

if TYPE_CHECKING:
    from generator.core.archive import Archive
    from generator.document.kinds import DocumentSet


class Freezer:
    """One municipality's frozen documents during a build: reproduced from the archive, or recorded in it."""

    def __init__(self, dossier: Path, slug: str, found: DocumentSet) -> None:
        from generator.core.archive import Archive

        self.found = found
        self.archive = Archive.open(dossier.resolve(), slug)
        self.rendered: dict[str, dict[str, bytes]] = {}

    def archived(self, kind: str, fmt: str) -> bytes | None:
        """The archived bytes of a frozen ``kind`` in ``fmt``, or None (not frozen, or that format never built)."""
        if self.archive.frozen(kind, self.found.status) is None:
            return None
        return self.archive.file_bytes(kind, fmt)

    def withheld(self, kind: str, fmt: str, document: Document) -> bool:
        """True for a frozen document whose words changed, in a format the archive never held: no file for it."""
        return frozen_changed(self.archive, self.found.status, kind, fmt, document)

    def fresh(self, kind: str, fmt: str, document: Document, options: WriterOptions) -> bytes | str:
        data = get_writer(fmt)(document, options)
        self.rendered.setdefault(kind, {})[fmt] = data.encode("utf-8") if isinstance(data, str) else data
        return data

    def finish(self, kind: str, document: Document) -> None:
        """Freeze what became frozen with this build; add a format first built now to an unchanged frozen one."""
        record_frozen(self.archive, self.found, kind, document, self.rendered.get(kind, {}))


def record_frozen(archive: Archive, found: DocumentSet, kind: str, document: Document, files: dict[str, bytes]) -> bool:
    """Record ``document`` (of ``kind``) in ``archive`` when its status freezes it now; True when written.

    A frozen document whose text is unchanged keeps its archive and only gains formats it did not have yet.
    """
    from generator.core.archive import plain_text, wanted

    status = found.status
    if archive.needs_record(kind, status):
        want = wanted(kind, status) or status
        archive.record(document, freeze_date(found, want), files)
        return True
    frozen = archive.frozen(kind, status)
    new = {fmt: data for fmt, data in files.items() if frozen is not None and fmt not in frozen.files}
    if frozen is not None and new and sha256(plain_text(document)) == frozen.text_sha256:
        archive.add_files(kind, new)
        return True
    return False


def frozen_changed(archive: Archive, status: str, kind: str, fmt: str, document: Document) -> bool:
    """A frozen ``kind`` without ``fmt`` in the archive whose words changed: it can be neither reproduced nor
    made anew (validate names the change)."""
    from generator.core.archive import plain_text

    frozen = archive.frozen(kind, status)
    return frozen is not None and fmt not in frozen.files and sha256(plain_text(document)) != frozen.text_sha256


def sha256(text: str) -> str:
    """The SHA-256 of a document's plain text, as the archive records it."""
    return hashlib.sha256(text.encode("utf-8")).hexdigest()


def freeze_date(found: DocumentSet, status: str) -> str:
    """The date of the last step to ``status`` in the municipality's history (ISO), or "" when it has none."""
    days = [day for step, day in found.history if step == status]
    return days[-1].isoformat() if days else ""


#: Where the words of a part of a document come from in the data, when the part is not a section of its own key.
_PART_KEYS = {"aanhef": ("gelet_op",), "kop": ("onderwerp",), "besluit": ("beslispunten",)}


#: Parts whose units (list items) are the items of a data list, one for one.
_ITEM_KEYS = ("beslispunten", "bijlagen")


def frozen_problems(dossier: Path, loaded: LoadedDossier, only: str | None = None) -> list[Problem]:
    """Every edit that would change an offered or adopted document's words, at the line that made it.

    An error for an adopted (vastgesteld) document; for an offered one too, unless the clerk records the change
    with ``raadsvoorstel herzie`` (which brings the archive up to date, so the check passes again).
    """
    from generator.core.archive import Archive, plain_text
    from generator.resolve import Provenance

    files = loaded.files
    if files.base is None:
        return []
    found: list[Problem] = []
    for slug, docs in loaded.sets.items():
        if only is not None and slug != only:
            continue
        archive = Archive.open(dossier.resolve(), slug)
        if not archive.documents:
            continue
        prov = Provenance(files.base, files.overlays.get(slug))
        at: dict[Location, list[str]] = {}
        fields: dict[Location, str] = {}
        for kind in KINDS:
            frozen = archive.frozen(kind, docs.status)
            document = docs.get(kind)
            if frozen is None or sha256(plain_text(document)) == frozen.text_sha256:
                continue
            for change in frozen.changes(document):
                key = _PART_KEYS.get(change.part, (change.part,))
                item = change.part in _ITEM_KEYS or change.part == "besluit"
                path: tuple[str | int, ...] = (*key, change.unit) if item and change.unit is not None else key
                if change.part == "besluit" and change.unit is not None and docs.status == "vastgesteld":
                    origins = _besluit_origins(prov, slug, loaded)
                    path = origins[change.unit] if change.unit < len(origins) else key
                edited = _edited_line(archive, files, slug, key)
                if edited is not None:
                    where, field_name = edited
                    fields.setdefault(where, field_name)
                elif change.part == "ondertekening" and files.registry is not None:
                    where = Provenance(files.registry).locate(("gemeenten", slug))
                    fields.setdefault(where, f"gemeenten.{slug}")
                else:
                    where = prov.locate(path)
                    fields.setdefault(where, ".".join(str(p) for p in path))
                label = f"{kind} (onderdeel '{change.heading}'"
                label += f", punt {change.unit + 1})" if item and change.unit is not None else ")"
                at.setdefault(where, []).append(label)
        for where, labels in at.items():
            from generator.model import dutch

            adopted = docs.status == "vastgesteld"
            since = [day for step, day in docs.history if step == docs.status]
            day = f" op {dutch.date(since[-1])}".replace("\u00a0", " ") if since else ""
            state = docs.status
            what = " en ".join(f"het {label}" for label in labels)
            if adopted:
                advice = "een vastgesteld document verandert niet; maak deze wijziging ongedaan (of maak haar lokaal "
                advice += "voor de andere gemeenten)"
            else:
                advice = (
                    f"de raad heeft dit voorstel al gekregen; leg de wijziging vast met: raadsvoorstel herzie "
                    f'{display_path(dossier)} --gemeente {slug} --reden "…"'
                )
            name = docs.voorstel.municipality
            message = f"deze wijziging verandert {what} van {name}, {state}{day}; {advice}"
            found.append(Problem(where, fields[where], message))
    return found


#: Overlay keys that never change a document's words by themselves (the status and its bookkeeping).
_BOOKKEEPING = ("status", "historie", "herzieningen", "formaat")


def _edited_line(archive: Archive, files: Any, slug: str, key: tuple[str | int, ...]) -> tuple[Location, str] | None:
    """Where the data changed since the freeze: a changed line of voorstel.yaml inside the part's own key, else
    the first changed line of the municipality's file (a value, a local text), else of its registry entry."""
    from pathlib import PurePosixPath

    from generator.sources.layout import OVERLAY_DIR, PROPOSAL_FILE

    dossier = PurePosixPath(files.slug)
    layers = (
        ("voorstel.yaml", files.base, dossier / PROPOSAL_FILE, key[:1]),
        ("gemeente.yaml", files.overlays.get(slug), dossier / OVERLAY_DIR / f"{slug}.yaml", None),
        ("gemeenten.yaml", files.registry, PurePosixPath(REGISTRY_FILE), ("gemeenten", slug)),
    )
    for name, loaded, rel, within in layers:
        old = archive.snapshot(name)
        if loaded is None or old is None:
            continue
        try:
            new = files.tree.read_bytes(rel).decode("utf-8")
        except (GeneratorError, OSError, UnicodeDecodeError):
            continue
        for line in _changed_lines(old, new):
            path = _owner(loaded.source, line)
            if path is None or (within is not None and tuple(path[: len(within)]) != tuple(within)):
                continue
            if within is None and path and path[0] in _BOOKKEEPING:
                continue
            return Location(loaded.name, line), ".".join(str(p) for p in path)
    return None


def _changed_lines(old: str, new: str) -> list[int]:
    """The 1-based lines of ``new`` that differ from ``old`` (for a deletion: the line where it was)."""
    import difflib

    matcher = difflib.SequenceMatcher(None, old.splitlines(), new.splitlines(), autojunk=False)
    found: list[int] = []
    for tag, _, _, first, last in matcher.get_opcodes():
        if tag != "equal":
            found.extend(range(first + 1, max(last, first + 1) + 1))
    return found


def _owner(source: Any, line: int) -> tuple[str | int, ...] | None:
    """The deepest key path whose key (or value) starts at or above ``line``: the value that line belongs to."""
    best: tuple[int, int, tuple[str | int, ...]] | None = None
    for path, key, value in source.items():
        start = (key or value).line
        if start <= line and (best is None or (start, len(path)) > best[:2]):
            best = (start, len(path), tuple(path))
    return best[2] if best is not None else None


def _besluit_origins(prov: Any, slug: str, loaded: LoadedDossier) -> tuple[tuple[str | int, ...], ...]:
    """Per beslispunt of the adopted besluit of ``slug``: the data path its words come from (amendments included)."""
    from generator.document.besluit import item_origins
    from generator.model.proposal import Amendement

    data = prov.overlay.data if prov.overlay is not None else {}
    raw = data.get("amendementen") if isinstance(data, dict) else None
    amendments = [Amendement.model_validate(a) for a in raw] if isinstance(raw, list) else []
    base = prov.base.data if isinstance(prov.base.data, dict) else {}
    count = len(base.get("beslispunten") or ())
    return item_origins(count, amendments)


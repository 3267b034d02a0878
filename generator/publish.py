"""A delivery folder for one council: what the council information system (and the Woo index) takes in.

One folder per municipality and dossier, ``<out>/<dossier>-<gemeente>/``, holding the voorstel and besluit as
PDF, the attachments the data names a file for, a DiWoo metadata record per document and an ``index.json``
that lists every file with its title, document type and SHA-256, with the meeting facts (datum_raad,
agendapunt, zaaknummer). File names are stable (no dates, no counters that shift), so a system that imports
the folder twice sees the same names.

Why everything is assembled in memory first: a refusal (a concept, a missing attachment, an attachment path
that leaves the dossier) must leave nothing behind. The folder is written beside its place and renamed into
it, so a reader never sees half a delivery.
"""

from __future__ import annotations

import hashlib
import json
import os
import shutil
import tempfile
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path

from generator.document.kinds import DocumentSet
from generator.errors import GeneratorError, OutputError, display_path, os_message
from generator.writers import WriterOptions, get_writer
from generator.writers.diwoo import identifier, record
from generator.writers.diwoo_xml import to_xml

__all__ = [
    "INDEX",
    "PUBLISHABLE",
    "Delivery",
    "Part",
    "PublishError",
    "assemble",
    "remove_leftovers",
    "swap",
    "withdraw",
    "write",
]

INDEX = "index.json"
#: Statuses whose documents may be published: offered to the council, or adopted by it. Never a concept.
PUBLISHABLE = ("aangeboden", "vastgesteld")
ATTACHMENTS_FOLDER = "bijlagen"


class PublishError(GeneratorError):
    """A delivery refused: a concept, a missing attachment, an attachment outside the dossier (exit code 1)."""


@dataclass(frozen=True, slots=True)
class Part:
    """One file of the delivery, with what ``index.json`` says about it."""

    name: str
    data: bytes
    title: str
    kind: str  # "raadsvoorstel", "raadsbesluit", "bijlage", "metadata"
    document_type: str | None = None  # the DiWoo documentsoort label, for documents
    identifier: str | None = None
    describes: str | None = None  # for a metadata record: the file it describes

    @property
    def sha256(self) -> str:
        return hashlib.sha256(self.data).hexdigest()


@dataclass(frozen=True, slots=True)
class Delivery:
    """A whole delivery folder, in memory."""

    folder: str
    parts: tuple[Part, ...]
    facts: dict[str, object]

    def index(self) -> bytes:
        entries = [
            {
                "bestand": p.name,
                "titel": p.title,
                "soort": p.kind,
                **({"documentsoort": p.document_type} if p.document_type else {}),
                **({"kenmerk": p.identifier} if p.identifier else {}),
                **({"beschrijft": p.describes} if p.describes else {}),
                "sha256": p.sha256,
            }
            for p in self.parts
        ]
        data = {**self.facts, "bestanden": entries}
        return (json.dumps(data, indent=2, ensure_ascii=False) + "\n").encode("utf-8")


def assemble(dossier_dir: Path, found: DocumentSet, options: WriterOptions) -> Delivery:
    """Everything one municipality delivers for one dossier, or a Dutch refusal (nothing is written).

    Attachments come from the data's ``bijlagen``: those that name a ``bestand`` (in ``<dossier>/bijlagen/``)
    go in; a plain title stays a title in the documents.
    """
    voorstel, besluit = found.voorstel, found.besluit
    publication = voorstel.publication
    if publication is None:  # pragma: no cover - document.kinds always sets them
        raise PublishError("de publicatiegegevens ontbreken")
    if found.status not in PUBLISHABLE:
        raise PublishError(
            f"{voorstel.municipality} heeft status '{found.status}': een concept wordt niet gepubliceerd; "
            "zet de status op aangeboden of vastgesteld als het voorstel naar de raad gaat"
        )
    slug = voorstel.municipality_slug
    files = _attachment_files(dossier_dir, [(a.title, a.file) for a in publication.attachments])
    parts: list[Part] = []
    for document in (voorstel, besluit):
        facts = record(document)  # a record that cannot be made (no date) stops the delivery here
        pdf_name = f"{document.name}-{document.dossier}-{slug}.pdf"
        pdf = get_writer("pdf")(document, options)
        if not isinstance(pdf, bytes):  # pragma: no cover - the PDF writer returns bytes by contract
            raise PublishError("de PDF-schrijver gaf geen bytes terug")
        parts.append(Part(pdf_name, pdf, facts.title, document.name, facts.document_type[1], facts.identifiers[0]))
        parts.append(
            Part(
                f"{document.name}-{document.dossier}-{slug}.diwoo.xml",
                to_xml(facts),
                f"DiWoo-metadata: {facts.title}",
                "metadata",
                describes=pdf_name,
            )
        )
    for number, title, path in files:
        name = f"bijlage-{number}-{voorstel.dossier}-{slug}{path.suffix.lower()}"
        key = identifier(publication, voorstel.dossier, f"bijlage-{number}")
        parts.append(Part(name, path.read_bytes(), title, "bijlage", identifier=key))
    facts_index: dict[str, object] = {
        "dossier": voorstel.dossier,
        "gemeente": slug,
        "naam": voorstel.municipality,
        "publisher": publication.publisher,
        "status": found.status,
        "onderwerp": voorstel.subject,
        "datum_raad": publication.meeting_date.isoformat() if publication.meeting_date else None,
        "agendapunt": publication.agendapunt,
        "zaaknummer": publication.zaaknummer,
    }
    return Delivery(f"{voorstel.dossier}-{slug}", tuple(parts), facts_index)


def _attachment_files(
    dossier_dir: Path, attachments: Sequence[tuple[str, str | None]]
) -> list[tuple[int, str, Path]]:
    """(number, title, file) of every attachment the data names a file for; each file checked to exist and to
    lie in the dossier's ``bijlagen/`` folder (a link that points elsewhere counts as elsewhere)."""
    folder = dossier_dir / ATTACHMENTS_FOLDER
    root = folder.resolve()
    found: list[tuple[int, str, Path]] = []
    for number, (title, name) in enumerate(attachments, start=1):
        if name is None:
            continue
        target = (folder / name).resolve()
        if Path(name).is_absolute() or not target.is_relative_to(root) or target == root:
            raise PublishError(
                f"bijlage {number} ('{title}'): '{name}' ligt buiten de map {ATTACHMENTS_FOLDER}/ van het dossier; "
                f"zet het bestand in {display_path(folder)} en noem het daar bij zijn naam"
            )
        if not target.is_file():
            raise PublishError(
                f"bijlage {number} ('{title}'): het bestand {display_path(folder / name)} ontbreekt; "
                "zet het in de map of haal 'bestand' weg als de bijlage niet mee gepubliceerd wordt"
            )
        found.append((number, title, target))
    return found


def write(delivery: Delivery, out: Path) -> Path:
    """Write ``delivery`` as ``<out>/<folder>/``, replacing an earlier delivery of the same council and dossier.

    The files go into a staging folder beside the target, which then takes its place in one step (``swap``):
    at every moment the target is the old delivery or the new one, whole. A staging folder that an
    interrupted run left behind (half written, or the old delivery after the swap) is removed first.
    """
    target = out / delivery.folder
    try:
        out.mkdir(parents=True, exist_ok=True)
        remove_leftovers(out, delivery.folder)
        staging = Path(tempfile.mkdtemp(prefix=f".{delivery.folder}{STAGING}", dir=out))
    except OSError as exc:
        raise OutputError(f"kon de publicatiemap {display_path(target)} niet schrijven: {os_message(exc)}") from exc
    try:
        for part in delivery.parts:
            (staging / part.name).write_bytes(part.data)
        (staging / INDEX).write_bytes(delivery.index())
        for path in staging.iterdir():
            os.chmod(path, 0o644)
        os.chmod(staging, 0o755)
        swap(staging, target)
    except OSError as exc:
        raise OutputError(f"kon de publicatiemap {display_path(target)} niet schrijven: {os_message(exc)}") from exc
    finally:
        shutil.rmtree(staging, ignore_errors=True)  # after the swap: the old delivery; after a failure: the new
    return target


#: Marks a staging folder: ``.<folder>.staging-<random>`` (a slug has no dot, so no other delivery matches).
STAGING = ".staging-"
_RENAME_EXCHANGE = 2  # linux/fs.h: swap two paths atomically


def swap(staging: Path, target: Path) -> None:
    """Put the folder ``staging`` at ``target`` in one step; the old ``target`` (if any) ends up at ``staging``.

    Where the system offers it (Linux ``renameat2`` with ``RENAME_EXCHANGE``), an existing target is exchanged
    with the new folder atomically. Elsewhere the old folder is first renamed aside, which leaves a moment
    without a target; a crash in that moment leaves the old delivery whole beside it.
    """
    if not (target.exists() or target.is_symlink()):
        os.rename(staging, target)
        return
    if _exchange(staging, target):
        return
    aside = staging.with_name(staging.name + "-oud")
    os.replace(target, aside)
    os.replace(staging, target)
    os.replace(aside, staging)


def _exchange(first: Path, second: Path) -> bool:
    """Swap two paths with ``renameat2(RENAME_EXCHANGE)``; False when the system or file system cannot."""
    import ctypes
    import errno

    try:
        libc = ctypes.CDLL(None, use_errno=True)
        renameat2 = libc.renameat2
    except (OSError, AttributeError):
        return False
    at_fdcwd = -100
    result = renameat2(at_fdcwd, os.fsencode(first), at_fdcwd, os.fsencode(second), _RENAME_EXCHANGE)
    if result == 0:
        return True
    code = ctypes.get_errno()
    if code in (errno.EINVAL, errno.ENOSYS, errno.EOPNOTSUPP):
        return False
    raise OSError(code, os.strerror(code), str(second))


def remove_leftovers(out: Path, folder: str) -> int:
    """Remove the staging folders an interrupted run left for delivery ``folder``; how many there were."""
    found = [p for p in out.glob(f".{folder}{STAGING}*") if p.is_dir() and not p.is_symlink()]
    for path in found:
        shutil.rmtree(path, ignore_errors=True)
    return len(found)


def withdraw(out: Path, folder: str) -> bool:
    """Take an earlier delivery away (its status went back): moved aside in one rename, then removed.

    Why: a delivery folder that stays after its municipality's status went back would go on claiming the old
    status to whoever imports it. True when there was a delivery to withdraw.
    """
    target = out / folder
    if not target.is_dir() or target.is_symlink():
        return False
    try:
        remove_leftovers(out, folder)
        aside = Path(tempfile.mkdtemp(prefix=f".{folder}{STAGING}", dir=out)) / "ingetrokken"
        os.rename(target, aside)
        shutil.rmtree(aside.parent)
    except OSError as exc:
        raise OutputError(f"kon de publicatiemap {display_path(target)} niet intrekken: {os_message(exc)}") from exc
    return True

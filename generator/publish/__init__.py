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

from generator.core import attachments as files
from generator.core.frozen import frozen_problems
from generator.core.load import LoadedDossier, dossier_folders, loaded_dossier, templates_for
from generator.document.kinds import DocumentSet
from generator.errors import DataError, GeneratorError, OutputError, display_path, os_message
from generator.writers import WriterOptions, diwoo_valid, get_writer
from generator.writers.diwoo import Record, attachment_record, identifier, record
from generator.writers.diwoo_xml import to_xml
from generator.writers.templatefiles import Templates

__all__ = [
    "INDEX", "PUBLISHABLE", "Delivery", "Part", "PublishError", "Published", "assemble", "publish_one",
    "publish_round", "remove_leftovers", "swap", "withdraw", "write",
]

INDEX = "index.json"
#: Statuses whose documents may be published: offered to the council, or adopted by it. Never a concept.
PUBLISHABLE = ("aangeboden", "vastgesteld")


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
    source: files.Checked | None = None  # an attachment: copied from the dossier in blocks, never held whole
    digest: str | None = None  # an attachment's SHA-256, taken when it was checked

    @property
    def sha256(self) -> str:
        return self.digest if self.digest is not None else hashlib.sha256(self.data).hexdigest()


@dataclass(frozen=True, slots=True)
class Delivery:
    """A whole delivery folder, in memory."""

    folder: str
    parts: tuple[Part, ...]
    facts: dict[str, object]
    dossier: Path = Path()  # where the attachments' files are read from

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


def assemble(dossier_dir: Path, found: DocumentSet, options: WriterOptions, records: bool = True) -> Delivery:
    """Everything one municipality delivers for one dossier, or a Dutch refusal (nothing is written).

    Attachments come from the data's ``bijlagen``: those that name a ``bestand`` (in ``<dossier>/bijlagen/``)
    go in; a plain title stays a title in the documents. Every DiWoo record is validated against the XSD
    before it goes in; an invalid one refuses the delivery with the reason. Without ``records`` (a fictional
    region, whose invented CBS codes no record may carry) the folder holds no records, and its index says why.
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
    found_files = _attachment_files(dossier_dir, [(a.title, a.file) for a in publication.attachments])
    parts: list[Part] = []
    for document in (voorstel, besluit):
        facts = record(document)  # a record that cannot be made (no date) stops the delivery here
        pdf_name = f"{document.name}-{document.dossier}-{slug}.pdf"
        pdf = get_writer("pdf")(document, options)
        if not isinstance(pdf, bytes):  # pragma: no cover - the PDF writer returns bytes by contract
            raise PublishError("de PDF-schrijver gaf geen bytes terug")
        parts.append(Part(pdf_name, pdf, facts.title, document.name, facts.document_type[1], facts.identifiers[0]))
        if records:
            parts.append(_record_part(facts, f"{document.name}-{document.dossier}-{slug}.diwoo.xml", pdf_name))
    for checked in found_files:
        number = checked.index + 1
        name = f"bijlage-{number}-{voorstel.dossier}-{slug}{checked.suffix}"
        key = identifier(publication, voorstel.dossier, f"bijlage-{number}")
        try:
            sha = files.digest(dossier_dir, checked)
        except files.AttachmentError as exc:
            raise PublishError(f"bijlage {number} ('{checked.title}'): {exc}") from None
        parts.append(Part(name, b"", checked.title, "bijlage", identifier=key, source=checked, digest=sha))
        if records:
            facts = attachment_record(voorstel, number, checked.title, checked.suffix)
            parts.append(_record_part(facts, f"bijlage-{number}-{voorstel.dossier}-{slug}.diwoo.xml", name))
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
        **({} if records else {"diwoo": "geen: fictieve voorbeeldregio, de CBS-codes bestaan niet"}),
    }
    return Delivery(f"{voorstel.dossier}-{slug}", tuple(parts), facts_index, dossier_dir)


def _record_part(facts: Record, name: str, describes: str) -> Part:
    """A DiWoo record as a part of the delivery, once it validates against the XSD."""
    data = to_xml(facts)
    invalid = diwoo_valid.problems(data)
    if invalid:
        raise PublishError(f"het DiWoo-record {name} is ongeldig volgens het XSD: {'; '.join(invalid[:3])}")
    return Part(name, data, f"DiWoo-metadata: {facts.title}", "metadata", describes=describes)


def _attachment_files(dossier_dir: Path, attachments: Sequence[tuple[str, str | None]]) -> list[files.Checked]:
    """Every attachment the data names a file for, checked by :func:`generator.core.attachments.check`; the first
    problem refuses the delivery (``validate`` reports them all, with file and line)."""
    checked, issues = files.check(dossier_dir, attachments)
    if issues:
        issue = issues[0]
        title = attachments[issue.index][0]
        advice = (
            "; zet het in de map of haal 'bestand' weg als de bijlage niet mee gepubliceerd wordt"
            if issue.missing
            else ""
        )
        raise PublishError(f"bijlage {issue.index + 1} ('{title}'): {issue.message}{advice}")
    return checked


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
            if part.source is not None and part.digest is not None:
                files.copy(delivery.dossier, part.source, staging / part.name, part.digest)
            else:
                (staging / part.name).write_bytes(part.data)
        (staging / INDEX).write_bytes(delivery.index())
        for path in staging.iterdir():
            os.chmod(path, 0o644)
        os.chmod(staging, 0o755)
        swap(staging, target)
    except files.AttachmentError as exc:
        raise PublishError(str(exc)) from None
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


def publish_one(dossier: Path, gemeente: str, out: Path, templates: Templates | None = None) -> Path:
    """Write one council's delivery folder for a dossier (see :mod:`generator.publish`); returns the folder.

    Nothing is written unless the data is valid, the status allows publication, every attachment file is
    there and inside the dossier, and every document has its metadata.
    """
    options = WriterOptions(templates or templates_for(dossier))
    loaded = loaded_dossier(dossier, [gemeente], templates=options.templates)
    records = loaded.register is None or not loaded.register.fictief
    found = loaded.sets[gemeente]
    folder = f"{found.voorstel.dossier}-{gemeente}"
    withdrawn = found.status not in PUBLISHABLE and withdraw(out, folder)
    try:
        refuse_changed_frozen(dossier, loaded, gemeente)
        assembled = assemble(dossier, found, options, records=records)
    except PublishError as exc:
        if withdrawn:  # the folder claimed a status the municipality no longer has
            raise PublishError(f"{exc}; de eerdere levering in {display_path(out)} is ingetrokken") from exc
        raise
    return write(assembled, out)


@dataclass(frozen=True)
class Published:
    """What ``batch --publiceer`` did for one municipality of one dossier: a folder, a skip or a refusal."""

    dossier: str
    gemeente: str
    folder: Path | None = None
    skipped: str | None = None  # why nothing was published (a concept)
    error: str | None = None  # the Dutch message of a refusal or a data problem


def publish_round(proposals: Path, out: Path, templates: Templates | None = None) -> list[Published]:
    """Every publishable municipality of every dossier below ``proposals``, each into its own delivery folder.

    A concept is skipped (it is not an error to be unfinished); a refusal or a dossier with data errors is
    reported per municipality and does not stop the others.
    """
    options = WriterOptions(templates or templates_for(proposals))
    done: list[Published] = []
    for folder in dossier_folders(proposals):
        try:
            loaded = loaded_dossier(folder, templates=options.templates)
        except DataError as exc:
            done.append(Published(folder.name, "-", error=f"{len(exc.problems)} fout(en) in de data; zie validate"))
            continue
        for slug, found in loaded.sets.items():
            if found.status not in PUBLISHABLE:
                try:  # a delivery made while it was offered must not go on claiming that status
                    withdrawn = withdraw(out, f"{folder.name}-{slug}")
                except OutputError as exc:
                    done.append(Published(folder.name, slug, error=str(exc)))
                    continue
                note = "; de eerdere levering is ingetrokken" if withdrawn else ""
                done.append(Published(folder.name, slug, skipped=f"status {found.status}{note}"))
                continue
            records = loaded.register is None or not loaded.register.fictief
            try:
                refuse_changed_frozen(folder, loaded, slug)
                written = write(assemble(folder, found, options, records=records), out)
            except (DataError, PublishError, OutputError) as exc:
                done.append(Published(folder.name, slug, error=str(exc)))
                continue
            done.append(Published(folder.name, slug, folder=written))
    return done


def refuse_changed_frozen(dossier: Path, loaded: LoadedDossier, slug: str) -> None:
    """A delivery never carries words that differ from what the council read or adopted (see validate)."""
    changed = frozen_problems(dossier, loaded, only=slug)
    if changed:
        raise PublishError(
            f"de documenten van {loaded.sets[slug].voorstel.municipality} wijken af van wat de raad kreeg of "
            f"vaststelde ({changed[0].location}); zie raadsvoorstel validate"
        )


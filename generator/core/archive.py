"""The archive of frozen documents: what a council read (aangeboden) or adopted (vastgesteld), kept in the dossier.

Why in the dossier and not in the output folder: an offered proposal and an adopted besluit are records, and the
dossier is what a municipality keeps (in git). ``gemeenten/<gemeente>.archief/`` beside the municipality's data
holds, per document, its plain text (the IR's words, ``writers/txt``), a fingerprint per section and per item
(so a later change can be named by section), and the files as they were built (byte for byte), with the status
and date at which the document was frozen; ``register.json`` lists them and the revisions (``herzie``).

Which document is frozen at which status (``wanted``): the raadsvoorstel from the moment it is offered, for good;
the raadsbesluit as the ontwerpbesluit while it is offered, and as the adopted besluit once the council decided
(the step from ontwerp to besluit is the council's, so the archive takes the adopted one in its place).

This module only reads and writes the archive; it never writes a clerk's data file (``generator.editing`` does).
"""

from __future__ import annotations

import hashlib
import json
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path

from generator.core.output import write_atomic
from generator.document.nodes import Block, BulletList, Document, NumberedList
from generator.document.plaintext import block_lines, inline_text
from generator.errors import DataError, Location, Problem, display_path
from generator.sources.layout import OVERLAY_DIR, PROPOSAL_FILE, REGISTRY_FILE

__all__ = [
    "ARCHIVE_SUFFIX",
    "FREEZING",
    "Archive",
    "Frozen",
    "Revision",
    "archive_dir",
    "fingerprint",
    "plain_text",
    "wanted",
]

ARCHIVE_SUFFIX = ".archief"
REGISTER = "register.json"
INPUTS = "invoer"  # the data files as they were at the last freeze
FORMAT = 1
#: Statuses in which the council has (had) the proposal: its documents are frozen.
FREEZING = ("aangeboden", "vastgesteld", "verworpen", "aangehouden", "ingetrokken")


def archive_dir(dossier: Path, slug: str) -> Path:
    """``<dossier>/gemeenten/<slug>.archief``."""
    return dossier / OVERLAY_DIR / f"{slug}{ARCHIVE_SUFFIX}"


def wanted(kind: str, status: str) -> str | None:
    """The status at which the archived ``kind`` must have been frozen, given the current ``status``; None: not
    frozen (a concept, or a besluit whose ontwerp the council never saw)."""
    if status not in FREEZING:
        return None
    if kind == "raadsbesluit" and status == "vastgesteld":
        return "vastgesteld"
    return "aangeboden"


def plain_text(document: Document) -> str:
    """The document's words (the txt writer's view), the text a frozen document must keep."""
    from generator.writers.txt import write

    return write(document)


def _sha(data: bytes | str) -> str:
    return hashlib.sha256(data.encode("utf-8") if isinstance(data, str) else data).hexdigest()


def _units(blocks: tuple[Block, ...]) -> Iterator[str]:
    """The smallest parts of a section a change is named by: each item of a list, each other block."""
    for block in blocks:
        if isinstance(block, NumberedList | BulletList):
            for item in block.items:
                yield "\n".join(line for b in item for line in block_lines(b))
        else:
            yield "\n".join(block_lines(block))


def fingerprint(document: Document) -> dict[str, dict[str, object]]:
    """Per part of the document (title block, each section, signature): its heading and a short hash per unit."""

    def short(text: str) -> str:
        return _sha(text)[:16]

    head = [document.kind, inline_text(document.subject_display)]
    head += [f"{f.label}: {inline_text(f.value)}" for f in document.fields]
    parts: dict[str, dict[str, object]] = {"kop": {"titel": "Kop", "delen": [short(t) for t in head]}}
    for section in document.sections:
        parts[section.key] = {"titel": section.heading, "delen": [short(u) for u in _units(section.blocks)]}
    sig = document.signature
    people = [sig.closing, *(f"{inline_text(s.name)} {s.title}" for s in sig.signatories)]
    parts["ondertekening"] = {"titel": "Ondertekening", "delen": [short(t) for t in people]}
    return parts


@dataclass(frozen=True)
class Change:
    """Where a frozen document's text would change: a part (section key), its heading, the unit (item) index."""

    part: str
    heading: str
    unit: int | None


@dataclass
class Frozen:
    """One archived document: frozen at ``status`` on ``date``, its text hash, its files (format → sha256)."""

    kind: str
    status: str
    date: str
    text_sha256: str
    parts: dict[str, dict[str, object]]
    files: dict[str, str] = field(default_factory=dict)

    def to_json(self) -> dict[str, object]:
        return {
            "status": self.status,
            "datum": self.date,
            "tekst": f"{self.kind}.txt",
            "tekst_sha256": self.text_sha256,
            "bestanden": {
                fmt: {"naam": f"{self.kind}.{fmt}", "sha256": sha} for fmt, sha in sorted(self.files.items())
            },
            "onderdelen": self.parts,
        }

    @classmethod
    def from_json(cls, kind: str, data: dict[str, object]) -> Frozen:
        files = data.get("bestanden") or {}
        assert isinstance(files, dict)
        parts = data.get("onderdelen") or {}
        assert isinstance(parts, dict)
        return cls(
            kind,
            str(data["status"]),
            str(data["datum"]),
            str(data["tekst_sha256"]),
            parts,
            {str(fmt): str(entry["sha256"]) for fmt, entry in files.items()},
        )

    def changes(self, document: Document) -> list[Change]:
        """The parts of ``document`` whose words differ from the frozen ones (first differing unit of each)."""
        now = fingerprint(document)
        found: list[Change] = []
        for key in dict.fromkeys([*self.parts, *now]):
            old, new = self.parts.get(key), now.get(key)
            if old == new:
                continue
            heading = str((new or old or {}).get("titel", key))
            units_old = list(old.get("delen", [])) if old else []  # type: ignore[call-overload]
            units_new = list(new.get("delen", [])) if new else []  # type: ignore[call-overload]
            index = next((i for i, (a, b) in enumerate(zip(units_old, units_new, strict=False)) if a != b), None)
            if index is None and len(units_old) != len(units_new):
                index = min(len(units_old), len(units_new))
            found.append(Change(key, heading, index))
        return found


@dataclass(frozen=True)
class Revision:
    """A deliberate change of a frozen document (``raadsvoorstel herzie``)."""

    date: str
    reason: str
    kind: str
    old: str  # sha256 of the text before
    new: str  # and after

    def to_json(self) -> dict[str, str]:
        return {"datum": self.date, "reden": self.reason, "document": self.kind, "oud": self.old, "nieuw": self.new}


@dataclass
class Archive:
    """One municipality's archive of frozen documents (``gemeenten/<slug>.archief/``)."""

    folder: Path
    slug: str
    documents: dict[str, Frozen] = field(default_factory=dict)
    revisions: list[Revision] = field(default_factory=list)

    @classmethod
    def open(cls, dossier: Path, slug: str) -> Archive:
        """The archive of ``slug`` in ``dossier`` (empty when there is none yet)."""
        folder = archive_dir(dossier, slug)
        found = cls(folder, slug)
        register = folder / REGISTER
        if not register.is_file():
            return found
        try:
            data = json.loads(register.read_text(encoding="utf-8"))
            for kind, entry in data.get("documenten", {}).items():
                found.documents[kind] = Frozen.from_json(kind, entry)
            found.revisions = [
                Revision(r["datum"], r["reden"], r["document"], r["oud"], r["nieuw"])
                for r in data.get("herzieningen", [])
            ]
        except (OSError, ValueError, KeyError, TypeError, AssertionError, AttributeError) as exc:
            message = f"het archief van bevroren documenten is onleesbaar ({type(exc).__name__}); herstel het uit git"
            raise DataError([Problem(Location(display_path(register)), "", message)]) from exc
        return found

    def frozen(self, kind: str, status: str) -> Frozen | None:
        """The archived ``kind`` when it is frozen at the status ``status`` asks for, else None."""
        entry = self.documents.get(kind)
        want = wanted(kind, status)
        return entry if entry is not None and want is not None and entry.status == want else None

    def needs_record(self, kind: str, status: str) -> bool:
        """True when ``kind`` must be frozen now (its status asks for it and the archive does not hold it yet)."""
        want = wanted(kind, status)
        if want is None or (status == "ingetrokken" and kind not in self.documents):
            return False  # withdrawn before it was offered: nothing the council read
        return self.frozen(kind, status) is None

    def file_bytes(self, kind: str, fmt: str) -> bytes | None:
        """The archived file of ``kind`` in ``fmt``, checked against its hash; None when it is not archived."""
        entry = self.documents.get(kind)
        if entry is None or fmt not in entry.files:
            return None
        path = self.folder / f"{kind}.{fmt}"
        try:
            data = path.read_bytes()
        except OSError:
            data = b""
        if _sha(data) != entry.files[fmt]:
            message = f"het bevroren bestand {path.name} ontbreekt of is veranderd; herstel het uit git"
            raise DataError([Problem(Location(display_path(path)), "", message)])
        return data

    def record(self, document: Document, date: str, files: dict[str, bytes]) -> None:
        """Freeze ``document`` as it is now: its text, fingerprint and ``files`` (format → bytes)."""
        status = wanted(document.name, document.status) or document.status
        text = plain_text(document)
        entry = Frozen(document.name, status, date, _sha(text), fingerprint(document), {})
        self.folder.mkdir(parents=True, exist_ok=True)
        write_atomic(self.folder / f"{document.name}.txt", text)
        entry.files["txt"] = _sha(text)  # the plain text is the txt format too
        for fmt, data in files.items():
            write_atomic(self.folder / f"{document.name}.{fmt}", data)
            entry.files[fmt] = _sha(data)
        self._snapshot()
        for stale in self.folder.glob(f"{document.name}.*"):  # formats of an earlier freeze that no longer hold
            if stale.suffix[1:] not in (*files, "txt"):
                stale.unlink()
        self.documents[document.name] = entry
        self._save()

    def add_files(self, kind: str, files: dict[str, bytes]) -> None:
        """Add formats of an already frozen document whose text is unchanged (built later for the first time)."""
        entry = self.documents[kind]
        for fmt, data in files.items():
            write_atomic(self.folder / f"{kind}.{fmt}", data)
            entry.files[fmt] = _sha(data)
        self._save()

    def revise(self, document: Document, date: str, reason: str, files: dict[str, bytes]) -> Revision:
        """Record a deliberate change of the frozen ``document``: the revision, then the new text and files."""
        entry = self.documents[document.name]
        revision = Revision(date, reason, document.name, entry.text_sha256, _sha(plain_text(document)))
        self.revisions.append(revision)
        self.record(document, entry.date, files)
        return revision

    def _snapshot(self) -> None:
        """Keep the data files as they were at this freeze (``invoer/``), so a later change is found at its line."""
        dossier = self.folder.parent.parent
        for name, source in self.inputs(dossier).items():
            try:
                write_atomic(self.folder / INPUTS / name, source.read_bytes())
            except OSError:
                continue  # a missing file has nothing to compare with later

    def inputs(self, dossier: Path) -> dict[str, Path]:
        """The data files whose words a frozen document carries: snapshot name → file in the dossier now."""
        return {
            "voorstel.yaml": dossier / PROPOSAL_FILE,
            "gemeente.yaml": dossier / OVERLAY_DIR / f"{self.slug}.yaml",
            "gemeenten.yaml": dossier.parent / REGISTRY_FILE,
        }

    def snapshot(self, name: str) -> str | None:
        """The text of data file ``name`` (see ``inputs``) at the last freeze, or None."""
        try:
            return (self.folder / INPUTS / name).read_text(encoding="utf-8")
        except (OSError, UnicodeDecodeError):
            return None

    def _save(self) -> None:
        data = {
            "formaat": FORMAT,
            "gemeente": self.slug,
            "documenten": {kind: self.documents[kind].to_json() for kind in sorted(self.documents)},
            "herzieningen": [r.to_json() for r in self.revisions],
        }
        write_atomic(self.folder / REGISTER, json.dumps(data, ensure_ascii=False, indent=2) + "\n")

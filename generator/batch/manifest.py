"""What a batch built from what: input hashes per output, and the manifest file in the output folder.

Why a manifest: before a council round the griffie rebuilds hundreds of documents, and most have not changed.
For every output the manifest records the sha256 of each input that can change its bytes, and the sha256 and
size of the output itself. A later run skips an output whose inputs hash the same and whose file still has the
recorded hash; anything else (a changed input, a missing or damaged file) is rebuilt.

The inputs of one output (dossier D, municipality G, format F):

- ``proposals/gemeenten.yaml`` (the register), ``proposals/D/voorstel.yaml`` and, if present,
  ``proposals/D/gemeenten/G.yaml``;
- every file below ``templates/`` that F can read: ``html/`` for html and pdf, ``docx/`` for docx, shared
  assets (e.g. a logo folder), and ``gemeenten/G/`` but no other municipality's folder; stylesheets do not
  count for docx, and txt reads no templates at all;
- the municipality's layout profile (``gemeenten/G/profiel.toml``, else ``profiel.toml``), for every format;
- ``generator:F``: the package version, the Python version, the versions of the libraries that shape F, and
  the source of every module a document passes through on its way to F.

Input paths are written as ``proposals/…`` and ``templates/…`` whatever the real folders are called, so moving
the folders does not rebuild anything. The file is JSON with sorted keys and no timestamps: the same outputs
give the same bytes, so ``diff old/manifest.json output/manifest.json`` shows reviewers exactly which documents
changed since the last round and which input made them change.
"""

from __future__ import annotations

import functools
import hashlib
import json
import os
import sys
from collections.abc import Mapping
from dataclasses import dataclass, field
from importlib import metadata
from pathlib import Path
from typing import Any

from generator.core.output import write_atomic
from generator.sources.layout import JOURNAL_FILE, MANIFEST_FILE, OVERLAY_DIR, PROPOSAL_FILE, REGISTRY_FILE
from generator.writers import FORMATS, SHARED_LIBRARIES
from generator.writers.templatefiles import Templates

MANIFEST_NAME = MANIFEST_FILE
#: Documents finished since the manifest was last saved, one JSON line each (see :meth:`Manifest.record`).
JOURNAL_NAME = JOURNAL_FILE
MANIFEST_FORMAT = "raadsvoorstel-manifest/1"
MISSING = "ontbreekt"

GENERATOR_DIR = Path(__file__).resolve().parent.parent

#: Modules a document never passes through (command line, batch bookkeeping, other tools): editing them must
#: not rebuild a whole round. Everything else under generator/ counts, including modules added later.
_NOT_IN_OUTPUT = (
    "__main__.py",
    "cli.py",
    "batch/__init__.py",
    "batch/run.py",
    "batch/plan.py",
    "batch/schedule.py",
    "batch/progress.py",
    "batch/manifest.py",
    "batch/lock.py",
    "batch/lifeline.py",
    "sources/gittree.py",
    "templates/",
    "core/scaffold.py",
    "model/schema.py",
    "diffing/",
    "warm/",
)

@functools.cache
def package_version() -> str:
    """The installed raadsvoorstel's version (looked up once per process; it is asked per format and per save)."""
    try:
        return metadata.version("raadsvoorstel")
    except metadata.PackageNotFoundError:  # running from a source tree that was never installed
        return "0+onbekend"


def sha256_file(path: Path) -> str:
    digest = hashlib.sha256()
    with path.open("rb") as handle:
        for block in iter(lambda: handle.read(1 << 20), b""):
            digest.update(block)
    return digest.hexdigest()


def combined(inputs: Mapping[str, str]) -> str:
    """One hash over the (name, hash) pairs, order-independent."""
    text = "".join(f"{name}\t{value}\n" for name, value in sorted(inputs.items()))
    return hashlib.sha256(text.encode("utf-8")).hexdigest()


def _generator_files(fmt: str) -> list[Path]:
    own = FORMATS[fmt].sources
    others = {f for name, writer in FORMATS.items() if name != fmt for f in writer.sources} - set(own)
    skipped = (*_NOT_IN_OUTPUT, *others)
    chosen = []
    for path in sorted(GENERATOR_DIR.rglob("*")):
        rel = path.relative_to(GENERATOR_DIR).as_posix()
        if not path.is_file() or "__pycache__" in rel or path.suffix in (".pyc", ".pyo"):
            continue
        if any(rel == s or (s.endswith("/") and rel.startswith(s)) for s in skipped):
            continue
        chosen.append(path)
    return chosen


@functools.cache
def _library_version(name: str) -> str:
    """A library's installed version, looked up once per process (the shared libraries are asked per format)."""
    try:
        return metadata.version(name)
    except metadata.PackageNotFoundError:
        return MISSING


class InputHasher:
    """Input hashes for the outputs of one run; every file is read and hashed at most once."""

    def __init__(self, proposals: Path, templates: Templates) -> None:
        self.proposals = proposals
        self.templates = templates
        self._files: dict[Path, str] = {}
        self._generator: dict[str, str] = {}
        self._templates: dict[str, Path] | None = None

    def file(self, path: Path) -> str:
        if path not in self._files:
            self._files[path] = sha256_file(path) if path.is_file() else MISSING
        return self._files[path]

    def generator(self, fmt: str) -> str:
        """The generator's identity for one format: version, Python, libraries and module sources."""
        if fmt not in self._generator:
            parts = [f"raadsvoorstel {package_version()}", f"python {sys.version_info[:3]}"]
            parts += [f"{lib} {_library_version(lib)}" for lib in (*SHARED_LIBRARIES, *FORMATS[fmt].libraries)]
            for path in _generator_files(fmt):
                parts.append(f"{path.relative_to(GENERATOR_DIR).as_posix()} {sha256_file(path)}")
            self._generator[fmt] = hashlib.sha256("\n".join(parts).encode("utf-8")).hexdigest()
        return self._generator[fmt]

    def template_files(self, fmt: str, gemeente: str) -> list[str]:
        """The files below templates/ (relative, POSIX) that format ``fmt`` may read for ``gemeente``."""
        writer = FORMATS[fmt]
        return [rel for rel in self._template_map() if writer.reads(rel, gemeente)]

    def _template_map(self) -> dict[str, Path]:
        """Each template name and the file that wins for it (overrides applied), listed once per run."""
        if self._templates is None:
            self._templates = self.templates.files()
        return self._templates

    def inputs(self, dossier: str, gemeente: str, fmt: str) -> dict[str, str]:
        """Every input of one output, name → sha256."""
        found = {
            f"proposals/{REGISTRY_FILE}": self.file(self.proposals / REGISTRY_FILE),
            f"proposals/{dossier}/{PROPOSAL_FILE}": self.file(self.proposals / dossier / PROPOSAL_FILE),
            f"generator:{fmt}": self.generator(fmt),
        }
        overlay = self.proposals / dossier / OVERLAY_DIR / f"{gemeente}.yaml"
        if overlay.is_file():
            found[f"proposals/{dossier}/{OVERLAY_DIR}/{gemeente}.yaml"] = self.file(overlay)
        for rel in self.template_files(fmt, gemeente):
            found[f"templates/{rel}"] = self.file(self._template_map()[rel])
        # the layout profile shapes every format, txt included (see document.profile)
        for rel in (f"gemeenten/{gemeente}/profiel.toml", "profiel.toml"):
            if rel in self._template_map():
                found[f"templates/{rel}"] = self.file(self._template_map()[rel])
                break
        return found


@dataclass(frozen=True)
class Entry:
    """One output as the manifest records it."""

    dossier: str
    gemeente: str
    format: str
    inputs: dict[str, str]
    sha256: str
    size: int
    input_sha256: str  # combined(inputs), kept so a later run compares one value
    document: str = "raadsvoorstel"  # the file kind: raadsvoorstel or raadsbesluit

    def to_json(self) -> dict[str, Any]:
        return {
            "document": self.document,
            "dossier": self.dossier,
            "gemeente": self.gemeente,
            "format": self.format,
            "input_sha256": self.input_sha256,
            "inputs": dict(sorted(self.inputs.items())),
            "sha256": self.sha256,
            "size": self.size,
        }

    @classmethod
    def from_json(cls, data: Any) -> Entry | None:
        """An entry from the file, or None when it is not one (a damaged or hand-edited manifest)."""
        try:
            inputs = {str(k): str(v) for k, v in data["inputs"].items()}
            return cls(
                str(data["dossier"]),
                str(data["gemeente"]),
                str(data["format"]),
                inputs,
                str(data["sha256"]),
                int(data["size"]),
                str(data["input_sha256"]),
                str(data.get("document", "raadsvoorstel")),
            )
        except (KeyError, TypeError, ValueError, AttributeError, OverflowError):
            return None


@dataclass
class Manifest:
    """Output path (relative to the output folder, POSIX) → :class:`Entry`."""

    outputs: dict[str, Entry] = field(default_factory=dict)
    damaged: bool = False

    @classmethod
    def load(cls, out: Path) -> Manifest:
        """The manifest of ``out``; missing → empty; unreadable → empty and ``damaged`` (everything is checked)."""
        manifest = cls._load_file(out / MANIFEST_NAME)
        manifest._replay(out / JOURNAL_NAME)
        return manifest

    @classmethod
    def _load_file(cls, path: Path) -> Manifest:
        if not path.is_file():
            return cls()
        try:
            data = json.loads(path.read_text(encoding="utf-8"))
            raw = data["outputs"]
            if data.get("format") != MANIFEST_FORMAT or not isinstance(raw, dict):
                return cls(damaged=True)
            entries = {str(k): Entry.from_json(v) for k, v in raw.items()}
        except (OSError, ValueError, KeyError, TypeError, AttributeError, RecursionError, OverflowError):
            # RecursionError: JSON nested thousands deep; OverflowError: a size like 1e400 (infinity)
            return cls(damaged=True)
        good = {k: e for k, e in entries.items() if e is not None}
        return cls(good, damaged=len(good) != len(entries))

    def _replay(self, journal: Path) -> None:
        """Apply what a run that did not finish recorded (a cut-off last line is simply ignored)."""
        try:
            lines = journal.read_text(encoding="utf-8", errors="replace").splitlines()
        except OSError:
            return
        for line in lines:
            try:
                data = json.loads(line)
                entry = Entry.from_json(data["entry"])
                key = str(data["key"])
            except (ValueError, KeyError, TypeError, AttributeError, RecursionError, OverflowError):
                continue
            if entry is not None:
                self.outputs[key] = entry

    def record(self, out: Path, key: str, entry: Entry) -> None:
        """Note a file just written, in memory and in the journal, so a crash right after it loses nothing.

        Why a journal and not a save per document: the manifest of a round is hundreds of entries, and
        rewriting it after each document would cost quadratic time; a line appended is constant.
        """
        self.outputs[key] = entry
        line = json.dumps({"key": key, "entry": entry.to_json()}, sort_keys=True, ensure_ascii=False) + "\n"
        try:
            fd = os.open(out / JOURNAL_NAME, os.O_WRONLY | os.O_CREAT | os.O_APPEND | os.O_NOFOLLOW, 0o644)
            try:
                os.write(fd, line.encode("utf-8"))
            finally:
                os.close(fd)
        except OSError:  # a full disk: the document is rebuilt next time, which is safe
            pass

    def is_current(self, key: str, input_sha256: str, target: Path) -> bool:
        """True when ``target`` was built from these inputs and is still exactly the file that was written."""
        entry = self.outputs.get(key)
        if entry is None or entry.input_sha256 != input_sha256:
            return False
        try:
            if target.stat().st_size != entry.size:
                return False
        except OSError:
            return False
        return sha256_file(target) == entry.sha256

    def prune(self, out: Path) -> None:
        """Forget outputs whose file is gone (a removed dossier, a hand-deleted file)."""
        self.outputs = {k: e for k, e in self.outputs.items() if (out / k).is_file()}

    def text(self) -> str:
        """Deterministic JSON: sorted keys, no timestamps, one trailing newline."""
        data = {
            "format": MANIFEST_FORMAT,
            "generator": package_version(),
            "outputs": {key: self.outputs[key].to_json() for key in sorted(self.outputs)},
        }
        return json.dumps(data, indent=2, sort_keys=True, ensure_ascii=False) + "\n"

    def save(self, out: Path) -> None:
        """Write the manifest atomically; an unchanged manifest is left alone (no needless fsync)."""
        path = out / MANIFEST_NAME
        text = self.text()
        try:
            unchanged = path.read_text(encoding="utf-8") == text
        except (OSError, UnicodeDecodeError):
            unchanged = False
        if not unchanged:
            write_atomic(path, text)
        (out / JOURNAL_NAME).unlink(missing_ok=True)  # everything in it is in the manifest now

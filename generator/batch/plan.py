"""Which outputs of a round are out of date: the plan of a batch, made without validating anything.

Only the ``gemeenten`` list of each ``voorstel.yaml`` is read here (with the same safe loader as everywhere),
so a run where nothing changed costs a few file hashes per document, not a validation.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path, PurePosixPath

from generator.batch.manifest import InputHasher, Manifest, combined
from generator.core.output import OutputEscape, document_path
from generator.errors import DataError, OutputError
from generator.sources import load_yaml_text
from generator.sources.dossier import FsTree, dossier_folders
from generator.sources.layout import KINDS, PROPOSAL_FILE, REGISTRY_FILE
from generator.writers import DEFAULT_FORMATS, FORMATS, extension

#: Slow formats first, so the last document to finish is a short one (better use of the cores at the end).
_FORMAT_ORDER = {"pdf": 0, "docx": 1, "html": 2, "txt": 3}


@dataclass(frozen=True)
class Job:
    """One output to build."""

    dossier: str
    gemeente: str
    fmt: str
    kind: str  # "raadsvoorstel" or "raadsbesluit"
    target: Path
    key: str  # the target relative to the output folder, POSIX: the manifest key
    inputs: dict[str, str]
    input_sha256: str


@dataclass
class Plan:
    todo: dict[Path, list[Job]]  # dossier folder → outputs to build; [] = validate only (to report problems)
    skipped: int
    refused: list[tuple[Job, str]] = field(default_factory=list)  # outputs that would land outside the folder


def make_plan(
    proposals: Path,
    out: Path,
    formats: tuple[str, ...] | dict[str, tuple[str, ...]],
    hasher: InputHasher,
    manifest: Manifest,
    force: bool,
    on_work: Callable[[], None],
) -> Plan:
    """Which outputs to build; ``on_work`` is called as soon as the first one is found (to start the workers).

    ``formats`` is one tuple for every municipality (``--format``), or per municipality (the registry's
    ``formaten``; see :func:`registry_formats`).
    """
    todo: dict[Path, list[Job]] = {}
    refused: list[tuple[Job, str]] = []
    skipped = 0
    folders = dossier_folders(proposals)
    if folders and (force or not manifest.outputs):
        on_work()  # nothing recorded yet (a cold run) or --force: every output is work, start before reading
    for folder in folders:
        dossier = folder.name
        gemeenten = participants(proposals, dossier)
        jobs: list[Job] = []
        try:
            for gemeente in gemeenten or ():
                for fmt in formats if isinstance(formats, tuple) else formats.get(gemeente, DEFAULT_FORMATS):
                    inputs = hasher.inputs(dossier, gemeente, fmt)
                    digest = combined(inputs)
                    for kind in KINDS:
                        try:
                            target = document_path(out, dossier, gemeente, extension(fmt), kind)
                        except OutputEscape as exc:  # a link in the output folder: a failure, never a silent skip
                            where = out / dossier / gemeente
                            refused.append(
                                (Job(dossier, gemeente, fmt, kind, where, f"{dossier}/{gemeente}", {}, ""), str(exc))
                            )
                            continue
                        key = target.relative_to(out).as_posix()
                        job = Job(dossier, gemeente, fmt, kind, target, key, inputs, digest)
                        if not force and manifest.is_current(job.key, job.input_sha256, target):
                            skipped += 1
                        else:
                            on_work()
                            jobs.append(job)
        except OutputError:  # a folder or municipality name that is no valid slug: validation says which
            gemeenten, jobs = None, []
        if jobs or gemeenten is None:
            todo[folder] = sorted(jobs, key=lambda j: (_FORMAT_ORDER.get(j.fmt, 9), j.gemeente, j.kind))
    return Plan(todo, skipped, refused)


def registry_formats(proposals: Path) -> dict[str, tuple[str, ...]]:
    """Per municipality the formats the registry asks for (``formaten``), read cheaply like the plan's other facts;
    municipalities without that key are left out (they get :data:`DEFAULT_FORMATS`)."""
    tree = FsTree(proposals)
    rel = PurePosixPath(REGISTRY_FILE)
    try:
        data, _ = load_yaml_text(tree.read_bytes(rel), tree.display(rel))
    except (DataError, OSError):
        return {}
    entries = data.get("gemeenten") if isinstance(data, dict) else None
    found: dict[str, tuple[str, ...]] = {}
    for slug, entry in (entries or {}).items() if isinstance(entries, dict) else ():
        wanted = entry.get("formaten") if isinstance(entry, dict) else None
        if isinstance(wanted, list) and wanted and all(isinstance(f, str) and f in FORMATS for f in wanted):
            found[str(slug)] = tuple(dict.fromkeys(wanted))  # anything else: validation reports it
    return found


def participants(proposals: Path, dossier: str) -> list[str] | None:
    """The ``gemeenten`` list of a dossier, or None when voorstel.yaml cannot be read (validation will say why)."""
    tree = FsTree(proposals)
    rel = PurePosixPath(dossier) / PROPOSAL_FILE
    try:
        data, _ = load_yaml_text(tree.read_bytes(rel), tree.display(rel))
    except (DataError, OSError):
        return None
    raw = data.get("gemeenten") if isinstance(data, dict) else None
    if not isinstance(raw, list) or not all(isinstance(g, str) for g in raw):
        return None
    return list(dict.fromkeys(raw))

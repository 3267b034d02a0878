"""The front door: everything the CLI (and users' scripts) call, as a thin façade.

Each function takes paths and plain options and either returns results or raises a ``GeneratorError``; only
``cli.py`` turns those into messages and exit codes. The pipeline itself lives in :mod:`generator.core`
(load, validate, render, write), which every package above it uses directly; this module re-exports it and
dispatches to the packages on top — ``batch``, ``diffing``, ``preview``, ``publish`` — imported on use, so a
``validate`` never imports a process pool, git code or a web server. Nothing in the package imports this module
(``tests/test_architecture.py``).
"""

from __future__ import annotations

import datetime as dt
import importlib
import unicodedata
from collections.abc import Callable, Sequence
from pathlib import Path
from typing import TYPE_CHECKING, Any

from generator.core.load import (
    LoadedDossier,
    documents,
    dossier_folders,
    load,
    loaded_dossier,
    participants,
    profiles_for,
    templates_for,
)
from generator.core.output import write_atomic
from generator.core.render import render
from generator.core.report import Report, StatusRow
from generator.core.schema import SCHEMAS, schema_text
from generator.core.views import METADATA_FORMATS, dump, metadata
from generator.errors import OutputError, RenderError, UsageError
from generator.writers import FORMATS
from generator.writers.templatefiles import Templates

if TYPE_CHECKING:
    from generator.core.readability import Readability, readability
    from generator.core.scaffold import new_dossier
    from generator.core.validate import validate
    from generator.core.write import Built, build, build_report, write_schemas

if TYPE_CHECKING:
    from generator.batch.progress import Reporter
    from generator.batch.schedule import Summary
    from generator.diffing.model import DiffReport
    from generator.document.nodes import Document
    from generator.editing.revise import Revised
    from generator.editing.upgrade import Update
    from generator.importing import Imported
    from generator.preview.server import Closable
    from generator.publish import Published

__all__ = [
    "FORMATS",
    "METADATA_FORMATS",
    "SCHEMAS",
    "Built",
    "LoadedDossier",
    "Readability",
    "Report",
    "StatusRow",
    "bijwerken",
    "build",
    "build_report",
    "compare",
    "documents",
    "dossier_folders",
    "dump",
    "edit",
    "herzie",
    "is_loopback",
    "load",
    "loaded_dossier",
    "metadata",
    "new_dossier",
    "participants",
    "preview",
    "profiles_for",
    "publish",
    "publish_round",
    "readability",
    "render",
    "render_diff",
    "run_batch",
    "schema_text",
    "speed_notes",
    "templates_for",
    "validate",
    "write_schemas",
]


#: Re-exported names whose core module a batch never needs (``validate`` with its checks of frozen documents,
#: ``new``, ``build``, the B1 check): imported on first use, so the CLI of a cold batch imports 8 ms less.
_ON_USE = {
    "Readability": "generator.core.readability",
    "readability": "generator.core.readability",
    "new_dossier": "generator.core.scaffold",
    "validate": "generator.core.validate",
    "Built": "generator.core.write",
    "build": "generator.core.write",
    "build_report": "generator.core.write",
    "write_schemas": "generator.core.write",
}


def __getattr__(name: str) -> Any:
    """A name of :data:`_ON_USE`, imported from its core module the first time it is asked for."""
    home = _ON_USE.get(name)
    if home is None:
        raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
    value = getattr(importlib.import_module(home), name)
    globals()[name] = value
    return value


def publish(dossier: Path, gemeente: str, out: Path, templates: Templates | None = None) -> Path:
    """One council's delivery folder for a dossier (see :mod:`generator.publish`); returns the folder."""
    from generator.publish import publish_one

    return publish_one(dossier, gemeente, out, templates)


def publish_round(proposals: Path, out: Path, templates: Templates | None = None) -> list[Published]:
    """Every publishable municipality of every dossier below ``proposals`` (see :mod:`generator.publish`)."""
    from generator.publish import publish_round as publish_all

    return publish_all(proposals, out, templates)


def run_batch(
    proposals: Path,
    out: Path,
    formats: Sequence[str] | None = None,
    jobs: int | None = None,
    force: bool = False,
    templates: Templates | None = None,
    reporter: Reporter | None = None,
) -> Summary:
    """A whole council round (see :mod:`generator.batch`)."""
    if not proposals.is_dir():
        raise UsageError(f"map {proposals} bestaat niet; geef de map met dossiers op")
    if not dossier_folders(proposals):
        raise UsageError(f"geen dossiers (mappen met voorstel.yaml) gevonden in {proposals}")
    from generator.batch.run import run_batch as run

    return run(proposals, out, formats, jobs, force, templates or templates_for(proposals), reporter)


def compare(
    old: str,
    new: str | None,
    gemeente: str | None = None,
    tegen: str | None = None,
    kind: str = "raadsvoorstel",
    ontwerp: bool = False,
) -> DiffReport:
    """The comparison of ``raadsvoorstel diff`` (see :mod:`generator.diffing.inputs`)."""
    from generator.diffing import inputs

    return inputs.compare(old, new, gemeente, tegen, kind=kind, ontwerp=ontwerp)


def render_diff(
    report: DiffReport,
    fmt: str,
    author: str | None = None,
    date: dt.date | None = None,
    templates: Templates | None = None,
) -> str | bytes:
    """A comparison as text, HTML or a tracked-changes DOCX (see :mod:`generator.diffing`)."""
    from generator import diffing

    return diffing.render(report, fmt, author, date, templates)


def diff_templates(old: str, new: str | None) -> Templates:
    """The templates a redline is rendered with: NEW's project (OLD's with one dossier); for a git revision,
    the project of the working folder."""
    side = Path(new if new is not None else old)
    if side.is_dir():
        return templates_for(side)
    return Templates.for_project(Path.cwd())


def write_diff(
    report: DiffReport,
    fmt: str,
    output: Path | None,
    author: str | None = None,
    date: dt.date | None = None,
    templates: Templates | None = None,
) -> str | bytes:
    """Render a comparison and, with ``output``, write it atomically; trouble here is exit code 2 (diff(1))."""
    from generator.diffing.inputs import DiffError

    if author is not None:
        bad = sorted({f"U+{ord(c):04X}" for c in author if unicodedata.category(c) in ("Cc", "Cf", "Cs", "Co")})
        if bad:
            raise DiffError(f"--auteur bevat tekens die niet in een document horen ({', '.join(bad)})")
        if len(author) > 255:
            raise DiffError(f"--auteur is {len(author)} tekens lang; Word staat hooguit 255 toe")
    try:
        data = render_diff(report, fmt, author, date, templates)
        if output is not None:
            write_atomic(output, data)
    except (RenderError, OutputError) as exc:  # trouble, not a difference
        raise DiffError(str(exc)) from exc
    return data


def preview(
    dossier: Path,
    gemeente: str | None = None,
    host: str = "127.0.0.1",
    port: int = 8765,
    templates: Templates | None = None,
    on_ready: Callable[[str], None] | None = None,
    companion: Callable[[Path, Any], Closable | None] | None = None,
) -> None:
    """Serve the live preview of a dossier until Ctrl-C (see :mod:`generator.preview`).

    ``on_ready`` receives the address once the port is open; the CLI prints it. ``companion`` runs beside the
    page (the CLI passes the warm-build listener). Returns when stopped.
    """
    from generator.preview.server import serve

    serve(dossier, gemeente, host, port, templates or templates_for(dossier), on_ready, companion)


def is_loopback(host: str) -> bool:
    """Whether ``host`` is this machine only (127.0.0.1, ::1, localhost): the preview warns otherwise."""
    import ipaddress

    if host == "localhost":
        return True
    try:
        return ipaddress.ip_address(host).is_loopback
    except ValueError:
        return False


def progress_reporter(interactive: bool) -> Reporter:
    """A progress bar on a terminal, plain lines in logs (see :mod:`generator.batch.progress`)."""
    from generator.batch.progress import make_reporter

    return make_reporter(interactive)


def color_diff(report: DiffReport) -> object:
    """The comparison as rich renderables for a colour terminal."""
    from generator.diffing import text

    return text.render(report, color=True)


def speed_notes() -> tuple[str, ...]:
    """Which levers of the PDF writer's speed layer stay off in this process, and why, in Dutch (empty when
    all are on). Imports WeasyPrint: for ``--verbose`` and ``make bench``, not for every run."""
    from generator.writers.pdf.speed import stepped_aside

    return stepped_aside()


def edit(
    dossier: Path,
    gemeente: str | None = None,
    host: str = "127.0.0.1",
    port: int = 8765,
    templates: Templates | None = None,
    on_ready: Callable[[str], None] | None = None,
    companion: Callable[[Path, Any], Closable | None] | None = None,
) -> None:
    """Serve the editor of a dossier (the preview plus forms, see :mod:`generator.preview.editor`) until Ctrl-C;
    ``companion`` runs beside it as beside the preview (the CLI passes the warm-build listener)."""
    from generator.preview.editor.routes import routes
    from generator.preview.server import serve

    serve(dossier, gemeente, host, port, templates or templates_for(dossier), on_ready, companion, routes)


def herzie(dossier: Path, gemeente: str, reason: str, today: dt.date | None = None) -> Revised:
    """Record a deliberate change of an offered proposal (see :mod:`generator.editing.revise`)."""
    from generator.editing.revise import herzie as revise

    return revise(dossier, gemeente, reason, today)


def bijwerken(dossier: Path, write: bool = False) -> list[Update]:
    """Bring a dossier to the current data format (see :mod:`generator.editing.upgrade`)."""
    from generator.editing.upgrade import bijwerken as upgrade

    return upgrade(dossier, write)


def import_docx(
    path: Path,
    dossier: Path | None = None,
    gemeente: str | None = None,
    choice: str | None = None,
    write: bool = False,
    only_here: bool = False,
) -> Imported:
    """Read a DOCX edited in Word back into its dossier (see :mod:`generator.importing`); returns the outcome."""
    from generator.importing import import_docx as run_import

    return run_import(path, dossier, gemeente, choice, write, only_here)


def import_diff(before: Document, after: Document) -> str:
    """The section-aware diff (as ``diff`` shows it) of a document before and after an import."""
    from generator.diffing import DiffReport, diff_documents
    from generator.diffing import render as render_report

    result = render_report(DiffReport((diff_documents(before, after, "dossier", "Word"),)), "text")
    return result if isinstance(result, str) else result.decode("utf-8")

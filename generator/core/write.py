"""Documents and schemas to files: nothing is written unless all data is valid, every file atomically."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field
from pathlib import Path

from generator.core.frozen import Freezer
from generator.core.load import loaded_dossier, templates_for
from generator.core.output import document_path, write_atomic
from generator.errors import Problem, UsageError
from generator.model.schema import SCHEMAS
from generator.sources.layout import KINDS
from generator.writers import DEFAULT_FORMATS, FORMATS, WriterOptions, extension
from generator.writers.templatefiles import Templates


@dataclass(frozen=True)
class Built:
    """What ``build_report`` wrote, and per municipality the placeholders its documents still show."""

    paths: list[Path]
    placeholders: dict[str, tuple[Problem, ...]]
    reproduced: list[Path] = field(default_factory=list)  # frozen documents copied from the dossier's archive
    withheld: list[Path] = field(default_factory=list)  # frozen, changed, and never archived in this format


def build_report(
    dossier: Path,
    gemeenten: Sequence[str] = (),
    formats: Sequence[str] | None = None,
    out: Path = Path("output"),
    strict: bool = False,
    templates: Templates | None = None,
) -> Built:
    """Write every requested document of one dossier; nothing is written unless all data is valid.

    A writer that fails on a document raises :class:`RenderError` (exit 1: the document, not the program, is
    at fault); anything else a writer raises is a bug and travels on as an internal error (exit 3).
    """
    options = WriterOptions(templates or templates_for(dossier))
    unknown = [f for f in formats or () if f not in FORMATS]
    if unknown:
        raise UsageError(f"onbekend formaat: {', '.join(unknown)}; kies uit {', '.join(FORMATS)}")
    written: list[Path] = []
    reproduced: list[Path] = []
    withheld: list[Path] = []
    loaded = loaded_dossier(dossier, gemeenten, strict=strict, templates=options.templates)
    for slug, found in loaded.sets.items():
        entry = loaded.register.gemeenten.get(slug) if loaded.register is not None else None
        # without --format: what the registry asks for this municipality, else docx and pdf
        chosen = formats or (entry.formaten if entry is not None and entry.formaten else DEFAULT_FORMATS)
        freezer = Freezer(dossier, slug, found)
        for kind in KINDS:
            document = found.get(kind)
            for fmt in dict.fromkeys(chosen):
                target = document_path(out, document.dossier, slug, extension(fmt), kind)
                archived = freezer.archived(kind, fmt)  # a frozen document: its bytes, never a new rendering
                if archived is None and freezer.withheld(kind, fmt, document):
                    withheld.append(target)
                    continue
                write_atomic(target, archived if archived is not None else freezer.fresh(kind, fmt, document, options))
                (reproduced if archived is not None else written).append(target)
            freezer.finish(kind, document)
    return Built(written, loaded.placeholders, reproduced, withheld)


def build(
    dossier: Path,
    gemeenten: Sequence[str] = (),
    formats: Sequence[str] | None = None,
    out: Path = Path("output"),
    strict: bool = False,
    templates: Templates | None = None,
) -> list[Path]:
    """The files ``build_report`` wrote (see there)."""
    return build_report(dossier, gemeenten, formats, out, strict, templates).paths


def write_schemas(out: Path) -> list[Path]:
    """Every JSON Schema into ``out`` (atomically)."""
    from generator.model.schema import schema_text as text

    written = []
    for kind in SCHEMAS:
        target = out / f"{kind}.schema.json"
        write_atomic(target, text(kind))
        written.append(target)
    return written


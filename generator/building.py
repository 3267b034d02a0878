"""Build one dossier's documents: validate everything first, then render and write each file atomically."""

from __future__ import annotations

from collections.abc import Sequence
from pathlib import Path

from generator import api
from generator.errors import RenderError
from generator.output import document_path, write_atomic
from generator.writers import WriterOptions, extension, get_writer


def build_dossier(
    dossier: Path,
    gemeenten: Sequence[str],
    formats: Sequence[str],
    out: Path,
    strict: bool,
    options: WriterOptions,
) -> list[Path]:
    """Every requested document; nothing is written unless all data is valid."""
    documents = api.documents(dossier, gemeenten, strict=strict)
    written: list[Path] = []
    for slug, document in documents.items():
        for fmt in dict.fromkeys(formats):
            target = document_path(out, document.dossier, slug, extension(fmt))
            try:
                data = get_writer(fmt)(document, options)
            except RenderError:
                raise
            except Exception as exc:
                raise RenderError(f"{fmt} van {slug} kon niet worden gemaakt: {exc}") from exc
            write_atomic(target, data)
            written.append(target)
    return written

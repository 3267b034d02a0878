"""raadsvoorstel: council proposals for Dutch municipalities, as DOCX and PDF, from validated data.

Pipeline: YAML ──sources──▶ data + SourceMap ──model──▶ Voorstel ──resolve──▶ Proposal ──document.build──▶
Document ──writers──▶ txt | html | pdf | docx ──output──▶ files (atomic).

Module map, in the order data flows (``tests/test_architecture.py`` keeps imports pointing backwards):
    errors      GeneratorError tree; Problem; Problems, the collector every stage reports to
    slugs       the rule for short names; layout: the names of data files and folders
    dutch       amounts, dates and enumerations, Dutch style (Babel)
    housestyle  the house style both formats share (templates/huisstijl.toml), for the tools that make the
                print CSS block and reference.docx
    sources/    safe YAML loading with file:line:col; a dossier's files from a folder or a git revision
    model/      pydantic models, the 21-section table, the 17 Global Goals, Dutch validation messages
    resolve/    voorstel + overlay + registry → Proposal: merge rules, provenance, values, cross-field rules
    document/   the IR (nodes), variables (Jinja sandbox), markdown (text → IR), build (Proposal → raadsvoorstel),
                besluit (→ raadsbesluit), kinds (both documents of one municipality)
    writers/    txt, html, pdf, docx, each write(Document, WriterOptions); templatefiles: the template search path
    templates/  the default templates (package data), overridden file by file by a project's templates/
    output      paths under --out, atomic writes
    api         the front door: validate, documents, build, dump, schemas, new; dispatches to batch and diffing
    schema      JSON Schemas of the data files; scaffold: `raadsvoorstel new`
    batch/      every dossier × municipality × format in worker processes; incremental via manifest, lock
    diffing/    section-aware comparison of two Documents → text, HTML, DOCX with tracked changes
    cli         click commands; errors → Dutch messages and exit codes
"""

from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from generator.api import Report, documents, validate
    from generator.document.nodes import Document
    from generator.errors import DataError, GeneratorError, Problem

__all__ = ["DataError", "Document", "GeneratorError", "Problem", "Report", "documents", "validate"]

_HOMES = {
    "Report": "generator.api",
    "documents": "generator.api",
    "validate": "generator.api",
    "Document": "generator.document.nodes",
    "DataError": "generator.errors",
    "GeneratorError": "generator.errors",
    "Problem": "generator.errors",
}


def __getattr__(name: str) -> Any:
    """Import the public API on first use: ``import generator.x`` must not pay for pydantic and Jinja
    (a batch run with nothing to do, or a worker process, imports only what it needs)."""
    if name not in _HOMES:
        raise AttributeError(f"module 'generator' has no attribute {name!r}")
    import importlib

    return getattr(importlib.import_module(_HOMES[name]), name)

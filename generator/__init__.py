"""raadsvoorstel: council proposals for Dutch municipalities, as DOCX and PDF, from validated data.

Pipeline: YAML ──sources──▶ data + SourceMap ──model──▶ Voorstel ──resolve──▶ Proposal ──document.build──▶
Document ──writers──▶ txt | html | pdf | docx ──output──▶ files (atomic).

Module map:
    cli         click commands; errors → Dutch messages and exit codes
    api         validate(), documents(), dossier_folders(): what the CLI and tests call
    building    build one dossier's files
    errors      GeneratorError tree; Problem(location, field, message, severity)
    sources/    safe YAML loading with file:line:col for every key and value
    loading     reading a dossier's files from a folder (or another tree, e.g. a git revision)
    model/      pydantic models, the 21-section table, the 17 Global Goals, Dutch validation messages
    resolve     voorstel + overlay + registry → Proposal, with provenance (merge rules live here)
    templating  {{ variables }} in text, in Jinja's immutable sandbox
    textfmt     Markdown → IR blocks
    dutch       amounts, dates and enumerations, Dutch style (Babel)
    housestyle  the house style both formats share (templates/huisstijl.toml), for the tools that make the
                print CSS block and reference.docx
    document/   the IR (nodes) and the builder (build)
    writers/    txt, html, pdf, docx: each write(Document, WriterOptions)
    output      paths under --out, atomic writes
    batch/      every dossier × municipality × format in worker processes; incremental via manifest, lock
    diffing/    section-aware comparison of two Documents → text, HTML, DOCX with tracked changes; git trees
    schema      JSON Schemas of the data files; scaffold: `raadsvoorstel new`
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

"""Writers: one per output format, all with the signature ``write(Document, WriterOptions) -> bytes | str``.

Each format is declared once, here, with what it reads: its module, the generator source files a document
passes through on its way to that format, the template files it ignores, and the libraries whose version can
change its bytes. The batch manifest asks these declarations instead of keeping its own list, so a new writer
brings its inputs with it.

The registry imports writers lazily: ``import weasyprint`` alone costs about a second, and a ``txt`` dump
should not pay for it.
"""

from __future__ import annotations

import fnmatch
import importlib
import sys
from collections.abc import Callable
from dataclasses import dataclass, field

from generator.document.nodes import Document
from generator.writers.templatefiles import Templates

__all__ = [
    "DEFAULT_FORMATS",
    "FORMATS",
    "SHARED_LIBRARIES",
    "WriterOptions",
    "WriterSpec",
    "clear_template_caches",
    "extension",
    "get_writer",
    "spec",
]


@dataclass(frozen=True, slots=True)
class WriterOptions:
    """What a writer may need besides the document. ``templates`` is the only place writers read from."""

    templates: Templates = field(default_factory=Templates)


Writer = Callable[[Document, WriterOptions], bytes | str]


@dataclass(frozen=True, slots=True)
class WriterSpec:
    """What one format is made of; ``tests/test_batch.py`` checks ``sources`` against the real imports."""

    module: str
    extension: str
    #: Files and folders below ``generator/`` that only this format (among the formats) runs through.
    sources: tuple[str, ...]
    #: Libraries (distribution names) whose version can change this format's bytes.
    libraries: tuple[str, ...]
    #: Whether the format reads template files at all.
    reads_templates: bool = True
    #: Template files (``fnmatch`` patterns) this format never reads.
    ignores: tuple[str, ...] = ()
    #: Tool sources (see ``TOOL_SOURCES``) this format reads itself, so they are inputs of its outputs after all.
    reads_tool_sources: tuple[str, ...] = ()

    def reads(self, template: str, gemeente: str) -> bool:
        """Whether template file ``template`` (relative, POSIX) can change this format for ``gemeente``.

        Every municipality's folder ``gemeenten/<slug>/`` belongs to that municipality alone.
        """
        if not self.reads_templates or (template in TOOL_SOURCES and template not in self.reads_tool_sources):
            return False
        parts = template.split("/")
        if parts[0] == "gemeenten" and len(parts) > 2 and parts[1] != gemeente:
            return False
        return not any(fnmatch.fnmatchcase(template, pattern) for pattern in self.ignores)


#: Template files that only tools read (``huisstijl.toml`` is the source of the generated CSS block and of
#: reference.docx, which do count); no writer opens them, so they are no input of any output.
TOOL_SOURCES = frozenset({"huisstijl.toml"})

#: Libraries that shape the text of every format (loading, validation, Markdown, Dutch formatting, variables).
SHARED_LIBRARIES = ("ruamel.yaml", "pydantic", "markdown-it-py", "babel", "jinja2")

FORMATS: dict[str, WriterSpec] = {
    "txt": WriterSpec("generator.writers.txt", "txt", ("writers/txt.py",), (), reads_templates=False),
    "html": WriterSpec(
        "generator.writers.html", "html", ("writers/html.py",), ("markupsafe",), ignores=("docx/*",)
    ),
    "pdf": WriterSpec(
        "generator.writers.pdf",
        "pdf",
        (
            "writers/pdf/",
            "writers/diwoo.py",
            "writers/html.py",
            "writers/fetcher.py",
        ),
        ("markupsafe", "weasyprint", "pydyf", "tinycss2", "tinyhtml5", "cssselect2", "fonttools", "pyphen"),
        ignores=("docx/*",),
    ),
    "odt": WriterSpec(
        "generator.writers.odt",
        "odt",
        ("writers/odt.py",),
        ("lxml", "pillow"),
        ignores=("html/*", "*.css", "docx/*"),
        reads_tool_sources=("huisstijl.toml",),  # the ODT styles come straight from the shared house style
    ),
    "docx": WriterSpec(
        "generator.writers.docx", "docx", ("writers/docx/",), ("python-docx", "lxml"), ignores=("html/*", "*.css")
    ),
}


#: What a municipality gets when neither ``--format`` nor the registry's ``formaten`` says otherwise.
DEFAULT_FORMATS = ("docx", "pdf")


def spec(fmt: str) -> WriterSpec:
    return FORMATS[fmt]


def get_writer(fmt: str) -> Writer:
    """The ``write`` function of format ``fmt`` (imported on first use)."""
    module = importlib.import_module(FORMATS[fmt].module)
    writer: Writer = module.write
    return writer


def extension(fmt: str) -> str:
    return FORMATS[fmt].extension


def clear_template_caches() -> None:
    """Make every writer loaded so far read its template files again (the preview calls this on a save).

    Writers cache compiled templates and parsed stylesheets per process, which is right for a batch; a writer
    that is not imported yet has nothing cached, so it is not imported here (no WeasyPrint for a txt dump).
    """
    for fmt in FORMATS.values():
        clear = getattr(sys.modules.get(fmt.module), "clear_caches", None)
        if clear is not None:
            clear()

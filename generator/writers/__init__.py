"""Writers: one per output format, all with the signature ``write(Document, WriterOptions) -> bytes | str``.

The registry imports writers lazily: ``import weasyprint`` alone costs about a second, and a ``txt`` dump
should not pay for it.
"""

from __future__ import annotations

import importlib
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

from generator.document.nodes import Document

TEMPLATES_DIR = Path(__file__).resolve().parent.parent.parent / "templates"


@dataclass(frozen=True, slots=True)
class WriterOptions:
    """What a writer may need besides the document. ``templates`` is the only folder writers read from."""

    templates: Path = TEMPLATES_DIR


Writer = Callable[[Document, WriterOptions], bytes | str]

# format -> (module, file extension)
FORMATS: dict[str, tuple[str, str]] = {
    "txt": ("generator.writers.txt", "txt"),
    "html": ("generator.writers.html", "html"),
    "pdf": ("generator.writers.pdf", "pdf"),
    "docx": ("generator.writers.docx", "docx"),
}


def get_writer(fmt: str) -> Writer:
    """The ``write`` function of format ``fmt`` (imported on first use)."""
    module_name, _ext = FORMATS[fmt]
    module = importlib.import_module(module_name)
    writer: Writer = module.write
    return writer


def extension(fmt: str) -> str:
    return FORMATS[fmt][1]

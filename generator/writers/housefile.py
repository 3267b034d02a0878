"""The house style a render uses: ``huisstijl.toml`` from the templates search path, read once per file.

Why through the templates: a project's own ``templates/huisstijl.toml`` must change the ODT (its page, fonts,
sizes) and the layout measures of the DOCX as a project's ``templates/`` changes the PDF's stylesheet and the
DOCX's reference document; the package's file is the last root, so without one nothing changes. A file that
cannot be read is a :class:`~generator.errors.TemplateError` with its path and line, not an "interne fout".
"""

from __future__ import annotations

from functools import lru_cache
from pathlib import Path

from generator.writers import housestyle
from generator.writers.templatefiles import PACKAGE_TEMPLATES, Templates

__all__ = ["house_style"]

NAME = "huisstijl.toml"


@lru_cache(maxsize=8)
def _load(path: Path, stamp: tuple[int, int]) -> housestyle.SharedStyle:
    """``housestyle.load`` (a broken file is its ``TemplateError``, a RenderError naming file and line)."""
    return housestyle.load(path)


def house_style(templates: Templates) -> housestyle.SharedStyle:
    """The first ``huisstijl.toml`` on the search path, else the package's; parsed, cached while unchanged."""
    path = templates.find_optional(NAME) or PACKAGE_TEMPLATES / NAME
    status = path.stat()
    return _load(path, (status.st_mtime_ns, status.st_size))

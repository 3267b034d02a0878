"""Reviewers diff drafts: two built documents compared section by section, as text, HTML or Word redline.

``diff_documents(old, new)`` compares the IR of two documents (never YAML, never PDF) and returns a
``DocumentDiff``; the renderers lay that out for a terminal (``text``), a browser (``html``) or Word's Review
pane (``docx_tracked``). ``inputs`` turns the command line's OLD and NEW (folders or ``REV:path``) into
documents; ``gittree`` reads a dossier at a git revision without touching the work tree.

Modules, one job each:

- ``_words``        word tokens that keep whitespace; word-level opcodes
- ``_align``        pairing paragraphs (or rows) of two versions: kept, edited, added, removed
- ``model``         DocumentDiff, PartDiff, UnitDiff: what changed and what it is called
- ``compare``       Document × Document → DocumentDiff
- ``text``, ``html``  renderers for the terminal (rich or plain markers) and the browser
- ``docx_tracked``  NEW's DOCX with native tracked changes (``_runs``: one paragraph's run-level changes)
- ``gittree``       ``REV:path`` as a ``loading.Tree`` read through git itself
- ``inputs``        OLD/NEW arguments → documents, data problems as ``DiffInputError`` (exit code 2)
"""

from __future__ import annotations

import datetime as dt

from generator.diffing._words import Segment
from generator.diffing.compare import diff_documents
from generator.diffing.model import Change, DiffReport, DocumentDiff, PartDiff, UnitDiff
from generator.errors import UsageError
from generator.writers import WriterOptions
from generator.writers.templatefiles import Templates

__all__ = [
    "FORMATS",
    "Change",
    "DiffReport",
    "DocumentDiff",
    "PartDiff",
    "Segment",
    "UnitDiff",
    "diff_documents",
    "render",
]

FORMATS = ("text", "html", "docx")


def render(
    report: DiffReport,
    fmt: str,
    author: str | None = None,
    date: dt.date | None = None,
    templates: Templates | None = None,
) -> str | bytes:
    """The report as plain text, an HTML page or (one municipality only) a DOCX with tracked changes.

    ``author`` and ``date`` are those of the tracked changes in DOCX (defaults: "raadsvoorstel", NEW's date).
    Renderers are imported here, on use: a text diff should not pay for python-docx.
    """
    if fmt == "text":
        from generator.diffing import text

        return text.render_plain(report)
    if fmt == "html":
        from generator.diffing import html

        return html.render(report)
    if fmt == "docx":
        from generator.diffing import docx_tracked

        if len(report.diffs) != 1:
            raise UsageError(
                f"--format docx toont één document; deze vergelijking heeft er {len(report.diffs)}: kies met --gemeente"
            )
        options = docx_tracked.TrackOptions(author or docx_tracked.DEFAULT_AUTHOR, date)
        writer = WriterOptions(templates) if templates is not None else None
        return docx_tracked.render(report.diffs[0], options, writer)
    raise UsageError(f"onbekend formaat '{fmt}'; kies uit {', '.join(FORMATS)}")

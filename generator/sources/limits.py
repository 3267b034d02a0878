"""Limits no real council proposal reaches, so that no data file can take minutes or gigabytes.

Why: one data file of at most 1 MB could hold 40,000 beslispunten and keep ``validate`` busy for two minutes
(2.4 GB), or 160,000 and run out of memory. The limits below are far above anything a proposal needs (the
largest in the region has 9 beslispunten and paragraphs of a few hundred words) and are checked on the plain
YAML data *before* models, variables and Markdown see it, so an absurd file is refused in milliseconds, with
the file and line of the list or text that is too long. The README ("Wat wordt gecontroleerd") lists them.
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from generator.errors import Location, Problems
from generator.sources.dossier import Loaded

#: Items in any one list (beslispunten, argumenten, bijlagen, stakeholders, gemeenten, ...).
MAX_ITEMS = 200
#: Keys in any one mapping (municipalities in the register, variables, values).
MAX_KEYS = 500
#: Levels of nesting in a data file (a proposal needs about 5).
MAX_DEPTH = 12
#: Characters in one text field (a whole section).
MAX_TEXT = 100_000
#: Characters in one paragraph of a text (about six pages of running text).
MAX_PARAGRAPH = 20_000
#: Levels of Markdown block nesting (lists in lists, quotes): 6 lists deep. The parser silently drops what
#: lies beyond 20 levels, so anything deeper than this must be refused, not rendered.
MAX_MARKDOWN_LEVEL = 12


def check_files(files: Iterable[Loaded | None], problems: Problems) -> bool:
    """Report every limit exceeded in these data files; True when all are within the limits."""
    mark = problems.mark()
    for loaded in files:
        if loaded is not None:
            _check(loaded, problems)
    return not problems.failed_since(mark)


def _check(loaded: Loaded, problems: Problems) -> None:
    stack: list[tuple[tuple[Any, ...], Any]] = [((), loaded.data)]
    while stack:  # by hand, not recursive: the nesting itself is what is being checked
        path, value = stack.pop()
        where = loaded.source.nearest(path) if path else Location(loaded.name)
        field = ".".join(str(p) for p in path)
        if len(path) > MAX_DEPTH:
            problems.error(where, field, f"gegevens {len(path)} niveaus diep genest; hooguit {MAX_DEPTH}")
            continue
        if isinstance(value, list):
            if len(value) > MAX_ITEMS:
                problems.error(where, field, f"lijst met {len(value)} onderdelen; hooguit {MAX_ITEMS}")
                continue
            stack.extend(((*path, i), item) for i, item in enumerate(value))
        elif isinstance(value, dict):
            if len(value) > MAX_KEYS:
                problems.error(where, field, f"{len(value)} namen in één onderdeel; hooguit {MAX_KEYS}")
                continue
            stack.extend(((*path, key), item) for key, item in value.items())
        elif isinstance(value, str) and len(value) > MAX_TEXT:
            problems.error(where, field, f"tekst van {len(value)} tekens; hooguit {MAX_TEXT}: maak er een bijlage van")

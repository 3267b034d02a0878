"""Load one untrusted YAML data file into plain data and a SourceMap, or raise DataError with every problem.

Order of checks: size (before reading more than 1 MB), encoding, characters, then parsing. Each stage reports
everything it can find and hands the next stage something it can still work with, so one run shows the clerk
as many problems as possible.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

from ruamel.yaml import YAML
from ruamel.yaml.error import YAMLError

from generator.errors import DataError, Location, Problem, display_path, os_reason
from generator.sources import characters
from generator.sources._build import Builder
from generator.sources._syntax import syntax_problem
from generator.sources._text import MAX_BYTES, check_text, decode, too_large
from generator.sources.sourcemap import SourceMap


def load_yaml(path: Path, display_name: str | None = None) -> tuple[Any, SourceMap]:
    """Load one YAML file safely.

    Returns plain data (dict with str keys in file order, list, str or None) and its SourceMap. Locations use
    ``display_name``, by default the path relative to the working directory when below it.
    Raises DataError carrying every problem found, also when the file cannot be read.
    """
    name = display_name if display_name is not None else display_path(path)
    try:
        with path.open("rb") as stream:
            raw = stream.read(MAX_BYTES + 1)  # never read a huge file whole only to refuse it
    except FileNotFoundError as exc:
        raise DataError([Problem(Location(name), "", "bestand bestaat niet; controleer de naam")]) from exc
    except IsADirectoryError as exc:
        raise DataError([Problem(Location(name), "", "dit is een map, geen bestand")]) from exc
    except OSError as exc:
        message = f"kan het bestand niet lezen ({os_reason(exc)}); controleer of het leesbaar is"
        raise DataError([Problem(Location(name), "", message)]) from exc
    return _load(raw, name)


def load_yaml_text(text_or_bytes: str | bytes, display_name: str) -> tuple[Any, SourceMap]:
    """Same as ``load_yaml`` for content already in memory (e.g. a file at a git revision).

    Text is encoded back to UTF-8 so that both paths run the very same checks; lone surrogates in ``str``
    input (from ``surrogateescape`` decoding) thus become invalid UTF-8 with a line number.
    """
    if isinstance(text_or_bytes, str):
        if len(text_or_bytes) > MAX_BYTES:  # at least one byte per character: too large for sure
            raise DataError([too_large(display_name)])
        raw = text_or_bytes.encode("utf-8", "surrogatepass")
    else:
        raw = bytes(text_or_bytes)
    return _load(raw, display_name)


def _load(raw: bytes, name: str) -> tuple[Any, SourceMap]:
    if len(raw) > MAX_BYTES:
        raise DataError([too_large(name)])
    text, problems = decode(raw, name)
    checked = check_text(text, name)
    problems.extend(checked.problems)
    refused = characters.scan(checked.text, name)
    problems.extend(refused)
    parse_text = characters.blank(checked.text) if refused else checked.text  # reported once, not per scalar

    source_map = SourceMap(name)
    builder = Builder(source_map)
    cause: YAMLError | None = None
    data: Any = None
    try:
        data = builder.build(YAML(typ="safe", pure=True).parse(parse_text))
    except YAMLError as exc:
        cause = exc
        problem = syntax_problem(exc, name, checked.text)
        # A tab already reported on this line (and blanked for the parser) is the likely cause: say it once.
        if problem.location.line not in checked.bad_lines:
            builder.problems.append(problem)
    problems.extend(builder.problems)
    if problems:
        problems.sort(key=lambda p: (p.location.line, p.location.column))
        raise DataError(problems) from cause
    return data, source_map

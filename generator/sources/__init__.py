"""Safe loading of clerk-written YAML: plain data plus a SourceMap (key path → file:line:col).

Modules:
    loader      load_yaml(), load_yaml_text(): size, encoding, character and syntax checks; raise DataError
    sourcemap   SourceMap and ScalarInfo: where each key and value was written
    _text       byte/character checks before parsing (BOM, UTF-8, tabs, control characters)
    _build      parser events → dict/list/str/None, refusing anchors, aliases, tags and duplicate keys
    _syntax     ruamel.yaml syntax errors → Dutch problems
    dossier     a dossier's files from a folder; gittree: from a git revision
    characters, slugs, limits, layout   what input may hold; the names of data files

The names below are loaded on first use (PEP 562): ``layout`` and ``slugs`` are imported by a batch's start-up
and its workers, which must not pay for the YAML parser.
"""

from __future__ import annotations

import importlib
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from generator.sources._text import MAX_BYTES
    from generator.sources.loader import load_yaml, load_yaml_text
    from generator.sources.sourcemap import KeyPath, ScalarInfo, SourceMap

__all__ = ["MAX_BYTES", "KeyPath", "ScalarInfo", "SourceMap", "load_yaml", "load_yaml_text"]

_HOMES = {
    "MAX_BYTES": "generator.sources._text",
    "load_yaml": "generator.sources.loader",
    "load_yaml_text": "generator.sources.loader",
    "KeyPath": "generator.sources.sourcemap",
    "ScalarInfo": "generator.sources.sourcemap",
    "SourceMap": "generator.sources.sourcemap",
}


def __getattr__(name: str) -> Any:
    home = _HOMES.get(name)
    if home is None:
        raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
    return getattr(importlib.import_module(home), name)

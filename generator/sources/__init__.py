"""Safe loading of clerk-written YAML: plain data plus a SourceMap (key path → file:line:col).

Modules:
    loader      load_yaml(), load_yaml_text(): size, encoding, character and syntax checks; raise DataError
    sourcemap   SourceMap and ScalarInfo: where each key and value was written
    _text       byte/character checks before parsing (BOM, UTF-8, tabs, control characters)
    _build      parser events → dict/list/str/None, refusing anchors, aliases, tags and duplicate keys
    _syntax     ruamel.yaml syntax errors → Dutch problems
"""

from generator.sources._text import MAX_BYTES
from generator.sources.loader import load_yaml, load_yaml_text
from generator.sources.sourcemap import KeyPath, ScalarInfo, SourceMap

__all__ = ["MAX_BYTES", "KeyPath", "ScalarInfo", "SourceMap", "load_yaml", "load_yaml_text"]

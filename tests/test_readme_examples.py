"""The README's YAML examples are what a clerk copies first: each one must load, validate against the JSON
Schema the editor uses, and have Markdown text without problems (issue 10).

A block whose first line is ``# fragment`` is only required to be valid YAML. The others are checked against
the overlay schema (the same keys as voorstel.yaml, none required), parsed the way an editor's YAML 1.2
language server reads them: ``54400`` is a number, ``2025-06-03`` a string.
"""

from __future__ import annotations

import datetime as dt
import io
import re
from typing import Any

import jsonschema
import pytest
from ruamel.yaml import YAML

from generator.document.markdown import parse_blocks
from generator.model.schema import schema
from tests.conftest import ROOT

BLOCK_RE = re.compile(r"^```yaml\n(.*?)^```", re.MULTILINE | re.DOTALL)
README = (ROOT / "README.md").read_text(encoding="utf-8")
BLOCKS = [(README[: m.start()].count("\n") + 2, m.group(1)) for m in BLOCK_RE.finditer(README)]
TEXT_KEYS = ("aanleiding", "financieel_advies", "intergemeentelijke_samenwerking", "tekst")


def load(text: str) -> Any:
    yaml = YAML(typ="safe", pure=True)
    return _as_editor_reads(yaml.load(io.StringIO(text)))


def _as_editor_reads(value: Any) -> Any:
    """Dates as the strings YAML 1.2's core schema (and the editor) sees."""
    if isinstance(value, dict):
        return {k: _as_editor_reads(v) for k, v in value.items()}
    if isinstance(value, list):
        return [_as_editor_reads(v) for v in value]
    if isinstance(value, dt.date):
        return value.isoformat()
    return value


def texts(value: Any, key: str = "") -> list[str]:
    if isinstance(value, dict):
        return [t for k, v in value.items() for t in texts(v, str(k))]
    if isinstance(value, list):
        return [t for v in value for t in texts(v, key)]
    return [value] if key in TEXT_KEYS and isinstance(value, str) else []


def test_the_readme_has_yaml_examples() -> None:
    assert len(BLOCKS) >= 5


@pytest.mark.parametrize(("line", "block"), BLOCKS, ids=[f"README.md:{line}" for line, _ in BLOCKS])
def test_readme_yaml_example_is_valid(line: int, block: str) -> None:
    data = load(block)
    if block.startswith("# fragment"):
        return
    validator = jsonschema.Draft202012Validator(schema("overlay"), format_checker=jsonschema.FormatChecker())
    errors = [f"{'.'.join(map(str, e.absolute_path))}: {e.message}" for e in validator.iter_errors(data)]
    assert errors == [], f"README.md:{line}"
    for text in texts(data):
        lines = "\n".join(x for x in text.split("\n") if not re.search(r"\[#[a-z0-9_-]+\]\s*$", x))
        _, problems = parse_blocks(lines)
        # a local text may name labels; footnotes and tables must be complete
        assert problems == [], f"README.md:{line}: {problems}"


def test_readme_names_the_debian_packages_the_makefile_installs() -> None:
    makefile = (ROOT / "Makefile").read_text(encoding="utf-8")
    debs = re.search(r"^DEBS := (.*)$", makefile, flags=re.MULTILINE)
    assert debs is not None
    intro = README[README.index("`make` installeert ook") + len("`make`") :][:600]
    assert sorted(re.findall(r"`([a-z0-9.+-]+)`", intro.split(";")[0])) == sorted(debs.group(1).split())

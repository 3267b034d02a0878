"""WCAG 1.4.3 at validate: a house colour that cannot be read on the page is refused with file:line and ratio."""

from __future__ import annotations

import re
import tomllib
from pathlib import Path

import pytest

from generator.resolve.contrast import MINIMUM, contrast_ratio
from tests.conftest import ROOT, Invoke
from tests.test_cli_validate import line_of

DOSSIER = "impuls-sociale-infrastructuur"


@pytest.mark.parametrize(
    ("foreground", "background", "expected"),
    [
        ("#000000", "#FFFFFF", 21.0),
        ("#FFFFFF", "#FFFFFF", 1.0),
        ("#767676", "#FFFFFF", 4.54),  # the well-known lightest grey that passes on white
        ("#777777", "#FFFFFF", 4.48),
        ("#FFFFFF", "#1F4E79", 8.66),  # order does not matter
    ],
)
def test_contrast_ratio_is_the_wcag_formula(foreground: str, background: str, expected: float) -> None:
    assert contrast_ratio(foreground, background) == pytest.approx(expected, abs=0.005)


@pytest.mark.parametrize(("colour", "ratio"), [("#FFD54F", "1,41"), ("#777777", "4,47")])
def test_a_light_house_colour_is_refused_with_its_line_and_ratio(
    proposals: Path, cli: Invoke, colour: str, ratio: str
) -> None:
    registry = proposals / "gemeenten.yaml"
    text = registry.read_text(encoding="utf-8")
    assert 'kleur: "#C8102E"' in text
    registry.write_text(text.replace('kleur: "#C8102E"', f'kleur: "{colour}"', 1), encoding="utf-8")
    line = line_of(registry, colour)
    result = cli("validate", proposals / DOSSIER)
    assert result.exit_code == 1, result.output
    assert "Traceback" not in result.output
    found = re.findall(rf"gemeenten\.yaml:{line}:\d+: veld '([^']+)': huiskleur {colour} [^\n]*", result.output)
    assert len(found) == 1, result.output  # once, though the municipality is in the dossier once per document
    assert found[0] == "gemeenten.amersfoort.huisstijl.kleur"
    assert f"contrast van {ratio}:1" in result.output and "4,5:1" in result.output
    build = cli("build", proposals / DOSSIER, "--gemeente", "amersfoort", "--out", proposals.parent / "uit")
    assert build.exit_code == 1
    assert not (proposals.parent / "uit").exists() or not any((proposals.parent / "uit").rglob("*.pdf"))


def test_a_colour_at_the_threshold_passes(proposals: Path, cli: Invoke) -> None:
    registry = proposals / "gemeenten.yaml"
    registry.write_text(
        registry.read_text(encoding="utf-8").replace('kleur: "#C8102E"', 'kleur: "#767676"', 1), encoding="utf-8"
    )
    result = cli("validate", proposals / DOSSIER)
    assert result.exit_code == 0, result.output
    assert "huiskleur" not in result.output


def test_the_house_style_text_colours_pass() -> None:
    """The package's own colours for text (default house colour, text, muted labels, the CONCEPT mark)."""
    colours = tomllib.loads((ROOT / "generator" / "templates" / "huisstijl.toml").read_text(encoding="utf-8"))["colour"]
    for name in ("house", "text", "muted", "concept"):
        assert contrast_ratio(colours[name], "#FFFFFF") >= MINIMUM, name

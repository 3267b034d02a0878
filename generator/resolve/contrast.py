"""Can the house colour be read? WCAG 2.1 success criterion 1.4.3 (contrast, minimum), checked at validate.

Why a check and not a warning: a municipality's colour is on every heading, link, section number and ticked
Global Goal of every document it publishes. A colour of 1.3:1 against the page makes all of them nearly
invisible, and no checker of the finished PDF measures it (outloud leaves colour to "a person").

Which threshold: WCAG allows 3:1 for large text (18 pt, or 14 pt bold) only. The writers use the house colour
for normal-size text as well: links in running text (10.5 pt), section headings (12 pt bold), argument numbers
(10.5 pt bold), the Global Goals box; so 4.5:1 applies to every use. The background is always the white
page: the stylesheet gives a link in a table's grey header row the text colour, not the house colour
(``raadsvoorstel.css``), and the DOCX and ODT put no shading under house-coloured text.
"""

from __future__ import annotations

from generator.errors import Problem, Problems
from generator.model.messages import Path, dotted
from generator.model.proposal import Gemeente
from generator.resolve.provenance import Provenance
from generator.sources.dossier import DossierFiles

__all__ = ["MINIMUM", "check_contrast", "contrast_ratio"]

#: WCAG 1.4.3 for normal-size text.
MINIMUM = 4.5

#: The backgrounds the writers put house-coloured text on, by name (for the message).
BACKGROUNDS = {"de witte pagina": "#FFFFFF"}


def _luminance(colour: str) -> float:
    """Relative luminance of ``#RRGGBB`` (WCAG 2.1 definition, sRGB)."""
    channels = []
    for start in (1, 3, 5):
        value = int(colour[start : start + 2], 16) / 255
        channels.append(value / 12.92 if value <= 0.04045 else ((value + 0.055) / 1.055) ** 2.4)
    red, green, blue = channels
    return 0.2126 * red + 0.7152 * green + 0.0722 * blue


def contrast_ratio(foreground: str, background: str) -> float:
    """WCAG contrast ratio of two ``#RRGGBB`` colours, from 1.0 (equal) to 21.0 (black on white)."""
    lighter, darker = sorted((_luminance(foreground), _luminance(background)), reverse=True)
    return (lighter + 0.05) / (darker + 0.05)


def _dutch(ratio: float) -> str:
    """Two decimals, rounded down (a refused 4.499 must not read "4,50:1"), with a decimal comma."""
    return f"{int(ratio * 100) / 100:.2f}".replace(".", ",")


def check_contrast(files: DossierFiles, slug: str, gemeente: Gemeente, problems: Problems) -> None:
    """Refuse a house colour that does not reach 4.5:1 against a background it is used on."""
    assert files.registry is not None
    colour = gemeente.huisstijl.kleur
    for name, background in BACKGROUNDS.items():
        ratio = contrast_ratio(colour, background)
        if ratio < MINIMUM:
            path: Path = ("gemeenten", slug, "huisstijl", "kleur")
            problems.append(
                Problem(
                    Provenance(files.registry).locate(path),
                    dotted(path),
                    f"huiskleur {colour} van {gemeente.naam} heeft op {name} een contrast van "
                    f"{_dutch(ratio)}:1; voor tekst is minstens 4,5:1 nodig (WCAG 1.4.3). "
                    "Kies een donkerdere tint van de kleur",
                )
            )

"""``python -m tools.tooi_gemeenten``: write ``generator/data/tooi-gemeenten.txt`` from the DiWoo value lists.

Why a file of its own: ``validate`` checks every CBS code against it without parsing the 0.6 MB XSD, and the
file says where it comes from. ``tests/test_diwoo_valid.py`` checks that it equals what this script makes.
"""

from __future__ import annotations

import re
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
LISTS = ROOT / "generator" / "data" / "diwoo-0.9.8" / "diwoo-metadata-lijsten.xsd"
TARGET = ROOT / "generator" / "data" / "tooi-gemeenten.txt"
HEADER = (
    "# CBS-gemeentecodes met hun naam uit de TOOI-waardelijst rwc_gemeenten_compleet (versie 4,\n"
    "# publicatiedatum 2022-12-22), zoals de DiWoo-metadata 0.9.8 die meelevert\n"
    "# (generator/data/diwoo-0.9.8/diwoo-metadata-lijsten.xsd, lijsten gegenereerd op 2025-08-12, van\n"
    "# standaarden.overheid.nl). Alleen een code uit deze lijst geeft een DiWoo-record dat het XSD aanneemt.\n"
    "# De lijst noemt ook opgeheven gemeenten ('voor zover bekend bestaan hebben, bestaan of zullen bestaan').\n"
    "# Opnieuw gemaakt met: python -m tools.tooi_gemeenten\n"
)
_ITEM = re.compile(
    r'value="https://identifier\.overheid\.nl/tooi/id/gemeente/gm(\d{4})">\s*<xs:annotation>\s*'
    r"<xs:documentation>\s*<dita:p[^>]*>gemeente ([^<]*)</dita:p>"
)


def text() -> str:
    """The file's content: the header, then ``GM<code> <naam>`` per municipality, sorted by code."""
    xsd = LISTS.read_text(encoding="utf-8")
    start = xsd.index('<xs:simpleType name="gemeentelijst"')
    block = xsd[start : xsd.index("</xs:simpleType>", start)]
    return HEADER + "".join(f"GM{code} {name}\n" for code, name in sorted(_ITEM.findall(block)))


if __name__ == "__main__":
    TARGET.write_text(text(), encoding="utf-8")

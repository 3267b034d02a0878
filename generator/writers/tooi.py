"""The municipalities of the TOOI list that DiWoo 0.9.8 validates a record's publisher against (CBS code → name).

Why a module of its own beside ``diwoo_valid``: ``validate`` checks every participant's CBS code against this
list (``core.load``), and the batch validates every dossier before its workers render; the XSD validation
next door needs lxml, which neither of them does (importing it cost the batch process 4 ms). The list is
``generator/data/tooi-gemeenten.txt``, made from the XSD by ``tools/tooi_gemeenten.py``.
"""

from __future__ import annotations

import functools
from importlib import resources

__all__ = ["municipalities"]


@functools.cache
def municipalities() -> dict[str, str]:
    """CBS code ("GM0327") → name, of every municipality the TOOI list of DiWoo 0.9.8 holds."""
    text = (resources.files("generator") / "data" / "tooi-gemeenten.txt").read_text(encoding="utf-8")
    found = {}
    for line in text.splitlines():
        if line and not line.startswith("#"):
            code, name = line.split(" ", 1)
            found[code] = name
    return found

"""Overlay merge rules, stated once (the README repeats them for clerks).

* mappings merge deeply: an overlay key replaces or adds just that key;
* lists are replaced whole (an overlay's ``bijlagen`` is the complete list);
* scalars are replaced;
* ``gemeenten`` and ``variabelen`` belong to the dossier and may not be set in an overlay.
"""

from __future__ import annotations

from typing import Any

__all__ = ["DOSSIER_ONLY", "merge"]

DOSSIER_ONLY = ("gemeenten", "variabelen")


def merge(base: Any, overlay: Any) -> Any:
    """Deep-merge ``overlay`` over ``base``: mappings merge, everything else is replaced."""
    if isinstance(base, dict) and isinstance(overlay, dict):
        out = dict(base)
        for key, value in overlay.items():
            out[key] = merge(base[key], value) if key in base else value
        return out
    return overlay

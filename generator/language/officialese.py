"""Officialese (ambtelijke taal): the words and phrases of one list, each with its B1 alternative.

The list is package data (``ambtelijk.toml`` beside this module), so a griffie can read and extend it without
reading code; it is the only list the check uses. A phrase matches as a whole, on word boundaries, whatever its
capitals and however many spaces or line breaks lie between its words.
"""

from __future__ import annotations

import re
import tomllib
from dataclasses import dataclass
from functools import lru_cache
from importlib import resources

WORD_LIST = "ambtelijk.toml"


@dataclass(frozen=True, slots=True)
class Hit:
    """One officialese phrase in a text: as written, where it starts, and what to write instead."""

    found: str
    start: int
    alternative: str


def load_list() -> dict[str, str]:
    """The word list: phrase (lower case) → B1 alternative."""
    data = tomllib.loads(resources.files(__package__).joinpath(WORD_LIST).read_text(encoding="utf-8"))
    return {str(k).lower(): str(v) for k, v in data["woorden"].items()}


@lru_cache(maxsize=1)
def _pattern() -> tuple[re.Pattern[str], dict[str, str]]:
    entries = load_list()
    # longest first, so "teneinde te" wins over "teneinde" and "ten behoeve van" over a shorter phrase
    phrases = sorted(entries, key=len, reverse=True)
    body = "|".join(r"\s+".join(re.escape(part) for part in phrase.split()) for phrase in phrases)
    return re.compile(rf"(?<![\w.])(?:{body})(?![\w])", re.IGNORECASE), entries


def find(text: str) -> list[Hit]:
    """Every officialese phrase in ``text``, in order."""
    pattern, entries = _pattern()
    return [
        Hit(m.group(), m.start(), entries[" ".join(m.group().lower().split())]) for m in pattern.finditer(text)
    ]

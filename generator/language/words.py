"""Words and syllables of Dutch text.

Syllables are counted from pyphen's ``nl_NL`` hyphenation patterns (the LibreOffice/Hunspell dictionary that
ships inside pyphen, read offline): a word has one syllable more than it has hyphenation points. Hyphenation
points are a close, published stand-in for syllable boundaries in Dutch (the patterns follow the Woordenlijst's
afbreekregels); they may miss a boundary at a vowel pair a hyphen would not split ("ideaal" gives 2, not 3), so
counts run slightly low, the same way for every text — which is what a comparison of readability needs.
"""

from __future__ import annotations

import re
from functools import lru_cache

import pyphen

# A word: letters (any script, with diacritics), joined by a hyphen or apostrophe ("zorg-en", "auto's").
# Numbers, amounts and signs are not words for readability: "€ 54.400" adds no syllables a reader spells out.
WORD_RE = re.compile(r"[^\W\d_]+(?:[-'’][^\W\d_]+)*")


@lru_cache(maxsize=1)
def _hyphenator() -> pyphen.Pyphen:
    return pyphen.Pyphen(lang="nl_NL")


def words(text: str) -> list[str]:
    """The words of ``text``, in order."""
    return WORD_RE.findall(text)


@lru_cache(maxsize=65536)
def syllables(word: str) -> int:
    """The number of syllables of ``word`` (at least 1), from its hyphenation points."""
    parts = 0
    for part in word.lower().replace("'", "").replace("’", "").split("-"):  # "auto's": one word, not two
        if part:
            parts += len(_hyphenator().positions(part)) + 1
    return max(parts, 1)

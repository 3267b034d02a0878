"""A readability score for Dutch: the Flesch reading ease as adapted by Douma (Flesch-Douma).

    score = 206.835 − 0.93 × (words per sentence) − 77 × (syllables per word)

W.H. Douma (1960), *De leesbaarheid van landbouwbladen: een onderzoek naar en een toepassing van
leesbaarheidsformules*, Bulletin nr. 17, Afdeling Sociologie en Sociografie, Landbouwhogeschool Wageningen;
Douma kept Flesch's constant and refitted the weights for Dutch, whose words are longer than English ones.
Why this formula: it is the published Dutch formula that needs only words, sentences and syllables (no word
frequency list, no parser, no model), so it runs offline and every number can be checked by hand. Read the
score as Flesch's scale: 0–30 very hard (university), 30–50 hard, 50–60 fairly hard, 60–70 plain
(about taalniveau B1), 70–80 fairly easy, 80+ easy. It measures length only: a short sentence full of jargon
scores well, which is why the check reports officialese and passive separately.
"""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True, slots=True)
class Counts:
    """What the formula reads from a text."""

    sentences: int
    words: int
    syllables: int

    def __add__(self, other: Counts) -> Counts:
        return Counts(self.sentences + other.sentences, self.words + other.words, self.syllables + other.syllables)


def flesch_douma(counts: Counts) -> float | None:
    """The Flesch-Douma score of a text with these counts; None for a text without words."""
    if counts.words == 0 or counts.sentences == 0:
        return None
    return 206.835 - 0.93 * (counts.words / counts.sentences) - 77 * (counts.syllables / counts.words)

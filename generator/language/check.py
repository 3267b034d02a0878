"""The B1 check of one text: sentences, long sentences and words, passive, officialese and a readability score.

Pure: Markdown text in, a :class:`TextReport` out, every finding at a 1-based line of that text. Mapping the
line to a file and line of the dossier is the caller's (see :mod:`generator.language.proposal`).
"""

from __future__ import annotations

from dataclasses import dataclass

from generator.language import officialese, passive
from generator.language.readability import Counts, flesch_douma
from generator.language.sentences import split
from generator.language.text import pieces
from generator.language.words import syllables, words


@dataclass(frozen=True, slots=True)
class Level:
    """The limits a text is held to (stated in the README, "Leesbaarheid (taalniveau B1)")."""

    name: str
    max_words: int  # a sentence with more words is long
    max_syllables: int  # a word with more syllables is long
    min_score: float  # a section scoring lower (Flesch-Douma) gets a warning


PREFIX = "B1: "

REGULAR = Level("gewone tekst", max_words=20, max_syllables=5, min_score=45)
SUMMARY = Level("samenvatting voor de inwoner (B1)", max_words=15, max_syllables=4, min_score=60)


@dataclass(frozen=True, slots=True)
class Finding:
    """One finding: the line of the text it is on, the sentence, and what to change (Dutch)."""

    line: int
    sentence: str
    message: str  # starts with PREFIX, so a reader (or grep) tells B1 findings from the data's own problems


@dataclass(frozen=True, slots=True)
class TextReport:
    counts: Counts
    long_sentences: int
    findings: tuple[Finding, ...]

    @property
    def score(self) -> float | None:
        return flesch_douma(self.counts)

    @property
    def difficulty(self) -> tuple[int, float]:
        """The check's verdict as an order (lower is easier): fewer findings, and with as many, a higher score."""
        return len(self.findings), -(self.score or 0.0)


def quoted(sentence: str, limit: int = 200) -> str:
    """A sentence for a message: in quotes, one line, cut (with …) when very long."""
    flat = " ".join(sentence.split())
    return f"“{flat if len(flat) <= limit else flat[: limit - 1].rstrip() + '…'}”"


def analyse(source: str, level: Level = REGULAR) -> TextReport:
    """The B1 findings and counts of Markdown text ``source`` held to ``level``."""
    counts = Counts(0, 0, 0)
    long_sentences = 0
    findings: list[Finding] = []
    for piece in pieces(source):
        for sentence in split(piece.text):
            found = words(sentence.text)
            if not found:
                continue
            counts += Counts(1, len(found), sum(syllables(w) for w in found))
            line = piece.line(sentence.start)
            shown = quoted(sentence.text)
            if len(found) > level.max_words:
                long_sentences += 1
                message = f"lange zin: {len(found)} woorden (meer dan {level.max_words}); maak er twee zinnen van"
                findings.append(Finding(line, sentence.text, f"{PREFIX}{message}: {shown}"))
            long_words = list(dict.fromkeys(w for w in found if syllables(w) > level.max_syllables))
            if long_words:
                names = ", ".join(f"'{w}'" for w in long_words)
                message = f"lange woorden (meer dan {level.max_syllables} lettergrepen): {names}"
                findings.append(Finding(line, sentence.text, f"{PREFIX}{message}: {shown}"))
            if (phrase := passive.find(found)) is not None:
                message = f"lijdende vorm ('{phrase}'); schrijf wie het doet"
                findings.append(Finding(line, sentence.text, f"{PREFIX}{message}: {shown}"))
            for hit in officialese.find(sentence.text):
                message = f"ambtelijk woord '{hit.found}'; schrijf liever '{hit.alternative}'"
                at = piece.line(sentence.start + hit.start)
                findings.append(Finding(at, sentence.text, f"{PREFIX}{message}: {shown}"))
    return TextReport(counts, long_sentences, tuple(findings))


MIN_SENTENCES = 3  # a score of one or two sentences says little (one long word swings it): no warning then


def score_message(counts: Counts, level: Level) -> str | None:
    """A warning for a section of at least :data:`MIN_SENTENCES` sentences scoring below ``level``, or None."""
    score = flesch_douma(counts)
    if score is None or counts.sentences < MIN_SENTENCES or score >= level.min_score:
        return None
    return (
        f"{PREFIX}leesbaarheid {score:.0f} (Flesch-Douma) is lager dan {level.min_score:.0f} ({level.name}); "
        "kortere zinnen en kortere woorden helpen"
    )

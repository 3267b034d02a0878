"""Byte- and character-level checks, done before YAML parsing.

Clerks paste text from Word, e-mail and web pages; invisible characters that come along would end up in the
council's documents (or make the YAML parser count lines differently from an editor). Every such character is
reported with its line and column, all at once, and the parser gets a copy with each offending character
replaced by one space so that it can still find the structural problems at the same positions.
"""

from __future__ import annotations

import codecs
import re
from dataclasses import dataclass

from generator.errors import Location, Problem
from generator.sources import characters

MAX_BYTES = 1_000_000
"""Data files larger than this are refused unread: no honest proposal needs more, and parsing stays fast."""

MAX_REPORTS = 20
"""Per kind of character problem, at most this many lines are reported one by one."""

# Everything a data file may not contain. Tab and newline are handled by the raw-text scan (tabs are refused
# there, newlines split lines); decoded scalar values may contain both (e.g. via "\t" in double quotes).
_BAD_IN_TEXT = re.compile("[\t\x00-\x08\x0b-\x1f\x7f-\x9f\u2028\u2029\ud800-\udfff\ufeff\ufffe\uffff]")
_BAD_IN_SCALAR = re.compile("[\x00-\x08\x0b-\x1f\x7f-\x9f\u2028\u2029\ud800-\udfff\ufeff\ufffe\uffff]")


@dataclass(frozen=True, slots=True)
class _Kind:
    label: str  # plural, for "en nog N regels met …"
    advice: str


_TAB = _Kind("tabs", "tab-teken; gebruik spaties in plaats van tabs")
_CR = _Kind(
    "losse regelteruglopen",
    "losse regelterugloop (U+000D) zonder regelovergang; sla het bestand op met gewone regeleinden (LF of CRLF)",
)
_CONTROL = _Kind(
    "stuurtekens",
    "onzichtbaar stuurteken {cp}; verwijder het (het komt vaak mee bij kopiëren uit een ander programma)",
)
_C1 = _Kind(
    "C1-stuurtekens",
    "onzichtbaar C1-stuurteken {cp}, meestal een verkeerd omgezet teken uit Windows-1252; "
    "verwijder het en typ het bedoelde teken opnieuw",
)
_SURROGATE = _Kind(
    "losse surrogaten",
    "losse surrogaat {cp} (een half UTF-16-teken, bijvoorbeeld via '\\ud800'); typ het teken zelf, "
    "of schrijf een teken buiten het basisvlak als '\\U0001F600'",
)
_NONCHAR = _Kind("ongeldige tekens", "{cp} is geen teken; verwijder het")
_BOM = _Kind(
    "byte-order marks",
    "onzichtbaar teken U+FEFF (byte-order mark) midden in de tekst; verwijder het",
)
_LINESEP = _Kind(
    "regelscheidingstekens",
    "onzichtbaar regelscheidingsteken {cp}; vervang het door een gewone regelovergang (Enter)",
)


def _kind(char: str) -> _Kind:
    code = ord(char)
    if char == "\t":
        return _TAB
    if char == "\r":
        return _CR
    if 0x80 <= code <= 0x9F:
        return _C1
    if 0xD800 <= code <= 0xDFFF:
        return _SURROGATE
    if char == "\ufeff":
        return _BOM
    if char in "\u2028\u2029":
        return _LINESEP
    if char in "\ufffe\uffff":
        return _NONCHAR
    return _CONTROL


def _describe(char: str) -> str:
    return _kind(char).advice.format(cp=f"U+{ord(char):04X}")


@dataclass(frozen=True, slots=True)
class CheckedText:
    """Result of the text checks: what to parse, what went wrong, and which lines already have a problem."""

    text: str
    problems: list[Problem]
    bad_lines: frozenset[int]


def too_large(file: str) -> Problem:
    return Problem(
        Location(file),
        "",
        "bestand is groter dan 1 MB (meer dan 1.000.000 bytes); een gegevensbestand hoort veel kleiner te "
        "zijn: haal ingeplakte inhoud (zoals afbeeldingen of tabellen) weg of splits het bestand",
    )


def decode(raw: bytes, file: str) -> tuple[str, list[Problem]]:
    """UTF-8 bytes to text with a leading BOM removed and CRLF line endings turned into LF.

    On invalid UTF-8 the first bad byte is reported and decoding continues with U+FFFD replacements, so the
    remaining checks can still run (a Windows-1252 'é' should not hide a duplicate key further down).
    """
    if raw.startswith((codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)):
        message = "bestand is opgeslagen als UTF-16; sla het op als UTF-8"
        return "", [Problem(Location(file), "", message)]
    raw = raw.removeprefix(codecs.BOM_UTF8)
    problems: list[Problem] = []
    try:
        text = raw.decode("utf-8")
    except UnicodeDecodeError as exc:
        line = raw.count(b"\n", 0, exc.start) + 1
        line_start = raw.rfind(b"\n", 0, exc.start) + 1
        column = len(raw[line_start : exc.start].decode("utf-8", "replace")) + 1
        message = (
            f"bestand is geen geldige UTF-8 (byte 0x{raw[exc.start]:02X} op regel {line} is onleesbaar, "
            "misschien opgeslagen als Windows-1252 of Latin-1); sla het op als UTF-8"
        )
        problems.append(Problem(Location(file, line, column), "", message))
        text = raw.decode("utf-8", "replace")
    return text.replace("\r\n", "\n"), problems


def check_text(text: str, file: str) -> CheckedText:
    """Report forbidden characters per line and kind; return the text with each of them blanked out."""
    problems: list[Problem] = []
    bad_lines: set[int] = set()
    counts: dict[_Kind, int] = {}
    first_unreported: dict[_Kind, Location] = {}
    for number, line in enumerate(text.split("\n"), start=1):
        if not _BAD_IN_TEXT.search(line):
            continue
        bad_lines.add(number)
        seen: set[_Kind] = set()
        for match in _BAD_IN_TEXT.finditer(line):
            kind = _kind(match.group())
            if kind in seen:
                continue
            seen.add(kind)
            counts[kind] = counts.get(kind, 0) + 1
            location = Location(file, number, match.start() + 1)
            if counts[kind] <= MAX_REPORTS:
                problems.append(Problem(location, "", _describe(match.group())))
            else:
                first_unreported.setdefault(kind, location)
    for kind, location in first_unreported.items():
        rest = counts[kind] - MAX_REPORTS
        message = f"en nog {rest} regels met {kind.label} vanaf hier (niet elk apart gemeld); los ze ook op"
        problems.append(Problem(location, "", message))
    cleaned = _BAD_IN_TEXT.sub(" ", text) if problems else text
    return CheckedText(cleaned, problems, frozenset(bad_lines))


def scalar_problem(value: str) -> str | None:
    """What is wrong with a decoded scalar (key or value), if anything.

    Escapes in double-quoted strings ("\\0", "\\ud800", "\\uFFFE", "\\x85") create characters that never
    appear in the file itself, so the raw-text scan cannot see them.
    """
    match = _BAD_IN_SCALAR.search(value)
    if match is None:
        uncovered = characters.UNCOVERED.search(value)
        advice = characters.problem(uncovered.group()) if uncovered is not None else None
        return None if advice is None else "een '\\'-code tussen dubbele aanhalingstekens: " + advice
    return "een '\\'-code tussen dubbele aanhalingstekens geeft hier een ongeldig teken: " + _describe(match.group())

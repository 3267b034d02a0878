"""Characters that reach paper visibly: refused at ``validate`` when no font of the documents has them.

Why: an emoji or a CJK character became an empty box in the PDF (a reference to ``.notdef``, which PDF/A-2
forbids) while the file still claimed PDF/A; a right-to-left override (U+202E) turned a displayed sentence
around, and zero-width characters hide text or split words invisibly. So every character of a data file's
values must be one the document fonts draw: Liberation Sans (the text font) or DejaVu Sans (its fallback in
the stylesheet), both Debian packages the Makefile installs. ``tests/test_characters.py`` checks the table
below against the installed fonts, so a font change that loses a character fails the tests.

The table lists the Unicode blocks a Dutch council text may draw from — Latin (with its extensions), Greek,
Cyrillic, punctuation, currency, letterlike symbols, number forms, arrows, mathematical operators,
technical symbols, boxes and shapes, dingbats — each intersected with what the two fonts cover. Bidi
controls and zero-width characters are left out on purpose and get a message of their own.
"""

from __future__ import annotations

import re
import unicodedata
from bisect import bisect_right

from generator.errors import Location, Problem

#: Inclusive code point ranges drawn by Liberation Sans or DejaVu Sans (generated from their cmaps).
COVERED: tuple[tuple[int, int], ...] = (
    (0x0020, 0x007E), (0x00A0, 0x034E), (0x0350, 0x0377), (0x037A, 0x037F), (0x0384, 0x038A), (0x038C, 0x038C),
    (0x038E, 0x03A1), (0x03A3, 0x0525), (0x1E00, 0x1EFB), (0x1F00, 0x1F15), (0x1F18, 0x1F1D), (0x1F20, 0x1F45),
    (0x1F48, 0x1F4D), (0x1F50, 0x1F57), (0x1F59, 0x1F59), (0x1F5B, 0x1F5B), (0x1F5D, 0x1F5D), (0x1F5F, 0x1F7D),
    (0x1F80, 0x1FB4), (0x1FB6, 0x1FC4), (0x1FC6, 0x1FD3), (0x1FD6, 0x1FDB), (0x1FDD, 0x1FEF), (0x1FF2, 0x1FF4),
    (0x1FF6, 0x1FFE), (0x2000, 0x200A), (0x2010, 0x2029), (0x202F, 0x205F), (0x2070, 0x2071), (0x2074, 0x208E),
    (0x2090, 0x209C), (0x20A0, 0x20B5), (0x20B8, 0x20BA), (0x20BD, 0x20BD), (0x20BF, 0x20BF), (0x2100, 0x2109),
    (0x210B, 0x2149), (0x214B, 0x214B), (0x214D, 0x214E), (0x2150, 0x2185), (0x2189, 0x2189), (0x2190, 0x2311),
    (0x2318, 0x2319), (0x231C, 0x2321), (0x2324, 0x2328), (0x232B, 0x232C), (0x2373, 0x2375), (0x237A, 0x237A),
    (0x237D, 0x237D), (0x2387, 0x2387), (0x2394, 0x2394), (0x239B, 0x23AE), (0x23CE, 0x23CF), (0x23E3, 0x23E3),
    (0x23E5, 0x23E5), (0x23E8, 0x23E8), (0x2460, 0x2469), (0x2500, 0x269C), (0x269E, 0x26B8), (0x26C0, 0x26C3),
    (0x26E2, 0x26E2), (0x2701, 0x2704), (0x2706, 0x2709), (0x270C, 0x2727), (0x2729, 0x274B), (0x274D, 0x274D),
    (0x274F, 0x2752), (0x2756, 0x2756), (0x2758, 0x275E), (0x2761, 0x2794), (0x2798, 0x27AF), (0x27B1, 0x27BE),
    (0xFB00, 0xFB06),
    (0xFFFD, 0xFFFD),  # the replacement character: DejaVu draws it; invalid UTF-8 is reported by the loader
)
_STARTS = [start for start, _ in COVERED]

#: Invisible characters that change how text reads: refused with their own advice.
INVISIBLE = {
    **{chr(c): "een onzichtbaar richtingsteken (bidi)" for c in (0x061C, 0x200E, 0x200F, *range(0x202A, 0x202F))},
    **{chr(c): "een onzichtbaar richtingsteken (bidi)" for c in range(0x2066, 0x206A)},
    **{chr(c): "een onzichtbaar teken zonder breedte" for c in (0x200B, 0x200C, 0x200D, 0x2060, 0x034F)},
    **{chr(c): "een onzichtbaar rekenteken" for c in range(0x2061, 0x2065)},
}
#: Line structure is the YAML parser's business; these are checked elsewhere (tabs, line ends).
_LAYOUT = {"\n", "\t", "\r"}
#: Any character outside the table, found by the regex engine (a data file can hold a million characters).
UNCOVERED = re.compile(
    "[^\n\t\r" + "".join(f"{re.escape(chr(a))}-{re.escape(chr(b))}" for a, b in COVERED) + "]"
)
#: Per kind of message, at most this many lines are reported one by one (as for other character problems).
MAX_REPORTS = 20


def is_covered(char: str) -> bool:
    """Whether a document font draws char."""
    code = ord(char)
    index = bisect_right(_STARTS, code) - 1
    return index >= 0 and COVERED[index][0] <= code <= COVERED[index][1]


def problem(char: str) -> str | None:
    """Dutch advice for a character that would not appear (correctly) on paper, or None."""
    if char in _LAYOUT or is_covered(char):
        return None
    code = f"U+{ord(char):04X}"
    if char in INVISIBLE:
        return f"{INVISIBLE[char]} ({code}) verandert hoe de tekst gelezen wordt zonder dat u het ziet; verwijder het"
    if 0xE000 <= ord(char) <= 0xF8FF or ord(char) >= 0xF0000:
        return f"teken {code} is een teken voor eigen gebruik zonder vaste betekenis; verwijder het"
    shown = f" ('{char}')" if unicodedata.category(char)[0] in "LNPS" else ""
    return (
        f"teken {code}{shown} staat in geen lettertype van het document en zou als leeg vakje verschijnen "
        "(emoji, Chinese of Japanse tekens en dergelijke worden niet ondersteund); vervang het door tekst"
    )


def scan(text: str, file: str) -> list[Problem]:
    """Every line of a data file with a character :func:`problem` refuses, at its line and column.

    Whole-line comments are skipped: they never reach paper. Each kind of problem is reported for at most
    ``MAX_REPORTS`` lines, then once more with the count of the rest.
    """
    if UNCOVERED.search(text) is None:
        return []
    found: list[Problem] = []
    counts: dict[str, int] = {}
    for number, line in enumerate(text.split("\n"), start=1):
        if line.lstrip().startswith("#"):
            continue
        kinds: set[str] = set()
        for match in UNCOVERED.finditer(line):
            message = problem(match.group())
            if message is None:
                continue
            kind = _kind(match.group())
            if kind in kinds:
                continue
            kinds.add(kind)
            counts[kind] = counts.get(kind, 0) + 1
            if counts[kind] <= MAX_REPORTS:
                found.append(Problem(Location(file, number, match.start() + 1), "", message))
            elif counts[kind] == MAX_REPORTS + 1:
                found.append(
                    Problem(
                        Location(file, number, match.start() + 1),
                        "",
                        "en meer van zulke tekens vanaf hier (niet elk apart gemeld); los ze ook op",
                    )
                )
    return found


def _kind(char: str) -> str:
    """One report per kind and line: invisible, private use or not in any font."""
    if char in INVISIBLE:
        return "invisible"
    return "private" if 0xE000 <= ord(char) <= 0xF8FF or ord(char) >= 0xF0000 else "font"


def blank(text: str) -> str:
    """``text`` with each refused character replaced by a space (the parser then finds the rest)."""
    return UNCOVERED.sub(lambda m: " " if problem(m.group()) else m.group(), text)

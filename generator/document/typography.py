"""Dutch typography the reader expects without the clerk typing it: no line break inside "€ 54.400" or
"3 juni 2025".

Why in the builder: the non-breaking space (U+00A0) is a character, so every writer keeps it for free (Word,
WeasyPrint and a browser all refuse to break there) and the txt and the diff show the same words.
"""

from __future__ import annotations

import re

NBSP = "\u00a0"
MONTHS = (
    "januari|februari|maart|april|mei|juni|juli|augustus|september|oktober|november|december"
)
_DIGIT_RE = re.compile(r"\d")
_EURO_RE = re.compile(r"€[ \t]+(?=[-−]?\d)")
_DATE_RE = re.compile(r"\b(\d{1,2})[ \t]+(" + MONTHS + r")\b(?:[ \t]+(\d{4})\b)?", re.IGNORECASE)


def _date(match: re.Match[str]) -> str:
    day, month, year = match.group(1), match.group(2), match.group(3)
    return f"{day}{NBSP}{month}" + (f"{NBSP}{year}" if year else "")


def nbsp(text: str) -> str:
    """``text`` with non-breaking spaces after "€" before an amount and inside day-month-year dates."""
    if "€" not in text and not _DIGIT_RE.search(text):
        return text
    return _DATE_RE.sub(_date, _EURO_RE.sub("€" + NBSP, text))

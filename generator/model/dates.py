"""Why a text is not a date, in words a clerk can act on ("2025-02-30 bestaat niet: februari 2025 heeft 28
dagen"), rather than "expected JJJJ-MM-DD" for a value that is already in that form."""

from __future__ import annotations

import calendar
import datetime as dt
import re

_ISO_RE = re.compile(r"(\d{4})-(\d{2})-(\d{2})")
MONTHS = (
    "januari", "februari", "maart", "april", "mei", "juni",
    "juli", "augustus", "september", "oktober", "november", "december",
)  # fmt: skip
FORM = "verwacht een datum als JJJJ-MM-DD, bijvoorbeeld 2025-03-12"


def why_not(raw: object) -> str:
    """The reason ``raw`` is not a date: a day or month that does not exist, or the wrong form."""
    text = str(raw).strip()
    found = _ISO_RE.fullmatch(text)
    if found is None:
        return FORM
    year, month, day = (int(g) for g in found.groups())
    if not 1 <= month <= 12:
        return f"'{text}' bestaat niet: maand {month} bestaat niet (1 tot en met 12)"
    days = calendar.monthrange(year, month)[1]
    if not 1 <= day <= days:
        return f"'{text}' bestaat niet: {MONTHS[month - 1]} {year} heeft {days} dagen"
    return FORM


def parse(raw: str) -> dt.date:
    """An ISO date; ValueError with ``why_not``'s reason otherwise."""
    try:
        return dt.date.fromisoformat(raw.strip())
    except ValueError:
        raise ValueError(why_not(raw)) from None

"""Dutch formatting of amounts, dates and enumerations (Babel), as a clerk writes them.

"€ 54.400" (no cents when whole), "€ 1.250,50", "12 maart 2025", "Amersfoort, Baarn en Soest". Amounts and
dates hold non-breaking spaces (U+00A0), so "€" and the number, or day, month and year, never end up on two lines.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from decimal import Decimal

from babel.dates import format_date
from babel.lists import format_list
from babel.numbers import format_currency, format_decimal

LOCALE = "nl_NL"
NBSP = "\u00a0"


def amount(value: Decimal) -> str:
    """An amount in euros, Dutch style; whole amounts without ",00" as in council texts."""
    pattern = "¤ #,##0" if value == value.to_integral_value() else "¤ #,##0.00"
    text = format_currency(value, "EUR", format=pattern, locale=LOCALE, currency_digits=False)
    return text.replace(" ", NBSP)


def number(value: Decimal) -> str:
    return format_decimal(value, locale=LOCALE)


def date(value: dt.date) -> str:
    """12 maart 2025."""
    return format_date(value, format="d MMMM y", locale=LOCALE).replace(" ", NBSP)


def enumeration(items: Sequence[str]) -> str:
    """'A, B en C' — the Dutch list without serial comma."""
    if not items:
        return ""
    return format_list(list(items), style="standard", locale=LOCALE)

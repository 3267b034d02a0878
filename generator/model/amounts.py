"""Amounts and numbers as clerks type them: "54400", "54400.50", "212.750,50", "€ 1.250.000", "1.250,-".

Why a parser of its own: a clerk copies an amount from a budget, in Dutch notation, and the data must not
silently turn "1.250" (one thousand two hundred and fifty, or one and a quarter?) into the wrong number. What
has one reading is accepted; what has two is refused with the two ways to write it.
"""

from __future__ import annotations

import re
from decimal import Decimal, InvalidOperation

_DUTCH_RE = re.compile(r"[-−]?\d{1,3}(\.\d{3})*(,\d+|,-{1,2})?|[-−]?\d+(,\d+|,-{1,2})?")
_PLAIN_RE = re.compile(r"[-−]?\d+(\.\d+)?")
_AMBIGUOUS_RE = re.compile(r"[-−]?\d{1,3}\.\d{3}")


def parse(raw: str, soort: str = "bedrag") -> Decimal:
    """The value of ``raw``; ValueError with a Dutch suggestion when it is not a number or has two readings."""
    text = raw.strip().replace("\u00a0", " ")
    euro = False
    if soort == "bedrag":
        stripped = re.sub(r"^(€|EUR)\s*", "", text, flags=re.IGNORECASE)
        euro, text = stripped != text, stripped
    text = text.replace(" ", "") if re.fullmatch(r"[-−]?\d{1,3}( \d{3})+(,\d+)?", text) else text
    if _AMBIGUOUS_RE.fullmatch(text) and not euro:  # "€ 54.400" is Dutch for sure; "1.250" may be either
        whole, decimal = text.replace(".", ""), text.replace(".", ",")
        euro_hint = f" (of € {text})" if soort == "bedrag" else ""
        raise ValueError(
            f"'{raw.strip()}' is dubbelzinnig: bedoelt u {whole} of {decimal}? Schrijf {whole}{euro_hint} "
            f"voor het hele getal, of {decimal} met een komma"
        )
    if _AMBIGUOUS_RE.fullmatch(text):
        return Decimal(text.replace(".", "").replace("−", "-"))
    if _PLAIN_RE.fullmatch(text):
        value = Decimal(text.replace("−", "-"))
    elif _DUTCH_RE.fullmatch(text):
        dutch = re.sub(r",-{1,2}$", "", text).replace(".", "").replace(",", ".").replace("−", "-")
        value = Decimal(dutch)
    else:
        example = "54400, 54.400 of € 212.750,50" if soort == "bedrag" else "54400 of 12,5"
        raise ValueError(f"'{raw.strip()}' is geen {soort}; schrijf bijvoorbeeld {example}")
    try:
        if not value.is_finite():
            raise ValueError(f"'{raw.strip()}' is geen {soort}")
    except InvalidOperation as exc:  # pragma: no cover - Decimal accepted the text above
        raise ValueError(f"'{raw.strip()}' is geen {soort}") from exc
    return value

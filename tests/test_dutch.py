"""Dutch amounts, dates and enumerations as council texts write them."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

from generator.model import dutch


def test_whole_amounts_have_no_cents() -> None:
    assert dutch.amount(Decimal("54400")).replace("\xa0", " ") == "€ 54.400"


def test_amounts_with_cents() -> None:
    assert dutch.amount(Decimal("1250.5")).replace("\xa0", " ") == "€ 1.250,50"


def test_dates() -> None:
    assert dutch.date(dt.date(2025, 3, 12)) == "12\u00a0maart\u00a02025"  # never split over two lines


def test_enumeration_has_no_serial_comma() -> None:
    assert dutch.enumeration(["Amersfoort", "Baarn", "Soest"]) == "Amersfoort, Baarn en Soest"
    assert dutch.enumeration(["Baarn"]) == "Baarn"
    assert dutch.enumeration([]) == ""

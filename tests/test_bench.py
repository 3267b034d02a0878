"""The benchmark's own stand-ins keep up with the code they replace (``make bench`` must not stop halfway)."""

from __future__ import annotations

import inspect

from bench import pdf_repair
from generator.writers import pdf as pdf_writer


def test_the_repair_stand_in_takes_what_the_writer_passes() -> None:
    """``bench.pdf_repair`` swaps ``_claim_standards`` for a no-op to time WeasyPrint's own tagging: it stopped
    ``make bench`` once when the writer began passing the publication facts as a third argument."""
    theirs = inspect.signature(pdf_writer._claim_standards).parameters
    ours = inspect.signature(pdf_repair._no_claim).parameters
    assert list(ours) == list(theirs)

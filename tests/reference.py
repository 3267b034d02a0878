"""The reference proposal (Leusden) as words, with one documented normalisation.

In the reference text the Global Goals checklist appears after section 20: it was a floating box beside
section 18 in the original Word file, and text extraction emitted it late. Our documents place the
checklist in section 18, where it belongs, so the comparison moves the checklist block back under
"18. Global Goals". Nothing else of the reference is changed.
"""

from __future__ import annotations

import re

from tests.conftest import SEED


def reference_text() -> str:
    text = SEED.read_text(encoding="utf-8")
    start = text.index("■ Goal 01")
    end = text.index("21. Bijlagen")
    checklist = text[start:end]
    text = text[:start] + text[end:]
    anchor = text.index("18. Global Goals") + len("18. Global Goals")
    return text[:anchor] + "\n" + checklist + text[anchor:]


def checklist_lines() -> list[str]:
    return re.findall(r"^[■☐] Goal \d\d .*$", SEED.read_text(encoding="utf-8"), flags=re.M)

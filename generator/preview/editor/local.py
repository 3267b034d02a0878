"""Local text without labels to learn: the place the clerk selected in a shared text gets a ``[#label]``.

The clerk puts the cursor in a paragraph, a list item or a table row of a shared text and chooses "alleen voor
<gemeente>: aanvullen / vervangen / weglaten". This module finds that place's line (the last line of a
paragraph; the line itself for a list item or a table row), reuses a label already there or makes one from the
first words, and says which ``lokaal:`` entry goes into the municipality's file (README "Eén alinea lokaal").
"""

from __future__ import annotations

import re
import unicodedata

from generator.document.local import LABEL_RE
from generator.errors import UsageError

__all__ = ["ACTIONS", "entry", "label_at"]

#: The page's words → the key of the ``lokaal:`` entry.
ACTIONS = {"aanvullen": "na", "vervangen": "in_plaats_van", "weglaten": "verwijder"}

_ITEM = re.compile(r"^\s*([-*+]|\d{1,9}[.)])\s+|^\s*\|")


def _slug(text: str) -> str:
    plain = unicodedata.normalize("NFKD", text).encode("ascii", "ignore").decode("ascii").lower()
    words = re.findall(r"[a-z0-9]+", re.sub(r"\{\{.*?\}\}", " ", plain))
    return "-".join(words[:3]) or "alinea"


def label_at(text: str, position: int) -> tuple[str, str]:
    """(the text with a label on the place at ``position``, the label); an existing label is reused."""
    lines = text.split("\n")
    offset, index = 0, len(lines) - 1
    for number, line in enumerate(lines):
        if position <= offset + len(line):
            index = number
            break
        offset += len(line) + 1
    if not lines[index].strip():
        raise UsageError("zet de cursor in de alinea, het lijstpunt of de tabelrij die lokaal anders wordt")
    if not _ITEM.match(lines[index]):  # a paragraph: its last line carries the label
        while index + 1 < len(lines) and lines[index + 1].strip() and not _ITEM.match(lines[index + 1]):
            index += 1
    found = LABEL_RE.search(lines[index])
    if found is not None:
        return text, found.group(1)
    taken = {m.group(1) for line in lines if (m := LABEL_RE.search(line)) is not None}
    start = index
    while start > 0 and lines[start - 1].strip() and not _ITEM.match(lines[index]):
        start -= 1
    base = _slug(" ".join(lines[start : index + 1]).strip("|-*+ "))
    label, number = base, 2
    while label in taken:
        label, number = f"{base}-{number}", number + 1
    lines[index] = f"{lines[index].rstrip()} [#{label}]"
    return "\n".join(lines), label


def entry(action: str, label: str, tekst: str) -> dict[str, str]:
    """The ``lokaal:`` entry for ``action`` (aanvullen, vervangen, weglaten) at ``label``."""
    key = ACTIONS.get(action)
    if key is None:
        raise UsageError(f"kies aanvullen, vervangen of weglaten, niet '{action[:40]}'")
    if key == "verwijder":
        return {key: label}
    if not tekst.strip():
        raise UsageError("schrijf de lokale tekst die bij deze gemeente komt")
    return {key: label, "tekst": tekst.replace("\r\n", "\n")}

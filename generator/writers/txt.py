"""Plain-text writer: the canonical words of a document, in reading order (``raadsvoorstel dump``).

Reviewers diff it and golden tests compare it with the reference, so it is stable and unwrapped: one
paragraph per line, a blank line between blocks, lists marked as a reader sees them.
"""

from __future__ import annotations

from generator.document.nodes import Document
from generator.document.plaintext import NBSP, block_lines, footnote_lines, inline_text
from generator.writers import WriterOptions

__all__ = ["write"]


def write(doc: Document, options: WriterOptions | None = None) -> str:
    parts: list[str] = [doc.kind, f"Onderwerp\n{inline_text(doc.subject_display)}"]
    if doc.fields:
        parts.append("\n".join(f"{f.label}: {inline_text(f.value)}" for f in doc.fields))
    for section in doc.sections:
        parts.append(section.heading)
        parts.extend("\n".join(block_lines(b)) for b in section.blocks)
        if notes := footnote_lines(section.blocks):
            parts.append("\n".join(notes))
    sig = doc.signature
    parts.append(f"{sig.closing}\n{sig.college}")
    people = [(inline_text(s.name), s.title) for s in sig.signatories]
    width = max((len(t) for person in people for t in person), default=0) + 4
    names = "".join(name.ljust(width) for name, _ in people).rstrip()
    titles = "".join(title.ljust(width) for _, title in people).rstrip()
    parts.append(f"{names}\n{titles}")
    return ("\n\n".join(parts) + "\n").replace(NBSP, " ")

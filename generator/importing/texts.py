"""One field's text edited in Word → the new value of that field, changing only what the clerk changed.

Why block by block: a text field is Markdown the clerk wrapped, commented with variables, and numbered
footnotes in; rewriting all of it from Word would change every line. The old text is split into its
top-level blocks (the parser's own line map), each compared with what Word shows; blocks Word left alone keep
their exact source lines (variables and wrapping included), changed or added blocks are written by the one
Markdown writer, and a variable whose value still stands in the edited text is written back as ``{{ … }}``.
"""

from __future__ import annotations

import difflib
import re
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any

from generator.document import markdown, variables
from generator.document.markdown_write import serialize, serialize_inlines, serialize_parts
from generator.document.nodes import Block, Inline, Paragraph, SubHeading, Text

__all__ = ["Rewritten", "key", "rewrite", "with_variables"]

NBSP = "\u00a0"
_DEF_RE = re.compile(r"^ {0,3}\[\^([^\]\s]+)\]:")
_REF_RE = re.compile(r"\[\^([^\]\s]+)\](?!:)")


def key(blocks: Sequence[Block]) -> str:
    """What a reader sees of ``blocks``, as comparable text (no-break spaces and note numbers aside)."""
    return serialize(blocks).replace(NBSP, " ")


def inline_key(inlines: Sequence[Inline]) -> str:
    return serialize_inlines(inlines).replace(NBSP, " ")


@dataclass
class Rewritten:
    """The field's new text, and what the clerk should know about its variables."""

    text: str
    notes: list[str] = field(default_factory=list)
    changed_values: list[tuple[str, str]] = field(default_factory=list)  # (expression, old value)


def with_variables(text: str, used: Sequence[tuple[str, str]], out: Rewritten, before: str = "") -> str:
    """``text`` with each value of ``used`` that still stands in it written back as its ``{{ … }}``, in order.

    A value the old text (``before``) showed that is gone while the words around it stayed means the clerk
    changed the value itself: reported in ``out.changed_values`` (the value belongs in the municipality's file,
    not in the shared text). A value gone with the words around it went with a rewritten sentence: a note.
    """
    at = 0
    for expression, value in used:
        plain = value.replace(NBSP, " ")
        if not plain.strip():
            continue
        for candidate in (plain, _escaped(plain)):
            found = text.find(candidate, at)
            if found >= 0:
                text = text[:found] + expression + text[found + len(candidate) :]
                at = found + len(expression)
                break
        else:
            spot = before.find(plain)
            left, right = before[max(0, spot - 15) : spot], before[spot + len(plain) : spot + len(plain) + 15]
            if spot >= 0 and left.strip() and right.strip() and left in text and right in text:
                out.changed_values.append((expression, plain))
            else:
                out.notes.append(f"variabele {expression} is met de zin eromheen uit de tekst gehaald")
    return text


def _escaped(value: str) -> str:
    return re.sub(r"([\\`*_\[\]<])", r"\\\1", value)


def _spans(source: str, context: Mapping[str, Any]) -> tuple[list[str], list[tuple[int, int]], int] | None:
    """The source's lines, each top-level block's (first, end) line range, and where the note definitions
    start; None when the text does not parse into blocks cleanly (then the whole text is rewritten)."""
    rendered = variables.render_marked(source, context) if not variables.check(source, context) else None
    if rendered is None:
        return None
    blocks, problems, starts = markdown.parse_blocks_at(rendered.text)
    if problems or len(starts) != len(blocks):
        return None
    lines = source.split("\n")
    defs = next((n for n, line in enumerate(lines) if _DEF_RE.match(line) and n + 1 > (starts[-1] if starts else 0)),
                len(lines))  # fmt: skip
    spans: list[tuple[int, int]] = []
    for index, start in enumerate(starts):
        end = starts[index + 1] - 1 if index + 1 < len(starts) else defs
        first = start - 1
        while end > first + 1 and not lines[end - 1].strip():
            end -= 1
        spans.append((first, end))
    return lines, spans, defs


def _definitions(lines: list[str], start: int) -> dict[str, list[str]]:
    """Note definitions by label: the ``[^label]:`` line and the indented lines that continue it."""
    found: dict[str, list[str]] = {}
    label: str | None = None
    for line in lines[start:]:
        match = _DEF_RE.match(line)
        if match:
            label = match.group(1)
            found[label] = [line]
        elif label is not None and (line.startswith(" ") or not line.strip()):
            found[label].append(line)
    return {k: _trim(v) for k, v in found.items()}


def _trim(lines: list[str]) -> list[str]:
    while lines and not lines[-1].strip():
        lines = lines[:-1]
    return lines


def rewrite(
    source: str,
    old: Sequence[Block],
    new: Sequence[Block],
    used: Sequence[tuple[str, str]],
    context: Mapping[str, Any],
) -> Rewritten:
    """The new text of a field whose blocks were ``old`` (rendered from ``source``) and are ``new`` in Word."""
    out = Rewritten("")
    spans = _spans(source, context)
    if spans is None or len(spans[1]) != len(old):
        out.text = _ending(with_variables(_plain_text(new), used, out, key(old)), source)
        return out
    lines, ranges, defs_at = spans
    definitions = _definitions(lines, defs_at)
    next_label = max((int(label) for label in definitions if label.isdigit()), default=0) + 1
    pieces: list[str] = []
    new_defs: list[str] = []
    matcher = difflib.SequenceMatcher(a=[key([b]) for b in old], b=[key([b]) for b in new], autojunk=False)
    kept_refs: set[str] = set()
    for tag, i1, i2, j1, j2 in matcher.get_opcodes():
        if tag == "equal":
            for first, end in ranges[i1:i2]:
                piece = "\n".join(lines[first:end])
                kept_refs.update(_REF_RE.findall(piece))
                pieces.append(piece)
            continue
        olds = [v for b in old[i1:i2] for v in _variables(b)]
        region: list[str] = []
        for block in new[j1:j2]:
            body, notes = serialize_parts([block], first_note=next_label)
            next_label += len(notes)
            region.append(body.replace(NBSP, " "))
            new_defs.extend(n.replace(NBSP, " ") for n in notes)
        # the values of the replaced blocks, written back where they still stand in the blocks replacing them
        joined = with_variables("\n\n".join(region), olds, out, key(old[i1:i2]))
        if region:
            pieces.append(joined)
    kept = [line for label, block in definitions.items() if label in kept_refs for line in block]
    body = "\n\n".join(pieces)
    if kept or new_defs:
        body += "\n\n" + "\n".join([*kept, *new_defs])
    out.text = _ending(body, source)
    return out


def _variables(block: Block) -> tuple[tuple[str, str], ...]:
    return block.source.variables if block.source is not None else ()


def _plain_text(blocks: Sequence[Block]) -> str:
    return serialize(blocks).replace(NBSP, " ")


def _ending(text: str, source: str) -> str:
    """The new text ends as the old one did (a block scalar ``|`` keeps its final newline)."""
    return text + "\n" if source.endswith("\n") else text


def rewrite_line(before: Sequence[Inline], new: Sequence[Inline], used: Sequence[tuple[str, str]]) -> Rewritten:
    """A one-line field (an argument's heading, the subject): its new Markdown, variables written back."""
    out = Rewritten("")
    out.text = with_variables(inline_key(new), used, out, inline_key(before))
    return out


def as_paragraph(blocks: Sequence[Block]) -> tuple[Inline, ...]:
    """The inlines of a one-paragraph field as Word shows it (several paragraphs are joined with a space)."""
    inlines: list[Inline] = []
    for block in blocks:
        if isinstance(block, Paragraph | SubHeading):
            if inlines:
                inlines.append(Text(" "))
            inlines.extend(block.inlines)
    return tuple(inlines)


_LABEL_RE = re.compile(r"[ \t]*\[#([a-z0-9][a-z0-9_-]*)\][ \t]*$")


@dataclass
class Local:
    """An edit of a shared text as one municipality's ``lokaal:`` entries: the shared text gets a label where a
    place needs one (labels never show in a document), the overlay gets the entries."""

    source: str
    entries: list[dict[str, str]] = field(default_factory=list)
    refused: str = ""
    notes: Rewritten = field(default_factory=lambda: Rewritten(""))


def local_changes(
    source: str, old: Sequence[Block], new: Sequence[Block], key_name: str, context: Mapping[str, Any]
) -> Local:
    """The ``lokaal:`` entries (na / voor / in_plaats_van / verwijder) that turn ``old`` into ``new`` for one
    municipality, paragraph by paragraph; a changed list or table is refused (its items need labels of their
    own, which the clerk places in the YAML)."""
    spans = _spans(source, context)
    if spans is None or len(spans[1]) != len(old):
        return Local(source, refused="de tekst kan niet per alinea worden gelezen; pas hem aan in de YAML")
    lines, ranges, _ = spans
    taken = {m.group(1) for line in lines if (m := _LABEL_RE.search(line))}
    out = Local(source)

    def label(index: int) -> str:
        first, end = ranges[index]
        for line in lines[first:end]:
            found = _LABEL_RE.search(line)
            if found:
                return found.group(1)
        if not isinstance(old[index], Paragraph | SubHeading):
            raise LookupError(index)
        number = index + 1
        name = f"{key_name.replace('_', '-')}-{number}"
        while name in taken:
            number += 1
            name = f"{key_name.replace('_', '-')}-{number}"
        taken.add(name)
        lines[end - 1] = f"{lines[end - 1]} [#{name}]"
        return name

    matcher = difflib.SequenceMatcher(a=[key([b]) for b in old], b=[key([b]) for b in new], autojunk=False)
    try:
        for tag, i1, i2, j1, j2 in matcher.get_opcodes():
            if tag == "equal":
                continue
            olds = [v for b in old[i1:i2] for v in _variables(b)]
            region = with_variables(key(new[j1:j2]), olds, out.notes, key(old[i1:i2])) if j1 < j2 else ""
            text = region + "\n" if "\n" in region else region
            if i1 < i2:
                first = label(i1)
                out.entries.append({"in_plaats_van": first, "tekst": text} if region else {"verwijder": first})
                out.entries.extend({"verwijder": label(i)} for i in range(i1 + 1, i2))
            elif i1 > 0:
                out.entries.append({"na": label(i1 - 1), "tekst": text})
            elif old:
                out.entries.append({"voor": label(0), "tekst": text})
    except LookupError:
        out.refused = "een lijst of tabel veranderde; geef de punten of rijen zelf een label ([#naam]) in de YAML"
        return out
    out.source = "\n".join(lines)
    return out

"""The ``text`` format: a section-by-section summary with the changed words, for a terminal or a pipe.

On a terminal removed words are red and struck through, added words green and underlined (rich); piped into a
file, mail or ``less`` the same places are marked ``[-verwijderd-]`` and ``{+toegevoegd+}`` (the markers of
``git diff --word-diff=plain``), so nothing depends on colour. Long unchanged stretches inside an edited
paragraph are shortened to a few words of context around each change.
"""

from __future__ import annotations

from rich.text import Text

from generator.diffing._words import tokens
from generator.diffing.model import DiffReport, DocumentDiff, UnitDiff

CONTEXT = 8  # words of unchanged text kept on each side of a change
DELETED_STYLE = "red strike"
INSERTED_STYLE = "green underline"
INDENT = "    "


def render(report: DiffReport, color: bool) -> Text:
    """The whole report; ``color`` False gives plain text with markers (``Text.plain``).

    Several municipalities: municipalities with the same changes are shown once (with "dezelfde verschillen
    voor: …"); those without differences together in one line.
    """
    out = Text()
    for line in report.participant_lines():
        out.append(line + "\n", style="bold" if color else "")
    groups = report.groups()
    for diff, names in groups:
        if diff.identical and len(report.diffs) > 1:
            continue
        if out:
            out.append("\n")
        _document(out, diff, color, names[1:])
    same = [name for diff, names in groups if diff.identical and len(report.diffs) > 1 for name in names]
    if same:
        out.append(("\n" if out else "") + "geen verschillen: " + ", ".join(same) + "\n")
    if not report.diffs and report.identical:
        out.append("geen verschillen\n")
    return out


def render_plain(report: DiffReport) -> str:
    """Plain text with ``[-…-]`` / ``{+…+}`` markers and no escape codes."""
    return render(report, color=False).plain


def _document(out: Text, diff: DocumentDiff, color: bool, also: tuple[str, ...] = ()) -> None:
    out.append(f"--- {diff.old_name}\n", style="red" if color else "")
    out.append(f"+++ {diff.new_name}\n", style="green" if color else "")
    if also:
        out.append(f"dezelfde verschillen voor: {', '.join(also)}\n", style="bold" if color else "")
    if diff.identical:
        out.append("geen verschillen\n")
        return
    for part in diff.changed_parts:
        out.append("\n")
        out.append(part.summary() + "\n", style="bold" if color else "")
        for unit in part.changes:
            out.append(f"  {unit.label}: ")
            _unit(out, unit, color)
            out.append("\n")
    line = diff.unchanged_line()
    if line:
        out.append("\n" + line + "\n", style="dim" if color else "")


def _unit(out: Text, unit: UnitDiff, color: bool) -> None:
    segments = unit.segments
    for index, segment in enumerate(segments):
        text = segment.text.replace("\n", "\n" + INDENT)
        if segment.op == "equal":
            out.append(_shorten(text, first=index == 0, last=index == len(segments) - 1))
        elif color:
            out.append(text, style=DELETED_STYLE if segment.op == "delete" else INSERTED_STYLE)
        else:
            out.append(f"[-{text}-]" if segment.op == "delete" else f"{{+{text}+}}")


def _shorten(text: str, *, first: bool, last: bool) -> str:
    """Keep CONTEXT words before and after the neighbouring changes; "…" stands for what is left out."""
    parts = tokens(text)
    words = [i for i, t in enumerate(parts) if t.strip()]
    keep_head = 0 if first else CONTEXT  # words after the change before this stretch
    keep_tail = 0 if last else CONTEXT  # words before the change after this stretch
    if len(words) <= keep_head + keep_tail + 2:
        return text
    head = "".join(parts[: words[keep_head - 1] + 1]) if keep_head else ""
    tail = "".join(parts[words[-keep_tail] :]) if keep_tail else ""
    if first:
        return "…" + (" " + tail.lstrip() if tail else "")
    if last:
        return head.rstrip() + " …"
    return head.rstrip() + " … " + tail.lstrip()

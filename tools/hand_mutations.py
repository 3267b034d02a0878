"""The hand mutations of issue 27: apply each, run the test meant to kill it, revert; prints KILLED or SURVIVED.

    .venv/bin/python tools/hand_mutations.py [NAME-PREFIX ...]

Each mutation is one exact text replacement in one file (it must occur once); the file is restored afterwards,
also when the test run is interrupted.
"""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path
from typing import NamedTuple

ROOT = Path(__file__).resolve().parent.parent
PINNED = "tests/test_pinned.py::"


class Mutation(NamedTuple):
    name: str
    path: str
    old: str
    new: str
    test: str


MUTATIONS = (
    Mutation("M1 argument labels 1.0", "generator/document/build.py",
             "enumerate(group, start=1)", "enumerate(group, start=0)",
             PINNED + "test_argument_labels_count_from_one_per_beslispunt"),
    Mutation("M2 footnotes in body rows", "generator/document/footnotes.py",
             "rows = tuple(tuple(_inlines(c, counter) for c in row) for row in block.rows)", "rows = block.rows",
             PINNED + "test_footnotes_in_table_rows_are_numbered_in_reading_order"),
    Mutation("M3 local order reversed", "generator/document/local.py", "), -change.index)", "), change.index)",
             PINNED + "test_two_local_changes_at_one_label_keep_the_overlay_order"),
    Mutation("M3b local order reversed (unit)", "generator/document/local.py", "), -change.index)", "), change.index)",
             PINNED + "test_two_local_changes_at_one_label_keep_the_overlay_order_in_apply"),
    Mutation("M4 ODT italic upright", "generator/writers/odt.py",
             'props["fo:font-style"] = "italic"\n        if highlight:',
             'props["fo:font-style"] = "normal"\n        if highlight:',
             PINNED + "test_odt_bold_and_italic_spans"),
    Mutation("M4b ODT italic span style swapped", "generator/writers/odt.py",
             '(False, True, False): "T_i"', '(False, True, False): "T_b"',
             PINNED + "test_odt_bold_and_italic_spans"),
    Mutation("M5 ODT extra signature column", "generator/writers/odt.py",
             "str(len(signature.signatories))", "str(len(signature.signatories) + 1)",
             PINNED + "test_signature_tables_have_one_column_per_signatory"),
    Mutation("M5b DOCX extra signature column", "generator/writers/docx/_frontmatter.py",
             "[column] * count", "[column] * (count + 1)",
             PINNED + "test_signature_tables_have_one_column_per_signatory"),
    Mutation("M6 no place accepted", "generator/model/proposal.py", "if len(given) != 1:", "if len(given) > 1:",
             PINNED + "test_a_local_change_must_name_exactly_one_place"),
)  # fmt: skip


def run(mutation: Mutation) -> bool:
    """True when the mutation makes its test fail (killed)."""
    path = ROOT / mutation.path
    original = path.read_text(encoding="utf-8")
    if original.count(mutation.old) != 1:
        raise SystemExit(f"{mutation.name}: the text to mutate is not in {mutation.path} exactly once")
    path.write_text(original.replace(mutation.old, mutation.new), encoding="utf-8")
    try:
        result = subprocess.run(
            [sys.executable, "-m", "pytest", "-q", "-x", "-p", "no:cacheprovider", mutation.test],
            cwd=ROOT, capture_output=True, text=True, check=False,
        )  # fmt: skip
    finally:
        path.write_text(original, encoding="utf-8")
    return result.returncode != 0


def main(prefixes: list[str]) -> int:
    survived = 0
    for mutation in MUTATIONS:
        if prefixes and not any(mutation.name.startswith(p) for p in prefixes):
            continue
        killed = run(mutation)
        survived += not killed
        print(f"{mutation.name}: {'KILLED' if killed else 'SURVIVED'}", flush=True)
    return 1 if survived else 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))

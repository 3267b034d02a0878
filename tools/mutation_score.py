"""The mutation score of the last ``make mutate`` run, per module and in total, from mutmut's records.

    .venv/bin/python tools/mutation_score.py [PATTERN ...]   # mutmut name patterns, e.g. "generator.document.*"

mutmut 3 keeps, next to each mutated file in ``mutants/``, a ``.meta`` file with the exit code of the tests per
mutant. Score = killed / (killed + survived): a mutant no selected test reaches ("no tests") is counted apart,
as it says nothing about the tests' strength but about what the fast selection leaves out; a timeout counts as
killed (the mutant made a test hang, which a run notices).
"""

from __future__ import annotations

import fnmatch
import json
import sys
from collections import Counter
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
MUTANTS = ROOT / "mutants"

#: mutmut's exit codes (mutmut/stats.py) in our four classes; anything else is "other".
CLASS_BY_CODE = {1: "killed", 3: "killed", 36: "killed", 24: "killed", -24: "killed", 152: "killed", 255: "killed",
                 0: "survived", 5: "no tests", 33: "no tests", 34: "skipped"}  # fmt: skip


def module_of(mutant: str) -> str:
    """``generator.document.local.x_apply__mutmut_3`` → ``generator.document.local``."""
    return mutant.rsplit(".", 1)[0]


def tally(patterns: list[str]) -> dict[str, Counter[str]]:
    per_module: dict[str, Counter[str]] = {}
    for meta in sorted(MUTANTS.glob("generator/**/*.py.meta")):
        codes: dict[str, int | None] = json.loads(meta.read_text(encoding="utf-8")).get("exit_code_by_key", {})
        for mutant, code in codes.items():
            if patterns and not any(fnmatch.fnmatch(mutant, p) for p in patterns):
                continue
            kind = "not run" if code is None else CLASS_BY_CODE.get(code, "other")
            per_module.setdefault(module_of(mutant), Counter())[kind] += 1
    return per_module


def score(counts: Counter[str]) -> str:
    tested = counts["killed"] + counts["survived"]
    return f"{100 * counts['killed'] / tested:5.1f}%" if tested else "    -"


def main(patterns: list[str]) -> int:
    per_module = tally(patterns)
    if not per_module:
        print("geen resultaten: draai eerst make mutate", file=sys.stderr)
        return 1
    total: Counter[str] = Counter()
    print(f"{'module':40} {'gedood':>7} {'overleefd':>9} {'geen test':>9} {'niet gedraaid':>13} {'score':>6}")
    for module, counts in sorted(per_module.items()):
        total.update(counts)
        print(f"{module:40} {counts['killed']:7} {counts['survived']:9} {counts['no tests']:9} "
              f"{counts['not run'] + counts['other'] + counts['skipped']:13} {score(counts):>6}")  # fmt: skip
    print(f"{'totaal':40} {total['killed']:7} {total['survived']:9} {total['no tests']:9} "
          f"{total['not run'] + total['other'] + total['skipped']:13} {score(total):>6}")  # fmt: skip
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))

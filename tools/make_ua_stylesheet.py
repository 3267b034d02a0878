"""``python -m tools.make_ua_stylesheet``: write ``generator/data/weasyprint-ua.pickle``, WeasyPrint's user-agent
stylesheet (``html5_ua.css``) as WeasyPrint parses it, and print the sums ``writers/pdf/speed.py`` checks.

Why: WeasyPrint parses its 20 KB user-agent stylesheet (tinycss2, then each selector compiled to a Python
function by cssselect2) every time it is imported: 19 ms of processor time in each cold process (the batch's
forkserver, a ``build``, the preview). The result is the same each time, so it is made here once and stored
with the package (the lever "UA-stylesheet vooraf" in ``generator.writers.pdf.speed``); a compiled selector is
stored as its code object (``marshal``, hence the Python bytecode version in the sums).
``tests/test_pdf_speed.py`` checks that the stored stylesheet is what the installed WeasyPrint parses. Run this
after a new WeasyPrint, tinycss2, cssselect2 or Python, and paste what it prints.
"""

from __future__ import annotations

import hashlib
import importlib.util
import json
import os
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
TARGET = ROOT / "generator" / "data" / "weasyprint-ua.pickle"

#: Run in a fresh process as WeasyPrint is released (no lever): its user-agent stylesheet, parsed as
#: ``weasyprint.html`` parses it (with a fresh counter-style register), and stored.
_RECORD = r"""
import sys
from weasyprint import CSS, html
from weasyprint.css.counters import CounterStyle
from generator.writers.pdf.speed import dump_stylesheet
counter_style = CounterStyle()
stylesheet = CSS(string=html.UA, counter_style=counter_style)
sys.stdout.buffer.write(dump_stylesheet(stylesheet, counter_style))
"""


def record() -> bytes:
    """The stored form of WeasyPrint's user-agent stylesheet, made in a fresh process without levers."""
    env = {**os.environ, "RAADSVOORSTEL_PURE": "1"}
    return subprocess.run([sys.executable, "-c", _RECORD], env=env, capture_output=True, check=True).stdout


def main() -> None:
    from weasyprint import html

    data = record()
    TARGET.write_bytes(data)
    sums = {
        "UA_SOURCE_SHA256": hashlib.sha256(html.UA.encode("utf-8")).hexdigest(),
        "UA_FILE_SHA256": hashlib.sha256(data).hexdigest(),
        "UA_BYTECODE": importlib.util.MAGIC_NUMBER.hex(),
    }
    print(f"{TARGET.relative_to(ROOT)}: {len(data)} bytes")
    print(json.dumps(sums, indent=2))


if __name__ == "__main__":
    main()

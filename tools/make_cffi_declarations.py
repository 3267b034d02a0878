"""``python -m tools.make_cffi_declarations``: write ``generator/data/weasyprint-cdef.pickle``, pycparser's tree of
the C declarations WeasyPrint hands cffi, and print the two SHA-256 sums ``writers/pdf/speed.py`` checks.

Why: WeasyPrint declares its C interface (Pango, HarfBuzz, FontConfig …) to cffi as 16 KB of C text, and cffi
parses it with pycparser every time WeasyPrint is imported: 15 ms of processor time in each cold process (the
batch's forkserver, a ``build``, the preview). The tree is the same each time, so it is made here once and
stored with the package (the lever "C-declaraties vooraf" in ``generator.writers.pdf.speed``).
``tests/test_pdf_speed.py`` checks that the stored tree is what pycparser makes of the installed WeasyPrint's
declarations. Run this after a new WeasyPrint, cffi or pycparser, and paste the two sums it prints.
"""

from __future__ import annotations

import hashlib
import json
import os
import pickle
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
TARGET = ROOT / "generator" / "data" / "weasyprint-cdef.pickle"

#: Run in a fresh process as WeasyPrint is released (no lever): the first C text its fresh ``FFI`` parses, and
#: what cffi's parser made of it, pickled.
_RECORD = r"""
import pickle, sys
import cffi.cparser
original = cffi.cparser.Parser._parse
seen = []
def recording(self, csource):
    result = original(self, csource)
    if not seen and not self._declarations:
        seen.append((csource, result))
    return result
cffi.cparser.Parser._parse = recording
import weasyprint.text.ffi
csource, result = seen[0]
sys.stdout.buffer.write(pickle.dumps((csource, result), protocol=pickle.HIGHEST_PROTOCOL))
"""


def record() -> tuple[str, bytes]:
    """WeasyPrint's declarations text and the pickled result of cffi's ``Parser._parse`` for it."""
    env = {**os.environ, "RAADSVOORSTEL_PURE": "1"}
    out = subprocess.run([sys.executable, "-c", _RECORD], env=env, capture_output=True, check=True).stdout
    csource, result = pickle.loads(out)  # our own child's output
    return csource, pickle.dumps(result, protocol=pickle.HIGHEST_PROTOCOL)


def main() -> None:
    csource, data = record()
    TARGET.write_bytes(data)
    sums = {
        "CDEF_SOURCE_SHA256": hashlib.sha256(csource.encode("utf-8")).hexdigest(),
        "CDEF_FILE_SHA256": hashlib.sha256(data).hexdigest(),
    }
    print(f"{TARGET.relative_to(ROOT)}: {len(data)} bytes")
    print(json.dumps(sums, indent=2))


if __name__ == "__main__":
    main()

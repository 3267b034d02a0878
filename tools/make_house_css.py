"""Write the generated block of the package's ``html/raadsvoorstel.css`` from its ``huisstijl.toml``.

Why: the PDF's stylesheet and the DOCX's ``reference.docx`` take page size, margins, fonts, sizes, line
spacing and colours from one file, so the two formats cannot drift (``tests/test_housestyle.py`` checks that
the committed stylesheet holds exactly this block). Usage::

    .venv/bin/python tools/make_house_css.py        # rewrites the block in templates/html/raadsvoorstel.css
    .venv/bin/python tools/make_reference_docx.py   # and the DOCX side
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from generator.writers.housestyle import load, replace_css_block  # noqa: E402

SOURCE = ROOT / "generator" / "templates" / "huisstijl.toml"
STYLESHEET = ROOT / "generator" / "templates" / "html" / "raadsvoorstel.css"


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=(__doc__ or "").splitlines()[0])
    parser.add_argument("--source", type=Path, default=SOURCE, help="huisstijl.toml")
    parser.add_argument("--stylesheet", type=Path, default=STYLESHEET, help="the CSS file to update")
    args = parser.parse_args(argv)
    css = args.stylesheet.read_text(encoding="utf-8")
    args.stylesheet.write_text(replace_css_block(css, load(args.source)), encoding="utf-8")
    print(f"wrote {args.stylesheet}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())

"""``python -m bench.levers``: instructions per PDF with and without each speed lever, counted by callgrind.

Instruction counts do not depend on how busy the machine is (within ±0.1% here), so the levers can be
compared on a shared machine where seconds cannot. Each configuration runs twice under callgrind: once
rendering only a warm-up document, once rendering the warm-up document and then every example document
(raadsvoorstel and raadsbesluit of all municipalities); the difference divided by the number of documents is
what a warm worker pays per PDF. The configurations:

- ``zonder``: no lever (``RAADSVOORSTEL_PURE=1``) and the section anchor back on ``<section>``, as before;
- ``kop-id``: the anchor on the heading (the template as it is), no other lever;
- ``zonder-expat``: every lever except parsing the page with expat (``generator.writers.pdf.expat``);
- ``zonder-tekenen``: every lever except the drawn-lines memory (``pdf_speed._install_drawn_lines``);
- ``alles``: the template as it is and the levers of ``generator.writers.pdf.speed`` and ``pdf_expat``.

Slow: about ten minutes on a quiet core. ``--render MODE COUNT`` is the part that runs under callgrind.
"""

from __future__ import annotations

import argparse
import os
import re
import subprocess
import sys
import tempfile
from pathlib import Path

from bench.workspace import EXAMPLE, ROOT

CONFIGURATIONS = ("zonder", "kop-id", "zonder-expat", "zonder-tekenen", "alles")


def render(mode: str, count: int) -> None:
    """Render the warm-up document and then ``count`` example documents as PDF (in this process)."""
    from generator.api import loaded_dossier, templates_for
    from generator.writers import WriterOptions
    from generator.writers import pdf as pdf_writer
    from generator.writers.html import render_page

    if mode == "zonder":

        def on_section(*args: object, **kwargs: object) -> str:
            page = render_page(*args, **kwargs)  # type: ignore[arg-type]
            heading = r'<section class="sectie">\n<h2 id="(sectie-[^"]+)">'
            return re.sub(heading, r'<section class="sectie" id="\1">\n<h2>', page)

        pdf_writer.render_page = on_section  # type: ignore[attr-defined]
    if mode == "zonder-expat":
        from generator.writers.pdf import expat as pdf_expat

        pdf_expat.parse_page = lambda page: None  # every page to tinyhtml5, as outside the profile
    if mode == "zonder-tekenen":
        from generator.writers.pdf import speed as pdf_speed

        pdf_speed._refused_drawing.append(render)  # as after a failed check: draw_text stays WeasyPrint's own
    dossier = ROOT / "proposals" / EXAMPLE
    options = WriterOptions(templates_for(dossier))
    loaded = loaded_dossier(dossier)
    kinds = ("raadsvoorstel", "raadsbesluit")
    documents = [doc for found in loaded.sets.values() for doc in map(found.get, kinds) if doc is not None]
    pdf_writer.write(documents[0], options)
    pdf_writer.clear_caches()  # the warm-up's remembered lines must not help the measured documents
    for doc in documents[:count]:
        pdf_writer.write(doc, options)


def instructions(mode: str, count: int) -> int:
    """Instructions callgrind counts for ``--render mode count`` in a fresh process."""
    env = dict(os.environ)
    env.pop("RAADSVOORSTEL_PURE", None)
    if mode == "zonder" or mode == "kop-id":
        env["RAADSVOORSTEL_PURE"] = "1"
    with tempfile.TemporaryDirectory() as temp:
        out = Path(temp) / "callgrind.out"
        process = subprocess.run(
            ["valgrind", "--tool=callgrind", f"--callgrind-out-file={out}", sys.executable, "-m", "bench.levers",
             "--render", mode, str(count)],
            cwd=ROOT, env=env, check=False, capture_output=True, text=True,
        )  # fmt: skip
        # Under valgrind the interpreter now and then crashes while it shuts down, after the work is done;
        # callgrind still writes its counts, and a run that did not get that far has none.
        text = out.read_text(encoding="utf-8") if out.is_file() else ""
        totals = re.search(r"^(?:summary|totals): (\d+)", text, re.MULTILINE)
    if totals is None:
        raise RuntimeError(f"callgrind gaf geen telling ({mode}, {count}): {process.stderr[-2000:]}")
    return int(totals.group(1))


def main() -> None:
    parser = argparse.ArgumentParser(prog="python -m bench.levers", description=__doc__.splitlines()[0])
    parser.add_argument("--render", nargs=2, metavar=("MODE", "COUNT"), help=argparse.SUPPRESS)
    parser.add_argument("--documenten", type=int, default=14, help="aantal gemeten documenten (standaard 14)")
    parser.add_argument("--configuraties", nargs="+", choices=CONFIGURATIONS, default=list(CONFIGURATIONS))
    args = parser.parse_args()
    if args.render:
        render(args.render[0], int(args.render[1]))
        return
    print(f"python {sys.version.split()[0]} ({sys.executable}), load {os.getloadavg()[0]:.1f}")
    base = None
    for mode in args.configuraties:
        per_pdf = (instructions(mode, args.documenten) - instructions(mode, 0)) / args.documenten
        base = base or per_pdf
        print(f"{mode:8} {per_pdf / 1e6:9.1f} M instructies per PDF  ({(per_pdf / base - 1) * 100:+.1f}%)", flush=True)


if __name__ == "__main__":
    main()

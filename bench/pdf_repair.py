"""What the PDF/UA repair costs: CPU of the structure-tree pass and the XMP against the whole PDF.

``python -m bench.pdf_repair`` (also part of ``make bench``). In one process, after one warm-up render
(fonts, stylesheets), the seven example PDFs are written ``repeats`` times

- as the writer does (our structure tree in place of WeasyPrint's), timing the repair functions inside;
- with WeasyPrint 70's own tagging instead (the repair switched off), for the difference in total.

The share is the repair's own CPU time divided by the CPU time of the whole ``write``; the target of
issue 9 is at most 15%.
"""

from __future__ import annotations

import argparse
import contextlib
import statistics
import sys
import time
from collections.abc import Callable, Iterator
from typing import Any

from bench import workspace

TARGET_SHARE = 0.15


@contextlib.contextmanager
def _timed(module: Any, name: str, spent: list[float]) -> Iterator[None]:
    """Replace ``module.name`` by a wrapper that adds the CPU seconds of each call to ``spent``."""
    original: Callable[..., Any] = getattr(module, name)

    def wrapper(*args: Any, **kwargs: Any) -> Any:
        start = time.process_time()
        try:
            return original(*args, **kwargs)
        finally:
            spent.append(time.process_time() - start)

    setattr(module, name, wrapper)
    try:
        yield
    finally:
        setattr(module, name, original)


def measure(repeats: int = 3) -> dict[str, Any]:
    """CPU seconds of the repair and of the whole write, per round of the seven example PDFs."""
    from generator import api
    from generator.writers import WriterOptions
    from generator.writers import pdf as pdf_writer
    from generator.writers.pdf import tags as pdf_tags

    docs = list(api.documents(workspace.ROOT / "proposals" / "impuls-sociale-infrastructuur").values())
    options = WriterOptions()
    pdf_writer.write(docs[0], options)  # warm-up: fontconfig, stylesheets, imports

    with_repair: list[float] = []
    repair: list[float] = []
    without_repair: list[float] = []
    for _ in range(repeats):
        spent: list[float] = []
        with _timed(pdf_tags, "build_structure", spent), _timed(pdf_writer, "_claim_standards", spent):
            start = time.process_time()
            for doc in docs:
                pdf_writer.write(doc, options)
            with_repair.append(time.process_time() - start)
        repair.append(sum(spent))
        with _without_repair(pdf_writer):
            start = time.process_time()
            for doc in docs:
                pdf_writer.write(doc, options)
            without_repair.append(time.process_time() - start)
    share = [r / w for r, w in zip(repair, with_repair, strict=True)]
    return {
        "documents": len(docs),
        "repeats": repeats,
        "with_repair_cpu_s": with_repair,
        "repair_cpu_s": repair,
        "weasyprint_tags_cpu_s": without_repair,
        "share_median": statistics.median(share),
        "target_share": TARGET_SHARE,
    }


def _no_claim(document: Any, pdf: Any, facts: Any = None) -> None:
    """In place of ``_claim_standards``: keep WeasyPrint's own XMP packet."""


@contextlib.contextmanager
def _without_repair(pdf_writer: Any) -> Iterator[None]:
    """Render with WeasyPrint's own tags and XMP: the writer's repair context and XMP step do nothing."""
    repairing, claim = pdf_writer.repairing, pdf_writer._claim_standards
    pdf_writer.repairing = contextlib.nullcontext
    pdf_writer._claim_standards = _no_claim
    try:
        yield
    finally:
        pdf_writer.repairing, pdf_writer._claim_standards = repairing, claim


def render(figures: dict[str, Any]) -> str:
    """The figures as Dutch lines (seconds with a decimal comma)."""

    def s(values: list[float]) -> str:
        return " / ".join(f"{v:.3f}".replace(".", ",") for v in values)

    share = 100 * figures["share_median"]
    return "\n".join(
        [
            f"PDF/UA-reparatie, {figures['documents']} pdf's × {figures['repeats']} herhalingen "
            "(CPU-seconden per ronde):",
            f"  schrijven met reparatie:        {s(figures['with_repair_cpu_s'])}",
            f"  waarvan reparatie (boom + XMP): {s(figures['repair_cpu_s'])}",
            f"  met WeasyPrints eigen tags:     {s(figures['weasyprint_tags_cpu_s'])}",
            f"  aandeel reparatie (mediaan):    {share:.1f}%".replace(".", ",")
            + f" (doel ≤ {100 * figures['target_share']:.0f}%)",
        ]
    )


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m bench.pdf_repair", description=__doc__.splitlines()[0])
    parser.add_argument("--herhalingen", type=int, default=3, help="aantal rondes (standaard 3)")
    args = parser.parse_args(argv)
    figures = measure(args.herhalingen)
    print(render(figures))
    return 0 if figures["share_median"] <= TARGET_SHARE else 1


if __name__ == "__main__":
    sys.exit(main())

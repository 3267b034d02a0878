"""``python -m bench --profiel``: where the time of one DOCX and one PDF goes, measured with cProfile.

The writers are imported and warmed first (one document each), so the profile shows the steady state of a
worker process, which is what a batch pays per document.
"""

from __future__ import annotations

import cProfile
import io
import pstats
from pathlib import Path

from bench.workspace import EXAMPLE, ROOT


def profile(fmt: str, top: int = 25) -> str:
    """The ``top`` functions by cumulative time for rendering the seven example documents as ``fmt``."""
    from generator import api
    from generator.sources.dossier import find_dossier
    from generator.writers import WriterOptions, get_writer

    tree, slug = find_dossier(ROOT / "proposals" / EXAMPLE)
    loaded, _ = api.load(tree, slug)
    documents = list(loaded.documents.values())
    write = get_writer(fmt)
    options = WriterOptions()
    write(documents[0], options)
    profiler = cProfile.Profile()
    profiler.enable()
    for document in documents:
        write(document, options)
    profiler.disable()
    buffer = io.StringIO()
    stats = pstats.Stats(profiler, stream=buffer)
    stats.strip_dirs().sort_stats("cumulative").print_stats(top)
    return f"== {fmt}: {len(documents)} documenten ==\n{buffer.getvalue()}"


def write_profiles(target: Path) -> list[str]:
    texts = [profile(fmt) for fmt in ("docx", "pdf")]
    target.mkdir(parents=True, exist_ok=True)
    (target / "profiel.txt").write_text("\n".join(texts), encoding="utf-8")
    return texts

"""Which files are inputs of the previewed document, and the watch loop that reports their saves.

Inputs: the dossier folder (``voorstel.yaml`` and the overlays), the registry beside it (``gemeenten.yaml``)
and every root of the template search path. The proposals folder is watched as a whole because editors save by
writing a new file and renaming it over the old one (a watch on the file itself would go blind after the
first save); changes elsewhere in it (another dossier, an output folder) are ignored here.
"""

from __future__ import annotations

import asyncio
from collections.abc import Awaitable, Callable, Iterable
from dataclasses import dataclass
from pathlib import Path

from watchfiles import Change, DefaultFilter, awatch

from generator.sources.layout import REGISTRY_FILE

__all__ = ["Inputs", "watch"]


@dataclass(frozen=True, slots=True)
class Inputs:
    """The input files of one dossier's document, as real paths."""

    dossier: Path
    templates: tuple[Path, ...]

    @property
    def registry(self) -> Path:
        return self.dossier.parent / REGISTRY_FILE

    def roots(self) -> list[Path]:
        """The folders to watch: the proposals folder and each template root that exists."""
        roots = [self.dossier.parent, *(root for root in self.templates if root.is_dir())]
        return [root for i, root in enumerate(roots) if not any(root.is_relative_to(r) for r in roots[:i])]

    def classify(self, changed: Iterable[str]) -> tuple[bool, bool]:
        """(any input changed, any template changed) for a batch of changed paths."""
        data = templates = False
        for name in changed:
            path = Path(name)
            if any(path.is_relative_to(root) for root in self.templates):
                templates = True
            elif path == self.registry or path.is_relative_to(self.dossier):
                data = True
        return data or templates, templates


async def watch(
    inputs: Inputs, on_change: Callable[[bool], Awaitable[None]], stop: asyncio.Event, step_ms: int = 20
) -> None:
    """Call ``on_change(templates_changed)`` after each save of an input, until ``stop`` is set.

    ``step_ms``: how long the watcher waits for more changes of the same save (an editor writes, renames and
    touches in one go) before it reports them; short, because the clerk is waiting for the page.
    """
    ignore = DefaultFilter()
    async for changes in awatch(
        *inputs.roots(), stop_event=stop, step=step_ms, debounce=400, watch_filter=ignore, recursive=True
    ):
        relevant, templates = inputs.classify(path for change, path in changes if isinstance(change, Change))
        if relevant:
            await on_change(templates)

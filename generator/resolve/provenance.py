"""Where each value of a merged proposal was written, so a problem points at the file and line that wrote it."""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass

from generator.errors import Location
from generator.model.messages import Path
from generator.sources.dossier import Loaded

__all__ = ["Provenance"]


@dataclass(frozen=True)
class Provenance:
    """Where each value of a merged proposal was written: the overlay wins where it has the path."""

    base: Loaded
    overlay: Loaded | None = None

    def _layers(self) -> Iterator[Loaded]:
        if self.overlay is not None:
            yield self.overlay
        yield self.base

    def locate(self, path: Path) -> Location:
        for depth in range(len(path), 0, -1):
            prefix = path[:depth]
            for layer in self._layers():
                loc = layer.source.value(prefix) or layer.source.key(prefix)
                if loc is not None:
                    return loc
        return Location(self.base.name)

    def locate_key(self, path: Path) -> Location:
        """Where the key of ``path`` is written (for problems with the key itself, such as a bad slug)."""
        for layer in self._layers():
            loc = layer.source.key(path)
            if loc is not None:
                return loc
        return self.locate(path)

    def origin(self, path: Path) -> Loaded:
        """The file a value came from (for "overschreven in gemeenten/soest.yaml:14")."""
        if self.overlay is not None and (self.overlay.source.value(path) or self.overlay.source.key(path)):
            return self.overlay
        return self.base

    def text_line(self, path: Path, line_in_text: int) -> Location:
        """The file line of line ``line_in_text`` (1-based) inside the text value at ``path``."""
        layer = self.origin(path)
        info = layer.source.scalar(path)
        if info is None:
            return self.locate(path)
        if info.block:
            return Location(layer.name, info.content_line + line_in_text - 1)
        return Location(layer.name, info.location.line + line_in_text - 1, info.location.column)

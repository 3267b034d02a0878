"""Where every value of a loaded YAML file was written.

Later stages (validation, overlay merging, diffs) only see plain data; the ``SourceMap`` is how they can
still point a clerk at ``file:line:col``. Paths are tuples of mapping keys (``str``) and list indexes
(``int``), e.g. ``("beslispunten", 0, "tekst")``.
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass

from generator.errors import Location

KeyPath = tuple[str | int, ...]


@dataclass(frozen=True, slots=True)
class ScalarInfo:
    """Where a scalar value's text starts.

    Block scalars (``|``, ``>``) start their text on the line after the indicator; Markdown errors inside
    such a text are reported relative to ``content_line``, so it is kept apart from the value's location.
    """

    location: Location
    content_line: int
    block: bool


@dataclass(frozen=True, slots=True)
class _Entry:
    key: Location
    value: Location
    scalar: ScalarInfo | None


class SourceMap:
    """Maps key paths to the locations of their key and value in one file.

    ``key()`` is where the key of a mapping entry is written, or for a list item where the item starts (a list
    item has no key of its own). ``value()`` is where the value node starts.
    """

    __slots__ = ("_entries", "file")

    def __init__(self, file: str) -> None:
        self.file = file
        self._entries: dict[KeyPath, _Entry] = {}

    def add(self, path: KeyPath, key: Location, value: Location, scalar: ScalarInfo | None = None) -> None:
        """Record a path; the first record of a path wins (a duplicate key must not move its location)."""
        self._entries.setdefault(path, _Entry(key, value, scalar))

    def key(self, path: KeyPath) -> Location | None:
        entry = self._entries.get(path)
        return entry.key if entry else None

    def value(self, path: KeyPath) -> Location | None:
        entry = self._entries.get(path)
        return entry.value if entry else None

    def scalar(self, path: KeyPath) -> ScalarInfo | None:
        entry = self._entries.get(path)
        return entry.scalar if entry else None

    def nearest(self, path: KeyPath) -> Location:
        """The value location of the longest recorded prefix of ``path``, else the file itself.

        Validation errors often concern a key that is *missing*; pointing at its parent is the best we can do.
        """
        for end in range(len(path), 0, -1):
            entry = self._entries.get(path[:end])
            if entry is not None:
                return entry.value
        return Location(self.file)

    def paths(self) -> Iterator[KeyPath]:
        """Every recorded path, in document order."""
        return iter(tuple(self._entries))

    def items(self) -> Iterator[tuple[KeyPath, Location, Location]]:
        """``(path, key location, value location)`` for every path, so maps can be combined by the caller."""
        return iter([(path, e.key, e.value) for path, e in self._entries.items()])

    def __contains__(self, path: object) -> bool:
        return path in self._entries

    def __len__(self) -> int:
        return len(self._entries)

    def __repr__(self) -> str:
        return f"SourceMap({self.file!r}, {len(self._entries)} paths)"
